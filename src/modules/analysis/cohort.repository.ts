import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Pillar } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { CohortPupil } from './analysis.repository.ts';
import type { SubjectGrade } from './attainment8.ts';

// What a report reads for a whole cohort — up to 100,000 pupils and a million grades — in as few bytes
// and JavaScript objects as the database can send them. Row by row (or as one JSON document of objects)
// the transfer, parsing and garbage of a million rows cost several times the queries themselves, so:
// pupils come as JSON arrays without keys; grades and class memberships as one text value each, whose
// pupils and subjects are positions in lists this code sent, parsed here without a string per field.
// Never a direct identifier.

const PUPIL_COLUMNS = 17;

function cell(row: readonly unknown[], index: number): unknown {
  return row[index] ?? null;
}

function textOrNull(value: unknown): string | null {
  if (value === null || typeof value === 'string') {
    return value;
  }
  throw new Error('cohort row: a text column has another type');
}

function numberOrNull(value: unknown): number | null {
  if (value === null || typeof value === 'number') {
    return value;
  }
  throw new Error('cohort row: a number column has another type');
}

function flag(value: unknown): boolean | null {
  if (value === null || typeof value === 'boolean') {
    return value;
  }
  throw new Error('cohort row: a yes/no column has another type');
}

function asPupil(row: unknown): CohortPupil {
  if (!Array.isArray(row) || row.length !== PUPIL_COLUMNS) {
    throw new Error('cohort row: not the expected array');
  }
  const values: readonly unknown[] = row;
  const id = textOrNull(cell(values, 0));
  if (id === null) {
    throw new Error('cohort row: no id');
  }
  const sex = textOrNull(cell(values, 2));
  const sen = textOrNull(cell(values, 7));
  return {
    id,
    year_group: numberOrNull(cell(values, 1)),
    sex: sex === 'M' || sex === 'F' ? sex : null,
    ethnicity: textOrNull(cell(values, 3)),
    fsm: flag(cell(values, 4)),
    fsm6: flag(cell(values, 5)),
    disadvantaged: flag(cell(values, 6)),
    sen: sen === 'N' || sen === 'K' || sen === 'E' ? sen : null,
    eal: flag(cell(values, 8)),
    gifted: flag(cell(values, 9)),
    looked_after: flag(cell(values, 10)),
    ks2_reading_score: numberOrNull(cell(values, 11)),
    ks2_reading_outcome: textOrNull(cell(values, 12)),
    ks2_maths_score: numberOrNull(cell(values, 13)),
    ks2_maths_outcome: textOrNull(cell(values, 14)),
    ks2_reading_ta: textOrNull(cell(values, 15)),
    ks2_maths_ta: textOrNull(cell(values, 16)),
  };
}

/** The school's pupils (of one year group, if given) with KS2, ordered by id. */
export async function cohortPupils(
  trx: Transaction<DB>,
  schoolId: string,
  yearGroup: number | undefined,
): Promise<CohortPupil[]> {
  const result = await sql<{ rows: unknown }>`
    select coalesce(json_agg(json_build_array(
      p.id, p.year_group, p.sex, p.ethnicity, p.fsm, p.fsm6, p.disadvantaged, p.sen, p.eal, p.gifted,
      p.looked_after, a.ks2_reading_score, a.ks2_reading_outcome, a.ks2_maths_score, a.ks2_maths_outcome,
      a.ks2_reading_ta, a.ks2_maths_ta
    ) order by p.id), '[]'::json) as rows
    from pupils p left join prior_attainment a on a.pupil_id = p.id
    where p.school_id = ${schoolId} ${yearGroup === undefined ? sql`` : sql`and p.year_group = ${yearGroup}`}`.execute(
    trx,
  );
  const value = result.rows[0]?.rows;
  const rows: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(rows)) {
    throw new Error('cohort: not a JSON array');
  }
  return rows.map((row: unknown) => asPupil(row));
}

/** Reads the unsigned integer at `at`; returns it and where it ends. */
function integerAt(text: string, at: number): [number, number] {
  let value = 0;
  let index = at;
  for (; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) {
      break;
    }
    value = value * 10 + (code - 48);
  }
  if (index === at) {
    throw new Error('cohort grades: expected a number');
  }
  return [value, index];
}

interface SubjectRow {
  id: string;
  code: string;
  name: string;
  pillar: Pillar;
}

/** Reads a line of positions ("3 17 42") as numbers. */
function positionsIn(text: string): number[] {
  const positions: number[] = [];
  let at = 0;
  while (at < text.length) {
    const [position, end] = integerAt(text, at);
    positions.push(position);
    at = end + 1;
  }
  return positions;
}

