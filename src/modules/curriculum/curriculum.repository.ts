import { sql, type Insertable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';

// Subjects, grade sets, assessment points, classes and results: every method takes the school's transaction.

export async function gradeSetIds(trx: Transaction<DB>, schoolId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('grade_sets')
    .select(['id', 'code'])
    .where('school_id', '=', schoolId)
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

export async function insertGradeSet(
  trx: Transaction<DB>,
  schoolId: string,
  set: { code: string; name: string; grades: Array<{ code: string; points: number }> },
): Promise<string> {
  const row = await trx
    .insertInto('grade_sets')
    .values({ school_id: schoolId, code: set.code, name: set.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('grades')
    .values(
      set.grades.map((grade, rank) => ({
        school_id: schoolId,
        grade_set_id: row.id,
        code: grade.code,
        points: grade.points,
        rank,
      })),
    )
    .execute();
  return row.id;
}

export async function subjectIds(trx: Transaction<DB>, schoolId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('subjects')
    .select(['id', 'code'])
    .where('school_id', '=', schoolId)
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

export async function insertSubject(
  trx: Transaction<DB>,
  subject: Insertable<DB['subjects']>,
): Promise<string> {
  const row = await trx.insertInto('subjects').values(subject).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function subjectAliases(trx: Transaction<DB>, schoolId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('subject_aliases')
    .select(['alias', 'subject_code'])
    .where('school_id', '=', schoolId)
    .execute();
  return new Map(rows.map((row) => [row.alias, row.subject_code]));
}

export async function saveSubjectAliases(
  trx: Transaction<DB>,
  schoolId: string,
  aliases: Array<{ alias: string; subjectCode: string }>,
): Promise<void> {
  if (aliases.length === 0) {
    return;
  }
  await trx
    .insertInto('subject_aliases')
    .values(
      aliases.map(({ alias, subjectCode }) => ({ school_id: schoolId, alias, subject_code: subjectCode })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['school_id', 'alias'])
        .doUpdateSet((eb) => ({ subject_code: eb.ref('excluded.subject_code') })),
    )
    .execute();
}

export async function assessmentPoints(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ id: string; name: string; rank: number }>> {
  return trx
    .selectFrom('assessment_points')
    .select(['id', 'name', 'rank'])
    .where('school_id', '=', schoolId)
    .orderBy('rank')
    .execute();
}

export async function insertAssessmentPoint(
  trx: Transaction<DB>,
  schoolId: string,
  point: { name: string; rank: number },
): Promise<string> {
  const row = await trx
    .insertInto('assessment_points')
    .values({ school_id: schoolId, name: point.name, rank: point.rank })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The ids of the school's classes with these names, creating those that are missing. */
export async function ensureClasses(
  trx: Transaction<DB>,
  schoolId: string,
  classes: Array<{ name: string; subjectId?: string | undefined }>,
): Promise<Map<string, string>> {
  if (classes.length === 0) {
    return new Map();
  }
  await trx
    .insertInto('classes')
    .values(
      classes.map((entry) => ({
        school_id: schoolId,
        name: entry.name,
        subject_id: entry.subjectId ?? null,
      })),
    )
    .onConflict((conflict) => conflict.columns(['school_id', 'name']).doNothing())
    .execute();
  const rows = await trx
    .selectFrom('classes')
    .select(['id', 'name'])
    .where('school_id', '=', schoolId)
    .where(
      'name',
      'in',
      classes.map((entry) => entry.name),
    )
    .execute();
  return new Map(rows.map((row) => [row.name, row.id]));
}

/** Values as one PostgreSQL array literal (text elements quoted; ids and numbers need no quotes). */
function arrayLiteral(values: ReadonlyArray<string | number>, quoted: boolean): string {
  return `{${(quoted ? values.map((value) => quote(String(value))) : values).join(',')}}`;
}

// Grades and facets repeat a few values across thousands of rows: each is quoted once.
const quotedValues = new Map<string, string>();

/** A text element of an array literal, in double quotes (backslashes and quotes escaped). */
function quote(value: string): string {
  let quoted = quotedValues.get(value);
  if (quoted === undefined) {
    quoted = `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
    if (value.length <= 16 && quotedValues.size < 1_000) {
      quotedValues.set(value, quoted);
    }
  }
  return quoted;
}

/** Each distinct id once, and each row's 1-based position in that list. */
function positions(ids: readonly string[]): { distinct: string[]; of: number[] } {
  const numbers = new Map<string, number>();
  const of = ids.map((id) => {
    let number = numbers.get(id);
    if (number === undefined) {
      number = numbers.size + 1;
      numbers.set(id, number);
    }
    return number;
  });
  return { distinct: [...numbers.keys()], of };
}

/**
 * Class memberships ready for one statement: each column as one array literal, built before the
 * statement is due (an import builds the next batch while the database writes this one). A batch's
 * classes and pupils each appear once, with a position per row: thousands of ids as text made each
 * literal one of V8's large objects, kept until a full collection (decision 0015).
 */
export interface MemberColumns {
  rows: number;
  classIds: string;
  classOf: string;
  pupilIds: string;
  pupilOf: string;
}

export function memberColumns(rows: ReadonlyArray<{ class_id: string; pupil_id: string }>): MemberColumns {
  const classes = positions(rows.map((row) => row.class_id));
  const pupils = positions(rows.map((row) => row.pupil_id));
  return {
    rows: rows.length,
    classIds: arrayLiteral(classes.distinct, false),
    classOf: arrayLiteral(classes.of, false),
    pupilIds: arrayLiteral(pupils.distinct, false),
    pupilOf: arrayLiteral(pupils.of, false),
  };
}

export async function addClassMembers(
  trx: Transaction<DB>,
  schoolId: string,
  columns: MemberColumns,
): Promise<number> {
  if (columns.rows === 0) {
    return 0;
  }
  // One array per column through unnest(), as results are written (decision 0005): an import adds
  // thousands of memberships a batch, and a statement of fixed size parses and plans at once.
  const result = await sql`
    insert into class_members (school_id, class_id, pupil_id)
    select ${schoolId}::uuid, (${columns.classIds}::uuid[])[m.class_of], (${columns.pupilIds}::uuid[])[m.pupil_of]
    from unnest(${columns.classOf}::int4[], ${columns.pupilOf}::int4[]) as m (class_of, pupil_of)
    on conflict (class_id, pupil_id) do nothing
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Results ready for one statement: each column as one array literal, the batch's pupils, subjects and
 * assessment points each once with a position per row (a fifth of the bytes of an id per row; 5,000
 * pupil ids as text were one of V8's large objects, kept until a full collection).
 */
export interface ResultColumns {
  rows: number;
  pupilIds: string;
  pupilOf: string;
  subjectIds: string;
  subjectOf: string;
  pointIds: string;
  pointOf: string;
  facets: string;
  grades: string;
  points: string;
}

/** A batch of results as one array per column (a row's values at the same index in each). */
export interface ResultValues {
  pupilIds: readonly string[];
  subjectIds: readonly string[];
  pointIds: readonly string[];
  facets: readonly string[];
  grades: readonly string[];
  points: readonly number[];
}

export function resultColumns(values: ResultValues): ResultColumns {
  const pupils = positions(values.pupilIds);
  const subjects = positions(values.subjectIds);
  const points = positions(values.pointIds);
  return {
    rows: values.pupilIds.length,
    pupilIds: arrayLiteral(pupils.distinct, false),
    pupilOf: arrayLiteral(pupils.of, false),
    subjectIds: arrayLiteral(subjects.distinct, false),
    subjectOf: arrayLiteral(subjects.of, false),
    pointIds: arrayLiteral(points.distinct, false),
    pointOf: arrayLiteral(points.of, false),
    facets: arrayLiteral(values.facets, true),
    grades: arrayLiteral(values.grades, true),
    points: arrayLiteral(values.points, false),
  };
}

/**
 * Writes results, changing only rows whose grade differs (so a re-import writes nothing); returns how
 * many rows were inserted or changed. The rows travel as one array per column through unnest(): one
 * statement of fixed size however many rows, which PostgreSQL plans once and runs close to COPY speed.
 */
export async function upsertResults(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  columns: ResultColumns,
): Promise<number> {
  if (columns.rows === 0) {
    return 0;
  }
  const result = await sql`
    insert into results (school_id, pupil_id, subject_id, assessment_point_id, facet, grade, points, import_id)
    select ${schoolId}::uuid, (${columns.pupilIds}::uuid[])[r.pupil_of],
      (${columns.subjectIds}::uuid[])[r.subject_of], (${columns.pointIds}::uuid[])[r.point_of],
      r.facet, r.grade, r.points, ${importId}::uuid
    from unnest(
      ${columns.pupilOf}::int4[], ${columns.subjectOf}::int4[], ${columns.pointOf}::int4[],
      ${columns.facets}::text[], ${columns.grades}::text[], ${columns.points}::float8[]
    ) as r (pupil_of, subject_of, point_of, facet, grade, points)
    on conflict (pupil_id, subject_id, assessment_point_id, facet) do update
      set grade = excluded.grade, points = excluded.points, import_id = excluded.import_id, updated_at = now()
      where results.grade is distinct from excluded.grade
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** The pupils in the classes a member of staff teaches. */
export async function pupilsTaughtBy(
  trx: Transaction<DB>,
  schoolId: string,
  userId: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('class_teachers')
    .innerJoin('class_members', 'class_members.class_id', 'class_teachers.class_id')
    .select('class_members.pupil_id')
    .distinct()
    .where('class_teachers.school_id', '=', schoolId)
    .where('class_teachers.user_id', '=', userId)
    .execute();
  return rows.map((row) => row.pupil_id);
}

export interface ClassRow {
  id: string;
  name: string;
  subject: string | null;
  pupils: number;
  teacherIds: string[];
}

/** The school's classes with their subject, size and teachers. */
export async function listClasses(trx: Transaction<DB>, schoolId: string): Promise<ClassRow[]> {
  const classes = await trx
    .selectFrom('classes')
    .leftJoin('subjects', 'subjects.id', 'classes.subject_id')
    .select((eb) => [
      'classes.id',
      'classes.name',
      'subjects.name as subject',
      eb
        .selectFrom('class_members')
        .select((inner) => inner.fn.countAll<string>().as('count'))
        .whereRef('class_members.class_id', '=', 'classes.id')
        .as('pupils'),
    ])
    .where('classes.school_id', '=', schoolId)
    .orderBy('classes.name')
    .execute();
  const teachers = await trx
    .selectFrom('class_teachers')
    .select(['class_id', 'user_id'])
    .where('school_id', '=', schoolId)
    .execute();
  return classes.map((row) => ({
    id: row.id,
    name: row.name,
    subject: row.subject,
    pupils: Number(row.pupils ?? 0),
    teacherIds: teachers.filter((teacher) => teacher.class_id === row.id).map((teacher) => teacher.user_id),
  }));
}

export async function classExists(trx: Transaction<DB>, schoolId: string, classId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('classes')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('id', '=', classId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addClassTeacher(
  trx: Transaction<DB>,
  schoolId: string,
  classId: string,
  userId: string,
): Promise<void> {
  await trx
    .insertInto('class_teachers')
    .values({ school_id: schoolId, class_id: classId, user_id: userId })
    .onConflict((conflict) => conflict.columns(['class_id', 'user_id']).doNothing())
    .execute();
}

export async function removeClassTeacher(
  trx: Transaction<DB>,
  schoolId: string,
  classId: string,
  userId: string,
): Promise<boolean> {
  const result = await trx
    .deleteFrom('class_teachers')
    .where('school_id', '=', schoolId)
    .where('class_id', '=', classId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
