import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, type DatabaseConnection } from 'kysely';
import { Pool, TypeOverrides } from 'pg';
import { APP_ROLE } from './roles.ts';

/** Where the data lives: an embedded PGlite instance (in a directory or in memory) or a PostgreSQL server. */
export type DatabaseSource =
  { kind: 'embedded'; pglite: PGlite } | { kind: 'postgres'; url: string; poolSize: number };

const BYTEA_OID = 17;
const DATE_OID = 1082;
// A calendar date stays the 'yyyy-mm-dd' text it is: as a JavaScript Date it would gain a time zone and
// could move a birthday by a day.
const keepText = (text: string): string => text;

/** PostgreSQL's hex output for bytea (`\\x0a1b…`) as a Buffer. */
function parseBytea(text: string): Buffer {
  return Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');
}

/** Opens (and creates when missing) the embedded database; `dataDir` undefined means in memory. */
export async function openEmbedded(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  }
  // bytea as a Node Buffer, as the pg driver returns it (PGlite's default is a bare Uint8Array).
  const options = { parsers: { [BYTEA_OID]: parseBytea, [DATE_OID]: keepText } };
  const pglite = dataDir === undefined ? new PGlite(options) : new PGlite(dataDir, options);
  await pglite.waitReady;
  return pglite;
}

/**
 * A Kysely instance connected as the table owner: for migrations and the database tests' set-up only.
 * For an embedded database, destroying it would close the PGlite instance, so callers leave that to the
 * application instance.
 */
export function ownerKysely<DB>(source: DatabaseSource): Kysely<DB> {
  if (source.kind === 'embedded') {
    return new Kysely<DB>({ dialect: new PGliteDialect({ pglite: source.pglite }) });
  }
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: newPool(source.url, 1) }) });
}

/**
 * A Kysely instance whose every connection starts as the RLS-limited application role with no school
 * selected, so any query outside `withSchool`/`withPlatform` sees no tenant rows at all.
 */
export function appKysely<DB>(source: DatabaseSource): Kysely<DB> {
  if (source.kind === 'embedded') {
    return new Kysely<DB>({ dialect: new PGliteDialect({ pglite: source.pglite, onCreateConnection }) });
  }
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: newPool(source.url, source.poolSize), onCreateConnection }),
  });
}

/**
 * Connections for reads alongside a school transaction (`HavenDatabase.withSchoolSnapshot`), as the
 * application role like `appKysely`'s: PostgreSQL only. A few suffice: a report reads at most three
 * things at once, and one waiting for a reader only waits for another report's read to finish.
 */
export function readerKysely<DB>(source: DatabaseSource & { kind: 'postgres' }): Kysely<DB> {
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: newPool(source.url, READERS), onCreateConnection }),
  });
}

const READERS = 4;

async function onCreateConnection(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw(`set role ${APP_ROLE}`));
}

// Date columns as text for the pg driver too (see keepText).
const poolTypes = new TypeOverrides();
poolTypes.setTypeParser(DATE_OID, 'text', keepText);

function newPool(url: string, max: number): Pool {
  const pool = new Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    types: poolTypes,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener Node would
  // crash the process. The next checkout gets a fresh connection.
  pool.on('error', () => undefined);
  return pool;
}
