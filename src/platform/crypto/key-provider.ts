import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { open, seal, KEY_BYTES } from './aead.ts';

/** A data key wrapped by a root key (KEK), with the id of the KEK that wrapped it. */
export interface WrappedKey {
  kekId: string;
  wrapped: Buffer;
}

/**
 * The root of the key hierarchy. Callers only wrap and unwrap; where the KEK lives (an environment
 * variable, a key file, later a KMS) is the provider's business, so a KMS needs no change elsewhere.
 */
export interface KeyProvider {
  /** Id of the KEK new keys are wrapped with. */
  readonly currentKekId: string;
  /** Ids of every KEK this provider can unwrap with (current first). */
  readonly kekIds: readonly string[];
  wrap(key: Buffer, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

/** The KEK that wrapped a key is not loaded (e.g. a previous master key was removed too early). */
export class UnknownKekError extends Error {
  override name = 'UnknownKekError';
}

/** A short public fingerprint of a KEK: identifies it in the database without revealing it. */
export function kekFingerprint(kek: Buffer): string {
  return createHmac('sha256', kek).update('haven kek id').digest('hex').slice(0, 16);
}

/** KEKs held in memory: the current one and any previous ones still needed during a rotation. */
export class LocalKeyProvider implements KeyProvider {
  readonly currentKekId: string;
  readonly kekIds: readonly string[];
  readonly #keks: Map<string, KeyObject>;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const kek of [current, ...previous]) {
      if (kek.length !== KEY_BYTES) {
        throw new RangeError(`a master key must be ${KEY_BYTES} bytes`);
      }
    }
    this.currentKekId = kekFingerprint(current);
    this.#keks = new Map([current, ...previous].map((kek) => [kekFingerprint(kek), createSecretKey(kek)]));
    this.kekIds = [...this.#keks.keys()];
  }

  async wrap(key: Buffer, context: string): Promise<WrappedKey> {
    const kek = this.#keks.get(this.currentKekId);
    if (kek === undefined) {
      throw new UnknownKekError('the current master key is not loaded');
    }
    return { kekId: this.currentKekId, wrapped: seal(kek, key, Buffer.from(context, 'utf8')) };
  }

  async unwrap(key: WrappedKey, context: string): Promise<Buffer> {
    const kek = this.#keks.get(key.kekId);
    if (kek === undefined) {
      throw new UnknownKekError(
        `master key ${key.kekId} is not loaded; it is needed to read keys it wrapped`,
      );
    }
    return open(kek, key.wrapped, Buffer.from(context, 'utf8'));
  }
}
