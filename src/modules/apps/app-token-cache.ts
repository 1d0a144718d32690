import { createHash } from 'node:crypto';

/**
 * What a valid access token says that cannot change while it lives: oidc-provider writes a token once and
 * never rewrites it. Whether it still counts (revoked, its session or app gone, its grant withdrawn) can
 * change at any moment, so that is asked of the database on every request, never remembered.
 */
export interface KnownToken {
  clientId: string;
  schoolId: string;
  grantId: string;
  scope: string;
  /** The session the token ends with (oidc-provider's `expiresWithSession`), if it is bound to one. */
  sessionUid: string | undefined;
  /** When the token expires (milliseconds since the epoch). */
  expiresAt: number;
}

/**
 * Tokens already found valid by oidc-provider, keyed by the token's digest (the cache holds no bearer
 * value), each kept no longer than the token lives; when full, the oldest entry goes first. Only saves
 * re-reading and re-validating the token's immutable payload on each request of an app.
 */
export class KnownTokens {
  readonly #entries = new Map<string, KnownToken>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  static digest(value: string): string {
    return createHash('sha256').update(value).digest('base64url');
  }

  get(digest: string): KnownToken | undefined {
    const entry = this.#entries.get(digest);
    if (entry !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(digest);
      return undefined;
    }
    return entry;
  }

  set(digest: string, token: KnownToken): void {
    this.#entries.delete(digest);
    this.#entries.set(digest, token);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.#entries.delete(oldest);
    }
  }

  delete(digest: string): void {
    this.#entries.delete(digest);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** oidc-provider's session binding (token_helpers checkSessionBinding), on the session as stored now. */
export function sessionStillBinds(session: unknown, token: KnownToken): boolean {
  if (typeof session !== 'object' || session === null) {
    return false;
  }
  const { accountId, authorizations, exp } = session as {
    accountId?: unknown;
    authorizations?: Record<string, { grantId?: unknown } | undefined>;
    exp?: unknown;
  };
  if (typeof exp === 'number' && exp * 1000 <= Date.now()) {
    return false;
  }
  return accountId === token.schoolId && authorizations?.[token.clientId]?.grantId === token.grantId;
}
