import { ETHNICITY_GROUPS, KS2_TA_CODES, KS2_TEST_OUTCOMES } from '../pupils/codes.ts';
import type { PupilRecord } from '../pupils/pupil-record.ts';
import { upnProblem } from '../pupils/upn.ts';
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
import { child, children, childText, type CtfPupil, type XmlElement } from './readers/ctf.reader.ts';
import type { ImportIssue } from './report.ts';

/** Which KS2 stage assessment rows become which prior attainment field. Extendable per import. */
export interface Ks2Mapping {
  subject: string;
  method: string;
  /** When given, the row's Component must match too. */
  component?: string | undefined;
  field: 'ks2_reading_score' | 'ks2_maths_score' | 'ks2_reading_ta' | 'ks2_maths_ta';
}

// The codes vary by year (shared/reference/README.md § 3, unconfirmed): these are the common ones, and a
// school can add its own; every combination that maps to nothing is reported, never silently dropped.
export const DEFAULT_KS2_MAPPING: readonly Ks2Mapping[] = [
  { subject: 'REA', method: 'TT', field: 'ks2_reading_score' },
  { subject: 'ENG', method: 'TT', component: 'REA', field: 'ks2_reading_score' },
  { subject: 'ENG', method: 'TT', component: 'RD', field: 'ks2_reading_score' },
  { subject: 'MAT', method: 'TT', field: 'ks2_maths_score' },
  { subject: 'REA', method: 'TA', field: 'ks2_reading_ta' },
  { subject: 'ENG', method: 'TA', component: 'REA', field: 'ks2_reading_ta' },
  { subject: 'MAT', method: 'TA', field: 'ks2_maths_ta' },
];

// Elements of a pupil Haven reads; anything else is counted in the report as ignored.
const KNOWN = new Set([
  'UPN',
  'UniqueLearnerNumber',
  'Surname',
  'Forename',
  'DOB',
  'Sex',
  'Gender',
  'BasicDetails',
  'LookedAfter',
  'FSMhistory',
  'SENhistory',
  'Address',
  'Phones',
  'Email',
  'Contacts',
  'StageAssessments',
]);
const ETHNICITY_CODES = Object.keys(ETHNICITY_GROUPS);

export interface CtfContext {
  /** The file's date (Header/DateTime), for deciding current FSM and FSM in the last six years. */
  asOf: string;
  ks2Mapping: readonly Ks2Mapping[];
  pseudonymousUpn: boolean;
  noNames: boolean;
}

export interface CtfPupilOutcome {
  record?: PupilRecord;
  issues: ImportIssue[];
  /** Unread elements and unmapped KS2 rows, e.g. "Attendance", "KS2 SCI/TA". */
  unmapped: string[];
}

