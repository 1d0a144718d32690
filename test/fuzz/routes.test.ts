// Hostile input, routes (issue #14): every route registered in the app that takes a JSON body (found
// from the route table, with its body schema from the OpenAPI document, so new routes are fuzzed
// automatically) is sent generated bodies — any JSON, malformed JSON, objects with the schema's
// property names holding wrong types, and bodies built from the schema with some values broken — as a
// signed-in user holding the route's permission, with the user's own school (or authority) in the URL so
// the request gets past the auth hooks. Every answer is below 500, and every error answer is in the
// error vocabulary. Bodies per route: HAVEN_FUZZ_ROUTE_RUNS (docs/fuzzing.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as fc from 'fast-check';
import pino from 'pino';
import { Type } from 'typebox';
import { buildApp, type HavenApp } from '../../src/app.ts';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { createOrganisation } from '../../src/modules/organisations/organisations.service.ts';
import {
  ROLE_ORGANISATION,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from '../../src/modules/organisations/roles.policy.ts';
import type { Services } from '../../src/services.ts';
import { buildUser, signInAs } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { useTestApp } from '../support/http.ts';
import { fuzzParameters, ROUTE_RUNS } from './fuzz-support.ts';

const fixture = useTestApp();

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

interface FuzzRoute {
  method: string;
  pattern: string;
  access: string;
  body: JsonSchema;
  /** Path parameters other than the caller's organisation, from their schemas. */
  params: Record<string, string>;
}

const ANY_ID = '00000000-0000-4000-8000-000000000000';

// Fuzzed last: a generated body may sign the fuzzer out of the way of the other routes (a school that
// now requires two factors, a login throttled by the rate limit).
const LAST = [/\/settings$/, /\/retention\/leave$/, /\/opt-out$/, /\/auth\//];

/** Every route with a JSON body, with its body schema as the OpenAPI document states it. */
async function jsonBodyRoutes(app: HavenApp): Promise<FuzzRoute[]> {
  const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, Operation>>;
  }>();
  const routes: FuzzRoute[] = [];
  for (const entry of app.routeTable) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(entry.method) || entry.access === undefined) {
      continue;
    }
    if (entry.access.startsWith('app:') || entry.access === 'connector') {
      continue; // bearer-token APIs without JSON bodies
    }
    const path = entry.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation = document.paths[path]?.[entry.method.toLowerCase()];
    const body = operation?.requestBody?.content?.['application/json']?.schema;
    if (operation === undefined || body === undefined) {
      continue;
    }
    const params: Record<string, string> = {};
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'path') {
        const schema = parameter.schema ?? {};
        params[parameter.name] =
          schema.enum !== undefined ? String(schema.enum[0]) : schema.format === 'uuid' ? ANY_ID : 'fuzz';
      }
    }
    routes.push({ method: entry.method, pattern: entry.url, access: entry.access, body, params });
  }
  const rank = (route: FuzzRoute) => LAST.findIndex((last) => last.test(route.pattern));
  return routes.sort((a, b) => rank(a) - rank(b));
}

// ---- bodies ----

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };

const anyJson = fc.jsonValue({ maxDepth: 3 });

const awkwardStrings = fc.constantFrom(
  '',
  ' ',
  'x'.repeat(10_000),
  '\u0000',
  '\uD800',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  '+275760-09-13',
  '-1',
  '1e999',
  'NaN',
  ANY_ID,
  'not-a-uuid',
  'a@b',
  'someone@example.invalid',
  'https://example.invalid/',
  'javascript:alert(1)',
  '<script>',
  "'; drop table pupils; --",
  '__proto__',
  'constructor',
);

const awkwardNumbers = fc.constantFrom(
  0,
  -1,
  1,
  0.5,
  -0.0,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e300,
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const dates = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });
  const formats: Record<string, fc.Arbitrary<string>> = {
    uuid: fc.oneof(fc.uuid(), fc.constant(ANY_ID)),
    date: dates.map((date) => date.toISOString().slice(0, 10)),
    'date-time': dates.map((date) => date.toISOString()),
    email: fc.emailAddress(),
    uri: fc.webUrl(),
  };
  return (
    formats[schema.format ?? ''] ??
    fc.string({
      minLength: Math.min(schema.minLength ?? 0, 200),
      maxLength: Math.max(Math.min(schema.minLength ?? 0, 200), Math.min(schema.maxLength ?? 40, 40)),
    })
  );
}

/** Values of the schema's shape (mostly valid), with a chance at every level of something of the wrong shape. */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(anyJson, awkwardStrings, awkwardNumbers);
  return fc.oneof({ weight: 5, arbitrary: shaped(schema, depth) }, { weight: 1, arbitrary: wrong });
}

