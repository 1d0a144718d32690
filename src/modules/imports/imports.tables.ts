import type { ColumnType, Generated } from 'kysely';

export type ImportStatus = 'validated' | 'refused' | 'committing' | 'committed' | 'failed' | 'discarded';

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
  template: 'pupils' | 'results' | 'marksheet';
  columns: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

/** An API upload waiting between validation and commit, encrypted under its own key. */
export interface ImportUploadsTable {
  school_id: string;
  import_id: string;
  file_kind: 'csv' | 'xlsx' | 'xml' | 'zip';
  content: Buffer;
  options: ColumnType<unknown, string, string>;
  expires_at: Date;
}

export interface ImportTables {
  imports: ImportsTable;
  import_uploads: ImportUploadsTable;
  column_mappings: ColumnMappingsTable;
}
