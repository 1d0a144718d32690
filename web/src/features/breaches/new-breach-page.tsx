import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { Static } from 'typebox';
import type { NewBreachBody } from '../../../../src/modules/governance/breaches.schema.ts';
import type { PlatformSchool } from '../../../../src/modules/organisations/organisations.schema.ts';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextArea,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { QueryView } from '../../components/status.tsx';
import { problemsByPath } from '../privacy/api.ts';
import { breachesPath, DATA_NAMES, keysOf, listKey, NATURE_NAMES, PEOPLE_NAMES } from './api.ts';
import { CheckboxGroup } from './checkbox-group.tsx';

type NewBreach = Static<typeof NewBreachBody>;
type School = Static<typeof PlatformSchool>;

const FIELDS = {
  awareAt: { id: 'aware-at', label: 'When Haven became aware' },
  occurredAt: { id: 'occurred-at', label: 'When it happened' },
  nature: { id: 'nature', label: 'What kind of breach' },
  description: { id: 'description', label: 'What happened' },
  peopleCategories: { id: 'people', label: 'Whose data' },
  dataCategories: { id: 'data', label: 'What data' },
  approxPeople: { id: 'approx-people', label: 'About how many people' },
  approxRecords: { id: 'approx-records', label: 'About how many records' },
  schoolIds: { id: 'schools', label: 'Schools affected' },
  consequences: { id: 'consequences', label: 'Likely consequences' },
  measuresTaken: { id: 'measures-taken', label: 'Measures taken' },
  measuresProposed: { id: 'measures-proposed', label: 'Measures proposed' },
  contact: { id: 'contact', label: 'Who the schools contact' },
};

const REQUIRED_TEXT: Array<[keyof typeof FIELDS, string]> = [
  ['awareAt', 'Enter the date and time Haven became aware of the breach'],
  ['description', 'Describe what happened'],
  ['consequences', 'Describe the likely consequences for the people involved'],
  ['measuresTaken', 'Describe the measures taken'],
  ['contact', 'Enter who the schools should contact'],
];

function count(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function readForm(data: FormData): { body: NewBreach; problems: FormProblem[] } {
  const text = (key: keyof typeof FIELDS) => formText(data, FIELDS[key].id).trim();
  const problems: FormProblem[] = REQUIRED_TEXT.filter(([key]) => text(key) === '').map(([key, message]) => ({
    field: FIELDS[key].id,
    message,
  }));
  const all = (key: keyof typeof FIELDS) => data.getAll(FIELDS[key].id).map(String);
  const peopleCategories = keysOf(PEOPLE_NAMES, all('peopleCategories'));
  const dataCategories = keysOf(DATA_NAMES, all('dataCategories'));
  if (peopleCategories.length === 0) {
    problems.push({ field: FIELDS.peopleCategories.id, message: 'Choose whose data was involved' });
  }
  if (dataCategories.length === 0) {
    problems.push({ field: FIELDS.dataCategories.id, message: 'Choose what data was involved' });
  }
  const approxPeople = count(text('approxPeople'));
  const approxRecords = count(text('approxRecords'));
  if (approxPeople === undefined) {
    problems.push({
      field: FIELDS.approxPeople.id,
      message: 'Enter about how many people, as a whole number',
    });
  }
  if (approxRecords === undefined) {
    problems.push({
      field: FIELDS.approxRecords.id,
      message: 'Enter about how many records, as a whole number',
    });
  }
  const occurredAt = text('occurredAt');
  const measuresProposed = text('measuresProposed');
  const body: NewBreach = {
    awareAt: text('awareAt'),
    nature: keysOf(NATURE_NAMES, [text('nature')])[0] ?? 'confidentiality',
    description: text('description'),
    peopleCategories,
    dataCategories,
    approxPeople: approxPeople ?? 0,
    approxRecords: approxRecords ?? 0,
    schoolIds: all('schoolIds'),
    consequences: text('consequences'),
    measuresTaken: text('measuresTaken'),
    contact: text('contact'),
    ...(occurredAt === '' ? {} : { occurredAt }),
    ...(measuresProposed === '' ? {} : { measuresProposed }),
  };
  return { body, problems };
}

function BreachForm({ schools }: { schools: School[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const record = useMutation({
    mutationFn: (body: NewBreach) => api.post<{ id: string }>(breachesPath, body),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: listKey });
      await navigate(`/platform/breaches/${created.id}`);
    },
    onError: (error) => setProblems(problemsByPath(error, FIELDS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { body, problems: found } = readForm(new FormData(event.currentTarget));
    setProblems(found);
    if (found.length === 0) {
      record.mutate(body);
    }
  };
  const at = (key: keyof typeof FIELDS) => problemFor(problems, FIELDS[key].id);
  return (
    <>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="aware-at"
          label="When Haven became aware (UK time)"
          type="datetime-local"
          hint="The 72 hours run from this moment."
          className="input input--narrow"
          error={at('awareAt')}
        />
        <TextField
          id="occurred-at"
          label="When it happened, if known (UK time, optional)"
          type="datetime-local"
          className="input input--narrow"
          error={at('occurredAt')}
        />
        <SelectField
          id="nature"
          label="What kind of breach"
          options={Object.entries(NATURE_NAMES).map(([value, label]) => ({ value, label }))}
          error={at('nature')}
        />
        <TextArea
          id="description"
          label="What happened"
          hint="Describe people by category (e.g. “Year 11 pupils”), never by name."
          rows={4}
          error={at('description')}
        />
        <CheckboxGroup
          id="people"
          legend="Whose data was involved"
          names={PEOPLE_NAMES}
          error={at('peopleCategories')}
        />
        <CheckboxGroup
          id="data"
          legend="What data was involved"
          names={DATA_NAMES}
          error={at('dataCategories')}
        />
        <TextField
          id="approx-people"
          label="About how many people"
          inputMode="numeric"
          className="input input--narrow"
          error={at('approxPeople')}
        />
        <TextField
          id="approx-records"
          label="About how many records"
          inputMode="numeric"
          className="input input--narrow"
          error={at('approxRecords')}
        />
        <CheckboxGroup
          id="schools"
          legend="Schools affected"
          hint="Each is sent a notice when you choose to send it; leave all unticked if no school’s data was involved."
          names={Object.fromEntries(schools.map((school) => [school.id, school.name]))}
          error={at('schoolIds')}
        />
        <TextArea
          id="consequences"
          label="Likely consequences for the people involved"
          rows={3}
          error={at('consequences')}
        />
        <TextArea
          id="measures-taken"
          label="Measures taken to deal with it and limit its effects"
          rows={3}
          error={at('measuresTaken')}
        />
        <TextArea
          id="measures-proposed"
          label="Measures proposed (optional)"
          rows={3}
          error={at('measuresProposed')}
        />
        <TextField
          id="contact"
          label="Who the schools contact about it"
          hint="The operator’s DPO or contact point: name, e-mail and telephone."
          error={at('contact')}
        />
        <Button busy={record.isPending}>Record the breach</Button>
      </form>
    </>
  );
}

/** Recording a breach: the facts a notice to the schools and a report to the ICO need. */
export function NewBreachPage() {
  const schools = useQuery({
    queryKey: ['platform', 'schools'],
    queryFn: () => api.get<School[]>('/api/v1/platform/schools'),
  });
  return (
    <Page title="Record a breach" caption="Breach register">
      <QueryView query={schools} what="schools">
        {(list) => <BreachForm schools={list} />}
      </QueryView>
    </Page>
  );
}
