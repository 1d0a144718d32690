import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { Static } from 'typebox';
import type { ConsentDetails, RedirectResponse } from '../../../../src/modules/apps/apps.schema.ts';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, problemsFrom, SelectField, type FormProblem } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { SensitivityTag } from './scope-list.tsx';
import './apps.css';

type Details = Static<typeof ConsentDetails>;
type Redirect = Static<typeof RedirectResponse>;

function ConsentForm({ uid, details }: { uid: string; details: Details }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [schoolId, setSchoolId] = useState(details.schools[0]?.id ?? '');
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(details.scopes.filter((scope) => scope.required).map((scope) => scope.scope)),
  );
  const answer = useMutation({
    mutationFn: (decision: 'approve' | 'deny') =>
      api.post<Redirect>(`/oauth/interaction/${uid}/${decision}`, { schoolId, scopes: [...chosen] }),
    // Back to the app, with a code or with the school's refusal.
    onSuccess: (result) => window.location.assign(result.redirectTo),
    onError: (error) => setProblems(problemsFrom(error)),
  });
  const toggle = (scope: string) => {
    const next = new Set(chosen);
    if (next.has(scope)) {
      next.delete(scope);
    } else {
      next.add(scope);
    }
    setChosen(next);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    answer.mutate('approve');
  };
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary problems={problems} />
      {details.schools.length > 1 ? (
        <SelectField
          id="schoolId"
          label="For which school?"
          value={schoolId}
          onChange={(event) => setSchoolId(event.target.value)}
          options={details.schools.map((school) => ({ value: school.id, label: school.name }))}
        />
      ) : (
        <p>
          For <strong>{details.schools[0]?.name}</strong>.
        </p>
      )}
      <fieldset className="fieldset">
        <legend className="fieldset__legend">What the app asks to read</legend>
        <p className="hint">
          Required items are needed for the app to work: to refuse them, decline the whole request. Optional
          items start unticked.
        </p>
        <ul className="consent-scopes">
          {details.scopes.map((scope) => (
            <li
              key={scope.scope}
              className={
                scope.sensitivity === 'special_category' || scope.sensitivity === 'sensitive'
                  ? 'consent-scopes__item consent-scopes__item--sensitive'
                  : 'consent-scopes__item'
              }
            >
              <div className="checkbox">
                <input
                  id={`scope-${scope.scope}`}
                  type="checkbox"
                  checked={chosen.has(scope.scope)}
                  disabled={scope.required}
                  onChange={() => toggle(scope.scope)}
                  aria-describedby={`scope-${scope.scope}-hint`}
                />
                <label htmlFor={`scope-${scope.scope}`}>
                  {scope.title}{' '}
                  {scope.required ? (
                    <strong className="tag tag--grey">Required</strong>
                  ) : (
                    <span className="tag tag--grey">Optional</span>
                  )}{' '}
                  <SensitivityTag scope={scope} />
                </label>
                <div id={`scope-${scope.scope}-hint`} className="hint">
                  {scope.description}
                  <br />
                  The app says: “{scope.reason}”
                  {scope.why === undefined ? null : (
                    <>
                      <br />
                      <strong>Why this matters:</strong> {scope.why}
                    </>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="button-group">
        <Button busy={answer.isPending}>Approve</Button>
        <Button
          type="button"
          variant="secondary"
          busy={answer.isPending}
          onClick={() => answer.mutate('deny')}
        >
          Decline
        </Button>
      </div>
      <p className="hint">
        Approving is recorded in your school’s audit log and every school administrator is told. You can
        withdraw the app’s access at any time from the Apps page.
      </p>
    </form>
  );
}

/** The school's data access request page: what an app asks for, in plain words; approve or decline. */
export function ConsentPage() {
  const { uid = '' } = useParams();
  const details = useQuery({
    queryKey: ['consent', uid],
    queryFn: () => api.get<Details>(`/oauth/interaction/${uid}/details`),
    retry: false,
  });
  return (
    <QueryView query={details} what="the app’s request">
      {(request) => (
        <Page title={`${request.app.name} asks to read your school’s data`} caption="Data access request">
          <h2>What the app is for</h2>
          <p>{request.app.purpose}</p>
          <p>
            <a href={request.app.privacyNoticeUrl} rel="noopener noreferrer" target="_blank">
              Read the app’s privacy notice (opens in a new tab)
            </a>
          </p>
          {request.schools.length === 0 ? (
            <Notice tone="warning" title="You cannot approve apps">
              <p>
                Only a school administrator can approve an app for a school. Ask one of your school’s
                administrators.
              </p>
            </Notice>
          ) : (
            <ConsentForm uid={uid} details={request} />
          )}
        </Page>
      )}
    </QueryView>
  );
}
