import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { MySchool } from '../../api/types.ts';
import { Notice, QueryView } from '../../components/status.tsx';
import { listKey, privacyPath, type RequestList } from './api.ts';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The school home's reminder of data protection requests: what is overdue or due within a week. */
export function RequestsDue({ school }: { school: MySchool }) {
  const register = useQuery({
    queryKey: [...listKey(school.id), 'open'],
    queryFn: () => api.get<RequestList>(`${privacyPath(school.id)}/requests?status=open`),
  });
  return (
    <section aria-labelledby="requests-due-title">
      <h2 id="requests-due-title">Data protection requests</h2>
      <QueryView query={register} what="the requests register">
        {({ counts }) => {
          const link = <Link to={`/schools/${school.id}/privacy`}>Open the register</Link>;
          if (counts.open === 0) {
            return <p>No requests are open. {link}</p>;
          }
          const urgent = counts.overdue > 0 || counts.dueSoon > 0;
          const summary = `${plural(counts.open, 'request is', 'requests are')} open: ${counts.overdue} overdue, ${counts.dueSoon} due within 7 days, ${counts.paused} with the clock stopped.`;
          return urgent ? (
            <Notice tone="warning" title={counts.overdue > 0 ? 'Overdue requests' : 'Requests due soon'}>
              <p>
                {summary} {link}
              </p>
            </Notice>
          ) : (
            <p>
              {summary} {link}
            </p>
          );
        }}
      </QueryView>
    </section>
  );
}
