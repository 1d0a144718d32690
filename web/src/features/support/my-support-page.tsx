import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, QueryView } from '../../components/status.tsx';
import type { Grant } from './api.ts';
import { GrantRequests, GrantSummary } from './grant-details.tsx';

/** A support engineer's access, school by school; closing a ticket ends the access it gave. */
export function MySupportPage() {
  const queryClient = useQueryClient();
  const grants = useQuery({
    queryKey: ['my-support-grants'],
    queryFn: () => api.get<Grant[]>('/api/v1/support/grants'),
  });
  const close = useMutation({
    mutationFn: (grantId: string) => api.post(`/api/v1/support/grants/${grantId}/close`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['my-support-grants'] });
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  return (
    <Page title="Your support access">
      <p className="lead">
        Schools give you access for one ticket at a time. Close the ticket when you are done.
      </p>
      {close.isError ? <ErrorNotice error={close.error} title="Could not close the ticket" /> : null}
      <QueryView query={grants} what="your support access">
        {(found) =>
          found.length === 0 ? (
            <p>No school has given you access.</p>
          ) : (
            <ul className="plain-list">
              {found.map((grant) => (
                <li key={grant.id} className="card support-grant">
                  <h2>
                    {grant.schoolName ?? 'A school'}: ticket {grant.ticket}
                  </h2>
                  <GrantSummary grant={grant} />
                  <GrantRequests grant={grant} />
                  {grant.status === 'live' ? (
                    <p>
                      <Link to={`/schools/${grant.schoolId}`}>Open {grant.schoolName ?? 'the school'}</Link>
                    </p>
                  ) : null}
                  {grant.status === 'live' || grant.status === 'scheduled' ? (
                    <Button
                      type="button"
                      variant="secondary"
                      busy={close.isPending && close.variables === grant.id}
                      onClick={() => close.mutate(grant.id)}
                    >
                      Close ticket {grant.ticket}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </Page>
  );
}
