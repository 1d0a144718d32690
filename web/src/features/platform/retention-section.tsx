import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { longDate } from '../privacy/api.ts';
import type { RunReport } from '../retention/api.ts';

type SchoolRun = RunReport['schools'][number];

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

function SchoolAction({ school }: { school: SchoolRun }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const leaving = school.school.rule === 'school_offboarding';
  const act = useMutation({
    mutationFn: () => api.post(`/api/v1/platform/schools/${school.schoolId}/${leaving ? 'stay' : 'leave'}`),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['platform-retention'] });
    },
  });
  if (act.isError) {
    return <ErrorNotice error={act.error} title="That did not work" />;
  }
  if (leaving) {
    return (
      <Button type="button" variant="secondary" busy={act.isPending} onClick={() => act.mutate()}>
        Cancel leaving<span className="visually-hidden"> for {school.name}</span>
      </Button>
    );
  }
  return confirming ? (
    <Button type="button" variant="warning" busy={act.isPending} onClick={() => act.mutate()}>
      Confirm: {school.name} leaves and its data is deleted in 5 working days
    </Button>
  ) : (
    <Button type="button" variant="link" onClick={() => setConfirming(true)}>
      Record that it is leaving<span className="visually-hidden">: {school.name}</span>
    </Button>
  );
}

function PlanTable({ report }: { report: RunReport }) {
  return (
    <table className="table">
      <caption>
        On {longDate(report.today)}: {report.totals.pupilsDue} pupil(s) due ({report.totals.pupilsHeld} held),{' '}
        {report.schools.filter((school) => school.school.dueOn <= report.today && !school.school.held).length}{' '}
        school(s) due for full deletion
      </caption>
      <thead>
        <tr>
          <th scope="col">School</th>
          <th scope="col" className="numeric">
            Pupils due
          </th>
          <th scope="col">Whole school</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {report.schools.map((school) => (
          <tr key={school.schoolId}>
            <th scope="row">{school.name}</th>
            <td className="numeric">
              {school.pupilsDue}
              {school.pupilsHeld > 0 ? ` (${school.pupilsHeld} held)` : ''}
            </td>
            <td>
              {school.school.rule === 'school_offboarding'
                ? 'Leaving: deleted on '
                : 'If still inactive, deleted on '}
              {longDate(school.school.dueOn)}
              {school.school.held ? ' — kept by a legal hold' : ''}
            </td>
            <td>
              <SchoolAction school={school} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SchoolHoldForm({ schools }: { schools: SchoolRun[] }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const hold = useMutation({
    mutationFn: ({ schoolId, ...body }: { schoolId: string; reason: string; expiresOn?: string }) =>
      api.post(`/api/v1/platform/schools/${schoolId}/holds`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform-retention'] }),
    onError: (error) => setProblems(problemsFrom(error, { reason: 'The reason', expiresOn: 'The end date' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const reason = formText(data, 'hold-reason').trim();
    const expiresOn = formText(data, 'hold-expires');
    if (reason === '') {
      setProblems([{ field: 'hold-reason', message: 'Say why the school’s data must be kept' }]);
      return;
    }
    setProblems([]);
    hold.mutate(
      { schoolId: formText(data, 'hold-school'), reason, ...(expiresOn === '' ? {} : { expiresOn }) },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="school-hold-title">
      <h3 id="school-hold-title">Hold all of a school’s data</h3>
      <p className="hint">For an investigation or a claim. Holds on single pupils are the school’s own.</p>
      {hold.isSuccess ? (
        <Notice tone="success">
          <p>The hold is in place. The school’s administrators see it on their retention page.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <SelectField
        id="hold-school"
        label="School"
        options={schools.map((school) => ({ value: school.schoolId, label: school.name }))}
      />
      <TextArea
        id="hold-reason"
        label="Why it must be kept"
        maxLength={2000}
        error={problemFor(problems, 'hold-reason')}
      />
      <TextField
        id="hold-expires"
        label="Ends on (optional)"
        type="date"
        className="input input--narrow"
        error={problemFor(problems, 'hold-expires')}
      />
      <Button busy={hold.isPending}>Place the hold</Button>
    </form>
  );
}

/** The operator's retention view: what would go on a day (counts only), running it now, leaving, holds. */
export function RetentionSection() {
  const queryClient = useQueryClient();
  const [date, setDate] = useState(today());
  const plan = useQuery({
    queryKey: ['platform-retention', date],
    queryFn: () => api.get<RunReport>(`/api/v1/platform/retention?date=${date}`),
  });
  const run = useMutation({
    mutationFn: () => api.post<RunReport>('/api/v1/platform/retention/run'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['platform-retention'] }),
  });
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p>
        Haven runs the retention rules every night at 02:30. Choose a day to see what would be deleted then
        (pupil counts only: who they are stays with each school).
      </p>
      <div className="field">
        <label className="label" htmlFor="retention-date">
          What would go on
        </label>
        <input
          id="retention-date"
          type="date"
          className="input input--narrow"
          value={date}
          min={today()}
          onChange={(event) => {
            if (event.target.value !== '') {
              setDate(event.target.value);
            }
          }}
        />
      </div>
      <QueryView query={plan} what="the retention plan">
        {(report) => (
          <>
            <PlanTable report={report} />
            <SchoolHoldForm schools={report.schools} />
          </>
        )}
      </QueryView>
      {run.isSuccess ? (
        <Notice tone="success">
          <p>
            Retention ran: {run.data.totals.pupilsErased} pupil(s) erased, {run.data.totals.schoolsErased}{' '}
            school(s) deleted, {run.data.totals.warningsSent} warning(s) sent.
          </p>
        </Notice>
      ) : null}
      {run.isError ? <ErrorNotice error={run.error} title="Retention did not run" /> : null}
      <Button type="button" variant="secondary" busy={run.isPending} onClick={() => run.mutate()}>
        Run retention now
      </Button>
    </section>
  );
}
