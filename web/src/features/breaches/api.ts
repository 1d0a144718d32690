// The breach register as the web app sees it: types from the server's own schemas and the words
// operators and schools read. Countdowns and UK times come from the server, worded once.
import type { Static } from 'typebox';
import type {
  BreachDetails,
  BreachSummary,
  SchoolNotice,
} from '../../../../src/modules/governance/breaches.schema.ts';

export type Summary = Static<typeof BreachSummary>;
export type Details = Static<typeof BreachDetails>;
export type SchoolNoticeView = Static<typeof SchoolNotice>;

export const breachesPath = '/api/v1/platform/breaches';
export const breachPath = (id: string) => `${breachesPath}/${id}`;
export const listKey = ['platform', 'breaches'];
export const breachKey = (id: string) => ['platform', 'breach', id];
export const noticesKey = (schoolId: string) => ['breach-notices', schoolId];

export const NATURE_NAMES: Record<Details['nature'], string> = {
  confidentiality: 'Confidentiality: disclosed to or reached by someone who should not have it',
  integrity: 'Integrity: changed without authority or by mistake',
  availability: 'Availability: lost or out of reach',
};

export const PEOPLE_NAMES: Record<Details['peopleCategories'][number], string> = {
  pupils: 'Pupils',
  former_pupils: 'Former pupils',
  parents_carers: 'Parents and carers',
  staff: 'Staff',
  other: 'Other people',
};

export const DATA_NAMES: Record<Details['dataCategories'][number], string> = {
  identity: 'Names and identifiers',
  contact_details: 'Contact details',
  attainment: 'Attainment and results',
  attendance_behaviour: 'Attendance and behaviour',
  characteristics: 'Characteristics (year group, gender, free school meals)',
  special_educational_needs: 'Special educational needs (special category)',
  health: 'Health (special category)',
  ethnicity: 'Ethnicity (special category)',
  looked_after_care: 'Looked-after and care information',
  safeguarding: 'Safeguarding information',
  staff_accounts: 'Staff accounts',
  other: 'Other data',
};

export const ICO_NAMES: Record<Details['ico']['status'], string> = {
  pending: 'Not decided yet',
  notified: 'The ICO was told',
  not_notified: 'The ICO is not being told',
};

export const SUBJECTS_NAMES: Record<Details['subjects']['status'], string> = {
  pending: 'Not decided yet',
  told: 'The people involved were told',
  not_told: 'The people involved are not being told',
};

export const NOTICE_KIND_NAMES: Record<SchoolNoticeView['kind'], string> = {
  notice: 'Notice',
  update: 'Update',
  closure: 'Closed',
};

/** A clock as words that do not rely on colour: "Overdue: overdue by 3 hours" or "31 hours left". */
export function clockWords(clock: { countdown: string; overdue: boolean }): string {
  return clock.overdue ? `Overdue: ${clock.countdown}` : clock.countdown;
}

/** The value if it is one of the record's keys (form values are plain strings). */
export function keysOf<K extends string>(names: Record<K, string>, values: string[]): K[] {
  const isKey = (key: string): key is K => Object.hasOwn(names, key);
  return values.filter(isKey);
}
