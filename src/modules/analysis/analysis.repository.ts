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
 * per point and facet, never a scan of the results.
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
    select p.id as assessment_point_id, f.facet
    from assessment_points p cross join unnest(${[...FACETS]}::text[]) as f (facet)
    where p.school_id = ${schoolId}
      and exists (
        select 1 from results r
        where r.school_id = ${schoolId} and r.assessment_point_id = p.id and r.facet = f.facet
      )`.execute(trx);
  return points.map((point) => ({
    ...point,
    facets: FACETS.filter((facet) =>
      held.rows.some((row) => row.assessment_point_id === point.id && row.facet === facet),
    ),
  }));
}

/** Class and custom group names of these pupils (for subgroup reports). */
export async function memberships(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<{ classes: Map<string, string[]>; groups: Map<string, string[]> }> {
  const wanted = new Set(pupilIds);
  const collect = (rows: ReadonlyArray<Record<string, unknown>>) => {
    const byPupil = new Map<string, string[]>();
    for (const row of rows) {
      const pupilId = text(row, 'pupil_id');
      if (wanted.has(pupilId)) {
        byPupil.set(pupilId, [...(byPupil.get(pupilId) ?? []), text(row, 'name')]);
      }
    }
    return byPupil;
  };
  if (wanted.size === 0) {
    return { classes: new Map(), groups: new Map() };
  }
  const classes = await jsonRows(
    trx,
    trx
      .selectFrom('class_members')
      .innerJoin('classes', 'classes.id', 'class_members.class_id')
      .select(['class_members.pupil_id', 'classes.name'])
      .where('class_members.school_id', '=', schoolId),
  );
  const groups = await jsonRows(
    trx,
    trx
      .selectFrom('pupil_group_members')
      .innerJoin('pupil_groups', 'pupil_groups.id', 'pupil_group_members.group_id')
      .select(['pupil_group_members.pupil_id', 'pupil_groups.name'])
      .where('pupil_group_members.school_id', '=', schoolId),
  );
  return { classes: collect(classes), groups: collect(groups) };
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
