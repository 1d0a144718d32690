// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One-time links for setting or resetting a password. Only the SHA-256 of the token is kept, so a
  // database leak hands out no working link; a link is spent on first use.
  await sql`
    create table account_links (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('password_reset', 'account_setup')),
      token_hash bytea not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )
  `.execute(db);
  await sql`create index account_links_user on account_links (user_id)`.execute(db);
  await sql`alter table account_links enable row level security`.execute(db);
  await sql`alter table account_links force row level security`.execute(db);
  await sql`
    create policy account_links_tenant on account_links for all to haven_app
      using (school_id = haven_current_school()) with check (school_id = haven_current_school())
  `.execute(db);
  await sql`create policy account_links_platform on account_links for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on account_links to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table account_links`.execute(db);
}
