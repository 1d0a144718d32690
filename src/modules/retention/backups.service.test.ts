// Backups on the test database (PGlite, or PostgreSQL with HAVEN_TEST_DATABASE_URL): backup → erase a
// pupil → restore → replay and the pupil is gone again; damaged, cut-off and wrong-key backups are
// refused with nothing touched; rotation keeps N; restore tests are recorded.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { LocalKeyProvider } from '../../platform/crypto/key-provider.ts';
import { listSchools } from '../organisations/organisations.service.ts';
import { readLedgerFile } from '../privacy/erasure-ledger.file.ts';
import { replayErasureLedger } from '../privacy/erasure-ledger.service.ts';
import { BackupFileError } from './backup-format.ts';
import { backupKeys } from './backup-key.ts';
import { backupOverview, testRestore } from './backup-verify.service.ts';
import { erasePupil, importPupil, lookupUpn, restoreInto, rowsAbout } from './backups.test-support.ts';
import { keepLedgerApart, takeBackup, type BackupTaken } from './backups.service.ts';

const fixture = useTestApp();
const keys = () => backupKeys(fixture.services.keyring.provider);

async function backupFile(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-backup-test-')), 'test.bak');
  await takeBackup(fixture.services, { trigger: 'cli', actor: SYSTEM_ACTOR, file });
  return file;
}

describe('backup, erase, restore, replay', () => {
  test('the pupil erased after the backup is erased again: rows, key and blind index', async () => {
    const school = await buildSchool(fixture.services);
    const other = await buildSchool(fixture.services);
    const upn = syntheticUpn(41);
    const pupilId = await importPupil(fixture.services, school.id, upn);
    const file = await backupFile();

    await erasePupil(fixture.app, fixture.services, school.id, pupilId);
    const ledgerFile = await keepLedgerApart(fixture.services);
    const ledger = await readLedgerFile(ledgerFile);
    assert.ok(ledger.some((entry) => entry.scope === 'subject' && entry.subjectId === pupilId));

    const restored = await restoreInto(fixture.services, file, keys());
    try {
      const back = await rowsAbout(restored.services, school.id, pupilId);
      for (const [table, count] of Object.entries(back)) {
        assert.ok(count > 0, `the restore brought the pupil's ${table} back`);
      }

      const outcome = await replayErasureLedger(restored.services, ledger);
      assert.equal(outcome.pupilsErasedAgain, 1);
      assert.equal(outcome.keysDestroyedAgain, 1);
      assert.deepEqual(await rowsAbout(restored.services, school.id, pupilId), {
        pupils: 0,
        results: 0,
        subject_keys: 0,
        blind_indexes: 0,
      });
      assert.equal(
        await lookupUpn(restored.services, school.id, upn),
        undefined,
        'the blind index finds nobody',
      );
      // Row-level security still holds after the restore: another school's context sees none of it.
      assert.equal(await lookupUpn(restored.services, other.id, upn), undefined);
      const again = await replayErasureLedger(restored.services, ledger);
      assert.equal(again.pupilsErasedAgain + again.keysDestroyedAgain, 0, 'replaying again changes nothing');
    } finally {
      await restored.close();
    }
  });
});

describe('refused backups change nothing', () => {
  test('a flipped byte, a cut-off file and a wrong key are refused before the database is touched', async () => {
    const school = await buildSchool(fixture.services);
    const file = await backupFile();
    const bytes = await readFile(file);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    const cases: Array<[string, string, ReturnType<typeof keys>, RegExp]> = [
      ['flipped', `${file}.flipped`, keys(), /damaged or incomplete \(its SHA-256 checksum does not match\)/],
      ['cut off', `${file}.cut`, keys(), /damaged or incomplete/],
      ['cut at the checksum', `${file}.cut2`, keys(), /damaged or incomplete/],
      [
        'wrong key',
        file,
        backupKeys(new LocalKeyProvider(randomBytes(32))),
        /not derived from any master key loaded here/,
      ],
    ];
    await writeFile(`${file}.flipped`, flipped);
    await writeFile(`${file}.cut`, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await writeFile(`${file}.cut2`, bytes.subarray(0, bytes.length - 32));
    const before = (await listSchools(fixture.services)).length;
    for (const [what, candidate, candidateKeys, message] of cases) {
      await assert.rejects(
        restoreInto(fixture.services, candidate, candidateKeys),
        (error: unknown) =>
          error instanceof BackupFileError && message.test(error.message) && !error.message.includes('\n'),
        what,
      );
    }
    const after = await listSchools(fixture.services);
    assert.equal(after.length, before, 'the database is untouched');
    assert.ok(after.some((entry) => entry.id === school.id));
  });

  test('an edited header fails the records’ tags even with the checksum made again', async () => {
    const file = await backupFile();
    const bytes = await readFile(file);
    // The same length, another Haven version: only the tags (the header is their associated data) tell.
    const text = bytes.toString('latin1');
    const at = text.indexOf('"havenVersion":"') + '"havenVersion":"'.length;
    const edited = Buffer.from(bytes.subarray(0, bytes.length - 32));
    edited[at] = edited[at] === 0x39 ? 0x38 : 0x39;
    await writeFile(`${file}.forged`, Buffer.concat([edited, createHash('sha256').update(edited).digest()]));
    await assert.rejects(
      testRestore(fixture.services, `${file}.forged`, SYSTEM_ACTOR),
      /altered after it was written/,
    );
  });
});

describe('rotation and restore tests', () => {
  test('scheduled backups beyond the number kept are deleted, oldest first, and recorded as removed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'haven-rotation-'));
    const services = { ...fixture.services, backups: { dir, keep: 2, schedule: undefined } };
    const taken: BackupTaken[] = [];
    for (let index = 0; index < 3; index += 1) {
      taken.push(await takeBackup(services, { trigger: 'scheduled', actor: SYSTEM_ACTOR }));
    }
    const files = (await readdir(dir)).filter((name) => name.endsWith('.bak')).sort();
    assert.deepEqual(
      files,
      taken.slice(1).map((backup) => backup.fileName),
    );
    assert.deepEqual(taken[2]?.removed, [taken[0]?.fileName]);
    const overview = await backupOverview(services);
    const first = overview.backups.find((backup) => backup.fileName === taken[0]?.fileName);
    assert.ok(first?.removedAt instanceof Date, 'the removed backup is marked');
    assert.ok((await readdir(dir)).includes('erasure-ledger.json'), 'the ledger is kept beside the backups');
  });

  test('a restore test is recorded, and a failed one does not hide the last good one', async () => {
    const file = await backupFile();
    const tested = await testRestore(fixture.services, file, SYSTEM_ACTOR);
    assert.ok(tested.tables > 20, `the dump holds Haven's tables (${tested.tables})`);
    await writeFile(`${file}.cut`, (await readFile(file)).subarray(0, 1000));
    await assert.rejects(testRestore(fixture.services, `${file}.cut`, SYSTEM_ACTOR), BackupFileError);
    const overview = await backupOverview(fixture.services);
    assert.equal(overview.lastRestoreTest?.outcome, 'failed');
    assert.equal(overview.lastSuccessfulRestoreTest?.outcome, 'succeeded');
    assert.equal(overview.lastSuccessfulRestoreTest?.tables, tested.tables);
  });
});
