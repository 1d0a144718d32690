import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { KEY_BYTES, open, seal } from './aead.ts';
import { KeyCache } from './key-cache.ts';
import type { KeyProvider } from './key-provider.ts';
import * as keys from './keys.repository.ts';
import type { KeyPurpose, KeyTables } from './keys.tables.ts';

type Trx = Transaction<KeyTables>;

/** An unwrapped key ready for the field cipher; `id` is carried in every ciphertext it makes. */
export interface FieldKey {
  id: string;
  bytes: Buffer;
}

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
  readonly #cache: KeyCache;

  constructor(provider: KeyProvider, cache: KeyCache = new KeyCache()) {
    this.provider = provider;
    this.#cache = cache;
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
    this.#cache.set(`${schoolId}/${purpose}/${version}`, key);
  }

  /** The school's active key of a purpose, with its version. */
  async activeSchoolKey(
    trx: Trx,
    schoolId: string,
    purpose: KeyPurpose,
  ): Promise<{ version: number; bytes: Buffer }> {
    const rows = await keys.schoolKeys(trx, schoolId, purpose);
    const active = rows.find((row) => row.state === 'active');
    if (active === undefined) {
      throw new MissingKeyError(`school ${schoolId} has no active ${purpose} key`);
    }
    return { version: active.version, bytes: await this.schoolKey(trx, schoolId, purpose, active.version) };
  }

  /** A school key of a given version (any state), unwrapped through the cache. */
  async schoolKey(trx: Trx, schoolId: string, purpose: KeyPurpose, version: number): Promise<Buffer> {
    const cacheId = `${schoolId}/${purpose}/${version}`;
    const cached = this.#cache.get(cacheId);
    if (cached !== undefined) {
      return cached;
    }
    const row = (await keys.schoolKeys(trx, schoolId, purpose)).find(
      (candidate) => candidate.version === version,
    );
    if (row === undefined) {
      throw new MissingKeyError(`school ${schoolId} has no ${purpose} key version ${version}`);
    }
    const key = await this.provider.unwrap(
      { kekId: row.kek_id, wrapped: row.wrapped },
      schoolKeyContext(schoolId, purpose, version),
    );
    this.#cache.set(cacheId, key);
    return key;
  }

  /** The subject's key, created (under the active data key) on first use. */
  async subjectKeyFor(trx: Trx, schoolId: string, subjectId: string): Promise<FieldKey> {
    const bySubject = `${schoolId}/subject/${subjectId}`;
    const cachedId = this.#subjectKeyIds.get(bySubject);
    if (cachedId !== undefined) {
      const cached = this.#cache.get(`${schoolId}/key/${cachedId}`);
      if (cached !== undefined) {
        return { id: cachedId, bytes: cached };
      }
    }
    const existing = await keys.subjectKeyBySubject(trx, schoolId, subjectId);
    const row = existing ?? (await this.#createSubjectKey(trx, schoolId, subjectId));
    const key = await this.#unwrapSubjectKey(trx, schoolId, row);
    this.#rememberSubjectKey(bySubject, row.id);
    return { id: row.id, bytes: key };
  }

  /** The key a ciphertext names, or undefined when it does not exist (never made, or shredded). */
  async fieldKeyById(trx: Trx, schoolId: string, keyId: string): Promise<FieldKey | undefined> {
    const cached = this.#cache.get(`${schoolId}/key/${keyId}`);
    if (cached !== undefined) {
      return { id: keyId, bytes: cached };
    }
    const row = await keys.subjectKeyById(trx, schoolId, keyId);
    return row === undefined
      ? undefined
      : { id: keyId, bytes: await this.#unwrapSubjectKey(trx, schoolId, row) };
  }

  /**
   * Crypto-shredding: deletes the subject's key and blind indexes, purges them from the cache and
   * records the erasure (pseudonymous id and time) so a restore from backup can replay it.
   */
  async destroySubjectKey(trx: Trx, schoolId: string, subjectId: string): Promise<boolean> {
    const keyId = await keys.deleteSubjectKey(trx, schoolId, subjectId);
    this.#subjectKeyIds.delete(`${schoolId}/subject/${subjectId}`);
    if (keyId !== undefined) {
      this.#cache.delete(`${schoolId}/key/${keyId}`);
    }
    await keys.recordErasure(trx, schoolId, subjectId);
    return keyId !== undefined;
  }

  /** Whole-school shredding (offboarding): every key of the school goes, so all its ciphertext is unreadable. */
  async destroySchoolKeys(trx: Trx, schoolId: string): Promise<void> {
    await keys.deleteAllSchoolKeys(trx, schoolId);
    this.#cache.deletePrefix(`${schoolId}/`);
    for (const id of this.#subjectKeyIds.keys()) {
      if (id.startsWith(`${schoolId}/`)) {
        this.#subjectKeyIds.delete(id);
      }
    }
    await keys.recordErasure(trx, schoolId, null);
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
    const wrapped = seal(dek, subjectKey, Buffer.from(subjectKeyContext(schoolId, row.subject_id)));
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
    this.#cache.delete(`${schoolId}/${purpose}/${version}`);
  }

  // subject id → key id, bounded like the cache; key bytes live only in the cache.
  readonly #subjectKeyIds = new Map<string, string>();

  #rememberSubjectKey(bySubject: string, keyId: string): void {
    this.#subjectKeyIds.delete(bySubject);
    this.#subjectKeyIds.set(bySubject, keyId);
    if (this.#subjectKeyIds.size > 50_000) {
      const oldest = this.#subjectKeyIds.keys().next().value;
      if (oldest !== undefined) {
        this.#subjectKeyIds.delete(oldest);
      }
    }
  }

  async #createSubjectKey(trx: Trx, schoolId: string, subjectId: string): Promise<keys.SubjectKeyRow> {
    const dek = await this.activeSchoolKey(trx, schoolId, 'data');
    const key = randomBytes(KEY_BYTES);
    const wrapped = seal(dek.bytes, key, Buffer.from(subjectKeyContext(schoolId, subjectId)));
    return keys.insertSubjectKey(trx, schoolId, { subjectId, dekVersion: dek.version, wrapped });
  }

  async #unwrapSubjectKey(trx: Trx, schoolId: string, row: keys.SubjectKeyRow): Promise<Buffer> {
    const cacheId = `${schoolId}/key/${row.id}`;
    const cached = this.#cache.get(cacheId);
    if (cached !== undefined) {
      return cached;
    }
    const dek = await this.schoolKey(trx, schoolId, 'data', row.dek_version);
    let key: Buffer;
    try {
      key = open(dek, row.wrapped, Buffer.from(subjectKeyContext(schoolId, row.subject_id)));
    } catch {
      throw new KeyIntegrityError(`subject key ${row.id} of school ${schoolId} does not unwrap`);
    }
    this.#cache.set(cacheId, key);
    return key;
  }
}
