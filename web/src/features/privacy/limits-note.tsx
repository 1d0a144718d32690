import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  TextArea,
  type FormProblem,
} from '../../components/form.tsx';
import { ErrorNotice } from '../../components/status.tsx';
import { privacyPath, problemsByPath, shortDate, type Limit, type Limits } from './api.ts';

const KIND_WORDS: Record<Limit['kind'], string> = {
  restriction: 'Processing restricted',
  objection: 'Objection to processing',
  consent_withdrawn: 'Consent withdrawn',
};

const EFFECT_WORDS: Record<Limit['purpose'], string> = {
  all: 'left out of analysis, exports and apps',
  analysis: 'left out of analysis and its exports',
  apps: 'not shared with apps',
};

export function limitInWords(limit: Limit): string {
  const scope = limit.kind === 'restriction' ? '' : limit.purpose === 'all' ? '' : ` (${limit.purpose})`;
  return `${KIND_WORDS[limit.kind]}${scope} since ${shortDate(limit.since)} — ${EFFECT_WORDS[limit.purpose]}`;
}

function LiftForm({
  limit,
  schoolId,
  pupilId,
  index,
}: {
  limit: Limit;
  schoolId: string;
  pupilId: string;
  index: number;
}) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const reasonId = `lift-reason-${index}`;
  const lift = useMutation({
    mutationFn: (reason: string) =>
      api.post(`${privacyPath(schoolId)}/pupils/${pupilId}/limits/lift`, {
        kind: limit.kind,
        purpose: limit.purpose,
        reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['privacy-limits', schoolId, pupilId] }),
    onError: (error) => setProblems(problemsByPath(error, { reason: { id: reasonId, label: 'Reason' } })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = formText(new FormData(event.currentTarget), reasonId).trim();
    if (reason === '') {
      setProblems([{ field: reasonId, message: 'Enter why the limit is being lifted' }]);
      return;
    }
    setProblems([]);
    lift.mutate(reason);
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Lift: ${KIND_WORDS[limit.kind]}`}>
      <ErrorSummary problems={problems} />
      <TextArea id={reasonId} label="Reason for lifting it" error={problemFor(problems, reasonId)} rows={2} />
      <Button variant="secondary" busy={lift.isPending}>
        Lift<span className="visually-hidden"> the limit: {KIND_WORDS[limit.kind]}</span>
      </Button>
    </form>
  );
}

/** On a pupil's record, for people who handle privacy requests: the limits on processing in force. */
export function ProcessingLimits({ schoolId, pupilId }: { schoolId: string; pupilId: string }) {
  const limits = useQuery({
    queryKey: ['privacy-limits', schoolId, pupilId],
    queryFn: () => api.get<Limits>(`${privacyPath(schoolId)}/pupils/${pupilId}/limits`),
  });
  if (limits.isError) {
    return <ErrorNotice error={limits.error} title="Could not load the limits on processing" />;
  }
  if (limits.data === undefined || limits.data.limits.length === 0) {
    return null;
  }
  return (
    <section className="notice notice--warning" aria-labelledby="limits-title">
      <h2 id="limits-title" className="notice__title">
        Processing limits
      </h2>
      <ul className="plain-list">
        {limits.data.limits.map((limit, index) => (
          <li key={`${limit.kind}-${limit.purpose}`}>
            <p>{limitInWords(limit)}.</p>
            <LiftForm limit={limit} schoolId={schoolId} pupilId={pupilId} index={index} />
          </li>
        ))}
      </ul>
    </section>
  );
}
