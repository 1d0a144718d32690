import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { SessionList } from '../../api/types.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, QueryView } from '../../components/status.tsx';

const SESSIONS_KEY = ['sessions'];

export function SessionsPage() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: () => api.get<SessionList>('/api/v1/auth/sessions'),
  });
  const end = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/auth/sessions/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
  return (
    <Page title="Where you are signed in">
      <p>
        Each row is a browser where your account is signed in. If you do not recognise one, end it and change
        your password.
      </p>
      {end.isError ? <ErrorNotice error={end.error} title="The session could not be ended" /> : null}
      <QueryView query={sessions} what="your sessions">
        {(list) => (
          <table className="table">
            <caption className="visually-hidden">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">Ends at the latest</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((session) => (
                <tr key={session.id}>
                  <td>{formatDateTime(session.createdAt)}</td>
                  <td>{formatDateTime(session.lastSeenAt)}</td>
                  <td>{formatDateTime(session.expiresAt)}</td>
                  <td>
                    {session.current ? (
                      <strong className="tag">This browser</strong>
                    ) : (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => end.mutate(session.id)}
                        disabled={end.isPending}
                      >
                        End session
                        <span className="visually-hidden">
                          {' '}
                          signed in {formatDateTime(session.createdAt)}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </Page>
  );
}
