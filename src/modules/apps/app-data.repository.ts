import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { PupilsTable } from '../pupils/pupils.tables.ts';

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

/** The encrypted identity columns an app may be given (each only with its scope; names always). */
export type IdentityColumn =
  'forename' | 'surname' | 'preferred_forename' | 'preferred_surname' | 'upn' | 'dob' | 'contacts';

/** The plain (pseudonymised) columns an app may be given, each only with its scope (see the service). */
const PLAIN_COLUMNS = [
  'id',
  'year_group',
  'sex',
  'ethnicity',
  'fsm',
  'fsm6',
  'disadvantaged',
  'pupil_premium',
  'sen',
  'eal',
  'looked_after',
  'previously_looked_after',
  'enrolment_status',
  'start_date',
  'leave_date',
] as const;

/** One pupil as the app API reads them: the identity columns asked for (ciphertext), and the rest. */
export type PupilRow = Pick<PupilsTable, (typeof PLAIN_COLUMNS)[number]> &
  Partial<Record<IdentityColumn, Buffer | null>> & {
    updated_at: Date;
    /** The pupil's registration group: the first (by name) class without a subject they belong to. */
    registration_group: string | null;
  };

/**
 * A page of pupils in a stable order (by id), the number in all and the newest change among them, as one
 * statement returning the page as one JSON value (the embedded database hands rows over one at a time,
 * which cost more than the query). Registration groups are joined to the page's pupils at once: a lookup
 * per pupil cost three times as much.
 */
export async function pupilPage(
  trx: Transaction<DB>,
  schoolId: string,
  filter: PupilFilter,
  identity: readonly IdentityColumn[],
  page: { offset: number; limit: number },
): Promise<{ rows: PupilRow[]; total: number; lastModified: Date | undefined }> {
  const rows = pupilQuery(trx, schoolId, filter)
    .select([...PLAIN_COLUMNS, ...identity, 'updated_at'])
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit);
  const summary = pupilQuery(trx, schoolId, filter).select((eb) => [
    eb.fn.countAll<string>().as('total'),
    eb.fn.max('updated_at').as('newest'),
  ]);
  const result = await sql<{ total: string; newest: Date | null; rows: string | null }>`
    with page as materialized (${rows}),
    groups as (
      select m.pupil_id, min(c.name) as name
      from class_members m join classes c on c.id = m.class_id
      where m.school_id = ${schoolId} and c.subject_id is null and m.pupil_id = any(array(select id from page))
      group by m.pupil_id
    )
    select s.total, s.newest, (
      select json_agg(t order by t.id)
      from (select page.*, groups.name as registration_group from page left join groups on groups.pupil_id = page.id) t
    )::text as rows
    from (${summary}) as s`.execute(trx);
  const found = result.rows[0];
  const parsed: unknown = JSON.parse(found?.rows ?? '[]');
  return {
    rows: Array.isArray(parsed) ? parsed.map((row) => pupilRowOf(row, identity)) : [],
    total: Number(found?.total ?? 0),
    lastModified: found?.newest ?? undefined,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOf = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const booleanOf = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

/** A pupil row from its JSON form (bytea as PostgreSQL's hex text, timestamps as ISO text), checked. */
function pupilRowOf(json: unknown, identity: readonly IdentityColumn[]): PupilRow {
  if (!isRecord(json) || typeof json.id !== 'string' || typeof json.updated_at !== 'string') {
    throw new Error('app API pupil row: no id or no time of change');
  }
  const { sex, sen } = json;
  const row: PupilRow = {
    id: json.id,
    year_group: numberOf(json.year_group),
    sex: sex === 'M' || sex === 'F' ? sex : null,
    ethnicity: textOf(json.ethnicity),
    fsm: booleanOf(json.fsm),
    fsm6: booleanOf(json.fsm6),
    disadvantaged: booleanOf(json.disadvantaged),
    pupil_premium: booleanOf(json.pupil_premium),
    sen: sen === 'N' || sen === 'K' || sen === 'E' ? sen : null,
    eal: booleanOf(json.eal),
    looked_after: booleanOf(json.looked_after),
    previously_looked_after: booleanOf(json.previously_looked_after),
    enrolment_status: textOf(json.enrolment_status),
    start_date: textOf(json.start_date),
    leave_date: textOf(json.leave_date),
    updated_at: new Date(json.updated_at),
    registration_group: textOf(json.registration_group),
  };
  for (const column of identity) {
    row[column] = byteaOf(json[column], column);
  }
  return row;
}

function byteaOf(value: unknown, column: string): Buffer | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'string' || !value.startsWith('\\x')) {
    throw new Error(`app API pupil row: ${column} is not bytea`);
  }
  return Buffer.from(value.slice(2), 'hex');
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

export async function yearGroups(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ year_group: number | null; pupils: string }>> {
  return trx
    .selectFrom('pupils')
    .select((eb) => ['year_group', eb.fn.countAll<string>().as('pupils')])
    .where('school_id', '=', schoolId)
    .where(sharable(schoolId, 'pupils.id'))
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

const REMOVALS_OVERLAP_MS = 5 * 60_000;

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
    // A removal is stamped when its transaction began, and a long one may commit after a later one:
    // answering five minutes back means an app polling with the last Last-Modified misses none
    // (acting on a removal twice is harmless).
    query = query.where('removed_at', '>', new Date(filter.since.getTime() - REMOVALS_OVERLAP_MS));
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
