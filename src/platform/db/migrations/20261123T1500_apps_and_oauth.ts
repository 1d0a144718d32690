// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

/** Tables of the platform's own tenant (school_id is always the platform id): reached through its context. */
async function platformTenant(db: Kysely<unknown>, table: string): Promise<void> {
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
  // People who want to build apps ask first; the platform operator approves them (the e-mail address is
  // personal data: encrypted under the platform's keys, like staff addresses).
  await sql`
    create table developer_applications (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      id uuid primary key default gen_random_uuid(),
      email bytea not null,
      organisation text not null check (length(organisation) between 1 and 200),
      reason text not null check (length(reason) between 1 and 2000),
      status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
      decided_by uuid,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await platformTenant(db, 'developer_applications');

  // The app registry: what each app is, why it wants data, where it may send people back to, and the
  // terms its developer accepted. The client secret is stored as its SHA-256 only.
  await sql`
    create table apps (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      id uuid primary key default gen_random_uuid(),
      client_id text not null unique,
      client_secret_hash text not null,
      developer_id uuid not null,
      name text not null check (length(name) between 1 and 100),
      purpose text not null check (length(purpose) between 1 and 2000),
      privacy_notice_url text not null,
      redirect_uris text[] not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      terms_version text not null,
      terms_accepted_at timestamptz not null,
      secret_rotated_at timestamptz not null default now(),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index apps_developer on apps (developer_id)`.execute(db);
  await platformTenant(db, 'apps');

  await sql`
    create table app_scopes (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      app_id uuid not null references apps (id) on delete cascade,
      scope text not null,
      required boolean not null,
      reason text not null check (length(reason) between 1 and 500),
      primary key (app_id, scope)
    )
  `.execute(db);
  await platformTenant(db, 'app_scopes');

  // A school's decision about an app: exactly the scopes approved, by whom and when; revocation ends it.
  // The app lives in the platform's tenant, so there is no foreign key across tenants.
  await sql`
    create table app_authorisations (
      school_id uuid not null references schools (id) on delete cascade,
      id uuid primary key default gen_random_uuid(),
      app_id uuid not null,
      scopes text[] not null,
      grant_id text not null,
      status text not null default 'active' check (status in ('active', 'revoked')),
      approved_by uuid not null,
      approved_at timestamptz not null default now(),
      revoked_by text,
      revoked_at timestamptz,
      last_access_at timestamptz,
      request_count bigint not null default 0
    )
  `.execute(db);
  await sql`create index app_authorisations_app on app_authorisations (app_id, school_id)`.execute(db);
  await sql`create unique index app_authorisations_grant on app_authorisations (grant_id)`.execute(db);
  await sql`alter table app_authorisations enable row level security`.execute(db);
  await sql`alter table app_authorisations force row level security`.execute(db);
  await sql`
    create policy app_authorisations_tenant on app_authorisations for all to haven_app
      using (school_id = (select haven_current_school())) with check (school_id = (select haven_current_school()))
  `.execute(db);
  await sql`create policy app_authorisations_platform on app_authorisations for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on app_authorisations to haven_app, haven_platform`.execute(
    db,
  );

  // oidc-provider's artefacts (authorisation codes, tokens, grants, interactions, sessions), one row each,
  // kept until they expire; found by grant to revoke every token of a grant at once.
  await sql`
    create table oauth_artifacts (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      uid text,
      user_code text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (model, id)
    )
  `.execute(db);
  await sql`create index oauth_artifacts_grant on oauth_artifacts (grant_id) where grant_id is not null`.execute(
    db,
  );
  await sql`create index oauth_artifacts_uid on oauth_artifacts (model, uid) where uid is not null`.execute(
    db,
  );
  await sql`create index oauth_artifacts_expiry on oauth_artifacts (expires_at)`.execute(db);
  await platformTenant(db, 'oauth_artifacts');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oauth_artifacts, app_authorisations, app_scopes, apps, developer_applications`.execute(
    db,
  );
}
