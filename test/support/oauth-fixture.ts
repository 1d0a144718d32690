// A Haven server on loopback with a school of synthetic pupils, its administrator, a registered app and the
// app's own server: for tests that drive the real OAuth flow over HTTP and then call the app data API.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import pino from 'pino';
import { buildApp, type HavenApp, type RouteEntry } from '../../src/app.ts';
import { runImport } from '../../src/modules/imports/imports.service.ts';
import { bufferSource } from '../../src/modules/imports/source.ts';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { buildUser, TEST_PASSWORD } from './auth.ts';
import { freePort } from './cli.ts';
import { buildSchool } from './factories.ts';
import {
  authoriseOverHttp,
  basicAuth,
  CookieJar,
  pkcePair,
  signInJar,
  startClientApp,
} from './oauth-client.ts';
import { pupilsCsv } from './pupil-files.ts';
import { createTestServices, type TestServices } from './services.ts';

export interface RequestedScope {
  scope: string;
  required: boolean;
  reason: string;
}

export interface OAuthFixture {
  readonly services: TestServices;
  readonly base: string;
  readonly school: { id: string };
  readonly admin: { email: string };
  readonly registered: { clientId: string; clientSecret: string; appId: string; developerEmail: string };
  readonly redirectUri: string;
  signIn(jar: CookieJar, email: string): Promise<void>;
  authoriseUrl(overrides?: Record<string, string | undefined>, challenge?: string): string;
  /** The school admin's browser through the whole authorisation; returns the code the app receives. */
  authorise(
    scopes: string[],
    options?: { schoolId?: string; adminEmail?: string },
  ): Promise<{ code: string; verifier: string }>;
  token(body: Record<string, string>, secret?: string): Promise<Response>;
  exchange(code: string, verifier: string): Promise<Response>;
  /** A fresh access token for the school with these scopes approved. */
  accessToken(scopes: string[], options?: { schoolId?: string; adminEmail?: string }): Promise<string>;
  api(path: string, accessToken: string, headers?: Record<string, string>): Promise<Response>;
  /** Every route the server registered, with its declared access (for the scope matrix). */
  readonly routes: readonly RouteEntry[];
}

export function useOAuthFixture(options: {
  pupils?: number;
  scopes: RequestedScope[];
  auth?: Partial<TestServices['auth']>;
}): OAuthFixture {
  let services: TestServices | undefined;
  let app: HavenApp | undefined;
  let client: Awaited<ReturnType<typeof startClientApp>> | undefined;
  let base = '';
  let school = { id: '' };
  let admin = { email: '' };
  let registered = { clientId: '', clientSecret: '', appId: '', developerEmail: '' };

  const fixture: OAuthFixture = {
    get services() {
      assert.ok(services !== undefined, 'used before the before() hook ran');
      return services;
    },
    get base() {
      return base;
    },
    get school() {
      return school;
    },
    get admin() {
      return admin;
    },
    get registered() {
      return registered;
    },
    get routes() {
      assert.ok(app !== undefined, 'used before the before() hook ran');
      return app.routeTable;
    },
    get redirectUri() {
      return client?.redirectUri ?? '';
    },
    async signIn(jar, email) {
      await signInJar(jar, base, email, TEST_PASSWORD);
    },
    authoriseUrl(overrides = {}, challenge = pkcePair().challenge) {
      const params: Record<string, string | undefined> = {
        client_id: registered.clientId,
        redirect_uri: fixture.redirectUri,
        response_type: 'code',
        scope: options.scopes.map((scope) => scope.scope).join(' '),
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
    },
    async authorise(scopes, which = {}) {
      return authoriseOverHttp({
        base,
        clientId: registered.clientId,
        redirectUri: fixture.redirectUri,
        asked: options.scopes.map((scope) => scope.scope),
        approved: scopes,
        schoolId: which.schoolId ?? school.id,
        adminEmail: which.adminEmail ?? admin.email,
        password: TEST_PASSWORD,
      });
    },
    async token(body, secret = registered.clientSecret) {
      return fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuth(registered.clientId, secret),
        },
        body: new URLSearchParams(body).toString(),
      });
    },
    async exchange(code, verifier) {
      return fixture.token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: fixture.redirectUri,
        code_verifier: verifier,
      });
    },
    async accessToken(scopes, which = {}) {
      const { code, verifier } = await fixture.authorise(scopes, which);
      const issued = await fixture.exchange(code, verifier);
      assert.equal(issued.status, 200, await issued.clone().text());
      return ((await issued.json()) as { access_token: string }).access_token;
    },
    api(path, accessToken, headers = {}) {
      return fetch(`${base}/api/apps/v1${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, ...headers },
      });
    },
  };

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const created0 = await createTestServices();
    services = { ...created0, publicUrl: base, auth: { ...created0.auth, ...options.auth } };
    app = await buildApp({ services, logger: pino({ level: 'silent' }) });
    await app.listen({ host: '127.0.0.1', port });
    client = await startClientApp();
    school = await buildSchool(services);
    admin = await buildUser(services, 'school_admin', school.id);
    const outcome = await runImport(services, {
      schoolId: school.id,
      source: bufferSource('pupils.csv', Buffer.from(pupilsCsv(options.pupils ?? 3))),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'test' },
      dryRun: false,
    });
    assert.equal(outcome.status, 'committed');
    const developer = await buildUser(services, 'app_developer', PLATFORM_ORG_ID);
    const jar = new CookieJar();
    await fixture.signIn(jar, developer.email);
    const created = await jar.fetch(`${base}/api/v1/developer/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Homework Helper (test app)',
        purpose: 'Sets homework for each class and shows teachers who has handed it in.',
        privacyNoticeUrl: 'https://homework.example.invalid/privacy',
        redirectUris: [client.redirectUri],
        scopes: options.scopes,
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
    await new Promise<void>((resolve) =>
      client === undefined ? resolve() : client.server.close(() => resolve()),
    );
    await app?.close();
    await services?.close();
  });

  return fixture;
}
