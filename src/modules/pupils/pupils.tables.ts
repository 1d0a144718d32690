import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** A calendar date as 'yyyy-mm-dd' text (never a JavaScript Date, which would carry a time zone). */
type CalendarDate = string;

export type IdentifierKind = 'upn' | 'temporary_upn' | 'pseudonymous' | 'name';

/** A pupil: direct identifiers as ciphertext under the pupil's key; characteristics pseudonymised. */
export interface PupilsTable {
  school_id: string;
  id: string;
  upn: Buffer | null;
  forename: Buffer | null;
  surname: Buffer | null;
  preferred_forename: Buffer | null;
  preferred_surname: Buffer | null;
  dob: Buffer | null;
  address: Buffer | null;
  contacts: Buffer | null;
  identifier_kind: IdentifierKind;
  year_group: number | null;
  birth_month: number | null;
  birth_year: number | null;
  sex: 'M' | 'F' | null;
  ethnicity: string | null;
  fsm: boolean | null;
  fsm6: boolean | null;
  disadvantaged: boolean | null;
  pupil_premium: boolean | null;
  sen: 'N' | 'K' | 'E' | null;
  eal: boolean | null;
  gifted: boolean | null;
  looked_after: boolean | null;
  previously_looked_after: boolean | null;
  service_child: boolean | null;
  enrolment_status: string | null;
  start_date: CalendarDate | null;
  leave_date: CalendarDate | null;
  last_import_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PriorAttainmentTable {
  school_id: string;
  pupil_id: string;
  ks2_reading_score: number | null;
  ks2_reading_outcome: string | null;
  ks2_maths_score: number | null;
  ks2_maths_outcome: string | null;
  ks2_reading_ta: string | null;
  ks2_maths_ta: string | null;
  import_id: string | null;
  updated_at: Timestamp;
}

export interface PupilChangesTable {
  school_id: string;
  id: Generated<string>;
  pupil_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  import_id: string | null;
  changed_by: string;
  changed_at: Timestamp;
}

export interface PupilGroupsTable {
  school_id: string;
  id: Generated<string>;
  name: string;
}

export interface PupilGroupMembersTable {
  school_id: string;
  group_id: string;
  pupil_id: string;
}

export interface PupilTables {
  pupils: PupilsTable;
  prior_attainment: PriorAttainmentTable;
  pupil_changes: PupilChangesTable;
  pupil_groups: PupilGroupsTable;
  pupil_group_members: PupilGroupMembersTable;
}
