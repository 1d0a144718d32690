import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { buildUser, signInAs, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { gatedDatabase } from '../../../test/support/gate.ts';
import { buildTestApp, useTestApp } from '../../../test/support/http.ts';
import { readOutbox, tokenFromLatestMail } from '../../../test/support/services.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { createUser, disableUser } from './users.service.ts';

const fixture = useTestApp();
const NEW_PASSWORD = 'a completely new passphrase';

async function teacher() {
  const school = await buildSchool(fixture.services);
  return buildUser(fixture.services, 'teacher', school.id);
}

function post(url: string, payload: object, cookie?: string) {
  return fixture.app.inject({
    method: 'POST',
    url,
    payload,
    ...(cookie === undefined ? {} : { headers: { cookie } }),
  });
}

async function mailsTo(email: string): Promise<string[]> {
  return (await readOutbox(fixture.services)).filter((raw) => raw.includes(`To: ${email}`));
}

async function auditActions(userId: string): Promise<Array<{ action: string; outcome: string }>> {
  return fixture.services.db.withPlatform('test.read_audit', (trx) =>
    trx
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('org_id', '=', PLATFORM_ORG_ID)
      .where('actor_id', '=', userId)
      .orderBy('seq')
      .execute(),
  );
}

describe('password reset by e-mailed one-time link', () => {
  test('the link sets a new password once, ends every session, and the old password stops working', async () => {
    const user = await teacher();
    const oldSession = await signInAs(fixture.app, user.email);
    const asked = await post('/api/v1/auth/password-reset', { email: user.email.toUpperCase() });
    assert.equal(asked.statusCode, 202);
    const [mail] = await mailsTo(user.email);
    assert.match(mail ?? '', /Subject: Reset your Haven password/);
    assert.match(mail ?? '', /https:\/\/haven\.test\/reset-password#token=/);
    const token = await tokenFromLatestMail(fixture.services);

    const inspected = await post('/api/v1/auth/account-link', { token });
    assert.equal(inspected.statusCode, 200);
    assert.equal(inspected.json<{ purpose: string }>().purpose, 'password_reset');

    assert.equal(
      (await post('/api/v1/auth/account-link/password', { token, password: NEW_PASSWORD })).statusCode,
      204,
    );
    const me = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: oldSession },
    });
    assert.equal(me.statusCode, 401, 'the session from before the reset has ended');
    assert.equal(
      (await post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })).statusCode,
      401,
    );
    await signInAs(fixture.app, user.email, NEW_PASSWORD);

    const again = await post('/api/v1/auth/account-link/password', {
      token,
      password: 'yet another passphrase',
    });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json<{ code: string }>().code, 'invalid_link');
    const actions = (await auditActions(user.id)).map((event) => event.action);
    assert.ok(actions.includes('auth.password_reset_requested'));
    assert.ok(actions.includes('auth.password_reset'));
  });

  test('an unknown address gets the very same answer, and no mail is sent', async () => {
    const user = await teacher();
    const known = await post('/api/v1/auth/password-reset', { email: user.email });
    const unknown = await post('/api/v1/auth/password-reset', { email: 'nobody-here@example.invalid' });
    assert.equal(unknown.statusCode, known.statusCode);
    assert.deepEqual(unknown.json(), known.json());
    assert.equal((await mailsTo('nobody-here@example.invalid')).length, 0);
  });

  test('the answer does not wait for the per-address work (its timing cannot tell known addresses)', async () => {
    const user = await teacher();
    // Every database call waits at the gate: the lookup, the audit record and the link cannot happen
    // until the test lets them, so an answer that arrives anyway did not depend on them.
    const gate = gatedDatabase(fixture.services.db, () => true);
    const services = { ...fixture.services, db: gate.db };
    const gated = await buildTestApp(services);
    // The outbox as it is (readOutbox would wait for the held work).
    const outbox = async () => (await readdir(fixture.services.outboxDir)).length;
    const before = await outbox();
    try {
      const asked = gated.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { email: user.email },
      });
      const first = await Promise.race([
        asked.then((response) => response.statusCode),
        new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 2000)),
      ]);
      assert.equal(first, 202);
      assert.equal(await outbox(), before, 'nothing has been sent yet');
      gate.open();
      await readOutbox(services);
      assert.equal((await mailsTo(user.email)).length, 1, 'the mail follows in the background');
    } finally {
      gate.open();
      await gated.close();
    }
  });

  test('asking for a reset leaves a new account’s set-up link working; setting a password spends both', async () => {
    const school = await buildSchool(fixture.services);
    const created = await createUser(
      fixture.services,
      { email: 'new-starter@example.invalid', role: 'teacher', orgId: school.id },
      { type: 'system', id: 'test' },
    );
    const setupToken = created.setupLink?.split('#token=')[1] ?? '';
    assert.equal((await post('/api/v1/auth/password-reset', { email: created.email })).statusCode, 202);
    const resetToken = await tokenFromLatestMail(fixture.services);
    assert.notEqual(resetToken, setupToken);
    assert.equal((await post('/api/v1/auth/account-link', { token: setupToken })).statusCode, 200);
    assert.equal((await post('/api/v1/auth/account-link', { token: resetToken })).statusCode, 200);
    assert.equal(
      (await post('/api/v1/auth/account-link/password', { token: setupToken, password: NEW_PASSWORD }))
        .statusCode,
      204,
    );
    assert.equal((await post('/api/v1/auth/account-link', { token: resetToken })).statusCode, 400);
  });

  test('resetting through the link lifts a sign-in lockout of the address', async () => {
    const user = await teacher();
    for (let attempt = 0; attempt < fixture.services.auth.loginMaxFailures; attempt += 1) {
      await post('/api/v1/auth/login', { email: user.email, password: 'someone guessing' });
    }
    assert.equal(
      (await post('/api/v1/auth/login', { email: user.email, password: TEST_PASSWORD })).statusCode,
      429,
    );
    await post('/api/v1/auth/password-reset', { email: user.email });
    const token = await tokenFromLatestMail(fixture.services);
    assert.equal(
      (await post('/api/v1/auth/account-link/password', { token, password: NEW_PASSWORD })).statusCode,
      204,
    );
    await signInAs(fixture.app, user.email, NEW_PASSWORD);
  });

  test('a disabled account is sent nothing', async () => {
    const user = await teacher();
    await disableUser(fixture.services, user.id, { type: 'system', id: 'test' });
    assert.equal((await post('/api/v1/auth/password-reset', { email: user.email })).statusCode, 202);
    assert.equal((await mailsTo(user.email)).length, 0);
  });

  test('one address gets at most three reset mails an hour; the newest link is the only one that works', async () => {
    const user = await teacher();
    const tokens: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await post('/api/v1/auth/password-reset', { email: user.email });
      tokens.push(await tokenFromLatestMail(fixture.services));
    }
    await post('/api/v1/auth/password-reset', { email: user.email });
    assert.equal((await mailsTo(user.email)).length, 3);
    assert.equal((await post('/api/v1/auth/account-link', { token: tokens[0] ?? '' })).statusCode, 400);
    assert.equal((await post('/api/v1/auth/account-link', { token: tokens[2] ?? '' })).statusCode, 200);
    assert.ok((await auditActions(user.id)).some((event) => event.outcome === 'denied'));
  });

  test('a weak password is refused by field and leaves the link usable; an expired link is refused', async () => {
    const user = await teacher();
    await post('/api/v1/auth/password-reset', { email: user.email });
    const token = await tokenFromLatestMail(fixture.services);
    const weak = await post('/api/v1/auth/account-link/password', { token, password: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.deepEqual(weak.json<{ fields: unknown }>().fields, [
      { field: 'password', message: 'must be at least 12 characters' },
    ]);
    assert.equal((await post('/api/v1/auth/account-link', { token })).statusCode, 200);

    await fixture.services.db.withPlatform('test.expire_links', (trx) =>
      trx
        .updateTable('account_links')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', user.id)
        .execute(),
    );
    const expired = await post('/api/v1/auth/account-link/password', { token, password: NEW_PASSWORD });
    assert.equal(expired.statusCode, 400);
    assert.equal(expired.json<{ code: string }>().code, 'invalid_link');
  });

  test('a malformed token is a 400 naming the field, never a 500', async () => {
    const response = await post('/api/v1/auth/account-link', { token: 'not a token!' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.token');
  });
});

describe('first-time set-up link', () => {
  test('an account made without a password cannot sign in until its link is used', async () => {
    const school = await buildSchool(fixture.services);
    const created = await createUser(
      fixture.services,
      { email: 'set-me-up@example.invalid', role: 'data_manager', orgId: school.id },
      { type: 'system', id: 'test' },
    );
    assert.match(created.setupLink ?? '', /^https:\/\/haven\.test\/set-password#token=[A-Za-z0-9_-]{43}$/);
    const token = created.setupLink?.split('#token=')[1] ?? '';
    const inspected = await post('/api/v1/auth/account-link', { token });
    assert.equal(inspected.json<{ purpose: string }>().purpose, 'account_setup');
    assert.equal(
      (await post('/api/v1/auth/login', { email: 'set-me-up@example.invalid', password: 'anything at all!' }))
        .statusCode,
      401,
    );
    assert.equal(
      (await post('/api/v1/auth/account-link/password', { token, password: NEW_PASSWORD })).statusCode,
      204,
    );
    await signInAs(fixture.app, 'set-me-up@example.invalid', NEW_PASSWORD);
    assert.ok((await auditActions(created.id)).some((event) => event.action === 'auth.account_set_up'));
  });
});

describe('changing one’s own password', () => {
  test('needs the current password; other sessions end, this one goes on', async () => {
    const user = await teacher();
    const here = await signInAs(fixture.app, user.email);
    const elsewhere = await signInAs(fixture.app, user.email);
    const wrong = await post(
      '/api/v1/auth/password',
      { currentPassword: 'not it at all', newPassword: NEW_PASSWORD },
      here,
    );
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'currentPassword');

    const changed = await post(
      '/api/v1/auth/password',
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      here,
    );
    assert.equal(changed.statusCode, 204, changed.body);
    const status = async (cookie: string) =>
      (await fixture.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode;
    assert.equal(await status(here), 200);
    assert.equal(await status(elsewhere), 401);
    await signInAs(fixture.app, user.email, NEW_PASSWORD);
  });

  test('without a session it is 401', async () => {
    const response = await post('/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    assert.equal(response.statusCode, 401);
  });
});
