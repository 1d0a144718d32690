// The categories of personal data Haven's data model can hold for a school, each tied to the columns
// that hold it. The record of processing lists a category for a school only when one of its columns
// holds a value there, so the record follows what the school actually imports (UK GDPR Art. 30(2)(b)).

export type Sensitivity = 'personal' | 'sensitive' | 'special_category';

/** Tables of a school's data the record looks into; each is read with one counting query. */
export const CATEGORY_TABLES = [
  'pupils',
  'prior_attainment',
  'results',
  'class_members',
  'pupil_group_members',
  'pupil_changes',
  'privacy_requests',
  'legal_holds',
] as const;
export type CategoryTable = (typeof CATEGORY_TABLES)[number];

export interface DataCategory {
  id: string;
  name: string;
  description: string;
  sensitivity: Sensitivity;
  /** Stored as ciphertext (AES-256-GCM under the pupil's or the record's own key). */
  encrypted: boolean;
  table: CategoryTable;
  /** Columns that hold it; `*` means any row of the table. */
  columns: readonly string[];
}

const pupil = (
  id: string,
  name: string,
  description: string,
  sensitivity: Sensitivity,
  columns: string[],
  encrypted = false,
): DataCategory => ({ id, name, description, sensitivity, encrypted, table: 'pupils', columns });

export const DATA_CATEGORIES: readonly DataCategory[] = [
  pupil(
    'names',
    'Names',
    'Legal and preferred forenames and surnames',
    'personal',
    ['forename', 'surname', 'preferred_forename', 'preferred_surname'],
    true,
  ),
  pupil('upn', 'Unique pupil number', 'The DfE’s lifelong pupil identifier', 'sensitive', ['upn'], true),
  pupil('dob', 'Date of birth', 'Exact date of birth', 'sensitive', ['dob'], true),
  pupil('address', 'Address', 'Home address', 'personal', ['address'], true),
  pupil(
    'contacts',
    'Parents’ and carers’ contacts',
    'Names and contact details of contacts',
    'personal',
    ['contacts'],
    true,
  ),
  pupil('year_group', 'Year group and month of birth', 'Coarse attributes used for analysis', 'personal', [
    'year_group',
    'birth_month',
  ]),
  pupil('sex', 'Sex', 'As recorded in the school census', 'personal', ['sex']),
  pupil('ethnicity', 'Ethnicity', 'Census ethnicity code (racial or ethnic origin)', 'special_category', [
    'ethnicity',
  ]),
  pupil('fsm', 'Free school meals', 'Eligibility now and in the last six years', 'sensitive', [
    'fsm',
    'fsm6',
  ]),
  pupil(
    'disadvantaged',
    'Disadvantage and pupil premium',
    'Disadvantaged and pupil premium flags',
    'sensitive',
    ['disadvantaged', 'pupil_premium'],
  ),
  pupil(
    'sen',
    'Special educational needs (SEN)',
    'SEN provision: none, SEN support or EHC plan (may reveal health)',
    'special_category',
    ['sen'],
  ),
  pupil('eal', 'English as an additional language', 'EAL flag', 'personal', ['eal']),
  pupil('gifted', 'Gifted and talented', 'More-able flag', 'personal', ['gifted']),
  pupil('care', 'Care status', 'Looked after or previously looked after', 'sensitive', [
    'looked_after',
    'previously_looked_after',
  ]),
  pupil('service_child', 'Service child', 'A parent in the armed forces', 'personal', ['service_child']),
  pupil('enrolment', 'Enrolment', 'Enrolment status, start and leaving dates', 'personal', [
    'enrolment_status',
    'start_date',
    'leave_date',
  ]),
  {
    id: 'ks2',
    name: 'KS2 results',
    description: 'Key stage 2 test scores, outcomes and teacher assessments (prior attainment)',
    sensitivity: 'personal',
    encrypted: false,
    table: 'prior_attainment',
    columns: ['ks2_reading_score', 'ks2_maths_score', 'ks2_reading_ta', 'ks2_maths_ta'],
  },
  {
    id: 'results',
    name: 'Results by subject',
    description: 'Grades achieved, targets, predictions and baselines per subject and assessment point',
    sensitivity: 'personal',
    encrypted: false,
    table: 'results',
    columns: ['*'],
  },
  {
    id: 'classes',
    name: 'Classes',
    description: 'Which classes and teaching groups each pupil is in',
    sensitivity: 'personal',
    encrypted: false,
    table: 'class_members',
    columns: ['*'],
  },
  {
    id: 'groups',
    name: 'Pupil groups',
    description: 'Custom groups the school puts pupils in',
    sensitivity: 'personal',
    encrypted: false,
    table: 'pupil_group_members',
    columns: ['*'],
  },
  {
    id: 'history',
    name: 'Change history',
    description: 'What changed in a pupil’s record, when and through which import',
    sensitivity: 'personal',
    encrypted: false,
    table: 'pupil_changes',
    columns: ['*'],
  },
  {
    id: 'requests',
    name: 'Data subject requests',
    description: 'Requesters’ names and contacts and what they asked (encrypted)',
    sensitivity: 'personal',
    encrypted: true,
    table: 'privacy_requests',
    columns: ['*'],
  },
  {
    id: 'holds',
    name: 'Legal holds',
    description: 'Reasons a pupil’s or the school’s data is kept past its retention date (encrypted)',
    sensitivity: 'personal',
    encrypted: true,
    table: 'legal_holds',
    columns: ['*'],
  },
];

/** The columns to count in each table, derived from the categories. */
export function columnsByTable(): Map<CategoryTable, string[]> {
  const byTable = new Map<CategoryTable, string[]>();
  for (const category of DATA_CATEGORIES) {
    const list = byTable.get(category.table) ?? [];
    list.push(...category.columns.filter((column) => column !== '*' && !list.includes(column)));
    byTable.set(category.table, list);
  }
  return byTable;
}

/** Records holding a category: rows with a value in any of its columns (the largest column count). */
export function recordsHolding(
  category: DataCategory,
  counts: Map<CategoryTable, Record<string, number>>,
): number {
  const table = counts.get(category.table) ?? {};
  return Math.max(0, ...category.columns.map((column) => table[column === '*' ? 'rows' : column] ?? 0));
}

/** Encrypted columns of a school's data, for the evidence report's encryption coverage. */
export const ENCRYPTED_FIELDS: ReadonlyArray<{
  table: CategoryTable | 'import_uploads';
  column: string;
  what: string;
}> = [
  ...[
    'upn',
    'forename',
    'surname',
    'preferred_forename',
    'preferred_surname',
    'dob',
    'address',
    'contacts',
  ].map((column) => ({
    table: 'pupils' as const,
    column,
    what: 'Pupil identity, under the pupil’s own key',
  })),
  {
    table: 'privacy_requests',
    column: 'requester',
    what: 'Requester’s name and contact, under the request’s key',
  },
  { table: 'privacy_requests', column: 'description', what: 'What the requester asked' },
  { table: 'legal_holds', column: 'reason', what: 'Why data is held' },
  { table: 'import_uploads', column: 'content', what: 'Uploaded files awaiting commit' },
];
