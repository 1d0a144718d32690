import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  hkdfSync,
  sign,
  type KeyObject,
} from 'node:crypto';
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
  /** Signs an audit checkpoint with the current signing key (Ed25519). */
  signAudit(message: Buffer): Promise<{ keyId: string; signature: Buffer }>;
  /** Public halves of every signing key this provider knows (current first), to verify checkpoints. */
  auditPublicKeys(): Array<{ keyId: string; publicKey: KeyObject }>;
  /**
   * A 32-byte secret for one purpose (e.g. the OAuth server's cookie and signing keys), derived from the
   * current master key: every process of a deployment derives the same one, and it rotates with the key.
   */
  deriveSecret(purpose: string): Buffer;
  /**
   * `deriveSecret(purpose)` under every master key loaded, current first: to open what a previous master
   * key protected (e.g. a backup written before a rotation).
   */
  deriveSecrets(purpose: string): Buffer[];
}

/** The KEK that wrapped a key is not loaded (e.g. a previous master key was removed too early). */
export class UnknownKekError extends Error {
  override name = 'UnknownKekError';
}

/** A short public fingerprint of a KEK: identifies it in the database without revealing it. */
export function kekFingerprint(kek: Buffer): string {
  return createHmac('sha256', kek).update('haven kek id').digest('hex').slice(0, 16);
}

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The audit signing key derived from a KEK (HKDF), so it lives and rotates with the master key. */
function auditSigningKey(kek: Buffer): { keyId: string; privateKey: KeyObject; publicKey: KeyObject } {
  const seed = Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'haven audit signing v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return { keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16), privateKey, publicKey };
}

function derive(kek: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), `haven ${purpose} v1`, 32));
}

/** KEKs held in memory: the current one and any previous ones still needed during a rotation. */
export class LocalKeyProvider implements KeyProvider {
  readonly currentKekId: string;
  readonly kekIds: readonly string[];
  readonly #keks: Map<string, KeyObject>;
  readonly #signing: Array<ReturnType<typeof auditSigningKey>>;
  readonly #current: Buffer;
  readonly #previous: readonly Buffer[];
  readonly #derived = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const kek of [current, ...previous]) {
      if (kek.length !== KEY_BYTES) {
        throw new RangeError(`a master key must be ${KEY_BYTES} bytes`);
      }
    }
    this.currentKekId = kekFingerprint(current);
    this.#current = Buffer.from(current);
    this.#previous = previous.map((kek) => Buffer.from(kek));
    this.#keks = new Map([current, ...previous].map((kek) => [kekFingerprint(kek), createSecretKey(kek)]));
    this.kekIds = [...this.#keks.keys()];
    this.#signing = [current, ...previous].map(auditSigningKey);
  }

  async signAudit(message: Buffer): Promise<{ keyId: string; signature: Buffer }> {
    const [current] = this.#signing;
    if (current === undefined) {
      throw new UnknownKekError('no signing key');
    }
    return { keyId: current.keyId, signature: sign(null, message, current.privateKey) };
  }

  auditPublicKeys(): Array<{ keyId: string; publicKey: KeyObject }> {
    return this.#signing.map(({ keyId, publicKey }) => ({ keyId, publicKey }));
  }

  deriveSecret(purpose: string): Buffer {
    // Asked for per pupil by the app API's pairwise ids: derived once per purpose, then remembered.
    let secret = this.#derived.get(purpose);
    if (secret === undefined) {
      secret = derive(this.#current, purpose);
      this.#derived.set(purpose, secret);
    }
    return Buffer.from(secret);
  }

  deriveSecrets(purpose: string): Buffer[] {
    return [this.deriveSecret(purpose), ...this.#previous.map((kek) => derive(kek, purpose))];
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
