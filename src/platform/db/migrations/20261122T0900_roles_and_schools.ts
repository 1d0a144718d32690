// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

/** Creates a NOLOGIN role unless it exists; tolerant of another database on the same server racing us. */
async function ensureRole(db: Kysely<unknown>, role: string): Promise<void> {
  await sql
    .raw(
      `do $$ begin
         if not exists (select 1 from pg_roles where rolname = '${role}') then
           create role ${role} nologin nosuperuser nobypassrls noinherit;
         end if;
       exception when duplicate_object or unique_violation then null;
       end $$`,
    )
    .execute(db);
  // The connecting user must be a member to SET ROLE to it (superusers always are).
  await sql
    .raw(
      `do $$ begin
         if not pg_has_role(current_user, '${role}', 'member') then
           execute format('grant ${role} to %I', current_user);
         end if;
       end $$`,
    )
    .execute(db);
}

async function enableTenantRls(db: Kysely<unknown>, table: string, column: string): Promise<void> {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`alter table ${table} force row level security`).execute(db);
  await sql
    .raw(
      `create policy ${table}_tenant on ${table} for all to haven_app
         using (${column} = haven_current_school()) with check (${column} = haven_current_school())`,
    )
    .execute(db);
  await sql
    .raw(
      `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
    )
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await ensureRole(db, 'haven_app');
  await ensureRole(db, 'haven_platform');
  await sql`grant usage on schema public to haven_app, haven_platform`.execute(db);
  // Both roles may read which migrations ran (for /ready); neither may change the history.
  await sql`grant select on kysely_migration to haven_app, haven_platform`.execute(db);

  // The school selected for this transaction, or null outside withSchool.
  await sql`
    create function haven_current_school() returns uuid language sql stable as
    $$ select nullif(current_setting('haven.school_id', true), '')::uuid $$
  `.execute(db);

  await sql`
    create table schools (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      urn text unique check (urn ~ '^[0-9]{6}$'),
      la_code text check (la_code ~ '^[0-9]{3}$'),
      establishment_number text check (establishment_number ~ '^[0-9]{4}$'),
      status text not null default 'active' check (status in ('active', 'leaving', 'left')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await enableTenantRls(db, 'schools', 'id');
  // A school's own staff may read and rename it; creating and removing schools is platform work.
  await sql`grant select, update on schools to haven_app`.execute(db);
  await sql`grant select, insert, update, delete on schools to haven_platform`.execute(db);

  await sql`
    create table school_settings (
      school_id uuid primary key references schools (id) on delete cascade,
      timezone text not null default 'Europe/London',
      academic_year_start_month smallint not null default 9 check (academic_year_start_month between 1 and 12),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await enableTenantRls(db, 'school_settings', 'school_id');
  await sql`grant select, insert, update on school_settings to haven_app`.execute(db);
  await sql`grant select, insert, update, delete on school_settings to haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table school_settings`.execute(db);
  await sql`drop table schools`.execute(db);
  await sql`drop function haven_current_school()`.execute(db);
  await sql`revoke select on kysely_migration from haven_app, haven_platform`.execute(db);
}
