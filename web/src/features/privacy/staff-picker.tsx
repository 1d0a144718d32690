import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { StaffMember } from '../../../../src/modules/organisations/organisations.schema.ts';
import { api } from '../../api/client.ts';
import type { MySchool } from '../../api/types.ts';
import { SelectField } from '../../components/form.tsx';
import { QueryView } from '../../components/status.tsx';
import { can } from '../../session/session.tsx';

export type Staff = Array<Static<typeof StaffMember>>;

/**
 * The school's staff, for naming the member of staff a request is about. The list needs users.manage
 * (the privacy assignees are only the request handlers); without it the query does not run.
 */
export function useStaffList(school: MySchool) {
  const allowed = can(school, 'users.manage');
  const staff = useQuery({
    // The same key as the staff page's, so both read one copy.
    queryKey: ['staff', school.id],
    queryFn: () => api.get<Staff>(`/api/v1/schools/${school.id}/staff`),
    enabled: allowed,
  });
  return { allowed, staff };
}

/** Who cannot see the staff list is told who links the member of staff, and that it can wait. */
export function StaffLinkedLater({ id }: { id: string }) {
  return (
    <div className="field">
      <p id={id} className="hint">
        A school administrator (someone who manages staff accounts) links the member of staff to the request.
        You can record the request without them; they are linked later.
      </p>
    </div>
  );
}

/**
 * Choosing the member of staff a request is about, inside a form: a select named `name` holding their
 * user id (never their e-mail, which stays out of addresses). With `optional`, the first choice leaves
 * them to be linked later.
 */
export function StaffPicker({
  school,
  id,
  name,
  error,
  optional = false,
}: {
  school: MySchool;
  /** The id of the select (error summaries link to it). */
  id: string;
  /** The form field holding the chosen person's user id. */
  name: string;
  error?: string | undefined;
  optional?: boolean;
}) {
  const { allowed, staff } = useStaffList(school);
  if (!allowed) {
    return <StaffLinkedLater id={id} />;
  }
  return (
    <QueryView query={staff} what="the school’s staff">
      {(list) => (
        <SelectField
          id={id}
          name={name}
          label="The member of staff"
          hint={
            optional
              ? 'Choose them from the school’s staff. If you are not sure who it is yet, leave it and link them later.'
              : 'Choose them from the school’s staff.'
          }
          defaultValue=""
          error={error}
          options={[
            { value: '', label: optional ? 'Not known yet (link them later)' : 'Choose a member of staff' },
            ...list
              .toSorted((a, b) => a.email.localeCompare(b.email))
              .map((member) => ({
                value: member.userId,
                label: `${member.email} (${member.roles.join(', ').replaceAll('_', ' ')})`,
              })),
          ]}
        />
      )}
    </QueryView>
  );
}
