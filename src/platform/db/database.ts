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

  constructor(
    db: Kysely<DB>,
    kind: 'embedded' | 'postgres',
    log: Logger,
    onPlatformContext?: PlatformContextHook<DB>,
    source?: DatabaseSource,
  ) {
    this.#db = db;
    this.kind = kind;
    this.#log = log;
    this.#onPlatformContext = onPlatformContext;
    this.#source = source;
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
        // One round trip for both settings (`set_config('role', …, true)` is `set local role`): every
        // school request opens one of these, so a statement saved here is saved on every request.
        await sql`select set_config(${SCHOOL_SETTING}, ${schoolId}, true), set_config('role', ${APP_ROLE}, true)`.execute(
          trx,
        );
        return work(trx);
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
