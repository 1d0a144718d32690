import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/http/errors.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { createOrganisation, createSchool } from './organisations.service.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { createUser } from './users.service.ts';

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

  test('control characters and lone surrogates in a role or address are a 400 naming the field, never a 500', async () => {
    const { school, admin, cookie } = await adminOfNewSchool();
    const add = (payload: object) =>
      fixture.app.inject({
        method: 'POST',
        url: `/api/v1/schools/${school.id}/staff`,
        headers: { cookie, 'content-type': 'application/json' },
        // Written by hand: JSON.stringify would not send a lone surrogate as the escape a client can.
        payload: JSON.stringify(payload).replace('LONE', '\\ud800'),
      });
    const cases: Array<[object, string]> = [
      [{ email: 'x@example.invalid', role: '\u0000' }, 'body.role'],
      [{ email: 'x@example.invalid', role: 'LONE' }, 'body.role'],
      [{ email: 'x@example.invalid', role: 'teacher\u202e' }, 'body.role'],
      [{ email: 'a\u0000b@example.invalid', role: 'teacher' }, 'body.email'],
      [{ email: 'aLONE@example.invalid', role: 'teacher' }, 'body.email'],
    ];
    for (const [payload, field] of cases) {
      const response = await add(payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.equal(response.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, field);
    }
    const removed = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${admin.id}/roles/%00`,
      headers: { cookie },
    });
    assert.equal(removed.statusCode, 400, removed.body);
    assert.equal(removed.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'params.role');
  });

  test('a refused role that is no role at all is recorded as "invalid", never as the text sent', async () => {
    const { school, admin, cookie } = await adminOfNewSchool();
    const response = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/staff`,
      headers: { cookie },
      payload: { email: 'y@example.invalid', role: 'headteacher_of_everything' },
    });
    assert.equal(response.statusCode, 403);
    assert.ok(!response.body.includes('headteacher_of_everything'), 'the text is not echoed either');
    const removed = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/schools/${school.id}/staff/${admin.id}/roles/made_up`,
      headers: { cookie },
    });
    assert.equal(removed.statusCode, 403);
    const refused = await fixture.services.db.withPlatform('test.read_audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select('details')
        .where('actor_id', '=', admin.id)
        .where('action', '=', 'users.role_refused')
        .orderBy('seq')
        .execute(),
    );
    assert.deepEqual(
      refused.map((event) => event.details),
      [{ role: 'invalid' }, { role: 'invalid' }],
    );
  });

  test('an account is never created with a control character in its address, whoever asks', async () => {
    const school = await buildSchool(fixture.services);
    for (const email of [
      'bell\u0007@example.invalid',
      'nul\u0000@example.invalid',
      'lone\ud800@example.invalid',
    ]) {
      await assert.rejects(
        createUser(
          fixture.services,
          { email, role: 'teacher', orgId: school.id },
          { type: 'system', id: 'test' },
        ),
        (error: unknown) =>
          error instanceof AppError &&
          error.status === 400 &&
          error.fields?.some((entry) => entry.field === 'email') === true,
      );
    }
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

  test('a school route given a trust’s id is a 404, even to that trust’s leader', async () => {
    const trust = await createOrganisation(fixture.services, { kind: 'trust', name: 'Another Trust' });
    await createSchool(fixture.services, { name: 'Another Trust School', trustId: trust.id });
    const leader = await buildUser(fixture.services, 'trust_leader', trust.id);
    const cookie = await signInAs(fixture.app, leader.email);
    for (const method of ['GET', 'POST'] as const) {
      const response = await fixture.app.inject({
        method,
        url: `/api/v1/schools/${trust.id}/staff`,
        headers: { cookie },
        ...(method === 'POST' ? { payload: { email: 'z@example.invalid', role: 'trust_leader' } } : {}),
      });
      assert.equal(response.statusCode, 404, `${method}: ${response.body}`);
      assert.equal(response.json<{ code: string }>().code, 'not_found');
    }
  });
});
