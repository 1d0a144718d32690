// The tenant side of the authorisation matrix: every school route, called by the school's own staff with
// the permission it needs, while another school's pupils sit in the same database — no response body
// may carry the other school's pupil names, UPNs, pupil ids or school id. Routes come from the route
// table, so a new route is covered without editing this file. The last test shows the check bites: a
// route that forgets its tenant (reading through the platform context) is caught by the same scan.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { sql } from 'kysely';
import { buildApp, type HavenApp, type RouteEntry } from '../src/app.ts';
import { requireSchoolPermission } from '../src/modules/organisations/auth.hooks.ts';
import {
  ROLE_ORGANISATION,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
} from '../src/modules/organisations/roles.policy.ts';
import type { Services } from '../src/services.ts';
import { buildUser, signInAs } from './support/auth.ts';
import { buildSchool } from './support/factories.ts';
import { useTestApp } from './support/http.ts';
import { importCsvLines } from './support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from './support/pupil-files.ts';

const fixture = useTestApp();
const OTHER_ID = '00000000-0000-4000-8000-000000000000';

interface Markers {
  schoolId: string;
  values: string[];
}

/** A school whose pupils carry names and UPNs no other test uses, and everything that identifies them. */
async function victimSchool(services: Services): Promise<Markers> {
  const school = await buildSchool(services);
  const rows = [1, 2, 3].map((n) =>
    pupilRow(900 + n, {
      forename: `Leakforename${n}`,
      surname: `Leaksurname${n}`,
      upn: syntheticUpn(900 + n),
    }),
  );
  await importCsvLines(services, school.id, [PUPIL_HEADER, ...rows]);
  const { rows: ids } = await services.db.withPlatform('test: the victim school’s pupil ids', (trx) =>
    sql<{ id: string }>`select id from pupils where school_id = ${school.id}`.execute(trx),
  );
  return {
    schoolId: school.id,
    values: [
      school.id,
      ...ids.map((row) => row.id),
      ...[1, 2, 3].flatMap((n) => [`Leakforename${n}`, `Leaksurname${n}`, syntheticUpn(900 + n)]),
    ],
  };
}

/** Which of the victim's markers each route's response carries, calling as a permitted user of `schoolId`. */
async function scan(
  app: HavenApp,
  services: Services,
  routes: readonly RouteEntry[],
  schoolId: string,
  victim: Markers,
): Promise<string[]> {
  const cookies = new Map<string, string>();
  const leaks: string[] = [];
  for (const route of routes) {
    const permission = route.access?.slice('school:'.length) as Permission;
    const role = ROLES.find(
      (candidate) =>
        ROLE_ORGANISATION[candidate] === 'school' && ROLE_PERMISSIONS[candidate].includes(permission),
    );
    if (role === undefined) {
      continue;
    }
    let cookie = cookies.get(role);
    if (cookie === undefined) {
      cookie = await signInAs(app, (await buildUser(services, role, schoolId)).email);
      cookies.set(role, cookie);
    }
    const url = route.url.replace(':schoolId', schoolId).replace(/:[A-Za-z]+/g, OTHER_ID);
    const response = await app.inject({
      method: route.method as 'GET',
      url,
      headers: { cookie },
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
    });
    const found = victim.values.filter((value) => response.body.includes(value));
    if (found.length > 0) {
      leaks.push(
        `${route.method} ${route.url} (${response.statusCode}) carried ${found.length} of the other school's identifiers`,
      );
    }
  }
  return leaks;
}

const schoolRoutes = (table: readonly RouteEntry[]) =>
  table.filter((route) => route.access?.startsWith('school:') === true && route.method !== 'HEAD');

describe('no school route shows another school’s pupils', () => {
  test('every school route, called by a permitted user of its own school, carries nothing of another school', async () => {
    const victim = await victimSchool(fixture.services);
    const school = await buildSchool(fixture.services);
    await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1), pupilRow(2)]);
    const routes = schoolRoutes(fixture.app.routeTable);
    assert.ok(routes.length >= 50, 'the school routes were seen');
    assert.deepEqual(await scan(fixture.app, fixture.services, routes, school.id, victim), []);
  });

  test('the check bites: a route that reads pupils without its tenant is reported', async () => {
    const victim = await victimSchool(fixture.services);
    const school = await buildSchool(fixture.services);
    const app = await buildApp({ services: fixture.services, logger: pino({ level: 'silent' }) });
    // Deliberately wrong: the platform context sees every school's rows.
    app.get(
      '/api/v1/schools/:schoolId/leaky-pupils',
      {
        config: { access: 'school:pupils.read' },
        onRequest: requireSchoolPermission(fixture.services, 'pupils.read'),
      },
      async () =>
        fixture.services.db.withPlatform('test: a route that forgets its tenant', async (trx) =>
          (await sql<{ id: string }>`select id from pupils`.execute(trx)).rows.map((row) => row.id),
        ),
    );
    await app.ready();
    try {
      const leaky = schoolRoutes(app.routeTable).filter((route) => route.url.endsWith('/leaky-pupils'));
      const leaks = await scan(app, fixture.services, leaky, school.id, victim);
      assert.equal(leaks.length, 1);
      assert.match(leaks[0] ?? '', /leaky-pupils/);
    } finally {
      await app.close();
    }
  });
});
