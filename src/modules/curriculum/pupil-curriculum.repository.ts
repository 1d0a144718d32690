import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Facet } from './curriculum.tables.ts';

// A pupil's side of the curriculum: the classes they are in and the grades they have. Every method takes
// the school's transaction and the school id.

export interface PupilResultRow {
  assessment_point_id: string;
  point: string;
  point_date: string | null;
  rank: number;
  subject: string;
  subject_name: string;
  facet: Facet;
  grade: string;
  points: number;
}

/** One pupil's grades at every assessment point and facet, by subject name then point order. */
export async function pupilResults(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<PupilResultRow[]> {
  return trx
    .selectFrom('results')
    .innerJoin('subjects', 'subjects.id', 'results.subject_id')
    .innerJoin('assessment_points', 'assessment_points.id', 'results.assessment_point_id')
    .select([
      'assessment_points.id as assessment_point_id',
      'assessment_points.name as point',
      'assessment_points.date as point_date',
      'assessment_points.rank',
      'subjects.code as subject',
      'subjects.name as subject_name',
      'results.facet',
      'results.grade',
      'results.points',
    ])
    .where('results.school_id', '=', schoolId)
    .where('results.pupil_id', '=', pupilId)
    .orderBy('subjects.name')
    .orderBy('assessment_points.rank')
    .orderBy('results.facet')
    .execute();
}

export interface PupilClassRow {
  pupil_id: string;
  class_id: string;
  name: string;
  year_group: number | null;
  subject: string | null;
  subject_name: string | null;
}

/** The classes these pupils are in (with their subjects), by class name. */
export async function classesOfPupils(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<PupilClassRow[]> {
  if (pupilIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('class_members')
    .innerJoin('classes', 'classes.id', 'class_members.class_id')
    .leftJoin('subjects', 'subjects.id', 'classes.subject_id')
    .select([
      'class_members.pupil_id',
      'classes.id as class_id',
      'classes.name',
      'classes.year_group',
      'subjects.code as subject',
      'subjects.name as subject_name',
    ])
    .where('class_members.school_id', '=', schoolId)
    .where('class_members.pupil_id', 'in', pupilIds)
    .orderBy('classes.name')
    .execute();
}

/** The pupils in one class, or undefined when the school has no such class. */
export async function classMemberIds(
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
    .execute();
  return rows.map((row) => row.pupil_id);
}
