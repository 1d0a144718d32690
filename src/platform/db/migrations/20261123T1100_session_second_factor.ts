// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Whether the session was opened with a second factor (a TOTP or recovery code was checked). A school
  // that requires two-factor sign-in asks this of the session, not of the account: a session opened
  // before the account turned two-factor on proved only the password. Sessions from before this
  // migration count as opened without one.
  await sql`alter table sessions add column second_factor boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sessions drop column second_factor`.execute(db);
}
