import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** A calendar date as 'yyyy-mm-dd' text (never a JavaScript Date, which would carry a time zone). */
type CalendarDate = string;

export type RetentionRuleId = 'pupil_age' | 'leaver_years' | 'school_inactivity' | 'school_offboarding';

/** A school's stricter period for one rule (the defaults are in rules.ts). */
export interface RetentionPoliciesTable {
  school_id: string;
  rule: RetentionRuleId;
  period: number;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A legal hold: deletion of one pupil (or, with no pupil, the whole school) waits while it is live. */
export interface LegalHoldsTable {
  school_id: string;
  id: string;
  pupil_id: string | null;
  /** Ciphertext under the hold's own key. */
  reason: Buffer;
  placed_by: string;
  placed_at: CreatedAt;
  expires_on: CalendarDate | null;
  released_at: Date | null;
  released_by: string | null;
}

export interface RetentionNoticesTable {
  school_id: string;
  rule: RetentionRuleId;
  stage: string;
  deletion_due_on: CalendarDate;
  sent_at: CreatedAt;
}

export interface RetentionCertificatesTable {
  school_id: string;
  id: string;
  rule: RetentionRuleId;
  body: ColumnType<RetentionCertificateBody, string, never>;
  digest: Buffer;
  created_at: CreatedAt;
}

/** What a retention certificate says: no names, only pseudonymous ids and counts. */
export interface RetentionCertificateBody {
  certificate: string;
  school: { id: string; name: string };
  rule: RetentionRuleId;
  ruleDescription: string;
  period: string;
  appliedOn: CalendarDate;
  categories: string[];
  records: Record<string, number>;
  subjects: string[];
  heldBack: number;
  executedBy: string;
  executedAt: string;
}

export interface RetentionTables {
  retention_policies: RetentionPoliciesTable;
  legal_holds: LegalHoldsTable;
  retention_notices: RetentionNoticesTable;
  retention_certificates: RetentionCertificatesTable;
}
