import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { NotificationsBody } from '../../../../src/modules/governance/breaches.schema.ts';
import { api } from '../../api/client.ts';
import {
  Button,
  Checkbox,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { problemsByPath } from '../privacy/api.ts';
import { breachKey, breachPath, ICO_NAMES, keysOf, listKey, SUBJECTS_NAMES, type Details } from './api.ts';

type NotificationsInput = Static<typeof NotificationsBody>;

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

function useBreachStep<B>(
  breach: Details,
  method: 'post' | 'put',
  path: string,
  fields: Record<string, { id: string; label: string }>,
) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const step = useMutation({
    mutationFn: (body: B) => api[method]<unknown>(`${breachPath(breach.id)}/${path}`, body),
    onSuccess: async () => {
      setProblems([]);
      await queryClient.invalidateQueries({ queryKey: breachKey(breach.id) });
      await queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (error) => setProblems(problemsByPath(error, fields)),
  });
  return { step, problems, setProblems };
}

const RECORD_FIELDS = {
  ico: { id: 'ico', label: 'The ICO' },
  icoToldAt: { id: 'ico-told-at', label: 'When the ICO was told' },
  icoReference: { id: 'ico-reference', label: 'ICO reference' },
  icoReason: { id: 'ico-reason', label: 'Why the ICO is not told' },
  subjects: { id: 'subjects', label: 'The people involved' },
  subjectsToldAt: { id: 'subjects-told-at', label: 'When they were told' },
  subjectsReason: { id: 'subjects-reason', label: 'Why they are not told' },
};

/** Whether and when the ICO and the people involved were told, or why not. */
export function NotificationsForm({ breach }: { breach: Details }) {
  const { step, problems, setProblems } = useBreachStep<NotificationsInput>(
    breach,
    'put',
    'notifications',
    RECORD_FIELDS,
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (key: keyof typeof RECORD_FIELDS) => formText(data, RECORD_FIELDS[key].id).trim();
    const optional = (key: keyof typeof RECORD_FIELDS) => (text(key) === '' ? {} : { [key]: text(key) });
    const ico = keysOf(ICO_NAMES, [text('ico')])[0] ?? 'pending';
    const subjects = keysOf(SUBJECTS_NAMES, [text('subjects')])[0] ?? 'pending';
    const found: FormProblem[] = [];
    if (ico === 'notified' && text('icoToldAt') === '') {
      found.push({ field: 'ico-told-at', message: 'Enter when the ICO was told' });
    }
    if (ico === 'not_notified' && text('icoReason') === '') {
      found.push({ field: 'ico-reason', message: 'Say why the ICO is not being told' });
    }
    if (subjects === 'told' && text('subjectsToldAt') === '') {
      found.push({ field: 'subjects-told-at', message: 'Enter when the people involved were told' });
    }
    if (subjects === 'not_told' && text('subjectsReason') === '') {
      found.push({ field: 'subjects-reason', message: 'Say why the people involved are not being told' });
    }
    setProblems(found);
    if (found.length === 0) {
      step.mutate({
        ico,
        subjects,
        ...optional('icoToldAt'),
        ...optional('icoReference'),
        ...optional('icoReason'),
        ...optional('subjectsToldAt'),
        ...optional('subjectsReason'),
      });
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="record-form-title">
      <h3 id="record-form-title">Record the decisions</h3>
      <ErrorSummary problems={problems} />
      <SelectField id="ico" label="The ICO" options={options(ICO_NAMES)} defaultValue={breach.ico.status} />
      <TextField
        id="ico-told-at"
        label="When the ICO was told (UK time)"
        type="datetime-local"
        className="input input--narrow"
        error={problemFor(problems, 'ico-told-at')}
      />
      <TextField
        id="ico-reference"
        label="ICO reference (optional)"
        className="input input--narrow"
        defaultValue={breach.ico.reference ?? ''}
      />
      <TextArea
        id="ico-reason"
        label="Why the ICO is not told (if not)"
        rows={2}
        defaultValue={breach.ico.reason ?? ''}
        error={problemFor(problems, 'ico-reason')}
      />
      <SelectField
        id="subjects"
        label="The people involved"
        options={options(SUBJECTS_NAMES)}
        defaultValue={breach.subjects.status}
      />
      <TextField
        id="subjects-told-at"
        label="When they were told (UK time)"
        type="datetime-local"
        className="input input--narrow"
        error={problemFor(problems, 'subjects-told-at')}
      />
      <TextArea
        id="subjects-reason"
        label="Why they are not told (if not)"
        rows={2}
        defaultValue={breach.subjects.reason ?? ''}
        error={problemFor(problems, 'subjects-reason')}
      />
      {step.isSuccess ? <output className="notice notice--success">The record was saved.</output> : null}
      <Button busy={step.isPending}>Save the record</Button>
    </form>
  );
}

/** A phased update: appended, never changed; optionally sent to the schools already told. */
export function UpdateForm({ breach }: { breach: Details }) {
  const { step, problems, setProblems } = useBreachStep<{ text: string; sendToSchools: boolean }>(
    breach,
    'post',
    'updates',
    {
      text: { id: 'update-text', label: 'The update' },
    },
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = formText(data, 'update-text').trim();
    if (text === '') {
      setProblems([{ field: 'update-text', message: 'Write what is new' }]);
      return;
    }
    setProblems([]);
    step.mutate(
      { text, sendToSchools: data.get('send-update') === 'yes' },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="update-form-title">
      <h3 id="update-form-title">Add an update</h3>
      <ErrorSummary problems={problems} />
      <TextArea id="update-text" label="The update" rows={3} error={problemFor(problems, 'update-text')} />
      <Checkbox name="send-update" value="yes" label="Send it to the schools already told" />
      <Button busy={step.isPending}>Add the update</Button>
    </form>
  );
}

/** Closing: only once every school was told and the ICO and subjects decisions are recorded. */
export function CloseForm({ breach }: { breach: Details }) {
  const { step, problems, setProblems } = useBreachStep<{
    outcome: string;
    lessons: string;
    tellSchools: boolean;
  }>(breach, 'post', 'close', {
    outcome: { id: 'outcome', label: 'The outcome' },
    lessons: { id: 'lessons', label: 'Lessons learned' },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const outcome = formText(data, 'outcome').trim();
    const lessons = formText(data, 'lessons').trim();
    const found: FormProblem[] = [];
    if (outcome === '') {
      found.push({ field: 'outcome', message: 'Describe how it ended' });
    }
    if (lessons === '') {
      found.push({ field: 'lessons', message: 'Write the lessons learned and what changed' });
    }
    setProblems(found);
    if (found.length === 0) {
      step.mutate({ outcome, lessons, tellSchools: data.get('tell-schools') === 'yes' });
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="close-form-title">
      <h3 id="close-form-title">Close the breach</h3>
      <ErrorSummary problems={problems} />
      <TextArea id="outcome" label="The outcome" rows={3} error={problemFor(problems, 'outcome')} />
      <TextArea
        id="lessons"
        label="Lessons learned and changes made"
        rows={3}
        error={problemFor(problems, 'lessons')}
      />
      <Checkbox name="tell-schools" value="yes" label="Tell the schools it is closed (the outcome is sent)" />
      <Button variant="warning" busy={step.isPending}>
        Close the breach
      </Button>
    </form>
  );
}
