import path from 'node:path';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { countTablesInDump, countTablesInPgDump } from './backup-database.ts';
import type { BackupHeader, BackupKey } from './backup-format.ts';
import { decryptBackupFile, verifyBackupFile } from './backup-reader.ts';
import { backupKeys } from './backup-key.ts';
import * as repository from './backups.repository.ts';
import { failureReason } from './backups.service.ts';

// Restore tests: a backup is decrypted and checked end to end without touching the database, and its
// dump is read back the way a restore would (an embedded one loaded into a throwaway in-memory PGlite,
// a PostgreSQL one listed by pg_restore). The outcome is recorded: the operator sees the last good one.

export interface RestoreTest {
  header: BackupHeader;
  bytes: number;
  sha256: string;
  tables: number;
}

/**
 * Checks a backup file without restoring it: checksum, key, every record's tag, then the dump itself.
 * Throws BackupFileError (or BackupToolError) when the file would not restore.
 */
export async function checkBackup(file: string, keys: readonly BackupKey[]): Promise<RestoreTest> {
  const plaintext: Buffer[] = [];
  const opened = await verifyBackupFile(file, keys, (chunk) => {
    plaintext.push(chunk);
  });
  // PGlite's dump is loaded whole anyway; a pg_dump is read again from the file, as a stream.
  const keep = opened.header.database === 'embedded';
  const tables = keep
    ? await countTablesInDump(plaintext)
    : await countTablesInPgDump(decryptBackupFile(file, keys));
  return { header: opened.header, bytes: opened.bytes, sha256: opened.sha256, tables };
}

/** A restore test of `file`, recorded (success or failure) with an audit event in the platform's chain. */
export async function testRestore(services: Services, file: string, actor: Actor): Promise<RestoreTest> {
  const fileName = path.basename(file);
  const record = (outcome: RestoreTest | { error: string }) =>
    services.db.withPlatform('backups: restore test', async (trx) => {
      const failed = 'error' in outcome;
      await repository.insertRestoreTest(trx, {
        fileName,
        sha256: failed ? null : outcome.sha256,
        outcome: failed ? 'failed' : 'succeeded',
        tables: failed ? null : outcome.tables,
        error: failed ? outcome.error : null,
      });
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor,
        action: 'backups.restore_tested',
        outcome: failed ? 'failure' : 'success',
        details: failed ? {} : { tables: outcome.tables },
      });
    });
  let tested: RestoreTest;
  try {
    tested = await checkBackup(file, backupKeys(services.keyring.provider));
  } catch (error) {
    await record({ error: failureReason(error) });
    throw error;
  }
  await record(tested);
  return tested;
}

export interface BackupOverview {
  directory: string;
  keep: number;
  schedule: string | undefined;
  backups: repository.BackupRow[];
  lastRestoreTest: repository.RestoreTestRow | undefined;
  lastSuccessfulRestoreTest: repository.RestoreTestRow | undefined;
}

/** What the operator sees: where backups go, the newest backups, and the last restore tests. */
export async function backupOverview(services: Services, limit = 30): Promise<BackupOverview> {
  return services.db.withPlatform('backups: overview', async (trx) => {
    const tests = await repository.latestRestoreTests(trx);
    return {
      directory: services.backups.dir,
      keep: services.backups.keep,
      schedule: services.backups.schedule,
      backups: await repository.listBackups(trx, limit),
      lastRestoreTest: tests.latest,
      lastSuccessfulRestoreTest: tests.lastSucceeded,
    };
  });
}

/** How far back the backup summary counts backups. */
export const BACKUP_SUMMARY_DAYS = 7;

export interface BackupSummary {
  lastSuccessfulBackupAt: Date | null;
  /** Backups started in the last BACKUP_SUMMARY_DAYS days, by outcome. */
  lastSevenDays: { succeeded: number; failed: number };
  lastRestoreTest: { testedAt: Date; outcome: repository.RestoreTestRow['outcome'] } | null;
  lastSuccessfulRestoreTestAt: Date | null;
}

/**
 * The backup record in brief, for compliance evidence: the newest good backup, the last week's count,
 * and the last restore tests (times and outcomes only: no file names, checksums or errors).
 */
export async function backupSummary(services: Services, now = new Date()): Promise<BackupSummary> {
  const since = new Date(now.getTime() - BACKUP_SUMMARY_DAYS * 24 * 3_600_000);
  return services.db.withPlatform('backups: summary for the evidence report', async (trx) => {
    const tally = await repository.backupTally(trx, since);
    const tests = await repository.latestRestoreTests(trx);
    return {
      lastSuccessfulBackupAt: tally.lastSucceededAt,
      lastSevenDays: { succeeded: tally.succeededSince, failed: tally.failedSince },
      lastRestoreTest:
        tests.latest === undefined
          ? null
          : { testedAt: tests.latest.testedAt, outcome: tests.latest.outcome },
      lastSuccessfulRestoreTestAt: tests.lastSucceeded?.testedAt ?? null,
    };
  });
}
