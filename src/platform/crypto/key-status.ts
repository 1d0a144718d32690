import type { HavenDatabase } from '../db/database.ts';
import type { KeyProvider } from './key-provider.ts';
import * as keys from './keys.repository.ts';
import type { KeyPurpose, KeyState, KeyTables } from './keys.tables.ts';
import type { AuditTables } from '../audit/audit.tables.ts';

export interface KeyVersionStatus {
  purpose: KeyPurpose;
  version: number;
  state: KeyState;
  masterKeyId: string;
  /** For data keys: how many subject keys this version wraps. */
  subjectKeys: number;
}

export interface KeyStatus {
  currentMasterKeyId: string;
  /** Master keys still wrapping some school key, and whether this process has each of them loaded. */
  masterKeysInUse: Array<{ id: string; loaded: boolean }>;
  schools: Array<{ schoolId: string; keys: KeyVersionStatus[]; rotationInProgress: boolean }>;
}

/** Versions, states and counts of every key (never key material), for `haven keys status`. */
export async function keyStatus(
  db: HavenDatabase<KeyTables & AuditTables>,
  provider: KeyProvider,
): Promise<KeyStatus> {
  const { versions, counts } = await db.withPlatform('keys.status', async (trx) => ({
    versions: await keys.allSchoolKeyVersions(trx),
    counts: await keys.subjectKeyCounts(trx),
  }));
  const countOf = new Map(counts.map((row) => [`${row.school_id}/${row.dek_version}`, row.count]));
  const bySchool = new Map<string, KeyVersionStatus[]>();
  for (const row of versions) {
    const list = bySchool.get(row.school_id) ?? [];
    list.push({
      purpose: row.purpose,
      version: row.version,
      state: row.state,
      masterKeyId: row.kek_id,
      subjectKeys: row.purpose === 'data' ? (countOf.get(`${row.school_id}/${row.version}`) ?? 0) : 0,
    });
    bySchool.set(row.school_id, list);
  }
  const inUse = [...new Set(versions.map((row) => row.kek_id))];
  return {
    currentMasterKeyId: provider.currentKekId,
    masterKeysInUse: inUse.map((id) => ({ id, loaded: provider.kekIds.includes(id) })),
    schools: [...bySchool.entries()].map(([schoolId, list]) => ({
      schoolId,
      keys: list,
      rotationInProgress: list.some((key) => key.state === 'retiring'),
    })),
  };
}
