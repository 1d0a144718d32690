import { useState } from 'react';
import {
  Button,
  problemFor,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDate } from '../../components/page.tsx';
import {
  CHECK_NAMES,
  money,
  parsePounds,
  poundsInput,
  QA_CHECKLIST,
  RATING_NAMES,
  TARGET_AREA_NAMES,
  TARGET_STATUS_NAMES,
  type Modules,
  type Target,
} from './api.ts';
import { Answers, ModuleForm, optionsOf, type ModuleFormProps } from './module-forms.tsx';
import { Radios } from './parts.tsx';

export const TARGET_LABELS: Record<string, string> = {};
for (let index = 0; index < 30; index += 1) {
  const n = index + 1;
  Object.assign(TARGET_LABELS, {
    [`targets-targets-${index}-area`]: `Target ${n}, area`,
    [`targets-targets-${index}-description`]: `Target ${n}, the target`,
    [`targets-targets-${index}-successCriteria`]: `Target ${n}, success criteria`,
    [`targets-targets-${index}-owner`]: `Target ${n}, who is responsible`,
    [`targets-targets-${index}-dueOn`]: `Target ${n}, due by`,
    [`targets-targets-${index}-status`]: `Target ${n}, progress`,
    [`targets-targets-${index}-fundingRequestedPence`]: `Target ${n}, funding requested`,
    [`targets-targets-${index}-fundingApprovedPence`]: `Target ${n}, funding approved`,
    [`targets-targets-${index}-progressNote`]: `Target ${n}, progress note`,
  });
}

/** A target row as typed: money as pounds text until it is saved. */
interface Row {
  target: Target;
  requested: string;
  approved: string;
}

const isArea = (value: string): value is Target['area'] => Object.hasOwn(TARGET_AREA_NAMES, value);
const isStatus = (value: string): value is Target['status'] => Object.hasOwn(TARGET_STATUS_NAMES, value);

