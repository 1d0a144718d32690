import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Static } from 'typebox';
import type { StaffMember } from '../../../../src/modules/organisations/organisations.schema.ts';
import { api } from '../../api/client.ts';
import {
  Button,
  ErrorSummary,
  formText,
  problemFor,
  problemsFrom,
  SelectField,
  TextField,
  type FormProblem,
} from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { useSchool } from '../../session/session.tsx';
import { roleName } from '../account/account-page.tsx';

type Staff = Array<Static<typeof StaffMember>>;

/** The roles a school gives (the server refuses any other, and any above the giver's own). */
export const SCHOOL_ROLES = [
  'teacher',
  'senior_leader',
  'data_manager',
  'designated_teacher',
  'dpo',
  'school_admin',
];

function AddStaff({ schoolId }: { schoolId: string }) {
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const add = useMutation({
    mutationFn: (body: { email: string; role: string }) =>
      api.post(`/api/v1/schools/${schoolId}/staff`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff', schoolId] }),
    onError: (error) => setProblems(problemsFrom(error, { email: 'Email address', role: 'Role' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = formText(data, 'email').trim();
    const role = formText(data, 'role');
    const found: FormProblem[] = [];
    if (!email.includes('@')) {
      found.push({ field: 'email', message: 'Enter their work email address, like name@school.example' });
    }
    setProblems(found);
    if (found.length === 0) {
      add.mutate({ email, role }, { onSuccess: () => form.reset() });
    }
  };
  return (
    <section aria-labelledby="add-title">
      <h2 id="add-title">Add a member of staff</h2>
      <p>
        Someone new to Haven gets an email with a link to set their password (it works for 7 days). Someone
        who already has an account gets the role at once.
      </p>
      {add.isSuccess ? (
        <Notice tone="success">
          <p>Done. They have been given the role.</p>
        </Notice>
      ) : null}
      <ErrorSummary problems={problems} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="email"
          label="Work email address"
          type="email"
          autoComplete="off"
          spellCheck={false}
          error={problemFor(problems, 'email')}
        />
        <SelectField
          id="role"
          label="Role"
          hint="Teachers see only the pupils of the classes they are linked to."
          options={SCHOOL_ROLES.map((role) => ({ value: role, label: roleName(role) }))}
          error={problemFor(problems, 'role')}
        />
        <Button busy={add.isPending}>Add to staff</Button>
      </form>
    </section>
  );
}

export function StaffPage() {
  const school = useSchool();
  const queryClient = useQueryClient();
  const staff = useQuery({
    queryKey: ['staff', school.id],
    queryFn: () => api.get<Staff>(`/api/v1/schools/${school.id}/staff`),
  });
  const remove = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: string }) =>
      api.delete(`/api/v1/schools/${school.id}/staff/${userId}/roles/${role}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff', school.id] }),
  });
  return (
    <Page title="Staff" caption={school.name}>
      {remove.isError ? <ErrorNotice error={remove.error} title="The role could not be removed" /> : null}
      <QueryView query={staff} what="staff">
        {(list) => (
          <div className="table-wrapper">
            <table className="table">
              <caption>Staff with a role in this school ({list.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Email address</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Account</th>
                  <th scope="col">Two-factor sign-in</th>
                </tr>
              </thead>
              <tbody>
                {list.map((member) => (
                  <tr key={member.userId}>
                    <td>{member.email}</td>
                    <td>
                      <ul className="plain-list">
                        {member.roles.map((role) => (
                          <li key={role}>
                            {roleName(role)}{' '}
                            <button
                              type="button"
                              className="button--link"
                              disabled={remove.isPending}
                              onClick={() => remove.mutate({ userId: member.userId, role })}
                            >
                              Remove
                              <span className="visually-hidden">
                                {' '}
                                the {roleName(role)} role from {member.email}
                              </span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{member.status === 'active' ? 'Active' : member.status}</td>
                    <td>{member.twoFactor ? 'On' : 'Off'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
      <AddStaff schoolId={school.id} />
    </Page>
  );
}
