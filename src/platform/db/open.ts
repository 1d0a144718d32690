import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { appKysely, openEmbedded, ownerKysely, readerKysely, type DatabaseSource } from './connect.ts';
import { HavenDatabase, type PlatformContextHook } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export interface OpenOptions<DB> {
  /** Run pending migrations before handing out the database (start does; tests do). */
  migrate: boolean;
  /** Runs inside every platform transaction (the app audits them). */
  onPlatformContext?: PlatformContextHook<DB>;
}

/** The database source a configuration names: PostgreSQL when DATABASE_URL is set, else embedded. */
export async function sourceFor(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
): Promise<DatabaseSource> {
  if (config.databaseUrl !== undefined) {
    return { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize };
  }
  return { kind: 'embedded', pglite: await openEmbedded(path.join(config.dataDir, 'db')) };
}

/** Runs migrations as the owner, then returns the RLS-limited application handle. */
export async function openDatabase<DB>(
  source: DatabaseSource,
  log: Logger,
  options: OpenOptions<DB>,
): Promise<HavenDatabase<DB>> {
  if (options.migrate) {
    const owner = ownerKysely<unknown>(source);
    try {
      const applied = await migrateToLatest(owner);
      if (applied.length > 0) {
        log.info({ migrations: applied }, 'database migrated');
      }
    } finally {
      // Destroying the owner handle of an embedded database would close it for the app handle too.
      if (source.kind === 'postgres') {
        await owner.destroy();
      }
    }
  }
  return new HavenDatabase<DB>(
    appKysely<DB>(source),
    source.kind,
    log,
    options.onPlatformContext,
    source,
    source.kind === 'postgres' ? readerKysely<DB>(source) : undefined,
  );
}
