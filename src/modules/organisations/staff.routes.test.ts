import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HavenApp } from '../../app.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { createOrganisation, createSchool } from './organisations.service.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { buildTestApp } from '../../../test/support/http.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';

let services: TestServices;
let app: HavenApp;
before(async () => {
  services = await createTestServices();
  app = await buildTestApp(services);
});
after(async () => {
  await app.close();
  await services.close();
});

async function adminOfNewSchool() {
  const school = await buildSchool(services);
  const admin = await buildUser(services, 'school_admin', school.id);
  return { school, admin, cookie: await signInAs(app, admin.email) };
}

describe('school staff', () => {
  test('an admin adds a teacher, who signs in with the password shown once; the list shows both', async () => {
    const { school, admin, cookie } = await adminOfNewSchool();
    const added = await app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'new.teacher@example.invalid', role: 'teacher' },
    });
    assert.equal(added.statusCode, 201, added.body);
    const { userId, initialPassword } = added.json<{ userId: string; initialPassword: string }>();
    await signInAs(app, 'new.teacher@example.invalid', initialPassword);
    const list = (
      await app.inject({ method: 'GET', url: `/api/v1/schools/${school.id}/staff`, headers: { cookie } })
    ).json<Array<{ userId: string; email: string; roles: string[] }>>();
    const byEmail = new Map(list.map((member) => [member.email, member]));
    assert.deepEqual(byEmail.get(admin.email)?.roles, ['school_admin']);
    assert.deepEqual(byEmail.get('new.teacher@example.invalid'), {
      userId,
      email: 'new.teacher@example.invalid',
      roles: ['teacher'],
      status: 'active',
      twoFactor: false,
    });
  });

  test('a school admin cannot make anyone a platform operator (403, audited)', async () => {
    const { school, admin, cookie } = await adminOfNewSchool();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'climber@example.invalid', role: 'platform_operator' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json<{ code: string }>().code, 'role_not_grantable');
    const refused = await services.db.withPlatform('test.read_audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('org_id', '=', PLATFORM_ORG_ID)
        .where('actor_id', '=', admin.id)
        .execute(),
    );
    assert.ok(
      refused.some(
        (event) => event.action === 'users.role_refused' && event.details.role === 'platform_operator',
      ),
    );
  });

  test('a teacher cannot add staff (403) and the attempt is recorded', async () => {
    const { school } = await adminOfNewSchool();
    const teacher = await buildUser(services, 'teacher', school.id);
    const cookie = await signInAs(app, teacher.email);
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'x@example.invalid', role: 'teacher' },
    });
    assert.equal(response.statusCode, 403);
    const denied = await services.db.withPlatform('test.read_audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select(['action', 'target'])
        .where('actor_id', '=', teacher.id)
        .execute(),
    );
    assert.deepEqual(
      denied.filter((event) => event.action === 'auth.access_denied').map((event) => event.target),
      [`school:${school.id}`],
    );
  });

  test('removing a role takes effect on the next request', async () => {
    const { school, cookie } = await adminOfNewSchool();
    const leader = await buildUser(services, 'senior_leader', school.id);
    const leaderCookie = await signInAs(app, leader.email);
    const settings = () =>
      app.inject({
        method: 'GET',
        url: `/api/v1/schools/${school.id}/settings`,
        headers: { cookie: leaderCookie },
      });
    assert.equal((await settings()).statusCode, 200);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${leader.id}/roles/senior_leader`,
      headers: { cookie },
    });
    assert.equal(removed.statusCode, 204);
    assert.equal((await settings()).statusCode, 404);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${leader.id}/roles/senior_leader`,
      headers: { cookie },
    });
    assert.equal(again.statusCode, 404);
  });
});

describe('trusts', () => {
  test("a trust leader reaches the trust's schools, and no other school", async () => {
    const trust = await createOrganisation(services, { kind: 'trust', name: 'Test Trust' });
    const member = await createSchool(services, { name: 'Trust Member School', trustId: trust.id });
    const outside = await buildSchool(services);
    const leader = await buildUser(services, 'trust_leader', trust.id);
    const cookie = await signInAs(app, leader.email);
    const settings = (schoolId: string) =>
      app.inject({ method: 'GET', url: `/api/v1/schools/${schoolId}/settings`, headers: { cookie } });
    assert.equal((await settings(member.id)).statusCode, 200);
    assert.equal((await settings(outside.id)).statusCode, 404);
  });
});
