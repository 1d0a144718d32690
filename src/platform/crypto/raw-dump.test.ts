// What an attacker with the raw database files (or a backup of them) sees: no name or UPN in plaintext.
// Writes synthetic identities through the vault into an embedded database on disk, closes it, then
// searches every byte of the data directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { sql } from 'kysely';
import type { DB } from '../../database.ts';
import { createSchool } from '../../modules/organisations/organisations.service.ts';
import { openEmbedded, ownerKysely, type DatabaseSource } from '../db/connect.ts';
import type { HavenDatabase } from '../db/database.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { openDatabase } from '../db/open.ts';
import { LocalKeyProvider } from './key-provider.ts';
import { Keyring } from './keyring.ts';
import { SchoolVault } from './vault.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

interface Pupil {
  id: string;
  forename: string;
  surname: string;
  upn: string;
}

/**
 * Writes synthetic identities through the vault into a stand-in for the pupils table (the imports issue
 * brings the real one): ciphertext columns, plus one plaintext canary that proves a search of the dump
 * would find plaintext if it were there.
 */
async function writeIdentities(source: DatabaseSource, db: HavenDatabase<DB>): Promise<Pupil[]> {
  const services = {
    db,
    keyring: new Keyring(new LocalKeyProvider(randomBytes(32))),
  };
  const owner = ownerKysely<unknown>(source);
  await sql`create table dump_probe (school_id uuid, id uuid, forename bytea, surname bytea, upn bytea, canary text)`.execute(
    owner,
  );
  await sql`grant select, insert on dump_probe to haven_app`.execute(owner);
  if (source.kind === 'postgres') {
    await owner.destroy();
  }
  const school = await createSchool(services, { name: 'Dump Test School' });
  const pupils = Array.from({ length: 50 }, (_, index) => ({
    id: randomUUID(),
    forename: `Qwforename${index}x`,
    surname: `Zvsurname${index}y`,
    upn: `Q8012000${String(index).padStart(5, '0')}`,
  }));
  await db.withSchool(school.id, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, school.id);
    for (const pupil of pupils) {
      const sealed = await vault.encryptRecord(pupil.id, 'dump_probe', pupil.id, {
        forename: pupil.forename,
        surname: pupil.surname,
        upn: pupil.upn,
      });
      await vault.index(pupil.id, 'upn', pupil.upn);
      await sql`insert into dump_probe values (${school.id}, ${pupil.id}, ${sealed.forename}, ${sealed.surname}, ${sealed.upn}, 'CANARYPLAINTEXT')`.execute(
        trx,
      );
    }
  });
  return pupils;
}

function assertNoPlaintext(bytes: Buffer, pupils: Pupil[]): void {
  assert.ok(
    bytes.includes(Buffer.from('CANARYPLAINTEXT')),
    'the search finds plaintext that is stored as plaintext',
  );
  for (const pupil of pupils) {
    for (const value of [pupil.forename, pupil.surname, pupil.upn, pupil.upn.toLowerCase()]) {
      assert.equal(bytes.includes(Buffer.from(value, 'utf8')), false, `found ${value} in the dump`);
    }
  }
}

test('the embedded data directory holds no plaintext name or UPN, only ciphertext and digests', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-dump-'));
  const source = { kind: 'embedded' as const, pglite: await openEmbedded(dataDir) };
  const db = await openDatabase<DB>(source, pino({ level: 'silent' }), { migrate: true });
  const pupils = await writeIdentities(source, db);
  await db.close();
  assertNoPlaintext(Buffer.concat(filesUnder(dataDir).map((file) => readFileSync(file))), pupils);
});

// On the PostgreSQL run of the suite, the same check against pg_dump of the test database.
if (process.env.HAVEN_TEST_DATABASE_URL) {
  test('pg_dump of the PostgreSQL database holds no plaintext name or UPN', async () => {
    const testDb = await createTestDatabase();
    try {
      const pupils = await writeIdentities(testDb.source, testDb.db);
      const url = testDb.source.kind === 'postgres' ? testDb.source.url : '';
      const dump = execFileSync('pg_dump', ['--data-only', url], { maxBuffer: 256 * 1024 * 1024 });
      assertNoPlaintext(dump, pupils);
    } finally {
      await testDb.close();
    }
  });
}
