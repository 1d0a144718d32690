import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Transaction } from 'kysely';
import { KEY_BYTES, open, seal } from './aead.ts';
import { fieldKey, type FieldKey } from './field-cipher.ts';
import { KeyCache } from './key-cache.ts';
import type { KeyProvider } from './key-provider.ts';
import * as keys from './keys.repository.ts';
import type { KeyPurpose, KeyTables } from './keys.tables.ts';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit-log.ts';
import type { AuditTables } from '../audit/audit.tables.ts';

type Trx = Transaction<KeyTables & AuditTables>;

/** A stored key failed to unwrap: it was altered, or moved to another school or subject. */
export class KeyIntegrityError extends Error {
  override name = 'KeyIntegrityError';
}

/** The school has no keys (never created, or destroyed when it left). */
export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
}

// Associated data for wrapped keys: a wrapped key moved to another school, purpose or subject fails to unwrap.
const schoolKeyContext = (schoolId: string, purpose: KeyPurpose, version: number): string =>
  `haven/v1/school-key/${schoolId}/${purpose}/${version}`;
const subjectKeyContext = (schoolId: string, subjectId: string): string =>
  `haven/v1/subject-key/${schoolId}/${subjectId}`;

/**
 * The key hierarchy: master key (KEK) → per-school data key (DEK) and index key → per-subject keys.
 * Field values are encrypted with subject keys only, so rotating a DEK or the KEK re-wraps keys and
 * never rewrites data, and destroying a subject key shreds every copy of that subject's ciphertext.
 */
export class Keyring {
  readonly provider: KeyProvider;
  /** School data and index keys by `school/purpose/version`. */
  readonly #schoolKeys: KeyCache<KeyObject>;
  /** Subject keys by `school/key id` (hex), ready for the field cipher. */
  readonly #fieldKeys: KeyCache<FieldKey>;
  /** Which key id a subject has, by `school/subject id`. */
  readonly #subjectKeyIds: KeyCache<string>;

  constructor(provider: KeyProvider, options: { maxEntries?: number; ttlMs?: number } = {}) {
    this.provider = provider;
    this.#schoolKeys = new KeyCache(options);
    this.#fieldKeys = new KeyCache(options);
    this.#subjectKeyIds = new KeyCache(options);
  }

  /** Creates version 1 of the school's data and index keys (idempotent). */
  async createSchoolKeys(trx: Trx, schoolId: string): Promise<void> {
    for (const purpose of ['data', 'index'] as const) {
      const existing = await keys.schoolKeys(trx, schoolId, purpose);
      if (existing.length === 0) {
        await this.insertSchoolKey(trx, schoolId, purpose, 1, 'active');
      }
    }
  }

  /** Adds a new school key version in the given state; used by creation and rotation. */
  async insertSchoolKey(
    trx: Trx,
    schoolId: string,
    purpose: KeyPurpose,
    version: number,
    state: 'active' | 'retiring',
  ): Promise<void> {
    const key = randomBytes(KEY_BYTES);
    const wrapped = await this.provider.wrap(key, schoolKeyContext(schoolId, purpose, version));
    await keys.insertSchoolKey(trx, schoolId, { purpose, version, state, ...wrapped });
    this.#schoolKeys.set(`${schoolId}/${purpose}/${version}`, createSecretKey(key));
  }

  /** The school's active key of a purpose, with its version. */
  async activeSchoolKey(
    trx: Trx,
    schoolId: string,
    purpose: KeyPurpose,
  ): Promise<{ version: number; key: KeyObject }> {
    const rows = await keys.schoolKeys(trx, schoolId, purpose);
    const active = rows.find((row) => row.state === 'active');
    if (active === undefined) {
      throw new MissingKeyError(`school ${schoolId} has no active ${purpose} key`);
    }
    return { version: active.version, key: await this.schoolKey(trx, schoolId, purpose, active.version) };
  }

