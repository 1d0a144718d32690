// The pupil rules against a real database, with the run's clock injected: who turns 25 goes on the day
// and not the day before, 29 February births, legal holds, the leaver rule, certificates and the feed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { placeHold, releaseHold } from './holds.service.ts';
import { runRetention } from './retention.service.ts';
import * as repository from './retention.repository.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => services.close());

const at = (day: string): Date => new Date(`${day}T09:00:00Z`);
const OPERATOR = { type: 'user' as const, id: 'b8c1f0d2-0000-4000-8000-000000000001' };

async function schoolWith(dobs: readonly string[], extra: Partial<Record<string, string>> = {}) {
  const school = await buildSchool(services);
  await importCsvLines(services, school.id, [
    PUPIL_HEADER,
    ...dobs.map((dob, index) => pupilRow(index + 1, { dob, ...extra })),
  ]);
  const ids = await services.db.withSchool(school.id, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, school.id);
    return Promise.all(
      dobs.map(async (_dob, index) => (await vault.lookup('upn', syntheticUpn(index + 1))) ?? ''),
    );
  });
  return { school, ids };
}

async function remaining(schoolId: string): Promise<{ pupils: number; keys: number; removals: number }> {
  return services.db.withSchool(schoolId, async (trx) => {
    const count = async (table: 'pupils' | 'subject_keys' | 'subject_removals') =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from ${sql.table(table)} where school_id = ${schoolId}`.execute(trx)
        ).rows[0]?.n,
      );
    return {
      pupils: await count('pupils'),
      keys: await count('subject_keys'),
      removals: await count('subject_removals'),
    };
  });
}

describe('pupils reaching 25', () => {
  test('a pupil turning 25 today is erased; one turning 25 tomorrow is not', async () => {
    const { school, ids } = await schoolWith(['2010-03-14', '2010-03-15']);
    const dayBefore = await runRetention(services, {
      now: at('2035-03-13'),
      dryRun: false,
      schoolId: school.id,
    });
    assert.equal(dayBefore.totals.pupilsErased, 0);

    const dry = await runRetention(services, { now: at('2035-03-14'), dryRun: true, schoolId: school.id });
    assert.equal(dry.totals.pupilsDue, 1);
    assert.equal(dry.totals.pupilsErased, 0);
    assert.equal((await remaining(school.id)).pupils, 2, 'a dry run changes nothing');

    const run = await runRetention(services, { now: at('2035-03-14'), dryRun: false, schoolId: school.id });
    assert.equal(run.totals.pupilsErased, 1);
    const left = await remaining(school.id);
    assert.deepEqual(left, { pupils: 1, keys: 1, removals: 1 });

    const certificates = await services.db.withSchool(school.id, (trx) =>
      repository.certificates(trx, school.id, 5),
    );
    assert.equal(certificates.length, 1);
    assert.deepEqual(certificates[0]?.body.subjects, [ids[0]]);
    assert.equal(certificates[0]?.body.rule, 'pupil_age');
    assert.equal(certificates[0]?.body.records.pupils, 1);
    assert.ok((certificates[0]?.body.records.class_members ?? 0) >= 1, 'the class membership went too');

    const again = await runRetention(services, { now: at('2035-03-14'), dryRun: false, schoolId: school.id });
    assert.equal(again.totals.pupilsErased, 0, 'a second run deletes nothing twice');
  });

  test('born on 29 February: erased on 1 March of a common year, not on 28 February', async () => {
    const { school } = await schoolWith(['2012-02-29']);
    const feb28 = await runRetention(services, { now: at('2037-02-28'), dryRun: false, schoolId: school.id });
    assert.equal(feb28.totals.pupilsErased, 0);
    const mar1 = await runRetention(services, { now: at('2037-03-01'), dryRun: false, schoolId: school.id });
    assert.equal(mar1.totals.pupilsErased, 1);
  });

  test('pupils born in earlier months go without their dates being decrypted', async () => {
    const { school } = await schoolWith(['2009-01-20', '2009-11-30', '2010-06-01']);
    const run = await runRetention(services, { now: at('2035-02-01'), dryRun: false, schoolId: school.id });
    assert.equal(run.totals.pupilsErased, 2);
    const checks = await services.db.withPlatform('test: audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select('subject_ids')
        .where('org_id', '=', school.id)
        .where('action', '=', 'retention.birth_dates_checked')
        .execute(),
    );
    assert.equal(checks.length, 0, 'nobody was born in the edge month');
  });
});

describe('legal holds', () => {
  test('a hold on the pupil, or on the school, keeps them until it is released or expires', async () => {
    const { school, ids } = await schoolWith(['2010-03-14', '2010-03-14']);
    const pupilHold = await placeHold(
      services,
      school.id,
      { pupilId: ids[0], reason: 'Claim in progress' },
      OPERATOR,
    );
    const held = await runRetention(services, { now: at('2035-03-20'), dryRun: false, schoolId: school.id });
    assert.equal(held.totals.pupilsHeld, 1);
    assert.equal(held.totals.pupilsErased, 1);
    assert.equal((await remaining(school.id)).pupils, 1);

    const schoolHold = await placeHold(
      services,
      school.id,
      { reason: 'ICO investigation', expiresOn: '2099-01-01' },
      OPERATOR,
    );
    await releaseHold(services, school.id, pupilHold.id, OPERATOR);
    const stillHeld = await runRetention(services, {
      now: at('2035-03-21'),
      dryRun: false,
      schoolId: school.id,
    });
    assert.equal(stillHeld.totals.pupilsErased, 0, 'the school-wide hold stops every deletion');

    await releaseHold(services, school.id, schoolHold.id, OPERATOR);
    const released = await runRetention(services, {
      now: at('2035-03-22'),
      dryRun: false,
      schoolId: school.id,
    });
    assert.equal(released.totals.pupilsErased, 1);
  });

  test('an expired hold no longer protects', async () => {
    const { school, ids } = await schoolWith(['2010-03-14']);
    await placeHold(
      services,
      school.id,
      { pupilId: ids[0], reason: 'Until the tribunal', expiresOn: '2035-03-31' },
      OPERATOR,
    );
    assert.equal(
      (await runRetention(services, { now: at('2035-03-31'), dryRun: false, schoolId: school.id })).totals
        .pupilsErased,
      0,
    );
    assert.equal(
      (await runRetention(services, { now: at('2035-04-01'), dryRun: false, schoolId: school.id })).totals
        .pupilsErased,
      1,
    );
  });
});

describe('a school tightening the rules', () => {
  test('erasing leavers two years after they left', async () => {
    const { school } = await schoolWith(['2010-03-14']);
    await importCsvLines(services, school.id, ['upn,leave_date', `${syntheticUpn(1)},2026-07-20`]);
    await services.db.withSchool(school.id, (trx) =>
      repository.setPolicy(trx, school.id, 'leaver_years', 2, 'test'),
    );
    assert.equal(
      (await runRetention(services, { now: at('2028-07-19'), dryRun: false, schoolId: school.id })).totals
        .pupilsErased,
      0,
    );
    const run = await runRetention(services, { now: at('2028-07-20'), dryRun: false, schoolId: school.id });
    assert.equal(run.totals.pupilsErased, 1);
    assert.deepEqual(run.schools[0]?.byRule, { leaver_years: 1 });
  });
});
