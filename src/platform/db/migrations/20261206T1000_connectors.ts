// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Repeated in each migration on purpose (decision 0004): a migration must not change when later code does.
async function tenantRls(db: Kysely<unknown>, table: string): Promise<void> {
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
  // A school's one MIS connector. The connector token is kept only as its SHA-256 digest; a OneRoster
  // client secret is ciphertext under the connector's own key. Disconnecting keeps the row (the
  // deletion clock lives here) until the synced data is gone.
  await sql
    .raw(
      `create table connectors (
        ${SCHOOL} unique,
        id uuid primary key,
        kind text not null check (kind in ('drop_folder', 'oneroster')),
        categories jsonb not null default '[]',
        schedule text not null,
        token_digest bytea,
        oneroster_base_url text,
        oneroster_token_url text,
        oneroster_client_id text,
        oneroster_client_secret bytea,
        delta_since timestamptz,
        status text not null check (status in ('active', 'disconnected', 'deleted')),
        created_by text not null,
        created_at timestamptz not null default now(),
        disconnected_at timestamptz,
        deletion_due_on date,
        stale_notified_at timestamptz
      )`,
    )
    .execute(db);
  await tenantRls(db, 'connectors');

  // One sync attempt: its outcome, counts and the import report's errors (rows, columns, never values).
  await sql
    .raw(
      `create table connector_syncs (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        connector_id uuid not null references connectors (id) on delete cascade,
        trigger text not null check (trigger in ('schedule', 'manual', 'upload', 'folder')),
        mode text not null check (mode in ('full', 'delta')),
        status text not null check (status in ('succeeded', 'unchanged', 'refused', 'failed')),
        import_id uuid references imports (id) on delete set null,
        file_digest bytea,
        counts jsonb not null default '{}',
        errors jsonb not null default '[]',
        message text,
        started_at timestamptz not null default now(),
        finished_at timestamptz
      )`,
    )
    .execute(db);
  await sql`create index connector_syncs_recent on connector_syncs (school_id, started_at desc)`.execute(db);
  await tenantRls(db, 'connector_syncs');

  // The pupils a connector brought or kept: what its disconnection deletes when the clock runs out.
  await sql
    .raw(
      `create table connector_pupils (
        ${SCHOOL},
        connector_id uuid not null references connectors (id) on delete cascade,
        pupil_id uuid not null references pupils (id) on delete cascade,
        primary key (school_id, connector_id, pupil_id)
      )`,
    )
    .execute(db);
  await tenantRls(db, 'connector_pupils');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table connector_pupils`.execute(db);
  await sql`drop table connector_syncs`.execute(db);
  await sql`drop table connectors`.execute(db);
}
