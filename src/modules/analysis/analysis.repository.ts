import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Pillar } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';

// What analysis reads: the cohort's pseudonymised characteristics and KS2, and one set of grades.
// Never a direct identifier.

export interface CohortPupil {
  id: string;
  year_group: number | null;
  sex: 'M' | 'F' | null;
  ethnicity: string | null;
  fsm: boolean | null;
  fsm6: boolean | null;
  disadvantaged: boolean | null;
  sen: 'N' | 'K' | 'E' | null;
  eal: boolean | null;
  gifted: boolean | null;
  looked_after: boolean | null;
  ks2_reading_score: number | null;
  ks2_reading_outcome: string | null;
  ks2_maths_score: number | null;
  ks2_maths_outcome: string | null;
  ks2_reading_ta: string | null;
  ks2_maths_ta: string | null;
}

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
  if (filter.pupilIds !== undefined) {
    if (filter.pupilIds.length === 0) {
      return [];
    }
    query = query.where('pupils.id', 'in', filter.pupilIds);
  }
  return query.orderBy('pupils.id').execute();
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
  return trx
    .selectFrom('results')
    .innerJoin('subjects', 'subjects.id', 'results.subject_id')
    .select([
      'results.pupil_id',
      'subjects.code as subject',
      'subjects.name as subject_name',
      'subjects.pillar',
      'results.grade',
      'results.points',
    ])
    .where('results.school_id', '=', schoolId)
    .where('results.assessment_point_id', '=', assessmentPointId)
    .where('results.facet', '=', facet)
    .execute();
}

export interface PointRow {
  id: string;
  name: string;
  rank: number;
  facets: Facet[];
}

/** The school's assessment points, in order, with the facets each holds results for. */
export async function pointsWithFacets(trx: Transaction<DB>, schoolId: string): Promise<PointRow[]> {
  const rows = await trx
    .selectFrom('assessment_points')
    .leftJoin('results', (join) =>
      join
        .onRef('results.assessment_point_id', '=', 'assessment_points.id')
        .on('results.school_id', '=', schoolId),
    )
    .select([
      'assessment_points.id',
      'assessment_points.name',
      'assessment_points.rank',
      sql<
        Facet[]
      >`coalesce(array_agg(distinct results.facet) filter (where results.facet is not null), '{}')`.as(
        'facets',
      ),
    ])
    .where('assessment_points.school_id', '=', schoolId)
    .groupBy(['assessment_points.id', 'assessment_points.name', 'assessment_points.rank'])
    .orderBy('assessment_points.rank')
    .execute();
  return rows.map((row) => ({ ...row, facets: parseFacets(row.facets) }));
}

// PGlite returns a text[] as an array; some drivers return its text form ("{achieved,target}").
function parseFacets(value: unknown): Facet[] {
  const list = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter((entry) => entry !== '')
      : [];
  return list.filter((entry): entry is Facet =>
    ['achieved', 'target', 'prediction', 'baseline'].includes(entry),
  );
}

/** Class and custom group names of these pupils (for subgroup reports). */
export async function memberships(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<{ classes: Map<string, string[]>; groups: Map<string, string[]> }> {
  const classes = new Map<string, string[]>();
  const groups = new Map<string, string[]>();
  if (pupilIds.length === 0) {
    return { classes, groups };
  }
  const classRows = await trx
    .selectFrom('class_members')
    .innerJoin('classes', 'classes.id', 'class_members.class_id')
    .select(['class_members.pupil_id', 'classes.name'])
    .where('class_members.school_id', '=', schoolId)
    .where('class_members.pupil_id', 'in', pupilIds)
    .execute();
  for (const row of classRows) {
    classes.set(row.pupil_id, [...(classes.get(row.pupil_id) ?? []), row.name]);
  }
  const groupRows = await trx
    .selectFrom('pupil_group_members')
    .innerJoin('pupil_groups', 'pupil_groups.id', 'pupil_group_members.group_id')
    .select(['pupil_group_members.pupil_id', 'pupil_groups.name'])
    .where('pupil_group_members.school_id', '=', schoolId)
    .where('pupil_group_members.pupil_id', 'in', pupilIds)
    .execute();
  for (const row of groupRows) {
    groups.set(row.pupil_id, [...(groups.get(row.pupil_id) ?? []), row.name]);
  }
  return { classes, groups };
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

/** One pupil's results at every assessment point, for a flight path. */
export async function pupilResults(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<
  Array<{
    subject: string;
    subject_name: string;
    point: string;
    rank: number;
    facet: Facet;
    grade: string;
    points: number;
  }>
> {
  return trx
    .selectFrom('results')
    .innerJoin('subjects', 'subjects.id', 'results.subject_id')
    .innerJoin('assessment_points', 'assessment_points.id', 'results.assessment_point_id')
    .select([
      'subjects.code as subject',
      'subjects.name as subject_name',
      'assessment_points.name as point',
      'assessment_points.rank',
      'results.facet',
      'results.grade',
      'results.points',
    ])
    .where('results.school_id', '=', schoolId)
    .where('results.pupil_id', '=', pupilId)
    .orderBy('subjects.name')
    .orderBy('assessment_points.rank')
    .execute();
}
