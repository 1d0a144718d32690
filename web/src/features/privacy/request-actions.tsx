import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { ErrorNotice, QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';
import {
  choice,
  downloadBundle,
  IDENTITY_NAMES,
  optionsOf,
  privacyPath,
  problemsByPath,
  requestKey,
  requestPath,
  useStep,
  type Assignees,
  type Details,
  type ErasureImpact,
} from './api.ts';
import { RecordCounts } from './certificate-parts.tsx';
import { PupilPicker } from './pupil-picker.tsx';
import { StaffLinkedLater, StaffPicker } from './staff-picker.tsx';

type Done = (message: string) => void;
interface PanelProps {
  request: Details;
  schoolId: string;
  onDone: Done;
}

/** What a form read: the body to send, or the problems to show. */
type Read<B> = { body: B; problems?: undefined } | { body?: undefined; problems: FormProblem[] };

/**
 * One action on a request as a small form: its own error summary, checked before sending, the server's
 * field errors mapped back onto its fields, and the request updated in place when it works.
 */
function StepPanel<B>({
  request,
  schoolId,
  onDone,
  path,
  title,
  intro,
  submit,
  done,
  variant = 'primary',
  serverFields = {},
  read,
  children,
}: PanelProps & {
  path: string;
  title: string;
  intro?: ReactNode;
  submit: string;
  done: string;
  variant?: 'primary' | 'secondary' | 'warning';
  serverFields?: Record<string, { id: string; label: string }>;
  read: (data: FormData) => Read<B>;
  children?: (problems: FormProblem[]) => ReactNode;
}) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const step = useStep<B>(schoolId, request.id, path);
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const outcome = read(new FormData(form));
    if (outcome.problems !== undefined) {
      setProblems(outcome.problems);
      return;
    }
    setProblems([]);
    step.mutate(outcome.body, {
      onSuccess: () => {
        form.reset();
        onDone(done);
      },
      onError: (error) => setProblems(problemsByPath(error, serverFields)),
    });
  };
  const titleId = `${path}-title`;
  return (
    <section className="action-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      {intro}
      <ErrorSummary problems={problems} />
      <form onSubmit={send} noValidate>
        {children?.(problems)}
        <Button variant={variant} busy={step.isPending}>
          {submit}
        </Button>
      </form>
    </section>
  );
}

const optionalNote = (data: FormData, name: string) => {
  const note = formText(data, name).trim();
  return note === '' ? {} : { note };
};

function required(data: FormData, name: string, message: string): Read<string> {
  const value = formText(data, name).trim();
  return value === '' ? { problems: [{ field: name, message }] } : { body: value };
}

function NoteField({ id, label, problems }: { id: string; label: string; problems: FormProblem[] }) {
  return <TextArea id={id} label={label} error={problemFor(problems, id)} />;
}

