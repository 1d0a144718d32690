import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import { byName, displayName, openNames } from './pupil-names.ts';
import * as pupils from './pupils.repository.ts';

// The alphabetical order of a school's pupils, remembered per process as ranks by pupil id.
//
// Names are encrypted, so sorting needs every name decrypted: about 4 AES-GCM opens per pupil, some
// 10 ms of CPU for 1,000 pupils, on every page of the pupil list. The order changes only when a pupil
// row does, so it is kept while the school's pupil rows are unchanged: each list reads the rows' ids
// and row versions (PostgreSQL's `xmin`, new with every insert or update; a deletion changes the set),
// and a different fingerprint means the order is worked out again. Only ids and ranks are kept,
// never a name: the memory holds no personal data beyond what the order itself implies. A pupil whose
// key was destroyed while their row stayed (no path of Haven's does that: erasure and retention delete
// the row too) would still be ranked by their old name; the list notices such a pupil on its page and
// asks for a fresh order (`fresh`).

const MAX_SCHOOLS = 100;

export interface PupilOrder {
  /** Ranks by pupil id: surname, forename, id; pupils without names last (as `byName`). */
  rank: ReadonlyMap<string, number>;
  /** How many pupils had names when the order was made: ranks from here on are pupils without. */
  named: number;
  /** Every pupil of the school with its year group, as read for the fingerprint. */
  pupils: ReadonlyArray<{ id: string; yearGroup: number | null }>;
}

const remembered = new Map<string, { fingerprint: string; order: PupilOrder }>();

/** The school's pupils in name order, from memory when its pupil rows are as they were. */
export async function pupilOrder(
  trx: Transaction<DB>,
  vault: SchoolVault,
  schoolId: string,
  options: { fresh?: boolean } = {},
): Promise<PupilOrder> {
  const versions = await pupils.pupilVersions(trx, schoolId);
  const fingerprint = fingerprintOf(versions);
  const known = remembered.get(schoolId);
  if (known?.fingerprint === fingerprint && options.fresh !== true) {
    // Most recently used last, so the oldest school is the one forgotten when full.
    remembered.delete(schoolId);
    remembered.set(schoolId, known);
    return known.order;
  }
  const named = await openNames(vault, await pupils.pupilNameRows(trx, schoolId, {}));
  named.sort(byName);
  const order: PupilOrder = {
    rank: new Map(named.map((pupil, index) => [pupil.id, index])),
    named: named.filter((pupil) => displayName(pupil.names) !== null).length,
    pupils: versions.map((row) => ({ id: row.id, yearGroup: row.year_group })),
  };
  remembered.delete(schoolId);
  remembered.set(schoolId, { fingerprint, order });
  while (remembered.size > MAX_SCHOOLS) {
    const oldest = remembered.keys().next().value;
    if (oldest === undefined) {
      break;
    }
    remembered.delete(oldest);
  }
  return order;
}

/** Forgets every remembered order (for tests that compare the remembered path with a fresh one). */
export function forgetPupilOrders(): void {
  remembered.clear();
}

function fingerprintOf(rows: ReadonlyArray<{ id: string; version: string }>): string {
  const hash = createHash('sha256');
  for (const row of rows) {
    hash.update(row.id).update(':').update(row.version).update(',');
  }
  return hash.digest('base64');
}
