import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export type SchoolStatus = 'active' | 'leaving' | 'left';

/** A school: the tenant. Its `id` is the `school_id` every tenant row carries. */
export interface SchoolsTable {
  id: Generated<string>;
  name: string;
  urn: string | null;
  la_code: string | null;
  establishment_number: string | null;
  status: ColumnType<SchoolStatus, SchoolStatus | undefined, SchoolStatus>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Per-school settings: the first tenant-owned table, isolated by row-level security on school_id. */
export interface SchoolSettingsTable {
  school_id: string;
  timezone: ColumnType<string, string | undefined, string>;
  academic_year_start_month: ColumnType<number, number | undefined, number>;
  updated_at: UpdatedAt;
}

export interface OrganisationTables {
  schools: SchoolsTable;
  school_settings: SchoolSettingsTable;
}

export type SchoolRow = Selectable<SchoolsTable>;
export type NewSchoolRow = Insertable<SchoolsTable>;
export type SchoolSettingsRow = Selectable<SchoolSettingsTable>;
export type SchoolSettingsUpdate = Updateable<SchoolSettingsTable>;
