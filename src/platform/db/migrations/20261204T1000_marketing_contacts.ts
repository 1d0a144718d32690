// Frozen in time: this file must never import application code (Kysely's migration rule).
import { sql, type Kysely } from 'kysely';

const PLATFORM_ONLY = `school_id uuid not null default '00000000-0000-0000-0000-000000000000' check (school_id = '00000000-0000-0000-0000-000000000000')`;
const PURPOSE = `purpose text not null check (purpose in ('demo_booking', 'contact_reply', 'newsletter'))`;

/** Tables of the platform's own tenant (school_id is always the platform id): reached through its context. */
async function platformTenant(db: Kysely<unknown>, table: string): Promise<void> {
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
  // The operator's own marketing contacts (demo bookings, enquiries, newsletter): people, not schools, so
  // they live in the platform's tenant. Name, e-mail and message are ciphertexts under the contact's own
  // subject key; the e-mail's blind index is in blind_indexes (kind marketing_email).
  await sql
    .raw(
      `create table marketing_contacts (
        ${PLATFORM_ONLY},
        id uuid primary key,
        email bytea not null,
        name bytea not null,
        message bytea,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await platformTenant(db, 'marketing_contacts');

  // One consent per contact and purpose: the wording version shown, when, and on which form; a withdrawal
  // keeps the row (what was agreed and when it stopped) until the contact has no consent left.
  await sql
    .raw(
      `create table marketing_consents (
        ${PLATFORM_ONLY},
        contact_id uuid not null references marketing_contacts (id) on delete cascade,
        ${PURPOSE},
        wording_version text not null check (length(wording_version) between 1 and 60),
        source text not null check (length(source) between 1 and 60),
        granted_at timestamptz not null,
        withdrawn_at timestamptz,
        withdrawn_via text check (withdrawn_via in ('unsubscribe_link', 'operator')),
        primary key (contact_id, purpose),
        check ((withdrawn_at is null) = (withdrawn_via is null))
      )`,
    )
    .execute(db);
  await sql`create index marketing_consents_active on marketing_consents (purpose) where withdrawn_at is null`.execute(
    db,
  );
  await platformTenant(db, 'marketing_consents');

  // Unsubscribe links: a random token per contact and mailing purpose, stored as its SHA-256 only.
  await sql
    .raw(
      `create table marketing_unsubscribe_tokens (
        ${PLATFORM_ONLY},
        token_hash bytea primary key,
        contact_id uuid not null references marketing_contacts (id) on delete cascade,
        ${PURPOSE},
        created_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await sql`create index marketing_unsubscribe_tokens_contact on marketing_unsubscribe_tokens (contact_id)`.execute(
    db,
  );
  await platformTenant(db, 'marketing_unsubscribe_tokens');

  // Addresses never to contact again: only an HMAC of the normalised address under the platform's index
  // key (no plain hash: an address list could be hashed and compared), when, and why.
  await sql
    .raw(
      `create table marketing_suppressions (
        ${PLATFORM_ONLY},
        email_hmac bytea primary key check (length(email_hmac) = 32),
        reason text not null check (reason in ('unsubscribed', 'erased', 'operator')),
        created_at timestamptz not null default now()
      )`,
    )
    .execute(db);
  await platformTenant(db, 'marketing_suppressions');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table marketing_suppressions, marketing_unsubscribe_tokens, marketing_consents, marketing_contacts`.execute(
    db,
  );
}
