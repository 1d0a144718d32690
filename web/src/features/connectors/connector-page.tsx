import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, problemsFrom, type FormProblem } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { longDate } from '../privacy/api.ts';
import {
  connectorKey,
  connectorPath,
  KIND_NAMES,
  type Connector,
  type ConnectorPageData,
  type CreatedConnector,
} from './api.ts';
import { SetupForm } from './setup-form.tsx';
import { SyncHistory } from './sync-history.tsx';

/** The token, shown once after setting up or reconnecting. */
function TokenNotice({ token }: { token: string }) {
  return (
    <Notice title="Your connector token" tone="success">
      <p>
        Copy it now into your upload agent: Haven keeps only a fingerprint of it and cannot show it again.
      </p>
      <p>
        <code className="token">{token}</code>
      </p>
    </Notice>
  );
}

function ConnectorSummary({
  connector,
  schoolId,
  onToken,
}: {
  connector: Connector;
  schoolId: string;
  onToken: (token: string) => void;
}) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: connectorKey(schoolId) });
  const fail = (error: unknown) => setProblems(problemsFrom(error));
  const sync = useMutation({
    mutationFn: () => api.post(`${connectorPath(schoolId)}/sync`),
    onSuccess: refresh,
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: () => api.post(`${connectorPath(schoolId)}/disconnect`),
    onSuccess: refresh,
    onError: fail,
  });
  const back = useMutation({
    mutationFn: () => api.post<CreatedConnector>(`${connectorPath(schoolId)}/reconnect`),
    onSuccess: async (created) => {
      onToken(created.token);
      await refresh();
    },
    onError: fail,
  });
  return (
    <section aria-labelledby="connector-title">
      <h2 id="connector-title">{KIND_NAMES[connector.kind] ?? connector.kind}</h2>
      <ErrorSummary problems={problems} />
      <dl className="summary-list">
        <div>
          <dt>Syncs</dt>
          <dd>{connector.categories.join(', ')}</dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>
            <code>{connector.schedule}</code> (England time)
          </dd>
        </div>
        {connector.dropFolder === null ? null : (
          <div>
            <dt>Drop folder</dt>
            <dd>
              <code>{connector.dropFolder}</code>
            </dd>
          </div>
        )}
      </dl>
      {connector.status === 'active' ? (
        <>
          <Button type="button" busy={sync.isPending} onClick={() => sync.mutate()}>
            Sync now
          </Button>
          <h3>Remove the connector</h3>
          <p>
            Syncs stop and the connector token stops working at once. The pupils it synced are deleted after 5
            working days, unless you reconnect before then.
          </p>
          <Button type="button" variant="warning" busy={remove.isPending} onClick={() => remove.mutate()}>
            Remove the connector
          </Button>
        </>
      ) : (
        <>
          <Notice title="Connector removed" tone="warning">
            <p>
              The pupils it synced will be deleted on <strong>{longDate(connector.deletionDueOn)}</strong>.
              Reconnect before then to keep them.
            </p>
          </Notice>
          <Button type="button" busy={back.isPending} onClick={() => back.mutate()}>
            Reconnect and keep our data
          </Button>
        </>
      )}
    </section>
  );
}

/** The school's MIS connector: set it up, watch its syncs, sync now, remove or reconnect it. */
export function ConnectorPage() {
  const school = useSchool();
  const [token, setToken] = useState<string | undefined>();
  const page = useQuery({
    queryKey: connectorKey(school.id),
    queryFn: () => api.get<ConnectorPageData>(connectorPath(school.id)),
  });
  return (
    <Page title="MIS connector" caption={school.name}>
      <p className="lead">
        Haven keeps your pupils and classes up to date from your MIS: through its scheduled exports, or its
        OneRoster API. Every sync is checked like an import and applied whole or not at all.
      </p>
      {token === undefined ? null : <TokenNotice token={token} />}
      <QueryView query={page} what="the connector">
        {(found) =>
          found.connector === null ? (
            <SetupForm schoolId={school.id} categories={found.categories} onCreated={setToken} />
          ) : (
            <>
              <ConnectorSummary connector={found.connector} schoolId={school.id} onToken={setToken} />
              <SyncHistory syncs={found.connector.syncs} />
            </>
          )
        }
      </QueryView>
    </Page>
  );
}
