import type { Transaction } from 'kysely';
import { blindIndex } from './blind-index.ts';
import { decryptField, encryptField, fieldKeyId, type FieldContext } from './field-cipher.ts';
import type { Keyring } from './keyring.ts';
import * as keys from './keys.repository.ts';
import type { KeyTables } from './keys.tables.ts';

/** Where in a school a value lives (the school comes from the vault). */
export type FieldLocation = Omit<FieldContext, 'schoolId'>;

/**
 * The one place repositories encrypt and decrypt personal fields, bound to a transaction and a school.
 * Each value is encrypted under its data subject's own key, so erasing the subject shreds it.
 */
export class SchoolVault {
  readonly #keyring: Keyring;
  readonly #trx: Transaction<KeyTables>;
  readonly #schoolId: string;

  constructor(keyring: Keyring, trx: Transaction<KeyTables>, schoolId: string) {
    this.#keyring = keyring;
    this.#trx = trx;
    this.#schoolId = schoolId;
  }

  async encrypt(subjectId: string, where: FieldLocation, value: string): Promise<Buffer> {
    const key = await this.#keyring.subjectKeyFor(this.#trx, this.#schoolId, subjectId);
    return encryptField(key, value, { schoolId: this.#schoolId, ...where });
  }

  /** Decrypts; throws DecryptionError (fails closed) for tampered, misplaced or shredded values. */
  async decrypt(where: FieldLocation, ciphertext: Buffer): Promise<string> {
    const context = { schoolId: this.#schoolId, ...where };
    const key = await this.#keyring.fieldKeyById(this.#trx, this.#schoolId, fieldKeyId(ciphertext, context));
    return decryptField(key, ciphertext, context);
  }

  /** Records the subject's blind index for `kind` (replacing their previous value of that kind). */
  async index(subjectId: string, kind: string, value: string): Promise<void> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    await keys.upsertBlindIndex(this.#trx, this.#schoolId, {
      kind,
      digest: blindIndex(indexKey.bytes, kind, value),
      subjectId,
      indexVersion: indexKey.version,
    });
  }

  /** The subject whose `kind` identifier equals `value` (after normalisation), if any. */
  async lookup(kind: string, value: string): Promise<string | undefined> {
    const indexKey = await this.#keyring.activeSchoolKey(this.#trx, this.#schoolId, 'index');
    return keys.findByDigest(this.#trx, this.#schoolId, kind, blindIndex(indexKey.bytes, kind, value));
  }

  /** Crypto-shreds the subject: their key and blind indexes go, and the erasure is recorded. */
  async shred(subjectId: string): Promise<boolean> {
    return this.#keyring.destroySubjectKey(this.#trx, this.#schoolId, subjectId);
  }
}
