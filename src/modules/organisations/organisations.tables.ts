import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export type SchoolStatus = 'active' | 'leaving' | 'left';
export type OrganisationKind = 'platform' | 'trust' | 'local_authority' | 'school';
type PlatformTenant = ColumnType<string, string | undefined, never>;

/** Every organisation; a school's row has the school's id. */
export interface OrganisationsTable {
  id: Generated<string>;
  kind: OrganisationKind;
  name: string;
  parent_id: string | null;
  created_at: CreatedAt;
}

/** A school: the tenant. Its `id` is the `school_id` every tenant row carries. */
export interface SchoolsTable {
  id: Generated<string>;
  name: string;
  urn: string | null;
  la_code: string | null;
  establishment_number: string | null;
  status: ColumnType<SchoolStatus, SchoolStatus | undefined, SchoolStatus>;
  region: string | null;
  /** Leaving (offboarding): when asked and by whom, the day its data must be gone by, when it went. */
  leaving_requested_at: Date | null;
  leaving_requested_by: string | null;
  deletion_due_on: string | null;
  deleted_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Per-school settings: the first tenant-owned table, isolated by row-level security on school_id. */
export interface SchoolSettingsTable {
  school_id: string;
  timezone: ColumnType<string, string | undefined, string>;
  academic_year_start_month: ColumnType<number, number | undefined, number>;
  require_two_factor: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: UpdatedAt;
}

/** Staff identities live in the platform's tenant (school_id is always the platform id). */
export interface UsersTable {
  school_id: PlatformTenant;
  id: Generated<string>;
  /** Encrypted under the user's subject key; found through the 'email' blind index. */
  email: Buffer;
  password_hash: string | null;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  /** Encrypted under the user's key; set at enrolment, live once totp_enabled_at is set. */
  totp_secret: Buffer | null;
  totp_enabled_at: Date | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: ColumnType<string | bigint | number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MembershipsTable {
  school_id: PlatformTenant;
  user_id: string;
  org_id: string;
  role: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  school_id: PlatformTenant;
  id: Generated<string>;
  user_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, never, Date>;
  expires_at: Date;
  revoked_at: ColumnType<Date | null, never, Date>;
  /** Opened with a second factor (TOTP or recovery code): what a school requiring two-factor asks. */
  second_factor: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface RecoveryCodesTable {
  school_id: PlatformTenant;
  user_id: string;
  code_hash: Buffer;
  used_at: Date | null;
}

export interface LoginFailuresTable {
  school_id: PlatformTenant;
  email_digest: Buffer;
  failures: number;
  locked_until: Date | null;
  updated_at: ColumnType<Date, never, Date>;
}

/** A one-time link to set or reset a password; only the token's digest is stored. */
export interface AccountLinksTable {
  school_id: PlatformTenant;
  id: Generated<string>;
  user_id: string;
  purpose: 'password_reset' | 'account_setup';
  token_hash: Buffer;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface OrganisationTables {
  account_links: AccountLinksTable;
  organisations: OrganisationsTable;
  schools: SchoolsTable;
  school_settings: SchoolSettingsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  recovery_codes: RecoveryCodesTable;
}

export type SchoolRow = Selectable<SchoolsTable>;
export type NewSchoolRow = Insertable<SchoolsTable>;
export type SchoolSettingsRow = Selectable<SchoolSettingsTable>;
export type SchoolSettingsUpdate = Updateable<SchoolSettingsTable>;
