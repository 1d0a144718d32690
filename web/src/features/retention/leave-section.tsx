import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { longDate } from '../privacy/api.ts';
import { overviewKey, retentionPath, type LeavingState } from './api.ts';

/** Leaving Haven (school administrators): apps lose access now; everything is deleted after the notice. */
export function LeaveSection({
  leaving,
  schoolId,
  schoolName,
}: {
  leaving: LeavingState;
  schoolId: string;
  schoolName: string;
}) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: overviewKey(schoolId) });
  const leave = useMutation({
    mutationFn: (confirmName: string) =>
      api.post<LeavingState>(`${retentionPath(schoolId)}/leave`, { confirmName }),
    onSuccess: async () => {
      setProblems([]);
      await refresh();
    },
    onError: (error) => setProblems(problemsFrom(error, { confirmName: 'The school’s name' })),
  });
  const stay = useMutation({
    mutationFn: () => api.post<LeavingState>(`${retentionPath(schoolId)}/stay`),
    onSuccess: refresh,
    onError: (error) => setProblems(problemsFrom(error)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = formText(new FormData(event.currentTarget), 'confirmName').trim();
    if (typed.toLowerCase() !== schoolName.trim().toLowerCase()) {
      setProblems([{ field: 'confirmName', message: `Type ${schoolName} exactly to confirm` }]);
      return;
    }
    leave.mutate(typed);
  };
  return (
    <section aria-labelledby="leave-title" className="leave-panel">
      <h2 id="leave-title">Leaving Haven</h2>
      <ErrorSummary problems={problems} />
      {leaving.status === 'leaving' ? (
        <>
          <p>
            Your school asked to leave. Its data will be deleted on{' '}
            <strong>{longDate(leaving.deletionDueOn)}</strong>. Until then you can change your mind; apps that
            lost access will need approving again.
          </p>
          <Button type="button" variant="secondary" busy={stay.isPending} onClick={() => stay.mutate()}>
            Cancel leaving and keep our data
          </Button>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>
            If your school leaves, every app loses access at once, and all of the school’s data in Haven
            (pupils, results, staff accounts used only here, requests and uploads) is deleted within 5 working
            days. It cannot be recovered after that.
          </p>
          <TextField
            id="confirmName"
            label={`To confirm, type the school’s name: ${schoolName}`}
            autoComplete="off"
            error={problemFor(problems, 'confirmName')}
          />
          <Button variant="warning" busy={leave.isPending}>
            Leave Haven and delete our data
          </Button>
        </form>
      )}
    </section>
  );
}
