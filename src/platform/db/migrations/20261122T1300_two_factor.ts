// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The TOTP secret is encrypted under the user's key; last_step stops a code being used twice.
  await sql`alter table users add column totp_secret bytea, add column totp_enabled_at timestamptz, add column totp_last_step bigint`.execute(
    db,
  );

  await sql`
    create table recovery_codes (
      school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000'),
      user_id uuid not null references users (id) on delete cascade,
      code_hash bytea not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    )
  `.execute(db);
  await sql`alter table recovery_codes enable row level security`.execute(db);
  await sql`alter table recovery_codes force row level security`.execute(db);
  await sql`
    create policy recovery_codes_tenant on recovery_codes for all to haven_app
      using (school_id = haven_current_school()) with check (school_id = haven_current_school())
  `.execute(db);
  await sql`create policy recovery_codes_platform on recovery_codes for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on recovery_codes to haven_app, haven_platform`.execute(db);

  await sql`alter table school_settings add column require_two_factor boolean not null default false`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table school_settings drop column require_two_factor`.execute(db);
  await sql`drop table recovery_codes`.execute(db);
  await sql`alter table users drop column totp_secret, drop column totp_enabled_at, drop column totp_last_step`.execute(
    db,
  );
}
