import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { PlatformSchool } from '../../../../src/modules/organisations/organisations.schema.ts';
import type { RoutedRequestBody } from '../../../../src/modules/privacy/requests.schema.ts';
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
import {
  choice,
  isCalendarDate,
  KIND_NAMES,
  optionsOf,
  problemsByPath,
  RELATIONSHIP_NAMES,
  SUBJECT_TYPE_NAMES,
  todayInEngland,
} from '../privacy/api.ts';
import { RequesterFields } from '../privacy/requester-fields.tsx';

type School = Static<typeof PlatformSchool>;
type RoutedRequest = Static<typeof RoutedRequestBody>;

// Marketing contacts are Haven's own data (the marketing section deals with them), never a school's.
const SUBJECTS = {
  pupil: SUBJECT_TYPE_NAMES.pupil,
  contact: SUBJECT_TYPE_NAMES.contact,
  staff: SUBJECT_TYPE_NAMES.staff,
};

const SERVER_FIELDS = {
  schoolId: { id: 'route-school', label: 'The school' },
  kind: { id: 'route-kind', label: 'What they asked for' },
  subjectType: { id: 'route-subject', label: 'Who it is about' },
  'requester.name': { id: 'route-name', label: 'Their name' },
  'requester.contact': { id: 'route-contact', label: 'How to reach them' },
  'requester.relationship': { id: 'route-relationship', label: 'Who they are' },
  receivedOn: { id: 'route-received', label: 'Date received' },
  description: { id: 'route-description', label: 'What they asked' },
};

/**
 * A data subject request that reached Haven (the processor) about a school's data: the operator records
 * who asked and what, and it goes straight into that school's register. The operator sees nothing of
 * it afterwards.
 */
export function PrivacyRoutingSection({ schools }: { schools: School[] }) {
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [passed, setPassed] = useState<string | undefined>(undefined);
  const passedRef = useRef<HTMLOutputElement>(null);
  const today = todayInEngland();
  const nameOf = (id: string) => schools.find((school) => school.id === id)?.name ?? 'the school';
  const route = useMutation({
    mutationFn: (body: RoutedRequest) =>
      api.post<{ reference: string; schoolId: string }>('/api/v1/platform/privacy-requests', body),
    onSuccess: (routed) => setPassed(`Passed to ${nameOf(routed.schoolId)} as ${routed.reference}`),
    onError: (error) => setProblems(problemsByPath(error, SERVER_FIELDS)),
  });
  useEffect(() => {
    if (passed !== undefined) {
      passedRef.current?.focus();
    }
  }, [passed]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const schoolId = formText(data, 'route-school');
    const name = formText(data, 'route-name').trim();
    const contact = formText(data, 'route-contact').trim();
    const receivedOn = formText(data, 'route-received');
    const description = formText(data, 'route-description').trim();
    const found: FormProblem[] = [];
    if (!schools.some((school) => school.id === schoolId)) {
      found.push({ field: 'route-school', message: 'Choose the school whose data the request is about' });
    }
    if (name === '') {
      found.push({ field: 'route-name', message: 'Enter the name of the person who made the request' });
    }
    if (contact === '') {
      found.push({ field: 'route-contact', message: 'Enter an e-mail or postal address to reply to' });
    }
    if (!isCalendarDate(receivedOn)) {
      found.push({ field: 'route-received', message: 'Enter the date the request arrived' });
    } else if (receivedOn > today) {
      found.push({ field: 'route-received', message: 'The date received cannot be in the future' });
    }
    setProblems(found);
    setPassed(undefined);
    if (found.length > 0) {
      return;
    }
    route.mutate(
      {
        schoolId,
        kind: choice(KIND_NAMES, formText(data, 'route-kind'), 'access'),
        subjectType: choice(SUBJECTS, formText(data, 'route-subject'), 'pupil'),
        requester: {
          name,
          contact,
          relationship: choice(RELATIONSHIP_NAMES, formText(data, 'route-relationship'), 'other'),
        },
        receivedOn,
        ...(description === '' ? {} : { description }),
      },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <section aria-labelledby="privacy-routing-title">
      <h2 id="privacy-routing-title">Pass on a data protection request</h2>
      <p>
        When someone asks Haven to see, correct or erase data a school holds, the school is the controller and
        will answer it: record the request here and it goes straight into that school’s register, with its
        deadline counted from the day Haven received it.
      </p>
      {passed === undefined ? null : (
        <output className="notice notice--success" tabIndex={-1} ref={passedRef}>
          <p>{passed}</p>
        </output>
      )}
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <SelectField
          id="route-school"
          label="The school"
          hint="The school whose pupils, parents or staff the request is about."
          options={[
            { value: '', label: 'Choose a school' },
            ...schools.map((school) => ({ value: school.id, label: school.name })),
          ]}
          defaultValue=""
          error={problemFor(problems, 'route-school')}
        />
        <SelectField
          id="route-kind"
          label="What they asked for"
          options={optionsOf(KIND_NAMES)}
          error={problemFor(problems, 'route-kind')}
        />
        <SelectField
          id="route-subject"
          label="Who it is about"
          options={optionsOf(SUBJECTS)}
          error={problemFor(problems, 'route-subject')}
        />
        <h3>Who made the request</h3>
        <RequesterFields
          ids={{ name: 'route-name', contact: 'route-contact', relationship: 'route-relationship' }}
          problems={problems}
          contactHint="The e-mail or postal address the school’s answer goes to."
        />
        <h3>The request</h3>
        <TextField
          id="route-received"
          label="Date Haven received it"
          type="date"
          max={today}
          defaultValue={today}
          className="input input--narrow"
          error={problemFor(problems, 'route-received')}
        />
        <TextArea
          id="route-description"
          label="What they asked (optional)"
          hint="In their words, or a short summary. Say which pupil they mean if they told you; the school identifies them."
          rows={4}
          error={problemFor(problems, 'route-description')}
        />
        <Button busy={route.isPending}>Pass it to the school</Button>
      </form>
    </section>
  );
}
