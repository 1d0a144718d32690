import type { Transaction } from 'kysely';
import { blindIndex } from './blind-index.ts';
import {
  decryptField,
  decryptFieldBytes,
  encryptField,
  fieldKeyId,
  type FieldContext,
  type FieldKey,
} from './field-cipher.ts';
import type { Keyring } from './keyring.ts';
import * as keys from './keys.repository.ts';
import type { KeyTables } from './keys.tables.ts';
import type { AuditTables } from '../audit/audit.tables.ts';

/** Where in a school a value lives (the school comes from the vault). */
export type FieldLocation = Omit<FieldContext, 'schoolId'>;

/**
 * The one place repositories encrypt and decrypt personal fields, bound to a transaction and a school.
 * Each value is encrypted under its data subject's own key, so erasing the subject shreds it.
 */
export class SchoolVault {
  readonly #keyring: Keyring;
  readonly #trx: Transaction<KeyTables & AuditTables>;
  readonly #schoolId: string;

  constructor(keyring: Keyring, trx: Transaction<KeyTables & AuditTables>, schoolId: string) {
    this.#keyring = keyring;
    this.#trx = trx;
    this.#schoolId = schoolId;
  }

  async encrypt(subjectId: string, where: FieldLocation, value: string | Buffer): Promise<Buffer> {
    const key =
      this.#keyring.cachedSubjectKey(this.#schoolId, subjectId) ??
      (await this.#keyring.subjectKeyFor(this.#trx, this.#schoolId, subjectId));
    return encryptField(key, value, { schoolId: this.#schoolId, ...where });
  }

  /** Decrypts; throws DecryptionError (fails closed) for tampered, misplaced or shredded values. */
  async decrypt(where: FieldLocation, ciphertext: Buffer): Promise<string> {
    const context = { schoolId: this.#schoolId, ...where };
    const keyId = fieldKeyId(ciphertext, context);
    const key =
      this.#keyring.cachedFieldKey(this.#schoolId, keyId) ??
      (await this.#keyring.fieldKeyById(this.#trx, this.#schoolId, keyId));
    return decryptField(key, ciphertext, context);
  }

  /** Decrypts bytes (an uploaded file) encrypted with `encrypt`; fails closed like `decrypt`. */
  async decryptBytes(where: FieldLocation, ciphertext: Buffer): Promise<Buffer> {
    const context = { schoolId: this.#schoolId, ...where };
    const keyId = fieldKeyId(ciphertext, context);
    const key =
      this.#keyring.cachedFieldKey(this.#schoolId, keyId) ??
      (await this.#keyring.fieldKeyById(this.#trx, this.#schoolId, keyId));
    return decryptFieldBytes(key, ciphertext, context);
  }

  /**
   * Encrypts several fields of one subject's row (e.g. a pupil's identity record) with one key lookup:
   * each field is still its own ciphertext, bound to its column, so a reader decrypts only what it needs.
   */
  async encryptRecord(
    subjectId: string,
    table: string,
    rowId: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<Record<string, Buffer>> {
    const key =
      this.#keyring.cachedSubjectKey(this.#schoolId, subjectId) ??
      (await this.#keyring.subjectKeyFor(this.#trx, this.#schoolId, subjectId));
    const sealed: Record<string, Buffer> = {};
    for (const [column, value] of Object.entries(fields)) {
      sealed[column] = encryptField(key, value, { schoolId: this.#schoolId, table, column, rowId });
    }
    return sealed;
  }

  /** Decrypts several fields of one row; throws DecryptionError (fails closed) if any field fails. */
  async decryptRecord(
    table: string,
    rowId: string,
    sealed: Readonly<Record<string, Buffer>>,
  ): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    let key: FieldKey | undefined;
    for (const [column, ciphertext] of Object.entries(sealed)) {
      const context = { schoolId: this.#schoolId, table, column, rowId };
      // Fields of one row normally share the subject's key: compare header bytes before any lookup.
      if (key === undefined || !sameKey(key, ciphertext)) {
        const keyId = fieldKeyId(ciphertext, context);
        key =
          this.#keyring.cachedFieldKey(this.#schoolId, keyId) ??
          (await this.#keyring.fieldKeyById(this.#trx, this.#schoolId, keyId));
      }
      values[column] = decryptField(key, ciphertext, context);
    }
    return values;
  }

  /** Loads many subjects' keys in one query before their records are decrypted one by one. */
  async preloadSubjects(subjectIds: readonly string[]): Promise<void> {
    await this.#keyring.loadSubjectKeys(this.#trx, this.#schoolId, subjectIds);
  }

  /**
   * Records the subject's blind index for `kind` (replacing their previous value of that kind). With
   * `shared`, a value another subject already holds stays with them (two pupils with the same name and
   * birthday); without it, such a value is a constraint error (an e-mail address is one person's).
   */
  async index(
    subjectId: string,
    kind: string,
    value: string,
    options: { shared?: boolean } = {},
  ): Promise<void> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    await keys.upsertBlindIndex(
      this.#trx,
      this.#schoolId,
      { kind, digest: blindIndex(indexKey.key, kind, value), subjectId, indexVersion: indexKey.version },
      options.shared === true,
    );
  }

  /** Gives many new subjects their keys in one go (so encrypting their records needs no more queries). */
  async prepareNewSubjects(subjectIds: readonly string[]): Promise<void> {
    await this.#keyring.createSubjectKeys(this.#trx, this.#schoolId, subjectIds);
  }

  /** Blind indexes for subjects that have none of these kinds yet, in one statement. */
  async indexNewSubjects(
    entries: ReadonlyArray<{ subjectId: string; kind: string; value: string }>,
  ): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    await keys.insertBlindIndexes(
      this.#trx,
      this.#schoolId,
      entries.map((entry) => ({
        kind: entry.kind,
        digest: blindIndex(indexKey.key, entry.kind, entry.value),
        subjectId: entry.subjectId,
        indexVersion: indexKey.version,
      })),
    );
  }

  /**
   * The keyed digest of an identifier without storing it: for counting sign-in failures per address
   * whether or not it has an account.
   */
  async digest(kind: string, value: string): Promise<Buffer> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    return blindIndex(indexKey.key, kind, value);
  }

  /** The subject whose `kind` identifier equals `value` (after normalisation), if any. */
  async lookup(kind: string, value: string): Promise<string | undefined> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    return keys.findByDigest(this.#trx, this.#schoolId, kind, blindIndex(indexKey.key, kind, value));
  }

  /**
   * The subjects of many identifiers of one kind in one query: value → subject id for those found.
   * Values that normalise alike (e.g. differing only in case) find the same subject.
   */
  async lookupMany(kind: string, values: readonly string[]): Promise<Map<string, string>> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    const digests = new Map(values.map((value) => [value, blindIndex(indexKey.key, kind, value)]));
    const found = await keys.findManyByDigest(this.#trx, this.#schoolId, kind, [...digests.values()]);
    const result = new Map<string, string>();
    for (const [value, digest] of digests) {
      const subjectId = found.get(digest.toString('hex'));
      if (subjectId !== undefined) {
        result.set(value, subjectId);
      }
    }
    return result;
  }

  /** Crypto-shreds the subject: their key and blind indexes go, and the erasure is recorded. */
  async shred(subjectId: string): Promise<boolean> {
    return this.#keyring.destroySubjectKey(this.#trx, this.#schoolId, subjectId);
  }
}

function sameKey(key: FieldKey, ciphertext: Buffer): boolean {
  return ciphertext.length >= key.header.length && key.header.compare(ciphertext, 0, key.header.length) === 0;
}
