// The audit log on the real database: chained, append-only, tenant-isolated, and any rewrite is found.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { ownerKysely } from '../db/connect.ts';
import { PLATFORM_ORG_ID, recordAudit } from './audit-log.ts';
import { checkpointAll, verifyAudit } from './verify.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(() => services.close());

const owner = () => ownerKysely<unknown>(services.testDb.source);
const verify = () => verifyAudit(services.db, services.keyring.provider.auditPublicKeys());
const sign = (message: Buffer) => services.keyring.provider.signAudit(message);

async function schoolWithEvents(count: number) {
  const school = await buildSchool(services);
  await services.db.withSchool(school.id, async (trx) => {
    for (let index = 0; index < count; index += 1) {
      await recordAudit(trx, {
        orgId: school.id,
        actor: { type: 'user', id: 'user-1' },
        action: 'pupils.read',
        subjectIds: [crypto.randomUUID()],
        details: { page: index },
      });
    }
  });
  return school;
}

/** Runs SQL as the table owner: what an attacker (or a careless admin) with database access could do. */
async function asOwner(statement: ReturnType<typeof sql>): Promise<void> {
  const db = owner();
  // The embedded database has one connection, whose session role is the application's: step out of it
  // for this transaction only.
  await db.transaction().execute(async (trx) => {
    await sql`set local role none`.execute(trx);
    await statement.execute(trx);
  });
  if (services.testDb.kind === 'postgres') {
    await db.destroy();
  }
}

describe('audit chain', () => {
  test('events are numbered per organisation, chained, and school creation and platform work are recorded', async () => {
    const school = await schoolWithEvents(3);
    const events = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('audit_events').select(['seq', 'action', 'prev_hash', 'hash']).orderBy('seq').execute(),
    );
    assert.deepEqual(
      events.map((event) => [Number(event.seq), event.action]),
      [
        [1, 'school.created'],
        [2, 'pupils.read'],
        [3, 'pupils.read'],
        [4, 'pupils.read'],
      ],
    );
    assert.deepEqual(events[1]?.prev_hash, events[0]?.hash);
    const platform = await services.db.withPlatform('test.read_platform_chain', (trx) =>
      trx
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('org_id', '=', PLATFORM_ORG_ID)
        .execute(),
    );
    assert.ok(
      platform.some(
        (event) =>
          event.action === 'platform.context' && event.details.reason === 'organisations.create_school',
      ),
    );
    assert.equal((await verify()).problems.length, 0);
  });

  test('a school sees only its own chain', async () => {
    const mine = await schoolWithEvents(1);
    await schoolWithEvents(1);
    const orgs = await services.db.withSchool(mine.id, (trx) =>
      trx.selectFrom('audit_events').select('org_id').distinct().execute(),
    );
    assert.deepEqual(orgs, [{ org_id: mine.id }]);
  });

  test('the application can neither change nor delete an event', async () => {
    const school = await schoolWithEvents(1);
    await assert.rejects(
      services.db.withSchool(school.id, (trx) =>
        trx.updateTable('audit_events').set({ actor_id: 'someone-else' }).execute(),
      ),
    );
    await assert.rejects(
      services.db.withSchool(school.id, (trx) => trx.deleteFrom('audit_events').execute()),
    );
  });

  test('concurrent writers of one school get consecutive numbers and an intact chain', async () => {
    const school = await buildSchool(services);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        services.db.withSchool(school.id, (trx) =>
          recordAudit(trx, {
            orgId: school.id,
            actor: { type: 'user', id: `u${index}` },
            action: 'pupils.read',
          }),
        ),
      ),
    );
    const seqs = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('audit_events').select('seq').orderBy('seq').execute(),
    );
    assert.deepEqual(
      seqs.map((row) => Number(row.seq)),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal((await verify()).problems.length, 0);
  });
});

describe('audit verify finds tampering', () => {
  test('an event edited in SQL is named by its number and id', async () => {
    const school = await schoolWithEvents(5);
    const target = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('audit_events').select('id').where('seq', '=', 3).executeTakeFirstOrThrow(),
    );
    await asOwner(sql`update audit_events set actor_id = 'innocent' where org_id = ${school.id} and seq = 3`);
    const report = await verify();
    const problem = report.problems.find((entry) => entry.orgId === school.id);
    assert.deepEqual(problem, {
      orgId: school.id,
      seq: 3,
      eventId: target.id,
      problem: 'event 3 was altered: its contents no longer match its hash',
    });
  });

  test('a deleted event is found', async () => {
    const school = await schoolWithEvents(5);
    await asOwner(sql`delete from audit_events where org_id = ${school.id} and seq = 2`);
    const problem = (await verify()).problems.find((entry) => entry.orgId === school.id);
    assert.equal(problem?.seq, 2);
    assert.match(problem?.problem ?? '', /event 2 is missing \(deleted\)/);
  });

  test('an event edited with its hash recomputed breaks the link to the next event', async () => {
    const school = await schoolWithEvents(4);
    // Re-hashing one event is not enough: the next event still names the old hash.
    await asOwner(sql`update audit_events set hash = sha256(hash) where org_id = ${school.id} and seq = 2`);
    const problem = (await verify()).problems.find((entry) => entry.orgId === school.id);
    assert.equal(problem?.seq, 2);
  });

  test('rewriting the whole tail after a signed checkpoint is caught by the checkpoint', async () => {
    const school = await schoolWithEvents(3);
    await checkpointAll(services.db, sign);
    // An attacker deletes the last events and rewinds the head consistently: the chain itself looks fine.
    await asOwner(sql`delete from audit_events where org_id = ${school.id} and seq >= 3`);
    await asOwner(
      sql`update audit_heads set seq = 2, hash = (select hash from audit_events where org_id = ${school.id} and seq = 2) where org_id = ${school.id}`,
    );
    const problem = (await verify()).problems.find((entry) => entry.orgId === school.id);
    assert.match(problem?.problem ?? '', /no longer matches the checkpoint signed for it/);
  });

  test('a forged checkpoint signature is caught', async () => {
    const school = await schoolWithEvents(2);
    await checkpointAll(services.db, sign);
    await asOwner(
      sql`update audit_checkpoints set signature = sha512(signature) where org_id = ${school.id}`,
    );
    const problem = (await verify()).problems.find((entry) => entry.orgId === school.id);
    assert.match(problem?.problem ?? '', /invalid signature/);
  });
});
