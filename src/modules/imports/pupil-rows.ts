import { upnProblem } from '../pupils/upn.ts';
import { ENROLMENT_STATUSES, ETHNICITY_GROUPS, KS2_TA_CODES, KS2_TEST_OUTCOMES } from '../pupils/codes.ts';
import { fieldDefinition } from './columns.ts';
import {
  parseBoolean,
  parseCode,
  parseDate,
  parseKs2Test,
  parseSen,
  parseSex,
  parseYearGroup,
  type Parsed,
} from './fields.ts';
import type { PupilKey, PupilRecord } from '../pupils/pupil-record.ts';
import type { ImportIssue } from './report.ts';

export interface RowOptions {
  /** The UPN column holds the school's own pseudonymous identifier, not a DfE UPN (no check letter). */
  pseudonymousUpn: boolean;
  /** Names are not loaded at all, even when the file has them. */
  noNames: boolean;
}

/** A row's cells by Haven field, with the column each came from (for messages). */
export interface FieldCells {
  row: number;
  get(field: string): string | undefined;
  column(field: string): string;
  has(field: string): boolean;
}

const ETHNICITY_CODES = Object.keys(ETHNICITY_GROUPS);
const BOOLEAN_FIELDS = [
  'fsm',
  'fsm6',
  'disadvantaged',
  'pupil_premium',
  'eal',
  'gifted',
  'looked_after',
  'previously_looked_after',
  'service_child',
] as const;

/** Reads a field with its parser; an empty cell is null (unknown), an absent column is undefined. */
function read<T>(
  cells: FieldCells,
  issues: ImportIssue[],
  field: string,
  parse: (text: string) => Parsed<T>,
): T | null | undefined {
  if (!cells.has(field)) {
    return undefined;
  }
  const cell = cells.get(field) ?? '';
  if (cell === '') {
    return null;
  }
  const parsed = parse(cell);
  if (parsed.ok) {
    return parsed.value;
  }
  const identifier = fieldDefinition('pupils', field)?.identifier ?? true;
  issues.push({
    severity: 'error',
    row: cells.row,
    column: cells.column(field),
    field,
    ...(identifier ? {} : { value: cell.slice(0, 40) }),
    message: `${field.replaceAll('_', ' ')} ${parsed.problem}`,
  });
  return undefined;
}

function text(cells: FieldCells, field: string): string | null | undefined {
  if (!cells.has(field)) {
    return undefined;
  }
  const value = cells.get(field) ?? '';
  return value === '' ? null : value;
}

/** The UPN as written (upper-cased), checked unless the school loads pseudonymous identifiers. */
export function readUpn(
  cells: FieldCells,
  issues: ImportIssue[],
  options: RowOptions,
): string | null | undefined {
  return read(cells, issues, 'upn', (value) => {
    const upn = value.replace(/\s+/g, '').toUpperCase();
    if (options.pseudonymousUpn) {
      return upn.length <= 64
        ? { ok: true, value: upn }
        : { ok: false, problem: 'is longer than 64 characters' };
    }
    const problem = upnProblem(upn);
    // The message names the rule; the value is never echoed.
    return problem === undefined
      ? { ok: true, value: upn }
      : { ok: false, problem: problem.replace(/^UPN /, '') };
  });
}

/** The key that finds the pupil again: the UPN, else name and date of birth. */
export function readKey(
  cells: FieldCells,
  issues: ImportIssue[],
  options: RowOptions,
): { key: PupilKey; upn: string | null | undefined; dob: string | null | undefined } | undefined {
  const upn = readUpn(cells, issues, options);
  const dob = read(cells, issues, 'dob', parseDate);
  const forename = text(cells, 'forename');
  const surname = text(cells, 'surname');
  if (typeof upn === 'string') {
    return { key: { upn }, upn, dob };
  }
  if (upn === undefined && cells.has('upn')) {
    return undefined; // an invalid UPN: already reported
  }
  if (typeof forename === 'string' && typeof surname === 'string' && !options.noNames) {
    return { key: { forename, surname, ...(typeof dob === 'string' ? { dob } : {}) }, upn, dob };
  }
  issues.push({
    severity: 'error',
    row: cells.row,
    ...(cells.has('upn') ? { column: cells.column('upn') } : {}),
    field: 'upn',
    message: 'has no UPN and no forename and surname: every pupil needs one of them',
  });
  return undefined;
}

