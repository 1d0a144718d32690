import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { PupilsTable } from '../pupils/pupils.tables.ts';

export type PupilRow = Selectable<PupilsTable>;

export interface PupilFilter {
  /** Only pupils changed after this moment (If-Modified-Since). */
  since?: Date | undefined;
  /** Only pupils who have left (a leave date, or an enrolment status other than current). */
  left?: boolean;
  ids?: readonly string[] | undefined;
}

/**
 * Pupils whose processing is restricted, or who objected to or withdrew consent for sharing with apps,
 * are invisible to every app (UK GDPR Arts. 18, 21, 7(3)); the deletions feed tells apps to drop them.
 */
function sharable(schoolId: string, pupilColumn: string) {
  return sql<boolean>`not exists (
    select 1 from processing_limits l
    where l.school_id = ${schoolId} and l.pupil_id = ${sql.ref(pupilColumn)} and l.purpose in ('all', 'apps')
  )`;
}

function pupilQuery(trx: Transaction<DB>, schoolId: string, filter: PupilFilter) {
  let query = trx
    .selectFrom('pupils')
    .where('school_id', '=', schoolId)
    .where(sharable(schoolId, 'pupils.id'));
  if (filter.since !== undefined) {
    query = query.where('updated_at', '>', filter.since);
  }
  if (filter.left === true) {
    query = query.where((eb) =>
      eb.or([eb('leave_date', 'is not', null), eb('enrolment_status', 'not in', ['C'])]),
    );
  }
  if (filter.ids !== undefined) {
    query = filter.ids.length === 0 ? query.where(sql<boolean>`false`) : query.where('id', 'in', filter.ids);
  }
  return query;
}

/** A page of pupils in a stable order (by id), the number in all, and the newest change among them. */
export async function pupilPage(
  trx: Transaction<DB>,
  schoolId: string,
  filter: PupilFilter,
  offset: number,
  limit: number,
): Promise<{ rows: PupilRow[]; total: number; lastModified: Date | undefined }> {
  const rows = await pupilQuery(trx, schoolId, filter)
    .selectAll()
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  const summary = await pupilQuery(trx, schoolId, filter)
    .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.max('updated_at').as('newest')])
    .executeTakeFirstOrThrow();
  return { rows, total: Number(summary.total), lastModified: summary.newest ?? undefined };
}

export async function pupilIds(trx: Transaction<DB>, schoolId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('pupils')
    .select('id')
    .where('school_id', '=', schoolId)
    .where(sharable(schoolId, 'pupils.id'))
    .execute();
  return rows.map((row) => row.id);
}

/** Each pupil's registration group: the class without a subject they belong to. */
export async function registrationGroups(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIdList: readonly string[],
): Promise<Map<string, string>> {
  if (pupilIdList.length === 0) {
    return new Map();
  }
  const rows = await trx
    .selectFrom('class_members')
    .innerJoin('classes', 'classes.id', 'class_members.class_id')
    .select(['class_members.pupil_id', 'classes.name'])
    .where('class_members.school_id', '=', schoolId)
    .where('class_members.pupil_id', 'in', pupilIdList)
    .where('classes.subject_id', 'is', null)
    .orderBy('classes.name')
    .execute();
  const groups = new Map<string, string>();
  for (const row of rows) {
    if (!groups.has(row.pupil_id)) {
      groups.set(row.pupil_id, row.name);
    }
  }
  return groups;
}

export async function yearGroups(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ year_group: number | null; pupils: string }>> {
  return trx
    .selectFrom('pupils')
    .select((eb) => ['year_group', eb.fn.countAll<string>().as('pupils')])
    .where('school_id', '=', schoolId)
    .groupBy('year_group')
    .orderBy('year_group')
    .execute();
}

