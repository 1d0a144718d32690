// What an attacker with the raw database files (or a backup of them) sees: no name or UPN in plaintext.
// Imports synthetic pupils into an embedded database on disk, closes it, then searches every byte of
// the data directory (and, on the PostgreSQL run, a pg_dump).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import type { DB } from '../../database.ts';
import { createSchool } from '../../modules/organisations/organisations.service.ts';
import { runImport } from '../../modules/imports/imports.service.ts';
import { bufferSource } from '../../modules/imports/source.ts';
import type { Services } from '../../services.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { TEST_GOVERNANCE } from '../../../test/support/services.ts';
import { BackgroundTasks } from '../background.ts';
import { DEFAULT_AUTH_SETTINGS } from '../config.ts';
import { Mailer } from '../mail/mailer.ts';
import { openEmbedded } from '../db/connect.ts';
import type { HavenDatabase } from '../db/database.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import { openDatabase } from '../db/open.ts';
import { LocalKeyProvider } from './key-provider.ts';
import { Keyring } from './keyring.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

interface Pupil {
  forename: string;
  surname: string;
  upn: string;
  dob: string;
}

/**
 * Imports synthetic pupils through the real importer (a pupils CSV), so every place a pupil's
 * identifiers go — the pupils table, blind indexes, change history, import reports, the audit log — is
 * in the files searched. Their class is named with a plaintext canary: class names are stored in the
 * clear, which proves a search of the files would find plaintext if it were there.
 */
async function writeIdentities(db: HavenDatabase<DB>): Promise<Pupil[]> {
  const log = pino({ level: 'silent' });
  const services: Services = {
    db,
    keyring: new Keyring(new LocalKeyProvider(randomBytes(32))),
    auth: DEFAULT_AUTH_SETTINGS,
    mailer: new Mailer({ smtpUrl: undefined, from: 'test@example.invalid', outboxDir: tmpdir() }, log),
    publicUrl: 'https://haven.test',
    governance: TEST_GOVERNANCE,
    background: new BackgroundTasks(log),
    backups: { dir: tmpdir(), keep: 14, schedule: undefined },
    connectorDir: tmpdir(),
    connectorPrivateHosts: false,
  };
  const school = await createSchool(services, { name: 'Dump Test School' });
  const pupils = Array.from({ length: 50 }, (_, index) => ({
    forename: `Qwforename${index}x`,
    surname: `Zvsurname${index}y`,
    upn: syntheticUpn(index + 1),
    dob: `2011-0${(index % 9) + 1}-2${index % 8}`,
  }));
  const csv = [
    'upn,forename,surname,dob,sex,class',
    ...pupils.map(
      (pupil) => `${pupil.upn},${pupil.forename},${pupil.surname},${pupil.dob},F,CANARYPLAINTEXT`,
    ),
  ].join('\n');
  const outcome = await runImport(services, {
    schoolId: school.id,
    source: bufferSource('pupils.csv', Buffer.from(csv)),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
  assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
  return pupils;
}

function assertNoPlaintext(bytes: Buffer, pupils: Pupil[]): void {
  assert.ok(
    bytes.includes(Buffer.from('CANARYPLAINTEXT')),
    'the search finds plaintext that is stored as plaintext',
  );
  for (const pupil of pupils) {
    for (const value of [pupil.forename, pupil.surname, pupil.upn, pupil.upn.toLowerCase(), pupil.dob]) {
      assert.equal(bytes.includes(Buffer.from(value, 'utf8')), false, `found ${value} in the dump`);
    }
  }
}

test('the embedded data directory holds no plaintext name or UPN, only ciphertext and digests', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-dump-'));
  const source = { kind: 'embedded' as const, pglite: await openEmbedded(dataDir) };
  const db = await openDatabase<DB>(source, pino({ level: 'silent' }), { migrate: true });
  const pupils = await writeIdentities(db);
  await db.close();
  assertNoPlaintext(Buffer.concat(filesUnder(dataDir).map((file) => readFileSync(file))), pupils);
});

// On the PostgreSQL run of the suite, the same check against pg_dump of the test database.
if (process.env.HAVEN_TEST_DATABASE_URL) {
  test('pg_dump of the PostgreSQL database holds no plaintext name or UPN', async () => {
    const testDb = await createTestDatabase();
    try {
      const pupils = await writeIdentities(testDb.db);
      const url = testDb.source.kind === 'postgres' ? testDb.source.url : '';
      const dump = execFileSync('pg_dump', ['--data-only', url], { maxBuffer: 256 * 1024 * 1024 });
      assertNoPlaintext(dump, pupils);
    } finally {
      await testDb.close();
    }
  });
}
