import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import type { Static } from 'typebox';
import type { ClassList } from '../../../../src/modules/curriculum/classes.schema.ts';
import type { StaffMember } from '../../../../src/modules/organisations/organisations.schema.ts';
import { api } from '../../api/client.ts';
import { formText } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { ErrorNotice, Notice, QueryView } from '../../components/status.tsx';
import { can, useSchool } from '../../session/session.tsx';

type Classes = Static<typeof ClassList>;
type Staff = Array<Static<typeof StaffMember>>;

/**
 * Which teacher teaches which class: a teacher sees only their classes' pupils, so this page decides what
 * each teacher can see. Classes come from imports; linking teachers needs the staff list too.
 */
export function ClassesPage() {
  const school = useSchool();
  const queryClient = useQueryClient();
  const manageStaff = can(school, 'users.manage');
  const classes = useQuery({
    queryKey: ['classes', school.id],
    queryFn: () => api.get<Classes>(`/api/v1/schools/${school.id}/classes`),
  });
  const staff = useQuery({
    queryKey: ['staff', school.id],
    queryFn: () => api.get<Staff>(`/api/v1/schools/${school.id}/staff`),
    enabled: manageStaff,
  });
  const change = useMutation({
    mutationFn: ({ classId, userId, link }: { classId: string; userId: string; link: boolean }) =>
      link
        ? api.put(`/api/v1/schools/${school.id}/classes/${classId}/teachers/${userId}`)
        : api.delete(`/api/v1/schools/${school.id}/classes/${classId}/teachers/${userId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['classes', school.id] }),
  });
  const emailOf = (userId: string) => staff.data?.find((member) => member.userId === userId)?.email ?? userId;
  const link = (classId: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const userId = formText(new FormData(event.currentTarget), 'teacher');
    if (userId !== '') {
      change.mutate({ classId, userId, link: true });
    }
  };
  return (
    <Page title="Classes and teachers" caption={school.name}>
      <p>Teachers see the pupils of the classes they are linked to here, and no others.</p>
      {manageStaff ? null : (
        <Notice>
          <p>Linking teachers to classes needs the school administrator role, which manages staff.</p>
        </Notice>
      )}
      {change.isError ? <ErrorNotice error={change.error} title="The change was not made" /> : null}
      <QueryView query={classes} what="classes">
        {(list) =>
          list.length === 0 ? (
            <p>There are no classes yet. Classes arrive with an import of class lists or results.</p>
          ) : (
            <div className="table-wrapper">
              <table className="table">
                <caption>Classes ({list.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">Subject</th>
                    <th scope="col" className="numeric">
                      Pupils
                    </th>
                    <th scope="col">Teachers</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((entry) => (
                    <tr key={entry.id}>
                      <td>{entry.name}</td>
                      <td>{entry.subject ?? '—'}</td>
                      <td className="numeric">{entry.pupils}</td>
                      <td>
                        <ul className="plain-list">
                          {entry.teacherIds.map((userId) => (
                            <li key={userId}>
                              {emailOf(userId)}{' '}
                              {manageStaff ? (
                                <button
                                  type="button"
                                  className="button--link"
                                  disabled={change.isPending}
                                  onClick={() => change.mutate({ classId: entry.id, userId, link: false })}
                                >
                                  Unlink<span className="visually-hidden"> from {entry.name}</span>
                                </button>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                        {manageStaff && staff.data !== undefined ? (
                          <form onSubmit={link(entry.id)} className="inline-form">
                            <label htmlFor={`teacher-${entry.id}`} className="visually-hidden">
                              Teacher to link to {entry.name}
                            </label>
                            <select
                              id={`teacher-${entry.id}`}
                              name="teacher"
                              className="select select--small"
                            >
                              {staff.data
                                .filter((member) => !entry.teacherIds.includes(member.userId))
                                .map((member) => (
                                  <option key={member.userId} value={member.userId}>
                                    {member.email}
                                  </option>
                                ))}
                            </select>{' '}
                            <button type="submit" className="button button--secondary button--small">
                              Link<span className="visually-hidden"> to {entry.name}</span>
                            </button>
                          </form>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </Page>
  );
}
