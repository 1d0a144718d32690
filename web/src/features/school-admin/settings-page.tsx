import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { SchoolSettings } from '../../../../src/modules/organisations/organisations.schema.ts';
import { api } from '../../api/client.ts';
import {
  Button,
  Checkbox,
  ErrorSummary,
  formText,
  problemsFrom,
  SelectField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';

type Settings = Static<typeof SchoolSettings>;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function SettingsForm({ schoolId, settings }: { schoolId: string; settings: Settings }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const save = useMutation({
    mutationFn: (body: Partial<Settings>) =>
      api.patch<Settings>(`/api/v1/schools/${schoolId}/settings`, body),
    onSuccess: (saved) => {
      setProblems([]);
      queryClient.setQueryData(['settings', schoolId], saved);
    },
    onError: (error) =>
      setProblems(
        problemsFrom(error, { requireTwoFactor: 'Two-factor sign-in', academicYearStartMonth: 'Month' }),
      ),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate({
      requireTwoFactor: data.get('requireTwoFactor') === 'on',
      academicYearStartMonth: Number(formText(data, 'academicYearStartMonth')),
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      {save.isSuccess ? (
        <Notice tone="success">
          <p>The settings have been saved.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <h2>Security</h2>
      <Checkbox
        name="requireTwoFactor"
        label="Staff must use two-factor sign-in"
        hint="Staff without it can still sign in, but cannot open this school’s data until they turn it on."
        defaultChecked={settings.requireTwoFactor}
      />
      <h2>School year</h2>
      <SelectField
        id="academicYearStartMonth"
        label="The school year starts in"
        options={MONTHS.map((month, index) => ({ value: String(index + 1), label: month }))}
        defaultValue={String(settings.academicYearStartMonth)}
      />
      <p className="hint">Time zone: {settings.timezone}</p>
      <Button busy={save.isPending}>Save settings</Button>
    </form>
  );
}

export function SettingsPage() {
  const school = useSchool();
  const settings = useQuery({
    queryKey: ['settings', school.id],
    queryFn: () => api.get<Settings>(`/api/v1/schools/${school.id}/settings`),
  });
  return (
    <Page title="Settings" caption={school.name}>
      <QueryView query={settings} what="the settings">
        {(current) => <SettingsForm schoolId={school.id} settings={current} />}
      </QueryView>
    </Page>
  );
}
