import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Json<T> = ColumnType<T, string, string>;
/** A calendar date as 'yyyy-mm-dd' text (never a JavaScript Date, which would carry a time zone). */
type CalendarDate = string;

export type ConnectorKind = 'drop_folder' | 'oneroster';
export type ConnectorStatus = 'active' | 'disconnected' | 'deleted';
export type SyncTrigger = 'schedule' | 'manual' | 'upload' | 'folder';
export type SyncStatus = 'succeeded' | 'unchanged' | 'refused' | 'failed';

/** A school's MIS connector (one per school). Secrets only as a digest or as ciphertext. */
export interface ConnectorsTable {
  school_id: string;
  id: string;
  kind: ConnectorKind;
  categories: Json<string[]>;
  schedule: string;
  token_digest: Buffer | null;
  oneroster_base_url: string | null;
  oneroster_token_url: string | null;
  oneroster_client_id: string | null;
  /** Ciphertext under the connector's own key. */
  oneroster_client_secret: Buffer | null;
  /** The provider's clock at the last successful pull: the next pull asks for changes since. */
  delta_since: Date | null;
  status: ConnectorStatus;
  created_by: string;
  created_at: CreatedAt;
  disconnected_at: Date | null;
  deletion_due_on: CalendarDate | null;
  stale_notified_at: Date | null;
}

/** One sync attempt; errors as the import report gives them (rows, columns, never values). */
export interface ConnectorSyncsTable {
  school_id: string;
  id: Generated<string>;
  connector_id: string;
  trigger: SyncTrigger;
  mode: 'full' | 'delta';
  status: SyncStatus;
  import_id: string | null;
  file_digest: Buffer | null;
  counts: Json<Record<string, number>>;
  errors: Json<SyncError[]>;
  message: string | null;
  started_at: CreatedAt;
  finished_at: Date | null;
}

export interface SyncError {
  row?: number;
  column?: string;
  field?: string;
  message: string;
}

/** Pupils a connector synced: what its disconnection deletes when the clock runs out. */
export interface ConnectorPupilsTable {
  school_id: string;
  connector_id: string;
  pupil_id: string;
}

export interface ConnectorTables {
  connectors: ConnectorsTable;
  connector_syncs: ConnectorSyncsTable;
  connector_pupils: ConnectorPupilsTable;
}
