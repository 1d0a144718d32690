import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  TextArea,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDate, formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import {
  actionWords,
  ACTION_NAMES,
  childKey,
  childPage,
  childPath,
  isVirtualSchoolStaff,
  MODULE_TITLES,
  pepKey,
  pepPage,
  pepPath,
  ROLE_NAMES,
  scopeKey,
  STATE_NAMES,
  type Action,
  type ChildFull,
  type ModuleName,
  type Modules,
  type Pep,
  type Scope,
} from './api.ts';
import {
  BASIC_LABELS,
  BasicInfoForm,
  MEETING_LABELS,
  MeetingForm,
  PupilVoiceForm,
  SEND_LABELS,
  SendForm,
  VOICE_LABELS,
  type ModuleFormProps,
} from './module-forms.tsx';
import { problemsAt, StateTag, useScope } from './parts.tsx';
import { QA_LABELS, QaForm, TARGET_LABELS, TargetsForm } from './targets-qa-forms.tsx';
import '../privacy/privacy.css';
import './pep.css';

/** Each module's input ids start with its prefix, so the server's field errors land beside the right input. */
const MODULE_PREFIX: Record<ModuleName, { prefix: string; labels: Record<string, string> }> = {
  basic_info: { prefix: 'basic-', labels: BASIC_LABELS },
  pupil_voice: { prefix: 'voice-', labels: VOICE_LABELS },
  send: { prefix: 'send-', labels: SEND_LABELS },
  meeting: { prefix: 'meeting-', labels: MEETING_LABELS },
  targets: { prefix: 'targets-', labels: TARGET_LABELS },
  qa: { prefix: 'qa-', labels: QA_LABELS },
};

const PEP_MODULE_NAMES: readonly ModuleName[] = [
  'basic_info',
  'pupil_voice',
  'send',
  'meeting',
  'targets',
  'qa',
];

const MODULE_HELP: Record<ModuleName, string> = {
  basic_info: 'Placement, carer, social worker, school, legal status, attendance and key dates.',
  pupil_voice: 'The child’s own views, captured by the designated teacher or carer.',
  send: 'Special educational needs provision, needs, EHC plan dates and the support in place.',
  meeting: 'The PEP meeting: when, who came, notes and decisions.',
  targets: 'SMART targets with an owner, a due date and progress; Pupil Premium Plus funding per target.',
  qa: 'The virtual school’s quality rating against the checklist.',
};

function lockedWhy(pep: Pep, module: ModuleName): string {
  if (pep.state === 'signed_off') {
    return 'Read only: this PEP is signed off and locked.';
  }
  if (module === 'qa') {
    return pep.state === 'submitted'
      ? 'Read only: the virtual school completes this section.'
      : 'Read only: the virtual school completes this section once the PEP is submitted.';
  }
  return `Read only: your role does not change this section while the PEP is ${STATE_NAMES[pep.state].toLowerCase()}.`;
}

/** One module of the PEP: its heading, whether you can change it, and its form or answers. */
function ModuleSection<K extends ModuleName>({
  pep,
  module,
  value,
  scope,
  render,
}: {
  pep: Pep;
  module: K;
  value: Modules[K] | null;
  scope: Scope;
  render: (props: ModuleFormProps<Modules[K]>) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const editable = pep.you.editable.includes(module);
  const save = useMutation({
    mutationFn: (body: Modules[K]) =>
      api.put<Pep>(`${pepPath(scope, pep.child.id, pep.id)}/modules/${module}`, body),
    onSuccess: async (updated) => {
      setProblems([]);
      queryClient.setQueryData(pepKey(scope, pep.id), updated);
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope), refetchType: 'none' });
    },
    onError: (error) => {
      const { prefix, labels } = MODULE_PREFIX[module];
      setProblems(problemsAt(error, labels, prefix));
    },
  });
  const titleId = `module-${module}-title`;
  return (
    <section className="pep-module" aria-labelledby={titleId} id={`module-${module}`} tabIndex={-1}>
      <h2 id={titleId}>{MODULE_TITLES[module]}</h2>
      <p className="hint">
        {MODULE_HELP[module]} {editable ? 'You can change this section.' : lockedWhy(pep, module)}
      </p>
      {render({
        value,
        editable,
        save: (next) => save.mutate(next),
        saving: save.isPending,
        saved: save.isSuccess && problems.length === 0,
        problems,
        setProblems,
      })}
    </section>
  );
}

/**
 * What stops a move, beside the section it is about: a submission names the missing sections
 * (`pupil_voice.inTheirWords`), which the error summary links to; a return names its comment.
 */
