// The error vocabulary, exercised through the real application (helmet, request ids, database) with a
// few routes added for the test.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Type } from 'typebox';
import { buildApp, type HavenApp } from '../../app.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { createLogger } from '../logger.ts';
import { AppError } from './errors.ts';

let testDb: TestServices;
let app: HavenApp;
const logLines: string[] = [];

before(async () => {
  testDb = await createTestServices();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await buildApp({ services: testDb, logger: createLogger('info', sink) });
  app.post(
    '/test/echo',
    {
      schema: {
        body: Type.Object({
          name: Type.String({ minLength: 1 }),
          age: Type.Integer({ minimum: 0 }),
          contact: Type.Object({ email: Type.String({ format: 'email' }) }),
        }),
      },
    },
    async (request) => {
      request.log.info({ body: request.body }, 'echo');
      return { ok: true };
    },
  );
  app.get('/test/app-error', async () => {
    throw new AppError(409, 'urn_taken', 'A school with URN 100001 already exists.', [
      { field: 'urn', message: 'is already used by another school' },
    ]);
  });
  app.get('/test/crash', async () => {
    throw new Error('internal detail: connection string postgres://admin:hunter2@db/haven');
  });
  app.get('/test/too-many', async () => {
    throw Object.assign(new Error('slow down'), { statusCode: 429 });
  });
  app.get<{ Querystring: { urn: string } }>('/test/duplicate', async (request) => {
    await testDb.db.withPlatform('test.duplicate', (trx) =>
      trx.insertInto('schools').values({ name: 'Duplicate', urn: request.query.urn }).execute(),
    );
    return { ok: true };
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await testDb.close();
});

describe('error responses', () => {
  test('schema validation: 400 validation_failed naming every bad field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: '', age: -1, contact: {} },
    });
    assert.equal(response.statusCode, 400);
    const body = response.json<{ code: string; fields: Array<{ field: string }>; requestId: string }>();
    assert.equal(body.code, 'validation_failed');
    assert.deepEqual(body.fields.map((field) => field.field).sort(), [
      'body.age',
      'body.contact.email',
      'body.name',
    ]);
    assert.equal(body.requestId, response.headers['x-request-id']);
  });

  test('an AppError keeps its status, code, message and fields', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/app-error' });
    assert.equal(response.statusCode, 409);
    const body = response.json<Record<string, unknown>>();
    assert.equal(body.code, 'urn_taken');
    assert.equal(body.message, 'A school with URN 100001 already exists.');
    assert.deepEqual(body.fields, [{ field: 'urn', message: 'is already used by another school' }]);
  });

  test('an unexpected error is a generic 500 with the request id and no internals', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/crash' });
    assert.equal(response.statusCode, 500);
    const body = response.json<Record<string, unknown>>();
    assert.equal(body.code, 'internal_error');
    assert.equal(typeof body.requestId, 'string');
    assert.ok(!response.body.includes('hunter2') && !response.body.includes('internal detail'));
  });

  test('a unique violation from the database is a 409 that does not echo the value', async () => {
    const school = await buildSchool(testDb);
    const response = await app.inject({ method: 'GET', url: `/test/duplicate?urn=${school.urn}` });
    assert.equal(response.statusCode, 409);
    assert.equal(response.json<{ code: string }>().code, 'conflict');
    assert.ok(!response.body.includes(school.urn ?? 'never'));
  });

  test('429 carries the rate_limited code', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/too-many' });
    assert.equal(response.statusCode, 429);
    assert.equal(response.json<{ code: string }>().code, 'rate_limited');
  });

  test('malformed JSON is a 400 that does not echo the body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Ada Pupil", ',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<{ code: string }>().code, 'invalid_json');
    assert.ok(!response.body.includes('Ada'));
  });

  test('an unknown API route is a 404 in the same shape (page addresses belong to the web app)', async () => {
    for (const request of [
      { method: 'GET' as const, url: '/api/v1/no/such/route' },
      { method: 'POST' as const, url: '/no/such/route' },
    ]) {
      const response = await app.inject(request);
      assert.equal(response.statusCode, 404, request.url);
      assert.deepEqual(Object.keys(response.json<object>()).sort(), [
        'code',
        'message',
        'requestId',
        'status',
      ]);
    }
  });
});

describe('request ids', () => {
  test('every response carries a fresh request id', async () => {
    const first = await app.inject({ method: 'GET', url: '/health' });
    const second = await app.inject({ method: 'GET', url: '/health' });
    assert.match(String(first.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
  });

  test("a load balancer's plain X-Request-Id is kept; anything else is replaced", async () => {
    const kept = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'lb-0123456789' },
    });
    assert.equal(kept.headers['x-request-id'], 'lb-0123456789');
    const replaced = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id\n{"x":1}' },
    });
    assert.notEqual(replaced.headers['x-request-id'], 'bad id\n{"x":1}');
  });
});

describe('logs', () => {
  test('credentials and personal fields are redacted', async () => {
    logLines.length = 0;
    await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { authorization: 'Bearer top-secret-token', cookie: 'haven_session=abc123' },
      payload: { name: 'Zebedee Testpupil', age: 11, contact: { email: 'zebedee@example.invalid' } },
    });
    const text = logLines.join('');
    assert.ok(text.includes('"msg":"echo"'), 'the route logged its body');
    for (const secret of ['top-secret-token', 'abc123', 'Zebedee', 'zebedee@example.invalid']) {
      assert.ok(!text.includes(secret), `log must not contain ${secret}`);
    }
  });
});
