import type { Transaction } from 'kysely';
import type { DB } from '../../src/database.ts';
import type { HavenDatabase } from '../../src/platform/db/database.ts';

export interface GatedDatabase {
  /** The same database, but `withSchool` calls chosen by `hold` wait at the gate before starting. */
  db: HavenDatabase<DB>;
  /** Resolves when the first held call has arrived at the gate. */
  reached: Promise<void>;
  /** Lets every held call (now and later) through. */
  open: () => void;
}

/**
 * Makes races deterministic: a request's transactions (identity work runs through `withSchool`) can be
 * held between its steps while a test does something else, then let go. `hold(n)` says whether the
 * n-th call (counting from 1) waits. A held call has not begun its transaction, so it holds no connection.
 */
export function gatedDatabase(db: HavenDatabase<DB>, hold: (call: number) => boolean): GatedDatabase {
  let calls = 0;
  const opened = Promise.withResolvers<void>();
  const arrived = Promise.withResolvers<void>();
  const withSchool = async <R>(schoolId: string, work: (trx: Transaction<DB>) => Promise<R>): Promise<R> => {
    calls += 1;
    if (hold(calls)) {
      arrived.resolve();
      await opened.promise;
    }
    return db.withSchool(schoolId, work);
  };
  const gated = new Proxy(db, {
    get(target, property) {
      if (property === 'withSchool') {
        return withSchool;
      }
      // Other members belong to the real object (its private fields are not on the proxy).
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: gated, reached: arrived.promise, open: () => opened.resolve() };
}
