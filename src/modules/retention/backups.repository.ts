import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { BackupOutcome, BackupTrigger } from './backups.tables.ts';

// The record of backups and restore tests: platform tables (no school's rows), so every method takes a
// platform-context transaction.

type Trx = Transaction<DB>;

export interface BackupRow {
  id: string;
  fileName: string;
  trigger: BackupTrigger;
  database: 'embedded' | 'postgres';
  startedAt: Date;
  finishedAt: Date;
  outcome: BackupOutcome;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
  removedAt: Date | null;
}

export interface RestoreTestRow {
  fileName: string;
  sha256: string | null;
  testedAt: Date;
  outcome: BackupOutcome;
  tables: number | null;
  error: string | null;
}

export async function insertBackup(
  trx: Trx,
  backup: Omit<BackupRow, 'id' | 'finishedAt' | 'removedAt'>,
): Promise<string> {
  const row = await trx
    .insertInto('backups')
    .values({
      file_name: backup.fileName,
      trigger: backup.trigger,
      database: backup.database,
      started_at: backup.startedAt,
      outcome: backup.outcome,
      bytes: backup.bytes,
      sha256: backup.sha256,
      error: backup.error,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** The newest backups first. */
export async function listBackups(trx: Trx, limit: number): Promise<BackupRow[]> {
  const rows = await trx
    .selectFrom('backups')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: String(row.id),
    fileName: row.file_name,
    trigger: row.trigger,
    database: row.database,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    bytes: row.bytes === null ? null : Number(row.bytes),
    sha256: row.sha256,
    error: row.error,
    removedAt: row.removed_at,
  }));
}

/** Notes that rotation deleted these files (the record stays, as the history of backups). */
export async function markRemoved(trx: Trx, fileNames: readonly string[]): Promise<void> {
  if (fileNames.length === 0) {
    return;
  }
  await trx
    .updateTable('backups')
    .set({ removed_at: new Date() })
    .where('file_name', 'in', fileNames)
    .where('removed_at', 'is', null)
    .execute();
}

export async function insertRestoreTest(trx: Trx, test: Omit<RestoreTestRow, 'testedAt'>): Promise<void> {
  await trx
    .insertInto('backup_restore_tests')
    .values({
      file_name: test.fileName,
      sha256: test.sha256,
      outcome: test.outcome,
      tables: test.tables,
      error: test.error,
    })
    .execute();
}

/** The newest restore test, and the newest that succeeded (the same one when the newest did). */
export async function latestRestoreTests(
  trx: Trx,
): Promise<{ latest: RestoreTestRow | undefined; lastSucceeded: RestoreTestRow | undefined }> {
  const newest = (outcome?: BackupOutcome) => {
    let query = trx.selectFrom('backup_restore_tests').selectAll();
    if (outcome !== undefined) {
      query = query.where('outcome', '=', outcome);
    }
    return query.orderBy('tested_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  };
  const toRow = (row: Awaited<ReturnType<typeof newest>>): RestoreTestRow | undefined =>
    row === undefined
      ? undefined
      : {
          fileName: row.file_name,
          sha256: row.sha256,
          testedAt: row.tested_at,
          outcome: row.outcome,
          tables: row.tables,
          error: row.error,
        };
  return { latest: toRow(await newest()), lastSucceeded: toRow(await newest('succeeded')) };
}

export interface BackupTally {
  lastSucceededAt: Date | null;
  succeededSince: number;
  failedSince: number;
}

/** When the newest successful backup finished, and how many backups succeeded and failed since `since`. */
export async function backupTally(trx: Trx, since: Date): Promise<BackupTally> {
  const row = await trx
    .selectFrom('backups')
    .select((eb) => [
      eb.fn.max('finished_at').filterWhere('outcome', '=', 'succeeded').as('last_succeeded_at'),
      eb.fn
        .countAll<string | number | bigint>()
        .filterWhere('outcome', '=', 'succeeded')
        .filterWhere('started_at', '>=', since)
        .as('succeeded'),
      eb.fn
        .countAll<string | number | bigint>()
        .filterWhere('outcome', '=', 'failed')
        .filterWhere('started_at', '>=', since)
        .as('failed'),
    ])
    .executeTakeFirstOrThrow();
  return {
    lastSucceededAt: row.last_succeeded_at === null ? null : new Date(row.last_succeeded_at),
    succeededSince: Number(row.succeeded),
    failedSince: Number(row.failed),
  };
}
