// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

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
  // School keys: the data key (wraps subject keys) and the blind-index key, each wrapped by the master key.
  await sql`
    create table school_keys (
      school_id uuid not null references schools (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      purpose text not null check (purpose in ('data', 'index')),
      version integer not null check (version >= 1),
      state text not null check (state in ('active', 'retiring')),
      kek_id text not null,
      wrapped bytea not null,
      created_at timestamptz not null default now(),
      primary key (school_id, id),
      unique (school_id, purpose, version)
    )
  `.execute(db);
  await sql`create unique index school_keys_one_active on school_keys (school_id, purpose) where state = 'active'`.execute(
    db,
  );
  await tenantRls(db, 'school_keys');

  // One key per data subject (pupil, contact, staff member); destroying the row shreds their data.
  await sql`
    create table subject_keys (
      school_id uuid not null references schools (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      subject_id uuid not null,
      dek_version integer not null,
      wrapped bytea not null,
      created_at timestamptz not null default now(),
      primary key (school_id, id),
      unique (school_id, subject_id)
    )
  `.execute(db);
  await sql`create index subject_keys_dek_version on subject_keys (school_id, dek_version)`.execute(db);
  await tenantRls(db, 'subject_keys');

  // Keyed HMACs of unique identifiers (UPN, e-mail) for exact lookups without decrypting.
  await sql`
    create table blind_indexes (
      school_id uuid not null references schools (id) on delete cascade,
      kind text not null check (kind ~ '^[a-z_]{1,40}$'),
      digest bytea not null,
      subject_id uuid not null,
      index_version integer not null,
      primary key (school_id, kind, digest)
    )
  `.execute(db);
  await sql`create index blind_indexes_subject on blind_indexes (school_id, subject_id)`.execute(db);
  await tenantRls(db, 'blind_indexes');

  // Append-only record of erasures (pseudonymous ids only), replayed after a restore from backup.
  // No foreign key: the record must outlive the school row itself.
  await sql`
    create table erasure_ledger (
      school_id uuid not null,
      id uuid not null default gen_random_uuid(),
      subject_id uuid,
      scope text not null check (scope in ('subject', 'school')),
      erased_at timestamptz not null default now(),
      primary key (school_id, id)
    )
  `.execute(db);
  await tenantRls(db, 'erasure_ledger');

  await sql`grant select, insert, update, delete on school_keys to haven_app`.execute(db);
  await sql`grant select, insert, update, delete on subject_keys, blind_indexes to haven_app`.execute(db);
  await sql`grant select, insert on erasure_ledger to haven_app, haven_platform`.execute(db);
  await sql`grant select, insert, update, delete on school_keys, subject_keys, blind_indexes to haven_platform`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table erasure_ledger, blind_indexes, subject_keys, school_keys`.execute(db);
}
