import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { AppWithSecret, DeveloperAppView } from '../../../../src/modules/apps/apps.schema.ts';
import { api } from '../../api/client.ts';
import {
  Button,
  Checkbox,
  ErrorSummary,
  formText,
  TextArea,
  problemFor,
  problemsFrom,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import type { Scope } from './scope-list.tsx';
import { SensitivityTag } from './scope-list.tsx';
import './apps.css';

type RegisteredApp = Static<typeof DeveloperAppView>;
type Created = Static<typeof AppWithSecret>;

function SecretOnce({ clientId, secret }: { clientId: string; secret: string }) {
  return (
    <div className="secret-box">
      <h2>Copy the client secret now</h2>
      <p>Haven keeps only a fingerprint of it: it cannot be shown again. If it is lost, make a new one.</p>
      <p>
        Client ID: <code>{clientId}</code>
      </p>
      <p>
        Client secret: <code className="secret">{secret}</code>
      </p>
    </div>
  );
}

function AppSummary({ app }: { app: RegisteredApp }) {
  const [secret, setSecret] = useState<string>();
  const rotate = useMutation({
    mutationFn: () => api.post<{ clientSecret: string }>(`/api/v1/developer/apps/${app.id}/secret`),
    onSuccess: (result) => setSecret(result.clientSecret),
  });
  return (
    <li className="card">
      <h3 className="card__link">{app.name}</h3>
      <dl className="summary-list">
        <div>
          <dt>Client ID</dt>
          <dd>
            <code>{app.clientId}</code>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{app.status === 'active' ? 'Active' : 'Disabled by the platform'}</dd>
        </div>
        <div>
          <dt>Redirect addresses</dt>
          <dd>
            <ul className="plain-list">
              {app.redirectUris.map((uri) => (
                <li key={uri}>
                  <code>{uri}</code>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Scopes</dt>
          <dd>
            <ul className="plain-list">
              {app.scopes.map((scope) => (
                <li key={scope.scope}>
                  <code>{scope.scope}</code> ({scope.required ? 'required' : 'optional'}): {scope.reason}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>Use</dt>
          <dd>
            Authorised by {app.usage.schools} school{app.usage.schools === 1 ? '' : 's'}; {app.usage.requests}{' '}
            request
            {app.usage.requests === 1 ? '' : 's'}
            {app.usage.lastAccessAt === null ? '' : `, the last ${formatDateTime(app.usage.lastAccessAt)}`}
          </dd>
        </div>
        <div>
          <dt>Terms accepted</dt>
          <dd>
            Version {app.termsVersion}, {formatDateTime(app.termsAcceptedAt)}
          </dd>
        </div>
        <div>
          <dt>Secret last changed</dt>
          <dd>{formatDateTime(app.secretRotatedAt)}</dd>
        </div>
      </dl>
      {secret === undefined ? null : <SecretOnce clientId={app.clientId} secret={secret} />}
      {rotate.isError ? <ErrorNotice error={rotate.error} /> : null}
      <Button type="button" variant="secondary" busy={rotate.isPending} onClick={() => rotate.mutate()}>
        Make a new client secret<span className="visually-hidden"> for {app.name}</span>
      </Button>
    </li>
  );
}

const LABELS = {
  name: 'App name',
  purpose: 'What the app does with the data',
  privacyNoticeUrl: 'Privacy notice address',
  redirectUris: 'Redirect addresses',
  scopes: 'Scopes',
  acceptTerms: 'The developer terms',
};

function RegisterApp({ scopes }: { scopes: readonly Scope[] }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const register = useMutation({
    mutationFn: (body: unknown) => api.post<Created>('/api/v1/developer/apps', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['developer-apps'] }),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const requested = scopes.flatMap((scope) =>
      data.get(`ask-${scope.scope}`) === 'on'
        ? [
            {
              scope: scope.scope,
              required: data.get(`required-${scope.scope}`) === 'on',
              reason: formText(data, `reason-${scope.scope}`).trim(),
            },
          ]
        : [],
    );
    setProblems([]);
    register.mutate({
      name: formText(data, 'name').trim(),
      purpose: formText(data, 'purpose').trim(),
      privacyNoticeUrl: formText(data, 'privacyNoticeUrl').trim(),
      redirectUris: formText(data, 'redirectUris')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      scopes: requested,
      acceptTerms: data.get('acceptTerms') === 'on',
    });
  };
  if (register.isSuccess) {
    return (
      <>
        <Notice tone="success" title={`${register.data.app.name} is registered`}>
          <p>Schools can now approve it when it sends them to Haven.</p>
        </Notice>
        <SecretOnce clientId={register.data.app.clientId} secret={register.data.clientSecret} />
      </>
    );
  }
  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">Register an app</h2>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField id="name" label="App name" error={problemFor(problems, 'name')} />
        <TextArea
          id="purpose"
          label="What the app does with the data"
          hint="Schools read this before they approve. Say it plainly, in a sentence or two."
          error={problemFor(problems, 'purpose')}
        />
        <TextField
          id="privacyNoticeUrl"
          label="Privacy notice address"
          type="url"
          error={problemFor(problems, 'privacyNoticeUrl')}
        />
        <TextArea
          id="redirectUris"
          label="Redirect addresses"
          rows={2}
          hint="One per line. https:// only (http:// is allowed for localhost while developing)."
          error={problemFor(problems, 'redirectUris')}
        />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">What the app asks for</legend>
          <p className="hint">Ask for as little as the app needs. Schools see each reason you give.</p>
          <ul className="consent-scopes">
            {scopes.map((scope) => (
              <li key={scope.scope} className="consent-scopes__item">
                <Checkbox
                  name={`ask-${scope.scope}`}
                  label={`${scope.title} (${scope.scope})`}
                  hint={scope.description}
                />
                <SensitivityTag scope={scope} />
                <Checkbox
                  name={`required-${scope.scope}`}
                  label="The app cannot work without it (required)"
                />
                <TextField
                  id={`reason-${scope.scope}`}
                  label={`Why the app needs ${scope.title.toLowerCase()}`}
                />
              </li>
            ))}
          </ul>
        </fieldset>
        <Checkbox
          name="acceptTerms"
          label="I accept the Haven developer terms"
          hint="Use the data only for the purpose above, keep it secure, delete it when a school withdraws access, and never sell it."
        />
        <Button busy={register.isPending}>Register the app</Button>
      </form>
    </section>
  );
}

/** The app developer's home: their apps, secrets, and registering a new one. */
export function DeveloperPage() {
  const apps = useQuery({
    queryKey: ['developer-apps'],
    queryFn: () => api.get<RegisteredApp[]>('/api/v1/developer/apps'),
  });
  const scopes = useQuery({
    queryKey: ['app-scopes'],
    queryFn: () => api.get<Scope[]>('/api/v1/app-scopes'),
  });
  return (
    <Page title="Your apps">
      <p>Apps you register here can ask schools for access. You never see any school’s data here.</p>
      <QueryView query={apps} what="your apps">
        {(list) =>
          list.length === 0 ? (
            <p>You have not registered an app yet.</p>
          ) : (
            <ul className="card-list card-list--wide">
              {list.map((app) => (
                <AppSummary key={app.id} app={app} />
              ))}
            </ul>
          )
        }
      </QueryView>
      <QueryView query={scopes} what="the scope catalogue">
        {(catalogue) => <RegisterApp scopes={catalogue} />}
      </QueryView>
    </Page>
  );
}
