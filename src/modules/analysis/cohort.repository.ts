import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Pillar } from '../curriculum/catalogue.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { CohortPupil } from './analysis.repository.ts';
import type { SubjectGrade } from './attainment8.ts';

// What a report reads for a whole cohort — up to 100,000 pupils and a million grades — in as few bytes
// and JavaScript objects as the database can send them. Row by row (or as one JSON document of objects)
// the transfer, parsing and garbage of a million rows cost several times the queries themselves, so
// pupils come as one text value, and grades and class memberships as a few rows of packed positions.
// Every read is of one cohort scope (below): a pupil's position means the same pupil in each, so the
// reads need not wait for one another and can run at once in one snapshot. Never a direct identifier.

/**
 * Which pupils a report's reads cover: the school's pupils (of one year group, if given) that the
 * reader may see, less those that may not be analysed, in id order. Position n (1-based, as SQL
 * numbers them) is the same pupil in every read of one snapshot.
 */
export interface CohortScope {
  schoolId: string;
  yearGroup: number | undefined;
  /** The only pupils the reader may see (a teacher's classes), or undefined for all. */
  only: readonly string[] | undefined;
  /** Pupils whose processing is restricted or who objected to analysis. */
  excluded: readonly string[];
}

/** The conditions on `pupils p` that select a scope's pupils. */
function inScope(scope: CohortScope) {
  return sql`p.school_id = ${scope.schoolId}
    ${scope.yearGroup === undefined ? sql`` : sql`and p.year_group = ${scope.yearGroup}`}
    ${scope.only === undefined ? sql`` : sql`and p.id = any(${uuidArray(scope.only)}::uuid[])`}
    ${scope.excluded.length === 0 ? sql`` : sql`and not (p.id = any(${uuidArray(scope.excluded)}::uuid[]))`}`;
}

/**
 * Settings, for the rest of the transaction, for joining the cohort to its grades or memberships: a
 * hash join of 100,000 pupils and an aggregate of a million rows would spill to disk in the default
 * 4 MB of working memory; and a nested loop is never the right plan, but a database without planner
 * statistics (the embedded one has none after an import) estimates the cohort and its results at a
 * few rows each and chooses one, numbering the cohort again for every result.
 */
async function forCohortJoins(trx: Transaction<DB>): Promise<void> {
  await sql`select set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true)`.execute(
    trx,
  );
}

/** A scope's pupils numbered 1… in id order, as `cohort (id, n)`. Left to the planner to inline. */
function cohortTable(scope: CohortScope) {
  return sql`cohort as (select p.id, row_number() over (order by p.id) as n from pupils p where ${inScope(scope)})`;
}

// Pupils travel as one text value: a record per pupil (separated by \x1e), its fields by \x1f —
// control characters no field can hold: codes are constrained by the table, and the KS2 outcome and
// teacher assessment columns (free text) are sent JSON-encoded, which escapes control characters.
const RECORD = '\u001e';
const FIELD = '\u001f';
const PUPIL_FIELDS = 17;

// Where each field of the record being read starts and ends (one buffer: no array per pupil).
const starts = new Int32Array(PUPIL_FIELDS);
const ends = new Int32Array(PUPIL_FIELDS);

/**
 * The pupils in the text, read field by field in place: a string is made only for a field whose
 * value is text (the id, ethnicity, KS2 outcomes and assessments), never for a flag or a code.
 */
function asPupils(text: string): CohortPupil[] {
  const pupils: CohortPupil[] = [];
  let at = 0;
  while (at < text.length) {
    const found = text.indexOf(RECORD, at);
    const recordEnd = found === -1 ? text.length : found;
    for (let field = 0; field < PUPIL_FIELDS; field += 1) {
      const next = text.indexOf(FIELD, at);
      const end = next === -1 || next > recordEnd ? recordEnd : next;
      if ((end === recordEnd) !== (field === PUPIL_FIELDS - 1)) {
        throw new Error('cohort pupils: a record does not have the expected fields');
      }
      starts[field] = at;
      ends[field] = end;
      at = end + 1;
    }
    pupils.push(pupilAt(text));
  }
  return pupils;
}

