import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Static } from 'typebox';
import type { AuthorisationView } from '../../../../src/modules/apps/apps.schema.ts';
import { api } from '../../api/client.ts';
import { formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { ScopeList } from './scope-list.tsx';
import './apps.css';

type Authorisation = Static<typeof AuthorisationView>;

function AppCard({ schoolId, authorisation }: { schoolId: string; authorisation: Authorisation }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.delete(`/api/v1/schools/${schoolId}/apps/${authorisation.id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['school-apps', schoolId] }),
  });
  const { app } = authorisation;
  return (
    <li className="card">
      <h2 className="card__link">{app.name}</h2>
      <p>{app.purpose}</p>
      <dl className="summary-list">
        <div>
          <dt>Approved</dt>
          <dd>{formatDateTime(authorisation.approvedAt)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>
            {authorisation.lastAccessAt === null ? 'Not yet' : formatDateTime(authorisation.lastAccessAt)}
          </dd>
        </div>
        <div>
          <dt>Requests so far</dt>
          <dd>{authorisation.requestCount}</dd>
        </div>
        <div>
          <dt>Privacy notice</dt>
          <dd>
            <a href={app.privacyNoticeUrl} rel="noopener noreferrer" target="_blank">
              {app.name}’s privacy notice (opens in a new tab)
            </a>
          </dd>
        </div>
      </dl>
      <h3>It may read</h3>
      <ScopeList scopes={authorisation.scopes} />
      {revoke.isError ? <ErrorNotice error={revoke.error} title="Access could not be withdrawn" /> : null}
      {confirming ? (
        <div className="notice notice--warning" role="alert">
          <p>
            Withdraw {app.name}’s access? It stops working for your school at once, and would need approving
            again.
          </p>
          <div className="button-group">
            <button
              type="button"
              className="button button--warning"
              onClick={() => revoke.mutate()}
              disabled={revoke.isPending}
            >
              Yes, withdraw access
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button--warning" onClick={() => setConfirming(true)}>
          Withdraw access<span className="visually-hidden"> for {app.name}</span>
        </button>
      )}
    </li>
  );
}

/** The apps the school authorised, what each may read, how much it reads, and withdrawal. */
export function SchoolAppsPage() {
  const school = useSchool();
  const apps = useQuery({
    queryKey: ['school-apps', school.id],
    queryFn: () => api.get<Authorisation[]>(`/api/v1/schools/${school.id}/apps`),
  });
  return (
    <Page title="Apps" caption={school.name}>
      <p>
        Apps read only what your school approved, only while the approval stands. Approvals happen when an app
        sends you to Haven’s data access request page.
      </p>
      <QueryView query={apps} what="apps">
        {(list) =>
          list.length === 0 ? (
            <Notice>
              <p>No app has access to your school’s data.</p>
            </Notice>
          ) : (
            <ul className="card-list card-list--wide">
              {list.map((authorisation) => (
                <AppCard key={authorisation.id} schoolId={school.id} authorisation={authorisation} />
              ))}
            </ul>
          )
        }
      </QueryView>
    </Page>
  );
}
