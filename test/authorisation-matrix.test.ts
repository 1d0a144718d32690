// Every route registered in the fixture.app, checked automatically: it must declare who may call it; without a
// session a protected route answers 401; a school route answers 404 to someone of another school (with
// nothing of the school in the body) and 403 to a role in the school that lacks the permission.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { buildApp, type RouteEntry } from '../src/app.ts';
import {
  ROLE_ORGANISATION,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
} from '../src/modules/organisations/roles.policy.ts';
import { createOrganisation } from '../src/modules/organisations/organisations.service.ts';
import { setUpConnector } from '../src/modules/connectors/connectors.service.ts';
import { buildUser, signInAs } from './support/auth.ts';
import { buildSchool } from './support/factories.ts';
import { useTestApp } from './support/http.ts';

// Routes added by @fastify/swagger-ui serve the public API documentation; they cannot carry our config.
const DOCUMENTATION_PREFIX = '/api/docs';

const fixture = useTestApp();

function urlFor(pattern: string, schoolId: string): string {
  return pattern
    .replace(':schoolId', schoolId)
    .replace(':authorityId', schoolId)
    .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}

const checkable = (table: readonly RouteEntry[]) =>
  table.filter((route) => !route.url.startsWith(DOCUMENTATION_PREFIX) && route.method !== 'HEAD');
const checked = () => checkable(fixture.app.routeTable);

const KNOWN_ACCESS =
  /^(public|session|connector|school:[a-z_.]+|authority:[a-z_.]+|platform:[a-z_.]+|app:[a-z_.]+)$/;

/** Routes without a declaration, or with one the matrix cannot check. */
function undeclaredRoutes(table: readonly RouteEntry[]): RouteEntry[] {
  return checkable(table).filter((route) => route.access === undefined || !KNOWN_ACCESS.test(route.access));
}

