// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Deleting a pupil cascades to their group memberships, one `delete … where pupil_id = $1` per pupil,
// and a retention batch counts them by pupil first. The primary key (group_id, pupil_id) cannot serve
// either, so each was a scan of every school's memberships: with a million pupils in groups, a sweep
// deleting 10,000 pupils read the table 10,000 times. (class_members has had this index from the start.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index pupil_group_members_pupil on pupil_group_members (pupil_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index pupil_group_members_pupil`.execute(db);
}
