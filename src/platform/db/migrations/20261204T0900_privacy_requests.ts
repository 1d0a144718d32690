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
  // The school's register of data subject requests (the school is the controller). The subject is
  // named by a pseudonymous id with no foreign key, so the request outlives an erasure of its subject;
  // who asked and what they wrote are ciphertext under the request's own key.
  await sql
    .raw(
      `create table privacy_requests (
        ${SCHOOL},
        id uuid primary key,
        reference text not null,
        kind text not null check (kind in ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'withdraw_consent')),
        subject_type text not null check (subject_type in ('pupil', 'contact', 'staff', 'marketing_contact')),
        subject_id uuid,
        requester_relationship text not null check (requester_relationship in ('self', 'parent', 'carer', 'legal_representative', 'other')),
        requester bytea not null,
        description bytea,
        received_via text not null check (received_via in ('school', 'platform')),
        received_on date not null,
        identity_status text not null check (identity_status in ('not_checked', 'verified', 'not_needed', 'failed')),
        status text not null check (status in ('open', 'paused', 'awaiting_approval', 'approved', 'completed', 'refused', 'withdrawn')),
        pause_reason text check (pause_reason in ('identity', 'clarification')),
        paused_since date,
        paused_days integer not null default 0 check (paused_days >= 0),
        extension_months smallint not null default 0 check (extension_months between 0 and 2),
        due_on date not null,
        assignee_id uuid,
        outcome text,
        closed_at timestamptz,
        created_by uuid,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (school_id, reference),
        check ((status = 'paused') = (paused_since is not null))
      )`,
    )
    .execute(db);
  await sql`create index privacy_requests_due on privacy_requests (school_id, status, due_on)`.execute(db);
  await sql`create index privacy_requests_subject on privacy_requests (school_id, subject_id)`.execute(db);
  await tenantTable(db, 'privacy_requests');

  // Every step of a request: its status history, with reasons as ciphertext under the request's key.
  await sql
    .raw(
      `create table privacy_request_events (
        ${SCHOOL},
        id bigint generated always as identity primary key,
        request_id uuid not null references privacy_requests (id) on delete cascade,
        kind text not null,
        status_from text,
        status_to text,
        note bytea,
        details jsonb not null default '{}',
        actor_id text not null,
        occurred_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index privacy_request_events_request on privacy_request_events (request_id, id)`.execute(
    db,
  );
  await tenantTable(db, 'privacy_request_events');

  // Restriction of processing, objections and withdrawn consent: the data stays, its use stops.
  await sql
    .raw(
      `create table processing_limits (
        ${SCHOOL},
        pupil_id uuid not null references pupils (id) on delete cascade,
        kind text not null check (kind in ('restriction', 'objection', 'consent_withdrawn')),
        purpose text not null check (purpose in ('all', 'analysis', 'apps')),
        request_id uuid references privacy_requests (id) on delete set null,
        created_by text not null,
        created_at timestamptz not null default now(),
        primary key (pupil_id, kind, purpose)
      )`,
    )
    .execute(db);
  await sql`create index processing_limits_school on processing_limits (school_id, purpose)`.execute(db);
  await tenantTable(db, 'processing_limits');

  // Evidence of each erasure, holding only pseudonymous ids and counts (the subject is gone).
  await sql
    .raw(
      `create table erasure_certificates (
        ${SCHOOL},
        id uuid primary key,
        request_id uuid not null references privacy_requests (id) on delete cascade,
        subject_id uuid not null,
        body jsonb not null,
        digest bytea not null,
        executed_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create unique index erasure_certificates_request on erasure_certificates (request_id)`.execute(
    db,
  );
  await tenantTable(db, 'erasure_certificates');

  // The deletions feed apps read: which pupils to delete or stop using (no foreign key: erased pupils
  // have no row any more).
  await sql
    .raw(
      `create table subject_removals (
        ${SCHOOL},
        id bigint generated always as identity primary key,
        pupil_id uuid not null,
        reason text not null check (reason in ('erased', 'restricted')),
        removed_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index subject_removals_school on subject_removals (school_id, removed_at)`.execute(db);
  await tenantTable(db, 'subject_removals');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'subject_removals',
    'erasure_certificates',
    'processing_limits',
    'privacy_request_events',
    'privacy_requests',
  ]) {
    await sql.raw(`drop table ${table}`).execute(db);
  }
}
