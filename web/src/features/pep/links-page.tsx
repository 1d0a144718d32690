import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, formText, problemFor, type FormProblem } from '../../components/form.tsx';
import { formatDate, Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { PupilPicker } from '../privacy/pupil-picker.tsx';
import { linksKey, scopeKey, yearGroupName, type LinkRequestView, type Links, type Scope } from './api.ts';
import { ChildTable, problemsAt, useScope } from './parts.tsx';
import '../privacy/privacy.css';
import './pep.css';

/**
 * One child a virtual school asks the school to link to its record: agree (with the pupil whose UPN
 * matches, or one the designated teacher finds) or refuse.
 */
function LinkRequestCard({ request, scope }: { request: LinkRequestView; scope: Scope }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [confirmingRefusal, setConfirmingRefusal] = useState(false);
  const pickerId = `pupil-${request.childId}`;
  const done = async () => {
    setProblems([]);
    await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
  };
  const agree = useMutation({
    mutationFn: (pupilId: string) => api.post(`${scope.api}/links/${request.childId}/agree`, { pupilId }),
    onSuccess: done,
    onError: (error) => setProblems(problemsAt(error, { pupilId: 'The pupil' })),
  });
  const refuse = useMutation({
    mutationFn: () => api.post(`${scope.api}/links/${request.childId}/refuse`),
    onSuccess: done,
    onError: (error) => setProblems(problemsAt(error, {})),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const pupilId = request.suggestedPupilId ?? formText(new FormData(event.currentTarget), 'pupilId');
    if (pupilId === '') {
      setProblems([{ field: pickerId, message: 'Find and choose the pupil who is this child' }]);
      return;
    }
    agree.mutate(pupilId);
  };
  const titleId = `link-${request.childId}-title`;
  return (
    <section className="card support-grant" aria-labelledby={titleId}>
      <h3 id={titleId}>{request.name}</h3>
      <dl className="summary-list">
        <div>
          <dt>Virtual school</dt>
          <dd>{request.authority.name}</dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{formatDate(request.dob)}</dd>
        </div>
        <div>
          <dt>UPN</dt>
          <dd>{request.upn ?? 'Not given'}</dd>
        </div>
        <div>
          <dt>Year group</dt>
          <dd>{yearGroupName(request.yearGroup)}</dd>
        </div>
      </dl>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate aria-label={`Agree the link for ${request.name}`}>
        {request.suggestedPupilId === null ? (
          <PupilPicker
            schoolId={scope.orgId}
            id={pickerId}
            name="pupilId"
            error={problemFor(problems, pickerId)}
          />
        ) : (
          <p>Your school has a pupil with this UPN: agreeing links the child to that pupil’s record.</p>
        )}
        <p className="hint">
          Agreeing lets the virtual school see this pupil’s year group, SEN status, KS2 scores and latest
          grades and targets, and nothing else of your school. Attendance goes into the PEP itself.
        </p>
        {confirmingRefusal ? (
          <fieldset className="confirm-refusal">
            <legend>Confirm the refusal</legend>
            <p>
              Refuse only if this child is not your pupil. The virtual school is told and must name the
              child’s school again.
            </p>
            <div className="button-group">
              <Button type="button" variant="warning" busy={refuse.isPending} onClick={() => refuse.mutate()}>
                Yes, refuse the link
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirmingRefusal(false)}>
                Cancel
              </Button>
            </div>
          </fieldset>
        ) : (
          <div className="button-group">
            <Button busy={agree.isPending}>Agree the link</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirmingRefusal(true)}>
              Refuse: not our pupil
            </Button>
          </div>
        )}
      </form>
    </section>
  );
}

/** The designated teacher's PEP page: link requests from virtual schools, and the children linked here. */
export function SchoolPepPage() {
  const scope = useScope();
  const school = useSchool();
  const links = useQuery({
    queryKey: linksKey(scope),
    queryFn: () => api.get<Links>(`${scope.api}/links`),
  });
  return (
    <Page title="Personal Education Plans" caption={school.name}>
      <QueryView query={links} what="the looked-after children">
        {(data) => (
          <>
            <section aria-labelledby="requests-title">
              <h2 id="requests-title">Link requests</h2>
              {data.waiting.length === 0 ? (
                <p>No virtual school is waiting for your answer.</p>
              ) : (
                <>
                  <Notice tone="warning">
                    <p>
                      {data.waiting.length} virtual school request
                      {data.waiting.length === 1 ? ' is' : 's are'} waiting for you to agree or refuse.
                    </p>
                  </Notice>
                  {data.waiting.map((request) => (
                    <LinkRequestCard key={request.childId} request={request} scope={scope} />
                  ))}
                </>
              )}
            </section>
            <section aria-labelledby="linked-title">
              <h2 id="linked-title">Looked-after children at your school</h2>
              {data.linked.length === 0 ? (
                <p>No looked-after child is linked to your school yet.</p>
              ) : (
                <ChildTable
                  scope={scope}
                  rows={data.linked}
                  showSchool={false}
                  caption={`Looked-after children linked to ${school.name} (${data.linked.length})`}
                />
              )}
            </section>
          </>
        )}
      </QueryView>
    </Page>
  );
}
