// Data protection records as the web app sees them: types from the server's own schemas, where they
// live, and the words for sensitivity (said in words as well as shown as a tag, never by colour alone).
import type { Static } from 'typebox';
import type {
  PlatformEvidenceResponse,
  SchoolEvidenceResponse,
} from '../../../../src/modules/governance/evidence.schema.ts';
import type {
  PlatformRopaResponse,
  SchoolRopaResponse,
  Transfers,
} from '../../../../src/modules/governance/ropa.schema.ts';

export type SchoolRopa = Static<typeof SchoolRopaResponse>;
export type PlatformRopa = Static<typeof PlatformRopaResponse>;
export type SchoolEvidence = Static<typeof SchoolEvidenceResponse>;
export type PlatformEvidence = Static<typeof PlatformEvidenceResponse>;
export type TransferPosition = Static<typeof Transfers>;
export type RequestStatistics = SchoolEvidence['requests'];

export const governancePath = (schoolId: string) => `/api/v1/schools/${schoolId}/governance`;

export const SENSITIVITY_NAMES: Record<string, string> = {
  none: 'No personal data',
  personal: 'Personal',
  sensitive: 'Sensitive',
  special_category: 'Special category (Art. 9)',
};

export const SENSITIVITY_TAGS: Record<string, string> = {
  none: 'tag--grey',
  personal: 'tag--grey',
  sensitive: 'tag--amber',
  special_category: 'tag--red',
};

/** Share of staff with two-factor on, in words. */
export function share(part: number, whole: number): string {
  return whole === 0 ? 'no staff yet' : `${part} of ${whole} (${Math.round((part / whole) * 100)}%)`;
}
