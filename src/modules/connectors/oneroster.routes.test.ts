// Haven's OneRoster 1.2 endpoints: each collection needs the scope that covers it (the binding's error
// format otherwise), pages with limit/offset, X-Total-Count and Link, and honours filter, sort and fields;
// a pupil's attributes follow the grant.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useOAuthFixture } from '../../../test/support/oauth-fixture.ts';
import { ONEROSTER_BASE } from './oneroster.routes.ts';

const SCOPES = ['school', 'students.basic', 'students.sex', 'classes'];
const fixture = useOAuthFixture({
  pupils: 5,
  scopes: [...SCOPES, 'students.upn'].map((scope) => ({
    scope,
    required: scope === 'school',
    reason: `The rostering tool uses ${scope}`,
  })),
});

const roster = (path: string, token?: string) =>
  fetch(`${fixture.base}${ONEROSTER_BASE}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe('OneRoster 1.2 out', () => {
  test('scopes: no token is 401, a missing scope 403, both in the OneRoster error format', async () => {
    const anonymous = await roster('/users');
    assert.equal(anonymous.status, 401);
    const error = await json<{ imsx_codeMajor: string; imsx_CodeMinor: unknown }>(anonymous);
    assert.equal(error.imsx_codeMajor, 'failure');
    const narrow = await fixture.accessToken(['school']);
    assert.equal((await roster('/orgs', narrow)).status, 200);
    for (const path of ['/users', '/students', '/demographics', '/classes', '/courses', '/enrollments']) {
      assert.equal((await roster(path, narrow)).status, 403, path);
    }
  });

  test('paging, filter, sort and fields', async () => {
    const token = await fixture.accessToken(SCOPES);
    const first = await roster('/users?limit=2&offset=0&sort=sourcedId', token);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-total-count'), '5');
    assert.match(first.headers.get('link') ?? '', /offset=2&sort=sourcedId>; rel="next"/);
    const page = await json<{ users: Array<{ sourcedId: string; userIds: unknown[] }> }>(first);
    assert.equal(page.users.length, 2);
    assert.deepEqual(page.users[0]?.userIds, [], 'no UPN without the students.upn scope');
    const last = await json<{ users: unknown[] }>(await roster('/users?limit=2&offset=4', token));
    assert.equal(last.users.length, 1);

    const all = await json<{ users: Array<{ sourcedId: string; givenName: string }> }>(
      await roster('/users?sort=sourcedId&orderBy=desc', token),
    );
    const ids = all.users.map((user) => user.sourcedId);
    assert.deepEqual(ids, ids.toSorted().toReversed());
    const wanted = all.users[0]?.sourcedId ?? '';
    const filtered = await json<{ users: Array<Record<string, unknown>> }>(
      await roster(
        `/users?filter=${encodeURIComponent(`sourcedId='${wanted}'`)}&fields=sourcedId,givenName`,
        token,
      ),
    );
    assert.equal(filtered.users.length, 1);
    assert.deepEqual(Object.keys(filtered.users[0] ?? {}).sort(), ['givenName', 'sourcedId']);

    const bad = await roster(`/users?filter=${encodeURIComponent("password='x'")}`, token);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /invalid_filter_field/);
    assert.equal((await roster('/users?fields=password', token)).status, 400);
  });

  test('demographics carry only the granted attributes; classes, courses and enrollments link up', async () => {
    const token = await fixture.accessToken(SCOPES);
    const { demographics } = await json<{ demographics: Array<Record<string, unknown>> }>(
      await roster('/demographics', token),
    );
    assert.ok(demographics.every((row) => 'sex' in row && !('birthDate' in row)));
    const { classes } = await json<{ classes: Array<{ sourcedId: string; course: { sourcedId: string } }> }>(
      await roster('/classes', token),
    );
    const { courses } = await json<{ courses: Array<{ sourcedId: string }> }>(
      await roster('/courses', token),
    );
    const { enrollments } = await json<{ enrollments: Array<{ class: { sourcedId: string } }> }>(
      await roster('/enrollments', token),
    );
    assert.ok(classes.length > 0 && enrollments.length > 0);
    assert.ok(classes.every((row) => courses.some((course) => course.sourcedId === row.course.sourcedId)));
    assert.ok(enrollments.every((row) => classes.some((entry) => entry.sourcedId === row.class.sourcedId)));
    const sessions = await json<{ academicSessions: Array<{ type: string }> }>(
      await roster('/academicSessions', token),
    );
    assert.equal(sessions.academicSessions[0]?.type, 'schoolYear');
  });
});
