// The app side of the authorisation matrix: every route an app token reaches (`access: 'app:<scope>'`),
// found in the server's route table so a new one is covered without editing this file, answers 401
// without a token and 403 insufficient_scope to a token of the same school lacking its scope — never
// the data. And a token whose grant holds the scope gets past the check (the matrix can tell them apart).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useOAuthFixture } from './support/oauth-fixture.ts';

const SCOPES = ['school', 'students.basic', 'classes', 'assessments.results'];

const fixture = useOAuthFixture({
  pupils: 3,
  scopes: SCOPES.map((scope) => ({ scope, required: scope === 'school', reason: `The app uses ${scope}` })),
});

function urlOf(pattern: string): string {
  return pattern.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}

async function call(path: string, token?: string): Promise<Response> {
  return fetch(`${fixture.base}${urlOf(path)}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe('app routes and scopes', () => {
  test('every app route: 401 without a token, 403 insufficient_scope without its scope', async () => {
    const routes = fixture.routes.filter(
      (route) => route.access?.startsWith('app:') === true && route.method === 'GET',
    );
    assert.ok(routes.length >= 5, 'the app routes were seen');
    const schoolOnly = await fixture.accessToken(['school']);
    for (const route of routes) {
      const scope = route.access?.slice('app:'.length) ?? '';
      const anonymous = await call(route.url);
      assert.equal(anonymous.status, 401, `${route.url} without a token`);
      if (scope === 'school') {
        continue;
      }
      const narrow = await call(route.url, schoolOnly);
      const body = await narrow.text();
      assert.equal(narrow.status, 403, `${route.url} without ${scope}: ${body}`);
      // The app API says insufficient_scope; OneRoster's error format says forbidden.
      assert.match(body, /insufficient_scope|forbidden/, route.url);
      assert.ok(!body.includes('Zqforename'), `${route.url} leaked a pupil`);
    }
  });

  test('the check bites: the same routes answer a token holding the scope', async () => {
    const full = await fixture.accessToken(SCOPES);
    const granted = fixture.routes.filter(
      (route) =>
        route.method === 'GET' &&
        SCOPES.some((scope) => route.access === `app:${scope}`) &&
        !route.url.includes(':'),
    );
    assert.ok(granted.length >= 3, 'routes with a granted scope and no path parameter');
    for (const route of granted) {
      const response = await call(route.url, full);
      assert.ok(
        response.status !== 401 && response.status !== 403,
        `${route.url} answered ${response.status}`,
      );
    }
  });
});
