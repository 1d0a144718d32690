// Sign-in, sessions and /me through the real application and database.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { buildApp } from '../../app.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { gatedDatabase } from '../../../test/support/gate.ts';
import { buildTestApp, useTestApp } from '../../../test/support/http.ts';
import { disableUser } from './users.service.ts';

const fixture = useTestApp();

const withoutRequestId = (body: string): object => ({ ...JSON.parse(body), requestId: undefined });
const login = (payload: object) => fixture.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
const me = (cookie?: string) =>
  fixture.app.inject({ method: 'GET', url: '/api/v1/me', headers: cookie === undefined ? {} : { cookie } });

async function teacher() {
  const school = await buildSchool(fixture.services);
  return { school, user: await buildUser(fixture.services, 'teacher', school.id) };
}

describe('sign-in', () => {
  test('a right password opens a session in an HttpOnly, Secure, SameSite=Strict cookie; /me shows the user', async () => {
    const { school, user } = await teacher();
    const response = await login({ email: user.email.toUpperCase(), password: TEST_PASSWORD });
    assert.equal(response.statusCode, 200);
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /haven_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = await signInAs(fixture.app, user.email);
    const body = (await me(cookie)).json<{
      id: string;
      email: string;
      memberships: Array<{ orgId: string; role: string }>;
      schools: Array<{ id: string; permissions: string[] }>;
      idleMinutes: number;
    }>();
    assert.equal(body.id, user.id);
    assert.equal(body.email, user.email);
    assert.deepEqual(
      body.memberships.map((m) => [m.orgId, m.role]),
      [[school.id, 'teacher']],
    );
    // What the web app builds its menus from: the school, and what a teacher may do there (no imports).
    assert.deepEqual(
      body.schools.map((s) => s.id),
      [school.id],
    );
    assert.ok(body.schools[0]?.permissions.includes('analysis.read'));
    assert.ok(!body.schools[0]?.permissions.includes('imports.run'));
    assert.equal(body.idleMinutes, fixture.services.auth.sessionIdleMinutes);
  });

  test('a wrong password and an unknown address get the very same answer', async () => {
    const { user } = await teacher();
    const wrong = await login({ email: user.email, password: 'not the password at all' });
    const unknown = await login({
      email: 'nobody-here@example.invalid',
      password: 'not the password at all',
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(withoutRequestId(wrong.body), withoutRequestId(unknown.body));
  });

  test('repeated failures lock the address, known or not, even against the right password', async () => {
    const { user } = await teacher();
    for (const email of [user.email, 'ghost@example.invalid']) {
      const answers: number[] = [];
      for (let attempt = 0; attempt < fixture.services.auth.loginMaxFailures; attempt += 1) {
        answers.push((await login({ email, password: 'wrong password here' })).statusCode);
      }
      assert.deepEqual(answers, [401, 401, 401, 401, 429]);
      const locked = await login({ email, password: TEST_PASSWORD });
      assert.equal(locked.statusCode, 429);
      assert.match(locked.json<{ message: string }>().message, /Try again in 15 minute\(s\)/);
    }
  });

  test('a right password racing parallel wrong ones is refused once they have locked the address', async () => {
    const { user } = await teacher();
    // The right attempt is held after its password check (its 2nd transaction), as if argon2 were slow,
    // while more wrong attempts than the limit run in parallel and lock the address.
    const gate = gatedDatabase(fixture.services.db, (call) => call === 2);
    const racing = await buildTestApp({ ...fixture.services, db: gate.db });
    try {
      const right = racing.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      await gate.reached;
      const wrong = await Promise.all(
        Array.from({ length: fixture.services.auth.loginMaxFailures + 3 }, () =>
          login({ email: user.email, password: 'wrong password here' }),
        ),
      );
      assert.ok(wrong.every((response) => [401, 429].includes(response.statusCode)));
      assert.ok(
        wrong.some((response) => response.statusCode === 429),
        'the address is locked',
      );
      gate.open();
      const answer = await right;
      assert.equal(answer.statusCode, 429, 'no session for a guess that passed the early check');
      assert.equal(answer.cookies.length, 0);
      assert.equal((await login({ email: user.email, password: TEST_PASSWORD })).statusCode, 429);
      const sessions = await fixture.services.db.withPlatform('test.count_sessions', (trx) =>
        trx.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute(),
      );
      assert.deepEqual(sessions, []);
    } finally {
      gate.open();
      await racing.close();
    }
  });

  test('a disabled account cannot sign in, and its open sessions stop working', async () => {
    const { user } = await teacher();
    const cookie = await signInAs(fixture.app, user.email);
    await disableUser(fixture.services, user.id, { type: 'system', id: 'test' });
    assert.equal((await me(cookie)).statusCode, 401);
    assert.equal((await login({ email: user.email, password: TEST_PASSWORD })).statusCode, 401);
  });

  test('sign-ins are audited by user id and never by e-mail address', async () => {
    const { user } = await teacher();
    await signInAs(fixture.app, user.email);
    await login({ email: user.email, password: 'wrong password here' });
    const events = await fixture.services.db.withPlatform('test.read_audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .selectAll()
        .where('org_id', '=', PLATFORM_ORG_ID)
        .where('actor_id', '=', user.id)
        .execute(),
    );
    assert.deepEqual(
      events.map((event) => event.action).filter((action) => action.startsWith('auth.')),
      ['auth.sign_in', 'auth.sign_in_failed'],
    );
    assert.ok(!JSON.stringify(events).includes(user.email), 'no e-mail address inside audit events');
  });
});

describe('rate limit', () => {
  test('one client address gets 429 with Retry-After once it exceeds the sign-in rate', async () => {
    const limited = await buildTestApp({
      ...fixture.services,
      auth: { ...fixture.services.auth, loginRatePerMinute: 3 },
    });
    try {
      const codes: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await limited.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `r${attempt}@example.invalid`, password: 'x' },
        });
        codes.push(response.statusCode);
        if (response.statusCode === 429) {
          assert.equal(response.json<{ code: string }>().code, 'rate_limited');
          assert.ok(response.headers['retry-after']);
        }
      }
      assert.deepEqual(codes, [401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

/** Four sign-ins through one proxy hop: what the client wrote into X-Forwarded-For, then the proxy's hop. */
async function throughProxy(trustProxy: 1 | string[], forwardedFor: (attempt: number) => string) {
  const app = await buildApp({
    services: { ...fixture.services, auth: { ...fixture.services.auth, loginRatePerMinute: 3 } },
    logger: pino({ level: 'silent' }),
    trustProxy,
  });
  try {
    const codes: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        // inject's peer is 127.0.0.1: the proxy.
        headers: { 'x-forwarded-for': forwardedFor(attempt) },
        payload: { email: `p${attempt}@example.invalid`, password: 'x' },
      });
      codes.push(response.statusCode);
    }
    return codes;
  } finally {
    await app.close();
  }
}

describe('behind a proxy (HAVEN_TRUST_PROXY)', () => {
  for (const trustProxy of [1, ['127.0.0.1']] satisfies Array<1 | string[]>) {
    test(`trusting ${JSON.stringify(trustProxy)}: a forged X-Forwarded-For does not dodge the rate limit`, async () => {
      const forged = await throughProxy(trustProxy, (attempt) => `198.51.100.${attempt}, 203.0.113.7`);
      assert.deepEqual(forged, [401, 401, 401, 429]);
    });

    test(`trusting ${JSON.stringify(trustProxy)}: clients behind the proxy are told apart`, async () => {
      const distinct = await throughProxy(trustProxy, (attempt) => `203.0.113.${attempt + 10}`);
      assert.deepEqual(distinct, [401, 401, 401, 401]);
    });
  }
});

describe('sessions', () => {
  test('/me without a session, or with a made-up token, is 401', async () => {
    assert.equal((await me()).statusCode, 401);
    assert.equal((await me('haven_session=made-up-token')).statusCode, 401);
  });

  test('a session idle for longer than the idle timeout ends', async () => {
    const { user } = await teacher();
    const cookie = await signInAs(fixture.app, user.email);
    await fixture.services.db.withPlatform('test.age_session', (trx) =>
      trx
        .updateTable('sessions')
        .set({ last_seen_at: new Date(Date.now() - 16 * 60_000) })
        .where('user_id', '=', user.id)
        .execute(),
    );
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test('a session past its absolute lifetime ends, however active', async () => {
    const { user } = await teacher();
    const cookie = await signInAs(fixture.app, user.email);
    await fixture.services.db.withPlatform('test.expire_session', (trx) =>
      trx
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', user.id)
        .execute(),
    );
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test('sign-out ends the session', async () => {
    const { user } = await teacher();
    const cookie = await signInAs(fixture.app, user.email);
    const out = await fixture.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    assert.equal(out.statusCode, 204);
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test("users list their own sessions and can end one; another user's session is not found", async () => {
    const { user } = await teacher();
    const first = await signInAs(fixture.app, user.email);
    const second = await signInAs(fixture.app, user.email);
    const listed = (
      await fixture.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: { cookie: second } })
    ).json<Array<{ id: string; current: boolean }>>();
    assert.equal(listed.length, 2);
    const other = listed.find((entry) => !entry.current);
    assert.ok(other);
    const stranger = await teacher();
    const strangerCookie = await signInAs(fixture.app, stranger.user.email);
    const foreign = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: strangerCookie },
    });
    assert.equal(foreign.statusCode, 404);
    const own = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: second },
    });
    assert.equal(own.statusCode, 204);
    assert.equal((await me(first)).statusCode, 401);
    assert.equal((await me(second)).statusCode, 200);
  });
});

describe('cross-site requests', () => {
  test('a state-changing request from another origin is refused with 403', async () => {
    const { user } = await teacher();
    const cookie = await signInAs(fixture.app, user.email);
    const forged = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin: 'https://attacker.example' },
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json<{ code: string }>().code, 'bad_origin');
    assert.equal((await me(cookie)).statusCode, 200, 'the session survived');
    const sameSite = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
    });
    assert.equal(sameSite.statusCode, 204);
  });
});

describe('staff identities at rest', () => {
  test('the e-mail column holds ciphertext, not the address', async () => {
    const { user } = await teacher();
    const row = await fixture.services.db.withPlatform('test.read_user', (trx) =>
      trx.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirstOrThrow(),
    );
    assert.equal(row.email.includes(Buffer.from(user.email)), false);
    assert.equal(row.email[0], 1, 'field format version 1');
  });
});
