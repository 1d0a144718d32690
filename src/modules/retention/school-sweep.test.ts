// The school-wide rules against a real database with the clock injected: inactivity (warned a month and
// a week ahead, then everything deleted; a school active since is kept), leaving (five working days,
// cancellable), and two runners on one database deleting once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { sql } from 'kysely';
import { buildUser } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../../../test/support/pupil-files.ts';
import { createTestServices, readOutbox, type TestServices } from '../../../test/support/services.ts';
import type { DB } from '../../database.ts';
import { auditPlatformContext } from '../../platform/audit/audit-log.ts';
import { verifyAudit } from '../../platform/audit/verify.ts';
import { addCalendarMonths, addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { openDatabase } from '../../platform/db/open.ts';
import { runJob } from '../../platform/jobs/job-runner.ts';
import { placeHold } from './holds.service.ts';
import { leaveHaven, stayOnHaven } from './leaving.service.ts';
import { retentionJob } from './retention.jobs.ts';
import { runRetention } from './retention.service.ts';
import { offboardingDeletionDay } from './rules.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(async () => services.close());

const at = (day: string): Date => new Date(`${day}T09:00:00Z`);
const TODAY = todayInEngland();
const ADMIN = { type: 'user' as const, id: 'b8c1f0d2-0000-4000-8000-000000000002' };

async function schoolWithPupils(count: number) {
  const school = await buildSchool(services);
  const admin = await buildUser(services, 'school_admin', school.id);
  await importCsvLines(services, school.id, [
    PUPIL_HEADER,
    ...Array.from({ length: count }, (_, index) => pupilRow(index + 1)),
  ]);
  return { school, admin };
}

async function standing(schoolId: string) {
  return services.db.withPlatform('test: school standing', async (trx) => {
    const school = await trx
      .selectFrom('schools')
      .select(['status', 'deleted_at'])
      .where('id', '=', schoolId)
      .executeTakeFirstOrThrow();
    const rows = async (table: string) =>
      Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from ${sql.table(table)} where school_id = ${schoolId}`.execute(trx)
        ).rows[0]?.n,
      );
    return {
      status: school.status,
      deleted: school.deleted_at !== null,
      pupils: await rows('pupils'),
      keys: await rows('school_keys'),
      ledger: await rows('erasure_ledger'),
      certificates: await rows('retention_certificates'),
      memberships: Number(
        (
          await sql<{ n: string }>`select count(*) as n from memberships where org_id = ${schoolId}`.execute(
            trx,
          )
        ).rows[0]?.n,
      ),
    };
  });
}

describe('inactive schools', () => {
  test('warned a month and a week before, then deleted; a school active since is kept', async () => {
    const { school, admin } = await schoolWithPupils(3);
    const kept = await schoolWithPupils(1);
    // The kept school imported something a month from now (its last activity moves on).
    await services.db.withPlatform('test: later activity', (trx) =>
      trx
        .updateTable('imports')
        .set({ created_at: at(addCalendarMonths(TODAY, 1)) })
        .where('school_id', '=', kept.school.id)
        .execute(),
    );
    const due = addCalendarMonths(TODAY, 12);

    const elevenMonths = await runRetention(services, {
      now: at(addCalendarMonths(TODAY, 11)),
      dryRun: false,
    });
    assert.equal(elevenMonths.totals.schoolsErased, 0);
    const mails = await readOutbox(services);
    const warning = mails.find((mail) => mail.includes(admin.email) && mail.includes('will delete'));
    assert.ok(warning, 'the school admin was warned a month ahead');
    assert.match(warning, new RegExp(due));

    await runRetention(services, { now: at(addDays(due, -7)), dryRun: false });
    await runRetention(services, { now: at(addDays(due, -1)), dryRun: false });
    assert.equal((await standing(school.id)).deleted, false, 'not before the day');

    const run = await runRetention(services, { now: at(due), dryRun: false });
    assert.ok(run.schools.some((entry) => entry.schoolId === school.id && entry.school.erased));
    const gone = await standing(school.id);
    assert.deepEqual(gone, {
      status: 'left',
      deleted: true,
      pupils: 0,
      keys: 0,
      ledger: 1,
      certificates: 1,
      memberships: 0,
    });
    const keptNow = await standing(kept.school.id);
    assert.equal(keptNow.deleted, false, 'the school active a month later stays');
    assert.equal(keptNow.pupils, 1);

    const audit = await verifyAudit(services.db, services.keyring.provider.auditPublicKeys());
    assert.deepEqual(audit.problems, [], 'the audit chains still verify');
    const again = await runRetention(services, { now: at(due), dryRun: false });
    assert.equal(again.totals.schoolsErased, 0, 'a deleted school is not deleted again');
  });

  test('a warning sent late still gives a full week', async () => {
    const { school } = await schoolWithPupils(1);
    const due = addCalendarMonths(TODAY, 12);
    // First run ever is on the due day: warned now, deleted a week later.
    const first = await runRetention(services, { now: at(due), dryRun: false, schoolId: school.id });
    assert.equal(first.schools[0]?.school.erased, false);
    assert.equal(first.schools[0]?.school.dueOn, addDays(due, 7));
    await runRetention(services, { now: at(addDays(due, 6)), dryRun: false, schoolId: school.id });
    assert.equal((await standing(school.id)).deleted, false);
    await runRetention(services, { now: at(addDays(due, 7)), dryRun: false, schoolId: school.id });
    assert.equal((await standing(school.id)).deleted, true);
  });

  test('a legal hold on the school stops the deletion', async () => {
    const { school } = await schoolWithPupils(1);
    await placeHold(services, school.id, { reason: 'Inspection' }, ADMIN);
    const due = addCalendarMonths(TODAY, 12);
    for (const day of [addDays(due, -7), due, addDays(due, 30)]) {
      await runRetention(services, { now: at(day), dryRun: false, schoolId: school.id });
    }
    assert.equal((await standing(school.id)).deleted, false);
  });
});

describe('leaving Haven', () => {
  test('the data goes on the fifth working day, not before', async () => {
    const { school } = await schoolWithPupils(2);
    const leaving = await leaveHaven(services, school.id, ADMIN);
    const dueOn = offboardingDeletionDay(TODAY, 5);
    assert.equal(leaving.deletionDueOn, dueOn);
    await runRetention(services, { now: at(addDays(dueOn, -1)), dryRun: false, schoolId: school.id });
    assert.equal((await standing(school.id)).pupils, 2);
    await runRetention(services, { now: at(dueOn), dryRun: false, schoolId: school.id });
    const gone = await standing(school.id);
    assert.equal(gone.deleted, true);
    assert.equal(gone.pupils, 0);
  });

  test('cancelling before the day keeps everything', async () => {
    const { school } = await schoolWithPupils(1);
    await leaveHaven(services, school.id, ADMIN);
    await assert.rejects(leaveHaven(services, school.id, ADMIN), /already leaving/);
    await stayOnHaven(services, school.id, ADMIN);
    await runRetention(services, {
      now: at(offboardingDeletionDay(TODAY, 5)),
      dryRun: false,
      schoolId: school.id,
    });
    assert.equal((await standing(school.id)).deleted, false);
  });
});

describe('two runners on one database', () => {
  test('delete each pupil once and run the job once', async () => {
    const school = await buildSchool(services);
    await importCsvLines(services, school.id, [
      PUPIL_HEADER,
      ...Array.from({ length: 12 }, (_, index) => pupilRow(index + 1, { dob: '2010-03-14' })),
    ]);
    // A second app process: its own connection pool on the same PostgreSQL database.
    const second =
      services.testDb.kind === 'postgres'
        ? await openDatabase<DB>(services.testDb.source, pino({ level: 'silent' }), {
            migrate: false,
            onPlatformContext: auditPlatformContext,
          })
        : services.db;
    const other = { ...services, db: second };
    try {
      const now = at('2035-03-14');
      const options = { now, dryRun: false, schoolId: school.id, batchSize: 5 };
      const [a, b] = await Promise.all([runRetention(services, options), runRetention(other, options)]);
      assert.equal(a.totals.pupilsErased + b.totals.pupilsErased, 12, 'every pupil erased exactly once');
      const certified = await services.db.withSchool(school.id, async (trx) => {
        const rows = await trx
          .selectFrom('retention_certificates')
          .select('body')
          .where('school_id', '=', school.id)
          .execute();
        return rows.flatMap((row) => row.body.subjects);
      });
      assert.equal(certified.length, 12);
      assert.equal(new Set(certified).size, 12, 'no pupil is in two certificates');

      const log = pino({ level: 'silent' });
      const results = await Promise.all([
        runJob(
          services.db,
          log,
          retentionJob(services, () => now),
        ),
        runJob(
          second,
          log,
          retentionJob(other, () => now),
        ),
      ]);
      assert.equal(results.filter((result) => result.ran).length, 1, 'the lease lets one runner in');
    } finally {
      if (second !== services.db) {
        await second.close();
      }
    }
  });
});