export function readPupilRow(
  cells: FieldCells,
  options: RowOptions,
): { record?: PupilRecord; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const found = readKey(cells, issues, options);
  const record: PupilRecord = { row: cells.row, key: found?.key ?? {}, identity: {}, attributes: {} };
  const identity = record.identity;
  if (found?.upn !== undefined) {
    identity.upn = found.upn;
  }
  if (found?.dob !== undefined) {
    identity.dob = found.dob;
  }
  if (!options.noNames) {
    for (const field of ['forename', 'surname', 'preferred_forename', 'preferred_surname'] as const) {
      const value = text(cells, field);
      if (value !== undefined) {
        identity[field] = value === null ? null : value.slice(0, 100);
      }
    }
  }
  const attributes = record.attributes;
  const set = <K extends keyof PupilRecord['attributes']>(
    field: K,
    value: PupilRecord['attributes'][K] | undefined,
  ) => {
    if (value !== undefined) {
      attributes[field] = value;
    }
  };
  set('year_group', read(cells, issues, 'year_group', parseYearGroup));
  set('sex', read(cells, issues, 'sex', parseSex));
  set(
    'ethnicity',
    read(cells, issues, 'ethnicity', (value) =>
      parseCode(value, ETHNICITY_CODES, 'an ethnicity main code (e.g. WBRI, MWBC, ABAN, REFU, NOBT)'),
    ),
  );
  for (const field of BOOLEAN_FIELDS) {
    set(field, read(cells, issues, field, parseBoolean));
  }
  set('sen', read(cells, issues, 'sen', parseSen));
  set(
    'enrolment_status',
    read(cells, issues, 'enrolment_status', (value) =>
      parseCode(value, ENROLMENT_STATUSES, 'an enrolment status (C, M, S, G or O)'),
    ),
  );
  set('start_date', read(cells, issues, 'start_date', parseDate));
  set('leave_date', read(cells, issues, 'leave_date', parseDate));

  const prior: NonNullable<PupilRecord['priorAttainment']> = {};
  for (const [field, subject] of [
    ['ks2_reading_score', 'reading'],
    ['ks2_maths_score', 'maths'],
  ] as const) {
    const value = read(cells, issues, field, (cell) => parseKs2Test(cell, KS2_TEST_OUTCOMES));
    if (value !== undefined) {
      prior[`ks2_${subject}_score`] = value?.score ?? null;
      prior[`ks2_${subject}_outcome`] = value?.outcome ?? null;
    }
  }
  for (const field of ['ks2_reading_ta', 'ks2_maths_ta'] as const) {
    const value = read(cells, issues, field, (cell) =>
      parseCode(cell, KS2_TA_CODES, 'a KS2 teacher assessment code (e.g. EXS, GDS, WTS, PK1–PK6, HNM)'),
    );
    if (value !== undefined) {
      prior[field] = value;
    }
  }
  if (Object.keys(prior).length > 0) {
    record.priorAttainment = prior;
  }
  const classes = text(cells, 'class');
  if (classes !== undefined) {
    record.classes = splitList(classes);
  }
  const groups = text(cells, 'groups');
  if (groups !== undefined) {
    record.groups = splitList(groups);
  }
  if (attributes.start_date && attributes.leave_date && attributes.leave_date < attributes.start_date) {
    issues.push({
      severity: 'error',
      row: cells.row,
      column: cells.column('leave_date'),
      field: 'leave_date',
      message: 'leave date is before the start date',
    });
  }
  return issues.some((issue) => issue.severity === 'error') ? { issues } : { record, issues };
}

/** "10A; 10Ma1" → ["10A", "10Ma1"]: several classes or groups in one cell, split on ; or |. */
function splitList(value: string | null): string[] {
  return value === null
    ? []
    : value
        .split(/[;|]/)
        .map((entry) => entry.trim().slice(0, 100))
        .filter((entry) => entry !== '');
}
