import type { KeyObject } from 'node:crypto';
import { open, seal, NONCE_BYTES, TAG_BYTES } from './aead.ts';

/** Format version of stored ciphertexts; bump it (and keep reading old ones) if the layout changes. */
export const FIELD_FORMAT_VERSION = 1;
const KEY_ID_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
const MIN_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

/** A subject key ready for the cipher: its id (UUID and hex) and the header every ciphertext starts with. */
export interface FieldKey {
  id: string;
  hexId: string;
  /** A KeyObject, not raw bytes: node:crypto then skips re-importing the key on every cipher (3× faster). */
  key: KeyObject;
  header: Buffer;
}

export function fieldKey(id: string, key: KeyObject): FieldKey {
  const hexId = id.replaceAll('-', '');
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FIELD_FORMAT_VERSION;
  header.write(hexId, 1, 'hex');
  return { id, hexId, key, header };
}

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

// NUL-separated: a NUL cannot occur in a UUID or a table or column name, so the encoding is unambiguous.
function associatedData(context: FieldContext): Buffer {
  const { schoolId, table, column, rowId } = context;
  return Buffer.from(
    `haven-field\u0000${FIELD_FORMAT_VERSION}\u0000${schoolId}\u0000${table}\u0000${column}\u0000${rowId}`,
    'utf8',
  );
}

/** Encrypts a value (text, or bytes such as an uploaded file): version ‖ key id ‖ nonce ‖ ciphertext ‖ tag (AES-256-GCM). */
export function encryptField(key: FieldKey, plaintext: string | Buffer, context: FieldContext): Buffer {
  return seal(key.key, plaintext, associatedData(context), key.header);
}

/** The id (hex) of the key a ciphertext was made with, to look it up before decrypting. */
export function fieldKeyId(ciphertext: Buffer, context: FieldContext): string {
  if (ciphertext.length < 1 || ciphertext[0] !== FIELD_FORMAT_VERSION) {
    throw new DecryptionError('unsupported_format', context);
  }
  if (ciphertext.length < MIN_BYTES) {
    throw new DecryptionError('truncated', context);
  }
  return ciphertext.toString('hex', 1, HEADER_BYTES);
}

/** Decrypts a text value with the key the ciphertext names; `key` undefined means that key no longer exists. */
export function decryptField(key: FieldKey | undefined, ciphertext: Buffer, context: FieldContext): string {
  return decryptFieldBytes(key, ciphertext, context).toString('utf8');
}

/** Decrypts to bytes (see decryptField). */
export function decryptFieldBytes(
  key: FieldKey | undefined,
  ciphertext: Buffer,
  context: FieldContext,
): Buffer {
  if (ciphertext.length < 1 || ciphertext[0] !== FIELD_FORMAT_VERSION) {
    throw new DecryptionError('unsupported_format', context);
  }
  if (ciphertext.length < MIN_BYTES) {
    throw new DecryptionError('truncated', context);
  }
  if (key === undefined || key.header.compare(ciphertext, 0, HEADER_BYTES) !== 0) {
    throw new DecryptionError('unknown_key', context);
  }
  try {
    return open(key.key, ciphertext, associatedData(context), HEADER_BYTES);
  } catch {
    throw new DecryptionError('authentication_failed', context);
  }
}
