import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseSource } from './connect.ts';
import { APP_ROLE, PLATFORM_ROLE, SCHOOL_SETTING } from './roles.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which context a transaction runs in; used to refuse nesting, which would deadlock PGlite's one connection. */
type Context = { kind: 'school'; schoolId: string } | { kind: 'platform'; reason: string };

/** Runs inside every platform transaction before its work (Haven audits each one). */
export type PlatformContextHook<DB> = (trx: Transaction<DB>, reason: string) => Promise<void>;

/**
 * Runs read-only work on a connection of its own that sees exactly the snapshot of the school
 * transaction that handed it out (see `withSchoolSnapshot`); several run at once.
 */
export type Alongside<DB> = <T>(read: (trx: Transaction<DB>) => Promise<T>) => Promise<T>;

// A snapshot id as pg_export_snapshot() returns it (e.g. 00000003-0000001B-1): it goes into a SET
// statement, which takes no parameters.
const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

/**
 * Selects the school for row-level security and takes the application role, for the rest of the
 * transaction. One round trip for both (`set_config('role', …, true)` is `set local role`): every school
 * request opens such a transaction, so a statement saved here is saved on every request.
 */
async function enterSchool<DB>(trx: Transaction<DB>, schoolId: string): Promise<void> {
  await sql`select set_config(${SCHOOL_SETTING}, ${schoolId}, true), set_config('role', ${APP_ROLE}, true)`.execute(
    trx,
  );
}

/** Thrown on misuse of the tenant context by code (never by a user's input). */
export class TenantContextError extends Error {
  override name = 'TenantContextError';
}

/**
 * Haven's database handle. All tenant data is reached through `withSchool` (one school, enforced by
 * row-level security) or `withPlatform` (explicit, logged cross-school work); both run one transaction.
 */
export class HavenDatabase<DB> {
  readonly kind: 'embedded' | 'postgres';
  readonly #db: Kysely<DB>;
  readonly #log: Logger;
  readonly #context = new AsyncLocalStorage<Context>();
  readonly #onPlatformContext: PlatformContextHook<DB> | undefined;
  readonly #source: DatabaseSource | undefined;
  readonly #readers: Kysely<DB> | undefined;

  /**
   * `readers`: a pool of its own for `withSchoolSnapshot`'s reads alongside a transaction (PostgreSQL
   * only). Separate so that a transaction waiting for its readers never waits for a connection that
   * another such transaction holds.
   */
  constructor(
    db: Kysely<DB>,
    kind: 'embedded' | 'postgres',
    log: Logger,
    onPlatformContext?: PlatformContextHook<DB>,
    source?: DatabaseSource,
    readers?: Kysely<DB>,
  ) {
    this.#db = db;
    this.kind = kind;
    this.#log = log;
    this.#onPlatformContext = onPlatformContext;
    this.#source = source;
    this.#readers = readers;
  }

  /**
   * Where the data lives (the PGlite instance, or the server's URL): for a backup, which must dump
   * through the instance a running embedded server holds. Undefined for a handle built without it.
   */
  get source(): DatabaseSource | undefined {
    return this.#source;
  }

  /** Runs `work` in a transaction that can see and change only the rows of `schoolId`. */
  async withSchool<R>(schoolId: string, work: (trx: Transaction<DB>) => Promise<R>): Promise<R> {
    if (!UUID.test(schoolId)) {
      throw new TenantContextError('withSchool needs a school id in UUID form');
    }
    this.#refuseNesting();
    return this.#context.run({ kind: 'school', schoolId }, () =>
      this.#db.transaction().execute(async (trx) => {
        await enterSchool(trx, schoolId);
        return work(trx);
      }),
    );
  }

  /**
   * As `withSchool`, and `work` may also run reads at once on other connections (`alongside`), each in
   * a read-only repeatable-read transaction that imports this transaction's snapshot: together they
   * see one consistent state of the school, as a single transaction's reads would, while PostgreSQL
   * works on them in parallel. Each reader selects the school and the application role as
   * `withSchool` does, so row-level security limits it the same way. The embedded database has one
   * connection: there `alongside` runs the reads one after another in the transaction itself.
   * This transaction stays read committed, so that a write it makes (an audit event locking its
   * chain's head) waits for a concurrent one instead of failing as a serialisation conflict.
   */
  async withSchoolSnapshot<R>(
    schoolId: string,
    work: (trx: Transaction<DB>, alongside: Alongside<DB>) => Promise<R>,
  ): Promise<R> {
    const readers = this.#readers;
    if (readers === undefined) {
      return this.withSchool(schoolId, (trx) => {
        let queue: Promise<unknown> = Promise.resolve();
        const alongside: Alongside<DB> = (read) => {
          const run = queue.then(() => read(trx));
          queue = run.catch(() => undefined);
          return run;
        };
        return work(trx, alongside);
      });
    }
    if (!UUID.test(schoolId)) {
      throw new TenantContextError('withSchoolSnapshot needs a school id in UUID form');
    }
    this.#refuseNesting();
    return this.#context.run({ kind: 'school', schoolId }, () =>
      this.#db.transaction().execute(async (trx) => {
        const settings = await sql<{ snapshot: string }>`
          select set_config(${SCHOOL_SETTING}, ${schoolId}, true), set_config('role', ${APP_ROLE}, true),
            pg_export_snapshot() as snapshot`.execute(trx);
        const snapshot = settings.rows[0]?.snapshot ?? '';
        if (!SNAPSHOT_ID.test(snapshot)) {
          throw new TenantContextError('pg_export_snapshot returned an unexpected id');
        }
        const alongside: Alongside<DB> = (read) =>
          readers
            .transaction()
            .setIsolationLevel('repeatable read')
            .setAccessMode('read only')
            .execute(async (reader) => {
              // Must be the transaction's first statement; the snapshot lives while `trx` is open.
              await sql.raw(`set transaction snapshot '${snapshot}'`).execute(reader);
              await enterSchool(reader, schoolId);
              return read(reader);
            });
        return work(trx, alongside);
      }),
    );
  }

  /**
   * Runs `work` in a transaction that sees every school. Only for work that is cross-school by nature
   * (creating schools, retention sweeps, platform reports); `reason` names that work in the log.
   */
  async withPlatform<R>(reason: string, work: (trx: Transaction<DB>) => Promise<R>): Promise<R> {
    if (reason.trim() === '') {
      throw new TenantContextError('withPlatform needs a reason');
    }
    this.#refuseNesting();
    this.#log.info({ platformContext: reason }, 'platform context opened');
    return this.#context.run({ kind: 'platform', reason }, () =>
      this.#db.transaction().execute(async (trx) => {
        await sql.raw(`set local role ${PLATFORM_ROLE}`).execute(trx);
        // Recorded in the same transaction: the record exists exactly when the work was committed.
        await this.#onPlatformContext?.(trx, reason);
        return work(trx);
      }),
    );
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.#db);
      return true;
    } catch {
      return false;
    }
  }

  /** The application-role connection outside any tenant: sees no tenant rows. For health checks and tests. */
  get unscoped(): Kysely<DB> {
    return this.#db;
  }

  async close(): Promise<void> {
    await this.#readers?.destroy();
    await this.#db.destroy();
  }

  #refuseNesting(): void {
    const outer = this.#context.getStore();
    if (outer !== undefined) {
      throw new TenantContextError(
        `a tenant transaction cannot open inside another (${outer.kind === 'school' ? 'school' : outer.reason}); pass the transaction down instead`,
      );
    }
  }
}
