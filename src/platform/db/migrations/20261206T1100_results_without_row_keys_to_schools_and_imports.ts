// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Results are the one table an import writes by the million. Their foreign keys to schools and imports
// were checked row by row, one look-up and lock of the same school and import row for each result: in
// the embedded database they were a third of a results file's write time (decision 0017). What they
// guaranteed is kept another way:
// - a result's school is the tenant's: row-level security refuses any other school_id on insert, and
//   the school exists while it is being written to (it is deleted only by the platform, in the
//   erasure that deletes its results first);
// - its import is the one the importer is running, created in the same transaction;
// - deleting a school deletes its results, and deleting an import clears the link, once per statement
//   (as subjects and assessment points already do, decision 0005).
// The key to pupils stays: erasing a pupil must take their results with them whoever deletes the pupil.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table results drop constraint results_school_id_fkey, drop constraint results_import_id_fkey`.execute(
    db,
  );
  await sql`
    create function haven_delete_results_of_schools() returns trigger language plpgsql as $$
    begin
      delete from results where school_id in (select id from gone);
      return null;
    end $$
  `.execute(db);
  await sql`
    create function haven_unlink_results_of_imports() returns trigger language plpgsql as $$
    begin
      update results set import_id = null where import_id in (select id from gone);
      return null;
    end $$
  `.execute(db);
  await sql`create trigger schools_delete_results after delete on schools
    referencing old table as gone for each statement execute function haven_delete_results_of_schools()`.execute(
    db,
  );
  await sql`create trigger imports_unlink_results after delete on imports
    referencing old table as gone for each statement execute function haven_unlink_results_of_imports()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger imports_unlink_results on imports`.execute(db);
  await sql`drop trigger schools_delete_results on schools`.execute(db);
  await sql`drop function haven_unlink_results_of_imports()`.execute(db);
  await sql`drop function haven_delete_results_of_schools()`.execute(db);
  await sql`
    alter table results
      add constraint results_school_id_fkey foreign key (school_id) references schools (id) on delete cascade,
      add constraint results_import_id_fkey foreign key (import_id) references imports (id) on delete set null
  `.execute(db);
}