export function readCtfPupil(pupil: CtfPupil, context: CtfContext): CtfPupilOutcome {
  const base = `/CTfile/CTFpupilData/Pupil[${pupil.index}]`;
  const issues: ImportIssue[] = [];
  const unmapped: string[] = [];
  const element = pupil.element;
  const problem = (path: string, field: string, message: string, value?: string) =>
    issues.push({
      severity: 'error',
      row: pupil.index,
      path: `${base}/${path}`,
      field,
      message,
      ...(value === undefined ? {} : { value: value.slice(0, 40) }),
    });
  function read<T>(
    parent: XmlElement | undefined,
    name: string,
    path: string,
    field: string,
    parse: (text: string) => Parsed<T>,
    identifier = false,
  ): T | undefined {
    const text = childText(parent, name);
    if (text === undefined) {
      return undefined;
    }
    const parsed = parse(text);
    if (!parsed.ok) {
      problem(path, field, `${field.replaceAll('_', ' ')} ${parsed.problem}`, identifier ? undefined : text);
      return undefined;
    }
    return parsed.value;
  }
  for (const entry of element.children) {
    if (!KNOWN.has(entry.name)) {
      unmapped.push(entry.name);
    }
  }
  const record: PupilRecord = { row: pupil.index, key: {}, identity: {}, attributes: {} };
  const upnText = childText(element, 'UPN')?.toUpperCase();
  if (upnText !== undefined) {
    const upnIssue = context.pseudonymousUpn ? undefined : upnProblem(upnText);
    if (upnIssue === undefined) {
      record.identity.upn = upnText;
      record.key = { upn: upnText };
    } else {
      problem('UPN', 'upn', upnIssue.replace(/^UPN /, 'upn '));
    }
  }
  const dob = read(element, 'DOB', 'DOB', 'dob', parseDate, true);
  if (dob !== undefined) {
    record.identity.dob = dob;
  }
  if (!context.noNames) {
    const forename = childText(element, 'Forename');
    const surname = childText(element, 'Surname');
    const basic = child(element, 'BasicDetails');
    if (forename !== undefined) {
      record.identity.forename = forename.slice(0, 100);
    }
    if (surname !== undefined) {
      record.identity.surname = surname.slice(0, 100);
    }
    const preferredSurname = childText(basic, 'PreferredSurname');
    if (preferredSurname !== undefined) {
      record.identity.preferred_surname = preferredSurname.slice(0, 100);
    }
    const preferredForename = childText(basic, 'PreferredForename');
    if (preferredForename !== undefined) {
      record.identity.preferred_forename = preferredForename.slice(0, 100);
    }
    if (
      record.key.upn === undefined &&
      forename !== undefined &&
      surname !== undefined &&
      upnText === undefined
    ) {
      record.key = { forename, surname, ...(dob === undefined ? {} : { dob }) };
    }
  }
  if (record.key.upn === undefined && record.key.surname === undefined && upnText === undefined) {
    problem('UPN', 'upn', 'has no UPN and no forename and surname: every pupil needs one of them');
  }
  const sex = child(element, 'Sex') === undefined ? 'Gender' : 'Sex';
  const sexValue = read(element, sex, sex, 'sex', parseSex);
  if (sexValue !== undefined) {
    record.attributes.sex = sexValue;
  }
  const basic = child(element, 'BasicDetails');
  const year = read(basic, 'NCyearActual', 'BasicDetails/NCyearActual', 'year_group', parseYearGroup);
  if (year !== undefined) {
    record.attributes.year_group = year;
  }
  const ethnicity = read(basic, 'Ethnicity', 'BasicDetails/Ethnicity', 'ethnicity', (text) =>
    parseCode(text, ETHNICITY_CODES, 'an ethnicity main code (e.g. WBRI, MWBC, ABAN, REFU, NOBT)'),
  );
  if (ethnicity !== undefined) {
    record.attributes.ethnicity = ethnicity;
  }
  const enrolment = childText(basic, 'EnrolStatus');
  if (enrolment !== undefined && ['C', 'M', 'S', 'G', 'O'].includes(enrolment.toUpperCase())) {
    record.attributes.enrolment_status = enrolment.toUpperCase();
  }
  const inCare = read(
    child(element, 'LookedAfter'),
    'InCare',
    'LookedAfter/InCare',
    'looked_after',
    parseBoolean,
  );
  if (inCare !== undefined) {
    record.attributes.looked_after = inCare;
  }
  readFsm(element, context, record);
  readSen(element, record, problem);
  readAddressAndContacts(element, record);
  readKs2(element, context, record, problem, unmapped);
  return issues.length > 0 ? { issues, unmapped } : { record, issues, unmapped };
}

function readFsm(element: XmlElement, context: CtfContext, record: PupilRecord): void {
  const history = child(element, 'FSMhistory');
  if (history === undefined) {
    return;
  }
  const sixYearsAgo = `${Number(context.asOf.slice(0, 4)) - 6}${context.asOf.slice(4)}`;
  const spans = children(history, 'FSMinstance').map((instance) => ({
    start: parseIso(childText(instance, 'FSMstartDate')),
    end: parseIso(childText(instance, 'FSMendDate')),
  }));
  record.attributes.fsm = spans.some(
    (span) =>
      span.start !== undefined &&
      span.start <= context.asOf &&
      (span.end === undefined || span.end >= context.asOf),
  );
  record.attributes.fsm6 = spans.some(
    (span) => span.start !== undefined && (span.end === undefined || span.end >= sixYearsAgo),
  );
}

function parseIso(text: string | undefined): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  const parsed = parseDate(text);
  return parsed.ok ? parsed.value : undefined;
}

