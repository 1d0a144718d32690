import type { ColumnType } from 'kysely';

export type SupportAccess = 'view' | 'data';
export type SupportEndReason = 'revoked' | 'ticket_closed';

/** A school's time-limited grant to a named support engineer (platform tenant, beside memberships). */
export interface SupportGrantsTable {
  school_id: ColumnType<string, string | undefined, never>;
  id: string;
  org_id: string;
  engineer_id: string;
  access: SupportAccess;
  ticket: string;
  /** Ciphertext under the grant's own key. */
  purpose: Buffer;
  starts_at: Date;
  expires_at: Date;
  granted_by: string;
  granted_at: ColumnType<Date, Date | undefined, never>;
  ended_at: Date | null;
  ended_by: string | null;
  end_reason: SupportEndReason | null;
}

export interface SupportTables {
  support_grants: SupportGrantsTable;
}
