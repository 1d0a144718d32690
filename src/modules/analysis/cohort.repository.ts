import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Pillar } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { CohortPupil } from './analysis.repository.ts';
import type { SubjectGrade } from './attainment8.ts';

// What a report reads for a whole cohort — up to 100,000 pupils and a million grades — in as few bytes
// and JavaScript objects as the database can send them. Row by row (or as one JSON document of objects)
// the transfer, parsing and garbage of a million rows cost several times the queries themselves, so
// pupils, grades and class memberships each come as one text value; in grades and memberships pupils
// and subjects are positions in lists this code sent, parsed here without a string per field.
// Never a direct identifier.

// Pupils travel as one text value: a record per pupil (separated by \x1e), its fields by \x1f —
// control characters no field can hold: codes are constrained by the table, and the KS2 outcome and
// teacher assessment columns (free text) are sent JSON-encoded, which escapes control characters.
const RECORD = '\u001e';
const FIELD = '\u001f';
const PUPIL_FIELDS = 17;

const orNull = (field: string): string | null => (field === '' ? null : field);
const numberOrNull = (field: string): number | null => (field === '' ? null : Number(field));
const flag = (field: string): boolean | null => (field === '' ? null : field === '1');

function jsonText(field: string): string | null {
  if (field === '') {
    return null;
  }
  const value: unknown = JSON.parse(field);
  if (typeof value !== 'string') {
    throw new Error('cohort pupils: a text field is not a JSON string');
  }
  return value;
}

function asPupil(record: string): CohortPupil {
  const fields = record.split(FIELD);
  if (fields.length !== PUPIL_FIELDS) {
    throw new Error('cohort pupils: a record does not have the expected fields');
  }
  const field = (index: number): string => fields[index] ?? '';
  const sex = orNull(field(2));
  const sen = orNull(field(7));
  return {
    id: field(0),
    year_group: numberOrNull(field(1)),
    sex: sex === 'M' || sex === 'F' ? sex : null,
    ethnicity: orNull(field(3)),
    fsm: flag(field(4)),
    fsm6: flag(field(5)),
    disadvantaged: flag(field(6)),
    sen: sen === 'N' || sen === 'K' || sen === 'E' ? sen : null,
    eal: flag(field(8)),
    gifted: flag(field(9)),
    looked_after: flag(field(10)),
    ks2_reading_score: numberOrNull(field(11)),
    ks2_reading_outcome: jsonText(field(12)),
    ks2_maths_score: numberOrNull(field(13)),
    ks2_maths_outcome: jsonText(field(14)),
    ks2_reading_ta: jsonText(field(15)),
    ks2_maths_ta: jsonText(field(16)),
  };
}

/** The school's pupils (of one year group, if given) with KS2, ordered by id. */
export async function cohortPupils(
  trx: Transaction<DB>,
  schoolId: string,
  yearGroup: number | undefined,
): Promise<CohortPupil[]> {
  const result = await sql<{ pupils: string | null }>`
    select string_agg(concat_ws(E'\x1f',
      p.id, coalesce(p.year_group::text, ''), coalesce(p.sex, ''), coalesce(p.ethnicity, ''),
      coalesce(p.fsm::int::text, ''), coalesce(p.fsm6::int::text, ''),
      coalesce(p.disadvantaged::int::text, ''), coalesce(p.sen, ''), coalesce(p.eal::int::text, ''),
      coalesce(p.gifted::int::text, ''), coalesce(p.looked_after::int::text, ''),
      coalesce(a.ks2_reading_score::text, ''), coalesce(to_json(a.ks2_reading_outcome)::text, ''),
      coalesce(a.ks2_maths_score::text, ''), coalesce(to_json(a.ks2_maths_outcome)::text, ''),
      coalesce(to_json(a.ks2_reading_ta)::text, ''), coalesce(to_json(a.ks2_maths_ta)::text, '')
    ), E'\x1e' order by p.id) as pupils
    from pupils p left join prior_attainment a on a.pupil_id = p.id
    where p.school_id = ${schoolId} ${yearGroup === undefined ? sql`` : sql`and p.year_group = ${yearGroup}`}`.execute(
    trx,
  );
  const text = result.rows[0]?.pupils ?? null;
  return text === null ? [] : text.split(RECORD).map((record) => asPupil(record));
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

/**
 * A list of ids as one uuid[] literal: pg would quote and escape each of 100,000 elements; ids read
 * from the database (canonical uuid text) need neither.
 */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
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
    join unnest(${uuidArray(pupilIds)}::uuid[]) with ordinality as p (id, n) on p.id = r.pupil_id
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
  // Each class's members as one line of positions (1-based) in the list sent.
  const result = await sql<{ kind: 'class' | 'group'; name: string; members: string }>`
    with cohort as materialized (
      select id, n from unnest(${uuidArray(pupilIds)}::uuid[]) with ordinality as p (id, n)
    )
    select 'class' as kind, c.name, string_agg(p.n::text, ' ') as members
    from class_members m
    join classes c on c.id = m.class_id
    join cohort p on p.id = m.pupil_id
    where m.school_id = ${schoolId}
    group by c.name
    union all
    select 'group' as kind, g.name, string_agg(p.n::text, ' ') as members
    from pupil_group_members m
    join pupil_groups g on g.id = m.group_id
    join cohort p on p.id = m.pupil_id
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
