import { sql, type Expression, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Pillar } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { PriorAttainmentTable, PupilsTable } from '../pupils/pupils.tables.ts';

// What analysis reads: the cohort's pseudonymised characteristics and KS2, and one set of grades.
// Never a direct identifier.

/**
 * A query's rows as one JSON value. The embedded database hands rows to JavaScript one at a time,
 * which for a report's 20,000 grades cost more than the query itself; one json_agg row is parsed at once.
 */
async function jsonRows(
  trx: Transaction<DB>,
  query: Expression<unknown>,
): Promise<Array<Record<string, unknown>>> {
  const result = await sql<{
    rows: unknown;
  }>`select coalesce(json_agg(t), '[]'::json) as rows from (${query}) as t`.execute(trx);
  const value = result.rows[0]?.rows;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed)
    ? parsed.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    : [];
}

const text = (row: Record<string, unknown>, key: string): string => {
  const value = row[key];
  if (typeof value !== 'string') {
    throw new Error(`analysis row: ${key} is not text`);
  }
  return value;
};
const textOrNull = (row: Record<string, unknown>, key: string): string | null =>
  row[key] === null ? null : text(row, key);
const numberOrNull = (row: Record<string, unknown>, key: string): number | null => {
  const value = row[key];
  return typeof value === 'number' ? value : null;
};
const flag = (row: Record<string, unknown>, key: string): boolean | null => {
  const value = row[key];
  return typeof value === 'boolean' ? value : null;
};

/** A pupil as analysis sees them: characteristics and KS2, never an identifier. */
export type CohortPupil = Pick<
  PupilsTable,
  | 'id'
  | 'year_group'
  | 'sex'
  | 'ethnicity'
  | 'fsm'
  | 'fsm6'
  | 'disadvantaged'
  | 'sen'
  | 'eal'
  | 'gifted'
  | 'looked_after'
> &
  Pick<
    PriorAttainmentTable,
    | 'ks2_reading_score'
    | 'ks2_reading_outcome'
    | 'ks2_maths_score'
    | 'ks2_maths_outcome'
    | 'ks2_reading_ta'
    | 'ks2_maths_ta'
  >;

export async function cohort(
  trx: Transaction<DB>,
  schoolId: string,
  filter: { yearGroup?: number | undefined; pupilIds?: readonly string[] | undefined },
): Promise<CohortPupil[]> {
  let query = trx
    .selectFrom('pupils')
    .leftJoin('prior_attainment', 'prior_attainment.pupil_id', 'pupils.id')
    .select([
      'pupils.id',
      'pupils.year_group',
      'pupils.sex',
      'pupils.ethnicity',
      'pupils.fsm',
      'pupils.fsm6',
      'pupils.disadvantaged',
      'pupils.sen',
      'pupils.eal',
      'pupils.gifted',
      'pupils.looked_after',
      'prior_attainment.ks2_reading_score',
      'prior_attainment.ks2_reading_outcome',
      'prior_attainment.ks2_maths_score',
      'prior_attainment.ks2_maths_outcome',
      'prior_attainment.ks2_reading_ta',
      'prior_attainment.ks2_maths_ta',
    ])
    .where('pupils.school_id', '=', schoolId);
  if (filter.yearGroup !== undefined) {
    query = query.where('pupils.year_group', '=', filter.yearGroup);
  }
  // The whole school's rows, filtered here: cheaper than a query with thousands of ids in it.
  const wanted = filter.pupilIds === undefined ? undefined : new Set(filter.pupilIds);
  return (await jsonRows(trx, query.orderBy('pupils.id')))
    .filter((row) => wanted === undefined || wanted.has(text(row, 'id')))
    .map((row) => {
      const sex = textOrNull(row, 'sex');
      const sen = textOrNull(row, 'sen');
      return {
        id: text(row, 'id'),
        year_group: numberOrNull(row, 'year_group'),
        sex: sex === 'M' || sex === 'F' ? sex : null,
        ethnicity: textOrNull(row, 'ethnicity'),
        fsm: flag(row, 'fsm'),
        fsm6: flag(row, 'fsm6'),
        disadvantaged: flag(row, 'disadvantaged'),
        sen: sen === 'N' || sen === 'K' || sen === 'E' ? sen : null,
        eal: flag(row, 'eal'),
        gifted: flag(row, 'gifted'),
        looked_after: flag(row, 'looked_after'),
        ks2_reading_score: numberOrNull(row, 'ks2_reading_score'),
        ks2_reading_outcome: textOrNull(row, 'ks2_reading_outcome'),
        ks2_maths_score: numberOrNull(row, 'ks2_maths_score'),
        ks2_maths_outcome: textOrNull(row, 'ks2_maths_outcome'),
        ks2_reading_ta: textOrNull(row, 'ks2_reading_ta'),
        ks2_maths_ta: textOrNull(row, 'ks2_maths_ta'),
      };
    });
}

