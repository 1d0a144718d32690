import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Check } from 'typebox/value';

// Data residency: where the database and the backups are declared to be, checked against the places
// UK personal data may go without further safeguards (residency.json, with its sources). Platform code:
// config.ts refuses a declared place outside the list, and the governance module states it in the ROPA.

const Basis = Type.Union([Type.Literal('uk'), Type.Literal('eea'), Type.Literal('adequacy')]);
const Entry = Type.Object({
  code: Type.String({ pattern: '^[A-Z]{2}$' }),
  name: Type.String({ minLength: 1 }),
  basis: Basis,
});
const RegionFile = Type.Object({
  provenance: Type.Object({ compiled: Type.String(), sources: Type.Array(Type.String()) }),
  regions: Type.Array(Entry, { minItems: 1 }),
});

export type RegionBasis = Static<typeof Basis>;
export type AllowedRegion = Static<typeof Entry>;

/** A declared storage place: an allowed country and, optionally, the operator's words for where in it. */
export interface Region extends AllowedRegion {
  /** e.g. "AWS eu-west-2 (London)", from `HAVEN_STORAGE_REGION=GB:AWS eu-west-2 (London)`. */
  location: string | null;
}

function load(): Static<typeof RegionFile> {
  const data: unknown = JSON.parse(readFileSync(path.join(import.meta.dirname, 'residency.json'), 'utf8'));
  if (!Check(RegionFile, data)) {
    throw new Error('src/platform/residency.json does not match its schema');
  }
  return data;
}

const FILE = load();
export const ALLOWED_REGIONS: readonly AllowedRegion[] = FILE.regions;
export const REGION_PROVENANCE = FILE.provenance;

/** What each basis means, for the transfer statement. */
export const BASIS_WORDS: Record<RegionBasis, string> = {
  uk: 'in the United Kingdom: no international transfer',
  eea: 'in the European Economic Area, which the UK treats as adequate (Data Protection Act 2018 Sch. 21)',
  adequacy: 'in a country covered by UK adequacy regulations (UK GDPR Art. 45)',
};

/**
 * Reads a declared region, `CODE` or `CODE:where` (e.g. `GB`, `uk`, `IE:Dublin data centre`). Returns the
 * region, or a problem in words when the text is malformed or the country is not on the allowed list.
 */
export function parseRegion(text: string): { region: Region } | { problem: string } {
  const separator = text.indexOf(':');
  const given = (separator === -1 ? text : text.slice(0, separator)).trim().toUpperCase();
  const location = separator === -1 ? '' : text.slice(separator + 1).trim();
  // ISO 3166-1 says GB; people say UK.
  const code = given === 'UK' ? 'GB' : given;
  if (!/^[A-Z]{2}$/.test(code)) {
    return { problem: 'must be a two-letter country code (e.g. GB), optionally followed by :where' };
  }
  if (location.length > 100 || /[\p{Cc}\p{Cf}\p{Cs}]/u.test(location)) {
    return {
      problem: 'has a location after the colon longer than 100 characters or with control characters',
    };
  }
  const allowed = ALLOWED_REGIONS.find((entry) => entry.code === code);
  if (allowed === undefined) {
    return {
      problem: `names ${code}, which is outside the UK, the EEA and the UK adequacy countries (src/platform/residency.json)`,
    };
  }
  return { region: { ...allowed, location: location === '' ? null : location } };
}

/** A region in words, e.g. "United Kingdom (GB), AWS eu-west-2 (London)". */
export function describeRegion(region: Region): string {
  return `${region.name} (${region.code})${region.location === null ? '' : `, ${region.location}`}`;
}
