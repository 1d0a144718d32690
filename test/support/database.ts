import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Client } from 'pg';
import type { DB } from '../../src/database.ts';
import { auditPlatformContext } from '../../src/platform/audit/audit-log.ts';
import { openEmbedded, type DatabaseSource } from '../../src/platform/db/connect.ts';
import type { HavenDatabase } from '../../src/platform/db/database.ts';
import { openDatabase } from '../../src/platform/db/open.ts';

/** A migrated database for one test file; tests isolate themselves by creating their own schools. */
export interface TestDatabase {
  db: HavenDatabase<DB>;
  kind: 'embedded' | 'postgres';
  /** The source, for tests that need a second handle on the same database (e.g. owner-level checks). */
  source: DatabaseSource;
  close: () => Promise<void>;
}

/**
 * In-memory PGlite by default; a fresh database on the PostgreSQL server named by
 * HAVEN_TEST_DATABASE_URL when it is set (the same tests, the real server). Each call migrates from zero.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const log = pino({ level: 'silent' });
  const serverUrl = process.env.HAVEN_TEST_DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '') {
    const source: DatabaseSource = { kind: 'embedded', pglite: await openEmbedded(undefined) };
    const db = await openDatabase<DB>(source, log, { migrate, onPlatformContext: auditPlatformContext });
    return { db, kind: 'embedded', source, close: () => db.close() };
  }
  const name = `haven_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const source: DatabaseSource = { kind: 'postgres', url: url.toString(), poolSize: 4 };
  const db = await openDatabase<DB>(source, log, { migrate, onPlatformContext: auditPlatformContext });
  return {
    db,
    kind: 'postgres',
    source,
    close: async () => {
      await db.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