/**
 * Each pupil's grades at one assessment point and facet, by position in `pupilIds` (undefined for a
 * pupil with none). Grades of pupils not in the list are not read. Within a pupil, grades come in the
 * order the database hands them over.
 */
export async function cohortGrades(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
  assessmentPointId: string,
  facet: Facet,
): Promise<Array<SubjectGrade[] | undefined>> {
  const subjects: SubjectRow[] = await trx
    .selectFrom('subjects')
    .select(['id', 'code', 'name', 'pillar'])
    .where('school_id', '=', schoolId)
    .execute();
  const byPupil: Array<SubjectGrade[] | undefined> = Array.from({ length: pupilIds.length });
  if (pupilIds.length === 0 || subjects.length === 0) {
    return byPupil;
  }
  // The join hashes a million rows: in the default 4 MB of working memory it would spill to disk.
  await sql`set local work_mem = '64MB'`.execute(trx);
  // One line per grade: "<pupil position> <subject position> <points> <grade>" (1-based positions).
  const result = await sql<{ grades: string | null }>`
    select string_agg(concat(p.n, ' ', s.n, ' ', r.points, ' ', r.grade), E'\n') as grades
    from results r
    join unnest(${[...pupilIds]}::uuid[]) with ordinality as p (id, n) on p.id = r.pupil_id
    join unnest(${subjects.map((subject) => subject.id)}::uuid[]) with ordinality as s (id, n)
      on s.id = r.subject_id
    where r.school_id = ${schoolId} and r.assessment_point_id = ${assessmentPointId} and r.facet = ${facet}`.execute(
    trx,
  );
  const text = result.rows[0]?.grades ?? '';
  // A few distinct grade spellings repeat a million times: one string each.
  const spellings = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const [pupil, afterPupil] = integerAt(text, at);
    const [subjectNumber, afterSubject] = integerAt(text, afterPupil + 1);
    const pointsEnd = text.indexOf(' ', afterSubject + 1);
    const lineEnd = text.indexOf('\n', pointsEnd);
    const end = lineEnd === -1 ? text.length : lineEnd;
    const subject = subjects[subjectNumber - 1];
    if (subject === undefined || pointsEnd === -1 || pupil < 1 || pupil > pupilIds.length) {
      throw new Error('cohort grades: a line does not have the expected shape');
    }
    const gradeText = text.slice(pointsEnd + 1, end);
    const grade = spellings.get(gradeText) ?? gradeText;
    spellings.set(grade, grade);
    const list = byPupil[pupil - 1] ?? [];
    list.push({
      subject: subject.code,
      subjectName: subject.name,
      pillar: subject.pillar,
      grade,
      points: Number(text.slice(afterSubject + 1, pointsEnd)),
    });
    byPupil[pupil - 1] = list;
    at = end + 1;
  }
  return byPupil;
}

/**
 * Each class's and custom group's members among these pupils (for subgroup reports), as positions in
 * `pupilIds` (0-based, ascending). Classes and groups with none of these pupils are left out.
 */
export async function cohortMemberships(
  trx: Transaction<DB>,
  schoolId: string,
  pupilIds: readonly string[],
): Promise<{ classes: Map<string, number[]>; groups: Map<string, number[]> }> {
  const classes = new Map<string, number[]>();
  const groups = new Map<string, number[]>();
  if (pupilIds.length === 0) {
    return { classes, groups };
  }
  await sql`set local work_mem = '64MB'`.execute(trx);
  const ids = [...pupilIds];
  // Each class's members as one line of positions (1-based) in the list sent.
  const result = await sql<{ kind: 'class' | 'group'; name: string; members: string }>`
    select 'class' as kind, c.name, string_agg(p.n::text, ' ') as members
    from class_members m
    join classes c on c.id = m.class_id
    join unnest(${ids}::uuid[]) with ordinality as p (id, n) on p.id = m.pupil_id
    where m.school_id = ${schoolId}
    group by c.name
    union all
    select 'group' as kind, g.name, string_agg(p.n::text, ' ') as members
    from pupil_group_members m
    join pupil_groups g on g.id = m.group_id
    join unnest(${ids}::uuid[]) with ordinality as p (id, n) on p.id = m.pupil_id
    where m.school_id = ${schoolId}
    group by g.name`.execute(trx);
  for (const row of result.rows) {
    // Cohort order, so that each group's figures add up in the same order as the whole cohort's.
    const members = Float64Array.from(positionsIn(row.members), (position) => position - 1).sort();
    if (members.some((position) => position < 0 || position >= pupilIds.length)) {
      throw new Error('cohort memberships: a position outside the cohort');
    }
    (row.kind === 'class' ? classes : groups).set(row.name, [...members]);
  }
  return { classes, groups };
}
