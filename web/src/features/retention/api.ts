// Retention as the web app sees it: types from the server's own schemas, where things live, and the
// words staff read. Pupils are addressed by pseudonymous id; their records show their names.
import type { Static } from 'typebox';
import type {
  CertificateResponse,
  HoldsResponse,
  Leaving,
  OverviewResponse,
  RulesResponse,
  RunResponse,
} from '../../../../src/modules/retention/retention.schema.ts';

export type Overview = Static<typeof OverviewResponse>;
export type Rule = Static<typeof RulesResponse>[number];
export type Hold = Static<typeof HoldsResponse>[number];
export type LeavingState = Static<typeof Leaving>;
export type RetentionCertificate = Static<typeof CertificateResponse>;
export type RunReport = Static<typeof RunResponse>;

export const retentionPath = (schoolId: string) => `/api/v1/schools/${schoolId}/retention`;
export const overviewKey = (schoolId: string) => ['retention', schoolId];
export const holdsKey = (schoolId: string) => ['retention-holds', schoolId];

export const RULE_NAMES: Record<Rule['id'], string> = {
  pupil_age: 'Pupils reaching the age limit',
  leaver_years: 'Pupils some years after leaving',
  school_inactivity: 'A school that stops using Haven',
  school_offboarding: 'A school that leaves Haven',
};

/** The reason a pupil is due, in words. */
export const DUE_BECAUSE: Record<Rule['id'], string> = {
  pupil_age: 'reaches the age limit',
  leaver_years: 'left long enough ago',
  school_inactivity: 'the school stopped using Haven',
  school_offboarding: 'the school is leaving',
};

export const UNIT_NAMES: Record<Rule['unit'], string> = {
  years_of_age: 'years of age',
  years: 'years after leaving',
  months: 'months',
  working_days: 'working days',
};