/** The field's length (0 for none). */
const lengthOf = (field: number): number => (ends[field] ?? 0) - (starts[field] ?? 0);
/** The field's first character's code. */
const codeOf = (text: string, field: number): number => text.charCodeAt(starts[field] ?? 0);
const textOf = (text: string, field: number): string | null =>
  lengthOf(field) === 0 ? null : text.slice(starts[field], ends[field]);
const numberOf = (text: string, field: number): number | null =>
  lengthOf(field) === 0 ? null : Number(text.slice(starts[field], ends[field]));
/** '1' true, '0' false, nothing null. */
const flagOf = (text: string, field: number): boolean | null =>
  lengthOf(field) === 0 ? null : codeOf(text, field) === 49;
const QUOTE = 34;
const BACKSLASH = 92;

/** A JSON-encoded string field: the characters between its quotes, unless it holds an escape. */
function jsonTextOf(text: string, field: number): string | null {
  if (lengthOf(field) === 0) {
    return null;
  }
  const start = starts[field] ?? 0;
  const end = ends[field] ?? 0;
  let plain = end - start >= 2 && text.charCodeAt(start) === QUOTE && text.charCodeAt(end - 1) === QUOTE;
  for (let index = start + 1; plain && index < end - 1; index += 1) {
    plain = text.charCodeAt(index) !== BACKSLASH;
  }
  if (plain) {
    return text.slice(start + 1, end - 1);
  }
  const value: unknown = JSON.parse(text.slice(start, end));
  if (typeof value !== 'string') {
    throw new Error('cohort pupils: a text field is not a JSON string');
  }
  return value;
}

function pupilAt(text: string): CohortPupil {
  const sex = lengthOf(2) === 1 ? codeOf(text, 2) : 0;
  const sen = lengthOf(7) === 1 ? codeOf(text, 7) : 0;
  return {
    id: text.slice(starts[0], ends[0]),
    year_group: numberOf(text, 1),
    sex: sex === 77 ? 'M' : sex === 70 ? 'F' : null,
    ethnicity: textOf(text, 3),
    fsm: flagOf(text, 4),
    fsm6: flagOf(text, 5),
    disadvantaged: flagOf(text, 6),
    sen: sen === 78 ? 'N' : sen === 75 ? 'K' : sen === 69 ? 'E' : null,
    eal: flagOf(text, 8),
    gifted: flagOf(text, 9),
    looked_after: flagOf(text, 10),
    ks2_reading_score: numberOf(text, 11),
    ks2_reading_outcome: jsonTextOf(text, 12),
    ks2_maths_score: numberOf(text, 13),
    ks2_maths_outcome: jsonTextOf(text, 14),
    ks2_reading_ta: jsonTextOf(text, 15),
    ks2_maths_ta: jsonTextOf(text, 16),
  };
}

