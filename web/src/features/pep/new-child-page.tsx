import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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
import { Loading } from '../../components/status.tsx';
import { childPage, LEGAL_STATUS_OPTIONS, scopeKey, YEAR_GROUP_OPTIONS, type SchoolOption } from './api.ts';
import { CARE_LABELS, CareFields, careFrom } from './care-fields.tsx';
import { problemsAt, Radios, useScope } from './parts.tsx';
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
  school: 'School',
  'school-schoolId': 'School on Haven',
  'school-name': 'School’s name',
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
  const schools = useQuery({
    queryKey: ['pep', scope.orgId, 'schools'],
    queryFn: () => api.get<SchoolOption[]>(`${scope.api}/schools`),
  });
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
    if (schoolKind === 'haven' && text('school-schoolId') === '') {
      found.push({ field: 'school-schoolId', message: 'Choose the child’s school' });
    }
    if (schoolKind === 'other' && text('school-name') === '') {
      found.push({ field: 'school-name', message: 'Enter the name of the child’s school' });
    }
    setProblems(found);
    if (found.length > 0) {
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
      school: schoolKind === 'haven' ? { schoolId: text('school-schoolId') } : { name: text('school-name') },
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
        <Radios
          id="school"
          legend="Where does the child go to school?"
          options={[
            { value: 'haven', label: 'A school that uses Haven (it is asked to agree the link)' },
            { value: 'other', label: 'A school not on Haven' },
          ]}
          value={schoolKind}
          onChange={setSchoolKind}
          error={problemFor(problems, 'school')}
        />
        {schoolKind === 'haven' ? (
          schools.isPending ? (
            <Loading what="the schools" />
          ) : (
            <SelectField
              id="school-schoolId"
              label="School on Haven"
              options={[
                { value: '', label: 'Choose a school' },
                ...(schools.data ?? []).map((school) => ({ value: school.id, label: school.name })),
              ]}
              error={problemFor(problems, 'school-schoolId')}
            />
          )
        ) : (
          <TextField
            id="school-name"
            label="School’s name"
            autoComplete="off"
            error={problemFor(problems, 'school-name')}
          />
        )}
        <Button busy={create.isPending}>Add the child</Button>
      </form>
    </Page>
  );
}
