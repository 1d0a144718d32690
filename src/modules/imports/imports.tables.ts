import type { ColumnType, Generated } from 'kysely';

export type ImportStatus = 'validated' | 'refused' | 'committed' | 'failed';

/** One import run; its report names rows, columns and problems, never personal values. */
export interface ImportsTable {
  school_id: string;
  id: Generated<string>;
  format: string;
  file_digest: Buffer;
  file_size: ColumnType<string, number, never>;
  status: ImportStatus;
  counts: ColumnType<unknown, string, string>;
  report: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: Generated<Date>;
  committed_at: Date | null;
}

export interface ColumnMappingsTable {
  school_id: string;
  id: Generated<string>;
  name: string;
  template: 'pupils' | 'results';
  columns: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface ImportTables {
  imports: ImportsTable;
  column_mappings: ColumnMappingsTable;
}