export interface GradeRow {
  pupil_id: string;
  subject: string;
  subject_name: string;
  pillar: Pillar;
  grade: string;
  points: number;
}

export async function gradesAt(
  trx: Transaction<DB>,
  schoolId: string,
  assessmentPointId: string,
  facet: Facet,
): Promise<GradeRow[]> {
  const subjects = new Map(
    (
      await trx
        .selectFrom('subjects')
        .select(['id', 'code', 'name', 'pillar'])
        .where('school_id', '=', schoolId)
        .execute()
    ).map((subject) => [subject.id, subject]),
  );
  // One compact JSON array of [pupil, subject, grade, points] tuples (see jsonRows for why).
  const result = await sql<{ rows: unknown }>`
    select coalesce(json_agg(json_build_array(pupil_id, subject_id, grade, points)), '[]'::json) as rows
    from results
    where school_id = ${schoolId} and assessment_point_id = ${assessmentPointId} and facet = ${facet}`.execute(
    trx,
  );
  const value = result.rows[0]?.rows;
  const tuples: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(tuples)) {
    return [];
  }
  return tuples.map((tuple: unknown) => {
    const [pupilId, subjectId, grade, points] = Array.isArray(tuple) ? (tuple as unknown[]) : [];
    const subject = typeof subjectId === 'string' ? subjects.get(subjectId) : undefined;
    if (
      typeof pupilId !== 'string' ||
      subject === undefined ||
      typeof grade !== 'string' ||
      typeof points !== 'number'
    ) {
      throw new Error('analysis row: a result does not have the expected shape');
    }
    return {
      pupil_id: pupilId,
      subject: subject.code,
      subject_name: subject.name,
      pillar: subject.pillar,
      grade,
      points,
    };
  });
}

export interface PointRow {
  id: string;
  name: string;
  rank: number;
  facets: Facet[];
}

const FACETS: readonly Facet[] = ['achieved', 'target', 'prediction', 'baseline'];

/**
 * The school's assessment points, in order, with the facets each holds results for: one index probe
 * per point and facet held, never a scan of the results. The probes walk the (school, point, facet)
 * index from one distinct pair to the next (a "loose index scan"); an EXISTS per pair let PostgreSQL
 * choose a scan of every result instead, which took most of a second for 100,000 pupils.
 */
export async function pointsWithFacets(trx: Transaction<DB>, schoolId: string): Promise<PointRow[]> {
  const points = await trx
    .selectFrom('assessment_points')
    .select(['id', 'name', 'rank'])
    .where('school_id', '=', schoolId)
    .orderBy('rank')
    .execute();
  if (points.length === 0) {
    return [];
  }
  const held = await sql<{ assessment_point_id: string; facet: Facet }>`
    with recursive held (assessment_point_id, facet) as (
      (select assessment_point_id, facet from results
       where school_id = ${schoolId}
       order by school_id, assessment_point_id, facet limit 1)
      union all
      select next.assessment_point_id, next.facet from held, lateral (
        select r.assessment_point_id, r.facet from results r
        where r.school_id = ${schoolId}
          and (r.assessment_point_id, r.facet) > (held.assessment_point_id, held.facet)
        order by r.school_id, r.assessment_point_id, r.facet limit 1) as next
    )
    select assessment_point_id, facet from held`.execute(trx);
  return points.map((point) => ({
    ...point,
    facets: FACETS.filter((facet) =>
      held.rows.some((row) => row.assessment_point_id === point.id && row.facet === facet),
    ),
  }));
}

export interface ClassedGradeRow extends GradeRow {
  class_name: string | null;
}

/** Grades with the teaching group each pupil is in for that subject (classes linked to the subject). */
export async function gradesWithClasses(
  trx: Transaction<DB>,
  schoolId: string,
  assessmentPointId: string,
  facet: Facet,
): Promise<ClassedGradeRow[]> {
  return trx
    .selectFrom('results')
    .innerJoin('subjects', 'subjects.id', 'results.subject_id')
    .leftJoin('classes', (join) =>
      join
        .onRef('classes.subject_id', '=', 'results.subject_id')
        .on('classes.school_id', '=', schoolId)
        .on((eb) =>
          eb.exists(
            eb
              .selectFrom('class_members')
              .select('class_members.pupil_id')
              .whereRef('class_members.class_id', '=', 'classes.id')
              .whereRef('class_members.pupil_id', '=', 'results.pupil_id'),
          ),
        ),
    )
    .select([
      'results.pupil_id',
      'subjects.code as subject',
      'subjects.name as subject_name',
      'subjects.pillar',
      'results.grade',
      'results.points',
      'classes.name as class_name',
    ])
    .where('results.school_id', '=', schoolId)
    .where('results.assessment_point_id', '=', assessmentPointId)
    .where('results.facet', '=', facet)
    .execute();
}
