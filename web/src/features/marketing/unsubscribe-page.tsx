import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { UnsubscribeResult, UnsubscribeView } from '../../../../src/modules/privacy/marketing.schema.ts';
import { api, withQuery } from '../../api/client.ts';
import { Button, ErrorSummary, formText, type FormProblem } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Loading, Notice } from '../../components/status.tsx';
import './marketing.css';

type View = Static<typeof UnsubscribeView>;
type Result = Static<typeof UnsubscribeResult>;

/** Links carry their token in the fragment (#token=…), which browsers never send to any server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

function BrokenLink({ message }: { message?: string }) {
  return (
    <Page title="This link does not work">
      <p>
        {message ??
          'Open the unsubscribe link from one of our e-mails. If you have unsubscribed from everything already, your details are deleted and there is nothing more to do.'}
      </p>
    </Page>
  );
}

function Choices({ view, onDone }: { view: View; onDone: (result: Result) => void }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [token] = useState(tokenFromFragment);
  const first = view.subscriptions[0]?.purpose ?? 'all';
  const stop = useMutation({
    mutationFn: (purpose: string) => api.post<Result>('/api/v1/marketing/unsubscribe', { token, purpose }),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const purpose = formText(new FormData(event.currentTarget), 'purpose');
    if (purpose === '') {
      setProblems([{ field: `stop-${first}`, message: 'Choose what to stop' }]);
      return;
    }
    setProblems([]);
    stop.mutate(purpose);
  };
  return (
    <>
      <ErrorSummary problems={problems} />
      {stop.isError ? <ErrorNotice error={stop.error} title="Nothing was changed" /> : null}
      <p>
        You opened this link from an e-mail about: <strong>{view.title}</strong>
      </p>
      <form onSubmit={submit} noValidate>
        <fieldset className="marketing-fieldset">
          <legend className="marketing-fieldset__legend">What would you like to stop?</legend>
          {problems.length === 0 ? null : (
            <p className="field-error">
              <span className="visually-hidden">Error:</span> Choose what to stop
            </p>
          )}
          {view.subscriptions.map((subscription) => (
            <div className="marketing-choice" key={subscription.purpose}>
              <input
                type="radio"
                id={`stop-${subscription.purpose}`}
                name="purpose"
                value={subscription.purpose}
              />
              <label htmlFor={`stop-${subscription.purpose}`}>{subscription.title} only</label>
            </div>
          ))}
          <div className="marketing-choice">
            <input type="radio" id="stop-all" name="purpose" value="all" aria-describedby="stop-all-hint" />
            <label htmlFor="stop-all">Everything: delete my details</label>
            <div id="stop-all-hint" className="hint">
              We delete your name, address and consents, and keep only a coded fingerprint of the address so
              that we never e-mail it again.
            </div>
          </div>
        </fieldset>
        <Button busy={stop.isPending}>Unsubscribe</Button>
      </form>
    </>
  );
}

/** Public: the page behind every marketing e-mail's unsubscribe link. */
export function UnsubscribePage() {
  const [token] = useState(tokenFromFragment);
  const [result, setResult] = useState<Result | undefined>();
  const queryClient = useQueryClient();
  const view = useQuery({
    queryKey: ['unsubscribe', token],
    queryFn: () => api.get<View>(withQuery('/api/v1/marketing/unsubscribe', { token })),
    enabled: token !== '' && result === undefined,
    retry: false,
  });
  if (result !== undefined) {
    return (
      <Page title="You are unsubscribed">
        <Notice tone="success">
          <p>{result.message}</p>
        </Notice>
        {result.subscriptions.length === 0 ? null : (
          <>
            <p>You still get e-mails about:</p>
            <ul>
              {result.subscriptions.map((subscription) => (
                <li key={subscription.purpose}>{subscription.title}</li>
              ))}
            </ul>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setResult(undefined);
                void queryClient.invalidateQueries({ queryKey: ['unsubscribe', token] });
              }}
            >
              Stop something else
            </button>
          </>
        )}
      </Page>
    );
  }
  if (token === '') {
    return <BrokenLink />;
  }
  if (view.isError) {
    return <BrokenLink message={view.error.message} />;
  }
  if (view.data === undefined) {
    return (
      <Page title="Unsubscribe">
        <Loading what="your subscriptions" />
      </Page>
    );
  }
  return (
    <Page title="Unsubscribe">
      <Choices view={view.data} onDone={setResult} />
    </Page>
  );
}
