// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Scheduled jobs (deadline reminders, later retention sweeps): one row per run. A run holds a lease
  // while it works, so several app processes never run the same job at once, and a process that died
  // mid-run leaves a lease that expires rather than a job that never runs again.
  await sql`
    create table job_runs (
      id bigint generated always as identity primary key,
      name text not null,
      status text not null check (status in ('running', 'succeeded', 'failed')),
      started_at timestamptz not null default now(),
      lease_until timestamptz not null,
      finished_at timestamptz,
      details jsonb not null default '{}'
    )
  `.execute(db);
  await sql`create index job_runs_name on job_runs (name, started_at desc)`.execute(db);
  await sql`alter table job_runs enable row level security`.execute(db);
  await sql`alter table job_runs force row level security`.execute(db);
  await sql`create policy job_runs_platform on job_runs for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update on job_runs to haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_runs`.execute(db);
}
