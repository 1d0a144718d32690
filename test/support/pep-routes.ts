// Shared set-up of the PEP route tests: a school with pupils, a virtual school with its staff, a
// designated teacher, and a child linked with the school's agreement.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildUser, signInAs } from './auth.ts';
import { buildSchool } from './factories.ts';
import { useTestApp } from './http.ts';
import { importCsvLines } from './imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from './pupil-files.ts';
import { todayInEngland } from '../../src/platform/calendar/working-days.ts';
import { createOrganisation } from '../../src/modules/organisations/organisations.service.ts';
import { termOf } from '../../src/modules/pep/pep-calendar.ts';

export const fixture = useTestApp();
export const TERM = termOf(todayInEngland());
export const VOICE = 'Qzvoice I like art club and want to stay with my carer';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export async function call(cookie: string, method: Method, url: string, payload?: object) {
  const response = await fixture.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return {
    status: response.statusCode,
    body: response.body,
    // A test reads nested fields of many shapes; the assertions are the checks.
    // oxlint-disable-next-line typescript/no-explicit-any
    json: () => response.json<Record<string, any>>(),
  };
}

export async function setUp() {
  const school = await buildSchool(fixture.services);
  await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1, { sen: 'K' }), pupilRow(2)]);
  const authority = await createOrganisation(fixture.services, {
    kind: 'local_authority',
    name: `PEP LA ${randomUUID()}`,
  });
  const people = {
    head: await buildUser(fixture.services, 'virtual_school_head', authority.id),
    officer: await buildUser(fixture.services, 'virtual_school_officer', authority.id),
    worker: await buildUser(fixture.services, 'social_worker', authority.id),
    teacher: await buildUser(fixture.services, 'designated_teacher', school.id),
  };
  const cookies = {
    head: await signInAs(fixture.app, people.head.email),
    officer: await signInAs(fixture.app, people.officer.email),
    worker: await signInAs(fixture.app, people.worker.email),
    teacher: await signInAs(fixture.app, people.teacher.email),
  };
  const la = `/api/v1/authorities/${authority.id}/pep`;
  const sch = `/api/v1/schools/${school.id}/pep`;
  return { school, authority, people, cookies, la, sch };
}

export type Setup = Awaited<ReturnType<typeof setUp>>;

export async function addLinkedChild(setup: Setup, overrides: Record<string, unknown> = {}) {
  const created = await call(setup.cookies.head, 'POST', `${setup.la}/children`, {
    forename: 'Zqforename1',
    surname: 'Xvsurname1',
    dob: '2010-02-11',
    upn: syntheticUpn(1),
    yearGroup: 11,
    legalStatus: 'C2',
    enteredCareOn: '2024-03-04',
    care: { placementType: 'foster_care', carer: 'Qzcarer', socialWorker: 'Qzworker' },
    school: { schoolId: setup.school.id },
    ...overrides,
  });
  assert.equal(created.status, 201, created.body);
  const childId = created.json().id as string;
  const links = await call(setup.cookies.teacher, 'GET', `${setup.sch}/links`);
  const request = links.json().waiting.find((entry: { childId: string }) => entry.childId === childId);
  assert.ok(request?.suggestedPupilId, 'the school is offered its pupil with the same UPN');
  const agreed = await call(setup.cookies.teacher, 'POST', `${setup.sch}/links/${childId}/agree`, {
    pupilId: request.suggestedPupilId,
  });
  assert.equal(agreed.status, 204, agreed.body);
  return childId;
}

export const FILLED = {
  pupil_voice: {
    capturedBy: 'designated_teacher',
    capturedOn: '2026-10-01',
    inTheirWords: VOICE,
    goingWell: 'Maths',
    wouldHelp: 'A quiet space',
  },
  send: {
    provision: 'K',
    needs: 'Speech and language',
    ehcPlanIssuedOn: null,
    ehcPlanReviewDueOn: null,
    supportInPlace: 'Weekly sessions',
  },
  meeting: {
    heldOn: '2026-10-02',
    attendees: [{ name: 'Qzteacher', role: 'Designated teacher' }],
    notes: 'Notes',
    decisions: 'Tutoring',
  },
};

export function target(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    area: 'attainment',
    description: 'Reach grade 5 in maths',
    successCriteria: 'Grade 5 at the spring assessment',
    owner: 'Maths teacher',
    dueOn: '2027-03-20',
    status: 'in_progress',
    fundingRequestedPence: 30000,
    fundingApprovedPence: null,
    progressNote: '',
    carriedFromTerm: null,
    ...overrides,
  };
}
