import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';

// AES-256-GCM with a random 96-bit nonce (NIST SP 800-38D §8.2.2) from node:crypto; no home-made primitives.
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * Encrypts `plaintext` bound to `aad`; returns prefix ‖ nonce ‖ ciphertext ‖ tag, written into one
 * buffer (this is the hot path of every personal field, so it avoids intermediate copies).
 */
export function seal(key: KeyObject, plaintext: Buffer | string, aad: Buffer, prefix?: Buffer): Buffer {
  const prefixBytes = prefix?.length ?? 0;
  const body = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const out = Buffer.allocUnsafe(prefixBytes + NONCE_BYTES + body.length + TAG_BYTES);
  prefix?.copy(out, 0);
  const nonce = randomFillSync(out, prefixBytes, NONCE_BYTES).subarray(
    prefixBytes,
    prefixBytes + NONCE_BYTES,
  );
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  // GCM is a stream mode: update() returns every byte and final() none, so the ciphertext fits exactly.
  const encrypted = cipher.update(body);
  encrypted.copy(out, prefixBytes + NONCE_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(out, prefixBytes + NONCE_BYTES + body.length);
  return out;
}

/** Reverses `seal`, reading from `offset` (past a prefix); throws when the key, associated data or any byte is wrong. */
export function open(key: KeyObject, sealed: Buffer, aad: Buffer, offset = 0): Buffer {
  if (sealed.length - offset < NONCE_BYTES + TAG_BYTES) {
    throw new RangeError('sealed value is too short');
  }
  const nonce = sealed.subarray(offset, offset + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(offset + NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(body);
  decipher.final();
  return plaintext;
}