  /** A school key of a given version (any state), unwrapped through the cache. */
  async schoolKey(trx: Trx, schoolId: string, purpose: KeyPurpose, version: number): Promise<KeyObject> {
    const cacheId = `${schoolId}/${purpose}/${version}`;
    const cached = this.#schoolKeys.get(cacheId);
    if (cached !== undefined) {
      return cached;
    }
    const row = (await keys.schoolKeys(trx, schoolId, purpose)).find(
      (candidate) => candidate.version === version,
    );
    if (row === undefined) {
      throw new MissingKeyError(`school ${schoolId} has no ${purpose} key version ${version}`);
    }
    const key = createSecretKey(
      await this.provider.unwrap(
        { kekId: row.kek_id, wrapped: row.wrapped },
        schoolKeyContext(schoolId, purpose, version),
      ),
    );
    this.#schoolKeys.set(cacheId, key);
    return key;
  }

  /** The subject's key if this process holds it already (the hot path: no promise, no query). */
  cachedSubjectKey(schoolId: string, subjectId: string): FieldKey | undefined {
    const keyId = this.#subjectKeyIds.get(`${schoolId}/${subjectId}`);
    return keyId === undefined ? undefined : this.#fieldKeys.get(`${schoolId}/${keyId}`);
  }

  /** The subject's key, created (under the active data key) on first use. */
  async subjectKeyFor(trx: Trx, schoolId: string, subjectId: string): Promise<FieldKey> {
    const cached = this.cachedSubjectKey(schoolId, subjectId);
    if (cached !== undefined) {
      return cached;
    }
    const existing = await keys.subjectKeyBySubject(trx, schoolId, subjectId);
    const row = existing ?? (await this.#createSubjectKey(trx, schoolId, subjectId));
    const key = await this.#unwrapSubjectKey(trx, schoolId, row);
    this.#subjectKeyIds.set(`${schoolId}/${subjectId}`, key.hexId);
    return key;
  }

  /**
   * Brings the keys of many existing subjects into memory with one query, so decrypting a list of them
   * (a school's pupil names) does not cost a query per subject. Subjects without a key are skipped.
   */
  async loadSubjectKeys(trx: Trx, schoolId: string, subjectIds: readonly string[]): Promise<void> {
    const missing = subjectIds.filter(
      (subjectId) => this.cachedSubjectKey(schoolId, subjectId) === undefined,
    );
    // Chunked: one statement's parameters stay far below PostgreSQL's limit of 65,535.
    for (let start = 0; start < missing.length; start += 10_000) {
      const rows = await keys.subjectKeysBySubjects(trx, schoolId, missing.slice(start, start + 10_000));
      for (const row of rows) {
        const key = await this.#unwrapSubjectKey(trx, schoolId, row);
        this.#subjectKeyIds.set(`${schoolId}/${row.subject_id}`, key.hexId);
      }
    }
  }

  /** The key a ciphertext names (by hex id) if this process holds it already. */
  cachedFieldKey(schoolId: string, hexId: string): FieldKey | undefined {
    return this.#fieldKeys.get(`${schoolId}/${hexId}`);
  }

  /** The key a ciphertext names, or undefined when it does not exist (never made, or shredded). */
  async fieldKeyById(trx: Trx, schoolId: string, hexId: string): Promise<FieldKey | undefined> {
    const cached = this.cachedFieldKey(schoolId, hexId);
    if (cached !== undefined) {
      return cached;
    }
    const row = await keys.subjectKeyById(trx, schoolId, uuidFromHex(hexId));
    return row === undefined ? undefined : this.#unwrapSubjectKey(trx, schoolId, row);
  }

  /**
   * Crypto-shredding: deletes the subject's key and blind indexes, purges them from the cache and
   * records the erasure (pseudonymous id and time) so a restore from backup can replay it.
   */
  async destroySubjectKey(trx: Trx, schoolId: string, subjectId: string): Promise<boolean> {
    const keyId = await keys.deleteSubjectKey(trx, schoolId, subjectId);
    this.#subjectKeyIds.delete(`${schoolId}/${subjectId}`);
    if (keyId !== undefined) {
      this.#fieldKeys.delete(`${schoolId}/${keyId.replaceAll('-', '')}`);
    }
    await keys.recordErasure(trx, schoolId, subjectId);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: SYSTEM_ACTOR,
      action: 'keys.destroy_subject_key',
      subjectIds: [subjectId],
      details: { keyExisted: keyId !== undefined },
    });
    return keyId !== undefined;
  }

  /**
   * Crypto-shredding of many subjects at once (a retention sweep): one ledger row each, one audit event
   * naming them all. Returns how many keys existed.
   */
  async destroySubjectKeys(trx: Trx, schoolId: string, subjectIds: readonly string[]): Promise<number> {
    const deleted = await keys.deleteSubjectKeys(trx, schoolId, subjectIds);
    for (const subjectId of subjectIds) {
      this.#subjectKeyIds.delete(`${schoolId}/${subjectId}`);
    }
    for (const { keyId } of deleted) {
      this.#fieldKeys.delete(`${schoolId}/${keyId.replaceAll('-', '')}`);
    }
    await keys.recordErasures(trx, schoolId, subjectIds);
    if (subjectIds.length > 0) {
      await recordAudit(trx, {
        orgId: schoolId,
        actor: SYSTEM_ACTOR,
        action: 'keys.destroy_subject_keys',
        subjectIds,
        details: { keysDestroyed: deleted.length },
      });
    }
    return deleted.length;
  }

  /** Whether the ledger records the whole school as erased (its keys destroyed). */
  async schoolErased(trx: Trx, schoolId: string): Promise<boolean> {
    return keys.schoolErased(trx, schoolId);
  }

  /**
   * Re-applies an erasure already in the ledger (after a restore from a backup taken before it): the
   * subject's key and blind indexes go again, without a second ledger entry. True if anything was left.
   */
  async reapplySubjectErasure(trx: Trx, schoolId: string, subjectId: string): Promise<boolean> {
    const keyId = await keys.deleteSubjectKey(trx, schoolId, subjectId);
    this.#subjectKeyIds.delete(`${schoolId}/${subjectId}`);
    if (keyId !== undefined) {
      this.#fieldKeys.delete(`${schoolId}/${keyId.replaceAll('-', '')}`);
      await recordAudit(trx, {
        orgId: schoolId,
        actor: SYSTEM_ACTOR,
        action: 'keys.erasure_reapplied',
        subjectIds: [subjectId],
      });
    }
    return keyId !== undefined;
  }

  /** The pseudonymous ids the erasure ledger holds for a school (subjects erased one by one). */
  async erasedSubjects(trx: Trx, schoolId: string): Promise<string[]> {
    return keys.erasedSubjects(trx, schoolId);
  }

  /** Schools with subject erasures in the ledger (for a replay after a restore). */
  async schoolsWithErasures(trx: Trx): Promise<string[]> {
    return keys.schoolsWithErasures(trx);
  }

  /** Whole-school shredding (offboarding): every key of the school goes, so all its ciphertext is unreadable. */
  async destroySchoolKeys(trx: Trx, schoolId: string): Promise<void> {
    await keys.deleteAllSchoolKeys(trx, schoolId);
    for (const cache of [this.#schoolKeys, this.#fieldKeys, this.#subjectKeyIds]) {
      cache.deletePrefix(`${schoolId}/`);
    }
    await keys.recordErasure(trx, schoolId, null);
    await recordAudit(trx, { orgId: schoolId, actor: SYSTEM_ACTOR, action: 'keys.destroy_school_keys' });
  }

  /** Re-wraps one subject key under another data key version (rotation). */
  async rewrapSubjectKey(
    trx: Trx,
    schoolId: string,
    row: keys.SubjectKeyRow,
    toVersion: number,
  ): Promise<void> {
    const subjectKey = await this.#unwrapSubjectKey(trx, schoolId, row);
    const dek = await this.schoolKey(trx, schoolId, 'data', toVersion);
    const wrapped = seal(
      dek,
      subjectKey.key.export(),
      Buffer.from(subjectKeyContext(schoolId, row.subject_id)),
    );
    await keys.rewrapSubjectKey(trx, schoolId, row.id, toVersion, wrapped);
  }

  /** Re-wraps a school key under the provider's current master key (master key rotation). */
  async rewrapSchoolKeyUnderCurrentKek(trx: Trx, row: keys.SchoolKeyRow): Promise<void> {
    const context = schoolKeyContext(row.school_id, row.purpose, row.version);
    const key = await this.provider.unwrap({ kekId: row.kek_id, wrapped: row.wrapped }, context);
    const wrapped = await this.provider.wrap(key, context);
    await keys.rewrapSchoolKey(trx, row.school_id, row.id, wrapped.kekId, wrapped.wrapped);
  }

  /** Forgets a school key version held in memory (after it is deleted by rotation). */
  forgetSchoolKey(schoolId: string, purpose: KeyPurpose, version: number): void {
    this.#schoolKeys.delete(`${schoolId}/${purpose}/${version}`);
  }

  /** Keys for many new subjects at once (an import's new pupils), made, stored and cached together. */
  async createSubjectKeys(trx: Trx, schoolId: string, subjectIds: readonly string[]): Promise<void> {
    if (subjectIds.length === 0) {
      return;
    }
    const dek = await this.activeSchoolKey(trx, schoolId, 'data');
    const made = new Map(subjectIds.map((subjectId) => [subjectId, randomBytes(KEY_BYTES)]));
    const rows = await keys.insertSubjectKeys(
      trx,
      schoolId,
      [...made].map(([subjectId, key]) => ({
        subjectId,
        dekVersion: dek.version,
        wrapped: seal(dek.key, key, Buffer.from(subjectKeyContext(schoolId, subjectId))),
      })),
    );
    for (const row of rows) {
      const bytes = made.get(row.subject_id);
      if (bytes !== undefined) {
        const key = fieldKey(row.id, createSecretKey(bytes));
        this.#fieldKeys.set(`${schoolId}/${key.hexId}`, key);
        this.#subjectKeyIds.set(`${schoolId}/${row.subject_id}`, key.hexId);
      }
    }
  }

  async #createSubjectKey(trx: Trx, schoolId: string, subjectId: string): Promise<keys.SubjectKeyRow> {
    const dek = await this.activeSchoolKey(trx, schoolId, 'data');
    const key = randomBytes(KEY_BYTES);
    const wrapped = seal(dek.key, key, Buffer.from(subjectKeyContext(schoolId, subjectId)));
    return keys.insertSubjectKey(trx, schoolId, { subjectId, dekVersion: dek.version, wrapped });
  }

  async #unwrapSubjectKey(trx: Trx, schoolId: string, row: keys.SubjectKeyRow): Promise<FieldKey> {
    const cacheId = `${schoolId}/${row.id.replaceAll('-', '')}`;
    const cached = this.#fieldKeys.get(cacheId);
    if (cached !== undefined) {
      return cached;
    }
    const dek = await this.schoolKey(trx, schoolId, 'data', row.dek_version);
    let bytes: Buffer;
    try {
      bytes = open(dek, row.wrapped, Buffer.from(subjectKeyContext(schoolId, row.subject_id)));
    } catch {
      throw new KeyIntegrityError(`subject key ${row.id} of school ${schoolId} does not unwrap`);
    }
    const key = fieldKey(row.id, createSecretKey(bytes));
    this.#fieldKeys.set(cacheId, key);
    return key;
  }
}

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
