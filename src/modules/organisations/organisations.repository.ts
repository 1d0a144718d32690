import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type {
  NewSchoolRow,
  OrganisationKind,
  SchoolRow,
  SchoolSettingsRow,
  SchoolSettingsUpdate,
} from './organisations.tables.ts';

// The only file of this module that touches Kysely. Tenant-scoped methods take the school id even though
// row-level security already limits the transaction: the filter documents intent and uses the index.

/** Inserts a school and its default settings (platform context: the school does not exist yet). */
export async function insertSchool(
  trx: Transaction<DB>,
  school: Omit<NewSchoolRow, 'id'>,
  trustId: string | null,
): Promise<SchoolRow> {
  const organisation = await trx
    .insertInto('organisations')
    .values({ kind: 'school', name: school.name, parent_id: trustId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('schools')
    .values({ ...school, id: organisation.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx.insertInto('school_settings').values({ school_id: row.id }).execute();
  return row;
}

export async function findSchool(trx: Transaction<DB>, schoolId: string): Promise<SchoolRow | undefined> {
  return trx.selectFrom('schools').selectAll().where('id', '=', schoolId).executeTakeFirst();
}

/** Every school the transaction can see: all of them in platform context, one in a school context. */
export async function listSchools(trx: Transaction<DB>): Promise<SchoolRow[]> {
  return trx.selectFrom('schools').selectAll().orderBy('name').orderBy('id').execute();
}

/** Organisations of one kind, by name (names and ids are not personal data; any context reads them). */
export async function organisationsOfKind(
  trx: Transaction<DB>,
  kind: OrganisationKind,
): Promise<Array<{ id: string; name: string }>> {
  return trx
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', kind)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findSettings(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<SchoolSettingsRow | undefined> {
  return trx.selectFrom('school_settings').selectAll().where('school_id', '=', schoolId).executeTakeFirst();
}

export async function updateSettings(
  trx: Transaction<DB>,
  schoolId: string,
  changes: Omit<SchoolSettingsUpdate, 'school_id' | 'updated_at'>,
): Promise<SchoolSettingsRow | undefined> {
  return trx
    .updateTable('school_settings')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', schoolId)
    .returningAll()
    .executeTakeFirst();
}

export async function findOrganisation(
  trx: Transaction<DB>,
  orgId: string,
): Promise<{ id: string; kind: OrganisationKind; name: string } | undefined> {
  return trx
    .selectFrom('organisations')
    .select(['id', 'kind', 'name'])
    .where('id', '=', orgId)
    .executeTakeFirst();
}

export async function organisationsByIds(
  trx: Transaction<DB>,
  ids: readonly string[],
): Promise<Array<{ id: string; kind: OrganisationKind; name: string }>> {
  if (ids.length === 0) {
    return [];
  }
  return trx.selectFrom('organisations').select(['id', 'kind', 'name']).where('id', 'in', ids).execute();
}

export async function insertOrganisation(
  trx: Transaction<DB>,
  organisation: { kind: Exclude<OrganisationKind, 'school' | 'platform'>; name: string },
): Promise<{ id: string }> {
  return trx.insertInto('organisations').values(organisation).returning('id').executeTakeFirstOrThrow();
}

/** Schools that belong to each trust (for trust leaders' reach); organisations carry no personal data. */
export async function schoolIdsOfTrusts(
  trx: Transaction<DB>,
  trustIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (trustIds.length === 0) {
    return new Map();
  }
  const rows = await trx
    .selectFrom('organisations')
    .select(['id', 'parent_id'])
    .where('kind', '=', 'school')
    .where('parent_id', 'in', trustIds)
    .execute();
  const byTrust = new Map<string, string[]>();
  for (const row of rows) {
    if (row.parent_id !== null) {
      byTrust.set(row.parent_id, [...(byTrust.get(row.parent_id) ?? []), row.id]);
    }
  }
  return byTrust;
}
