import { todayInEngland } from '../../platform/calendar/working-days.ts';
import type { Services } from '../../services.ts';
import { appClasses, appClassMembers, appSchool, appStudents } from '../apps/app-data.service.ts';
import type { AppAccess } from '../apps/app-tokens.ts';
import type { OneRosterRecord } from './oneroster-query.ts';

// Haven's rostering data as OneRoster 1.2 collections, built on the apps data service: the app's own
// pairwise pupil ids, only the attributes its grant allows, every pupil read audited as for the app
// API. A school's collections are small (a few thousand pupils), so each request builds the collection
// and the query runs over it (oneroster-query.ts).

const PAGE = 1500;

/** A granted attribute the basic type does not declare (present only with its scope). */
const granted = (student: object, name: string): string | undefined => {
  const value: unknown = Object.entries(student).find(([key]) => key === name)?.[1];
  return typeof value === 'string' ? value : undefined;
};
const ref = (type: string, sourcedId: string) => ({ href: `/${type}s/${sourcedId}`, sourcedId, type });

/** The current academic year (1 September to 31 August), as OneRoster's schoolYear session. */
function academicYear(): OneRosterRecord {
  const today = todayInEngland();
  const year = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 9 ? 1 : 0);
  return {
    sourcedId: `ay-${year}`,
    status: 'active',
    dateLastModified: `${year}-09-01T00:00:00.000Z`,
    title: `${year}/${String(year + 1).slice(2)}`,
    type: 'schoolYear',
    startDate: `${year}-09-01`,
    endDate: `${year + 1}-08-31`,
    schoolYear: String(year + 1),
  };
}

export async function rosterOrgs(services: Services, access: AppAccess): Promise<OneRosterRecord[]> {
  const school = await appSchool(services, access);
  return [
    {
      sourcedId: school.id,
      status: 'active',
      dateLastModified: new Date(0).toISOString(),
      name: school.name,
      type: 'school',
      identifier: school.urn ?? '',
    },
  ];
}

export function rosterSessions(): OneRosterRecord[] {
  return [academicYear()];
}

async function allStudents(services: Services, access: AppAccess, requestId: string) {
  const students = [];
  let lastModified = new Date(0);
  for (let page = 1; ; page += 1) {
    const found = await appStudents(services, access, { page: { page, perPage: PAGE } }, requestId);
    students.push(...found.students);
    if (found.lastModified !== undefined && found.lastModified > lastModified) {
      lastModified = found.lastModified;
    }
    if (found.students.length < PAGE) {
      return { students, lastModified };
    }
  }
}

export async function rosterUsers(services: Services, access: AppAccess, requestId: string) {
  const { students, lastModified } = await allStudents(services, access, requestId);
  return students.map((student) => {
    const upn = granted(student, 'upn');
    return {
      sourcedId: student.id,
      status: student.leave_date === null ? 'active' : 'tobedeleted',
      dateLastModified: lastModified.toISOString(),
      enabledUser: student.leave_date === null,
      givenName: student.first_name ?? '',
      familyName: student.last_name ?? '',
      roles: [{ roleType: 'primary', role: 'student', org: ref('org', access.schoolId) }],
      userIds: upn === undefined ? [] : [{ type: 'UPN', identifier: upn }],
      identifier: upn ?? '',
      grades: student.year_group === null ? [] : [String(student.year_group).padStart(2, '0')],
    };
  });
}

/** Demographics: only the attributes granted (sex with students.sex, birthDate with students.dob). */
export async function rosterDemographics(services: Services, access: AppAccess, requestId: string) {
  const { students, lastModified } = await allStudents(services, access, requestId);
  return students.map((student) => {
    const birthDate = granted(student, 'date_of_birth');
    const sex = granted(student, 'sex');
    return {
      sourcedId: student.id,
      status: 'active',
      dateLastModified: lastModified.toISOString(),
      ...(birthDate === undefined ? {} : { birthDate }),
      ...(sex === undefined ? {} : { sex: sex === 'F' ? 'female' : 'male' }),
    };
  });
}

async function allClasses(services: Services, access: AppAccess) {
  const classes = [];
  for (let page = 1; ; page += 1) {
    const found = await appClasses(services, access, { page, perPage: PAGE });
    classes.push(...found.rows);
    if (found.rows.length < PAGE) {
      return classes;
    }
  }
}

const courseOf = (subject: string | null) => `course-${subject ?? 'registration'}`;

export async function rosterCourses(services: Services, access: AppAccess): Promise<OneRosterRecord[]> {
  const subjects = [...new Set((await allClasses(services, access)).map((row) => row.subject))];
  return subjects.map((subject) => ({
    sourcedId: courseOf(subject),
    status: 'active',
    dateLastModified: new Date(0).toISOString(),
    title: subject ?? 'Registration',
    courseCode: subject ?? 'REG',
    org: ref('org', access.schoolId),
  }));
}

export async function rosterClasses(services: Services, access: AppAccess): Promise<OneRosterRecord[]> {
  const session = academicYear();
  return (await allClasses(services, access)).map((row) => ({
    sourcedId: row.id,
    status: 'active',
    dateLastModified: new Date(0).toISOString(),
    title: row.name,
    classCode: row.name,
    classType: row.subject === null ? 'homeroom' : 'scheduled',
    course: ref('course', courseOf(row.subject)),
    school: ref('org', access.schoolId),
    terms: [ref('academicSession', String(session.sourcedId))],
    grades: row.year_group === null ? [] : [String(row.year_group).padStart(2, '0')],
  }));
}

export async function rosterEnrollments(
  services: Services,
  access: AppAccess,
  requestId: string,
): Promise<OneRosterRecord[]> {
  const enrollments: OneRosterRecord[] = [];
  for (const row of await allClasses(services, access)) {
    const members = await appClassMembers(services, access, row.id, requestId);
    for (const studentId of members.student_ids) {
      enrollments.push({
        sourcedId: `${row.id}.${studentId}`,
        status: 'active',
        dateLastModified: new Date(0).toISOString(),
        role: 'student',
        primary: false,
        user: ref('user', studentId),
        class: ref('class', row.id),
        school: ref('org', access.schoolId),
      });
    }
  }
  return enrollments;
}
