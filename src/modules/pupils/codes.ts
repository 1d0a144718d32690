// UK pupil data code sets (shared/reference/README.md § 2).

export const SEXES = ['M', 'F'] as const;

/** Ethnicity main codes with the group each belongs to (for subgroup reports). */
export const ETHNICITY_GROUPS: Readonly<Record<string, string>> = {
  WBRI: 'White',
  WIRI: 'White',
  WOTH: 'White',
  WIRT: 'White',
  WROM: 'White',
  MWBC: 'Mixed',
  MWBA: 'Mixed',
  MWAS: 'Mixed',
  MOTH: 'Mixed',
  AIND: 'Asian',
  APKN: 'Asian',
  ABAN: 'Asian',
  AOTH: 'Asian',
  BCRB: 'Black',
  BAFR: 'Black',
  BOTH: 'Black',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Not obtained',
};

/** What each ethnicity main code means (DfE Common Basic Data Set descriptions). */
export const ETHNICITY_LABELS: Readonly<Record<string, string>> = {
  WBRI: 'White – British',
  WIRI: 'White – Irish',
  WOTH: 'Any other White background',
  WIRT: 'Traveller of Irish heritage',
  WROM: 'Gypsy / Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black – African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
};

/** SEN provision: none, SEN support, EHC plan. Legacy "S" (statement) is read as E. */
export const SEN_PROVISION = ['N', 'K', 'E'] as const;

export const SEN_LABELS: Readonly<Record<(typeof SEN_PROVISION)[number], string>> = {
  N: 'No special educational need',
  K: 'SEN support',
  E: 'Education, health and care plan',
};

/** KS2 teacher assessment outcomes. */
export const KS2_TA_CODES = [
  'GDS',
  'EXS',
  'WTS',
  'PK1',
  'PK2',
  'PK3',
  'PK4',
  'PK5',
  'PK6',
  'HNM',
  'BLW',
  'PKF',
  'PKE',
  'PKG',
  'A',
  'L',
  'F',
  'P',
] as const;

/** KS2 test outcomes recorded instead of a scaled score (N: sat the test, no scaled score). */
// N is the DfE rule (counts as 79); the other letters are the usual STA result codes (unconfirmed: extend here).
export const KS2_TEST_OUTCOMES = ['N', 'A', 'B', 'M', 'T', 'J', 'L', 'Q', 'P', 'X'] as const;

/** CTF enrolment status: current single, main dual, subsidiary dual, guest, other. */
export const ENROLMENT_STATUSES = ['C', 'M', 'S', 'G', 'O'] as const;

export const ENROLMENT_STATUS_LABELS: Readonly<Record<string, string>> = {
  C: 'Current (single registration)',
  M: 'Current main (dual registration)',
  S: 'Current subsidiary (dual registration)',
  G: 'Guest',
  O: 'Other',
};

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
