import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type {
  NewSchoolRow,
  SchoolRow,
  SchoolSettingsRow,
  SchoolSettingsUpdate,
} from './organisations.tables.ts';

// The only file of this module that touches Kysely. Tenant-scoped methods take the school id even though
// row-level security already limits the transaction: the filter documents intent and uses the index.

/** Inserts a school and its default settings (platform context: the school does not exist yet). */
export async function insertSchool(trx: Transaction<DB>, school: NewSchoolRow): Promise<SchoolRow> {
  const row = await trx.insertInto('schools').values(school).returningAll().executeTakeFirstOrThrow();
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
