import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { DeveloperApplicationView, PlatformAppView } from '../../../../src/modules/apps/apps.schema.ts';
import { api } from '../../api/client.ts';
import { formatDate } from '../../components/page.tsx';
import { ErrorNotice, QueryView } from '../../components/status.tsx';

type Application = Static<typeof DeveloperApplicationView>;
type PlatformApp = Static<typeof PlatformAppView>;

const STATUS: Record<string, string> = { pending: 'Waiting', approved: 'Approved', refused: 'Refused' };

/** App developers who asked to join, and every app with the switch that stops it. */
export function DevelopersSection() {
  const queryClient = useQueryClient();
  const applications = useQuery({
    queryKey: ['platform', 'developer-applications'],
    queryFn: () => api.get<Application[]>('/api/v1/platform/developer-applications'),
  });
  const apps = useQuery({
    queryKey: ['platform', 'apps'],
    queryFn: () => api.get<PlatformApp[]>('/api/v1/platform/apps'),
  });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      api.post(`/api/v1/platform/developer-applications/${id}/decision`, { approve }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform', 'developer-applications'] }),
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: string }) =>
      api.put(`/api/v1/platform/apps/${id}/status`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform', 'apps'] }),
  });
  return (
    <section aria-labelledby="developers-title">
      <h2 id="developers-title">App developers</h2>
      {decide.isError ? <ErrorNotice error={decide.error} title="The decision was not recorded" /> : null}
      <QueryView query={applications} what="applications">
        {(list) =>
          list.length === 0 ? (
            <p>No one has asked to build apps yet.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>Applications to build apps</caption>
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">What they want to build</th>
                    <th scope="col">Asked</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((application) => (
                    <tr key={application.id}>
                      <td>
                        {application.email}
                        <br />
                        {application.organisation}
                      </td>
                      <td>{application.reason}</td>
                      <td>{formatDate(application.createdAt)}</td>
                      <td>
                        {application.status === 'pending' ? (
                          <div className="button-group">
                            <button
                              type="button"
                              className="button button--primary button--small"
                              disabled={decide.isPending}
                              onClick={() => decide.mutate({ id: application.id, approve: true })}
                            >
                              Approve<span className="visually-hidden"> {application.email}</span>
                            </button>{' '}
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              disabled={decide.isPending}
                              onClick={() => decide.mutate({ id: application.id, approve: false })}
                            >
                              Refuse<span className="visually-hidden"> {application.email}</span>
                            </button>
                          </div>
                        ) : (
                          (STATUS[application.status] ?? application.status)
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <h2>Apps</h2>
      {setStatus.isError ? <ErrorNotice error={setStatus.error} title="The app was not changed" /> : null}
      <QueryView query={apps} what="apps">
        {(list) =>
          list.length === 0 ? (
            <p>No app is registered yet.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>Registered apps</caption>
                <thead>
                  <tr>
                    <th scope="col">App</th>
                    <th scope="col">Client ID</th>
                    <th scope="col">Registered</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((app) => (
                    <tr key={app.id}>
                      <td>{app.name}</td>
                      <td>
                        <code>{app.clientId}</code>
                      </td>
                      <td>{formatDate(app.createdAt)}</td>
                      <td>
                        {app.status === 'active' ? 'Active' : 'Disabled'}{' '}
                        <button
                          type="button"
                          className="button--link"
                          disabled={setStatus.isPending}
                          onClick={() =>
                            setStatus.mutate({
                              id: app.id,
                              status: app.status === 'active' ? 'disabled' : 'active',
                            })
                          }
                        >
                          {app.status === 'active' ? 'Disable' : 'Enable'}
                          <span className="visually-hidden"> {app.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
