import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { createOrganisation, createSchool } from './organisations.service.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';

const fixture = useTestApp();

async function adminOfNewSchool() {
  const school = await buildSchool(fixture.services);
  const admin = await buildUser(fixture.services, 'school_admin', school.id);
  return { school, admin, cookie: await signInAs(fixture.app, admin.email) };
}

describe('school staff', () => {
  test('an admin adds a teacher, who is e-mailed a set-up link, sets a password and signs in; the list shows both', async () => {
    const { school, admin, cookie } = await adminOfNewSchool();
    const added = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'new.teacher@example.invalid', role: 'teacher' },
    });
    assert.equal(added.statusCode, 201, added.body);
    const { userId } = added.json<{ userId: string }>();
    assert.deepEqual(Object.keys(added.json()), ['userId']);
    const mail = (await readOutbox(fixture.services)).find((raw) =>
      raw.includes('To: new.teacher@example.invalid'),
    );
    assert.ok(mail?.includes('/set-password#token='), 'the invitation carries a set-up link');
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail ?? '')?.[1] ?? '';
    const set = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/auth/account-link/password',
      payload: { token, password: 'a brand new passphrase' },
    });
    assert.equal(set.statusCode, 204, set.body);
    await signInAs(fixture.app, 'new.teacher@example.invalid', 'a brand new passphrase');
    const list = (
      await fixture.app.inject({
        method: 'GET',
        url: `/api/v1/schools/${school.id}/staff`,
        headers: { cookie },
      })
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
    const response = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'climber@example.invalid', role: 'platform_operator' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json<{ code: string }>().code, 'role_not_grantable');
    const refused = await fixture.services.db.withPlatform('test.read_audit', (trx) =>
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
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const cookie = await signInAs(fixture.app, teacher.email);
    const response = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'x@example.invalid', role: 'teacher' },
    });
    assert.equal(response.statusCode, 403);
    const denied = await fixture.services.db.withPlatform('test.read_audit', (trx) =>
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
    const leader = await buildUser(fixture.services, 'senior_leader', school.id);
    const leaderCookie = await signInAs(fixture.app, leader.email);
    const settings = () =>
      fixture.app.inject({
        method: 'GET',
        url: `/api/v1/schools/${school.id}/settings`,
        headers: { cookie: leaderCookie },
      });
    assert.equal((await settings()).statusCode, 200);
    const removed = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${leader.id}/roles/senior_leader`,
      headers: { cookie },
    });
    assert.equal(removed.statusCode, 204);
    assert.equal((await settings()).statusCode, 404);
    const again = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${leader.id}/roles/senior_leader`,
      headers: { cookie },
    });
    assert.equal(again.statusCode, 404);
  });
});

describe('trusts', () => {
  test("a trust leader reaches the trust's schools, and no other school", async () => {
    const trust = await createOrganisation(fixture.services, { kind: 'trust', name: 'Test Trust' });
    const member = await createSchool(fixture.services, { name: 'Trust Member School', trustId: trust.id });
    const outside = await buildSchool(fixture.services);
    const leader = await buildUser(fixture.services, 'trust_leader', trust.id);
    const cookie = await signInAs(fixture.app, leader.email);
    const settings = (schoolId: string) =>
      fixture.app.inject({ method: 'GET', url: `/api/v1/schools/${schoolId}/settings`, headers: { cookie } });
    assert.equal((await settings(member.id)).statusCode, 200);
    assert.equal((await settings(outside.id)).statusCode, 404);
  });
});
