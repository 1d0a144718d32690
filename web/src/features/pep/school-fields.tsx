import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { problemFor, SelectField, TextField, type FormProblem } from '../../components/form.tsx';
import { Loading } from '../../components/status.tsx';
import type { SchoolOption, Scope } from './api.ts';
import { Radios } from './parts.tsx';

export const SCHOOL_LABELS: Record<string, string> = {
  school: 'School',
  'school-schoolId': 'School on Haven',
  'school-name': 'School’s name',
};

/**
 * Which school the child attends: one on Haven (picked from the list; it is asked to agree the link) or
 * one not on Haven, by name. Controlled by `kind` ('haven' or 'other').
 */
export function SchoolFields({
  scope,
  kind,
  setKind,
  problems,
}: {
  scope: Scope;
  kind: string;
  setKind: (kind: string) => void;
  problems: FormProblem[];
}) {
  const schools = useQuery({
    queryKey: ['pep', scope.orgId, 'schools'],
    queryFn: () => api.get<SchoolOption[]>(`${scope.api}/schools`),
  });
  return (
    <>
      <Radios
        id="school"
        legend="Where does the child go to school?"
        options={[
          { value: 'haven', label: 'A school that uses Haven (it is asked to agree the link)' },
          { value: 'other', label: 'A school not on Haven' },
        ]}
        value={kind}
        onChange={setKind}
        error={problemFor(problems, 'school')}
      />
      {kind === 'haven' ? (
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
    </>
  );
}

/** The chosen school as the API's `school`, or the problem to show. */
export function schoolFrom(
  form: FormData,
  kind: string,
): { school: { schoolId: string } | { name: string } } | FormProblem {
  const value = (name: string) => {
    const entry = form.get(name);
    return typeof entry === 'string' ? entry.trim() : '';
  };
  if (kind === 'haven') {
    const schoolId = value('school-schoolId');
    return schoolId === ''
      ? { field: 'school-schoolId', message: 'Choose the child’s school' }
      : { school: { schoolId } };
  }
  const name = value('school-name');
  return name === ''
    ? { field: 'school-name', message: 'Enter the name of the child’s school' }
    : { school: { name } };
}
