import type { ColumnType, Generated } from 'kysely';

export type BackupTrigger = 'scheduled' | 'operator' | 'cli';
export type BackupOutcome = 'succeeded' | 'failed';

export interface BackupsTable {
  id: Generated<string | number | bigint>;
  file_name: string;
  trigger: BackupTrigger;
  database: 'embedded' | 'postgres';
  started_at: Date;
  finished_at: ColumnType<Date, Date | undefined, never>;
  outcome: BackupOutcome;
  bytes: ColumnType<string | number | null, number | null, never>;
  sha256: string | null;
  error: string | null;
  removed_at: Date | null;
}

export interface BackupRestoreTestsTable {
  id: Generated<string | number | bigint>;
  file_name: string;
  sha256: string | null;
  tested_at: ColumnType<Date, Date | undefined, never>;
  outcome: BackupOutcome;
  tables: number | null;
  error: string | null;
}

export interface BackupTables {
  backups: BackupsTable;
  backup_restore_tests: BackupRestoreTestsTable;
}
