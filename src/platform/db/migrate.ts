import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { FileMigrationProvider, Migrator, type MigrationResult } from 'kysely/migration';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

/** Thrown when a migration fails; names the migration and keeps the database's own message. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
  });
}

/** Brings the schema to the newest migration; each migration runs in its own transaction. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result: MigrationResult) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new MigrationError(
      failed === undefined
        ? `migrations could not run: ${reason}`
        : `migration ${failed.migrationName} failed and was rolled back: ${reason}`,
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Names of the migrations shipped with this build, in order. */
export async function knownMigrations(): Promise<string[]> {
  const files = await fs.readdir(MIGRATIONS_DIR);
  return files
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/**
 * Migrations shipped with this build that the database has not run. Works as the application role,
 * which may read (never change) the migration history.
 */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const known = await knownMigrations();
  const exists = await sql<{
    present: boolean;
  }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (exists.rows[0]?.present !== true) {
    return known;
  }
  const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const executed = new Set(done.rows.map((row) => row.name));
  return known.filter((name) => !executed.has(name));
}
