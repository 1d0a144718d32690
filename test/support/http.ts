import pino from 'pino';
import { buildApp, type HavenApp } from '../../src/app.ts';
import type { DB } from '../../src/database.ts';
import type { HavenDatabase } from '../../src/platform/db/database.ts';

/** The real application over a test database, for `app.inject` (no network). */
export async function buildTestApp(db: HavenDatabase<DB>): Promise<HavenApp> {
  const app = await buildApp({ database: db, logger: pino({ level: 'silent' }) });
  await app.ready();
  return app;
}
