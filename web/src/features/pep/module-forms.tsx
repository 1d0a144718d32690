import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Button,
  ErrorSummary,
  problemFor,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDate } from '../../components/page.tsx';
import { Notice } from '../../components/status.tsx';
import {
  CAPTURED_BY_NAMES,
  isCapturedBy,
  isPlacement,
  LEGAL_STATUS_NAMES,
  LEGAL_STATUS_OPTIONS,
  PLACEMENT_NAMES,
  SEN_NAMES,
  YEAR_GROUP_OPTIONS,
  yearGroupName,
  type ChildFull,
  type Modules,
} from './api.ts';
import { Radios } from './parts.tsx';

/** What every module form gets: whether it may be changed, how to save, and what the last save said. */
export interface ModuleFormProps<M> {
  value: M | null;
  editable: boolean;
  save: (value: M) => void;
  saving: boolean;
  saved: boolean;
  problems: FormProblem[];
  setProblems: (problems: FormProblem[]) => void;
}

export const optionsOf = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

const dayOrNull = (text: string) => (text === '' ? null : text);
const orNotRecorded = (text: string | null) => (text === null || text.trim() === '' ? 'Not recorded' : text);

/** A read-only module: its answers as a summary list (free text keeps its line breaks). */
export function Answers({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="summary-list">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className="pre-line">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The frame of an editable module's form: its error summary, the saved message and the save button. */
export function ModuleForm({
  name,
  onSubmit,
  saving,
  saved,
  problems,
  children,
}: {
  name: string;
  onSubmit: () => void;
  saving: boolean;
  saved: boolean;
  problems: FormProblem[];
  children: ReactNode;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={name}>
      <ErrorSummary problems={problems} />
      {saved ? (
        <Notice tone="success">
          <p>{name} was saved.</p>
        </Notice>
      ) : null}
      {children}
      <Button busy={saving}>Save {name}</Button>
    </form>
  );
}

/** A number typed by a person, or null when empty; undefined when it is not a number. */
function numberOrNull(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return null;
  }
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

export const BASIC_LABELS: Record<string, string> = {
  'basic-placementType': 'Placement',
  'basic-placementSince': 'In this placement since',
  'basic-carer': 'Carer',
  'basic-socialWorker': 'Social worker',
  'basic-designatedTeacher': 'Designated teacher',
  'basic-schoolName': 'School',
  'basic-yearGroup': 'Year group',
  'basic-legalStatus': 'Legal status',
  'basic-attendancePercent': 'Attendance',
  'basic-sessionsMissed': 'Sessions missed',
  'basic-suspensions': 'Suspensions',
  'basic-keyDates': 'Key dates',
};

export function BasicInfoForm({
  child,
  ...props
}: ModuleFormProps<Modules['basic_info']> & { child: ChildFull | undefined }) {
  const start: Modules['basic_info'] = props.value ?? {
    placementType: child?.care.placementType ?? 'foster_care',
    placementSince: null,
    carer: child?.care.carer ?? '',
    socialWorker: child?.care.socialWorker ?? '',
    designatedTeacher: '',
    schoolName: child?.school.name ?? '',
    yearGroup: child?.yearGroup ?? null,
    legalStatus: child?.legalStatus.code ?? 'C2',
    attendancePercent: null,
    sessionsMissed: null,
    suspensions: null,
    keyDates: [],
  };
  const [draft, setDraft] = useState(start);
  const [numbers, setNumbers] = useState({
    attendancePercent: start.attendancePercent === null ? '' : String(start.attendancePercent),
    sessionsMissed: start.sessionsMissed === null ? '' : String(start.sessionsMissed),
    suspensions: start.suspensions === null ? '' : String(start.suspensions),
  });
  if (!props.editable) {
    const value = props.value;
    return value === null ? (
      <p>Not filled in yet.</p>
    ) : (
      <>
        <Answers
          rows={[
            ['Placement', PLACEMENT_NAMES[value.placementType]],
            ['In this placement since', formatDate(value.placementSince)],
            ['Carer', orNotRecorded(value.carer)],
            ['Social worker', orNotRecorded(value.socialWorker)],
            ['Designated teacher', orNotRecorded(value.designatedTeacher)],
            ['School', orNotRecorded(value.schoolName)],
            ['Year group', yearGroupName(value.yearGroup)],
            [
              'Legal status',
              `${value.legalStatus}: ${LEGAL_STATUS_NAMES[value.legalStatus] ?? 'unknown code'}`,
            ],
            ['Attendance', value.attendancePercent === null ? 'Not recorded' : `${value.attendancePercent}%`],
            [
              'Sessions missed',
              value.sessionsMissed === null ? 'Not recorded' : String(value.sessionsMissed),
            ],
            ['Suspensions', value.suspensions === null ? 'Not recorded' : String(value.suspensions)],
          ]}
        />
        {value.keyDates.length === 0 ? null : (
          <table className="table pep-narrow-table">
            <caption>Key dates</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {value.keyDates.map((entry, index) => (
                <tr key={`${entry.label}${index}`}>
                  <td>{entry.label}</td>
                  <td>{formatDate(entry.date)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  }
  const set = <K extends keyof Modules['basic_info']>(key: K, value: Modules['basic_info'][K]) =>
    setDraft((old) => ({ ...old, [key]: value }));
  const submit = () => {
    const found: FormProblem[] = [];
    const parsed = {
      attendancePercent: numberOrNull(numbers.attendancePercent),
      sessionsMissed: numberOrNull(numbers.sessionsMissed),
      suspensions: numberOrNull(numbers.suspensions),
    };
    for (const [key, value] of Object.entries(parsed)) {
      if (value === undefined) {
        found.push({
          field: `basic-${key}`,
          message: `${BASIC_LABELS[`basic-${key}`] ?? key}: enter a number`,
        });
      }
    }
    draft.keyDates.forEach((entry, index) => {
      if (entry.label.trim() === '' || entry.date === '') {
        found.push({
          field: `basic-keyDates-${index}-label`,
          message: `Key date ${index + 1}: enter what it is and the date, or remove it`,
        });
      }
    });
    props.setProblems(found);
    if (found.length > 0) {
      return;
    }
    props.save({
      ...draft,
      attendancePercent: parsed.attendancePercent ?? null,
      sessionsMissed: parsed.sessionsMissed ?? null,
      suspensions: parsed.suspensions ?? null,
    });
  };
  const p = props.problems;
  return (
    <ModuleForm name="Basic Info" onSubmit={submit} saving={props.saving} saved={props.saved} problems={p}>
      <div className="pep-inline">
        <SelectField
          id="basic-placementType"
          label="Placement"
          options={optionsOf(PLACEMENT_NAMES)}
          value={draft.placementType}
          onChange={(event) => {
            if (isPlacement(event.target.value)) {
              set('placementType', event.target.value);
            }
          }}
          error={problemFor(p, 'basic-placementType')}
        />
        <TextField
          id="basic-placementSince"
          label="In this placement since"
          type="date"
          value={draft.placementSince ?? ''}
          onChange={(event) => set('placementSince', dayOrNull(event.target.value))}
          error={problemFor(p, 'basic-placementSince')}
        />
      </div>
      <TextField
        id="basic-carer"
        label="Carer"
        autoComplete="off"
        value={draft.carer}
        onChange={(event) => set('carer', event.target.value)}
        error={problemFor(p, 'basic-carer')}
      />
      <TextField
        id="basic-socialWorker"
        label="Social worker"
        autoComplete="off"
        value={draft.socialWorker}
        onChange={(event) => set('socialWorker', event.target.value)}
        error={problemFor(p, 'basic-socialWorker')}
      />
      <TextField
        id="basic-designatedTeacher"
        label="Designated teacher"
        autoComplete="off"
        value={draft.designatedTeacher}
        onChange={(event) => set('designatedTeacher', event.target.value)}
        error={problemFor(p, 'basic-designatedTeacher')}
      />
      <TextField
        id="basic-schoolName"
        label="School"
        autoComplete="off"
        value={draft.schoolName}
        onChange={(event) => set('schoolName', event.target.value)}
        error={problemFor(p, 'basic-schoolName')}
      />
      <div className="pep-inline">
        <SelectField
          id="basic-yearGroup"
          label="Year group"
          options={YEAR_GROUP_OPTIONS}
          value={draft.yearGroup === null ? '' : String(draft.yearGroup)}
          onChange={(event) =>
            set('yearGroup', event.target.value === '' ? null : Number(event.target.value))
          }
          error={problemFor(p, 'basic-yearGroup')}
        />
        <SelectField
          id="basic-legalStatus"
          label="Legal status"
          options={LEGAL_STATUS_OPTIONS}
          value={draft.legalStatus}
          onChange={(event) => set('legalStatus', event.target.value)}
          error={problemFor(p, 'basic-legalStatus')}
        />
      </div>
      <div className="pep-inline">
        <TextField
          id="basic-attendancePercent"
          label="Attendance (%)"
          inputMode="decimal"
          className="input input--narrow"
          value={numbers.attendancePercent}
          onChange={(event) => setNumbers((old) => ({ ...old, attendancePercent: event.target.value }))}
          error={problemFor(p, 'basic-attendancePercent')}
        />
        <TextField
          id="basic-sessionsMissed"
          label="Sessions missed"
          inputMode="numeric"
          className="input input--narrow"
          value={numbers.sessionsMissed}
          onChange={(event) => setNumbers((old) => ({ ...old, sessionsMissed: event.target.value }))}
          error={problemFor(p, 'basic-sessionsMissed')}
        />
        <TextField
          id="basic-suspensions"
          label="Suspensions"
          inputMode="numeric"
          className="input input--narrow"
          value={numbers.suspensions}
          onChange={(event) => setNumbers((old) => ({ ...old, suspensions: event.target.value }))}
          error={problemFor(p, 'basic-suspensions')}
        />
      </div>
      <fieldset className="pep-fieldset">
        <legend>Key dates</legend>
        {draft.keyDates.length === 0 ? <p className="hint">No key dates recorded.</p> : null}
        {draft.keyDates.map((entry, index) => (
          // oxlint-disable-next-line react/no-array-index-key -- rows have no id; they are edited in place
          <div className="pep-inline" key={index}>
            <TextField
              id={`basic-keyDates-${index}-label`}
              label={`Key date ${index + 1}: what`}
              autoComplete="off"
              value={entry.label}
              onChange={(event) =>
                set(
                  'keyDates',
                  draft.keyDates.map((old, at) =>
                    at === index ? { ...old, label: event.target.value } : old,
                  ),
                )
              }
              error={problemFor(p, `basic-keyDates-${index}-label`)}
            />
            <TextField
              id={`basic-keyDates-${index}-date`}
              label={`Key date ${index + 1}: date`}
              type="date"
              value={entry.date}
              onChange={(event) =>
                set(
                  'keyDates',
                  draft.keyDates.map((old, at) =>
                    at === index ? { ...old, date: event.target.value } : old,
                  ),
                )
              }
              error={problemFor(p, `basic-keyDates-${index}-date`)}
            />
            <div className="field">
              <Button
                type="button"
                variant="secondary"
                onClick={() =>
                  set(
                    'keyDates',
                    draft.keyDates.filter((_, at) => at !== index),
                  )
                }
              >
                Remove key date {index + 1}
              </Button>
            </div>
          </div>
        ))}
        <Button
          type="button"
          variant="secondary"
          onClick={() => set('keyDates', [...draft.keyDates, { label: '', date: '' }])}
        >
          Add a key date
        </Button>
      </fieldset>
    </ModuleForm>
  );
}

export const VOICE_LABELS: Record<string, string> = {
  'voice-capturedBy': 'Who captured the child’s views',
  'voice-capturedOn': 'Date',
  'voice-inTheirWords': 'In their own words',
  'voice-goingWell': 'What is going well',
  'voice-wouldHelp': 'What would help',
};

export function PupilVoiceForm(props: ModuleFormProps<Modules['pupil_voice']>) {
  const [draft, setDraft] = useState<Modules['pupil_voice']>(
    props.value ?? {
      capturedBy: 'designated_teacher',
      capturedOn: null,
      inTheirWords: '',
      goingWell: '',
      wouldHelp: '',
    },
  );
  if (!props.editable) {
    const value = props.value;
    return value === null ? (
      <p>Not filled in yet.</p>
    ) : (
      <Answers
        rows={[
          ['Captured by', CAPTURED_BY_NAMES[value.capturedBy]],
          ['Date', formatDate(value.capturedOn)],
          ['In their own words', orNotRecorded(value.inTheirWords)],
          ['What is going well', orNotRecorded(value.goingWell)],
          ['What would help', orNotRecorded(value.wouldHelp)],
        ]}
      />
    );
  }
  const set = <K extends keyof Modules['pupil_voice']>(key: K, value: Modules['pupil_voice'][K]) =>
    setDraft((old) => ({ ...old, [key]: value }));
  const p = props.problems;
  return (
    <ModuleForm
      name="Pupil Voice"
      onSubmit={() => {
        props.setProblems([]);
        props.save(draft);
      }}
      saving={props.saving}
      saved={props.saved}
      problems={p}
    >
      <Radios
        id="voice-capturedBy"
        legend="Who captured the child’s views?"
        options={optionsOf(CAPTURED_BY_NAMES)}
        value={draft.capturedBy}
        onChange={(value) => {
          if (isCapturedBy(value)) {
            set('capturedBy', value);
          }
        }}
        error={problemFor(p, 'voice-capturedBy')}
      />
      <TextField
        id="voice-capturedOn"
        label="Date"
        type="date"
        value={draft.capturedOn ?? ''}
        onChange={(event) => set('capturedOn', dayOrNull(event.target.value))}
        error={problemFor(p, 'voice-capturedOn')}
      />
      <TextArea
        id="voice-inTheirWords"
        label="In their own words"
        hint="Write down what the child said, as they said it."
        rows={5}
        value={draft.inTheirWords}
        onChange={(event) => set('inTheirWords', event.target.value)}
        error={problemFor(p, 'voice-inTheirWords')}
      />
      <TextArea
        id="voice-goingWell"
        label="What is going well"
        value={draft.goingWell}
        onChange={(event) => set('goingWell', event.target.value)}
        error={problemFor(p, 'voice-goingWell')}
      />
      <TextArea
        id="voice-wouldHelp"
        label="What would help"
        value={draft.wouldHelp}
        onChange={(event) => set('wouldHelp', event.target.value)}
        error={problemFor(p, 'voice-wouldHelp')}
      />
    </ModuleForm>
  );
}

export const SEND_LABELS: Record<string, string> = {
  'send-provision': 'SEN provision',
  'send-needs': 'Needs',
  'send-ehcPlanIssuedOn': 'EHC plan issued',
  'send-ehcPlanReviewDueOn': 'EHC plan review due',
  'send-supportInPlace': 'Support in place',
};

export function SendForm(props: ModuleFormProps<Modules['send']>) {
  const [draft, setDraft] = useState<Modules['send']>(
    props.value ?? {
      provision: 'N',
      needs: '',
      ehcPlanIssuedOn: null,
      ehcPlanReviewDueOn: null,
      supportInPlace: '',
    },
  );
  if (!props.editable) {
    const value = props.value;
    return value === null ? (
      <p>Not filled in yet.</p>
    ) : (
      <Answers
        rows={[
          ['SEN provision', SEN_NAMES[value.provision]],
          ['Needs', orNotRecorded(value.needs)],
          ['EHC plan issued', formatDate(value.ehcPlanIssuedOn)],
          ['EHC plan review due', formatDate(value.ehcPlanReviewDueOn)],
          ['Support in place', orNotRecorded(value.supportInPlace)],
        ]}
      />
    );
  }
  const set = <K extends keyof Modules['send']>(key: K, value: Modules['send'][K]) =>
    setDraft((old) => ({ ...old, [key]: value }));
  const p = props.problems;
  return (
    <ModuleForm
      name="SEND"
      onSubmit={() => {
        props.setProblems([]);
        props.save(draft);
      }}
      saving={props.saving}
      saved={props.saved}
      problems={p}
    >
      <Radios
        id="send-provision"
        legend="SEN provision"
        options={optionsOf(SEN_NAMES)}
        value={draft.provision}
        onChange={(value) => {
          if (value === 'N' || value === 'K' || value === 'E') {
            set('provision', value);
          }
        }}
        error={problemFor(p, 'send-provision')}
      />
      <TextArea
        id="send-needs"
        label="Needs"
        value={draft.needs}
        onChange={(event) => set('needs', event.target.value)}
        error={problemFor(p, 'send-needs')}
      />
      <div className="pep-inline">
        <TextField
          id="send-ehcPlanIssuedOn"
          label="EHC plan issued"
          type="date"
          value={draft.ehcPlanIssuedOn ?? ''}
          onChange={(event) => set('ehcPlanIssuedOn', dayOrNull(event.target.value))}
          error={problemFor(p, 'send-ehcPlanIssuedOn')}
        />
        <TextField
          id="send-ehcPlanReviewDueOn"
          label="EHC plan review due"
          type="date"
          value={draft.ehcPlanReviewDueOn ?? ''}
          onChange={(event) => set('ehcPlanReviewDueOn', dayOrNull(event.target.value))}
          error={problemFor(p, 'send-ehcPlanReviewDueOn')}
        />
      </div>
      <TextArea
        id="send-supportInPlace"
        label="Support in place"
        rows={4}
        value={draft.supportInPlace}
        onChange={(event) => set('supportInPlace', event.target.value)}
        error={problemFor(p, 'send-supportInPlace')}
      />
    </ModuleForm>
  );
}

export const MEETING_LABELS: Record<string, string> = {
  'meeting-heldOn': 'Date of the meeting',
  'meeting-attendees': 'Attendees',
  'meeting-notes': 'Notes',
  'meeting-decisions': 'Decisions',
};

export function MeetingForm(props: ModuleFormProps<Modules['meeting']>) {
  const [draft, setDraft] = useState<Modules['meeting']>(
    props.value ?? { heldOn: null, attendees: [], notes: '', decisions: '' },
  );
  if (!props.editable) {
    const value = props.value;
    return value === null ? (
      <p>Not filled in yet.</p>
    ) : (
      <Answers
        rows={[
          ['Date of the meeting', formatDate(value.heldOn)],
          [
            'Attendees',
            value.attendees.length === 0
              ? 'Not recorded'
              : value.attendees.map((person) => `${person.name} (${person.role})`).join('\n'),
          ],
          ['Notes', orNotRecorded(value.notes)],
          ['Decisions', orNotRecorded(value.decisions)],
        ]}
      />
    );
  }
  const set = <K extends keyof Modules['meeting']>(key: K, value: Modules['meeting'][K]) =>
    setDraft((old) => ({ ...old, [key]: value }));
  const p = props.problems;
  const submit = () => {
    const found = draft.attendees.flatMap((person, index) =>
      person.name.trim() === ''
        ? [
            {
              field: `meeting-attendees-${index}-name`,
              message: `Attendee ${index + 1}: enter their name, or remove them`,
            },
          ]
        : [],
    );
    props.setProblems(found);
    if (found.length === 0) {
      props.save(draft);
    }
  };
  return (
    <ModuleForm name="Meeting" onSubmit={submit} saving={props.saving} saved={props.saved} problems={p}>
      <TextField
        id="meeting-heldOn"
        label="Date of the meeting"
        type="date"
        value={draft.heldOn ?? ''}
        onChange={(event) => set('heldOn', dayOrNull(event.target.value))}
        error={problemFor(p, 'meeting-heldOn')}
      />
      <fieldset className="pep-fieldset">
        <legend>Attendees</legend>
        {draft.attendees.length === 0 ? <p className="hint">No attendees recorded.</p> : null}
        {draft.attendees.map((person, index) => (
          // oxlint-disable-next-line react/no-array-index-key -- rows have no id; they are edited in place
          <div className="pep-inline" key={index}>
            <TextField
              id={`meeting-attendees-${index}-name`}
              label={`Attendee ${index + 1}: name`}
              autoComplete="off"
              value={person.name}
              onChange={(event) =>
                set(
                  'attendees',
                  draft.attendees.map((old, at) =>
                    at === index ? { ...old, name: event.target.value } : old,
                  ),
                )
              }
              error={problemFor(p, `meeting-attendees-${index}-name`)}
            />
            <TextField
              id={`meeting-attendees-${index}-role`}
              label={`Attendee ${index + 1}: role`}
              autoComplete="off"
              value={person.role}
              onChange={(event) =>
                set(
                  'attendees',
                  draft.attendees.map((old, at) =>
                    at === index ? { ...old, role: event.target.value } : old,
                  ),
                )
              }
              error={problemFor(p, `meeting-attendees-${index}-role`)}
            />
            <div className="field">
              <Button
                type="button"
                variant="secondary"
                onClick={() =>
                  set(
                    'attendees',
                    draft.attendees.filter((_, at) => at !== index),
                  )
                }
              >
                Remove attendee {index + 1}
              </Button>
            </div>
          </div>
        ))}
        <Button
          type="button"
          variant="secondary"
          onClick={() => set('attendees', [...draft.attendees, { name: '', role: '' }])}
        >
          Add an attendee
        </Button>
      </fieldset>
      <TextArea
        id="meeting-notes"
        label="Notes"
        rows={5}
        value={draft.notes}
        onChange={(event) => set('notes', event.target.value)}
        error={problemFor(p, 'meeting-notes')}
      />
      <TextArea
        id="meeting-decisions"
        label="Decisions"
        rows={4}
        value={draft.decisions}
        onChange={(event) => set('decisions', event.target.value)}
        error={problemFor(p, 'meeting-decisions')}
      />
    </ModuleForm>
  );
}
