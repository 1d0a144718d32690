import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import type { PriorAttainmentTable, PupilChangesTable, PupilsTable } from './pupils.tables.ts';

// Pupils, their prior attainment, change history and groups: every method takes the school's transaction.
export type PupilRow = Selectable<PupilsTable>;
export type PriorAttainmentRow = Selectable<PriorAttainmentTable>;

export async function pupilsByIds(
  trx: Transaction<DB>,
  schoolId: string,
  ids: string[],
): Promise<PupilRow[]> {
  if (ids.length === 0) {
    return [];
  }
  return trx
    .selectFrom('pupils')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', 'in', ids)
    .execute();
}

export async function insertPupils(trx: Transaction<DB>, rows: Insertable<PupilsTable>[]): Promise<void> {
  if (rows.length > 0) {
    await trx.insertInto('pupils').values(rows).execute();
  }
}

export async function updatePupil(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
  changes: Updateable<PupilsTable>,
): Promise<void> {
  await trx
    .updateTable('pupils')
    .set({ ...changes, updated_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export async function priorAttainmentByPupils(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: string[],
): Promise<PriorAttainmentRow[]> {
  if (pupilIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('prior_attainment')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('pupil_id', 'in', pupilIds)
    .execute();
}

export async function upsertPriorAttainment(
  trx: Transaction<DB>,
  rows: Insertable<PriorAttainmentTable>[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  await trx
    .insertInto('prior_attainment')
    .values(rows)
    .onConflict((conflict) =>
      conflict.column('pupil_id').doUpdateSet((eb) => ({
        ks2_reading_score: eb.ref('excluded.ks2_reading_score'),
        ks2_reading_outcome: eb.ref('excluded.ks2_reading_outcome'),
        ks2_maths_score: eb.ref('excluded.ks2_maths_score'),
        ks2_maths_outcome: eb.ref('excluded.ks2_maths_outcome'),
        ks2_reading_ta: eb.ref('excluded.ks2_reading_ta'),
        ks2_maths_ta: eb.ref('excluded.ks2_maths_ta'),
        import_id: eb.ref('excluded.import_id'),
        updated_at: new Date(),
      })),
    )
    .execute();
}

export async function insertChanges(
  trx: Transaction<DB>,
  rows: Insertable<PupilChangesTable>[],
): Promise<void> {
  if (rows.length > 0) {
    await trx.insertInto('pupil_changes').values(rows).execute();
  }
}

/** The ids of the school's groups with these names, creating those that are missing. */
export async function ensureGroups(
  trx: Transaction<DB>,
  schoolId: string,
  names: string[],
): Promise<Map<string, string>> {
  if (names.length === 0) {
    return new Map();
  }
  await trx
    .insertInto('pupil_groups')
    .values(names.map((name) => ({ school_id: schoolId, name })))
    .onConflict((conflict) => conflict.columns(['school_id', 'name']).doNothing())
    .execute();
  const rows = await trx
    .selectFrom('pupil_groups')
    .select(['id', 'name'])
    .where('school_id', '=', schoolId)
    .where('name', 'in', names)
    .execute();
  return new Map(rows.map((row) => [row.name, row.id]));
}

export async function addGroupMembers(
  trx: Transaction<DB>,
  rows: Array<{ school_id: string; group_id: string; pupil_id: string }>,
): Promise<number> {
  if (rows.length === 0) {
    return 0;
  }
  const result = await trx
    .insertInto('pupil_group_members')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['group_id', 'pupil_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

export async function countPupils(trx: Transaction<DB>, schoolId: string): Promise<number> {
  const row = await trx
    .selectFrom('pupils')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('school_id', '=', schoolId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** What lists and searches need of a pupil: names and UPN still sealed, and the year group. */
export type PupilNameRow = Pick<
  PupilRow,
  'id' | 'upn' | 'forename' | 'surname' | 'preferred_forename' | 'preferred_surname' | 'year_group'
>;

/** The school's pupils for a list or search: optionally only these ids, optionally one year group. */
export async function pupilNameRows(
  trx: Transaction<DB>,
  schoolId: string,
  filter: { ids?: readonly string[] | undefined; yearGroup?: number | undefined },
): Promise<PupilNameRow[]> {
  if (filter.ids?.length === 0) {
    return [];
  }
  let query = trx
    .selectFrom('pupils')
    .select(['id', 'upn', 'forename', 'surname', 'preferred_forename', 'preferred_surname', 'year_group'])
    .where('school_id', '=', schoolId);
  if (filter.ids !== undefined) {
    query = query.where('id', 'in', filter.ids);
  }
  if (filter.yearGroup !== undefined) {
    query = query.where('year_group', '=', filter.yearGroup);
  }
  return query.execute();
}

/**
 * Every pupil of the school with its row version (`xmin`, new with each insert or update), by id: the
 * fingerprint that tells whether a remembered name order still holds.
 */
export async function pupilVersions(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ id: string; year_group: number | null; version: string }>> {
  return trx
    .selectFrom('pupils')
    .select(['id', 'year_group', sql<string>`xmin::text`.as('version')])
    .where('school_id', '=', schoolId)
    .orderBy('id')
    .execute();
}

export async function pupilById(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
): Promise<PupilRow | undefined> {
  return trx
    .selectFrom('pupils')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The custom groups a pupil is in, by name. */
export async function groupsOfPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Array<{ id: string; name: string }>> {
  return trx
    .selectFrom('pupil_group_members')
    .innerJoin('pupil_groups', 'pupil_groups.id', 'pupil_group_members.group_id')
    .select(['pupil_groups.id', 'pupil_groups.name'])
    .where('pupil_group_members.school_id', '=', schoolId)
    .where('pupil_group_members.pupil_id', '=', pupilId)
    .orderBy('pupil_groups.name')
    .execute();
}

/** One page of a school's pupil ids in a stable order (by id), and how many there are in all. */
export async function pupilIdPage(
  trx: Transaction<DB>,
  schoolId: string,
  offset: number,
  limit: number,
): Promise<{ ids: string[]; total: number }> {
  const rows = await trx
    .selectFrom('pupils')
    .select('id')
    .where('school_id', '=', schoolId)
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await trx
    .selectFrom('pupils')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('school_id', '=', schoolId)
    .executeTakeFirstOrThrow();
  return { ids: rows.map((row) => row.id), total: Number(count.count) };
}

/** A pupil's change history, oldest first (identity fields record only that they changed). */
export async function changesOfPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Array<Selectable<PupilChangesTable>>> {
  return trx
    .selectFrom('pupil_changes')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('pupil_id', '=', pupilId)
    .orderBy('id')
    .execute();
}

/** Gives these pupils a leave date where they have none yet; returns the ids that changed. */
export async function setLeaveDate(
  trx: Transaction<DB>,
  schoolId: string,
  ids: readonly string[],
  leaveDate: string,
  importId: string,
): Promise<string[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await trx
    .updateTable('pupils')
    .set({ leave_date: leaveDate, last_import_id: importId, updated_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('id', 'in', ids)
    .where('leave_date', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
