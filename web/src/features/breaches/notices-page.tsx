import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { Button } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, QueryView } from '../../components/status.tsx';
import { NOTICE_KIND_NAMES, noticesKey, type SchoolNoticeView } from './api.ts';

function NoticeCard({ schoolId, notice }: { schoolId: string; notice: SchoolNoticeView }) {
  const queryClient = useQueryClient();
  const acknowledge = useMutation({
    mutationFn: () =>
      api.post<SchoolNoticeView>(`/api/v1/schools/${schoolId}/breach-notices/${notice.id}/acknowledge`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: noticesKey(schoolId) }),
  });
  const titleId = `notice-${notice.id}`;
  return (
    <article className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {NOTICE_KIND_NAMES[notice.kind]}: {notice.reference}
      </h2>
      <p>
        Sent {notice.sent.display}.{' '}
        {notice.acknowledged === null ? (
          <strong>Not acknowledged yet.</strong>
        ) : (
          `Acknowledged ${notice.acknowledged.display}.`
        )}
      </p>
      <dl className="summary-list">
        {notice.sections.map((section) => (
          <div key={section.heading} className="summary-list__row">
            <dt>{section.heading}</dt>
            <dd className="pre-line">{section.text}</dd>
          </div>
        ))}
      </dl>
      {acknowledge.isError ? <ErrorNotice error={acknowledge.error} title="Not acknowledged" /> : null}
      {notice.acknowledged === null ? (
        <Button type="button" onClick={() => acknowledge.mutate()} busy={acknowledge.isPending}>
          Acknowledge {notice.reference}
        </Button>
      ) : null}
    </article>
  );
}

/** The personal data breach notices Haven sent this school, with their acknowledgement. */
export function BreachNoticesPage() {
  const { schoolId = '' } = useParams();
  const notices = useQuery({
    queryKey: noticesKey(schoolId),
    queryFn: () => api.get<SchoolNoticeView[]>(`/api/v1/schools/${schoolId}/breach-notices`),
  });
  return (
    <Page title="Breach notices">
      <p>
        When a personal data breach at Haven involves your school’s data, Haven (your processor) tells you
        here and by e-mail. As the controller, your school decides whether to report it to the ICO within 72
        hours of becoming aware, and whether to tell the people involved. Acknowledge each notice so Haven
        knows it reached you.
      </p>
      <QueryView query={notices} what="breach notices">
        {(list) =>
          list.length === 0 ? (
            <p>Haven has sent your school no breach notices.</p>
          ) : (
            list.map((notice) => <NoticeCard key={notice.id} schoolId={schoolId} notice={notice} />)
          )
        }
      </QueryView>
    </Page>
  );
}
