import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
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
import { useSchool } from '../../session/session.tsx';
import {
  choice,
  IDENTITY_NAMES,
  KIND_NAMES,
  optionsOf,
  privacyPath,
  problemsByPath,
  RELATIONSHIP_NAMES,
  SUBJECT_TYPE_NAMES,
  todayInEngland,
  type Details,
} from './api.ts';
import { DeadlinePreview } from './deadline-preview.tsx';
import { PupilPicker } from './pupil-picker.tsx';
import { RequesterFields } from './requester-fields.tsx';
import { StaffPicker } from './staff-picker.tsx';
import './privacy.css';

type Kind = Details['kind'];
type SubjectType = Details['subjectType'];
type Relationship = Details['requester']['relationship'];
type Identity = Details['identityStatus'];

const SERVER_FIELDS = {
  kind: { id: 'kind', label: 'What they asked for' },
  subjectType: { id: 'subjectType', label: 'Who it is about' },
  'requester.name': { id: 'requesterName', label: 'Their name' },
  'requester.contact': { id: 'requesterContact', label: 'How to reach them' },
  'requester.relationship': { id: 'relationship', label: 'Who they are' },
  receivedOn: { id: 'receivedOn', label: 'Date received' },
  description: { id: 'description', label: 'What they asked' },
  identityStatus: { id: 'identityStatus', label: 'Identity check' },
};

/** The server's fields, the subject's mapped onto the pupil search or the staff select. */
function serverFields(subjectType: SubjectType) {
  return {
    ...SERVER_FIELDS,
    subjectId:
      subjectType === 'staff'
        ? { id: 'staffId', label: 'The member of staff' }
        : { id: 'pupilQuery', label: 'The pupil' },
  };
}

interface NewRequest {
  kind: Kind;
  subjectType: SubjectType;
  subjectId?: string;
  requester: { name: string; contact: string; relationship: Relationship };
  receivedOn: string;
  description?: string;
  identityStatus: Identity;
}

/** Recording a request the school received: who asked, about whom, what for, and when it arrived. */
export function NewRequestPage() {
  const school = useSchool();
  const navigate = useNavigate();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [subjectType, setSubjectType] = useState<SubjectType>('pupil');
  const today = todayInEngland();
  const [enteredOn, setEnteredOn] = useState(today);
  const create = useMutation({
    mutationFn: (body: NewRequest) =>
      api.post<{ id: string; reference: string }>(`${privacyPath(school.id)}/requests`, body),
    onSuccess: (created) =>
      navigate(`/schools/${school.id}/privacy/requests/${created.id}`, { state: { recorded: true } }),
    onError: (error, body) => setProblems(problemsByPath(error, serverFields(body.subjectType))),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = formText(data, 'requesterName').trim();
    const contact = formText(data, 'requesterContact').trim();
    const receivedOn = formText(data, 'receivedOn');
    const description = formText(data, 'description').trim();
    const subjectId = formText(data, 'subjectId');
    const found: FormProblem[] = [];
    if (name === '') {
      found.push({ field: 'requesterName', message: 'Enter the name of the person who made the request' });
    }
    if (contact === '') {
      found.push({ field: 'requesterContact', message: 'Enter an e-mail or postal address to reply to' });
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) {
      found.push({ field: 'receivedOn', message: 'Enter the date the request arrived' });
    } else if (receivedOn > today) {
      found.push({ field: 'receivedOn', message: 'The date received cannot be in the future' });
    }
    setProblems(found);
    if (found.length > 0) {
      return;
    }
    create.mutate({
      kind: choice(KIND_NAMES, formText(data, 'kind'), 'access'),
      subjectType,
      ...((subjectType === 'pupil' || subjectType === 'staff') && subjectId !== '' ? { subjectId } : {}),
      requester: {
        name,
        contact,
        relationship: choice(RELATIONSHIP_NAMES, formText(data, 'relationship'), 'other'),
      },
      receivedOn,
      ...(description === '' ? {} : { description }),
      identityStatus: choice(IDENTITY_NAMES, formText(data, 'identityStatus'), 'not_checked'),
    });
  };
  return (
    <Page title="Record a request" caption="Privacy requests">
      <p>
        Record it on the day it arrives, by any route (e-mail, letter, said in person). The deadline is one
        calendar month from the day received; Haven shows it as soon as the date received is entered.
      </p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <SelectField
          id="kind"
          label="What they asked for"
          options={optionsOf(KIND_NAMES)}
          error={problemFor(problems, 'kind')}
        />
        <SelectField
          id="subjectType"
          label="Who it is about"
          options={optionsOf(SUBJECT_TYPE_NAMES)}
          value={subjectType}
          onChange={(event) => setSubjectType(choice(SUBJECT_TYPE_NAMES, event.target.value, 'pupil'))}
          error={problemFor(problems, 'subjectType')}
        />
        {subjectType === 'pupil' ? (
          <PupilPicker
            schoolId={school.id}
            id="pupilQuery"
            name="subjectId"
            error={problemFor(problems, 'pupilQuery')}
          />
        ) : subjectType === 'staff' ? (
          <StaffPicker
            school={school}
            id="staffId"
            name="subjectId"
            optional
            error={problemFor(problems, 'staffId')}
          />
        ) : null}
        <h2>Who made the request</h2>
        <RequesterFields
          ids={{ name: 'requesterName', contact: 'requesterContact', relationship: 'relationship' }}
          problems={problems}
          contactHint="The e-mail or postal address the answer goes to."
        />
        <h2>The request</h2>
        <TextField
          id="receivedOn"
          label="Date received"
          type="date"
          max={today}
          defaultValue={today}
          onChange={(event) => setEnteredOn(event.target.value)}
          className="input input--narrow"
          error={problemFor(problems, 'receivedOn')}
        />
        <DeadlinePreview schoolId={school.id} receivedOn={enteredOn} today={today} />
        <TextArea
          id="description"
          label="What they asked (optional)"
          hint="In their words, or a short summary."
          rows={4}
          error={problemFor(problems, 'description')}
        />
        <SelectField
          id="identityStatus"
          label="Identity check"
          hint="Data is only released or erased once the requester’s identity is confirmed or not needed."
          options={optionsOf(IDENTITY_NAMES)}
          error={problemFor(problems, 'identityStatus')}
        />
        <Button busy={create.isPending}>Save the request</Button>
        <Link to={`/schools/${school.id}/privacy`}>Cancel</Link>
      </form>
    </Page>
  );
}
