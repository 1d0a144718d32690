// Erasure (impact, the DPO’s decision, execution, certificate), rectification and restriction, over HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { multipartBody } from '../../../test/support/multipart.ts';
import { ANNA, BEN, usePrivacyFixture, type Details } from './privacy.test-support.ts';

const { fixture, importCsv, call, schoolWithPupils, newRequest, step } = usePrivacyFixture();

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
