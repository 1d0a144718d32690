// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A file uploaded through the API waits here, encrypted under its own key, between validation and
  // commit; it is deleted (and its key destroyed) when committed, abandoned or expired.
  await sql`
    create table import_uploads (
      school_id uuid not null references schools (id) on delete cascade,
      import_id uuid primary key references imports (id) on delete cascade,
      file_kind text not null check (file_kind in ('csv', 'xlsx', 'xml', 'zip')),
      content bytea not null,
      options jsonb not null default '{}',
      expires_at timestamptz not null
    )
  `.execute(db);
  await sql`alter table import_uploads enable row level security`.execute(db);
  await sql`alter table import_uploads force row level security`.execute(db);
  await sql`
    create policy import_uploads_tenant on import_uploads for all to haven_app
      using (school_id = haven_current_school()) with check (school_id = haven_current_school())
  `.execute(db);
  await sql`create policy import_uploads_platform on import_uploads for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on import_uploads to haven_app, haven_platform`.execute(db);

  await sql`alter table imports drop constraint imports_status_check`.execute(db);
  await sql`alter table imports add constraint imports_status_check
    check (status in ('validated', 'refused', 'committing', 'committed', 'failed', 'discarded'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_uploads`.execute(db);
  await sql`alter table imports drop constraint imports_status_check`.execute(db);
  await sql`alter table imports add constraint imports_status_check
    check (status in ('validated', 'refused', 'committed', 'failed'))`.execute(db);
}
