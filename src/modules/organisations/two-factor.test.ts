// Two-factor sign-in through the real routes: enrolment, codes, replay, recovery codes, school policy,
// what a session proves, and the per-session limit on the two-factor routes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { buildUser, signInAs, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { TWO_FACTOR_ATTEMPTS } from './two-factor.routes.ts';

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
const me = (cookie: string) => fixture.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
const settings = (schoolId: string, cookie: string) =>
  fixture.app.inject({ method: 'GET', url: `/api/v1/schools/${schoolId}/settings`, headers: { cookie } });

/** Signs in with the password and a code; returns the Cookie header value. */
async function signInWithCode(email: string, totp: string): Promise<string> {
  const response = await login({ email, password: TEST_PASSWORD, totp });
  assert.equal(response.statusCode, 200, response.body);
  const cookie = response.cookies.find((entry) => entry.name === 'haven_session');
  return `haven_session=${cookie?.value ?? ''}`;
}

async function requireTwoFactorIn(schoolId: string): Promise<void> {
  await fixture.services.db.withPlatform('test.require_two_factor', (trx) =>
    trx
      .updateTable('school_settings')
      .set({ require_two_factor: true })
      .where('school_id', '=', schoolId)
      .execute(),
  );
}

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
  const confirmed = await post('/api/v1/auth/two-factor/confirm', cookie, {
    code: codeAt(setup.secret),
    password: TEST_PASSWORD,
  });
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
    assert.equal(
      (await post('/api/v1/auth/two-factor/disable', cookie, { code: '123456', password: TEST_PASSWORD }))
        .statusCode,
      400,
    );
    assert.equal(
      (
        await post('/api/v1/auth/two-factor/disable', cookie, {
          code: codeAt(secret, 1),
          password: TEST_PASSWORD,
        })
      ).statusCode,
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
    await post('/api/v1/auth/two-factor/confirm', adminCookie, {
      code: codeAt(setup.secret),
      password: TEST_PASSWORD,
    });
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

describe('turning two-factor sign-in on or off', () => {
  test('needs the current password as well as a code, both ways', async () => {
    const school = await buildSchool(fixture.services);
    const user = await buildUser(fixture.services, 'teacher', school.id);
    const cookie = await signInAs(fixture.app, user.email);
    const { secret } = (await post('/api/v1/auth/two-factor/setup', cookie)).json<{ secret: string }>();
    const codeOnly = await post('/api/v1/auth/two-factor/confirm', cookie, { code: codeAt(secret) });
    assert.equal(codeOnly.statusCode, 400);
    const wrongOn = await post('/api/v1/auth/two-factor/confirm', cookie, {
      code: codeAt(secret),
      password: 'not my password at all',
    });
    assert.equal(wrongOn.statusCode, 400);
    assert.deepEqual(wrongOn.json<{ fields: unknown }>().fields, [
      { field: 'password', message: 'does not match' },
    ]);
    assert.equal((await login({ email: user.email, password: TEST_PASSWORD })).statusCode, 200, 'still off');

    const on = await post('/api/v1/auth/two-factor/confirm', cookie, {
      code: codeAt(secret),
      password: TEST_PASSWORD,
    });
    assert.equal(on.statusCode, 200, on.body);
    const wrongOff = await post('/api/v1/auth/two-factor/disable', cookie, {
      code: codeAt(secret, 1),
      password: 'not my password at all',
    });
    assert.equal(wrongOff.statusCode, 400);
    assert.equal(wrongOff.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'password');
    const stillOn = await login({ email: user.email, password: TEST_PASSWORD });
    assert.equal(stillOn.json<{ code: string }>().code, 'totp_required');
  });

  test('turning it on ends every other session of the account; this one now counts as two-factor', async () => {
    const school = await buildSchool(fixture.services);
    const user = await buildUser(fixture.services, 'teacher', school.id);
    const here = await signInAs(fixture.app, user.email);
    const elsewhere = await signInAs(fixture.app, user.email);
    const { secret } = (await post('/api/v1/auth/two-factor/setup', here)).json<{ secret: string }>();
    const on = await post('/api/v1/auth/two-factor/confirm', here, {
      code: codeAt(secret),
      password: TEST_PASSWORD,
    });
    assert.equal(on.statusCode, 200, on.body);
    assert.equal((await me(elsewhere)).statusCode, 401, 'the password-only session has ended');
    await requireTwoFactorIn(school.id);
    assert.equal((await settings(school.id, here)).statusCode, 200);
  });

  test('turning it off ends every other session, and this one no longer counts as two-factor', async () => {
    const { school, user, cookie, secret, recoveryCodes } = await enrolled('teacher');
    const elsewhere = await signInWithCode(user.email, codeAt(secret, 1));
    const off = await post('/api/v1/auth/two-factor/disable', cookie, {
      code: recoveryCodes[0] ?? '',
      password: TEST_PASSWORD,
    });
    assert.equal(off.statusCode, 204, off.body);
    assert.equal((await me(elsewhere)).statusCode, 401);
    assert.equal((await me(cookie)).statusCode, 200);
    await requireTwoFactorIn(school.id);
    const refused = await settings(school.id, cookie);
    assert.equal(refused.json<{ code: string }>().code, 'two_factor_required');
  });

  test('the two-factor routes are limited per session, not per client address', async () => {
    const school = await buildSchool(fixture.services);
    const user = await buildUser(fixture.services, 'teacher', school.id);
    const busy = await signInAs(fixture.app, user.email);
    const other = await signInAs(fixture.app, user.email);
    const codes: number[] = [];
    for (let attempt = 0; attempt <= TWO_FACTOR_ATTEMPTS.max; attempt += 1) {
      codes.push(
        (
          await post('/api/v1/auth/two-factor/confirm', busy, {
            code: '000000',
            password: 'guessing the password',
          })
        ).statusCode,
      );
    }
    assert.deepEqual(codes, [...Array<number>(TWO_FACTOR_ATTEMPTS.max).fill(400), 429]);
    const setup = await post('/api/v1/auth/two-factor/setup', busy);
    assert.equal(setup.statusCode, 429, 'one count for all the two-factor routes');
    assert.equal(setup.json<{ code: string }>().code, 'rate_limited');
    assert.equal((await post('/api/v1/auth/two-factor/setup', other)).statusCode, 200);
  });
});

describe('what a session proves', () => {
  test('a school requiring two-factor asks whether the session used a code, not whether the account has it on', async () => {
    const { school, user, secret } = await enrolled('teacher');
    const withCode = await signInWithCode(user.email, codeAt(secret, 1));
    await requireTwoFactorIn(school.id);
    assert.equal((await settings(school.id, withCode)).statusCode, 200);
    // A session opened before this rule existed (the column's default): it proved only the password.
    await fixture.services.db.withPlatform('test.old_session', (trx) =>
      trx.updateTable('sessions').set({ second_factor: false }).where('user_id', '=', user.id).execute(),
    );
    const refused = await settings(school.id, withCode);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ code: string }>().code, 'two_factor_required');
  });
});
