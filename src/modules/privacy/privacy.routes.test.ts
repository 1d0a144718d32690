import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { readZipEntries } from '../imports/readers/zip.reader.ts';
import { firstDueDate } from './deadlines.ts';

const fixture = useTestApp();

const importCsv = (schoolId: string, lines: string[]) => importCsvLines(fixture.services, schoolId, lines);

// Synthetic pupils: names obviously not real.
const ANNA = { upn: syntheticUpn(11), forename: 'Zqanna', surname: 'Xvprivacy' };
const BEN = { upn: syntheticUpn(12), forename: 'Zqben', surname: 'Xvother' };

async function pupilIdByUpn(schoolId: string, upn: string): Promise<string> {
  const id = await fixture.services.db.withSchool(schoolId, async (trx) => {
    const { SchoolVault } = await import('../../platform/crypto/vault.ts');
    return new SchoolVault(fixture.services.keyring, trx, schoolId).lookup('upn', upn);
  });
  assert.ok(id !== undefined);
  return id;
}

/** A school with two pupils and results, its admin and its DPO signed in. */
async function schoolWithPupils() {
  const school = await buildSchool(fixture.services);
  await importCsv(school.id, [
    'upn,forename,surname,dob,sex,year_group,ethnicity,fsm,sen,class,ks2_reading_score,ks2_maths_score',
    `${ANNA.upn},${ANNA.forename},${ANNA.surname},2010-03-14,F,11,WBRI,Y,K,11A,104,108`,
    `${BEN.upn},${BEN.forename},${BEN.surname},2010-07-02,M,11,APKN,N,N,11B,99,101`,
  ]);
  await importCsv(school.id, [
    'upn,subject,assessment_point,facet,grade,class',
    `${ANNA.upn},Maths,Y11 Autumn,achieved,5,11Ma1`,
    `${ANNA.upn},English Language,Y11 Autumn,achieved,6,`,
    `${BEN.upn},Maths,Y11 Autumn,achieved,4,11Ma2`,
  ]);
  const admin = await buildUser(fixture.services, 'school_admin', school.id);
  const dpo = await buildUser(fixture.services, 'dpo', school.id);
  return {
    school,
    anna: await pupilIdByUpn(school.id, ANNA.upn),
    ben: await pupilIdByUpn(school.id, BEN.upn),
    admin: await signInAs(fixture.app, admin.email),
    dpo: await signInAs(fixture.app, dpo.email),
  };
}

function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: Record<string, unknown>) {
  return fixture.app.inject({
    method,
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload }),
  });
}

interface Details {
  id: string;
  reference: string;
  status: string;
  dueOn: string;
  firstDueOn: string;
  actions: string[];
  history: Array<{ kind: string; note: string | null; actorLabel: string }>;
  requester: { name: string };
  certificateId: string | null;
}

