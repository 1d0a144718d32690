import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { childPage, LEGAL_STATUS_OPTIONS, scopeKey, YEAR_GROUP_OPTIONS } from './api.ts';
import { CARE_LABELS, CareFields, careFrom } from './care-fields.tsx';
import { problemsAt, useScope } from './parts.tsx';
import { SCHOOL_LABELS, SchoolFields, schoolFrom } from './school-fields.tsx';
import '../privacy/privacy.css';
import './pep.css';

const LABELS: Record<string, string> = {
  forename: 'Forename',
  surname: 'Surname',
  dob: 'Date of birth',
  upn: 'UPN',
  yearGroup: 'Year group',
  legalStatus: 'Legal status',
  enteredCareOn: 'Date the child entered care',
  ...SCHOOL_LABELS,
  ...CARE_LABELS,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Adding a child the virtual school looks after: who they are, their school (on Haven: the school is asked
 * to agree the link; not on Haven: by name), their legal status and care details.
 */
export function NewChildPage() {
  const scope = useScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [schoolKind, setSchoolKind] = useState('haven');
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<{ id: string }>(`${scope.api}/children`, body),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: scopeKey(scope) });
      await navigate(childPage(scope, created.id), { state: { added: true } });
    },
    onError: (error) => setProblems(problemsAt(error, LABELS)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formText(form, name).trim();
    const found: FormProblem[] = [];
    if (text('forename') === '') {
      found.push({ field: 'forename', message: 'Enter the child’s forename' });
    }
    if (text('surname') === '') {
      found.push({ field: 'surname', message: 'Enter the child’s surname' });
    }
    if (!DAY.test(text('dob'))) {
      found.push({ field: 'dob', message: 'Enter the child’s date of birth' });
    }
    if (!DAY.test(text('enteredCareOn'))) {
      found.push({ field: 'enteredCareOn', message: 'Enter the date the child entered care' });
    }
    const chosen = schoolFrom(form, schoolKind);
    if (!('school' in chosen)) {
      found.push(chosen);
    }
    setProblems(found);
    if (found.length > 0 || !('school' in chosen)) {
      return;
    }
    const upn = text('upn').toUpperCase();
    create.mutate({
      forename: text('forename'),
      surname: text('surname'),
      dob: text('dob'),
      upn: upn === '' ? null : upn,
      yearGroup: text('yearGroup') === '' ? null : Number(text('yearGroup')),
      legalStatus: text('legalStatus'),
      enteredCareOn: text('enteredCareOn'),
      ...careFrom(form),
      ...chosen,
    });
  };
  return (
    <Page title="Add a child" caption="Personal Education Plans">
      <p>
        <Link to={`${scope.web}/children`}>Back to the children</Link>
      </p>
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate aria-label="Add a child">
        <h2>The child</h2>
        <div className="pep-inline">
          <TextField
            id="forename"
            label="Forename"
            autoComplete="off"
            spellCheck={false}
            error={problemFor(problems, 'forename')}
          />
          <TextField
            id="surname"
            label="Surname"
            autoComplete="off"
            spellCheck={false}
            error={problemFor(problems, 'surname')}
          />
        </div>
        <div className="pep-inline">
          <TextField id="dob" label="Date of birth" type="date" error={problemFor(problems, 'dob')} />
          <TextField
            id="upn"
            label="UPN (optional)"
            hint="The 13-character unique pupil number, if you know it: it helps the school find the child’s record."
            autoComplete="off"
            spellCheck={false}
            className="input input--narrow"
            error={problemFor(problems, 'upn')}
          />
          <SelectField
            id="yearGroup"
            label="Year group"
            options={YEAR_GROUP_OPTIONS}
            error={problemFor(problems, 'yearGroup')}
          />
        </div>
        <h2>Care</h2>
        <div className="pep-inline">
          <TextField
            id="enteredCareOn"
            label="Date the child entered care"
            hint="The initial PEP is due 10 working days after this date."
            type="date"
            error={problemFor(problems, 'enteredCareOn')}
          />
          <SelectField
            id="legalStatus"
            label="Legal status"
            options={LEGAL_STATUS_OPTIONS}
            defaultValue="C2"
            error={problemFor(problems, 'legalStatus')}
          />
        </div>
        <CareFields scope={scope} problems={problems} />
        <h2>School</h2>
        <SchoolFields scope={scope} kind={schoolKind} setKind={setSchoolKind} problems={problems} />
        <Button busy={create.isPending}>Add the child</Button>
      </form>
    </Page>
  );
}
