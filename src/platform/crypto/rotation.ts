import type { Transaction } from 'kysely';
import type { HavenDatabase } from '../db/database.ts';
import type { Keyring } from './keyring.ts';
import * as keys from './keys.repository.ts';
import type { KeyTables } from './keys.tables.ts';
import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../audit/audit-log.ts';
import type { AuditTables } from '../audit/audit.tables.ts';

export interface RotationOptions {
  batchSize?: number;
  /** Stop after this many batches (a rerun resumes); for tests of an interrupted rotation. */
  maxBatches?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DataKeyRotation {
  version: number;
  rewrapped: number;
  complete: boolean;
}

/**
 * Rotates a school's data key: a new version becomes active (new subject keys use it at once), then
 * subject keys are re-wrapped in batches, each batch its own transaction, and only when none is left is
 * the old version deleted. Killed half-way, a rerun continues the same rotation; every value stays
 * readable throughout because a subject key names the data key version that wraps it.
 */
export async function rotateDataKey(
  db: HavenDatabase<KeyTables & AuditTables>,
  keyring: Keyring,
  schoolId: string,
  options: RotationOptions = {},
): Promise<DataKeyRotation> {
  const batchSize = options.batchSize ?? 500;
  const { version, total } = await db.withSchool(schoolId, (trx) => beginOrResume(trx, keyring, schoolId));
  let rewrapped = 0;
  let batches = 0;
  options.onProgress?.(0, total);
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) {
      return { version, rewrapped, complete: false };
    }
    const count = await db.withSchool(schoolId, async (trx) => {
      const batch = await keys.subjectKeysBelowVersion(trx, schoolId, version, batchSize);
      for (const row of batch) {
        await keyring.rewrapSubjectKey(trx, schoolId, row, version);
      }
      return batch.length;
    });
    if (count === 0) {
      break;
    }
    batches += 1;
    rewrapped += count;
    options.onProgress?.(rewrapped, total);
  }
  await db.withSchool(schoolId, (trx) => retireOldVersions(trx, keyring, schoolId, version));
  return { version, rewrapped, complete: true };
}

async function beginOrResume(
  trx: Transaction<KeyTables & AuditTables>,
  keyring: Keyring,
  schoolId: string,
): Promise<{ version: number; total: number }> {
  const rows = await keys.schoolKeys(trx, schoolId, 'data');
  const active = rows.find((row) => row.state === 'active');
  if (active === undefined) {
    throw new Error(`school ${schoolId} has no data key to rotate`);
  }
  let version = active.version;
  if (!rows.some((row) => row.state === 'retiring')) {
    version = Math.max(...rows.map((row) => row.version)) + 1;
    await keys.setSchoolKeyState(trx, schoolId, active.id, 'retiring');
    await keyring.insertSchoolKey(trx, schoolId, 'data', version, 'active');
    await recordAudit(trx, {
      orgId: schoolId,
      actor: SYSTEM_ACTOR,
      action: 'keys.rotate_data_key',
      details: { version },
    });
  }
  const counts = await keys.countSubjectKeysByVersion(trx, schoolId);
  const total = [...counts.entries()].filter(([v]) => v < version).reduce((sum, [, count]) => sum + count, 0);
  return { version, total };
}

async function retireOldVersions(
  trx: Transaction<KeyTables & AuditTables>,
  keyring: Keyring,
  schoolId: string,
  version: number,
): Promise<void> {
  const counts = await keys.countSubjectKeysByVersion(trx, schoolId);
  if ([...counts.keys()].some((v) => v < version)) {
    // A writer created a key under the old version between batches; the next run finishes it.
    return;
  }
  for (const row of await keys.schoolKeys(trx, schoolId, 'data')) {
    if (row.state === 'retiring') {
      await keys.deleteSchoolKey(trx, schoolId, row.id);
      keyring.forgetSchoolKey(schoolId, 'data', row.version);
      await recordAudit(trx, {
        orgId: schoolId,
        actor: SYSTEM_ACTOR,
        action: 'keys.retire_data_key',
        details: { version: row.version },
      });
    }
  }
}

/**
 * Master key rotation: re-wraps every school key (data and index, all schools) under the provider's
 * current master key. No data and no subject key is rewritten. Returns how many keys were re-wrapped.
 */
export async function rewrapUnderCurrentMasterKey(
  db: HavenDatabase<KeyTables & AuditTables>,
  keyring: Keyring,
  batchSize = 200,
): Promise<number> {
  const current = keyring.provider.currentKekId;
  let total = 0;
  for (;;) {
    const count = await db.withPlatform('keys.rotate_master_key', async (trx) => {
      const batch = await keys.schoolKeysNotWrappedBy(trx, current, batchSize);
      for (const row of batch) {
        await keyring.rewrapSchoolKeyUnderCurrentKek(trx, row);
      }
      if (batch.length > 0) {
        await recordAudit(trx, {
          orgId: PLATFORM_ORG_ID,
          actor: SYSTEM_ACTOR,
          action: 'keys.rewrap_master_key',
          details: { keys: batch.length, masterKeyId: current },
        });
      }
      return batch.length;
    });
    if (count === 0) {
      return total;
    }
    total += count;
  }
}

/** Master key ids still wrapping some school key (so a previous master key can be retired when absent). */
export async function masterKeysInUse(db: HavenDatabase<KeyTables & AuditTables>): Promise<Set<string>> {
  return db.withPlatform('keys.master_keys_in_use', (trx) => keys.kekIdsInUse(trx));
}