function shaped(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 4) {
    return anyJson;
  }
  if (schema.const !== undefined) {
    return fc.constant(schema.const);
  }
  if (schema.enum !== undefined && schema.enum.length > 0) {
    return fc.constantFrom(...schema.enum);
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined && union.length > 0) {
    return fc.oneof(...union.map((member) => shaped(member, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') {
    const properties = Object.entries(schema.properties ?? {});
    return fc.record(
      Object.fromEntries(properties.map(([name, property]) => [name, fromSchema(property, depth + 1)])),
      { requiredKeys: (schema.required ?? []).filter((name) => schema.properties?.[name] !== undefined) },
    );
  }
  if (type === 'array') {
    return fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 5 });
  }
  if (type === 'string') {
    return fc.oneof({ weight: 4, arbitrary: stringFor(schema) }, { weight: 1, arbitrary: awkwardStrings });
  }
  if (type === 'integer') {
    return fc.oneof(integerWithin(schema.minimum, schema.maximum), fc.integer(), awkwardNumbers);
  }
  if (type === 'number') {
    return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), awkwardNumbers);
  }
  if (type === 'boolean') {
    return fc.boolean();
  }
  return type === 'null' ? fc.constant(null) : anyJson;
}

const clamp = (value: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, value));

/** Integers in the schema's range (fast-check's integers are 32-bit). */
function integerWithin(minimum: number | undefined, maximum: number | undefined): fc.Arbitrary<number> {
  const min = clamp(Math.ceil(minimum ?? Math.min(-1000, maximum ?? 0)));
  const max = clamp(Math.floor(maximum ?? Math.max(1000, minimum ?? 0)));
  return min <= max ? fc.integer({ min, max }) : fc.constant(min);
}

function bodiesFor(schema: JsonSchema): fc.Arbitrary<Body> {
  const names = Object.keys(schema.properties ?? {});
  const json = (arbitrary: fc.Arbitrary<unknown>) =>
    arbitrary.map((value): Body => ({ kind: 'json', value }));
  return fc.oneof(
    { weight: 2, arbitrary: json(anyJson) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 40 }),
          anyJson.map((value) => JSON.stringify(value).slice(0, -1)),
        )
        .map((text): Body => ({ kind: 'raw', text })),
    },
    ...(names.length === 0
      ? []
      : [
          {
            weight: 2,
            arbitrary: json(
              fc.record(Object.fromEntries(names.map((name) => [name, fc.oneof(anyJson, awkwardStrings)])), {
                requiredKeys: [],
              }),
            ),
          },
        ]),
    { weight: 5, arbitrary: json(shaped(schema, 0)) },
  );
}

// ---- callers: a signed-in user holding each route's permission ----

class Callers {
  readonly #services: Services;
  readonly #app: HavenApp;
  readonly #cookies = new Map<string, string>();
  readonly #users = new Map<string, string>();
  schoolId = '';
  authorityId = '';

  constructor(services: Services, app: HavenApp) {
    this.#services = services;
    this.#app = app;
  }

