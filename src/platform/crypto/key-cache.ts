/**
 * A bounded, expiring cache of unwrapped keys, so hot paths do not unwrap a key per field. When full,
 * the oldest entry goes first; destroyed keys are deleted at once.
 */
export class KeyCache<T> {
  readonly #entries = new Map<string, { key: T; expires: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  get(id: string): T | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expires <= this.#now()) {
      this.delete(id);
      return undefined;
    }
    return entry.key;
  }

  set(id: string, key: T): void {
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
