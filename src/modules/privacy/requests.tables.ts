import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate } from '../../platform/calendar/working-days.ts';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** int8 arrives as a string (pg) or a bigint (PGlite): always read it through Number(). */
type Int8 = ColumnType<string | bigint | number, never, never>;

export const REQUEST_KINDS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'portability',
  'withdraw_consent',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const SUBJECT_TYPES = ['pupil', 'contact', 'staff', 'marketing_contact'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const RELATIONSHIPS = ['self', 'parent', 'carer', 'legal_representative', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const IDENTITY_STATUSES = ['not_checked', 'verified', 'not_needed', 'failed'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

export const REQUEST_STATUSES = [
  'open',
  'paused',
  'awaiting_approval',
  'approved',
  'completed',
  'refused',
  'withdrawn',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export type PauseReason = 'identity' | 'clarification';

export interface PrivacyRequestsTable {
  school_id: string;
  id: string;
  reference: string;
  kind: RequestKind;
  subject_type: SubjectType;
  subject_id: string | null;
  requester_relationship: Relationship;
  /** JSON {name, contact}, encrypted under the request's own key. */
  requester: Buffer;
  description: Buffer | null;
  received_via: 'school' | 'platform';
  received_on: CalendarDate;
  identity_status: IdentityStatus;
  status: RequestStatus;
  pause_reason: PauseReason | null;
  paused_since: CalendarDate | null;
  paused_days: ColumnType<number, number | undefined, number>;
  extension_months: ColumnType<number, number | undefined, number>;
  due_on: CalendarDate;
  assignee_id: string | null;
  outcome: string | null;
  closed_at: Date | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PrivacyRequestEventsTable {
  school_id: string;
  id: Generated<Int8>;
  request_id: string;
  kind: string;
  status_from: RequestStatus | null;
  status_to: RequestStatus | null;
  /** A reason or note in staff's words, encrypted under the request's key. */
  note: Buffer | null;
  details: ColumnType<Record<string, string | number | boolean | null>, string, never>;
  actor_id: string;
  occurred_at: Timestamp;
}

export type LimitKind = 'restriction' | 'objection' | 'consent_withdrawn';
export type LimitPurpose = 'all' | 'analysis' | 'apps';

export interface ProcessingLimitsTable {
  school_id: string;
  pupil_id: string;
  kind: LimitKind;
  purpose: LimitPurpose;
  request_id: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ErasureCertificatesTable {
  school_id: string;
  id: string;
  request_id: string;
  subject_id: string;
  body: ColumnType<ErasureCertificateBody, string, never>;
  digest: Buffer;
  executed_at: Timestamp;
}

/** What a certificate of erasure says: pseudonymous ids, people's roles by user id, and counts only. */
export interface ErasureCertificateBody {
  certificate: string;
  school: { id: string; name: string };
  request: { id: string; reference: string; receivedOn: string };
  subject: { type: SubjectType; pseudonymousId: string };
  approvedBy: string;
  approvedAt: string;
  executedBy: string;
  executedAt: string;
  deleted: Record<string, number>;
  subjectKeyDestroyed: boolean;
  blindIndexesDeleted: number;
  leftForManualRedaction: string[];
  /** Descriptions and notes of requests about the pupil that were cleared. */
  requestTextCleared: number;
  nextSteps: string;
  backups: string;
}

export interface SubjectRemovalsTable {
  school_id: string;
  id: Generated<Int8>;
  pupil_id: string;
  reason: 'erased' | 'restricted';
  removed_at: Timestamp;
}

export interface PrivacyTables {
  privacy_requests: PrivacyRequestsTable;
  privacy_request_events: PrivacyRequestEventsTable;
  processing_limits: ProcessingLimitsTable;
  erasure_certificates: ErasureCertificatesTable;
  subject_removals: SubjectRemovalsTable;
}
