import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const BREACH_NATURES = ['confidentiality', 'integrity', 'availability'] as const;
export type BreachNature = (typeof BREACH_NATURES)[number];

/** Whose data was involved (the ICO's categories of data subjects, as they occur in a school). */
export const PEOPLE_CATEGORIES = ['pupils', 'former_pupils', 'parents_carers', 'staff', 'other'] as const;
export type PeopleCategory = (typeof PEOPLE_CATEGORIES)[number];

/** What kind of data was involved; the special categories and children's care data are named apart. */
export const DATA_CATEGORIES = [
  'identity',
  'contact_details',
  'attainment',
  'attendance_behaviour',
  'characteristics',
  'special_educational_needs',
  'health',
  'ethnicity',
  'looked_after_care',
  'safeguarding',
  'staff_accounts',
  'other',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const ICO_STATUSES = ['pending', 'notified', 'not_notified'] as const;
export type IcoStatus = (typeof ICO_STATUSES)[number];
export const SUBJECTS_STATUSES = ['pending', 'told', 'not_told'] as const;
export type SubjectsStatus = (typeof SUBJECTS_STATUSES)[number];
export const NOTICE_KINDS = ['notice', 'update', 'closure'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface BreachesTable {
  school_id: Defaulted<string>;
  id: string;
  reference: string;
  nature: BreachNature;
  aware_at: Date;
  occurred_at: Date | null;
  description: Buffer;
  people_categories: ColumnType<PeopleCategory[], string, string>;
  data_categories: ColumnType<DataCategory[], string, string>;
  approx_people: number;
  approx_records: number;
  consequences: Buffer;
  measures_taken: Buffer;
  measures_proposed: Buffer | null;
  contact: Buffer;
  ico_status: Defaulted<IcoStatus>;
  ico_told_at: NullableTimestamp;
  ico_reference: ColumnType<string | null, string | null | undefined, string | null>;
  ico_reason: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  subjects_status: Defaulted<SubjectsStatus>;
  subjects_told_at: NullableTimestamp;
  subjects_reason: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  closed_at: NullableTimestamp;
  outcome: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  lessons: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** Overdue alert stages already sent: stage → ISO time. */
  alerts: ColumnType<Record<string, string>, string | undefined, string>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BreachSchoolsTable {
  school_id: Defaulted<string>;
  breach_id: string;
  affected_school_id: string;
  notify_by: Date;
  notified_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
}

export interface BreachUpdatesTable {
  school_id: Defaulted<string>;
  id: string;
  breach_id: string;
  body: Buffer;
  sent_to_schools: boolean;
  created_by: string;
  created_at: Timestamp;
}

export interface BreachNoticesTable {
  school_id: string;
  id: string;
  breach_id: string;
  kind: NoticeKind;
  reference: string;
  body: Buffer;
  sent_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BreachTables {
  breaches: BreachesTable;
  breach_schools: BreachSchoolsTable;
  breach_updates: BreachUpdatesTable;
  breach_notices: BreachNoticesTable;
}
