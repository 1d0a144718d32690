// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

async function orgRls(db: Kysely<unknown>, table: string): Promise<void> {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`alter table ${table} force row level security`).execute(db);
  await sql
    .raw(
      `create policy ${table}_tenant on ${table} for all to haven_app
         using (org_id = haven_current_school()) with check (org_id = haven_current_school())`,
    )
    .execute(db);
  await sql
    .raw(
      `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
    )
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // One hash chain per organisation (a school's id, or the platform's nil UUID). No foreign key: the
  // history must outlive the school row.
  await sql`
    create table audit_events (
      org_id uuid not null,
      seq bigint not null check (seq >= 1),
      id uuid not null default gen_random_uuid(),
      occurred_at timestamptz not null,
      actor_type text not null check (actor_type in ('user', 'system', 'cli', 'app', 'support')),
      actor_id text not null,
      action text not null check (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
      outcome text not null check (outcome in ('success', 'denied', 'failure')),
      target text,
      subject_ids uuid[] not null default '{}',
      request_id text,
      details jsonb not null default '{}',
      prev_hash bytea not null,
      hash bytea not null,
      primary key (org_id, seq)
    )
  `.execute(db);
  await sql`create index audit_events_action on audit_events (org_id, action, occurred_at)`.execute(db);
  await sql`create index audit_events_subjects on audit_events using gin (subject_ids)`.execute(db);
  await orgRls(db, 'audit_events');

  // The head of each chain, locked by the writer so events of one organisation get consecutive numbers.
  await sql`
    create table audit_heads (
      org_id uuid primary key,
      seq bigint not null,
      hash bytea not null
    )
  `.execute(db);
  await orgRls(db, 'audit_heads');

  // Signed statements "the chain of org X had hash H at seq N", verifiable with the public key alone.
  await sql`
    create table audit_checkpoints (
      org_id uuid not null,
      seq bigint not null,
      hash bytea not null,
      signed_at timestamptz not null default now(),
      key_id text not null,
      signature bytea not null,
      primary key (org_id, seq)
    )
  `.execute(db);
  await orgRls(db, 'audit_checkpoints');

  // Append-only for the application: no update or delete is granted to anyone but the owner.
  await sql`grant select, insert on audit_events, audit_checkpoints to haven_app, haven_platform`.execute(db);
  await sql`grant select, insert, update on audit_heads to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_checkpoints, audit_heads, audit_events`.execute(db);
}