function workflowProblems(error: unknown): FormProblem[] {
  if (!(error instanceof ApiError) || error.fields.length === 0) {
    return problemsAt(error, {});
  }
  const sections = error.fields.map((problem) => {
    const field = problem.field.replace(/^body\./, '');
    if (field === 'comment') {
      return { field: 'return-comment', message: `Comment: ${problem.message}` };
    }
    const module = PEP_MODULE_NAMES.find((name) => field === name || field.startsWith(`${name}.`));
    return module === undefined
      ? { message: `${field}: ${problem.message}` }
      : { field: `module-${module}`, message: `${MODULE_TITLES[module]}: ${problem.message}` };
  });
  return [{ message: error.message }, ...sections];
}

/** The workflow buttons this person may press now; returning asks for a comment. */
function Workflow({ pep, scope }: { pep: Pep; scope: Scope }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [returning, setReturning] = useState(false);
  const move = useMutation({
    mutationFn: (body: { action: Action; comment?: string }) =>
      api.post<Pep>(`${pepPath(scope, pep.child.id, pep.id)}/transitions`, body),
    onSuccess: async (updated) => {
      setProblems([]);
      setReturning(false);
      queryClient.setQueryData(pepKey(scope, pep.id), updated);
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
    },
    onError: (error) => setProblems(workflowProblems(error)),
  });
  const next = useMutation({
    mutationFn: () => api.post<{ id: string }>(`${pepPath(scope, pep.child.id, pep.id)}/next-version`),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
      await navigate(pepPage(scope, pep.child.id, created.id));
    },
  });
  const sendBack = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const comment = formText(new FormData(event.currentTarget), 'return-comment').trim();
    if (comment === '') {
      setProblems([{ field: 'return-comment', message: 'Say what must be amended' }]);
      return;
    }
    move.mutate({ action: 'return', comment });
  };
  const actions = pep.you.actions;
  return (
    <section aria-labelledby="workflow-title">
      <h2 id="workflow-title">What happens next</h2>
      <ErrorSummary problems={problems} />
      {move.isSuccess ? (
        <Notice tone="success">
          <p>The PEP is now {STATE_NAMES[move.data.state].toLowerCase()}.</p>
        </Notice>
      ) : null}
      {actions.length === 0 && !pep.you.canStartNextVersion ? (
        <p>
          {pep.state === 'signed_off'
            ? 'This PEP is signed off and locked.'
            : 'There is nothing for you to do on this PEP at this stage.'}
        </p>
      ) : null}
      <div className="button-group">
        {actions
          .filter((action) => action !== 'return')
          .map((action) => (
            <Button
              key={action}
              type="button"
              variant={action === 'sign_off' ? 'primary' : 'primary'}
              busy={move.isPending}
              onClick={() => move.mutate({ action })}
            >
              {ACTION_NAMES[action]}
            </Button>
          ))}
        {actions.includes('return') && !returning ? (
          <Button type="button" variant="secondary" onClick={() => setReturning(true)}>
            {ACTION_NAMES.return}
          </Button>
        ) : null}
      </div>
      {returning ? (
        <form onSubmit={sendBack} noValidate aria-label="Return for amendments">
          <TextArea
            id="return-comment"
            label="What must be amended?"
            hint="The designated teacher and social worker see this comment."
            rows={4}
            error={problemFor(problems, 'return-comment')}
          />
          <div className="button-group">
            <Button busy={move.isPending}>Return the PEP</Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setReturning(false);
                setProblems([]);
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      {pep.you.canStartNextVersion ? (
        <>
          {next.isError ? <ErrorNotice error={next.error} title="The new version was not started" /> : null}
          <p>Changes to a signed-off PEP go in a new version, which starts from this one.</p>
          <Button type="button" variant="secondary" busy={next.isPending} onClick={() => next.mutate()}>
            Start a new version
          </Button>
        </>
      ) : null}
    </section>
  );
}

function History({ pep }: { pep: Pep }) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {pep.history.length === 0 ? (
        <p>Nothing has happened to this PEP yet.</p>
      ) : (
        <ol className="plain-list">
          {pep.history.map((event, index) => (
            // oxlint-disable-next-line react/no-array-index-key -- events have no id; the list only grows
            <li key={index} className="pep-event">
              <strong>{actionWords(event.action)}</strong> by the{' '}
              {(ROLE_NAMES[event.role] ?? event.role.replaceAll('_', ' ')).toLowerCase()},{' '}
              {formatDateTime(event.at)}
              {event.comment === null ? null : <p className="pre-line">“{event.comment}”</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Overview({ pep }: { pep: Pep }) {
  return (
    <dl className="summary-list">
      <div>
        <dt>Stage</dt>
        <dd>
          <StateTag state={pep.state} words={STATE_NAMES[pep.state]} />{' '}
          <span className="hint">(this PEP is {pep.stateInWords})</span>
        </dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>
          {pep.kind === 'initial' ? 'Initial PEP' : 'Termly review'}
          {pep.version > 1 ? `, version ${pep.version}` : ''}
        </dd>
      </div>
      <div>
        <dt>Due</dt>
        <dd>
          {formatDate(pep.dueOn)}
          {pep.overdue ? (
            <>
              {' '}
              <strong className="tag tag--red">Overdue</strong>
            </>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Signed off</dt>
        <dd>{pep.signedOff === null ? 'Not yet' : formatDateTime(pep.signedOff.at)}</dd>
      </div>
      <div>
        <dt>Your part</dt>
        <dd>{pep.you.roles.map((role) => ROLE_NAMES[role] ?? role).join(', ') || 'Reading only'}</dd>
      </div>
    </dl>
  );
}

/** A PEP, for the virtual school and the school alike: six modules, the workflow, history and exports. */
export function PepPage() {
  const scope = useScope();
  const { childId = '', pepId = '' } = useParams();
  const pep = useQuery({
    queryKey: pepKey(scope, pepId),
    queryFn: () => api.get<Pep>(pepPath(scope, childId, pepId)),
  });
  // The child's care details prefill Basic Info the first time it is filled in.
  const child = useQuery({
    queryKey: childKey(scope, childId),
    queryFn: () => api.get<ChildFull>(childPath(scope, childId)),
  });
  return (
    <QueryView query={pep} what="the PEP">
      {(view) => {
        const approvesFunding = isVirtualSchoolStaff(view.you.roles);
        const path = pepPath(scope, view.child.id, view.id);
        return (
          <Page
            title={`PEP for ${view.child.name}, ${view.termLabel}`}
            caption={`Reference ${view.child.reference}`}
          >
            <p>
              <Link to={childPage(scope, view.child.id)}>Back to the child’s page</Link>
            </p>
            <Overview pep={view} />
            {view.state === 'signed_off' ? (
              <section aria-labelledby="export-title">
                <h2 id="export-title">Export</h2>
                <ul className="download-links">
                  <li>
                    <a
                      href={`${path}/export.html`}
                      download={`pep-${view.child.reference}-${view.term}.html`}
                    >
                      Download the signed-off PEP (HTML, for a web browser)
                    </a>
                  </li>
                  <li>
                    <a href={`${path}/export.pdf`} download={`pep-${view.child.reference}-${view.term}.pdf`}>
                      Download the signed-off PEP (PDF)
                    </a>
                  </li>
                </ul>
              </section>
            ) : null}
            <Workflow pep={view} scope={scope} />
            {child.isPending ? null : (
              <>
                <ModuleSection
                  key={`basic${view.state}`}
                  pep={view}
                  module="basic_info"
                  value={view.modules.basic_info}
                  scope={scope}
                  render={(props) => <BasicInfoForm {...props} child={child.data} />}
                />
                <ModuleSection
                  key={`voice${view.state}`}
                  pep={view}
                  module="pupil_voice"
                  value={view.modules.pupil_voice}
                  scope={scope}
                  render={(props) => <PupilVoiceForm {...props} />}
                />
                <ModuleSection
                  key={`send${view.state}`}
                  pep={view}
                  module="send"
                  value={view.modules.send}
                  scope={scope}
                  render={(props) => <SendForm {...props} />}
                />
                <ModuleSection
                  key={`meeting${view.state}`}
                  pep={view}
                  module="meeting"
                  value={view.modules.meeting}
                  scope={scope}
                  render={(props) => <MeetingForm {...props} />}
                />
                <ModuleSection
                  key={`targets${view.state}`}
                  pep={view}
                  module="targets"
                  value={view.modules.targets}
                  scope={scope}
                  render={(props) => (
                    <TargetsForm {...props} approvesFunding={approvesFunding} funding={view.funding} />
                  )}
                />
                <ModuleSection
                  key={`qa${view.state}`}
                  pep={view}
                  module="qa"
                  value={view.modules.qa}
                  scope={scope}
                  render={(props) => <QaForm {...props} />}
                />
              </>
            )}
            <History pep={view} />
          </Page>
        );
      }}
    </QueryView>
  );
}