async function newRequest(schoolId: string, cookie: string, body: Record<string, unknown>): Promise<Details> {
  const created = await call('POST', `/api/v1/schools/${schoolId}/privacy/requests`, cookie, {
    subjectType: 'pupil',
    requester: { name: 'Zqparent Xvprivacy', contact: 'parent@example.org', relationship: 'parent' },
    receivedOn: todayInEngland(),
    ...body,
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json<{ id: string }>();
  const read = await call('GET', `/api/v1/schools/${schoolId}/privacy/requests/${id}`, cookie);
  assert.equal(read.statusCode, 200, read.body);
  return read.json<Details>();
}

async function step(
  schoolId: string,
  id: string,
  cookie: string,
  path: string,
  body: Record<string, unknown> = {},
) {
  return call('POST', `/api/v1/schools/${schoolId}/privacy/requests/${id}/${path}`, cookie, body);
}

async function unzip(buffer: Buffer): Promise<Map<string, string>> {
  const entries = await readZipEntries(buffer, () => true);
  const files = new Map<string, string>();
  for (const [name, content] of entries) {
    files.set(name, content.toString('utf8'));
  }
  return files;
}

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

describe('erasure', () => {
  test('only the DPO decides; once executed nothing about the pupil is left that can be read', async () => {
    const { school, anna, ben, admin, dpo } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, {
      kind: 'erasure',
      subjectId: anna,
      identityStatus: 'verified',
      description: `Please erase ${ANNA.forename} ${ANNA.surname}, UPN ${ANNA.upn}`,
    });
    const impact = await call(
      'GET',
      `/api/v1/schools/${school.id}/privacy/requests/${request.id}/erasure-impact`,
      admin,
    );
    assert.equal(impact.statusCode, 200, impact.body);
    const rows = impact.json<{ rows: Record<string, number> }>().rows;
    assert.equal(rows.pupils, 1);
    assert.equal(rows.results, 2);
    assert.equal((await step(school.id, request.id, admin, 'execute-erasure')).statusCode, 409);
    assert.equal((await step(school.id, request.id, admin, 'submit-erasure')).statusCode, 200);
    // The school admin may not approve their own school's erasure: that is the DPO's.
    assert.equal(
      (await step(school.id, request.id, admin, 'approve-erasure', { reason: 'ok' })).statusCode,
      403,
    );
    const approved = await step(school.id, request.id, dpo, 'approve-erasure', {
      reason: 'No reason to keep',
    });
    assert.equal(approved.statusCode, 200, approved.body);
    const done = await step(school.id, request.id, admin, 'execute-erasure');
    assert.equal(done.statusCode, 200, done.body);
    const details = done.json<Details>();
    assert.equal(details.status, 'completed');
    assert.ok(details.certificateId !== null);

    const left = await fixture.services.db.withSchool(school.id, async (trx) => {
      const count = async (query: ReturnType<typeof sql<{ n: string | number }>>) =>
        Number((await query.execute(trx)).rows[0]?.n ?? 0);
      return {
        pupils: await count(sql`select count(*) as n from pupils where id = ${anna}`),
        results: await count(sql`select count(*) as n from results where pupil_id = ${anna}`),
        keys: await count(sql`select count(*) as n from subject_keys where subject_id = ${anna}`),
        indexes: await count(sql`select count(*) as n from blind_indexes where subject_id = ${anna}`),
        ledger: await count(sql`select count(*) as n from erasure_ledger where subject_id = ${anna}`),
        feed: await count(sql`select count(*) as n from subject_removals where pupil_id = ${anna}`),
        benResults: await count(sql`select count(*) as n from results where pupil_id = ${ben}`),
      };
    });
    assert.deepEqual(left, { pupils: 0, results: 0, keys: 0, indexes: 0, ledger: 1, feed: 1, benResults: 1 });
    // No analysis figure counts Anna any more.
    const headline = await call('GET', `/api/v1/schools/${school.id}/analysis/headline`, admin);
    assert.equal(headline.json<{ pupils: number }>().pupils, 1);
    // The request stays as evidence, but nothing in it names the child any more.
    const evidence = await call('GET', `/api/v1/schools/${school.id}/privacy/requests/${request.id}`, admin);
    assert.equal(evidence.statusCode, 200);
    for (const text of [ANNA.forename, ANNA.upn]) {
      assert.ok(!evidence.body.includes(text), `the request still says ${text}`);
    }
    assert.equal(evidence.json<{ description: string | null }>().description, null);

    const certificate = await call(
      'GET',
      `/api/v1/schools/${school.id}/privacy/certificates/${details.certificateId}`,
      admin,
    );
    assert.equal(certificate.statusCode, 200);
    const body = certificate.json<{
      subject: { pseudonymousId: string };
      deleted: Record<string, number>;
      digest: string;
    }>();
    assert.equal(body.subject.pseudonymousId, anna);
    assert.equal(body.deleted.results, 2);
    assert.match(body.digest, /^[0-9a-f]{64}$/);
    assert.ok(!certificate.body.includes(ANNA.forename));
  });

  test('whoever submitted an erasure cannot approve it, even holding the DPO role', async () => {
    const { school, anna, dpo } = await schoolWithPupils();
    const request = await newRequest(school.id, dpo, {
      kind: 'erasure',
      subjectId: anna,
      identityStatus: 'verified',
    });
    assert.equal((await step(school.id, request.id, dpo, 'submit-erasure')).statusCode, 200);
    const own = await step(school.id, request.id, dpo, 'approve-erasure', { reason: 'ok' });
    assert.equal(own.statusCode, 409);
    assert.equal(own.json<{ code: string }>().code, 'same_person');
  });

  test('an erasure waits while an import that may hold the pupil is not committed or discarded', async () => {
    const { school, anna, admin, dpo } = await schoolWithPupils();
    const manager = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'data_manager', school.id)).email,
    );
    const file = multipartBody(
      {},
      { name: 'pupils.csv', content: `upn,forename,surname\n${ANNA.upn},${ANNA.forename},${ANNA.surname}\n` },
    );
    const upload = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/imports`,
      headers: { cookie: manager, ...file.headers },
      payload: file.payload,
    });
    assert.equal(upload.statusCode, 201, upload.body);
    const request = await newRequest(school.id, admin, {
      kind: 'erasure',
      subjectId: anna,
      identityStatus: 'verified',
    });
    await step(school.id, request.id, admin, 'submit-erasure');
    await step(school.id, request.id, dpo, 'approve-erasure', { reason: 'ok' });
    const refused = await step(school.id, request.id, admin, 'execute-erasure');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json<{ code: string }>().code, 'imports_waiting');
  });

  test('the DPO can refuse an erasure with a reason; nothing is deleted', async () => {
    const { school, anna, admin, dpo } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, {
      kind: 'erasure',
      subjectId: anna,
      identityStatus: 'verified',
    });
    await step(school.id, request.id, admin, 'submit-erasure');
    const refused = await step(school.id, request.id, dpo, 'reject-erasure', {
      reason: 'Legal obligation to keep',
    });
    assert.equal(refused.json<Details>().status, 'refused');
    const pupils = await fixture.services.db.withSchool(school.id, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from pupils where id = ${anna}`.execute(trx),
    );
    assert.equal(pupils.rows[0]?.n, 1);
  });
});

