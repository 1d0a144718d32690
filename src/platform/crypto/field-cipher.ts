import { open, seal, NONCE_BYTES, TAG_BYTES } from './aead.ts';
import type { FieldKey } from './keyring.ts';

/** Format version of stored ciphertexts; bump it (and keep reading old ones) if the layout changes. */
export const FIELD_FORMAT_VERSION = 1;
const KEY_ID_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const MIN_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

/** Where a value is stored: the ciphertext is bound to it and fails anywhere else. */
export interface FieldContext {
  schoolId: string;
  table: string;
  column: string;
  rowId: string;
}

export type DecryptionFailure = 'unsupported_format' | 'truncated' | 'unknown_key' | 'authentication_failed';

/** A value could not be decrypted. Fails closed: never garbage, never the ciphertext as text. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
  readonly reason: DecryptionFailure;

  constructor(reason: DecryptionFailure, context: FieldContext) {
    // Table, column and row id only: no value, no key material.
    super(
      `cannot decrypt ${context.table}.${context.column} of row ${context.rowId}: ${reason.replaceAll('_', ' ')}`,
    );
    this.reason = reason;
  }
}

function associatedData(context: FieldContext): Buffer {
  return Buffer.from(
    JSON.stringify([
      'haven-field',
      FIELD_FORMAT_VERSION,
      context.schoolId,
      context.table,
      context.column,
      context.rowId,
    ]),
    'utf8',
  );
}

/** Encrypts a text value: version ‖ key id ‖ nonce ‖ ciphertext ‖ tag (AES-256-GCM). */
export function encryptField(key: FieldKey, plaintext: string, context: FieldContext): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FIELD_FORMAT_VERSION;
  header.write(key.id.replaceAll('-', ''), 1, 'hex');
  return Buffer.concat([header, seal(key.bytes, Buffer.from(plaintext, 'utf8'), associatedData(context))]);
}

/** The id of the key a ciphertext was made with (to look it up before decrypting). */
export function fieldKeyId(ciphertext: Buffer, context: FieldContext): string {
  if (ciphertext.length < 1 || ciphertext[0] !== FIELD_FORMAT_VERSION) {
    throw new DecryptionError('unsupported_format', context);
  }
  if (ciphertext.length < MIN_BYTES) {
    throw new DecryptionError('truncated', context);
  }
  const hex = ciphertext.subarray(1, HEADER_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Decrypts with the key the ciphertext names; `key` undefined means that key no longer exists. */
export function decryptField(key: FieldKey | undefined, ciphertext: Buffer, context: FieldContext): string {
  const keyId = fieldKeyId(ciphertext, context);
  if (key === undefined || key.id !== keyId) {
    throw new DecryptionError('unknown_key', context);
  }
  try {
    return open(key.bytes, ciphertext.subarray(HEADER_BYTES), associatedData(context)).toString('utf8');
  } catch {
    throw new DecryptionError('authentication_failed', context);
  }
}
