import type { GovernanceSettings } from '../../platform/config.ts';
import { BASIS_WORDS, describeRegion, REGION_PROVENANCE, type Region } from '../../platform/residency.ts';

// The transfer position the record of processing states (UK GDPR Art. 30(2)(c)): where the database
// and backups are declared to be and what that means. Start-up has already refused any declared place
// outside the allowed list, so a declared place here is always an allowed one.

export interface RegionView {
  code: string;
  name: string;
  location: string | null;
  basis: Region['basis'];
  words: string;
}

export interface TransferPosition {
  storage: RegionView | null;
  backups: RegionView | null;
  /** The statement in words, for the record and the evidence report. */
  statement: string;
  allowedListCompiled: string;
}

function view(region: Region | undefined): RegionView | null {
  return region === undefined
    ? null
    : {
        code: region.code,
        name: region.name,
        location: region.location,
        basis: region.basis,
        words: `${describeRegion(region)}: ${BASIS_WORDS[region.basis]}`,
      };
}

function sentence(what: string, region: RegionView | null, variable: string): string {
  return region === null
    ? `The ${what} region is not declared (${variable}), so this record cannot state where the ${what} is.`
    : `The ${what} is in ${region.words}.`;
}

export function transferPosition(settings: GovernanceSettings): TransferPosition {
  const storage = view(settings.storageRegion);
  const backups = view(settings.backupRegion);
  const anyAbroad = [storage, backups].some((region) => region !== null && region.basis !== 'uk');
  const closing = anyAbroad
    ? 'Personal data leaves the UK only for a place the UK treats as adequate; no other transfer is made.'
    : 'No restricted transfer outside the UK is made by Haven; apps a school authorises receive data under the school’s own decision.';
  return {
    storage,
    backups,
    statement: [
      sentence('database', storage, 'HAVEN_STORAGE_REGION'),
      sentence('backup', backups, 'HAVEN_BACKUP_REGION'),
      closing,
    ].join(' '),
    allowedListCompiled: REGION_PROVENANCE.compiled,
  };
}
