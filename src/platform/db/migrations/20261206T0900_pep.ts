// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

// Repeated in each migration on purpose (decision 0004): a migration must not change when later code does.
async function tenantRls(db: Kysely<unknown>, table: string): Promise<void> {
  await sql.raw(`alter table ${table} enable row level security`).execute(db);
  await sql.raw(`alter table ${table} force row level security`).execute(db);
  await sql
    .raw(
      `create policy ${table}_tenant on ${table} for all to haven_app
         using (school_id = (select haven_current_school())) with check (school_id = (select haven_current_school()))`,
    )
    .execute(db);
  await sql
    .raw(
      `create policy ${table}_platform on ${table} for all to haven_platform using (true) with check (true)`,
    )
    .execute(db);
  await sql.raw(`grant select, insert, update, delete on ${table} to haven_app, haven_platform`).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Personal Education Plans live in the virtual school's tenant (school_id = the local authority's
  // organisation id): the authority is the controller of a looked-after child's PEP, and the child's
  // subject key is the authority's (decision 0012). Identity and every free text are ciphertext.
  await sql`
    create table pep_children (
      school_id uuid not null references organisations (id) on delete cascade,
      id uuid primary key,
      forename bytea not null,
      surname bytea not null,
      dob bytea not null,
      upn bytea,
      care bytea not null,
      year_group integer check (year_group between -1 and 14),
      legal_status text not null,
      entered_care_on date not null,
      left_care_on date,
      social_worker_id uuid references users (id) on delete set null,
      -- The child's school: one on Haven (linked with its agreement) or one named by the authority.
      linked_school_id uuid references organisations (id) on delete set null,
      school_name text check (length(school_name) between 1 and 200),
      link_status text not null check (link_status in ('none', 'requested', 'agreed', 'refused', 'ended')),
      school_pupil_id uuid,
      link_decided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (linked_school_id is not null or link_status in ('none', 'ended'))
    )
  `.execute(db);
  await sql`create index pep_children_school on pep_children (linked_school_id)`.execute(db);
  await tenantRls(db, 'pep_children');
  // A school sees which children are linked (or asked to be linked) to it — ids and link state only; the
  // identity stays ciphertext under the authority's keys, which a school context cannot reach.
  await sql
    .raw(
      `create policy pep_children_linked_school on pep_children for select to haven_app
         using (linked_school_id = (select haven_current_school()) and link_status in ('requested', 'agreed'))`,
    )
    .execute(db);

  await sql`
    create table pep_documents (
      school_id uuid not null references organisations (id) on delete cascade,
      id uuid primary key,
      child_id uuid not null references pep_children (id) on delete cascade,
      term text not null check (term ~ '^[0-9]{4}-(autumn|spring|summer)$'),
      kind text not null check (kind in ('initial', 'review')),
      version integer not null check (version >= 1),
      state text not null check (state in ('draft', 'submitted', 'returned', 'approved', 'signed_off')),
      due_on date not null,
      basic_info bytea,
      pupil_voice bytea,
      send bytea,
      meeting bytea,
      targets bytea,
      qa bytea,
      -- Not personal: what the virtual school's dashboard counts without decrypting anything.
      qa_rating text check (qa_rating in ('red', 'amber', 'green')),
      funding_requested_pence integer not null default 0 check (funding_requested_pence >= 0),
      funding_approved_pence integer not null default 0 check (funding_approved_pence >= 0),
      submitted_at timestamptz,
      signed_off_at timestamptz,
      signed_off_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (child_id, term, version)
    )
  `.execute(db);
  await sql`create index pep_documents_school_term on pep_documents (school_id, term)`.execute(db);
  await tenantRls(db, 'pep_documents');

  // What happened to a PEP and who did it; a return's comment is ciphertext (it is about the child).
  await sql`
    create table pep_events (
      school_id uuid not null references organisations (id) on delete cascade,
      id uuid primary key default gen_random_uuid(),
      document_id uuid not null references pep_documents (id) on delete cascade,
      action text not null,
      actor_id uuid not null,
      actor_role text not null,
      comment bytea,
      at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index pep_events_document on pep_events (document_id, at)`.execute(db);
  await tenantRls(db, 'pep_events');

  // Which reminders were sent, so the daily job never sends the same one twice.
  await sql`
    create table pep_reminders (
      school_id uuid not null references organisations (id) on delete cascade,
      child_id uuid not null references pep_children (id) on delete cascade,
      term text not null,
      stage text not null check (stage in ('due_soon', 'overdue')),
      sent_at timestamptz not null default now(),
      primary key (child_id, term, stage)
    )
  `.execute(db);
  await tenantRls(db, 'pep_reminders');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pep_reminders, pep_events, pep_documents, pep_children`.execute(db);
}
