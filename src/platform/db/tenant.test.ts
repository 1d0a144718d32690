// Tenant isolation, proved on the real database (PGlite, and PostgreSQL when HAVEN_TEST_DATABASE_URL is
// set): inside withSchool(A) nothing of school B can be read or written, even by a query that forgets
// its `where school_id` clause.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { School } from '../../modules/organisations/organisations.service.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { TenantContextError } from './database.ts';
import { classifyDatabaseError } from './errors.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';

let testDb: TestServices;
let schoolA: School;
let schoolB: School;

before(async () => {
  testDb = await createTestServices();
  schoolA = await buildSchool(testDb);
  schoolB = await buildSchool(testDb);
});
after(() => testDb.close());

describe('withSchool', () => {
  test('a query without a tenant filter sees only its own school', async () => {
    const schools = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.selectFrom('schools').select('id').execute(),
    );
    assert.deepEqual(
      schools.map((row) => row.id),
      [schoolA.id],
    );
    const settings = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.selectFrom('school_settings').select('school_id').execute(),
    );
    assert.deepEqual(
      settings.map((row) => row.school_id),
      [schoolA.id],
    );
  });

  test("asking for another school's row by id returns nothing", async () => {
    const row = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.selectFrom('school_settings').selectAll().where('school_id', '=', schoolB.id).executeTakeFirst(),
    );
    assert.equal(row, undefined);
  });

  test("an update without a tenant filter changes only its own school's rows", async () => {
    const result = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.updateTable('school_settings').set({ timezone: 'Europe/Dublin' }).executeTakeFirst(),
    );
    assert.equal(result.numUpdatedRows, 1n);
    const timezones = await testDb.db.withPlatform('test.read_back', (trx) =>
      trx.selectFrom('school_settings').select(['school_id', 'timezone']).execute(),
    );
    const bySchool = new Map(timezones.map((row) => [row.school_id, row.timezone]));
    assert.equal(bySchool.get(schoolA.id), 'Europe/Dublin');
    assert.equal(bySchool.get(schoolB.id), 'Europe/London');
  });

  test("an update aimed at another school's row changes nothing", async () => {
    const result = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.updateTable('schools').set({ name: 'Renamed' }).where('id', '=', schoolB.id).executeTakeFirst(),
    );
    assert.equal(result.numUpdatedRows, 0n);
    const b = await testDb.db.withSchool(schoolB.id, (trx) =>
      trx.selectFrom('schools').select('name').executeTakeFirstOrThrow(),
    );
    assert.equal(b.name, schoolB.name);
  });

  test("moving a row to another school is refused by the policy's WITH CHECK", async () => {
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, (trx) =>
        trx
          .updateTable('school_settings')
          .set({ school_id: schoolB.id })
          .where('school_id', '=', schoolA.id)
          .execute(),
      ),
      (error: unknown) => classifyDatabaseError(error) === 'row_security',
    );
  });

  test('inserting a row for another school is refused', async () => {
    const other = await buildSchool(testDb);
    await testDb.db.withPlatform('test.clear_settings', (trx) =>
      trx.deleteFrom('school_settings').where('school_id', '=', other.id).execute(),
    );
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, (trx) =>
        trx.insertInto('school_settings').values({ school_id: other.id }).execute(),
      ),
      (error: unknown) => classifyDatabaseError(error) === 'row_security',
    );
  });

  test('the application role cannot delete a school, even its own', async () => {
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, (trx) =>
        trx.deleteFrom('schools').where('id', '=', schoolA.id).execute(),
      ),
      (error: unknown) => classifyDatabaseError(error) === 'row_security',
    );
  });

  test('the transaction runs as the application role and the role is reset afterwards', async () => {
    const inside = await testDb.db.withSchool(schoolA.id, (trx) =>
      sql<{
        role: string;
        school: string;
      }>`select current_user as role, current_setting('haven.school_id') as school`.execute(trx),
    );
    assert.equal(inside.rows[0]?.role, 'haven_app');
    assert.equal(inside.rows[0]?.school, schoolA.id);
    const outside = await sql<{
      school: string | null;
    }>`select current_setting('haven.school_id', true) as school`.execute(testDb.db.unscoped);
    assert.ok(outside.rows[0]?.school === null || outside.rows[0]?.school === '');
  });

  test('a failure inside the transaction rolls back everything it wrote', async () => {
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, async (trx) => {
        await trx.updateTable('schools').set({ name: 'Half written' }).execute();
        throw new Error('stop');
      }),
      /stop/,
    );
    const row = await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.selectFrom('schools').select('name').executeTakeFirstOrThrow(),
    );
    assert.equal(row.name, schoolA.name);
  });

  test('refuses a school id that is not a UUID', async () => {
    await assert.rejects(
      testDb.db.withSchool("x' or true --", async () => 1),
      TenantContextError,
    );
  });

  test('refuses to open a tenant transaction inside another', async () => {
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, () => testDb.db.withSchool(schoolB.id, async () => 1)),
      TenantContextError,
    );
    await assert.rejects(
      testDb.db.withSchool(schoolA.id, () => testDb.db.withPlatform('nested', async () => 1)),
      TenantContextError,
    );
  });

  test('concurrent transactions for different schools each see only their own school', async () => {
    const reads = await Promise.all(
      Array.from({ length: 10 }, (_, index) => {
        const school = index % 2 === 0 ? schoolA : schoolB;
        return testDb.db
          .withSchool(school.id, (trx) => trx.selectFrom('schools').select('id').execute())
          .then((rows) => ({ expected: school.id, seen: rows.map((row) => row.id) }));
      }),
    );
    for (const read of reads) {
      assert.deepEqual(read.seen, [read.expected]);
    }
  });
});

