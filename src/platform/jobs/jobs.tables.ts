import type { ColumnType, Generated } from 'kysely';

export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobRunsTable {
  id: Generated<string | number | bigint>;
  name: string;
  status: JobStatus;
  started_at: ColumnType<Date, Date | undefined, never>;
  lease_until: Date;
  finished_at: Date | null;
  details: ColumnType<Record<string, number | string>, string | undefined, string>;
}

export interface JobTables {
  job_runs: JobRunsTable;
}
