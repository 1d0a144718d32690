import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** A calendar date as 'yyyy-mm-dd' text. */
type CalendarDate = string;

export type LinkStatus = 'none' | 'requested' | 'agreed' | 'refused' | 'ended';
export type PepKind = 'initial' | 'review';
export type PepState = 'draft' | 'submitted' | 'returned' | 'approved' | 'signed_off';
export type QaRating = 'red' | 'amber' | 'green';
export type ReminderStage = 'due_soon' | 'overdue';

/**
 * A child looked after by a local authority (the virtual school's tenant: school_id is the authority).
 * Identity and care details are ciphertext under the child's own subject key.
 */
export interface PepChildrenTable {
  school_id: string;
  id: string;
  forename: Buffer;
  surname: Buffer;
  dob: Buffer;
  upn: Buffer | null;
  /** JSON of placement, carer and social worker details. */
  care: Buffer;
  year_group: number | null;
  legal_status: string;
  entered_care_on: CalendarDate;
  left_care_on: CalendarDate | null;
  social_worker_id: string | null;
  linked_school_id: string | null;
  school_name: string | null;
  link_status: LinkStatus;
  school_pupil_id: string | null;
  link_decided_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Timestamp;
}

/** One version of a child's PEP for a term; each module is encrypted JSON. */
export interface PepDocumentsTable {
  school_id: string;
  id: string;
  child_id: string;
  term: string;
  kind: PepKind;
  version: number;
  state: PepState;
  due_on: CalendarDate;
  basic_info: Buffer | null;
  pupil_voice: Buffer | null;
  send: Buffer | null;
  meeting: Buffer | null;
  targets: Buffer | null;
  qa: Buffer | null;
  qa_rating: QaRating | null;
  funding_requested_pence: ColumnType<number, number | undefined, number>;
  funding_approved_pence: ColumnType<number, number | undefined, number>;
  submitted_at: Date | null;
  signed_off_at: Date | null;
  signed_off_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Timestamp;
}

export interface PepEventsTable {
  school_id: string;
  id: ColumnType<string, string | undefined, never>;
  document_id: string;
  action: string;
  actor_id: string;
  actor_role: string;
  comment: Buffer | null;
  at: ColumnType<Date, Date | undefined, never>;
}

export interface PepRemindersTable {
  school_id: string;
  child_id: string;
  term: string;
  stage: ReminderStage;
  sent_at: ColumnType<Date, Date | undefined, never>;
}

export interface PepTables {
  pep_children: PepChildrenTable;
  pep_documents: PepDocumentsTable;
  pep_events: PepEventsTable;
  pep_reminders: PepRemindersTable;
}
