// A school deleted after a backup was taken stays deleted when that backup is restored: the ledger's
// school entry is replayed through the same school erasure the retention sweep uses.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { readLedgerFile } from '../privacy/erasure-ledger.file.ts';
import { replayErasureLedger } from '../privacy/erasure-ledger.service.ts';
import { backupKeys } from './backup-key.ts';
import { keepLedgerApart, takeBackup } from './backups.service.ts';
import { importPupil, restoreInto } from './backups.test-support.ts';
import { eraseSchoolData } from './school-erasure.service.ts';

const fixture = useTestApp();

async function standing(services: Services, schoolId: string) {
  return services.db.withPlatform('test: school standing', async (trx) => {
    const count = async (table: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
          where school_id = ${schoolId}`.execute(trx)
      ).rows[0]?.n ?? 0;
    const school = await trx
      .selectFrom('schools')
      .select('deleted_at')
      .where('id', '=', schoolId)
      .executeTakeFirstOrThrow();
    return {
      deleted: school.deleted_at !== null,
      pupils: await count('pupils'),
      keys: await count('school_keys'),
      subjectKeys: await count('subject_keys'),
    };
  });
}

test('a school erased after the backup is erased again by the replay: rows and keys', async () => {
  const school = await buildSchool(fixture.services);
  const kept = await buildSchool(fixture.services);
  await importPupil(fixture.services, school.id, syntheticUpn(51));
  await importPupil(fixture.services, kept.id, syntheticUpn(52));
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-backup-school-')), 'before.bak');
  await takeBackup(fixture.services, { trigger: 'cli', actor: SYSTEM_ACTOR, file });

  await eraseSchoolData(fixture.services, school.id);
  const ledger = await readLedgerFile(await keepLedgerApart(fixture.services));
  assert.ok(ledger.some((entry) => entry.scope === 'school' && entry.schoolId === school.id));

  const restored = await restoreInto(fixture.services, file, backupKeys(fixture.services.keyring.provider));
  try {
    const back = await standing(restored.services, school.id);
    assert.equal(back.deleted, false, 'the restore brought the school back');
    assert.ok(back.pupils > 0 && back.keys > 0);

    const outcome = await replayErasureLedger(restored.services, ledger);
    assert.equal(outcome.schools >= 1, true);
    assert.ok(outcome.schoolRowsErasedAgain > 0);
    assert.deepEqual(await standing(restored.services, school.id), {
      deleted: true,
      pupils: 0,
      keys: 0,
      subjectKeys: 0,
    });
    const other = await standing(restored.services, kept.id);
    assert.equal(other.deleted, false, 'another school is untouched');
    assert.equal(other.pupils, 1);
  } finally {
    await restored.close();
  }
});
