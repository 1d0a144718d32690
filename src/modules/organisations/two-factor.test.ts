// Two-factor sign-in through the real routes: enrolment, codes, replay, recovery codes, school policy.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { buildUser, signInAs, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';

const fixture = useTestApp();

const post = (url: string, cookie: string, payload?: object) =>
  fixture.app.inject({
    method: 'POST',
    url,
    headers: { cookie },
    ...(payload === undefined ? {} : { payload }),
  });
const login = (payload: object) => fixture.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

/** A user with two-factor on; returns their secret and recovery codes. */
async function enrolled(role = 'school_admin') {
  const school = await buildSchool(fixture.services);
  const user = await buildUser(fixture.services, role, school.id);
  const cookie = await signInAs(fixture.app, user.email);
  const setup = (await post('/api/v1/auth/two-factor/setup', cookie)).json<{
    secret: string;
    otpauthUri: string;
  }>();
  assert.match(setup.otpauthUri, /^otpauth:\/\/totp\/Haven/);
  const confirmed = await post('/api/v1/auth/two-factor/confirm', cookie, { code: codeAt(setup.secret) });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
  return { school, user, cookie, secret: setup.secret, recoveryCodes };
}

describe('two-factor sign-in', () => {
  test('after enrolment, sign-in needs a code; the right one opens a session', async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    assert.equal(recoveryCodes.length, 10);
    const noCode = await login({ email: user.email, password: TEST_PASSWORD });
    assert.equal(noCode.statusCode, 401);
    assert.equal(noCode.json<{ code: string }>().code, 'totp_required');
    const withCode = await login({ email: user.email, password: TEST_PASSWORD, totp: codeAt(secret, 1) });
    assert.equal(withCode.statusCode, 200, withCode.body);
  });

  test('a code is accepted once: replaying it is refused', async () => {
    const { user, secret } = await enrolled();
    const code = codeAt(secret, 1);
    assert.equal((await login({ email: user.email, password: TEST_PASSWORD, totp: code })).statusCode, 200);
    const replay = await login({ email: user.email, password: TEST_PASSWORD, totp: code });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json<{ code: string }>().code, 'invalid_totp');
  });

  test('a wrong code is refused and counts towards the lockout', async () => {
    const { user } = await enrolled();
    const answers: number[] = [];
    for (let attempt = 0; attempt < fixture.services.auth.loginMaxFailures; attempt += 1) {
      answers.push((await login({ email: user.email, password: TEST_PASSWORD, totp: '000000' })).statusCode);
    }
    assert.deepEqual(answers, [401, 401, 401, 401, 429]);
  });

  test('a recovery code works once, in any case and with or without its dash', async () => {
    const { user, recoveryCodes } = await enrolled();
    const code = recoveryCodes[0] ?? '';
    assert.equal(
      (await login({ email: user.email, password: TEST_PASSWORD, totp: code.replace('-', '').toLowerCase() }))
        .statusCode,
      200,
    );
    assert.equal((await login({ email: user.email, password: TEST_PASSWORD, totp: code })).statusCode, 401);
  });

  test('turning it off needs a valid code, then sign-in needs only the password', async () => {
    const { user, cookie, secret } = await enrolled();
    assert.equal((await post('/api/v1/auth/two-factor/disable', cookie, { code: '123456' })).statusCode, 400);
    assert.equal(
      (await post('/api/v1/auth/two-factor/disable', cookie, { code: codeAt(secret, 1) })).statusCode,
      204,
    );
    assert.equal((await login({ email: user.email, password: TEST_PASSWORD })).statusCode, 200);
  });

  test('the secret is stored encrypted', async () => {
    const { user, secret } = await enrolled();
    const row = await fixture.services.db.withPlatform('test.read_secret', (trx) =>
      trx.selectFrom('users').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow(),
    );
    assert.ok(row.totp_secret !== null && !row.totp_secret.includes(Buffer.from(secret)));
  });
});

describe('schools that require two-factor sign-in', () => {
  test('an admin without two-factor cannot require it; one with it can, and staff without it are then refused', async () => {
    const school = await buildSchool(fixture.services);
    const plainAdmin = await buildUser(fixture.services, 'school_admin', school.id);
    const plainCookie = await signInAs(fixture.app, plainAdmin.email);
    const refused = await fixture.app.inject({
      method: 'PATCH',
      url: `/api/v1/schools/${school.id}/settings`,
      headers: { cookie: plainCookie },
      payload: { requireTwoFactor: true },
    });
    assert.equal(refused.statusCode, 409);

    const admin = await buildUser(fixture.services, 'school_admin', school.id);
    const adminCookie = await signInAs(fixture.app, admin.email);
    const setup = (await post('/api/v1/auth/two-factor/setup', adminCookie)).json<{ secret: string }>();
    await post('/api/v1/auth/two-factor/confirm', adminCookie, { code: codeAt(setup.secret) });
    const changed = await fixture.app.inject({
      method: 'PATCH',
      url: `/api/v1/schools/${school.id}/settings`,
      headers: { cookie: adminCookie },
      payload: { requireTwoFactor: true },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json<{ requireTwoFactor: boolean }>().requireTwoFactor, true);

    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const teacherCookie = await signInAs(fixture.app, teacher.email);
    const blocked = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/settings`,
      headers: { cookie: teacherCookie },
    });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json<{ code: string }>().code, 'two_factor_required');
    const allowed = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/settings`,
      headers: { cookie: adminCookie },
    });
    assert.equal(allowed.statusCode, 200);
  });
});
