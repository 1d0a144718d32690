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
}

// The platform's own tenant: the register belongs to the operator (the processor), not to any school.
const PLATFORM =
  "school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000')";
const SCHOOL = 'school_id uuid not null references schools (id) on delete cascade';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The operator's breach register. Free text that could identify someone (description, consequences,
  // measures, contact, reasons, outcome, lessons) is ciphertext under the breach's own key.
  await sql
    .raw(
      `create table breaches (
        ${PLATFORM},
        id uuid primary key,
        reference text not null unique,
        nature text not null check (nature in ('confidentiality', 'integrity', 'availability')),
        aware_at timestamptz not null,
        occurred_at timestamptz,
        description bytea not null,
        people_categories jsonb not null,
        data_categories jsonb not null,
        approx_people integer not null check (approx_people >= 0),
        approx_records integer not null check (approx_records >= 0),
        consequences bytea not null,
        measures_taken bytea not null,
        measures_proposed bytea,
        contact bytea not null,
        ico_status text not null default 'pending' check (ico_status in ('pending', 'notified', 'not_notified')),
        ico_told_at timestamptz,
        ico_reference text,
        ico_reason bytea,
        subjects_status text not null default 'pending' check (subjects_status in ('pending', 'told', 'not_told')),
        subjects_told_at timestamptz,
        subjects_reason bytea,
        closed_at timestamptz,
        outcome bytea,
        lessons bytea,
        alerts jsonb not null default '{}',
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check ((ico_status = 'notified') = (ico_told_at is not null)),
        check ((subjects_status = 'told') = (subjects_told_at is not null)),
        check ((closed_at is null) = (outcome is null))
      )`,
    )
    .execute(db);
  await sql`create index breaches_open on breaches (closed_at, aware_at)`.execute(db);
  await tenantTable(db, 'breaches');
  await sql`grant select, insert, update on breaches to haven_app, haven_platform`.execute(db);

  // The schools a breach affects (the controllers to tell), with the internal target and when each was told.
  await sql
    .raw(
      `create table breach_schools (
        ${PLATFORM},
        breach_id uuid not null references breaches (id) on delete cascade,
        affected_school_id uuid not null references schools (id) on delete cascade,
        notify_by timestamptz not null,
        notified_at timestamptz,
        acknowledged_at timestamptz,
        primary key (breach_id, affected_school_id)
      )`,
    )
    .execute(db);
  await sql`create index breach_schools_school on breach_schools (affected_school_id)`.execute(db);
  await tenantTable(db, 'breach_schools');
  await sql`grant select, insert, update on breach_schools to haven_app, haven_platform`.execute(db);

  // Phased updates: append-only (no update or delete is granted), the text under the breach's key.
  await sql
    .raw(
      `create table breach_updates (
        ${PLATFORM},
        id uuid primary key,
        breach_id uuid not null references breaches (id) on delete cascade,
        body bytea not null,
        sent_to_schools boolean not null,
        created_by text not null,
        created_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index breach_updates_breach on breach_updates (breach_id, created_at)`.execute(db);
  await tenantTable(db, 'breach_updates');
  await sql`grant select, insert on breach_updates to haven_app, haven_platform`.execute(db);

  // What each school was sent, as sent, in the school's own tenant (under the school's keys): the school
  // reads its notices through its own row-level security and acknowledges them.
  await sql
    .raw(
      `create table breach_notices (
        ${SCHOOL},
        id uuid primary key,
        breach_id uuid not null references breaches (id) on delete cascade,
        kind text not null check (kind in ('notice', 'update', 'closure')),
        reference text not null,
        body bytea not null,
        sent_at timestamptz not null default now(),
        acknowledged_at timestamptz,
        acknowledged_by text
      )`,
    )
    .execute(db);
  await sql`create index breach_notices_school on breach_notices (school_id, sent_at)`.execute(db);
  await tenantTable(db, 'breach_notices');
  await sql`grant select, insert, update, delete on breach_notices to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table breach_notices, breach_updates, breach_schools, breaches`.execute(db);
}
