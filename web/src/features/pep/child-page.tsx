import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDate, formatDateTime, Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { useSession } from '../../session/session.tsx';
import {
  childKey,
  childPath,
  ERASE_REASONS,
  isHead,
  LEGAL_STATUS_OPTIONS,
  LINK_NAMES,
  pepPage,
  PLACEMENT_NAMES,
  scopeKey,
  SEN_NAMES,
  STATE_NAMES,
  YEAR_GROUP_OPTIONS,
  yearGroupName,
  type ChildFull,
  type Scope,
} from './api.ts';
import { CARE_LABELS, CareFields, careFrom } from './care-fields.tsx';
import { DueWords, problemsAt, ratingWords, StateTag, useScope } from './parts.tsx';
import './pep.css';

function Details({ child }: { child: ChildFull }) {
  const rows: Array<[string, string]> = [
    ['Reference', child.reference],
    ['Date of birth', formatDate(child.dob)],
    ['UPN', child.upn ?? 'Not recorded'],
    ['Year group', yearGroupName(child.yearGroup)],
    ['Legal status', `${child.legalStatus.code}: ${child.legalStatus.label}`],
    ['Entered care', formatDate(child.enteredCareOn)],
    ['Left care', child.leftCareOn === null ? 'Still in care' : formatDate(child.leftCareOn)],
    ['Placement', PLACEMENT_NAMES[child.care.placementType]],
    ['Carer', child.care.carer === '' ? 'Not recorded' : child.care.carer],
    ['Social worker', child.care.socialWorker === '' ? 'Not recorded' : child.care.socialWorker],
    [
      'School',
      `${child.school.name ?? 'No school recorded'} (${LINK_NAMES[child.school.linkStatus].toLowerCase()})`,
    ],
  ];
  return (
    <dl className="summary-list">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ThisTerm({ child, scope }: { child: ChildFull; scope: Scope }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const current = child.current;
  const start = useMutation({
    mutationFn: (term: string) => api.post<{ id: string }>(`${childPath(scope, child.id)}/peps`, { term }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
      await navigate(pepPage(scope, child.id, created.id));
    },
  });
  return (
    <section aria-labelledby="term-title">
      <h2 id="term-title">This term’s PEP</h2>
      {current === null ? (
        <p>No PEP is needed this term.</p>
      ) : (
        <>
          <dl className="summary-list">
            <div>
              <dt>Kind</dt>
              <dd>
                {current.kind === 'initial'
                  ? `Initial PEP (due 10 working days after entering care: ${formatDate(child.initialDueOn)})`
                  : 'Termly review'}
              </dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd>
                <DueWords current={current} />
              </dd>
            </div>
            <div>
              <dt>Stage</dt>
              <dd>
                <StateTag
                  state={current.state}
                  words={current.state === null ? 'Not started' : STATE_NAMES[current.state]}
                />
              </dd>
            </div>
          </dl>
          {current.pepId === null ? (
            child.leftCareOn === null ? (
              <>
                {start.isError ? <ErrorNotice error={start.error} title="The PEP was not started" /> : null}
                <Button type="button" busy={start.isPending} onClick={() => start.mutate(current.term)}>
                  Start this term’s PEP
                </Button>
              </>
            ) : null
          ) : (
            <p>
              <Link to={pepPage(scope, child.id, current.pepId)} className="button button--primary">
                Open this term’s PEP
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function PepList({ child, scope }: { child: ChildFull; scope: Scope }) {
  return (
    <section aria-labelledby="peps-title">
      <h2 id="peps-title">All PEPs</h2>
      {child.peps.length === 0 ? (
        <p>No PEP has been started for this child yet.</p>
      ) : (
        <div className="table-wrapper">
          <table className="table">
            <caption>PEPs, latest first</caption>
            <thead>
              <tr>
                <th scope="col">Term</th>
                <th scope="col">Kind</th>
                <th scope="col">Stage</th>
                <th scope="col">Due</th>
                <th scope="col">QA rating</th>
                <th scope="col">Signed off</th>
              </tr>
            </thead>
            <tbody>
              {child.peps.map((pep) => (
                <tr key={pep.id}>
                  <td>
                    <Link to={pepPage(scope, child.id, pep.id)}>
                      {pep.termLabel}
                      {pep.version > 1 ? `, version ${pep.version}` : ''}
                    </Link>
                  </td>
                  <td>{pep.kind === 'initial' ? 'Initial PEP' : 'Termly review'}</td>
                  <td>
                    <StateTag state={pep.state} words={STATE_NAMES[pep.state]} />
                  </td>
                  <td>{formatDate(pep.dueOn)}</td>
                  <td>{ratingWords(pep.qaRating)}</td>
                  <td>{pep.signedOffAt === null ? 'Not yet' : formatDateTime(pep.signedOffAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SchoolData({ child }: { child: ChildFull }) {
  const data = child.schoolData;
  return (
    <section aria-labelledby="school-data-title">
      <h2 id="school-data-title">From the school’s data</h2>
      {!data.available ? (
        <p>
          {child.school.linkStatus === 'agreed'
            ? 'The school’s record for this child is no longer available.'
            : 'The school’s data appears here once the child is linked to their record at a school on Haven.'}
        </p>
      ) : (
        <>
          <dl className="summary-list">
            <div>
              <dt>Year group (school)</dt>
              <dd>{yearGroupName(data.yearGroup)}</dd>
            </div>
            <div>
              <dt>Special educational needs</dt>
              <dd>{data.sen === null ? 'Not recorded' : SEN_NAMES[data.sen]}</dd>
            </div>
            <div>
              <dt>Key stage 2 scaled scores</dt>
              <dd>
                {data.ks2 === null
                  ? 'Not recorded'
                  : `Reading ${data.ks2.readingScore ?? '—'}, maths ${data.ks2.mathsScore ?? '—'}`}
              </dd>
            </div>
          </dl>
          {data.subjects.length === 0 ? (
            <p>The school has no results recorded for this child yet.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>
                  Latest grades
                  {data.assessmentPoint === null
                    ? ''
                    : `: ${data.assessmentPoint.name}${data.assessmentPoint.date === null ? '' : `, ${formatDate(data.assessmentPoint.date)}`}`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Subject</th>
                    <th scope="col">Working at</th>
                    <th scope="col">Target</th>
                  </tr>
                </thead>
                <tbody>
                  {data.subjects.map((subject) => (
                    <tr key={subject.subject}>
                      <th scope="row">{subject.subject}</th>
                      <td>{subject.achieved ?? '—'}</td>
                      <td>{subject.target ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const EDIT_LABELS: Record<string, string> = {
  yearGroup: 'Year group',
  legalStatus: 'Legal status',
  leftCareOn: 'Date the child left care',
  ...CARE_LABELS,
};

/** The virtual school keeps the care details up to date, and records when the child leaves care. */
function EditCare({ child, scope }: { child: ChildFull; scope: Scope }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const save = useMutation({
    mutationFn: (body: unknown) => api.patch<ChildFull>(childPath(scope, child.id), body),
    onSuccess: async (updated) => {
      setProblems([]);
      queryClient.setQueryData(childKey(scope, child.id), updated);
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
    },
    onError: (error) => setProblems(problemsAt(error, EDIT_LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const year = formText(form, 'yearGroup');
    const left = formText(form, 'leftCareOn');
    save.mutate({
      yearGroup: year === '' ? null : Number(year),
      legalStatus: formText(form, 'legalStatus'),
      leftCareOn: left === '' ? null : left,
      ...careFrom(form),
    });
  };
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">Care details</h2>
      {save.isSuccess ? (
        <Notice tone="success">
          <p>The care details were saved.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <details>
        <summary>Change the care details, or record that the child left care</summary>
        <form onSubmit={submit} noValidate aria-label="Care details">
          <div className="pep-inline">
            <SelectField
              id="yearGroup"
              label="Year group"
              options={YEAR_GROUP_OPTIONS}
              defaultValue={child.yearGroup === null ? '' : String(child.yearGroup)}
              error={problemFor(problems, 'yearGroup')}
            />
            <SelectField
              id="legalStatus"
              label="Legal status"
              options={LEGAL_STATUS_OPTIONS}
              defaultValue={child.legalStatus.code}
              error={problemFor(problems, 'legalStatus')}
            />
          </div>
          <CareFields scope={scope} problems={problems} current={child} />
          <TextField
            id="leftCareOn"
            label="Date the child left care (leave empty while they are in care)"
            hint="No more PEPs are expected after a child leaves care; their record is kept for the retention period."
            type="date"
            defaultValue={child.leftCareOn ?? ''}
            error={problemFor(problems, 'leftCareOn')}
          />
          <Button busy={save.isPending}>Save the care details</Button>
        </form>
      </details>
    </section>
  );
}

/** The virtual school head: the child's access bundle, and erasing the child's record with a confirm step. */
function HeadOnly({ child, scope }: { child: ChildFull; scope: Scope }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const erase = useMutation({
    mutationFn: (reason: string) =>
      api.post(`${childPath(scope, child.id)}/erase`, { reason, confirm: 'erase' }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: childKey(scope, child.id) });
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
      await navigate(`${scope.web}/children`, { state: { erased: child.reference } });
    },
    onError: (error) => setProblems(problemsAt(error, { reason: 'Reason', confirm: 'Confirmation' })),
  });
  const ask = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = formText(new FormData(event.currentTarget), 'reason');
    if (reason === '') {
      setProblems([{ field: 'reason', message: 'Choose why the record is erased' }]);
      return;
    }
    setProblems([]);
    setConfirming(reason);
  };
  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = formText(new FormData(event.currentTarget), 'confirm').trim().toLowerCase();
    if (typed !== 'erase' || confirming === undefined) {
      setProblems([{ field: 'confirm', message: 'Type erase to confirm' }]);
      return;
    }
    erase.mutate(confirming);
  };
  return (
    <>
      <section aria-labelledby="bundle-title">
        <h2 id="bundle-title">Access request bundle</h2>
        <p>
          Everything Haven holds about this child (details, every PEP and its history), for answering a
          subject access request.
        </p>
        <p>
          <a href={`${childPath(scope, child.id)}/export`} download={`child-${child.reference}.json`}>
            Download the child’s data (JSON)
          </a>
        </p>
      </section>
      <section aria-labelledby="erase-title" className="pep-danger">
        <h2 id="erase-title">Erase this child’s record</h2>
        <p>
          Erasing destroys the child’s key: their details and every PEP become unreadable everywhere, backups
          included. It cannot be undone.
        </p>
        <ErrorSummary problems={problems} />
        {confirming === undefined ? (
          <form onSubmit={ask} noValidate aria-label="Erase this child’s record">
            <SelectField
              id="reason"
              label="Why is the record erased?"
              options={[
                { value: '', label: 'Choose a reason' },
                ...Object.entries(ERASE_REASONS).map(([value, label]) => ({ value, label })),
              ]}
              error={problemFor(problems, 'reason')}
            />
            <Button variant="warning">Continue to erase</Button>
          </form>
        ) : (
          <form onSubmit={confirm} noValidate aria-label="Confirm the erasure">
            <p>
              <strong>
                You are about to erase the record of {child.name} ({child.reference}).
              </strong>
            </p>
            <TextField
              id="confirm"
              label="To confirm, type erase"
              autoComplete="off"
              className="input input--narrow"
              error={problemFor(problems, 'confirm')}
            />
            <div className="button-group">
              <Button variant="warning" busy={erase.isPending}>
                Erase the record
              </Button>
              <Button
                type="button"
                variant="secondary"
                onClick={() => {
                  setConfirming(undefined);
                  setProblems([]);
                }}
              >
                Cancel
              </Button>
            </div>
          </form>
        )}
      </section>
    </>
  );
}

/** One child: details, this term's PEP, all PEPs and what the school's data says; care details and erasure for the virtual school. */
export function PepChildPage() {
  const scope = useScope();
  const { childId = '' } = useParams();
  const me = useSession();
  const location = useLocation();
  const state: unknown = location.state;
  const added = typeof state === 'object' && state !== null && 'added' in state && state.added === true;
  const child = useQuery({
    queryKey: childKey(scope, childId),
    queryFn: () => api.get<ChildFull>(childPath(scope, childId)),
  });
  const back = scope.kind === 'authority' ? `${scope.web}/children` : scope.web;
  return (
    <QueryView query={child} what="the child">
      {(details) => (
        <Page title={details.name} caption="Personal Education Plans">
          <p>
            <Link to={back}>{scope.kind === 'authority' ? 'Back to the children' : 'Back to PEPs'}</Link>
          </p>
          {added ? (
            <Notice tone="success" title="The child was added">
              <p>
                {details.school.linkStatus === 'requested'
                  ? 'The school has been asked to agree the link to its record.'
                  : 'You can start their PEP now.'}
              </p>
            </Notice>
          ) : null}
          <Details child={details} />
          <ThisTerm child={details} scope={scope} />
          <PepList child={details} scope={scope} />
          <SchoolData child={details} />
          {scope.kind === 'authority' ? <EditCare child={details} scope={scope} /> : null}
          {scope.kind === 'authority' && isHead(me, scope.orgId) ? (
            <HeadOnly child={details} scope={scope} />
          ) : null}
        </Page>
      )}
    </QueryView>
  );
}
