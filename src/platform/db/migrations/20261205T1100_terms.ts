// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Versions of the terms of service the operator publishes, each with the day it takes effect (after a
  // notice period). Every school may read them; only the platform writes them.
  await sql`
    create table terms_versions (
      id uuid primary key,
      version text not null unique check (length(version) between 1 and 50),
      summary text not null,
      body text not null,
      published_at timestamptz not null default now(),
      effective_on date not null,
      published_by uuid not null
    )
  `.execute(db);
  await sql`alter table terms_versions enable row level security`.execute(db);
  await sql`alter table terms_versions force row level security`.execute(db);
  await sql`create policy terms_versions_read on terms_versions for select to haven_app using (true)`.execute(
    db,
  );
  await sql`create policy terms_versions_platform on terms_versions for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select on terms_versions to haven_app`.execute(db);
  await sql`grant select, insert on terms_versions to haven_platform`.execute(db);

  // Each school's answer to a version: accepted, or opted out (which starts its leaving).
  await sql`
    create table terms_responses (
      school_id uuid not null references schools (id) on delete cascade,
      version_id uuid not null references terms_versions (id),
      response text not null check (response in ('accepted', 'opted_out')),
      responded_by uuid not null,
      responded_at timestamptz not null default now(),
      primary key (school_id, version_id)
    )
  `.execute(db);
  await sql`alter table terms_responses enable row level security`.execute(db);
  await sql`alter table terms_responses force row level security`.execute(db);
  await sql`create policy terms_responses_tenant on terms_responses for all to haven_app
    using (school_id = (select haven_current_school())) with check (school_id = (select haven_current_school()))`.execute(
    db,
  );
  await sql`create policy terms_responses_platform on terms_responses for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on terms_responses to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table terms_responses`.execute(db);
  await sql`drop table terms_versions`.execute(db);
}