describe('rectification and restriction', () => {
  test('a correction changes the record, keeps history, and moves its updated time', async () => {
    const { school, anna, admin } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, {
      kind: 'rectification',
      subjectId: anna,
      identityStatus: 'verified',
    });
    const fixed = await step(school.id, request.id, admin, 'rectify', {
      changes: [
        { field: 'forename', value: 'Zqannie' },
        { field: 'sen', value: 'N' },
      ],
      reason: 'Parent showed the birth certificate',
    });
    assert.equal(fixed.statusCode, 200, fixed.body);
    const admin2 = await buildUser(fixture.services, 'senior_leader', school.id);
    const leader = await signInAs(fixture.app, admin2.email);
    const record = await call('GET', `/api/v1/schools/${school.id}/pupils/${anna}`, leader);
    const pupil = record.json<{
      identity: { forename: string };
      characteristics: { sen: { code: string } };
    }>();
    assert.equal(pupil.identity.forename, 'Zqannie');
    assert.equal(pupil.characteristics.sen.code, 'N');
    const history = await fixture.services.db.withSchool(school.id, (trx) =>
      sql<{
        field: string;
        old_value: string | null;
        new_value: string | null;
        changed_at: Date;
        updated_at: Date;
        created_at: Date;
      }>`
        select c.field, c.old_value, c.new_value, c.changed_at, p.updated_at, p.created_at
        from pupil_changes c join pupils p on p.id = c.pupil_id where c.pupil_id = ${anna} order by c.id`.execute(
        trx,
      ),
    );
    assert.deepEqual(
      history.rows.map((row) => [row.field, row.old_value, row.new_value]),
      [
        ['forename', null, null],
        ['sen', 'K', 'N'],
      ],
    );
    const [first] = history.rows;
    assert.ok(first !== undefined && first.updated_at > first.created_at, 'the record’s updated time moved');
    const bad = await step(school.id, request.id, admin, 'rectify', {
      changes: [{ field: 'sex', value: 'Q' }],
      reason: 'x',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.changes[0].value');
  });

  test('a restriction is recorded, shown, and lifted with a reason', async () => {
    const { school, anna, admin } = await schoolWithPupils();
    const request = await newRequest(school.id, admin, {
      kind: 'restriction',
      subjectId: anna,
      identityStatus: 'not_needed',
    });
    const before = await call('GET', `/api/v1/schools/${school.id}/analysis/headline`, admin);
    assert.equal(before.json<{ pupils: number }>().pupils, 2);
    const applied = await step(school.id, request.id, admin, 'limit', { purpose: 'all' });
    assert.equal(applied.statusCode, 200, applied.body);
    assert.equal(applied.json<Details>().status, 'completed');
    // While restricted, imports do not update Anna's record or grades.
    const pupilsWritten = await importCsv(school.id, [
      'upn,forename,surname,sen',
      `${ANNA.upn},${ANNA.forename},${ANNA.surname},E`,
    ]);
    assert.equal(pupilsWritten.pupils_left_restricted, 1);
    const resultsWritten = await importCsv(school.id, [
      'upn,subject,assessment_point,facet,grade',
      `${ANNA.upn},Maths,Y11 Autumn,achieved,9`,
      `${BEN.upn},Maths,Y11 Autumn,achieved,7`,
    ]);
    assert.equal(resultsWritten.results_left_restricted, 1);
    assert.equal(resultsWritten.results_written, 1);
    const kept = await fixture.services.db.withSchool(school.id, (trx) =>
      sql<{ sen: string; grade: string }>`
        select p.sen, r.grade from pupils p join results r on r.pupil_id = p.id
        join subjects s on s.id = r.subject_id where p.id = ${anna} and s.code = 'maths' and r.facet = 'achieved'`.execute(
        trx,
      ),
    );
    assert.deepEqual(kept.rows, [{ sen: 'K', grade: '5' }]);
    // While restricted, Anna is left out of analysis.
    const headline = await call('GET', `/api/v1/schools/${school.id}/analysis/headline`, admin);
    assert.equal(headline.statusCode, 200, headline.body);
    assert.equal(headline.json<{ pupils: number }>().pupils, 1);
    const flight = await call('GET', `/api/v1/schools/${school.id}/analysis/flight-path/${anna}`, admin);
    assert.equal(flight.statusCode, 409);
    const limits = await call('GET', `/api/v1/schools/${school.id}/privacy/pupils/${anna}/limits`, admin);
    assert.deepEqual(
      limits
        .json<{ limits: Array<{ kind: string; purpose: string }> }>()
        .limits.map((limit) => [limit.kind, limit.purpose]),
      [['restriction', 'all']],
    );
    const lifted = await call(
      'POST',
      `/api/v1/schools/${school.id}/privacy/pupils/${anna}/limits/lift`,
      admin,
      {
        kind: 'restriction',
        purpose: 'all',
        reason: 'Accuracy confirmed',
      },
    );
    assert.equal(lifted.statusCode, 204, lifted.body);
    const after = await call('GET', `/api/v1/schools/${school.id}/privacy/pupils/${anna}/limits`, admin);
    const again = await call('GET', `/api/v1/schools/${school.id}/analysis/headline`, admin);
    assert.equal(again.json<{ pupils: number }>().pupils, 2);
    assert.deepEqual(after.json<{ limits: unknown[] }>().limits, []);
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
