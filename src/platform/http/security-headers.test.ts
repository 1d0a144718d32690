import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { buildApp } from '../../app.ts';
import { createSchool } from '../../modules/organisations/organisations.service.ts';
import { buildUser, TEST_PASSWORD } from '../../../test/support/auth.ts';
import { buildTestApp, useTestApp } from '../../../test/support/http.ts';
import type { TestServices } from '../../../test/support/services.ts';
import { cookieProblems, helmetOptions, securityHeaderProblems } from './security-headers.ts';
import pino from 'pino';

const context = useTestApp();

/** Pages of every kind: an API answer, an error, the API docs, a page of the web app. */
const URLS = ['/health', '/api/v1/me', '/no/such/route', '/api/docs/', '/sign-in'];

async function bareAppWith(options: Parameters<typeof helmetOptions>[0] | 'helmet defaults') {
  const app = Fastify();
  await app.register(helmet, options === 'helmet defaults' ? {} : helmetOptions(options));
  app.get('/', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('security headers', () => {
  test('every kind of response carries the CSP (frame-ancestors none), X-Frame-Options DENY and HSTS', async () => {
    // The test services' public address is https://haven.test: reached over HTTPS, so HSTS is expected.
    for (const url of URLS) {
      const response = await context.app.inject({ method: 'GET', url });
      assert.deepEqual(securityHeaderProblems(response.headers, { hsts: true }), [], `GET ${url}`);
      assert.match(
        String(response.headers['strict-transport-security']),
        /max-age=31536000; includeSubDomains/,
      );
    }
  });

  test('a plain-HTTP Haven sends the same headers but no HSTS', async () => {
    const app = await buildTestApp({ ...context.services, publicUrl: 'http://localhost:8080' });
    try {
      for (const url of URLS) {
        const response = await app.inject({ method: 'GET', url });
        assert.deepEqual(securityHeaderProblems(response.headers, { hsts: false }), [], `GET ${url}`);
        assert.equal(response.headers['strict-transport-security'], undefined);
      }
    } finally {
      await app.close();
    }
  });

  test('the check bites: helmet without frame-ancestors none, or its defaults, or HSTS over HTTP, fail it', async () => {
    const defaults = await bareAppWith('helmet defaults');
    const headers = (await defaults.inject({ method: 'GET', url: '/' })).headers;
    await defaults.close();
    const problems = securityHeaderProblems(headers, { hsts: true });
    assert.ok(
      problems.includes(`CSP frame-ancestors is "'self'", not "'none'"`),
      `helmet's default allows framing by the same origin: ${problems.join('; ')}`,
    );
    assert.ok(problems.includes('X-Frame-Options is SAMEORIGIN, not DENY'), problems.join('; '));

    // Haven's own options with the frame-ancestors directive taken out: only that is reported.
    const options = helmetOptions({ hsts: true });
    const csp = options.contentSecurityPolicy;
    assert.ok(typeof csp === 'object' && csp.directives !== undefined);
    const { 'frame-ancestors': _dropped, ...rest } = csp.directives;
    const weakened = Fastify();
    await weakened.register(helmet, { ...options, contentSecurityPolicy: { directives: rest } });
    weakened.get('/', async () => ({ ok: true }));
    const weak = (await weakened.inject({ method: 'GET', url: '/' })).headers;
    await weakened.close();
    assert.deepEqual(securityHeaderProblems(weak, { hsts: true }), [
      `CSP frame-ancestors is "'self'", not "'none'"`,
    ]);

    const noHsts = await bareAppWith({ hsts: false });
    const plain = (await noHsts.inject({ method: 'GET', url: '/' })).headers;
    await noHsts.close();
    assert.deepEqual(securityHeaderProblems(plain, { hsts: true }), [
      'Strict-Transport-Security is missing; over HTTPS it must last at least 180 days',
    ]);
    const withHsts = await bareAppWith({ hsts: true });
    const secure = (await withHsts.inject({ method: 'GET', url: '/' })).headers;
    await withHsts.close();
    assert.deepEqual(securityHeaderProblems(secure, { hsts: false }), [
      'Strict-Transport-Security is sent over plain HTTP (max-age=31536000; includeSubDomains)',
    ]);
  });
});

async function signInCookie(services: TestServices): Promise<string> {
  const app = await buildApp({ services, logger: pino({ level: 'silent' }) });
  try {
    const school = await createSchool(services, { name: 'Cookie Flags School' });
    const user = await buildUser(services, 'school_admin', school.id);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    assert.equal(response.statusCode, 200, response.body);
    const setCookie = [response.headers['set-cookie'] ?? []]
      .flat()
      .find((value) => value.startsWith('haven_session='));
    assert.ok(setCookie !== undefined, 'sign-in sets the session cookie');
    return setCookie;
  } finally {
    await app.close();
  }
}

describe('session cookie flags', () => {
  test('the session cookie is HttpOnly, SameSite=Strict and Secure', async () => {
    const setCookie = await signInCookie(context.services);
    assert.deepEqual(cookieProblems(setCookie, { secure: true }), []);
    assert.match(setCookie, /; SameSite=Strict/);
  });

  test('the check bites: a cookie without Secure, HttpOnly or SameSite fails it', async () => {
    // HAVEN_COOKIE_SECURE=false (plain-HTTP development): no Secure flag, which the check reports.
    const insecure = await signInCookie({
      ...context.services,
      auth: { ...context.services.auth, cookieSecure: false },
    });
    assert.deepEqual(cookieProblems(insecure, { secure: true }), ['the cookie is not Secure']);
    assert.deepEqual(cookieProblems(insecure, { secure: false }), []);
    assert.deepEqual(cookieProblems('haven_session=x; Path=/; Secure', { secure: true }), [
      'the cookie is not HttpOnly',
      "the cookie's SameSite is missing, not Strict or Lax",
    ]);
    assert.deepEqual(
      cookieProblems('haven_session=x; Path=/; HttpOnly; Secure; SameSite=None', { secure: true }),
      ["the cookie's SameSite is none, not Strict or Lax"],
    );
  });
});
