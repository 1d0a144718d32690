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
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { ACCESS_WORDS, grantsKey, type Engineers, type Grant } from './api.ts';
import { GrantRequests, GrantSummary } from './grant-details.tsx';

const LABELS = {
  engineerId: 'The engineer',
  ticket: 'The ticket',
  purpose: 'The purpose',
  hours: 'How long',
};

function GrantForm({ schoolId, engineers }: { schoolId: string; engineers: Engineers }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const grant = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<{ id: string }>(`/api/v1/schools/${schoolId}/support/grants`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: grantsKey(schoolId) }),
    onError: (error) => setProblems(problemsFrom(error, LABELS)),
  });
  if (engineers.length === 0) {
    return <p>Haven has no support engineers to grant access to yet.</p>;
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const ticket = formText(data, 'ticket').trim();
    const purpose = formText(data, 'purpose').trim();
    const hours = Number(formText(data, 'hours'));
    const found: FormProblem[] = [];
    if (ticket === '') {
      found.push({ field: 'ticket', message: 'Enter the support ticket’s reference' });
    }
    if (purpose === '') {
      found.push({ field: 'purpose', message: 'Say what the engineer needs to do' });
    }
    if (!Number.isInteger(hours) || hours < 1 || hours > 72) {
      found.push({ field: 'hours', message: 'Enter a whole number of hours from 1 to 72' });
    }
    setProblems(found);
    if (found.length === 0) {
      grant.mutate(
        {
          engineerId: formText(data, 'engineerId'),
          access: formText(data, 'access'),
          ticket,
          purpose,
          hours,
        },
        { onSuccess: () => form.reset() },
      );
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="grant-title">
      <h2 id="grant-title">Grant support access</h2>
      {grant.isSuccess ? (
        <Notice tone="success">
          <p>Access granted. Every request the engineer makes appears below as it happens.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <SelectField
        id="engineerId"
        label="Support engineer"
        options={engineers.map((engineer) => ({ value: engineer.id, label: engineer.email }))}
        error={problemFor(problems, 'engineerId')}
      />
      <SelectField
        id="access"
        label="What they may do"
        options={Object.entries(ACCESS_WORDS).map(([value, label]) => ({ value, label }))}
      />
      <TextField
        id="ticket"
        label="Support ticket"
        className="input input--narrow"
        maxLength={100}
        error={problemFor(problems, 'ticket')}
      />
      <TextArea
        id="purpose"
        label="What they need to do"
        maxLength={2000}
        error={problemFor(problems, 'purpose')}
      />
      <TextField
        id="hours"
        label="For how many hours"
        hint="At most 72. Access ends then, when you end it, or when the engineer closes the ticket."
        inputMode="numeric"
        defaultValue="24"
        className="input input--narrow"
        error={problemFor(problems, 'hours')}
      />
      <Button busy={grant.isPending}>Grant access</Button>
    </form>
  );
}

function GrantsTable({ schoolId, grants }: { schoolId: string; grants: Grant[] }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (grantId: string) => api.post(`/api/v1/schools/${schoolId}/support/grants/${grantId}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: grantsKey(schoolId) }),
  });
  if (grants.length === 0) {
    return <p>No support access has been granted.</p>;
  }
  return (
    <>
      {revoke.isError ? <ErrorNotice error={revoke.error} title="Could not end the access" /> : null}
      <ul className="plain-list">
        {grants.map((grant) => (
          <li key={grant.id} className="card support-grant">
            <h3>
              Ticket {grant.ticket}: {grant.engineer.email}
            </h3>
            <GrantSummary grant={grant} />
            <GrantRequests grant={grant} />
            {grant.status === 'live' || grant.status === 'scheduled' ? (
              <Button
                type="button"
                variant="warning"
                busy={revoke.isPending && revoke.variables === grant.id}
                onClick={() => revoke.mutate(grant.id)}
              >
                End this access now<span className="visually-hidden"> (ticket {grant.ticket})</span>
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The school's support access: grant a named engineer time-limited access, and watch what they do. */
export function SchoolSupportPage() {
  const school = useSchool();
  const engineers = useQuery({
    queryKey: ['support-engineers', school.id],
    queryFn: () => api.get<Engineers>(`/api/v1/schools/${school.id}/support/engineers`),
  });
  // Refreshed every 10 seconds: the school sees what support does while they do it.
  const grants = useQuery({
    queryKey: grantsKey(school.id),
    queryFn: () => api.get<Grant[]>(`/api/v1/schools/${school.id}/support/grants`),
    refetchInterval: 10_000,
  });
  return (
    <Page title="Support access" caption={school.name}>
      <p className="lead">
        Haven’s support staff cannot see your school’s data. When you need their help, give one engineer
        access for a ticket, for at most 72 hours. Everything they do is listed here as it happens.
      </p>
      <QueryView query={engineers} what="the support engineers">
        {(found) => <GrantForm schoolId={school.id} engineers={found} />}
      </QueryView>
      <h2>Access granted</h2>
      <QueryView query={grants} what="the support access">
        {(found) => <GrantsTable schoolId={school.id} grants={found} />}
      </QueryView>
    </Page>
  );
}