/** The scope's pupils with KS2, in scope order (by id). */
export async function cohortPupils(trx: Transaction<DB>, scope: CohortScope): Promise<CohortPupil[]> {
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
    where ${inScope(scope)}`.execute(trx);
  const text = result.rows[0]?.pupils ?? null;
  return text === null ? [] : asPupils(text);
}

/**
 * A list of ids as one uuid[] literal: pg would quote and escape each of 100,000 elements; ids read
 * from the database (canonical uuid text) need neither.
 */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/**
 * Each scope pupil's grades at one assessment point and facet, by position (index n − 1; undefined for
 * a pupil with none, and the list may stop before the last pupils). Within a pupil, grades come by
 * subject code.
 */
export async function cohortGrades(
  trx: Transaction<DB>,
  scope: CohortScope,
  assessmentPointId: string,
  facet: Facet,
): Promise<Array<SubjectGrade[] | undefined>> {
  await forCohortJoins(trx);
  // One row per subject, grade and points (a few hundred), with the positions of the pupils who have
  // it: a grade is one object shared by every pupil who has it, and the text is positions only.
  const result = await sql<{
    code: string;
    name: string;
    pillar: Pillar;
    grade: string;
    points: number;
    pupils: Uint8Array;
  }>`
    with ${cohortTable(scope)}, graded as (
      select r.subject_id, r.grade, r.points, string_agg(int4send(c.n::int), ''::bytea) as pupils
      from results r join cohort c on c.id = r.pupil_id
      where r.school_id = ${scope.schoolId} and r.assessment_point_id = ${assessmentPointId}
        and r.facet = ${facet}
      group by r.subject_id, r.grade, r.points
    )
    select s.code, s.name, s.pillar, g.grade, g.points, g.pupils
    from graded g join subjects s on s.id = g.subject_id
    order by s.code, g.points, g.grade`.execute(trx);
  const rows = result.rows.map((row) => ({
    grade: Object.freeze<SubjectGrade>({
      subject: row.code,
      subjectName: row.name,
      pillar: row.pillar,
      grade: row.grade,
      points: row.points,
    }),
    pupils: positionsOf(row.pupils),
  }));
  let last = 0;
  for (const row of rows) {
    for (const position of row.pupils) {
      last = Math.max(last, position);
    }
  }
  // Every list made up front, so the array stays dense whatever order the positions come in.
  const taken = new Uint8Array(last);
  for (const row of rows) {
    for (const position of row.pupils) {
      taken[position - 1] = 1;
    }
  }
  const byPupil = Array.from(taken, (has): SubjectGrade[] | undefined => (has === 1 ? [] : undefined));
  for (const { grade, pupils } of rows) {
    for (const position of pupils) {
      byPupil[position - 1]?.push(grade);
    }
  }
  return byPupil;
}

/**
 * Positions as the database packs them: each a 4-byte big-endian integer (int4send), concatenated.
 * Binary, because turning a million numbers into text and back cost the database and this code more
 * than the rest of the read.
 */
function positionsOf(packed: Uint8Array): Int32Array {
  if (packed.byteLength % 4 !== 0) {
    throw new Error('cohort read: positions are not whole 4-byte integers');
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const positions = new Int32Array(packed.byteLength / 4);
  for (let index = 0; index < positions.length; index += 1) {
    const position = view.getInt32(index * 4);
    if (position < 1) {
      throw new Error('cohort read: a position below 1');
    }
    positions[index] = position;
  }
  return positions;
}

/**
 * Each class's and custom group's members in the scope (for subgroup reports), as positions (1-based,
 * ascending). Classes and groups with none of these pupils are left out.
 */
export async function cohortMemberships(
  trx: Transaction<DB>,
  scope: CohortScope,
): Promise<{ classes: Map<string, Int32Array>; groups: Map<string, Int32Array> }> {
  const classes = new Map<string, Int32Array>();
  const groups = new Map<string, Int32Array>();
  await forCohortJoins(trx);
  // Each class's members as packed positions (see positionsOf), grouped by id before the names are
  // joined on: a class's name is looked up once, not once per member.
  const result = await sql<{ kind: 'class' | 'group'; name: string; members: Uint8Array }>`
    with ${cohortTable(scope)}
    select 'class' as kind, c.name, x.members
    from (
      select m.class_id, string_agg(int4send(p.n::int), ''::bytea) as members
      from class_members m join cohort p on p.id = m.pupil_id
      where m.school_id = ${scope.schoolId}
      group by m.class_id
    ) x join classes c on c.id = x.class_id
    union all
    select 'group' as kind, g.name, x.members
    from (
      select m.group_id, string_agg(int4send(p.n::int), ''::bytea) as members
      from pupil_group_members m join cohort p on p.id = m.pupil_id
      where m.school_id = ${scope.schoolId}
      group by m.group_id
    ) x join pupil_groups g on g.id = x.group_id`.execute(trx);
  // Classes (or groups) that share a name are one group in a report.
  const named = { class: new Map<string, Int32Array[]>(), group: new Map<string, Int32Array[]>() };
  for (const row of result.rows) {
    const lists = named[row.kind].get(row.name) ?? [];
    lists.push(positionsOf(row.members));
    named[row.kind].set(row.name, lists);
  }
  for (const [kind, into] of [
    ['class', classes],
    ['group', groups],
  ] as const) {
    for (const [name, lists] of named[kind]) {
      const members = new Int32Array(lists.reduce((total, list) => total + list.length, 0));
      let at = 0;
      for (const list of lists) {
        members.set(list, at);
        at += list.length;
      }
      into.set(name, members.sort());
    }
  }
  return { classes, groups };
}
