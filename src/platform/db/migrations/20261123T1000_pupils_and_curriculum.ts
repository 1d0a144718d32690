// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Repeated in each migration on purpose (decision 0004): a migration must not change when later code does.
async function tenantTable(db: Kysely<unknown>, table: string): Promise<void> {
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
  await sql.raw(`grant select, insert, update, delete on ${table} to haven_app, haven_platform`).execute(db);
}

const SCHOOL = 'school_id uuid not null references schools (id) on delete cascade';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per import run. The report holds rows, columns and messages, never personal values.
  await sql
    .raw(
      `create table imports (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        format text not null,
        file_digest bytea not null,
        file_size bigint not null,
        status text not null check (status in ('validated', 'refused', 'committed', 'failed')),
        counts jsonb not null default '{}',
        report jsonb not null default '{}',
        created_by text not null,
        created_at timestamptz not null default now(),
        committed_at timestamptz
      )`,
    )
    .execute(db);
  await sql`create index imports_school on imports (school_id, created_at)`.execute(db);

  // Direct identifiers are ciphertext under the pupil's own key; everything else is pseudonymised
  // (month and year of birth, never the date) so analysis never decrypts.
  await sql
    .raw(
      `create table pupils (
        ${SCHOOL},
        id uuid primary key,
        upn bytea, forename bytea, surname bytea, preferred_forename bytea, preferred_surname bytea,
        dob bytea, address bytea, contacts bytea,
        identifier_kind text not null check (identifier_kind in ('upn', 'temporary_upn', 'pseudonymous', 'name')),
        year_group smallint check (year_group between -2 and 14),
        birth_month smallint check (birth_month between 1 and 12),
        birth_year smallint check (birth_year between 1990 and 2100),
        sex text check (sex in ('M', 'F')),
        ethnicity text check (ethnicity ~ '^[A-Z]{4}$'),
        fsm boolean, fsm6 boolean, disadvantaged boolean, pupil_premium boolean,
        sen text check (sen in ('N', 'K', 'E')),
        eal boolean, gifted boolean, looked_after boolean, previously_looked_after boolean, service_child boolean,
        enrolment_status text check (enrolment_status in ('C', 'M', 'S', 'G', 'O')),
        start_date date, leave_date date,
        last_import_id uuid references imports (id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index pupils_school on pupils (school_id, year_group)`.execute(db);

  await sql
    .raw(
      `create table prior_attainment (
        ${SCHOOL},
        pupil_id uuid primary key references pupils (id) on delete cascade,
        ks2_reading_score smallint check (ks2_reading_score between 80 and 120),
        ks2_reading_outcome text,
        ks2_maths_score smallint check (ks2_maths_score between 80 and 120),
        ks2_maths_outcome text,
        ks2_reading_ta text,
        ks2_maths_ta text,
        import_id uuid references imports (id) on delete set null,
        updated_at timestamptz not null default now()
      )`,
    )
    .execute(db);

  // Who changed what and when. Identity fields record only that they changed, never a value.
  await sql
    .raw(
      `create table pupil_changes (
        ${SCHOOL},
        id bigint generated always as identity primary key,
        pupil_id uuid not null references pupils (id) on delete cascade,
        field text not null,
        old_value text,
        new_value text,
        import_id uuid references imports (id) on delete set null,
        changed_by text not null,
        changed_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index pupil_changes_pupil on pupil_changes (pupil_id, changed_at)`.execute(db);

  await sql
    .raw(
      `create table grade_sets (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        code text not null,
        name text not null,
        unique (school_id, code)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table grades (
        ${SCHOOL},
        grade_set_id uuid not null references grade_sets (id) on delete cascade,
        code text not null,
        points double precision not null,
        rank integer not null,
        primary key (grade_set_id, code)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table subjects (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        code text not null,
        name text not null,
        pillar text not null check (pillar in ('english_language', 'english_literature', 'maths', 'science',
          'combined_science', 'computer_science', 'history', 'geography', 'language', 'other')),
        qualification text not null,
        grade_set_id uuid not null references grade_sets (id),
        created_at timestamptz not null default now(),
        unique (school_id, code)
      )`,
    )
    .execute(db);
  // A school's own names for subjects, saved when it maps them (e.g. "Eng Litt" → english_literature).
  await sql
    .raw(
      `create table subject_aliases (
        ${SCHOOL},
        alias text not null,
        subject_code text not null,
        primary key (school_id, alias)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table assessment_points (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        name text not null,
        rank integer not null,
        date date,
        unique (school_id, name)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table classes (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        name text not null,
        subject_id uuid references subjects (id) on delete set null,
        year_group smallint,
        unique (school_id, name)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table class_members (
        ${SCHOOL},
        class_id uuid not null references classes (id) on delete cascade,
        pupil_id uuid not null references pupils (id) on delete cascade,
        primary key (class_id, pupil_id)
      )`,
    )
    .execute(db);
  await sql`create index class_members_pupil on class_members (pupil_id)`.execute(db);
  await sql
    .raw(
      `create table results (
        ${SCHOOL},
        pupil_id uuid not null references pupils (id) on delete cascade,
        subject_id uuid not null,
        assessment_point_id uuid not null,
        facet text not null check (facet in ('achieved', 'target', 'prediction', 'baseline')),
        grade text not null,
        points double precision not null,
        import_id uuid references imports (id) on delete set null,
        updated_at timestamptz not null default now(),
        primary key (pupil_id, subject_id, assessment_point_id, facet)
      )`,
    )
    .execute(db);
  await sql`create index results_school_point on results (school_id, assessment_point_id, facet)`.execute(db);
  // Results reference subjects and assessment points without per-row foreign keys: those checks were
  // 40% of a bulk import's write time (decision 0005). The importer resolves both in the same
  // transaction, and deleting a subject or an assessment point deletes its results, once per statement:
  await sql`
    create function haven_delete_results_of_subjects() returns trigger language plpgsql as $$
    begin
      delete from results where subject_id in (select id from gone);
      return null;
    end $$
  `.execute(db);
  await sql`
    create function haven_delete_results_of_points() returns trigger language plpgsql as $$
    begin
      delete from results where assessment_point_id in (select id from gone);
      return null;
    end $$
  `.execute(db);
  await sql`create trigger subjects_delete_results after delete on subjects
    referencing old table as gone for each statement execute function haven_delete_results_of_subjects()`.execute(
    db,
  );
  await sql`create trigger assessment_points_delete_results after delete on assessment_points
    referencing old table as gone for each statement execute function haven_delete_results_of_points()`.execute(
    db,
  );
  await sql
    .raw(
      `create table pupil_groups (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        name text not null,
        unique (school_id, name)
      )`,
    )
    .execute(db);
  await sql
    .raw(
      `create table pupil_group_members (
        ${SCHOOL},
        group_id uuid not null references pupil_groups (id) on delete cascade,
        pupil_id uuid not null references pupils (id) on delete cascade,
        primary key (group_id, pupil_id)
      )`,
    )
    .execute(db);
  // Saved column mappings for a school's own file layouts ("Legal Surname" → surname).
  await sql
    .raw(
      `create table column_mappings (
        ${SCHOOL},
        id uuid primary key default gen_random_uuid(),
        name text not null,
        template text not null check (template in ('pupils', 'results', 'marksheet')),
        columns jsonb not null,
        created_at timestamptz not null default now(),
        unique (school_id, name)
      )`,
    )
    .execute(db);

  for (const table of [
    'imports',
    'pupils',
    'prior_attainment',
    'pupil_changes',
    'grade_sets',
    'grades',
    'subjects',
    'subject_aliases',
    'assessment_points',
    'classes',
    'class_members',
    'results',
    'pupil_groups',
    'pupil_group_members',
    'column_mappings',
  ]) {
    await tenantTable(db, table);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table column_mappings, pupil_group_members, pupil_groups, results, class_members, classes,
    assessment_points, subject_aliases, subjects, grades, grade_sets, pupil_changes, prior_attainment, pupils,
    imports`.execute(db);
  await sql`drop function haven_delete_results_of_subjects(), haven_delete_results_of_points()`.execute(db);
}