function Radios({
  name,
  legend,
  options,
  defaultValue,
}: {
  name: string;
  legend: string;
  options: ReadonlyArray<{ value: string; label: string; hint?: string }>;
  defaultValue: string;
}) {
  return (
    <fieldset className="fieldset" id={name}>
      <legend className="label">{legend}</legend>
      {options.map((option) => (
        <div className="radio" key={option.value}>
          <input
            type="radio"
            id={`${name}-${option.value}`}
            name={name}
            value={option.value}
            defaultChecked={option.value === defaultValue}
          />
          <label htmlFor={`${name}-${option.value}`}>
            {option.label}
            {option.hint === undefined ? null : <span className="hint"> {option.hint}</span>}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

function Pause(props: PanelProps) {
  return (
    <StepPanel<{ reason: 'identity' | 'clarification'; note?: string }>
      {...props}
      path="pause"
      title="Stop the clock"
      intro={
        <p>
          While you wait for proof of identity, or for the requester to say what they want, the days do not
          count.
        </p>
      }
      submit="Stop the clock"
      done="The clock has been stopped."
      variant="secondary"
      serverFields={{ note: { id: 'pause-note', label: 'Note' } }}
      read={(data) => ({
        body: {
          reason: formText(data, 'pause-reason') === 'clarification' ? 'clarification' : 'identity',
          ...optionalNote(data, 'pause-note'),
        },
      })}
    >
      {(problems) => (
        <>
          <Radios
            name="pause-reason"
            legend="Why"
            defaultValue="identity"
            options={[
              { value: 'identity', label: 'Waiting for proof of identity' },
              { value: 'clarification', label: 'Waiting for the requester to clarify the request' },
            ]}
          />
          <NoteField id="pause-note" label="Note (optional)" problems={problems} />
        </>
      )}
    </StepPanel>
  );
}

function Resume(props: PanelProps) {
  return (
    <StepPanel<{ note?: string }>
      {...props}
      path="resume"
      title="Restart the clock"
      intro={
        <p>Restart it when you have what you were waiting for; the deadline moves on by the days stopped.</p>
      }
      submit="Restart the clock"
      done="The clock has been restarted."
      serverFields={{ note: { id: 'resume-note', label: 'Note' } }}
      read={(data) => ({ body: optionalNote(data, 'resume-note') })}
    >
      {(problems) => <NoteField id="resume-note" label="Note (optional)" problems={problems} />}
    </StepPanel>
  );
}

function Identity(props: PanelProps) {
  return (
    <StepPanel<{ status: Details['identityStatus']; note?: string }>
      {...props}
      path="identity"
      title="Record the identity check"
      intro={<p>Nothing is released or erased until the requester’s identity is confirmed, or not needed.</p>}
      submit="Record the identity check"
      done="The identity check has been recorded."
      serverFields={{ note: { id: 'identity-note', label: 'Note' } }}
      read={(data) => ({
        body: {
          status: choice(IDENTITY_NAMES, formText(data, 'identity-status'), 'not_checked'),
          ...optionalNote(data, 'identity-note'),
        },
      })}
    >
      {(problems) => (
        <>
          <SelectField
            id="identity-status"
            label="Identity"
            defaultValue={
              props.request.identityStatus === 'not_checked' ? 'verified' : props.request.identityStatus
            }
            options={optionsOf(IDENTITY_NAMES)}
          />
          <NoteField id="identity-note" label="How it was checked (optional)" problems={problems} />
        </>
      )}
    </StepPanel>
  );
}

function Extend(props: PanelProps) {
  return (
    <StepPanel<{ months: number; reason: string }>
      {...props}
      path="extend"
      title="Extend the deadline"
      intro={
        <p>
          A complex request, or many from the same person, may take up to two further months. Decide within
          the first month and tell the requester why.
        </p>
      }
      submit="Extend the deadline"
      done="The deadline has been extended."
      variant="secondary"
      serverFields={{ reason: { id: 'extend-reason', label: 'Reason' } }}
      read={(data) => {
        const reason = required(data, 'extend-reason', 'Enter why the request needs more time');
        return reason.problems === undefined
          ? { body: { months: formText(data, 'extend-months') === '2' ? 2 : 1, reason: reason.body } }
          : reason;
      }}
    >
      {(problems) => (
        <>
          <SelectField
            id="extend-months"
            label="Further months in all"
            options={[
              { value: '1', label: 'One more month' },
              { value: '2', label: 'Two more months' },
            ]}
          />
          <NoteField id="extend-reason" label="Reason" problems={problems} />
        </>
      )}
    </StepPanel>
  );
}

function Assign(props: PanelProps) {
  const assignees = useQuery({
    queryKey: ['privacy-assignees', props.schoolId],
    queryFn: () => api.get<Assignees>(`${privacyPath(props.schoolId)}/assignees`),
  });
  return (
    <QueryView query={assignees} what="colleagues to assign">
      {(list) => (
        <StepPanel<{ assigneeId: string | null }>
          {...props}
          path="assign"
          title="Assign the request"
          submit="Assign"
          done="The request has been assigned."
          variant="secondary"
          read={(data) => {
            const chosen = formText(data, 'assignee');
            return { body: { assigneeId: chosen === '' ? null : chosen } };
          }}
        >
          {() => (
            <SelectField
              id="assignee"
              label="Who handles it"
              defaultValue={props.request.assigneeId ?? ''}
              options={[
                { value: '', label: 'Nobody' },
                ...list.assignees.map((person) => ({ value: person.userId, label: person.email })),
              ]}
            />
          )}
        </StepPanel>
      )}
    </QueryView>
  );
}

function LinkPupil(props: PanelProps) {
  return (
    <StepPanel<{ subjectId: string }>
      {...props}
      path="subject"
      title={props.request.subjectId === null ? 'Link the pupil' : 'Link a different pupil'}
      intro={<p>The pupil whose data the request is about.</p>}
      submit="Link this pupil"
      done="The pupil has been linked to the request."
      variant={props.request.subjectId === null ? 'primary' : 'secondary'}
      read={(data) => {
        const subjectId = formText(data, 'link-subject');
        return subjectId === ''
          ? { problems: [{ field: 'link-query', message: 'Search for the pupil and choose them' }] }
          : { body: { subjectId } };
      }}
    >
      {(problems) => (
        <PupilPicker
          schoolId={props.schoolId}
          id="link-query"
          name="link-subject"
          error={problemFor(problems, 'link-query')}
        />
      )}
    </StepPanel>
  );
}

function LinkStaff(props: PanelProps) {
  const school = useSchool();
  const linked = props.request.subjectId !== null;
  if (!can(school, 'users.manage')) {
    return (
      <section className="action-panel" aria-labelledby="subject-title">
        <h3 id="subject-title">{linked ? 'Link a different member of staff' : 'Link the member of staff'}</h3>
        <StaffLinkedLater id="link-staff" />
      </section>
    );
  }
  return (
    <StepPanel<{ subjectId: string }>
      {...props}
      path="subject"
      title={linked ? 'Link a different member of staff' : 'Link the member of staff'}
      intro={<p>The member of staff whose data the request is about.</p>}
      submit="Link this member of staff"
      done="The member of staff has been linked to the request."
      variant={linked ? 'secondary' : 'primary'}
      serverFields={{ subjectId: { id: 'link-staff', label: 'The member of staff' } }}
      read={(data) => {
        const subjectId = formText(data, 'link-subject');
        return subjectId === ''
          ? { problems: [{ field: 'link-staff', message: 'Choose the member of staff' }] }
          : { body: { subjectId } };
      }}
    >
      {(problems) => (
        <StaffPicker
          school={school}
          id="link-staff"
          name="link-subject"
          error={problemFor(problems, 'link-staff')}
        />
      )}
    </StepPanel>
  );
}

/** Linking the subject: the pupil search for a pupil, the staff select for a member of staff. */
function LinkSubject(props: PanelProps) {
  return props.request.subjectType === 'staff' ? <LinkStaff {...props} /> : <LinkPupil {...props} />;
}

function Export({ request, schoolId, onDone }: PanelProps) {
  const queryClient = useQueryClient();
  const download = useMutation({
    mutationFn: () => downloadBundle(schoolId, request.id),
    // The download is written to the request's history: read it again.
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestKey(schoolId, request.id) }),
    onSuccess: (name) =>
      onDone(`The data has been downloaded as ${name}. Send it to the requester securely.`),
  });
  return (
    <section className="action-panel" aria-labelledby="export-title">
      <h3 id="export-title">Download their data</h3>
      {request.subjectType === 'staff' ? (
        <p>
          A zip file with everything Haven holds about the member of staff (their account, roles, sign-ins and
          the actions recorded in the school’s audit log): a readable report, the data as JSON and a
          spreadsheet (CSV) per section. Passwords and two-factor secrets are never included. The download is
          written to the audit log.
        </p>
      ) : (
        <p>
          A zip file with everything Haven holds about the pupil: a readable report (what is kept, why, for
          how long and who receives it), the data as JSON and a spreadsheet (CSV) per section. The download is
          written to the audit log.
        </p>
      )}
      {download.isError ? (
        <ErrorNotice error={download.error} title="The data could not be downloaded" />
      ) : null}
      <Button type="button" busy={download.isPending} onClick={() => download.mutate()}>
        Download the data (zip)
      </Button>
    </section>
  );
}

const RECTIFY_NAMES = {
  forename: 'Legal forename',
  surname: 'Legal surname',
  preferred_forename: 'Preferred forename',
  preferred_surname: 'Preferred surname',
  dob: 'Date of birth (yyyy-mm-dd)',
  address: 'Address',
  year_group: 'Year group',
  sex: 'Sex (F or M)',
  ethnicity: 'Ethnicity (census code)',
  fsm: 'Free school meals (Y or N)',
  sen: 'SEN provision (N, K or E)',
  eal: 'English as an additional language (Y or N)',
} as const;
type RectifyField = keyof typeof RECTIFY_NAMES;

function Rectify(props: PanelProps) {
  return (
    <StepPanel<{ changes: Array<{ field: RectifyField; value: string | null }>; reason: string }>
      {...props}
      path="rectify"
      title="Correct the record"
      intro={<p>The old value is kept in the record’s history, and apps receive the correction.</p>}
      submit="Correct the record"
      done="The record has been corrected."
      serverFields={{
        changes: { id: 'rectify-value', label: 'New value' },
        reason: { id: 'rectify-reason', label: 'Reason' },
      }}
      read={(data) => {
        const value = formText(data, 'rectify-value').trim();
        const reason = required(data, 'rectify-reason', 'Enter why the record is being corrected');
        if (reason.problems !== undefined) {
          return reason;
        }
        return {
          body: {
            changes: [
              {
                field: choice(RECTIFY_NAMES, formText(data, 'rectify-field'), 'forename'),
                value: value === '' ? null : value,
              },
            ],
            reason: reason.body,
          },
        };
      }}
    >
      {(problems) => (
        <>
          <SelectField id="rectify-field" label="What to correct" options={optionsOf(RECTIFY_NAMES)} />
          <TextField
            id="rectify-value"
            label="New value"
            hint="Leave it empty to clear the value."
            autoComplete="off"
            error={problemFor(problems, 'rectify-value')}
          />
          <NoteField id="rectify-reason" label="Reason (e.g. the evidence seen)" problems={problems} />
        </>
      )}
    </StepPanel>
  );
}

const LIMIT_TITLES: Partial<Record<Details['kind'], string>> = {
  restriction: 'Record the restriction',
  objection: 'Record the objection',
  withdraw_consent: 'Record the withdrawal of consent',
};

function ApplyLimit(props: PanelProps) {
  const restriction = props.request.kind === 'restriction';
  const title = LIMIT_TITLES[props.request.kind] ?? 'Record the limit on processing';
  return (
    <StepPanel<{ purpose: 'all' | 'analysis' | 'apps'; note?: string }>
      {...props}
      path="limit"
      title={title}
      intro={
        restriction ? (
          <p>
            A restriction stops everything: the pupil is left out of analysis and its exports, apps no longer
            receive their data, and imports do not update them. Their data stays stored. This closes the
            request.
          </p>
        ) : (
          <p>Their data stays stored; only the use you choose stops. This closes the request.</p>
        )
      }
      submit={title}
      done="The limit on processing has been recorded and the request closed."
      serverFields={{ note: { id: 'limit-note', label: 'Note' } }}
      read={(data) => {
        const purpose = formText(data, 'limit-purpose');
        return {
          body: {
            purpose: restriction ? 'all' : purpose === 'analysis' || purpose === 'apps' ? purpose : 'all',
            ...optionalNote(data, 'limit-note'),
          },
        };
      }}
    >
      {(problems) => (
        <>
          {restriction ? null : (
            <Radios
              name="limit-purpose"
              legend="What it stops"
              defaultValue="all"
              options={[
                { value: 'all', label: 'Everything', hint: '(analysis, exports and apps)' },
                { value: 'analysis', label: 'Analysis only', hint: '(left out of analysis and its exports)' },
                { value: 'apps', label: 'Apps only', hint: '(no longer shared with apps)' },
              ]}
            />
          )}
          <NoteField id="limit-note" label="Note (optional)" problems={problems} />
        </>
      )}
    </StepPanel>
  );
}

function Impact({ request, schoolId }: { request: Details; schoolId: string }) {
  const impact = useQuery({
    queryKey: ['privacy-erasure-impact', schoolId, request.id],
    queryFn: () => api.get<ErasureImpact>(`${requestPath(schoolId, request.id)}/erasure-impact`),
  });
  return (
    <section aria-labelledby="impact-title">
      <h3 id="impact-title">What the erasure would remove</h3>
      <QueryView query={impact} what="what the erasure would remove">
        {(found) => {
          const rows = Object.keys(found.rows);
          return (
            <>
              {rows.length === 0 ? (
                <p>No pupil is linked yet, so nothing would be removed.</p>
              ) : (
                <RecordCounts records={found.rows} caption="Records about the pupil that would be deleted" />
              )}
              <h4>Shared records to redact by hand</h4>
              {found.shared.length === 0 ? (
                <p>None: nothing about this pupil also concerns other people.</p>
              ) : (
                <>
                  <p>
                    These also concern other people, so Haven does not delete them. Redact the pupil by hand:
                  </p>
                  <ul>
                    {found.shared.map((record) => (
                      <li key={`${record.source}${record.description}`}>
                        {record.description} {record.fate}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function SubmitErasure(props: PanelProps) {
  return (
    <StepPanel<{ note?: string }>
      {...props}
      path="submit-erasure"
      title="Ask the data protection officer to decide"
      intro={<p>The DPO is e-mailed and decides whether the erasure goes ahead.</p>}
      submit="Send to the DPO for a decision"
      done="The erasure has been sent to the data protection officer."
      serverFields={{ note: { id: 'submit-note', label: 'Note' } }}
      read={(data) => ({ body: optionalNote(data, 'submit-note') })}
    >
      {(problems) => <NoteField id="submit-note" label="Note for the DPO (optional)" problems={problems} />}
    </StepPanel>
  );
}

function Decide({
  request,
  schoolId,
  onDone,
  approve,
  reject,
}: PanelProps & { approve: boolean; reject: boolean }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const approving = useStep<{ reason: string }>(schoolId, request.id, 'approve-erasure');
  const rejecting = useStep<{ reason: string }>(schoolId, request.id, 'reject-erasure');
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const decision = formText(data, 'decision');
    const reason = formText(data, 'decision-reason').trim();
    const found: FormProblem[] = [];
    if (decision === '') {
      found.push({ field: 'decision', message: 'Choose whether to approve or refuse the erasure' });
    }
    if (reason === '') {
      found.push({ field: 'decision-reason', message: 'Enter the reason for the decision' });
    }
    setProblems(found);
    if (found.length > 0) {
      return;
    }
    const step = decision === 'approve' ? approving : rejecting;
    step.mutate(
      { reason },
      {
        onSuccess: () =>
          onDone(decision === 'approve' ? 'The erasure has been approved.' : 'The erasure has been refused.'),
        onError: (error) =>
          setProblems(problemsByPath(error, { reason: { id: 'decision-reason', label: 'Reason' } })),
      },
    );
  };
  return (
    <section className="action-panel" aria-labelledby="decide-title">
      <h3 id="decide-title">Decide the erasure</h3>
      <p>As data protection officer, decide whether the school erases the pupil’s data, and say why.</p>
      <ErrorSummary problems={problems} />
      <form onSubmit={send} noValidate>
        <fieldset
          className={problemFor(problems, 'decision') === undefined ? 'fieldset' : 'fieldset field--error'}
          id="decision"
        >
          <legend className="label">Your decision</legend>
          {problemFor(problems, 'decision') === undefined ? null : (
            <p className="field-error">
              <span className="visually-hidden">Error:</span> {problemFor(problems, 'decision')}
            </p>
          )}
          {approve ? (
            <div className="radio">
              <input type="radio" id="decision-approve" name="decision" value="approve" />
              <label htmlFor="decision-approve">Approve the erasure</label>
            </div>
          ) : null}
          {reject ? (
            <div className="radio">
              <input type="radio" id="decision-reject" name="decision" value="reject" />
              <label htmlFor="decision-reject">
                Refuse the erasure (nothing is deleted; the request is closed)
              </label>
            </div>
          ) : null}
        </fieldset>
        <NoteField id="decision-reason" label="Reason" problems={problems} />
        <Button busy={approving.isPending || rejecting.isPending}>Record the decision</Button>
      </form>
    </section>
  );
}

function Execute({ request, schoolId, onDone }: PanelProps) {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const execute = useStep<Record<string, never>>(schoolId, request.id, 'execute-erasure');
  useEffect(() => {
    if (confirming) {
      confirmRef.current?.focus();
    }
  }, [confirming]);
  return (
    <section className="action-panel" aria-labelledby="execute-title">
      <h3 id="execute-title">Carry out the erasure</h3>
      <p>
        The data protection officer approved it. The pupil’s records are deleted, their encryption key
        destroyed (so backup copies cannot be read), apps are told, and a certificate is written.
      </p>
      {execute.isError ? <ErrorNotice error={execute.error} title="The erasure was not carried out" /> : null}
      {confirming ? (
        <div className="notice notice--warning" role="alert" tabIndex={-1} ref={confirmRef}>
          <p>
            <strong>This cannot be undone.</strong> Erase the pupil’s data now?
          </p>
          <div className="button-group">
            <Button
              type="button"
              variant="warning"
              busy={execute.isPending}
              onClick={() =>
                execute.mutate({}, { onSuccess: () => onDone('The erasure has been carried out.') })
              }
            >
              Yes, erase the data now
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button type="button" variant="warning" onClick={() => setConfirming(true)}>
          Carry out the erasure
        </Button>
      )}
    </section>
  );
}

function Close(props: PanelProps & { refuse: boolean }) {
  const id = props.refuse ? 'refuse-note' : 'complete-note';
  return (
    <StepPanel<{ note: string }>
      {...props}
      path={props.refuse ? 'refuse' : 'complete'}
      title={props.refuse ? 'Refuse the request' : 'Close as answered'}
      intro={
        props.refuse ? (
          <p>
            If the request is manifestly unfounded or excessive, or an exemption applies. Tell the requester
            why, and that they can complain to the ICO.
          </p>
        ) : (
          <p>When the requester has had their answer.</p>
        )
      }
      submit={props.refuse ? 'Refuse the request' : 'Close as answered'}
      done={props.refuse ? 'The request has been refused.' : 'The request has been closed as answered.'}
      variant={props.refuse ? 'warning' : 'primary'}
      serverFields={{ note: { id, label: props.refuse ? 'Reason' : 'What was done' } }}
      read={(data) => {
        const note = required(
          data,
          id,
          props.refuse ? 'Enter the reason for refusing' : 'Enter what was done to answer it',
        );
        return note.problems === undefined ? { body: { note: note.body } } : note;
      }}
    >
      {(problems) => (
        <NoteField id={id} label={props.refuse ? 'Reason' : 'What was done'} problems={problems} />
      )}
    </StepPanel>
  );
}

function Withdraw(props: PanelProps) {
  return (
    <StepPanel<{ note?: string }>
      {...props}
      path="withdraw"
      title="The requester withdrew it"
      submit="Record the withdrawal"
      done="The request has been recorded as withdrawn."
      variant="secondary"
      serverFields={{ note: { id: 'withdraw-note', label: 'Note' } }}
      read={(data) => ({ body: optionalNote(data, 'withdraw-note') })}
    >
      {(problems) => <NoteField id="withdraw-note" label="Note (optional)" problems={problems} />}
    </StepPanel>
  );
}

/** The panels for what this person may do next: exactly those the request's `actions` list. */
export function RequestActions({ request, schoolId, onDone }: PanelProps) {
  const has = (action: string) => request.actions.includes(action);
  const props = { request, schoolId, onDone };
  const erasureSteps = ['submit_erasure', 'approve_erasure', 'reject_erasure', 'execute_erasure'];
  if (request.actions.length === 0) {
    return <p>This request is closed; nothing more can be done to it.</p>;
  }
  return (
    <>
      <h2>What to do next</h2>
      {has('link_subject') && request.subjectId === null ? <LinkSubject {...props} /> : null}
      {has('identity') && request.identityStatus === 'not_checked' ? <Identity {...props} /> : null}
      {has('resume') ? <Resume {...props} /> : null}
      {has('export') ? <Export {...props} /> : null}
      {has('rectify') ? <Rectify {...props} /> : null}
      {has('apply_limit') ? <ApplyLimit {...props} /> : null}
      {request.kind === 'erasure' && erasureSteps.some(has) ? (
        <Impact request={request} schoolId={schoolId} />
      ) : null}
      {has('submit_erasure') ? <SubmitErasure {...props} /> : null}
      {has('approve_erasure') || has('reject_erasure') ? (
        <Decide {...props} approve={has('approve_erasure')} reject={has('reject_erasure')} />
      ) : null}
      {has('execute_erasure') ? <Execute {...props} /> : null}
      {has('complete') ? <Close {...props} refuse={false} /> : null}
      <h2>Other actions</h2>
      <details>
        <summary>Assign, stop the clock, extend, refuse or withdraw</summary>
        {has('identity') && request.identityStatus !== 'not_checked' ? <Identity {...props} /> : null}
        {has('link_subject') && request.subjectId !== null ? <LinkSubject {...props} /> : null}
        {has('assign') ? <Assign {...props} /> : null}
        {has('pause') ? <Pause {...props} /> : null}
        {has('extend') ? <Extend {...props} /> : null}
        {has('refuse') ? <Close {...props} refuse /> : null}
        {has('withdraw') ? <Withdraw {...props} /> : null}
      </details>
    </>
  );
}
