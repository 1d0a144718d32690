// Shared by the backup tests: a pupil imported and erased through the privacy path (request, DPO
// approval, execution), what is left of them, and a database restored from a backup file.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import type { TestServices } from '../../../test/support/services.ts';
import type { DB } from '../../database.ts';
import { auditPlatformContext } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { openEmbedded } from '../../platform/db/connect.ts';
import { openDatabase } from '../../platform/db/open.ts';
import type { HavenApp } from '../../app.ts';
import type { Services } from '../../services.ts';
import { loadEmbedded, loadPostgres } from './backup-database.ts';
import type { BackupKey } from './backup-format.ts';
import { decryptBackupFile, verifyBackupFile } from './backup-reader.ts';

/** Imports one pupil with KS2 and a result; returns their pseudonymous id. */
export async function importPupil(services: Services, schoolId: string, upn: string): Promise<string> {
  await importCsvLines(services, schoolId, [
    'upn,forename,surname,dob,year_group,ks2_reading_score',
    `${upn},Zqbackup,Xvpupil,2010-03-14,11,104`,
  ]);
  await importCsvLines(services, schoolId, [
    'upn,subject,assessment_point,facet,grade',
    `${upn},Maths,Y11 Autumn,achieved,5`,
  ]);
  const pupilId = await lookupUpn(services, schoolId, upn);
  assert.ok(pupilId !== undefined);
  return pupilId;
}

export function lookupUpn(services: Services, schoolId: string, upn: string): Promise<string | undefined> {
  return services.db.withSchool(schoolId, (trx) =>
    new SchoolVault(services.keyring, trx, schoolId).lookup('upn', upn),
  );
}

/** Erases a pupil as a school does: an erasure request, the DPO's approval, then its execution. */
export async function erasePupil(
  app: HavenApp,
  services: Services,
  schoolId: string,
  pupilId: string,
): Promise<void> {
  const admin = await signInAs(app, (await buildUser(services, 'school_admin', schoolId)).email);
  const dpo = await signInAs(app, (await buildUser(services, 'dpo', schoolId)).email);
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/schools/${schoolId}/privacy/requests`,
    headers: { cookie: admin },
    payload: {
      kind: 'erasure',
      subjectType: 'pupil',
      subjectId: pupilId,
      identityStatus: 'verified',
      requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
      receivedOn: new Date().toISOString().slice(0, 10),
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json<{ id: string }>();
  for (const [step, cookie, payload] of [
    ['submit-erasure', admin, {}],
    ['approve-erasure', dpo, { reason: 'Asked for' }],
    ['execute-erasure', admin, {}],
  ] as const) {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/schools/${schoolId}/privacy/requests/${id}/${step}`,
      headers: { cookie },
      payload,
    });
    assert.equal(response.statusCode, 200, `${step}: ${response.body}`);
  }
}

const PUPIL_TABLES = {
  pupils: 'id',
  results: 'pupil_id',
  subject_keys: 'subject_id',
  blind_indexes: 'subject_id',
};

/** Rows held about a pupil, per table (read in the platform context, as a restore would see them). */
export async function rowsAbout(
  services: Services,
  schoolId: string,
  pupilId: string,
): Promise<Record<string, number>> {
  return services.db.withPlatform('test: rows about a pupil', async (trx) => {
    const counts: Record<string, number> = {};
    for (const [table, column] of Object.entries(PUPIL_TABLES)) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
        where school_id = ${schoolId} and ${sql.ref(column)} = ${pupilId}`.execute(trx);
      counts[table] = rows[0]?.n ?? 0;
    }
    return counts;
  });
}

/**
 * Restores a backup file the way `restore` does for this kind of test database, verifying it first:
 * PostgreSQL in place (the services stay usable); an in-memory PGlite cannot be replaced, so the dump
 * goes into a new data directory and services over it are returned. The caller closes `close`.
 */
export async function restoreInto(
  services: TestServices,
  file: string,
  keys: readonly BackupKey[],
): Promise<{ services: Services; close: () => Promise<void> }> {
  await verifyBackupFile(file, keys);
  const { source } = services.testDb;
  if (source.kind === 'postgres') {
    await loadPostgres(source.url, decryptBackupFile(file, keys));
    return { services, close: async () => undefined };
  }
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'haven-restore-')), 'db');
  await loadEmbedded(dir, decryptBackupFile(file, keys));
  const restored = { kind: 'embedded' as const, pglite: await openEmbedded(dir) };
  const db = await openDatabase<DB>(restored, pino({ level: 'silent' }), {
    migrate: true,
    onPlatformContext: auditPlatformContext,
  });
  return { services: { ...services, db }, close: () => db.close() };
}
