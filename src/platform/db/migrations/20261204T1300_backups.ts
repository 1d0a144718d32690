// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Backups taken (scheduled, on request or from the command line) and restore tests, so the operator
  // sees when the last good backup and the last good restore test were. Platform data: file names,
  // sizes and checksums, never anything of a school's; only the platform role reaches them.
  await sql`
    create table backups (
      id bigint generated always as identity primary key,
      file_name text not null,
      trigger text not null check (trigger in ('scheduled', 'operator', 'cli')),
      database text not null check (database in ('embedded', 'postgres')),
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      outcome text not null check (outcome in ('succeeded', 'failed')),
      bytes bigint,
      sha256 text,
      error text,
      removed_at timestamptz
    )
  `.execute(db);
  await sql`create index backups_started on backups (started_at desc)`.execute(db);
  await sql`
    create table backup_restore_tests (
      id bigint generated always as identity primary key,
      file_name text not null,
      sha256 text,
      tested_at timestamptz not null default now(),
      outcome text not null check (outcome in ('succeeded', 'failed')),
      tables integer,
      error text
    )
  `.execute(db);
  await sql`create index backup_restore_tests_tested on backup_restore_tests (tested_at desc)`.execute(db);
  for (const table of ['backups', 'backup_restore_tests']) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`alter table ${table} force row level security`).execute(db);
    await sql
      .raw(
        `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
      )
      .execute(db);
    await sql.raw(`grant select, insert, update on ${table} to haven_platform`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table backup_restore_tests, backups`.execute(db);
}