describe('withSchoolSnapshot', () => {
  test('reads alongside run as the application role in the school, and see only its rows', async () => {
    const reads = await testDb.db.withSchoolSnapshot(schoolA.id, (_trx, alongside) =>
      Promise.all(
        [1, 2, 3].map(() =>
          alongside(async (reader) => ({
            who: (
              await sql<{
                role: string;
                school: string;
              }>`select current_user as role, current_setting('haven.school_id') as school`.execute(reader)
            ).rows[0],
            schools: await reader.selectFrom('schools').select('id').execute(),
          })),
        ),
      ),
    );
    for (const read of reads) {
      assert.deepEqual(read.who, { role: 'haven_app', school: schoolA.id });
      assert.deepEqual(
        read.schools.map((row) => row.id),
        [schoolA.id],
      );
    }
  });

  test('reads alongside see the snapshot the transaction began with, on connections of their own', async (t) => {
    if (testDb.db.kind === 'embedded') {
      // One connection: no other transaction can commit while this one is open.
      t.skip('PostgreSQL only');
      return;
    }
    const timezone = (trx: Parameters<Parameters<typeof testDb.db.withSchool>[1]>[0]) =>
      trx.selectFrom('school_settings').select('timezone').executeTakeFirstOrThrow();
    const original = (await testDb.db.withSchool(schoolA.id, timezone)).timezone;
    const started = Promise.withResolvers<void>();
    const committed = Promise.withResolvers<void>();
    const reading = testDb.db.withSchoolSnapshot(schoolA.id, async (trx, alongside) => {
      started.resolve();
      await committed.promise;
      const pid = async (on: typeof trx) =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on)).rows[0]?.pid;
      return {
        seen: await Promise.all([alongside(timezone), alongside(timezone)]),
        pids: await Promise.all([pid(trx), alongside(pid)]),
      };
    });
    await started.promise;
    await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.updateTable('school_settings').set({ timezone: 'Europe/Lisbon' }).execute(),
    );
    committed.resolve();
    const { seen, pids } = await reading;
    // The change committed after the snapshot was taken: neither reader sees it.
    assert.deepEqual(
      seen.map((row) => row.timezone),
      [original, original],
    );
    assert.notEqual(pids[0], pids[1]);
    await testDb.db.withSchool(schoolA.id, (trx) =>
      trx.updateTable('school_settings').set({ timezone: original }).execute(),
    );
  });

  test('readers cannot write', async (t) => {
    if (testDb.db.kind === 'embedded') {
      t.skip('PostgreSQL only: the embedded database reads in the transaction itself');
      return;
    }
    await assert.rejects(
      testDb.db.withSchoolSnapshot(schoolA.id, (_trx, alongside) =>
        alongside((reader) => reader.updateTable('schools').set({ name: 'Written by a reader' }).execute()),
      ),
      /read-only/,
    );
  });
});

describe('outside any tenant context', () => {
  test('the application connection sees no tenant rows at all', async () => {
    const schools = await testDb.db.unscoped.selectFrom('schools').select('id').execute();
    const settings = await testDb.db.unscoped.selectFrom('school_settings').select('school_id').execute();
    assert.deepEqual(schools, []);
    assert.deepEqual(settings, []);
  });

  test('withPlatform sees every school', async () => {
    const ids = await testDb.db.withPlatform('test.list', (trx) =>
      trx.selectFrom('schools').select('id').execute(),
    );
    const seen = new Set(ids.map((row) => row.id));
    assert.ok(seen.has(schoolA.id) && seen.has(schoolB.id));
  });

  test('withPlatform needs a reason', async () => {
    await assert.rejects(
      testDb.db.withPlatform(' ', async () => 1),
      TenantContextError,
    );
  });
});

describe('schema rules', () => {
  test('every table with a school_id or org_id column forces row-level security and has tenant and platform policies', async () => {
    const tables = await testDb.db.withPlatform('test.catalog', (trx) =>
      sql<{ table: string; rls: boolean; forced: boolean; policies: string[] }>`
        select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
               coalesce(array_agg(p.polname::text) filter (where p.polname is not null), '{}') as policies
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        left join pg_policy p on p.polrelid = c.oid
        where c.relkind = 'r'
          and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname in ('school_id', 'org_id') and not a.attisdropped)
               or c.relname = 'schools')
        group by c.relname, c.relrowsecurity, c.relforcerowsecurity
        order by c.relname`.execute(trx),
    );
    assert.ok(tables.rows.length >= 2, 'expected at least schools and school_settings');
    for (const table of tables.rows) {
      assert.ok(table.rls && table.forced, `${table.table} must enable and force row-level security`);
      assert.ok(table.policies.includes(`${table.table}_tenant`), `${table.table} needs a tenant policy`);
      assert.ok(table.policies.includes(`${table.table}_platform`), `${table.table} needs a platform policy`);
    }
  });

  test('the application roles neither own tables nor bypass row-level security', async () => {
    const roles = await testDb.db.withPlatform('test.roles', (trx) =>
      sql<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>`
        select r.rolname, r.rolsuper, r.rolbypassrls,
               (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
        from pg_roles r where r.rolname in ('haven_app', 'haven_platform')`.execute(trx),
    );
    assert.equal(roles.rows.length, 2);
    for (const role of roles.rows) {
      assert.equal(role.rolsuper, false);
      assert.equal(role.rolbypassrls, false);
      assert.equal(role.owns, 0);
    }
  });
});
