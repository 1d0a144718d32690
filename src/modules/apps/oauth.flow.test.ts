// The whole app authorisation over real HTTP: a third-party app (its own server on loopback) sends a school
// admin's browser through the authorisation code flow with PKCE, exchanges the code, reads data with the
// token; the school revokes and the very next call is refused. Then each bad input, refused per the RFCs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { buildApp, type HavenApp } from '../../app.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { runImport } from '../imports/imports.service.ts';
import { bufferSource } from '../imports/source.ts';
import { buildUser, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { freePort } from '../../../test/support/cli.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { basicAuth, CookieJar, pkcePair, startClientApp } from '../../../test/support/oauth-client.ts';
import { pupilsCsv, syntheticUpn } from '../../../test/support/pupil-files.ts';
import { createTestServices, readOutbox, type TestServices } from '../../../test/support/services.ts';

let services: TestServices;
let app: HavenApp;
let base = '';
let client: Awaited<ReturnType<typeof startClientApp>>;
let registered: { clientId: string; clientSecret: string; appId: string; developerEmail: string };
let school: { id: string };
let admin: { email: string };

async function signIn(jar: CookieJar, email: string): Promise<void> {
  const response = await jar.fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  assert.equal(response.status, 200);
}

function authoriseUrl(
  overrides: Record<string, string | undefined> = {},
  challenge = pkcePair().challenge,
): string {
  const params: Record<string, string | undefined> = {
    client_id: registered.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'school students.basic students.upn',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([key, value]): Array<[string, string]> =>
      value === undefined ? [] : [[key, value]],
    ),
  );
  return `${base}/oauth/auth?${query.toString()}`;
}

/** The school admin's browser through the whole authorisation; returns the code the app receives. */
async function authorise(
  scopes: string[],
  verifierPair = pkcePair(),
): Promise<{ code: string; verifier: string }> {
  const browser = new CookieJar();
  await signIn(browser, admin.email);
  const start = await browser.fetch(authoriseUrl({}, verifierPair.challenge));
  assert.equal(start.status, 303, 'the authorisation endpoint sends the browser to the approval page');
  const location = start.headers.get('location') ?? '';
  const uid = /\/oauth\/interaction\/([A-Za-z0-9_-]+)$/.exec(location)?.[1] ?? '';
  assert.ok(uid !== '', location);
  const details = await browser.fetch(`${base}/oauth/interaction/${uid}/details`);
  assert.equal(details.status, 200);
  const approve = await browser.fetch(`${base}/oauth/interaction/${uid}/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schoolId: school.id, scopes }),
  });
  assert.equal(approve.status, 200, await approve.clone().text());
  const { redirectTo } = (await approve.json()) as { redirectTo: string };
  let next = await browser.fetch(redirectTo);
  while (next.status === 303 || next.status === 302) {
    const target = next.headers.get('location') ?? '';
    if (target.startsWith(client.redirectUri)) {
      const params = new URL(target).searchParams;
      assert.equal(params.get('state'), 'state-123');
      return { code: params.get('code') ?? '', verifier: verifierPair.verifier };
    }
    next = await browser.fetch(new URL(target, base).toString());
  }
  throw new Error(`the browser did not come back to the app (status ${next.status})`);
}

async function token(body: Record<string, string>, secret = registered.clientSecret): Promise<Response> {
  return fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuth(registered.clientId, secret),
    },
    body: new URLSearchParams(body).toString(),
  });
}

async function exchange(code: string, verifier: string): Promise<Response> {
  return token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    code_verifier: verifier,
  });
}

const api = (path: string, accessToken: string) =>
  fetch(`${base}/api/apps/v1${path}`, { headers: { authorization: `Bearer ${accessToken}` } });

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  services = { ...(await createTestServices()), publicUrl: base };
  app = await buildApp({ services, logger: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port });
  client = await startClientApp();
  school = await buildSchool(services);
  admin = await buildUser(services, 'school_admin', school.id);
  const outcome = await runImport(services, {
    schoolId: school.id,
    source: bufferSource('pupils.csv', Buffer.from(pupilsCsv(3))),
    options: { pseudonymousUpn: false, noNames: false },
    actor: { type: 'system', id: 'test' },
    dryRun: false,
  });
  assert.equal(outcome.status, 'committed');
  const developer = await buildUser(services, 'app_developer', PLATFORM_ORG_ID);
  const jar = new CookieJar();
  await signIn(jar, developer.email);
  const created = await jar.fetch(`${base}/api/v1/developer/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Homework Helper (test app)',
      purpose: 'Sets homework for each class and shows teachers who has handed it in.',
      privacyNoticeUrl: 'https://homework.example.invalid/privacy',
      redirectUris: [client.redirectUri],
      scopes: [
        { scope: 'school', required: true, reason: 'To show the school name' },
        { scope: 'students.basic', required: true, reason: 'To list pupils in each class' },
        { scope: 'students.upn', required: false, reason: 'To match pupils when they move school' },
      ],
      acceptTerms: true,
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const body = (await created.json()) as { app: { id: string; clientId: string }; clientSecret: string };
  registered = {
    clientId: body.app.clientId,
    clientSecret: body.clientSecret,
    appId: body.app.id,
    developerEmail: developer.email,
  };
});

