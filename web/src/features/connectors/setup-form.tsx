import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import {
  Button,
  Checkbox,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { connectorKey, connectorPath, KIND_NAMES, type Category, type CreatedConnector } from './api.ts';

/** Setting up the connector: its type, what it may bring (data minimisation) and when it runs. */
export function SetupForm({
  schoolId,
  categories,
  onCreated,
}: {
  schoolId: string;
  categories: Category[];
  onCreated: (token: string) => void;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState('drop_folder');
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<CreatedConnector>(connectorPath(schoolId), body),
    onSuccess: async (created) => {
      setProblems([]);
      onCreated(created.token);
      await queryClient.invalidateQueries({ queryKey: connectorKey(schoolId) });
    },
    onError: (error) => setProblems(problemsFrom(error)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const schedule = formText(form, 'schedule').trim();
    create.mutate({
      kind,
      categories: form.getAll('categories').map(String),
      ...(schedule === '' ? {} : { schedule }),
      ...(kind === 'oneroster'
        ? {
            oneroster: {
              baseUrl: formText(form, 'baseUrl').trim(),
              tokenUrl: formText(form, 'tokenUrl').trim(),
              clientId: formText(form, 'clientId').trim(),
              clientSecret: formText(form, 'clientSecret'),
            },
          }
        : {}),
    });
  };
  return (
    <section aria-labelledby="setup-title">
      <h2 id="setup-title">Connect your MIS</h2>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <SelectField
          id="kind"
          label="How Haven gets your data"
          value={kind}
          onChange={(event) => setKind(event.target.value)}
          options={Object.entries(KIND_NAMES).map(([value, label]) => ({ value, label }))}
        />
        {kind === 'oneroster' ? (
          <>
            <TextField
              id="baseUrl"
              label="OneRoster base address"
              hint="Ends in /ims/oneroster/rostering/v1p2"
            />
            <TextField id="tokenUrl" label="Token endpoint" />
            <TextField id="clientId" label="Client id" autoComplete="off" />
            <TextField id="clientSecret" label="Client secret" type="password" autoComplete="off" />
          </>
        ) : null}
        <fieldset>
          <legend>What to sync</legend>
          <p className="hint">
            Choose only what you use: what you leave out is dropped from every export before Haven stores
            anything.
          </p>
          {categories.map((category) => (
            <Checkbox
              key={category.id}
              name="categories"
              value={category.id}
              label={category.title}
              hint={category.why}
              defaultChecked={category.default || category.required}
              disabled={category.required}
            />
          ))}
        </fieldset>
        <TextField
          id="schedule"
          label="Schedule (optional)"
          hint="A cron pattern in England time; empty means every night at 02:00"
          error={problemFor(problems, 'schedule')}
        />
        <Button busy={create.isPending}>Set up the connector</Button>
      </form>
    </section>
  );
}
