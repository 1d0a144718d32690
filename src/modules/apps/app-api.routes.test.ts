// The app data API: every resource × (no token, another school's ids, a scope not granted, granted), the
// attributes a scope set brings, pagination edges, conditional requests, versioning, the rate limit, audit.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { runImport } from '../imports/imports.service.ts';
import { bufferSource } from '../imports/source.ts';
import { buildUser } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useOAuthFixture } from '../../../test/support/oauth-fixture.ts';
import { PUPIL_HEADER, pupilRow, pupilsCsv } from '../../../test/support/pupil-files.ts';

const ALL = [
  'school',
  'students.basic',
  'students.upn',
  'students.dob',
  'students.sex',
  'students.ethnicity',
  'students.fsm',
  'students.disadvantaged',
  'students.sen',
  'students.eal',
  'students.care',
  'students.contacts',
  'classes',
  'assessments.prior_attainment',
  'assessments.results',
  'assessments.targets',
];
const RATE_LIMIT = 40;

const fixture = useOAuthFixture({
  pupils: 5,
  scopes: ALL.map((scope) => ({ scope, required: scope === 'school', reason: `The app uses ${scope}` })),
  auth: { appRatePerFiveMinutes: RATE_LIMIT },
});

let other = { token: '', schoolId: '' };
// One authorisation per app and school: approving again replaces the last one (and ends its tokens), so
// each test asks for the token it needs when it needs it.
const fullToken = () => fixture.accessToken(ALL);

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe('the app data API', () => {
  // Inside the suite: root-level before hooks run side by side, and this needs the fixture's server.
  before(async () => {
    // A second school approves the same app: its token must never reach the first school's records.
    const otherSchool = await buildSchool(fixture.services);
    const otherAdmin = await buildUser(fixture.services, 'school_admin', otherSchool.id);
    await runImport(fixture.services, {
      schoolId: otherSchool.id,
      source: bufferSource('pupils.csv', Buffer.from(pupilsCsv(2, 50))),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'test' },
      dryRun: false,
    });
    other = {
      token: await fixture.accessToken(['school', 'students.basic', 'classes'], {
        schoolId: otherSchool.id,
        adminEmail: otherAdmin.email,
      }),
      schoolId: otherSchool.id,
    };
  });

  test('every resource: 401 without a token, 403 insufficient_scope without its scope, 200 with it', async () => {
    let full = await fullToken();
    const students = await json<Array<{ id: string }>>(await fixture.api('/students', full));
    const classes = await json<Array<{ id: string }>>(await fixture.api('/classes', full));
    assert.ok(students.length === 5 && classes.length > 0);
    const resources = [
      ['/school', false],
      ['/students', true],
      ['/students/left', true],
      [`/students/${students[0]?.id ?? ''}`, true],
      ['/year_groups', true],
      ['/classes', true],
      [`/classes/${classes[0]?.id ?? ''}/members`, true],
      ['/subjects', true],
      ['/assessment_points', true],
      ['/grade_sets', true],
      ['/results', true],
      ['/prior_attainment', true],
    ] as const;
    const minimal = await fixture.accessToken(['school']);
    for (const [path, needsMore] of resources) {
      const anonymous = await fetch(`${fixture.base}/api/apps/v1${path}`);
      assert.equal(anonymous.status, 401, `${path} without a token`);
      assert.equal((await json<{ error: string }>(anonymous)).error, 'invalid_token');
      const narrow = await fixture.api(path, minimal);
      assert.equal(narrow.status, needsMore ? 403 : 200, `${path} with only the school scope`);
      if (needsMore) {
        assert.equal((await json<{ error: string }>(narrow)).error, 'insufficient_scope');
        assert.match(narrow.headers.get('www-authenticate') ?? '', /insufficient_scope/);
      }
    }
    full = await fullToken();
    for (const [path] of resources) {
      assert.equal((await fixture.api(path, full)).status, 200, `${path} with every scope`);
    }
  });

  test("another school's token reaches none of this school's pupils or classes", async () => {
    const full = await fullToken();
    const students = await json<Array<{ id: string }>>(await fixture.api('/students', full));
    const classes = await json<Array<{ id: string }>>(await fixture.api('/classes', full));
    assert.equal((await fixture.api(`/students/${students[0]?.id ?? ''}`, other.token)).status, 404);
    assert.equal((await fixture.api(`/classes/${classes[0]?.id ?? ''}/members`, other.token)).status, 404);
    const theirs = await json<Array<{ id: string }>>(await fixture.api('/students', other.token));
    assert.equal(theirs.length, 2, 'the other school sees its own two pupils');
    assert.ok(theirs.every((pupil) => !students.some((mine) => mine.id === pupil.id)));
    const school = await json<{ id: string }>(await fixture.api('/school', other.token));
    assert.equal(school.id, other.schoolId);
  });

  test('a pupil carries exactly the attributes of the scopes granted', async () => {
    const narrow = await fixture.accessToken(['school', 'students.basic', 'students.sex']);
    const [pupil] = await json<Array<Record<string, unknown>>>(await fixture.api('/students', narrow));
    const full = await fullToken();
    assert.deepEqual(Object.keys(pupil ?? {}).sort(), [
      'display_name',
      'enrolment_status',
      'first_name',
      'id',
      'last_name',
      'leave_date',
      'registration_group',
      'sex',
      'start_date',
      'year_group',
    ]);
    const [everything] = await json<Array<Record<string, unknown>>>(await fixture.api('/students', full));
    for (const field of [
      'upn',
      'date_of_birth',
      'ethnicity',
      'fsm',
      'fsm6',
      'disadvantaged',
      'sen',
      'eal',
      'looked_after',
      'contacts',
    ]) {
      assert.ok(field in (everything ?? {}), field);
    }
    assert.match(String(everything?.upn), /^[A-Z]\d{12}$/);
    assert.match(String(everything?.date_of_birth), /^\d{4}-\d{2}-\d{2}$/);
  });

  test('results serve only the facets granted; asking for another is insufficient_scope', async () => {
    const achievedOnly = await fixture.accessToken(['school', 'assessments.results']);
    const targets = await fixture.api('/results?facet=target', achievedOnly);
    assert.equal(targets.status, 403);
    const achieved = await fixture.api('/results?facet=achieved', achievedOnly);
    assert.equal(achieved.status, 200);
  });

  test('pagination: Total, Total-Pages, Next-Page and Link; past the end is empty; bad sizes are invalid_request', async () => {
    const full = await fullToken();
    const first = await fixture.api('/students?per_page=2', full);
    assert.equal(first.headers.get('total'), '5');
    assert.equal(first.headers.get('total-pages'), '3');
    assert.equal(first.headers.get('next-page'), '2');
    assert.match(first.headers.get('link') ?? '', /per_page=2&page=2>; rel="next"/);
    const last = await fixture.api('/students?per_page=2&page=3', full);
    assert.equal((await json<unknown[]>(last)).length, 1);
    assert.equal(last.headers.get('next-page'), null);
    assert.match(last.headers.get('link') ?? '', /rel="prev"/);
    const beyond = await fixture.api('/students?per_page=2&page=9', full);
    assert.deepEqual(await json<unknown[]>(beyond), []);
    const pages = [
      ...(await json<Array<{ id: string }>>(first)),
      ...(await json<Array<{ id: string }>>(await fixture.api('/students?per_page=2&page=2', full))),
    ];
    assert.equal(new Set(pages.map((pupil) => pupil.id)).size, 4, 'stable order: no pupil twice');
    for (const size of ['0', '1501', 'lots']) {
      const bad = await fixture.api(`/students?per_page=${size}`, full);
      assert.equal(bad.status, 400, size);
      assert.equal((await json<{ error: string }>(bad)).error, 'invalid_request');
    }
  });

  test('conditional requests: a matching ETag is 304; If-Modified-Since returns only what changed', async () => {
    const full = await fullToken();
    const first = await fixture.api('/students', full);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    assert.ok(etag !== '' && lastModified !== '');
    const again = await fixture.api('/students', full, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');

    const later = new Date(Date.parse(lastModified) + 1000).toUTCString();
    const unchanged = await fixture.api('/students', full, { 'if-modified-since': later });
    assert.deepEqual(await json<unknown[]>(unchanged), []);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changed = [PUPIL_HEADER, pupilRow(2, { year_group: '10' })].join('\n');
    const outcome = await runImport(fixture.services, {
      schoolId: fixture.school.id,
      source: bufferSource('pupils.csv', Buffer.from(changed)),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'test' },
      dryRun: false,
    });
    assert.equal(outcome.status, 'committed');
    const since = await json<Array<{ year_group: number }>>(
      await fixture.api('/students', full, { 'if-modified-since': later }),
    );
    assert.deepEqual(
      since.map((pupil) => pupil.year_group),
      [10],
      'only the pupil who changed',
    );
  });

  test('versioning by Accept: version 1 (or none) is served, any other is 406', async () => {
    const full = await fullToken();
    const one = await fixture.api('/school', full, { accept: 'application/vnd.haven+json; version=1' });
    assert.equal(one.status, 200);
    assert.equal(one.headers.get('haven-api-version'), '1');
    const two = await fixture.api('/school', full, { accept: 'application/vnd.haven+json; version=2' });
    assert.equal(two.status, 406);
    assert.equal((await json<{ error: string }>(two)).error, 'not_acceptable');
  });

  test('every read is audited for the school with the app and the pupils, never their names', async () => {
    const full = await fullToken();
    const earlier = await fixture.services.db.withSchool(fixture.school.id, (trx) =>
      trx.selectFrom('audit_events').select('seq').where('action', '=', 'apps.data_read').execute(),
    );
    await fixture.api('/students?per_page=3', full);
    const events = await fixture.services.db.withSchool(fixture.school.id, (trx) =>
      trx
        .selectFrom('audit_events')
        .select(['actor_type', 'actor_id', 'subject_ids', 'details', 'target'])
        .where('action', '=', 'apps.data_read')
        .orderBy('seq', 'desc')
        .execute(),
    );
    assert.equal(events.length, earlier.length + 1);
    const [latest] = events;
    assert.equal(latest?.actor_type, 'app');
    assert.equal(latest?.actor_id, fixture.registered.clientId);
    assert.equal(latest?.subject_ids.length, 3);
    assert.ok(!JSON.stringify(latest).includes('Zqforename'), 'no names in the audit log');
  });

  test(`the rate limit: ${RATE_LIMIT} requests per token per five minutes, then 429 rate_limited`, async () => {
    const fresh = await fixture.accessToken(['school']);
    let last: Response | undefined;
    for (let count = 0; count <= RATE_LIMIT; count += 1) {
      last = await fixture.api('/school', fresh);
    }
    assert.equal(last?.status, 429);
    assert.equal((await json<{ error: string }>(last ?? new Response('{}'))).error, 'rate_limited');
    assert.equal((await fixture.api('/school', other.token)).status, 200, 'another token has its own budget');
  });
});
