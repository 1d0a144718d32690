// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

const PLATFORM = '00000000-0000-0000-0000-000000000000';

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

export async function up(db: Kysely<unknown>): Promise<void> {
  // A school's grant of time-limited access to a named support engineer. It lives beside memberships in
  // the platform's tenant (sign-in reads both together); `org_id` is the school that granted it. The
  // purpose is ciphertext under the grant's own key. The window is at most 72 hours, by construction.
  await sql
    .raw(
      `create table support_grants (
        school_id uuid not null default '${PLATFORM}' check (school_id = '${PLATFORM}'),
        id uuid primary key,
        org_id uuid not null references organisations (id) on delete cascade,
        engineer_id uuid not null references users (id) on delete cascade,
        access text not null check (access in ('view', 'data')),
        ticket text not null check (length(ticket) between 1 and 100),
        purpose bytea not null,
        starts_at timestamptz not null,
        expires_at timestamptz not null,
        granted_by uuid not null,
        granted_at timestamptz not null default now(),
        ended_at timestamptz,
        ended_by text,
        end_reason text check (end_reason in ('revoked', 'ticket_closed')),
        check (expires_at > starts_at and expires_at <= starts_at + interval '72 hours')
      )`,
    )
    .execute(db);
  await sql`create index support_grants_engineer on support_grants (engineer_id, expires_at)`.execute(db);
  await sql`create index support_grants_org on support_grants (org_id, granted_at desc)`.execute(db);
  await tenantRls(db, 'support_grants');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table support_grants`.execute(db);
}
