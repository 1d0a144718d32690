// The whole app authorisation over real HTTP: a third-party app (its own server on loopback) sends a school
// admin's browser through the authorisation code flow with PKCE, exchanges the code, reads data with the
// token; the school revokes and the very next call is refused. Then each bad input, refused per the RFCs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser } from '../../../test/support/auth.ts';
import { basicAuth, CookieJar, pkcePair } from '../../../test/support/oauth-client.ts';
import { useOAuthFixture } from '../../../test/support/oauth-fixture.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { readOutbox } from '../../../test/support/services.ts';

const fixture = useOAuthFixture({
  scopes: [
    { scope: 'school', required: true, reason: 'To show the school name' },
    { scope: 'students.basic', required: true, reason: 'To list pupils in each class' },
    { scope: 'students.upn', required: false, reason: 'To match pupils when they move school' },
  ],
});
const authorise = (scopes: string[]) => fixture.authorise(scopes);
const authoriseUrl = (overrides?: Record<string, string | undefined>) => fixture.authoriseUrl(overrides);
const exchange = (code: string, verifier: string) => fixture.exchange(code, verifier);
const signIn = (jar: CookieJar, email: string) => fixture.signIn(jar, email);
const token = (body: Record<string, string>, secret?: string) => fixture.token(body, secret);
const api = (path: string, accessToken: string) => fixture.api(path, accessToken);

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
      fetch(`${fixture.base}/oauth/token/introspection`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuth(fixture.registered.clientId, fixture.registered.clientSecret),
        },
        body: new URLSearchParams({ token: tokens.access_token }).toString(),
      }).then(async (response) => (await response.json()) as { active: boolean; scope?: string });
    const live = await introspect();
    assert.equal(live.active, true);
    assert.equal(live.scope, 'school students.basic');

    const schoolInfo = await api('/school', tokens.access_token);
    assert.equal(schoolInfo.status, 200);
    assert.equal(((await schoolInfo.json()) as { id: string }).id, fixture.school.id);
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
    await signIn(admins, fixture.admin.email);
    const listed = await admins.fetch(`${fixture.base}/api/v1/schools/${fixture.school.id}/apps`);
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
    const mails = await readOutbox(fixture.services);
    assert.ok(
      mails.some((mail) => mail.includes('was approved')),
      'the school admins were told',
    );

    const revoked = await admins.fetch(
      `${fixture.base}/api/v1/schools/${fixture.school.id}/apps/${authorisations[0]?.id ?? ''}`,
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
    await signIn(developerJar, fixture.registered.developerEmail);
    const mine = (await (await developerJar.fetch(`${fixture.base}/api/v1/developer/apps`)).json()) as Array<{
      usage: { schools: number; requests: number };
    }>;
    assert.equal(mine[0]?.usage.schools, 1);
    assert.ok((mine[0]?.usage.requests ?? 0) >= 1);
    assert.ok(!JSON.stringify(mine).includes(fixture.school.id), 'usage names no school');

    const gone = await fetch(`${fixture.base}/api/apps/v1/authorisation`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(gone.status, 204);
    assert.equal((await api('/school', accessToken)).status, 401);
    const admins = new CookieJar();
    await signIn(admins, fixture.admin.email);
    assert.deepEqual(
      await (await admins.fetch(`${fixture.base}/api/v1/schools/${fixture.school.id}/apps`)).json(),
      [],
    );
    assert.ok((await readOutbox(fixture.services)).some((mail) => mail.includes('by the app itself')));
  });

  test('an expired access token is refused as invalid_token', async () => {
    const { code, verifier } = await authorise(['school', 'students.basic']);
    const { access_token: accessToken } = (await (await exchange(code, verifier)).json()) as {
      access_token: string;
    };
    assert.equal((await api('/school', accessToken)).status, 200, 'used once: the server knows it');
    await fixture.services.db.withPlatform('test.expire_tokens', (trx) =>
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

  test('a token used before is checked again on every request: revoked alone, or its session gone', async () => {
    const freshToken = async () => {
      const { code, verifier } = await authorise(['school', 'students.basic']);
      const { access_token: accessToken } = (await (await exchange(code, verifier)).json()) as {
        access_token: string;
      };
      assert.equal((await api('/students', accessToken)).status, 200);
      return accessToken;
    };
    const revokedAlone = await freshToken();
    const revocation = await fetch(`${fixture.base}/oauth/token/revocation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuth(fixture.registered.clientId, fixture.registered.clientSecret),
      },
      body: new URLSearchParams({ token: revokedAlone, token_type_hint: 'access_token' }).toString(),
    });
    assert.equal(revocation.status, 200);
    assert.equal((await api('/students', revokedAlone)).status, 401, 'RFC 7009: revoked, refused next time');

    const sessionBound = await freshToken();
    await fixture.services.db.withPlatform('test.end_oauth_sessions', (trx) =>
      trx.deleteFrom('oauth_artifacts').where('model', '=', 'Session').execute(),
    );
    assert.equal(
      (await api('/students', sessionBound)).status,
      401,
      'a token that ends with its session ends with it',
    );
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
    assert.equal((await api('/school', firstToken)).status, 200);
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
    await signIn(
      operatorJar,
      (await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID)).email,
    );
    const setStatus = (status: string) =>
      operatorJar.fetch(`${fixture.base}/api/v1/platform/apps/${fixture.registered.appId}/status`, {
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
    assert.equal((await fetch(`${fixture.base}/api/apps/v1/school`)).status, 401);
  });
});
