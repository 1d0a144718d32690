import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { formatDateTime } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { longDate } from '../privacy/api.ts';
import { PupilPicker } from '../privacy/pupil-picker.tsx';
import { holdsKey, overviewKey, retentionPath, type Hold } from './api.ts';

function holdState(hold: Hold): { text: string; tone: string } {
  if (hold.releasedAt !== null) {
    return { text: `Released ${formatDateTime(hold.releasedAt)}`, tone: 'grey' };
  }
  return hold.live ? { text: 'In force', tone: 'amber' } : { text: 'Expired', tone: 'grey' };
}

function HoldsTable({ holds, schoolId }: { holds: Hold[]; schoolId: string }) {
  const queryClient = useQueryClient();
  const release = useMutation({
    mutationFn: (holdId: string) => api.post(`${retentionPath(schoolId)}/holds/${holdId}/release`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: holdsKey(schoolId) });
      await queryClient.invalidateQueries({ queryKey: overviewKey(schoolId) });
    },
  });
  if (holds.length === 0) {
    return <p>No legal holds.</p>;
  }
  return (
    <>
      {release.isError ? <ErrorNotice error={release.error} title="Could not release the hold" /> : null}
      <table className="table">
        <caption className="visually-hidden">Legal holds, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Keeps</th>
            <th scope="col">Why</th>
            <th scope="col">Until</th>
            <th scope="col">Status</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {holds.map((hold) => {
            const state = holdState(hold);
            return (
              <tr key={hold.id}>
                <td>
                  {hold.pupilId === null ? (
                    'The whole school'
                  ) : (
                    <Link to={`/schools/${schoolId}/pupils/${hold.pupilId}`}>
                      A pupil ({hold.pupilId.slice(0, 8)})
                    </Link>
                  )}
                </td>
                <td>{hold.reason}</td>
                <td>{hold.expiresOn === null ? 'Released by hand' : longDate(hold.expiresOn)}</td>
                <td>
                  <span className={`tag tag--${state.tone}`}>{state.text}</span>
                </td>
                <td>
                  {hold.live ? (
                    <Button
                      type="button"
                      variant="secondary"
                      busy={release.isPending && release.variables === hold.id}
                      onClick={() => release.mutate(hold.id)}
                    >
                      Release
                      <span className="visually-hidden">
                        {' '}
                        the hold placed {formatDateTime(hold.placedAt)}
                      </span>
                    </Button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function NewHoldForm({ schoolId }: { schoolId: string }) {
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<'pupil' | 'school'>('pupil');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const place = useMutation({
    mutationFn: (body: { pupilId?: string; reason: string; expiresOn?: string }) =>
      api.post<{ id: string }>(`${retentionPath(schoolId)}/holds`, body),
    onSuccess: async () => {
      setProblems([]);
      await queryClient.invalidateQueries({ queryKey: holdsKey(schoolId) });
      await queryClient.invalidateQueries({ queryKey: overviewKey(schoolId) });
    },
    onError: (error) =>
      setProblems(
        problemsFrom(error, { reason: 'The reason', expiresOn: 'The end date', pupilId: 'The pupil' }),
      ),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const reason = formText(data, 'reason').trim();
    const expiresOn = formText(data, 'expiresOn');
    const pupilId = formText(data, 'pupilId');
    const found: FormProblem[] = [];
    if (scope === 'pupil' && pupilId === '') {
      found.push({ field: 'hold-pupil', message: 'Find and choose the pupil to keep' });
    }
    if (reason === '') {
      found.push({ field: 'reason', message: 'Say why the data must be kept' });
    }
    setProblems(found);
    if (found.length === 0) {
      place.mutate({
        reason,
        ...(scope === 'pupil' ? { pupilId } : {}),
        ...(expiresOn === '' ? {} : { expiresOn }),
      });
      form.reset();
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-hold-title">
      <h3 id="new-hold-title">Place a legal hold</h3>
      {place.isSuccess ? (
        <Notice tone="success">
          <p>The hold is in place: nothing it covers is deleted until it is released or ends.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <fieldset className="retention-fieldset">
        <legend>What must be kept</legend>
        <div className="radio">
          <input
            id="scope-pupil"
            type="radio"
            name="scope"
            checked={scope === 'pupil'}
            onChange={() => setScope('pupil')}
          />
          <label htmlFor="scope-pupil">One pupil’s record</label>
        </div>
        <div className="radio">
          <input
            id="scope-school"
            type="radio"
            name="scope"
            checked={scope === 'school'}
            onChange={() => setScope('school')}
          />
          <label htmlFor="scope-school">All of the school’s data</label>
        </div>
      </fieldset>
      {scope === 'pupil' ? (
        <PupilPicker
          schoolId={schoolId}
          id="hold-pupil"
          name="pupilId"
          error={problemFor(problems, 'hold-pupil')}
        />
      ) : null}
      <TextArea
        id="reason"
        label="Why it must be kept"
        hint="For example a claim, a tribunal or an investigation. Only people who manage retention see this."
        maxLength={2000}
        error={problemFor(problems, 'reason')}
      />
      <TextField
        id="expiresOn"
        label="Ends on (optional)"
        hint="Leave empty to keep it until someone releases it."
        type="date"
        className="input input--narrow"
        error={problemFor(problems, 'expiresOn')}
      />
      <Button busy={place.isPending}>Place the hold</Button>
    </form>
  );
}

/** Legal holds: what they keep, why, until when; placing and releasing them. */
export function HoldsSection({ schoolId }: { schoolId: string }) {
  const holds = useQuery({
    queryKey: holdsKey(schoolId),
    queryFn: () => api.get<Hold[]>(`${retentionPath(schoolId)}/holds`),
  });
  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">Legal holds</h2>
      <p>A legal hold stops deletion while data must be kept, for a pupil or for the whole school.</p>
      <QueryView query={holds} what="the legal holds">
        {(found) => <HoldsTable holds={found} schoolId={schoolId} />}
      </QueryView>
      <NewHoldForm schoolId={schoolId} />
    </section>
  );
}