function TargetsTable({ targets }: { targets: readonly Target[] }) {
  return (
    <div className="table-wrapper">
      <table className="table">
        <caption>Targets and actions ({targets.length})</caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Owner and due date</th>
            <th scope="col">Progress</th>
            <th scope="col" className="numeric">
              Requested
            </th>
            <th scope="col" className="numeric">
              Approved
            </th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <tr key={target.id}>
              <td className="pre-line">
                <strong>{TARGET_AREA_NAMES[target.area]}:</strong> {target.description}
                {target.successCriteria === '' ? '' : `\nSuccess: ${target.successCriteria}`}
                {target.carriedFromTerm === null ? '' : `\nCarried from last term`}
              </td>
              <td>
                {target.owner === '' ? 'No owner' : target.owner}
                <br />
                {target.dueOn === null ? 'No date' : `by ${formatDate(target.dueOn)}`}
              </td>
              <td className="pre-line">
                {TARGET_STATUS_NAMES[target.status]}
                {target.progressNote === '' ? '' : `\n${target.progressNote}`}
              </td>
              <td className="numeric">{money(target.fundingRequestedPence)}</td>
              <td className="numeric">
                {target.fundingApprovedPence === null ? 'Not decided' : money(target.fundingApprovedPence)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Targets & Actions: SMART targets with owner, due date, progress and Pupil Premium Plus funding. Anyone
 * who writes targets requests funding; only the virtual school approves it.
 */
export function TargetsForm({
  approvesFunding,
  funding,
  ...props
}: ModuleFormProps<Modules['targets']> & {
  approvesFunding: boolean;
  funding: { requestedPence: number; approvedPence: number };
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    (props.value?.targets ?? []).map((target) => ({
      target,
      requested: poundsInput(target.fundingRequestedPence),
      approved: poundsInput(target.fundingApprovedPence),
    })),
  );
  const totals = (
    <p>
      Pupil Premium Plus for this PEP: <strong>{money(funding.requestedPence)}</strong> requested,{' '}
      <strong>{money(funding.approvedPence)}</strong> approved.
    </p>
  );
  if (!props.editable) {
    const targets = props.value?.targets ?? [];
    return (
      <>
        {totals}
        {targets.length === 0 ? <p>No targets yet.</p> : <TargetsTable targets={targets} />}
      </>
    );
  }
  const change = (
    index: number,
    update: { requested?: string; approved?: string; target?: Partial<Target> },
  ) =>
    setRows((old) =>
      old.map((row, at) =>
        at === index ? { ...row, ...update, target: { ...row.target, ...update.target } } : row,
      ),
    );
  const add = () =>
    setRows((old) => [
      ...old,
      {
        target: {
          id: crypto.randomUUID(),
          area: 'attainment',
          description: '',
          successCriteria: '',
          owner: '',
          dueOn: null,
          status: 'not_started',
          fundingRequestedPence: 0,
          fundingApprovedPence: null,
          progressNote: '',
          carriedFromTerm: null,
        },
        requested: '',
        approved: '',
      },
    ]);
  const submit = () => {
    const found: FormProblem[] = [];
    const targets = rows.map((row, index) => {
      const n = index + 1;
      if (row.target.description.trim() === '') {
        found.push({
          field: `targets-targets-${index}-description`,
          message: `Target ${n}: enter the target`,
        });
      }
      const requested = row.requested.trim() === '' ? 0 : parsePounds(row.requested);
      if (requested === undefined) {
        found.push({
          field: `targets-targets-${index}-fundingRequestedPence`,
          message: `Target ${n}: enter the funding requested in pounds, like 150 or 150.50`,
        });
      }
      let approved = row.target.fundingApprovedPence;
      if (approvesFunding) {
        const parsed = row.approved.trim() === '' ? null : parsePounds(row.approved);
        if (parsed === undefined) {
          found.push({
            field: `targets-targets-${index}-fundingApprovedPence`,
            message: `Target ${n}: enter the funding approved in pounds, or leave it empty until it is decided`,
          });
        }
        approved = parsed ?? null;
      }
      return { ...row.target, fundingRequestedPence: requested ?? 0, fundingApprovedPence: approved };
    });
    props.setProblems(found);
    if (found.length === 0) {
      props.save({ targets });
    }
  };
  const p = props.problems;
  return (
    <ModuleForm
      name="Targets & Actions"
      onSubmit={submit}
      saving={props.saving}
      saved={props.saved}
      problems={p}
    >
      {totals}
      {rows.length === 0 ? <p>No targets yet.</p> : null}
      {rows.map((row, index) => {
        const id = (field: string) => `targets-targets-${index}-${field}`;
        const n = index + 1;
        return (
          <fieldset className="pep-row" key={row.target.id}>
            <legend>
              Target {n}
              {row.target.carriedFromTerm === null ? '' : ' (carried from last term)'}
            </legend>
            <SelectField
              id={id('area')}
              label="Area"
              options={optionsOf(TARGET_AREA_NAMES)}
              value={row.target.area}
              onChange={(event) => {
                if (isArea(event.target.value)) {
                  change(index, { target: { area: event.target.value } });
                }
              }}
              error={problemFor(p, id('area'))}
            />
            <TextArea
              id={id('description')}
              label="The target"
              hint="Specific, measurable and time-bound."
              value={row.target.description}
              onChange={(event) => change(index, { target: { description: event.target.value } })}
              error={problemFor(p, id('description'))}
            />
            <TextArea
              id={id('successCriteria')}
              label="Success criteria"
              value={row.target.successCriteria}
              onChange={(event) => change(index, { target: { successCriteria: event.target.value } })}
              error={problemFor(p, id('successCriteria'))}
            />
            <div className="pep-inline">
              <TextField
                id={id('owner')}
                label="Who is responsible"
                autoComplete="off"
                value={row.target.owner}
                onChange={(event) => change(index, { target: { owner: event.target.value } })}
                error={problemFor(p, id('owner'))}
              />
              <TextField
                id={id('dueOn')}
                label="Due by"
                type="date"
                value={row.target.dueOn ?? ''}
                onChange={(event) =>
                  change(index, { target: { dueOn: event.target.value === '' ? null : event.target.value } })
                }
                error={problemFor(p, id('dueOn'))}
              />
              <SelectField
                id={id('status')}
                label="Progress"
                options={optionsOf(TARGET_STATUS_NAMES)}
                value={row.target.status}
                onChange={(event) => {
                  if (isStatus(event.target.value)) {
                    change(index, { target: { status: event.target.value } });
                  }
                }}
                error={problemFor(p, id('status'))}
              />
            </div>
            <TextArea
              id={id('progressNote')}
              label="Progress note"
              value={row.target.progressNote}
              onChange={(event) => change(index, { target: { progressNote: event.target.value } })}
              error={problemFor(p, id('progressNote'))}
            />
            <div className="pep-inline">
              <TextField
                id={id('fundingRequestedPence')}
                label="Pupil Premium Plus requested (£)"
                inputMode="decimal"
                className="input input--narrow"
                value={row.requested}
                onChange={(event) => change(index, { requested: event.target.value })}
                error={problemFor(p, id('fundingRequestedPence'))}
              />
              {approvesFunding ? (
                <TextField
                  id={id('fundingApprovedPence')}
                  label="Pupil Premium Plus approved (£)"
                  hint="Leave empty until it is decided."
                  inputMode="decimal"
                  className="input input--narrow"
                  value={row.approved}
                  onChange={(event) => change(index, { approved: event.target.value })}
                  error={problemFor(p, id('fundingApprovedPence'))}
                />
              ) : (
                <div className="field">
                  <p className="label">Pupil Premium Plus approved</p>
                  <p>
                    {row.target.fundingApprovedPence === null
                      ? 'Not decided yet (the virtual school decides)'
                      : money(row.target.fundingApprovedPence)}
                  </p>
                </div>
              )}
            </div>
            <Button
              type="button"
              variant="secondary"
              onClick={() => setRows((old) => old.filter((_, at) => at !== index))}
            >
              Remove target {n}
            </Button>
          </fieldset>
        );
      })}
      <p>
        <Button type="button" variant="secondary" onClick={add} disabled={rows.length >= 30}>
          Add a target
        </Button>
      </p>
    </ModuleForm>
  );
}

export const QA_LABELS: Record<string, string> = {
  'qa-rating': 'Rating',
  'qa-checklist': 'Checklist',
  'qa-comments': 'Comments',
};

type Check = 'met' | 'partly' | 'not_met';
const isCheck = (value: string): value is Check => Object.hasOwn(CHECK_NAMES, value);

/** QA & Sign Off: the virtual school rates the PEP red, amber or green against its checklist. */
export function QaForm(props: ModuleFormProps<Modules['qa']>) {
  const [rating, setRating] = useState<string>(props.value?.rating ?? '');
  const [checklist, setChecklist] = useState<Record<string, Check>>(props.value?.checklist ?? {});
  const [comments, setComments] = useState(props.value?.comments ?? '');
  if (!props.editable) {
    const value = props.value;
    if (value === null) {
      return <p>Not rated yet.</p>;
    }
    return (
      <>
        <Answers
          rows={[
            ['Rating', RATING_NAMES[value.rating]],
            ['Comments', value.comments === '' ? 'None' : value.comments],
          ]}
        />
        <table className="table">
          <caption>Quality checklist</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(QA_CHECKLIST).map(([key, label]) => {
              const result = value.checklist[key];
              return (
                <tr key={key}>
                  <td>{label}</td>
                  <td>{result === undefined ? 'Not checked' : CHECK_NAMES[result]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </>
    );
  }
  const submit = () => {
    const found: FormProblem[] = [];
    if (rating !== 'red' && rating !== 'amber' && rating !== 'green') {
      found.push({ field: 'qa-rating', message: 'Choose a rating' });
    }
    for (const [key, label] of Object.entries(QA_CHECKLIST)) {
      if (checklist[key] === undefined) {
        found.push({ field: `qa-checklist-${key}`, message: `Checklist: choose a result for “${label}”` });
      }
    }
    props.setProblems(found);
    if (found.length === 0 && (rating === 'red' || rating === 'amber' || rating === 'green')) {
      props.save({ rating, checklist, comments });
    }
  };
  const p = props.problems;
  return (
    <ModuleForm name="QA & Sign Off" onSubmit={submit} saving={props.saving} saved={props.saved} problems={p}>
      <Radios
        id="qa-rating"
        legend="Rating"
        hint="How good is this PEP, against the checklist below?"
        options={optionsOf(RATING_NAMES)}
        value={rating}
        onChange={setRating}
        error={problemFor(p, 'qa-rating')}
      />
      <h3>Checklist</h3>
      {Object.entries(QA_CHECKLIST).map(([key, label]) => (
        <Radios
          key={key}
          id={`qa-checklist-${key}`}
          legend={label}
          options={optionsOf(CHECK_NAMES)}
          value={checklist[key] ?? ''}
          onChange={(value) => {
            if (isCheck(value)) {
              setChecklist((old) => ({ ...old, [key]: value }));
            }
          }}
          error={problemFor(p, `qa-checklist-${key}`)}
        />
      ))}
      <TextArea
        id="qa-comments"
        label="Comments"
        hint="What is good, and what must change. The school sees these comments."
        rows={4}
        value={comments}
        onChange={(event) => setComments(event.target.value)}
        error={problemFor(p, 'qa-comments')}
      />
    </ModuleForm>
  );
}
