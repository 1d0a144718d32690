// The requests register, access bundles (pupils and staff) and requests routed from the platform, over HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { firstDueDate } from './deadlines.ts';
import { ANNA, BEN, unzip, usePrivacyFixture, type Details } from './privacy.test-support.ts';

const { fixture, call, schoolWithPupils, newRequest, step } = usePrivacyFixture();

describe('the requests register', () => {
  test('a request gets its deadline, reference and history; the requester is stored encrypted', async () => {
    const { school, anna, admin } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, {
      kind: 'access',
      subjectId: anna,
      receivedOn: '2026-11-26',
    });
    assert.match(request.reference, /^DSR-2026-\d{4}$/);
    assert.equal(request.firstDueOn, '2026-12-29');
    assert.equal(request.requester.name, 'Zqparent Xvprivacy');
    assert.deepEqual(
      request.history.map((event) => event.kind),
      ['created'],
    );
    const raw = await fixture.services.db.withSchool(school.id, (trx) =>
      sql<{ requester: Buffer }>`select requester from privacy_requests where id = ${request.id}`.execute(
        trx,
      ),
    );
    assert.ok(!raw.rows[0]?.requester.toString('latin1').includes('Zqparent'));

    const list = await call('GET', `/api/v1/schools/${school.id}/privacy/requests`, admin);
    assert.equal(list.statusCode, 200);
    const body = list.json<{ requests: Array<{ id: string }>; counts: { open: number } }>();
    assert.deepEqual(
      body.requests.map((entry) => entry.id),
      [request.id],
    );
    assert.equal(body.counts.open, 1);
  });

  test('stopping the clock, restarting it and extending move the deadline; the reasons are kept', async () => {
    const { school, anna, admin } = await schoolWithPupils();
    const today = todayInEngland();
    const request = await newRequest(school.id, admin, {
      kind: 'access',
      subjectId: anna,
      receivedOn: today,
    });
    const paused = await step(school.id, request.id, admin, 'pause', {
      reason: 'identity',
      note: 'Asked for ID',
    });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json<Details>().status, 'paused');
    const resumed = await step(school.id, request.id, admin, 'resume', {});
    assert.equal(resumed.json<Details>().status, 'open');
    const extended = await step(school.id, request.id, admin, 'extend', {
      months: 2,
      reason: 'Complex: many records',
    });
    assert.equal(extended.statusCode, 200, extended.body);
    const after = extended.json<Details>();
    assert.ok(after.dueOn > firstDueDate(today));
    assert.deepEqual(
      after.history.map((event) => [event.kind, event.note]),
      [
        ['created', null],
        ['pause', 'Asked for ID'],
        ['resume', null],
        ['extend', 'Complex: many records'],
      ],
    );
    // No third month.
    const again = await step(school.id, request.id, admin, 'extend', { months: 2, reason: 'More' });
    assert.equal(again.statusCode, 409);
    // A new stop may not reach back before the clock last restarted (those days are counted already).
    const backdated = await step(school.id, request.id, admin, 'pause', {
      reason: 'clarification',
      on: addDays(today, -1),
    });
    assert.equal(backdated.statusCode, 400);
    // Closing while the clock is stopped keeps the days it stood and ends the pause.
    assert.equal(
      (await step(school.id, request.id, admin, 'pause', { reason: 'clarification' })).statusCode,
      200,
    );
    const refused = await step(school.id, request.id, admin, 'refuse', { note: 'Manifestly unfounded' });
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal(refused.json<Details>().status, 'refused');
  });

  test('a request received in the future, or in year 1, is refused, naming the field', async () => {
    const { school, admin } = await schoolWithPupils();
    const ancient = await call(
      'GET',
      `/api/v1/schools/${school.id}/privacy/deadline?receivedOn=0001-01-01`,
      admin,
    );
    assert.equal(ancient.statusCode, 400);
    const response = await call('POST', `/api/v1/schools/${school.id}/privacy/requests`, admin, {
      kind: 'access',
      subjectType: 'pupil',
      requester: { name: 'Zq', contact: 'x@example.org', relationship: 'self' },
      receivedOn: '2099-01-01',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.receivedOn');
  });
});

