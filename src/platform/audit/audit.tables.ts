import type { ColumnType } from 'kysely';

/** int8 arrives as a string (pg) or a bigint (PGlite): always read it through Number(). */
type Int8 = ColumnType<string | bigint | number, number, number>;

export type ActorType = 'user' | 'system' | 'cli' | 'app' | 'support';
export type Outcome = 'success' | 'denied' | 'failure';

/** Extra facts about an event: codes, counts, ids. Never personal data (names, e-mails, free text). */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEventsTable {
  org_id: string;
  seq: Int8;
  id: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string;
  action: string;
  outcome: Outcome;
  target: string | null;
  subject_ids: string[];
  request_id: string | null;
  details: ColumnType<AuditDetails, string, never>;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface AuditHeadsTable {
  org_id: string;
  seq: Int8;
  hash: Buffer;
}

export interface AuditCheckpointsTable {
  org_id: string;
  seq: Int8;
  hash: Buffer;
  signed_at: ColumnType<Date, never, never>;
  key_id: string;
  signature: Buffer;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
}
