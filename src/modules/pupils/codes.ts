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

/** SEN provision: none, SEN support, EHC plan. Legacy "S" (statement) is read as E. */
export const SEN_PROVISION = ['N', 'K', 'E'] as const;

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

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
