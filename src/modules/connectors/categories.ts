import type { OmittableField } from '../imports/minimise.ts';

// What a connector may bring from the MIS, in categories a data manager can judge (data minimisation:
// UK GDPR Art. 5(1)(c)). Pupils' identity is always needed; everything else is chosen, and what is not
// chosen is dropped from every export before it is checked or stored.

export const CATEGORIES = [
  {
    id: 'identity',
    title: 'Pupils: names, UPN, date of birth, year group, enrolment dates',
    why: 'Always synced: Haven recognises pupils by UPN (or name and date of birth), and leavers by their absence.',
    required: true,
    default: true,
    fields: [],
  },
  {
    id: 'characteristics',
    title: 'Characteristics: sex, ethnicity, free school meals, disadvantage, EAL',
    why: 'Needed for the subgroup gaps in the analysis. Ethnicity is special category data.',
    required: false,
    default: true,
    fields: [
      'sex',
      'ethnicity',
      'fsm',
      'fsm6',
      'disadvantaged',
      'pupil_premium',
      'eal',
      'gifted',
      'service_child',
    ],
  },
  {
    id: 'sen_and_care',
    title: 'Special educational needs and care status',
    why: 'Needed for SEN and looked-after gaps and personal education plans. Special category and highly sensitive data: leave it out if you do not use those.',
    required: false,
    default: false,
    fields: ['sen', 'looked_after', 'previously_looked_after'],
  },
  {
    id: 'prior_attainment',
    title: 'Key stage 2 results',
    why: 'Needed for Progress 8 and targets.',
    required: false,
    default: true,
    fields: ['prior_attainment'],
  },
  {
    id: 'classes',
    title: 'Classes, registration groups and custom groups',
    why: 'Needed for teachers to see their own classes, and for class lists in apps.',
    required: false,
    default: true,
    fields: ['classes', 'groups'],
  },
  {
    id: 'addresses',
    title: 'Home addresses',
    why: 'No Haven feature needs them. Only choose this if an app you approved needs addresses.',
    required: false,
    default: false,
    fields: ['address'],
  },
  {
    id: 'contacts',
    title: "Parents' and carers' contacts",
    why: 'No Haven feature needs them. Only choose this if an app you approved has the contacts scope.',
    required: false,
    default: false,
    fields: ['contacts'],
  },
] as const satisfies ReadonlyArray<{
  id: string;
  title: string;
  why: string;
  required: boolean;
  default: boolean;
  fields: readonly OmittableField[];
}>;

export type CategoryId = (typeof CATEGORIES)[number]['id'];
export const CATEGORY_IDS = CATEGORIES.map((category) => category.id);
export const DEFAULT_CATEGORIES: CategoryId[] = CATEGORIES.filter((category) => category.default).map(
  (category) => category.id,
);

export function isCategory(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

/** The chosen categories, with the required ones always in. */
export function withRequired(chosen: readonly string[]): CategoryId[] {
  return CATEGORIES.filter((category) => category.required || chosen.includes(category.id)).map(
    (category) => category.id,
  );
}

/** The fields an import must drop for these categories. */
export function omittedFields(chosen: readonly string[]): Set<OmittableField> {
  return new Set(
    CATEGORIES.filter((category) => !category.required && !chosen.includes(category.id)).flatMap(
      (category): readonly OmittableField[] => category.fields,
    ),
  );
}
