// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Repeated in each migration on purpose (decision 0004): a migration must not change when later code does.
async function tenantTable(db: Kysely<unknown>, table: string): Promise<void> {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`alter table ${table} force row level security`).execute(db);
  await sql
    .raw(
      `create policy ${table}_tenant on ${table} for all to haven_app
         using (school_id = (select haven_current_school())) with check (school_id = (select haven_current_school()))`,
    )
    .execute(db);
  await sql
    .raw(
      `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
    )
    .execute(db);
  await sql.raw(`grant select, insert, update, delete on ${table} to haven_app, haven_platform`).execute(db);
}

const SCHOOL = 'school_id uuid not null references schools (id) on delete cascade';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Leaving: when the school asked, by when its data must be gone, and when it was. The school's row
  // itself stays (its name is not personal data) as the anchor of its audit chain and certificates.
  await sql`
    alter table schools
      add column leaving_requested_at timestamptz,
      add column leaving_requested_by text,
      add column deletion_due_on date,
      add column deleted_at timestamptz
  `.execute(db);
  await sql`create index pupils_birth on pupils (school_id, birth_year, birth_month)`.execute(db);
  await sql`create index pupils_leave_date on pupils (school_id, leave_date) where leave_date is not null`.execute(
    db,
  );

  // A school's own, stricter periods for the retention rules (the defaults live in code, as data).
  await sql
    .raw(
      `create table retention_policies (
        ${SCHOOL},
        rule text not null check (rule in ('pupil_age', 'leaver_years', 'school_inactivity', 'school_offboarding')),
        period integer not null check (period > 0),
        updated_by text not null,
        updated_at timestamptz not null default now(),
        primary key (school_id, rule)
      )`,
    )
    .execute(db);
  await tenantTable(db, 'retention_policies');

  // Legal holds pause deletion of one pupil or of the whole school; the reason is ciphertext under the
  // hold's own key (it may say why a child's record matters to a claim).
  await sql
    .raw(
      `create table legal_holds (
        ${SCHOOL},
        id uuid primary key,
        pupil_id uuid references pupils (id) on delete cascade,
        reason bytea not null,
        placed_by text not null,
        placed_at timestamptz not null default now(),
        expires_on date,
        released_at timestamptz,
        released_by text
      )`,
    )
    .execute(db);
  await sql`create index legal_holds_school on legal_holds (school_id, released_at)`.execute(db);
  await tenantTable(db, 'legal_holds');

  // Warnings sent before a deletion (inactivity), once each per stage and deletion date.
  await sql
    .raw(
      `create table retention_notices (
        ${SCHOOL},
        rule text not null,
        stage text not null,
        deletion_due_on date not null,
        sent_at timestamptz not null default now(),
        primary key (school_id, rule, stage, deletion_due_on)
      )`,
    )
    .execute(db);
  await tenantTable(db, 'retention_notices');

  // Evidence of each retention run: what went, under which rule, by pseudonymous id and count. Kept
  // when a school's data is deleted (it holds no personal data).
  await sql
    .raw(
      `create table retention_certificates (
        ${SCHOOL},
        id uuid primary key,
        rule text not null,
        body jsonb not null,
        digest bytea not null,
        created_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index retention_certificates_school on retention_certificates (school_id, created_at desc)`.execute(
    db,
  );
  await tenantTable(db, 'retention_certificates');

  // Deleting a school's staff accounts (when the school was their only organisation).
  await sql`grant delete on users, sessions, recovery_codes, account_links to haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['retention_certificates', 'retention_notices', 'legal_holds', 'retention_policies']) {
    await sql.raw(`drop table ${table}`).execute(db);
  }
  await sql`drop index pupils_leave_date`.execute(db);
  await sql`drop index pupils_birth`.execute(db);
  await sql`
    alter table schools
      drop column leaving_requested_at, drop column leaving_requested_by,
      drop column deletion_due_on, drop column deleted_at
  `.execute(db);
}
