import pino from 'pino';
import { buildApp, type HavenApp } from '../../src/app.ts';
import type { Services } from '../../src/services.ts';

/** The real application over a test database, for `app.inject` (no network). */
export async function buildTestApp(services: Services): Promise<HavenApp> {
  const app = await buildApp({ services, logger: pino({ level: 'silent' }) });
  await app.ready();
  return app;
}