function readSen(
  element: XmlElement,
  record: PupilRecord,
  problem: (path: string, field: string, message: string, value?: string) => void,
): void {
  const history = children(child(element, 'SENhistory'), 'SEN');
  if (history.length === 0) {
    return;
  }
  // The latest entry is the pupil's current provision.
  const latest = history.reduce((newest, entry) =>
    (childText(entry, 'StartDate') ?? '') >= (childText(newest, 'StartDate') ?? '') ? entry : newest,
  );
  const text = childText(latest, 'SENprovision');
  if (text === undefined) {
    return;
  }
  const parsed = parseSen(text);
  if (parsed.ok) {
    record.attributes.sen = parsed.value;
  } else {
    problem('SENhistory/SEN/SENprovision', 'sen', `sen ${parsed.problem}`, text);
  }
}

function readAddressAndContacts(element: XmlElement, record: PupilRecord): void {
  const address = child(element, 'Address');
  if (address !== undefined) {
    const lines = [
      ...children(child(address, 'AddressLines'), 'AddressLine').map((line) => line.text.trim()),
      ...['SAON', 'PAON', 'Street', 'Locality', 'Town', 'AdministrativeArea', 'County'].map(
        (name) => childText(child(address, 'BS7666Address'), name) ?? childText(address, name) ?? '',
      ),
      childText(address, 'PostCode') ?? '',
    ].filter((line) => line !== '');
    if (lines.length > 0) {
      record.identity.address = lines.join('\n').slice(0, 1000);
    }
  }
  const contacts = children(child(element, 'Contacts'), 'Contact').map((contact) => ({
    forename: childText(contact, 'Forename'),
    surname: childText(contact, 'Surname'),
    relationship: childText(contact, 'Relationship'),
    responsibility: childText(contact, 'Responsibility'),
    phones: children(child(contact, 'Phones'), 'Phone')
      .map((phone) => childText(phone, 'PhoneNo'))
      .filter((value) => value !== undefined),
    email: childText(contact, 'Email'),
  }));
  if (contacts.length > 0) {
    record.identity.contacts = JSON.stringify(contacts).slice(0, 10_000);
  }
}

function readKs2(
  element: XmlElement,
  context: CtfContext,
  record: PupilRecord,
  problem: (path: string, field: string, message: string, value?: string) => void,
  unmapped: string[],
): void {
  const stages = children(child(element, 'StageAssessments'), 'KeyStage').filter(
    (stage) => childText(stage, 'Stage')?.toUpperCase() === 'KS2',
  );
  const prior: NonNullable<PupilRecord['priorAttainment']> = {};
  for (const assessment of stages.flatMap((stage) => children(stage, 'StageAssessment'))) {
    const subject = childText(assessment, 'Subject')?.toUpperCase() ?? '';
    const method = childText(assessment, 'Method')?.toUpperCase() ?? '';
    const component = childText(assessment, 'Component')?.toUpperCase();
    const result = childText(assessment, 'Result') ?? '';
    const mapping = context.ks2Mapping.find(
      (entry) =>
        entry.subject === subject &&
        entry.method === method &&
        (entry.component === undefined || entry.component === component),
    );
    if (mapping === undefined) {
      unmapped.push(`KS2 ${subject}/${method}${component === undefined ? '' : `/${component}`}`);
      continue;
    }
    const path = 'StageAssessments/KeyStage/StageAssessment/Result';
    if (mapping.field === 'ks2_reading_score' || mapping.field === 'ks2_maths_score') {
      const parsed = parseKs2Test(result, KS2_TEST_OUTCOMES);
      const subjectName = mapping.field === 'ks2_reading_score' ? 'reading' : 'maths';
      if (parsed.ok) {
        prior[`ks2_${subjectName}_score`] = parsed.value.score;
        prior[`ks2_${subjectName}_outcome`] = parsed.value.outcome;
      } else {
        problem(path, mapping.field, `${mapping.field.replaceAll('_', ' ')} ${parsed.problem}`, result);
      }
      continue;
    }
    const parsed = parseCode(result, KS2_TA_CODES, 'a KS2 teacher assessment code (e.g. EXS, GDS, WTS)');
    if (parsed.ok) {
      prior[mapping.field] = parsed.value;
    } else {
      problem(path, mapping.field, `${mapping.field.replaceAll('_', ' ')} ${parsed.problem}`, result);
    }
  }
  if (Object.keys(prior).length > 0) {
    record.priorAttainment = prior;
  }
}
