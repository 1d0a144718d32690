/**
 * A bounded, expiring cache of unwrapped keys, so hot paths do not unwrap a key per field. Least
 * recently used entries go first; destroyed keys are deleted at once. (Bytes are not zeroed on removal:
 * a caller may still be using a key the cache has just evicted.)
 */
export class KeyCache {
  readonly #entries = new Map<string, { key: Buffer; expires: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  get(id: string): Buffer | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expires <= this.#now()) {
      this.delete(id);
      return undefined;
    }
    // Re-insert to mark as most recently used (a Map keeps insertion order).
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.key;
  }

  set(id: string, key: Buffer): void {
    this.#entries.delete(id);
    this.#entries.set(id, { key, expires: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.delete(oldest);
    }
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** Deletes every entry whose id starts with `prefix` (e.g. everything of one school). */
  deletePrefix(prefix: string): void {
    for (const id of this.#entries.keys()) {
      if (id.startsWith(prefix)) {
        this.delete(id);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
