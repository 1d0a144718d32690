// What a restriction does elsewhere: the pupil disappears from the app data API and appears in its
// deletions feed (apps must stop using them), and lifting it brings them back as changed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser } from '../../../test/support/auth.ts';
import { CookieJar } from '../../../test/support/oauth-client.ts';
import { useOAuthFixture } from '../../../test/support/oauth-fixture.ts';

const fixture = useOAuthFixture({
  pupils: 4,
  scopes: [
    { scope: 'school', required: true, reason: 'The app shows the school' },
    { scope: 'students.basic', required: false, reason: 'The app lists pupils' },
  ],
});

async function json<T>(response: Response): Promise<T> {
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as T;
}

/** The school admin's browser session, for the register's routes. */
async function adminSession(): Promise<(path: string, body: Record<string, unknown>) => Promise<Response>> {
  const jar = new CookieJar();
  await fixture.signIn(jar, fixture.admin.email);
  return (path, body) =>
    jar.fetch(`${fixture.base}/api/v1/schools/${fixture.school.id}/privacy${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: fixture.base },
      body: JSON.stringify(body),
    });
}

/** Records a restriction request for the pupil and applies it, as the school admin would. */
async function restrict(pupilId: string): Promise<void> {
  const post = await adminSession();
  const created = await post('/requests', {
    kind: 'restriction',
    subjectType: 'pupil',
    subjectId: pupilId,
    identityStatus: 'verified',
    requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
    receivedOn: new Date().toISOString().slice(0, 10),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = (await created.json()) as { id: string };
  const applied = await post(`/requests/${id}/limit`, { purpose: 'all' });
  assert.equal(applied.status, 200, await applied.clone().text());
}

describe('a restricted pupil and the app data API', () => {
  test('is left out of /students and listed in /deletions by the app’s own id', async () => {
    const token = await fixture.accessToken(['school', 'students.basic']);
    const before = await json<Array<{ id: string }>>(await fixture.api('/students', token));
    assert.equal(before.length, 4);
    const pupilIds = await fixture.services.db.withSchool(fixture.school.id, async (trx) =>
      (await trx.selectFrom('pupils').select('id').orderBy('id').execute()).map((row) => row.id),
    );
    const restricted = pupilIds[0] ?? '';
    await restrict(restricted);
    const after = await json<Array<{ id: string }>>(await fixture.api('/students', token));
    assert.equal(after.length, 3);
    const deletions = await json<Array<{ student_id: string; reason: string }>>(
      await fixture.api('/deletions', token),
    );
    assert.equal(deletions.length, 1);
    assert.equal(deletions[0]?.reason, 'restricted');
    const gone = before.map((student) => student.id).filter((id) => !after.some((left) => left.id === id));
    assert.deepEqual(gone, [deletions[0]?.student_id]);
    // The app's id for the pupil no longer answers either, and year groups no longer count them.
    const one = await fixture.api(`/students/${gone[0] ?? ''}`, token);
    assert.equal(one.status, 404);
    const years = await json<Array<{ students: number }>>(await fixture.api('/year_groups', token));
    assert.equal(
      years.reduce((sum, year) => sum + year.students, 0),
      3,
    );

    // Lifted: the pupil comes back, as changed since the app's last sync.
    // HTTP dates have whole seconds: sync a little after every earlier change.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const lastSync = new Date().toUTCString();
    const post = await adminSession();
    const lifted = await post(`/pupils/${restricted}/limits/lift`, {
      kind: 'restriction',
      purpose: 'all',
      reason: 'Accuracy confirmed',
    });
    assert.equal(lifted.status, 204, await lifted.clone().text());
    const changed = await json<Array<{ id: string }>>(
      await fixture.api('/students', token, { 'if-modified-since': lastSync }),
    );
    assert.deepEqual(
      changed.map((student) => student.id),
      gone,
    );
  });
});

describe('an erased pupil and the app data API', () => {
  test('appears in /deletions as erased (also with ?since=), and nowhere else', async () => {
    const token = await fixture.accessToken(['school', 'students.basic']);
    const schoolId = fixture.school.id;
    const before = await json<Array<{ id: string }>>(await fixture.api('/students', token));
    const mark = new Date().toISOString();
    const jar = new CookieJar();
    await fixture.signIn(jar, fixture.admin.email);
    const dpoUser = await buildUser(fixture.services, 'dpo', schoolId);
    const dpo = new CookieJar();
    await fixture.signIn(dpo, dpoUser.email);
    const pupilId = await fixture.services.db.withSchool(schoolId, async (trx) => {
      const rows = await trx.selectFrom('pupils').select('id').orderBy('id', 'desc').limit(1).execute();
      return rows[0]?.id ?? '';
    });
    const post = (cookies: CookieJar, path: string, body: Record<string, unknown>) =>
      cookies.fetch(`${fixture.base}/api/v1/schools/${schoolId}/privacy/requests${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: fixture.base },
        body: JSON.stringify(body),
      });
    const created = await post(jar, '', {
      kind: 'erasure',
      subjectType: 'pupil',
      subjectId: pupilId,
      identityStatus: 'verified',
      requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
      receivedOn: mark.slice(0, 10),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    for (const [cookies, path, body] of [
      [jar, 'submit-erasure', {}],
      [dpo, 'approve-erasure', { reason: 'Asked for' }],
      [jar, 'execute-erasure', {}],
    ] as const) {
      const response = await post(cookies, `/${id}/${path}`, body);
      assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    }
    const deletions = await json<Array<{ student_id: string; reason: string }>>(
      await fixture.api(`/deletions?since=${encodeURIComponent(mark)}`, token),
    );
    // ?since= reaches five minutes further back, so the earlier restriction is listed again too.
    const erased = deletions.filter((entry) => entry.reason === 'erased');
    assert.equal(erased.length, 1);
    const after = await json<Array<{ id: string }>>(await fixture.api('/students', token));
    assert.equal(after.length, before.length - 1);
    assert.ok(!after.some((student) => student.id === erased[0]?.student_id));
    assert.ok(
      before.some((student) => student.id === erased[0]?.student_id),
      'the app’s own id for the pupil',
    );
  });
});