describe('access and portability', () => {
  test('the bundle holds every module’s data about the pupil and nobody else’s', async () => {
    const { school, anna, admin } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, { kind: 'access', subjectId: anna });
    // Identity not yet checked: no data leaves.
    const early = await step(school.id, request.id, admin, 'export');
    assert.equal(early.statusCode, 409);
    await step(school.id, request.id, admin, 'identity', { status: 'verified' });
    const response = await step(school.id, request.id, admin, 'export');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/zip');
    const files = await unzip(response.rawPayload);
    assert.ok(files.has('report.html') && files.has('data.json') && files.has('results.csv'));
    const data = JSON.parse(files.get('data.json') ?? '{}') as {
      sections: Record<string, Array<Record<string, unknown>>>;
    };
    assert.equal(data.sections.identity?.[0]?.forename, ANNA.forename);
    assert.equal(data.sections.identity?.[0]?.upn, ANNA.upn);
    assert.equal(data.sections.results?.length, 2);
    assert.equal(data.sections.prior_attainment?.[0]?.ks2ReadingScore, 104);
    assert.ok((data.sections.sources?.length ?? 0) >= 1);
    assert.equal(data.sections.requests?.[0]?.reference, request.reference);
    const everything = [...files.values()].join('\n');
    assert.ok(!everything.includes(BEN.forename) && !everything.includes(BEN.upn), 'another pupil leaked');
    assert.match(files.get('report.html') ?? '', /How long it is kept/);
  });
});

describe('a member of staff as the subject', () => {
  test('their bundle holds their account, roles, sign-ins and recorded actions; another school’s staff cannot be named', async () => {
    const { school, admin } = await schoolWithPupils();
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const teacherCookie = await signInAs(fixture.app, teacher.email);
    await call('GET', `/api/v1/schools/${school.id}/pupils`, teacherCookie);
    const request = await newRequest(school.id, admin, {
      kind: 'access',
      subjectType: 'staff',
      subjectId: teacher.id,
      identityStatus: 'verified',
    });
    assert.ok(request.actions.includes('export'));
    assert.ok(!request.actions.includes('rectify'));
    const response = await step(school.id, request.id, admin, 'export');
    assert.equal(response.statusCode, 200, response.body);
    const files = await unzip(response.rawPayload);
    const data = JSON.parse(files.get('data.json') ?? '{}') as {
      sections: Record<string, Array<Record<string, unknown>>>;
    };
    assert.equal(data.sections.account?.[0]?.email, teacher.email);
    assert.deepEqual(data.sections.roles, [{ role: 'teacher' }]);
    assert.ok((data.sections.sign_ins?.length ?? 0) >= 1);
    assert.ok(data.sections.actions_recorded?.some((event) => event.action === 'pupils.list'));
    assert.match(files.get('report.html') ?? '', /member of staff/);
    assert.ok(!files.get('data.json')?.includes('password'), 'no password hash');

    const other = await buildSchool(fixture.services);
    const stranger = await buildUser(fixture.services, 'teacher', other.id);
    const refused = await call('POST', `/api/v1/schools/${school.id}/privacy/requests`, admin, {
      kind: 'access',
      subjectType: 'staff',
      subjectId: stranger.id,
      requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
      receivedOn: todayInEngland(),
    });
    assert.equal(refused.statusCode, 400);
  });
});

describe('requests received by the platform', () => {
  test('are passed to the school as controller: in its register, without a pupil, its handlers told', async () => {
    const { school, admin } = await schoolWithPupils();
    const operator = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
    const cookie = await signInAs(fixture.app, operator.email);
    const routed = await call('POST', '/api/v1/platform/privacy-requests', cookie, {
      schoolId: school.id,
      kind: 'access',
      subjectType: 'pupil',
      requester: { name: 'Zqcaller', contact: 'caller@example.org', relationship: 'parent' },
      receivedOn: todayInEngland(),
      description: 'Wrote to the platform asking for their child’s data',
    });
    assert.equal(routed.statusCode, 201, routed.body);
    const { reference } = routed.json<{ reference: string }>();
    const list = await call('GET', `/api/v1/schools/${school.id}/privacy/requests`, admin);
    const entry = list
      .json<{ requests: Array<{ reference: string; receivedVia: string; subjectId: string | null }> }>()
      .requests.find((request) => request.reference === reference);
    assert.equal(entry?.receivedVia, 'platform');
    assert.equal(entry?.subjectId, null);
    const mail = (await readOutbox(fixture.services)).filter((message) => message.includes(reference));
    assert.equal(mail.length, 2, 'the school admin and the DPO both handle requests');
    assert.ok(!mail.join('\n').includes('Zqcaller'), 'no requester name in the mail');
    // The operator reads nothing of the school's register.
    const peek = await call('GET', `/api/v1/schools/${school.id}/privacy/requests`, cookie);
    assert.equal(peek.statusCode, 404);
    const unknown = await call('POST', '/api/v1/platform/privacy-requests', cookie, {
      schoolId: '00000000-0000-4000-8000-000000000000',
      kind: 'access',
      subjectType: 'pupil',
      requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
      receivedOn: todayInEngland(),
    });
    assert.equal(unknown.statusCode, 404);
  });
});