  async setUp(): Promise<void> {
    this.schoolId = (await buildSchool(this.#services)).id;
    this.authorityId = (
      await createOrganisation(this.#services, { kind: 'local_authority', name: `Fuzz LA ${process.pid}` })
    ).id;
  }

  /** The organisation in the URL, and the role (if any) to call as, for a route's access declaration. */
  callerFor(access: string): { orgId: string; role: Role | undefined } {
    const [scope = '', permission = ''] = access.split(':');
    const holding = (kind: string) =>
      ROLES.find(
        (role) =>
          ROLE_ORGANISATION[role] === kind && ROLE_PERMISSIONS[role].includes(permission as Permission),
      );
    switch (scope) {
      case 'school':
        return { orgId: this.schoolId, role: holding('school') };
      case 'authority':
        return { orgId: this.authorityId, role: holding('local_authority') };
      case 'platform':
        return { orgId: PLATFORM_ORG_ID, role: holding('platform') };
      case 'session':
        return { orgId: this.schoolId, role: 'school_admin' };
      default:
        return { orgId: this.schoolId, role: undefined };
    }
  }

  /** The session cookie of a user with the role in the organisation (signed in again when asked to). */
  async cookie(role: Role, orgId: string, fresh = false): Promise<string> {
    const key = `${role}@${orgId}`;
    const known = this.#cookies.get(key);
    if (known !== undefined && !fresh) {
      return known;
    }
    let email = this.#users.get(key);
    if (email === undefined) {
      email = (await buildUser(this.#services, role, orgId)).email;
      this.#users.set(key, email);
    }
    const cookie = await signInAs(this.#app, email);
    this.#cookies.set(key, cookie);
    return cookie;
  }
}

function urlFor(route: FuzzRoute, callers: Callers, orgId: string): string {
  return route.pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) =>
    name === 'schoolId' || name === 'authorityId'
      ? name === 'authorityId'
        ? callers.authorityId
        : route.access.startsWith('platform:')
          ? callers.schoolId
          : orgId
      : encodeURIComponent(route.params[name] ?? ANY_ID),
  );
}

/** The property for one route: no generated body gets a 5xx, and every error is in the vocabulary. */
function routeProperty(app: HavenApp, route: FuzzRoute, callers: Callers) {
  const { orgId, role } = callers.callerFor(route.access);
  const url = urlFor(route, callers, orgId);
  return fc.asyncProperty(bodiesFor(route.body), async (body) => {
    const send = async (cookie: string | undefined) =>
      app.inject({
        method: route.method as 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          ...(cookie === undefined ? {} : { cookie }),
        },
        payload: body.kind === 'json' ? JSON.stringify(body.value) : body.text,
      });
    let response = await send(role === undefined ? undefined : await callers.cookie(role, orgId));
    if (response.statusCode === 401 && role !== undefined) {
      // An earlier body may have ended the session (a password change, a school now requiring 2FA).
      response = await send(await callers.cookie(role, orgId, true));
    }
    assert.ok(
      response.statusCode < 500,
      `${route.method} ${url} answered ${response.statusCode}: ${response.body}`,
    );
    if (response.statusCode >= 400 && !route.pattern.startsWith('/oauth/')) {
      const error = response.json<Record<string, unknown>>();
      assert.equal(error.status, response.statusCode, `${route.method} ${url}: ${response.body}`);
      assert.equal(typeof error.code, 'string', `${route.method} ${url}: ${response.body}`);
      assert.equal(typeof error.message, 'string', `${route.method} ${url}: ${response.body}`);
      assert.equal(typeof error.requestId, 'string', `${route.method} ${url}: ${response.body}`);
    }
  });
}

describe('hostile input: JSON bodies of every route', () => {
  test('every route with a JSON body answers every generated body below 500, in the error vocabulary', async (t) => {
    const callers = new Callers(fixture.services, fixture.app);
    await callers.setUp();
    const routes = await jsonBodyRoutes(fixture.app);
    assert.ok(routes.length >= 50, `the routes with JSON bodies were found (${routes.length})`);
    // Every route is fuzzed before failing, so one run reports every route that breaks.
    const failures: string[] = [];
    for (const route of routes) {
      const result = await fc.check(routeProperty(fixture.app, route, callers), fuzzParameters(ROUTE_RUNS));
      if (result.failed) {
        failures.push(
          `${route.method} ${route.pattern} (seed ${result.seed}, path ${result.counterexamplePath}): ${JSON.stringify(result.counterexample)}\n  ${String(result.errorInstance).slice(0, 600)}`,
        );
      }
    }
    t.diagnostic(`${routes.length} routes × ${ROUTE_RUNS} bodies`);
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  test('regression: a NUL in a stored text field is a 400, not a 500', async () => {
    // Found by this fuzzing: PostgreSQL refuses \u0000 in text (22021) and jsonb (22P05); the error
    // handler answered those with a 500.
    const response = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/developer-applications',
      payload: { email: 'someone@example.invalid', organisation: '\u0000', reason: 'A reason long enough' },
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json<{ code: string }>().code, 'validation_failed');
  });

  test('the check bites: a route that throws on a body of an unexpected shape is caught', async () => {
    const app = await buildApp({ services: fixture.services, logger: pino({ level: 'silent' }) });
    app.post(
      '/api/v1/schools/:schoolId/fragile',
      {
        config: { access: 'school:organisation.read' },
        schema: { body: Type.Object({ name: Type.Optional(Type.Unknown()) }) },
      },
      async (request) => ({ length: (request.body as { name: string }).name.trim().length }),
    );
    await app.ready();
    try {
      const callers = new Callers(fixture.services, app);
      await callers.setUp();
      const fragile = (await jsonBodyRoutes(app)).filter((route) => route.pattern.endsWith('/fragile'));
      assert.equal(fragile.length, 1, 'the fragile route was enumerated');
      const [route] = fragile;
      assert.ok(route !== undefined);
      const result = await fc.check(routeProperty(app, route, callers), {
        numRuns: 200,
        endOnFailure: true,
      });
      assert.equal(result.failed, true, 'the no-500 property caught the fragile route');
      assert.match(String(result.errorInstance), /answered 500/);
    } finally {
      await app.close();
    }
  });
});