after(async () => {
  await new Promise<void>((resolve) => client.server.close(() => resolve()));
  await app.close();
  await services.close();
});

describe('an app authorised by a school over real HTTP', () => {
  test('code + PKCE, data read with exactly the approved scopes, then revoked: the next call is refused', async () => {
    const { code, verifier } = await authorise(['school', 'students.basic']);
    const issued = await exchange(code, verifier);
    assert.equal(issued.status, 200, await issued.clone().text());
    const tokens = (await issued.json()) as {
      access_token: string;
      refresh_token?: string;
      expires_in: number;
    };
    assert.ok(tokens.expires_in <= 600, 'access tokens are short-lived');
    assert.ok(tokens.refresh_token !== undefined);

    const introspect = () =>
      fetch(`${base}/oauth/token/introspection`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuth(registered.clientId, registered.clientSecret),
        },
        body: new URLSearchParams({ token: tokens.access_token }).toString(),
      }).then(async (response) => (await response.json()) as { active: boolean; scope?: string });
    const live = await introspect();
    assert.equal(live.active, true);
    assert.equal(live.scope, 'school students.basic');

    const schoolInfo = await api('/school', tokens.access_token);
    assert.equal(schoolInfo.status, 200);
    assert.equal(((await schoolInfo.json()) as { id: string }).id, school.id);
    const students = await api('/students?per_page=2', tokens.access_token);
    assert.equal(students.status, 200);
    assert.equal(students.headers.get('total'), '3');
    assert.equal(students.headers.get('next-page'), '2');
    const list = (await students.json()) as Array<Record<string, unknown>>;
    assert.equal(list.length, 2);
    assert.ok(
      list.every((pupil) => !('upn' in pupil)),
      'the optional UPN scope was not approved: no UPN',
    );
    const text = JSON.stringify(list);
    assert.ok(!text.includes(syntheticUpn(1)) && !text.includes(syntheticUpn(2)));

    const admins = new CookieJar();
    await signIn(admins, admin.email);
    const listed = await admins.fetch(`${base}/api/v1/schools/${school.id}/apps`);
    const authorisations = (await listed.json()) as Array<{
      id: string;
      requestCount: number;
      scopes: Array<{ scope: string }>;
    }>;
    assert.equal(authorisations.length, 1);
    assert.deepEqual(
      authorisations[0]?.scopes.map((scope) => scope.scope),
      ['school', 'students.basic'],
    );
    assert.equal(authorisations[0]?.requestCount, 2);
    const mails = await readOutbox(services);
    assert.ok(
      mails.some((mail) => mail.includes('was approved')),
      'the school admins were told',
    );

    const revoked = await admins.fetch(
      `${base}/api/v1/schools/${school.id}/apps/${authorisations[0]?.id ?? ''}`,
      {
        method: 'DELETE',
      },
    );
    assert.equal(revoked.status, 204);
    const afterRevoke = await api('/school', tokens.access_token);
    assert.equal(afterRevoke.status, 401);
    assert.equal(((await afterRevoke.json()) as { error: string }).error, 'invalid_token');
    assert.match(afterRevoke.headers.get('www-authenticate') ?? '', /invalid_token/);
    assert.equal((await introspect()).active, false, 'introspection agrees: the token is dead');
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    assert.equal(refreshed.status, 400);
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
  });

  test('an approved optional scope is served; approving again replaces the earlier grant', async () => {
    const { code, verifier } = await authorise(['school', 'students.basic', 'students.upn']);
    const tokens = (await (await exchange(code, verifier)).json()) as { access_token: string };
    const students = (await (await api('/students', tokens.access_token)).json()) as Array<{ upn?: string }>;
    assert.ok(students.every((pupil) => typeof pupil.upn === 'string'));

    const { code: narrow, verifier: narrowVerifier } = await authorise(['school', 'students.basic']);
    const narrowTokens = (await (await exchange(narrow, narrowVerifier)).json()) as { access_token: string };
    const narrowList = (await (await api('/students', narrowTokens.access_token)).json()) as Array<{
      upn?: string;
    }>;
    assert.ok(
      narrowList.every((pupil) => !('upn' in pupil)),
      'the narrower approval applies',
    );
    assert.equal(
      (await api('/school', tokens.access_token)).status,
      401,
      'the re-approval replaced the earlier grant',
    );
  });

  test('the app can withdraw its own access; the developer sees usage as counts only', async () => {
    const { code, verifier } = await authorise(['school', 'students.basic']);
    const { access_token: accessToken } = (await (await exchange(code, verifier)).json()) as {
      access_token: string;
    };
    assert.equal((await api('/school', accessToken)).status, 200);

    const developerJar = new CookieJar();
    await signIn(developerJar, registered.developerEmail);
    const mine = (await (await developerJar.fetch(`${base}/api/v1/developer/apps`)).json()) as Array<{
      usage: { schools: number; requests: number };
    }>;
    assert.equal(mine[0]?.usage.schools, 1);
    assert.ok((mine[0]?.usage.requests ?? 0) >= 1);
    assert.ok(!JSON.stringify(mine).includes(school.id), 'usage names no school');

    const gone = await fetch(`${base}/api/apps/v1/authorisation`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(gone.status, 204);
    assert.equal((await api('/school', accessToken)).status, 401);
    const admins = new CookieJar();
    await signIn(admins, admin.email);
    assert.deepEqual(await (await admins.fetch(`${base}/api/v1/schools/${school.id}/apps`)).json(), []);
    assert.ok((await readOutbox(services)).some((mail) => mail.includes('by the app itself')));
  });

  test('an expired access token is refused as invalid_token', async () => {
    const { code, verifier } = await authorise(['school', 'students.basic']);
    const { access_token: accessToken } = (await (await exchange(code, verifier)).json()) as {
      access_token: string;
    };
    await services.db.withPlatform('test.expire_tokens', (trx) =>
      trx
        .updateTable('oauth_artifacts')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('model', '=', 'AccessToken')
        .execute(),
    );
    const expired = await api('/school', accessToken);
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { error: string }).error, 'invalid_token');
  });

  test('bad inputs are refused per the RFCs, and leak nothing', async () => {
    const wrongRedirect = await fetch(authoriseUrl({ redirect_uri: 'https://evil.example.invalid/cb' }), {
      redirect: 'manual',
    });
    assert.equal(wrongRedirect.status, 400, 'a wrong redirect URI is never redirected to');
    assert.match(await wrongRedirect.text(), /redirect_uri/);

    const noPkce = await fetch(
      authoriseUrl({ code_challenge: undefined, code_challenge_method: undefined }),
      {
        redirect: 'manual',
      },
    );
    assert.equal(noPkce.status, 303);
    const noPkceTarget = new URL(noPkce.headers.get('location') ?? '');
    assert.equal(noPkceTarget.searchParams.get('error'), 'invalid_request');

    const { code, verifier } = await authorise(['school', 'students.basic']);
    const wrongVerifier = await exchange(code, pkcePair().verifier);
    assert.equal(wrongVerifier.status, 400);
    assert.equal(((await wrongVerifier.json()) as { error: string }).error, 'invalid_grant');
    const first = await exchange(code, verifier);
    assert.equal(first.status, 200, 'the right verifier still works');
    const { access_token: firstToken } = (await first.json()) as { access_token: string };
    const reused = await exchange(code, verifier);
    assert.equal(reused.status, 400, 'a code works once');
    assert.equal(((await reused.json()) as { error: string }).error, 'invalid_grant');
    assert.equal(
      (await api('/school', firstToken)).status,
      401,
      'a replayed code revokes what it gave (RFC 6749 4.1.2)',
    );

    const badSecret = await token({ grant_type: 'client_credentials' }, 'hs_not-the-secret');
    assert.equal(badSecret.status, 401);
    assert.equal(((await badSecret.json()) as { error: string }).error, 'invalid_client');

    const appToken = await token({ grant_type: 'client_credentials' });
    assert.equal(appToken.status, 200, await appToken.clone().text());
    const { access_token: appLevel } = (await appToken.json()) as { access_token: string };
    const notSchool = await api('/students', appLevel);
    assert.equal(notSchool.status, 403, 'an app-level token reads no school data');
    assert.equal(((await notSchool.json()) as { error: string }).error, 'insufficient_scope');

    assert.equal((await api('/school', 'not-a-token')).status, 401);

    // The platform operator disables the app: its tokens stop, and it cannot get new ones.
    const { code: live, verifier: liveVerifier } = await authorise(['school', 'students.basic']);
    const { access_token: liveToken } = (await (await exchange(live, liveVerifier)).json()) as {
      access_token: string;
    };
    assert.equal((await api('/school', liveToken)).status, 200);
    const operatorJar = new CookieJar();
    await signIn(operatorJar, (await buildUser(services, 'platform_operator', PLATFORM_ORG_ID)).email);
    const setStatus = (status: string) =>
      operatorJar.fetch(`${base}/api/v1/platform/apps/${registered.appId}/status`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
    assert.equal((await setStatus('disabled')).status, 204);
    assert.equal((await api('/school', liveToken)).status, 401, 'a disabled app’s tokens stop at once');
    const disabled = await token({ grant_type: 'client_credentials' });
    assert.equal(((await disabled.json()) as { error: string }).error, 'invalid_client');
    assert.equal((await setStatus('active')).status, 204);
    assert.equal((await api('/school', liveToken)).status, 200, 'enabled again, the grant still stands');
    assert.equal((await fetch(`${base}/api/apps/v1/school`)).status, 401);
  });
});