export async function classPage(trx: Transaction<DB>, schoolId: string, offset: number, limit: number) {
  const rows = await trx
    .selectFrom('classes')
    .leftJoin('subjects', 'subjects.id', 'classes.subject_id')
    .select(['classes.id', 'classes.name', 'classes.year_group', 'subjects.code as subject'])
    .where('classes.school_id', '=', schoolId)
    .orderBy('classes.id')
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await trx
    .selectFrom('classes')
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .where('school_id', '=', schoolId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

export async function classMembers(
  trx: Transaction<DB>,
  schoolId: string,
  classId: string,
): Promise<string[] | undefined> {
  const found = await trx
    .selectFrom('classes')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('id', '=', classId)
    .executeTakeFirst();
  if (found === undefined) {
    return undefined;
  }
  const rows = await trx
    .selectFrom('class_members')
    .select('pupil_id')
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where(sharable(schoolId, 'class_members.pupil_id'))
    .orderBy('pupil_id')
    .execute();
  return rows.map((row) => row.pupil_id);
}

export async function subjects(trx: Transaction<DB>, schoolId: string) {
  return trx
    .selectFrom('subjects')
    .innerJoin('grade_sets', 'grade_sets.id', 'subjects.grade_set_id')
    .select([
      'subjects.code',
      'subjects.name',
      'subjects.qualification',
      'subjects.pillar',
      'grade_sets.code as grade_set',
    ])
    .where('subjects.school_id', '=', schoolId)
    .orderBy('subjects.code')
    .execute();
}

export async function assessmentPoints(trx: Transaction<DB>, schoolId: string) {
  return trx
    .selectFrom('assessment_points')
    .select(['id', 'name', 'rank', 'date'])
    .where('school_id', '=', schoolId)
    .orderBy('rank')
    .execute();
}

export async function gradeSets(trx: Transaction<DB>, schoolId: string) {
  const sets = await trx
    .selectFrom('grade_sets')
    .select(['id', 'code', 'name'])
    .where('school_id', '=', schoolId)
    .orderBy('code')
    .execute();
  const grades = await trx
    .selectFrom('grades')
    .select(['grade_set_id', 'code', 'points', 'rank'])
    .where('school_id', '=', schoolId)
    .orderBy('rank')
    .execute();
  return sets.map((set) => ({
    code: set.code,
    name: set.name,
    grades: grades
      .filter((grade) => grade.grade_set_id === set.id)
      .map(({ code, points, rank }) => ({ code, points, rank })),
  }));
}

export async function resultPage(
  trx: Transaction<DB>,
  schoolId: string,
  filter: { facets: readonly Facet[]; assessmentPointId?: string | undefined; since?: Date | undefined },
  offset: number,
  limit: number,
) {
  let query = trx
    .selectFrom('results')
    .innerJoin('subjects', 'subjects.id', 'results.subject_id')
    .where('results.school_id', '=', schoolId)
    .where('results.facet', 'in', filter.facets)
    .where(sharable(schoolId, 'results.pupil_id'));
  if (filter.assessmentPointId !== undefined) {
    query = query.where('results.assessment_point_id', '=', filter.assessmentPointId);
  }
  if (filter.since !== undefined) {
    query = query.where('results.updated_at', '>', filter.since);
  }
  const rows = await query
    .select([
      'results.pupil_id',
      'subjects.code as subject',
      'results.assessment_point_id',
      'results.facet',
      'results.grade',
      'results.points',
      'results.updated_at',
    ])
    .orderBy('results.pupil_id')
    .orderBy('results.subject_id')
    .orderBy('results.assessment_point_id')
    .orderBy('results.facet')
    .offset(offset)
    .limit(limit)
    .execute();
  const summary = await query
    .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.max('results.updated_at').as('newest')])
    .executeTakeFirstOrThrow();
  return { rows, total: Number(summary.total), lastModified: summary.newest ?? undefined };
}

export async function priorAttainmentPage(
  trx: Transaction<DB>,
  schoolId: string,
  offset: number,
  limit: number,
) {
  const rows = await trx
    .selectFrom('prior_attainment')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where(sharable(schoolId, 'prior_attainment.pupil_id'))
    .orderBy('pupil_id')
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await trx
    .selectFrom('prior_attainment')
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .where('school_id', '=', schoolId)
    .where(sharable(schoolId, 'prior_attainment.pupil_id'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

/** The deletions feed: pupils erased or withdrawn from apps, oldest first, after the cursor. */
export async function removalsPage(
  trx: Transaction<DB>,
  schoolId: string,
  filter: { since?: Date | undefined },
  offset: number,
  limit: number,
) {
  let query = trx.selectFrom('subject_removals').where('school_id', '=', schoolId);
  if (filter.since !== undefined) {
    query = query.where('removed_at', '>', filter.since);
  }
  const rows = await query
    .select(['pupil_id', 'reason', 'removed_at'])
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  const summary = await query
    .select((eb) => [eb.fn.countAll<string>().as('total'), eb.fn.max('removed_at').as('newest')])
    .executeTakeFirstOrThrow();
  return { rows, total: Number(summary.total), lastModified: summary.newest ?? undefined };
}
