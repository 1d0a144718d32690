// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

const PLATFORM = '00000000-0000-0000-0000-000000000000';

async function tenantRls(db: Kysely<unknown>, table: string): Promise<void> {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`alter table ${table} force row level security`).execute(db);
  await sql
    .raw(
      `create policy ${table}_tenant on ${table} for all to haven_app
         using (school_id = haven_current_school()) with check (school_id = haven_current_school())`,
    )
    .execute(db);
  await sql
    .raw(
      `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
    )
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every organisation: the platform itself, trusts, local authorities (virtual schools) and schools. A
  // school's organisation row has the school's id.
  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('platform', 'trust', 'local_authority', 'school')),
      name text not null check (length(name) between 1 and 200),
      -- A school's trust: trust leaders reach the schools of their trust.
      parent_id uuid references organisations (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`insert into organisations (id, kind, name) values (${PLATFORM}, 'platform', 'Haven platform')`.execute(
    db,
  );
  await sql`insert into organisations (id, kind, name) select id, 'school', name from schools`.execute(db);
  await sql`alter table schools add constraint schools_organisation foreign key (id) references organisations (id)`.execute(
    db,
  );
  await sql`alter table schools add column region text`.execute(db);
  await sql`grant select on organisations to haven_app`.execute(db);
  await sql`grant select, insert, update, delete on organisations to haven_platform`.execute(db);

  // Keys belong to an organisation: schools, and the platform (staff identities are encrypted under the
  // platform's keys because one person may work in several schools).
  for (const table of ['school_keys', 'subject_keys', 'blind_indexes']) {
    await sql.raw(`alter table ${table} drop constraint ${table}_school_id_fkey`).execute(db);
    await sql
      .raw(
        `alter table ${table} add constraint ${table}_organisation foreign key (school_id) references organisations (id) on delete cascade`,
      )
      .execute(db);
  }

  // Staff identities live in the platform's tenant (school_id = the platform id), reached only through
  // the identity context; no school context can read them.
  await sql`
    create table users (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      id uuid primary key default gen_random_uuid(),
      email bytea not null,
      password_hash text,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await tenantRls(db, 'users');

  await sql`
    create table memberships (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      user_id uuid not null references users (id) on delete cascade,
      org_id uuid not null references organisations (id) on delete cascade,
      role text not null,
      created_at timestamptz not null default now(),
      primary key (user_id, org_id, role)
    )
  `.execute(db);
  await sql`create index memberships_org on memberships (org_id)`.execute(db);
  await tenantRls(db, 'memberships');

  // Opaque session tokens, stored only as SHA-256 digests.
  await sql`
    create table sessions (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      token_hash bytea not null unique,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);
  await tenantRls(db, 'sessions');

  // Failed sign-ins by e-mail digest, known address or not, so a lockout answers the same for both.
  await sql`
    create table login_failures (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      email_digest bytea primary key,
      failures integer not null default 0,
      locked_until timestamptz,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await tenantRls(db, 'login_failures');

  await sql`grant select, insert, update on users, sessions, login_failures to haven_app, haven_platform`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on memberships to haven_app, haven_platform`.execute(db);
  await sql`grant delete on login_failures to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table login_failures, sessions, memberships, users`.execute(db);
  for (const table of ['school_keys', 'subject_keys', 'blind_indexes']) {
    await sql.raw(`alter table ${table} drop constraint ${table}_organisation`).execute(db);
    await sql
      .raw(`alter table ${table} add foreign key (school_id) references schools (id) on delete cascade`)
      .execute(db);
  }
  await sql`alter table schools drop column region, drop constraint schools_organisation`.execute(db);
  await sql`drop table organisations`.execute(db);
}
