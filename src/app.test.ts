import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import type { HavenApp } from './app.ts';
import type { DB } from './database.ts';
import { appKysely } from './platform/db/connect.ts';
import { HavenDatabase } from './platform/db/database.ts';
import { buildTestApp } from '../test/support/http.ts';
import { createTestServices, type TestServices } from '../test/support/services.ts';

let testDb: TestServices;
let app: HavenApp;

before(async () => {
  testDb = await createTestServices();
  app = await buildTestApp(testDb);
});
after(async () => {
  await app.close();
  await testDb.close();
});

describe('operations endpoints', () => {
  test('GET /health answers 200 ok', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  test('GET /ready answers 200 when the database is reachable and migrated', async () => {
    const response = await app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ready', database: 'ok', migrations: 'current' });
  });

  test('GET /ready answers 503 on a database that has never been migrated', async () => {
    const bare = await createTestServices({ migrate: false });
    const bareApp = await buildTestApp(bare);
    try {
      const response = await bareApp.inject({ method: 'GET', url: '/ready' });
      assert.equal(response.statusCode, 503);
      // On a shared PostgreSQL server the roles may already exist (another database made them): then the
      // database answers and the migrations show as pending. On a new server nothing can even connect.
      const body = response.json<{ status: string; migrations: string }>();
      assert.equal(body.status, 'unavailable');
      assert.notEqual(body.migrations, 'current');
    } finally {
      await bareApp.close();
      await bare.close();
    }
  });

  test('GET /ready answers 503 when the database has gone away', async () => {
    // A real connection attempt to a port where no database listens.
    const source = { kind: 'postgres' as const, url: 'postgres://haven@127.0.0.1:9/haven', poolSize: 1 };
    const gone = new HavenDatabase<DB>(appKysely<DB>(source), 'postgres', pino({ level: 'silent' }));
    const goneApp = await buildTestApp({ ...testDb, db: gone });
    try {
      const response = await goneApp.inject({ method: 'GET', url: '/ready' });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json<{ database: string }>().database, 'unreachable');
    } finally {
      await goneApp.close();
      await gone.close();
    }
  });
});

describe('API documentation', () => {
  test('GET /api/openapi.json is an OpenAPI 3.1 document listing the routes', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    assert.equal(document.openapi, '3.1.0');
    assert.ok('/health' in document.paths && '/ready' in document.paths);
  });

  test('GET /api/docs serves the browsable documentation', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
  });
});

describe('security headers', () => {
  test('responses carry helmet headers and a content security policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.ok(response.headers['strict-transport-security']);
  });
});
