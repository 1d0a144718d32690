// Words for what the API names in codes: fields, counts, file formats, statuses and who ran an import.
import type { ImportStatus, Layout } from './imports-api.ts';

const FIELD_LABELS: Record<string, string> = {
  upn: 'UPN',
  forename: 'Forename',
  surname: 'Surname',
  dob: 'Date of birth',
  preferred_forename: 'Preferred forename',
  preferred_surname: 'Preferred surname',
  address: 'Address',
  contacts: 'Contacts',
  sex: 'Sex',
  year_group: 'Year group',
  ethnicity: 'Ethnicity',
  fsm: 'Free school meals (FSM)',
  fsm6: 'FSM in the last 6 years (FSM6)',
  disadvantaged: 'Disadvantaged',
  pupil_premium: 'Pupil premium',
  sen: 'Special educational needs (SEN)',
  eal: 'English as an additional language (EAL)',
  gifted: 'Gifted and talented',
  looked_after: 'Looked after',
  previously_looked_after: 'Previously looked after',
  service_child: 'Service child',
  enrolment_status: 'Enrolment status',
  start_date: 'Start date',
  leave_date: 'Leave date',
  class: 'Class',
  groups: 'Groups',
  ks2_reading_score: 'KS2 reading score',
  ks2_reading_outcome: 'KS2 reading outcome',
  ks2_maths_score: 'KS2 maths score',
  ks2_maths_outcome: 'KS2 maths outcome',
  ks2_reading_ta: 'KS2 reading teacher assessment',
  ks2_maths_ta: 'KS2 maths teacher assessment',
  subject: 'Subject',
  assessment_point: 'Assessment point',
  facet: 'Facet (achieved, target, prediction or baseline)',
  grade: 'Grade',
};

/** A Haven field as staff would name it. */
export function fieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known !== undefined) {
    return known;
  }
  const words = field.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Records read from a file. */
const READ_LABELS: Record<string, [string, string]> = {
  pupils: ['pupil', 'pupils'],
  results: ['result', 'results'],
  prior_attainment: ['pupil with KS2 results', 'pupils with KS2 results'],
  class_memberships: ['class membership', 'class memberships'],
};

/** What a commit changed. */
export const CHANGE_LABELS: Record<string, string> = {
  pupils_created: 'New pupils added',
  pupils_updated: 'Pupils updated',
  pupils_unchanged: 'Pupils already up to date',
  prior_attainment_written: 'KS2 prior attainment records written',
  class_memberships_added: 'Class memberships added',
  results_written: 'Results written',
  results_unchanged: 'Results already up to date',
};

export const count = (value: number) => value.toLocaleString('en-GB');

/** "180 pupils, 90 pupils with KS2 results" from the counts of records read. */
export function readCountsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts).flatMap(([name, value]) => {
    if (Object.hasOwn(CHANGE_LABELS, name)) {
      return [];
    }
    const [one, many] = READ_LABELS[name] ?? [name.replaceAll('_', ' '), name.replaceAll('_', ' ')];
    return [`${count(value)} ${value === 1 ? one : many}`];
  });
  return parts.length === 0 ? 'No records read' : parts.join(', ');
}

/** The counts of what a commit changed, labelled, in a fixed order. */
export function changes(
  counts: Record<string, number>,
): Array<{ name: string; label: string; value: number }> {
  return Object.entries(CHANGE_LABELS).flatMap(([name, label]) => {
    const value = counts[name];
    return value === undefined ? [] : [{ name, label, value }];
  });
}

const LAYOUT_LABELS: Record<Layout, string> = {
  pupils: 'Pupils',
  results: 'Results',
  marksheet: 'Marksheet',
};

export const LAYOUT_DESCRIPTIONS: Record<Layout, string> = {
  pupils: 'Pupils: one row per pupil (names, characteristics, classes, KS2)',
  results: 'Results: one row per pupil, subject, assessment point and grade',
  marksheet: 'Marksheet: one row per pupil and a column per subject',
};

const FILE_LABELS: Record<string, string> = {
  csv: 'CSV',
  xlsx: 'Excel (XLSX)',
  ctf: 'CTF (XML)',
  oneroster: 'OneRoster (zip)',
};

/** "pupils-csv" → "Pupils (CSV)"; "unknown" when Haven could not read the file. */
export function formatLabel(format: string): string {
  const [layout, type] = format.split('-');
  if (type === undefined) {
    return 'File not read';
  }
  const layoutText =
    layout === 'pupils' || layout === 'results' || layout === 'marksheet' ? LAYOUT_LABELS[layout] : layout;
  return `${layoutText ?? ''} (${FILE_LABELS[type] ?? type.toUpperCase()})`;
}

export function layoutLabel(layout: Layout): string {
  return LAYOUT_LABELS[layout];
}

const STATUS: Record<ImportStatus, { text: string; tone: string; meaning: string }> = {
  validated: {
    text: 'Checked – ready to import',
    tone: 'tag--amber',
    meaning: 'The file passed every check. Nothing is written until you import it.',
  },
  refused: {
    text: 'Has errors',
    tone: 'tag--red',
    meaning: 'The file has errors, so nothing was written.',
  },
  committing: { text: 'Importing', tone: '', meaning: 'Haven is writing the data now.' },
  committed: { text: 'Imported', tone: 'tag--green', meaning: 'The data was written.' },
  failed: {
    text: 'Stopped – not imported',
    tone: 'tag--red',
    meaning: 'Writing stopped before the end, so nothing was written. You can import it again.',
  },
  discarded: {
    text: 'Discarded',
    tone: 'tag--grey',
    meaning: 'The upload was discarded without importing anything.',
  },
};

/** The status as a coloured tag with its words (the colour never carries it alone). */
export function StatusTag({ status }: { status: ImportStatus }) {
  const { text, tone } = STATUS[status];
  return <strong className={`tag ${tone}`.trim()}>{text}</strong>;
}

export function statusMeaning(status: ImportStatus): string {
  return STATUS[status].meaning;
}

const STARTED_BY: Record<string, string> = {
  cli: 'Command line (./haven import)',
  app: 'An app',
  support: 'Haven support',
};

/** Who started an import, without naming anyone the viewer cannot already see. */
export function startedBy(createdBy: string, myUserId: string): string {
  const [type, id] = createdBy.split(':');
  if (type === 'user') {
    return id === myUserId ? 'You' : 'Another member of staff';
  }
  if (type === 'system' && id === 'demo') {
    return 'Haven (demo data)';
  }
  return STARTED_BY[type ?? ''] ?? 'Haven';
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} bytes`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
