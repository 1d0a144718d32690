// The fields each file template carries, and the column headers MIS exports commonly use for them.

/** pupils: a row per pupil; results: a row per result; marksheet: a row per pupil, a column per subject. */
export type Template = 'pupils' | 'results' | 'marksheet';

export interface FieldDefinition {
  field: string;
  /** Direct identifiers: their values never appear in reports, logs or errors. */
  identifier: boolean;
  /** Headers that mean this field, compared after normalisation (case, spaces, punctuation). */
  headers: string[];
}

const id = (field: string, headers: string[]): FieldDefinition => ({ field, identifier: true, headers });
const attr = (field: string, headers: string[]): FieldDefinition => ({ field, identifier: false, headers });

const IDENTITY = [
  id('upn', ['upn', 'unique pupil number', 'pupil upn']),
  id('forename', ['forename', 'legal forename', 'first name', 'firstname', 'given name', 'legal first name']),
  id('surname', ['surname', 'legal surname', 'last name', 'lastname', 'family name']),
  id('dob', ['dob', 'date of birth', 'birth date', 'birthdate']),
];

export const TEMPLATE_FIELDS: Record<Template, FieldDefinition[]> = {
  pupils: [
    ...IDENTITY,
    id('preferred_forename', ['preferred forename', 'preferred first name', 'known as', 'chosen name']),
    id('preferred_surname', ['preferred surname', 'preferred last name']),
    attr('sex', ['sex', 'gender']),
    attr('year_group', [
      'year group',
      'year',
      'yr',
      'nc year',
      'nc year actual',
      'ncyearactual',
      'curriculum year',
    ]),
    attr('ethnicity', ['ethnicity', 'ethnic code', 'ethnicity code', 'ethnic origin']),
    attr('fsm', ['fsm', 'free school meals', 'fsm eligible', 'fsm eligibility']),
    attr('fsm6', ['fsm6', 'fsm 6', 'ever 6 fsm', 'fsm ever 6', 'ever6']),
    attr('disadvantaged', ['disadvantaged', 'disadvantage', 'disadv']),
    attr('pupil_premium', ['pupil premium', 'pp', 'pupil premium indicator']),
    attr('sen', ['sen', 'sen status', 'sen provision', 'send', 'send status']),
    attr('eal', ['eal', 'english as an additional language', 'english additional language']),
    attr('gifted', ['gifted', 'gifted and talented', 'g and t', 'gt', 'more able']),
    attr('looked_after', ['looked after', 'cla', 'lac', 'in care', 'looked after child']),
    attr('previously_looked_after', ['previously looked after', 'pla', 'plac']),
    attr('service_child', ['service child', 'service children', 'forces child']),
    attr('enrolment_status', ['enrolment status', 'enrol status', 'enrollment status']),
    attr('start_date', ['start date', 'admission date', 'date of admission', 'entry date']),
    attr('leave_date', ['leave date', 'leaving date', 'date of leaving']),
    attr('class', ['class', 'reg group', 'registration group', 'form', 'tutor group', 'teaching group']),
    attr('groups', ['groups', 'custom groups', 'pupil groups']),
    attr('ks2_reading_score', [
      'ks2 reading score',
      'ks2 reading',
      'ks2 reading ss',
      'ks2 read scaled score',
      'ks2 reading scaled score',
    ]),
    attr('ks2_maths_score', [
      'ks2 maths score',
      'ks2 maths',
      'ks2 maths ss',
      'ks2 maths scaled score',
      'ks2 math scaled score',
    ]),
    attr('ks2_reading_ta', ['ks2 reading ta', 'ks2 reading teacher assessment']),
    attr('ks2_maths_ta', ['ks2 maths ta', 'ks2 maths teacher assessment']),
  ],
  marksheet: [
    ...IDENTITY,
    attr('assessment_point', ['assessment point', 'assessment', 'data drop', 'collection']),
    attr('class', ['class', 'reg group', 'registration group', 'form', 'tutor group', 'teaching group']),
  ],
  results: [
    ...IDENTITY,
    attr('subject', ['subject', 'subject name', 'course']),
    attr('assessment_point', ['assessment point', 'assessment', 'data drop', 'collection', 'point']),
    attr('facet', ['facet', 'type', 'result type', 'grade type']),
    attr('grade', ['grade', 'result', 'mark grade']),
    attr('class', ['class', 'teaching group', 'group', 'set']),
  ],
};

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function fieldDefinition(template: Template, field: string): FieldDefinition | undefined {
  return TEMPLATE_FIELDS[template].find((definition) => definition.field === field);
}

/**
 * Which field each header of a file maps to: the school's explicit mapping first (a header mapped to
 * null is dropped on purpose), then the known headers. Headers that map to nothing are dropped.
 */
export function mapColumns(
  template: Template,
  headers: string[],
  explicit: Readonly<Record<string, string | null>> = {},
): { mapped: Map<string, string>; dropped: string[]; problems: string[] } {
  const byHeader = new Map<string, string>();
  for (const definition of TEMPLATE_FIELDS[template]) {
    for (const header of [definition.field, ...definition.headers]) {
      byHeader.set(normaliseHeader(header), definition.field);
    }
  }
  const mapped = new Map<string, string>();
  const dropped: string[] = [];
  const problems: string[] = [];
  const used = new Map<string, string>();
  for (const header of headers) {
    const chosen = Object.hasOwn(explicit, header) ? explicit[header] : byHeader.get(normaliseHeader(header));
    if (chosen === undefined || chosen === null) {
      dropped.push(header);
      continue;
    }
    if (fieldDefinition(template, chosen) === undefined) {
      problems.push(`the mapping sends column "${header}" to "${chosen}", which is not a ${template} field`);
      continue;
    }
    const earlier = used.get(chosen);
    if (earlier !== undefined) {
      problems.push(`columns "${earlier}" and "${header}" both map to ${chosen}; map one of them to nothing`);
      continue;
    }
    used.set(chosen, header);
    mapped.set(header, chosen);
  }
  return { mapped, dropped, problems };
}

/**
 * The template a header row looks like: results when it names a subject and a grade; a marksheet when
 * two or more of its columns are subject names; otherwise pupils.
 */
export function guessTemplate(headers: string[], isSubject: (header: string) => boolean): Template {
  const fields = mapColumns('results', headers).mapped;
  const values = new Set(fields.values());
  if (values.has('subject') && values.has('grade')) {
    return 'results';
  }
  return headers.filter((header) => isSubject(splitSubjectHeader(header).subject)).length >= 2
    ? 'marksheet'
    : 'pupils';
}

const FACET_SUFFIX =
  /^(.*?)[\s\-–:([]*\b(achieved|actual|result|working at|target|tgt|prediction|predicted|forecast|baseline)[)\]]?\s*$/i;

/** "Maths (Target)" → { subject: "Maths", facet: "target" }; a bare subject name is achieved. */
export function splitSubjectHeader(header: string): { subject: string; facetWord: string | undefined } {
  const match = FACET_SUFFIX.exec(header.trim());
  return match?.[1] !== undefined && match[1].trim() !== ''
    ? { subject: match[1].trim(), facetWord: match[2] }
    : { subject: header.trim(), facetWord: undefined };
}
