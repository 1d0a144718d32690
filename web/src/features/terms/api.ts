import type { Static } from 'typebox';
import type {
  PlatformTermsResponse,
  SchoolTermsResponse,
} from '../../../../src/modules/governance/terms.schema.ts';

export type SchoolTerms = Static<typeof SchoolTermsResponse>;
export type TermsVersion = SchoolTerms[number];
export type PlatformTerms = Static<typeof PlatformTermsResponse>;

export const termsKey = (schoolId: string) => ['terms', schoolId];

export const STANDING_WORDS: Record<TermsVersion['standing'], string> = {
  in_force: 'In force',
  upcoming: 'Takes effect later',
  superseded: 'Replaced',
};

/** Upcoming versions the school has not answered: what its administrators must decide. */
export function undecided(terms: SchoolTerms): SchoolTerms {
  return terms.filter((version) => version.standing === 'upcoming' && version.response === null);
}
