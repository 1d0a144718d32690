import { after, before } from 'node:test';
import pino from 'pino';
import { buildApp, type HavenApp } from '../../src/app.ts';
import type { Services } from '../../src/services.ts';
import { createTestServices, type TestServices } from './services.ts';

/** The real application over a test database, for `app.inject` (no network). */
export async function buildTestApp(services: Services): Promise<HavenApp> {
  const app = await buildApp({ services, logger: pino({ level: 'silent' }) });
  await app.ready();
  return app;
}

/**
 * One database, keyring and app for a whole test file, opened before its tests and closed after them:
 * tests isolate themselves by building their own schools.
 */
export function useTestApp(): { readonly services: TestServices; readonly app: HavenApp } {
  let services: TestServices | undefined;
  let app: HavenApp | undefined;
  before(async () => {
    services = await createTestServices();
    app = await buildTestApp(services);
  });
  after(async () => {
    await app?.close();
    await services?.close();
  });
  return {
    get services(): TestServices {
      if (services === undefined) {
        throw new Error('useTestApp: used before the before() hook ran');
      }
      return services;
    },
    get app(): HavenApp {
      if (app === undefined) {
        throw new Error('useTestApp: used before the before() hook ran');
      }
      return app;
    },
  };
}