describe('authorisation matrix over every route', () => {
  test('every route declares its access', () => {
    assert.deepEqual(
      undeclaredRoutes(fixture.app.routeTable),
      [],
      'routes without a checkable config.access',
    );
    assert.ok(checked().length >= 8, 'the table saw the routes');
  });

  test('the check bites: a route registered without its access declaration is reported', async () => {
    const app = await buildApp({ services: fixture.services, logger: pino({ level: 'silent' }) });
    app.get('/api/v1/schools/:schoolId/undeclared', async () => ({ ok: true }));
    await app.ready();
    try {
      assert.deepEqual(
        undeclaredRoutes(app.routeTable).map((route) => route.url),
        ['/api/v1/schools/:schoolId/undeclared'],
      );
    } finally {
      await app.close();
    }
  });

  test('every protected route answers 401 without a session', async () => {
    const school = await buildSchool(fixture.services);
    for (const route of checked().filter((entry) => entry.access !== 'public')) {
      const response = await fixture.app.inject({
        method: route.method as 'GET',
        url: urlFor(route.url, school.id),
      });
      assert.equal(response.statusCode, 401, `${route.method} ${route.url}`);
    }
  });

  test("every school route answers 404 to another school's admin, with nothing of the school in the body", async () => {
    const school = await buildSchool(fixture.services);
    const other = await buildSchool(fixture.services);
    const outsider = await buildUser(fixture.services, 'school_admin', other.id);
    const cookie = await signInAs(fixture.app, outsider.email);
    for (const route of checked().filter((entry) => entry.access?.startsWith('school:') === true)) {
      const response = await fixture.app.inject({
        method: route.method as 'GET',
        url: urlFor(route.url, school.id),
        headers: { cookie },
      });
      assert.equal(response.statusCode, 404, `${route.method} ${route.url}`);
      assert.ok(!response.body.includes(school.name), `${route.url} leaked the school's name`);
    }
  });

  test("every connector route answers 401 to another school's connector token and to a session, with nothing of the school", async () => {
    const school = await buildSchool(fixture.services);
    const other = await buildSchool(fixture.services);
    const { token } = await setUpConnector(
      fixture.services,
      other.id,
      { kind: 'drop_folder', categories: [] },
      { type: 'user', id: 'matrix-test' },
    );
    const admin = await buildUser(fixture.services, 'school_admin', school.id);
    const cookie = await signInAs(fixture.app, admin.email);
    const connectorRoutes = checked().filter((entry) => entry.access === 'connector');
    assert.ok(connectorRoutes.length >= 1, 'the connector routes were seen');
    for (const route of connectorRoutes) {
      for (const headers of [{ authorization: `Bearer ${token}` }, { cookie }]) {
        const response = await fixture.app.inject({
          method: route.method as 'POST',
          url: urlFor(route.url, school.id),
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          payload: Buffer.from('upn,forename\n'),
        });
        assert.equal(response.statusCode, 401, `${route.method} ${route.url}`);
        assert.ok(!response.body.includes(school.name), `${route.url} leaked the school's name`);
      }
    }
  });

  test('every platform route answers 403 to every school role (even a school admin)', async () => {
    const school = await buildSchool(fixture.services);
    const platformRoutes = checked().filter((entry) => entry.access?.startsWith('platform:') === true);
    assert.ok(platformRoutes.length >= 3, 'the platform routes were seen');
    for (const role of ROLES.filter((entry) => ROLE_ORGANISATION[entry] === 'school')) {
      const user = await buildUser(fixture.services, role, school.id);
      const cookie = await signInAs(fixture.app, user.email);
      for (const route of platformRoutes) {
        const response = await fixture.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url, school.id),
          headers: { cookie },
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        assert.equal(response.statusCode, 403, `${role} on ${route.method} ${route.url}`);
      }
    }
  });

  test('every school route answers 403 to each school role lacking its permission', async () => {
    const school = await buildSchool(fixture.services);
    for (const route of checked().filter((entry) => entry.access?.startsWith('school:') === true)) {
      const permission = route.access?.slice('school:'.length) as Permission;
      const lacking = ROLES.filter(
        (role) => ROLE_ORGANISATION[role] === 'school' && !ROLE_PERMISSIONS[role].includes(permission),
      );
      for (const role of lacking) {
        const user = await buildUser(fixture.services, role, school.id);
        const cookie = await signInAs(fixture.app, user.email);
        const response = await fixture.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url, school.id),
          headers: { cookie },
        });
        assert.equal(response.statusCode, 403, `${role} on ${route.method} ${route.url}`);
      }
    }
  });

  test("every virtual school route answers 404 to another authority's head and to school staff, 403 to roles lacking its permission", async () => {
    const authority = await createOrganisation(fixture.services, {
      kind: 'local_authority',
      name: `Matrix LA ${process.pid}`,
    });
    const other = await createOrganisation(fixture.services, {
      kind: 'local_authority',
      name: `Other LA ${process.pid}`,
    });
    const school = await buildSchool(fixture.services);
    const routes = checked().filter((entry) => entry.access?.startsWith('authority:') === true);
    assert.ok(routes.length >= 10, 'the virtual school routes were seen');
    const outsiders = [
      await buildUser(fixture.services, 'virtual_school_head', other.id),
      await buildUser(fixture.services, 'school_admin', school.id),
      await buildUser(fixture.services, 'designated_teacher', school.id),
    ];
    for (const outsider of outsiders) {
      const cookie = await signInAs(fixture.app, outsider.email);
      for (const route of routes) {
        const response = await fixture.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url, authority.id),
          headers: { cookie },
        });
        assert.equal(response.statusCode, 404, `${route.method} ${route.url}`);
        assert.ok(!response.body.includes(authority.name), `${route.url} leaked the authority's name`);
      }
    }
    for (const route of routes) {
      const permission = route.access?.slice('authority:'.length) as Permission;
      const lacking = ROLES.filter(
        (role) =>
          ROLE_ORGANISATION[role] === 'local_authority' && !ROLE_PERMISSIONS[role].includes(permission),
      );
      for (const role of lacking) {
        const user = await buildUser(fixture.services, role, authority.id);
        const cookie = await signInAs(fixture.app, user.email);
        const response = await fixture.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url, authority.id),
          headers: { cookie },
        });
        assert.equal(response.statusCode, 403, `${role} on ${route.method} ${route.url}`);
      }
    }
  });
});
