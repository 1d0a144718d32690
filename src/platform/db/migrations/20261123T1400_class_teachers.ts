// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Which staff teach which classes: a teacher sees the pupils of their own classes only. The user
  // lives in the platform's identity tenant, so there is no foreign key across tenants.
  await sql`
    create table class_teachers (
      school_id uuid not null references schools (id) on delete cascade,
      class_id uuid not null references classes (id) on delete cascade,
      user_id uuid not null,
      primary key (class_id, user_id)
    )
  `.execute(db);
  await sql`create index class_teachers_user on class_teachers (school_id, user_id)`.execute(db);
  await sql`alter table class_teachers enable row level security`.execute(db);
  await sql`alter table class_teachers force row level security`.execute(db);
  await sql`
    create policy class_teachers_tenant on class_teachers for all to haven_app
      using (school_id = (select haven_current_school())) with check (school_id = (select haven_current_school()))
  `.execute(db);
  await sql`create policy class_teachers_platform on class_teachers for all to haven_platform using (true) with check (true)`.execute(
    db,
  );
  await sql`grant select, insert, update, delete on class_teachers to haven_app, haven_platform`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table class_teachers`.execute(db);
}
