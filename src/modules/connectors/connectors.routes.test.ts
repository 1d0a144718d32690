// The connector over HTTP: set up (token shown once), an agent's upload with the token, the status page,
// and disconnecting: reconnecting inside the five working days keeps the pupils, while past the
// deadline the retention path erases them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { csvLine, PUPILS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import { runConnectors } from './connectors.jobs.ts';

const fixture = useTestApp();
const log = pino({ level: 'silent' });
const cohort = syntheticSchool(1, 6, 7);
const csv = (rows: string[][]): Buffer =>
  Buffer.from([PUPILS_HEADER, ...rows].map((row) => `${csvLine(row)}\n`).join(''));

async function connected() {
  const school = await buildSchool(fixture.services);
  const admin = await buildUser(fixture.services, 'school_admin', school.id);
  const cookie = await signInAs(fixture.app, admin.email);
  const created = await fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${school.id}/connector`,
    headers: { cookie },
    payload: { kind: 'drop_folder', categories: ['classes'] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json<{ token: string; connector: { categories: string[]; dropFolder: string } }>();
  return { school, cookie, token: body.token, connector: body.connector };
}

function upload(schoolId: string, token: string, content: Buffer) {
  return fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${schoolId}/connector/uploads`,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': 'pupils.csv',
    },
    payload: content,
  });
}

async function pupilCount(schoolId: string): Promise<number> {
  return fixture.services.db.withSchool(schoolId, async (trx) =>
    Number(
      (
        await trx
          .selectFrom('pupils')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('school_id', '=', schoolId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
}

/** A school whose connector synced the cohort and was then removed; with its deletion day. */
async function syncedThenRemoved() {
  const { school, cookie, token } = await connected();
  await upload(school.id, token, csv(cohort.pupils));
  const removed = await fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${school.id}/connector/disconnect`,
    headers: { cookie },
  });
  assert.equal(removed.statusCode, 200, removed.body);
  return { school, cookie, token, due: removed.json<{ deletionDueOn: string }>().deletionDueOn };
}

const atNoon = (day: string): Date => new Date(`${day}T12:00:00Z`);

describe('connector API', () => {
  test('set up, the token once, an upload synced, status with history', async () => {
    const { school, cookie, token, connector } = await connected();
    assert.match(token, /^hvc_/);
    assert.deepEqual(connector.categories, ['identity', 'classes']);
    const synced = await upload(school.id, token, csv(cohort.pupils));
    assert.equal(synced.statusCode, 200, synced.body);
    assert.equal(synced.json<{ sync: { status: string } }>().sync.status, 'succeeded');
    const page = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/connector`,
      headers: { cookie },
    });
    const view = page.json<{ connector: { syncs: Array<{ counts: Record<string, number> }> } }>();
    assert.equal(view.connector.syncs[0]?.counts.added, cohort.pupils.length);
    assert.ok(!page.body.includes(token), 'the token is never shown again');
    const again = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/connector`,
      headers: { cookie },
      payload: { kind: 'drop_folder', categories: [] },
    });
    assert.equal(again.statusCode, 409);
  });

  test('a teacher may not manage the connector; a wrong token uploads nothing', async () => {
    const { school } = await connected();
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const cookie = await signInAs(fixture.app, teacher.email);
    const page = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/connector`,
      headers: { cookie },
    });
    assert.equal(page.statusCode, 403);
    const wrong = await upload(school.id, 'hvc_made_up', csv(cohort.pupils));
    assert.equal(wrong.statusCode, 401);
    assert.equal(await pupilCount(school.id), 0);
  });

  test('disconnect revokes the token and starts the clock; reconnecting inside it keeps the data', async () => {
    const { school, cookie, token, due } = await syncedThenRemoved();
    assert.match(due, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal((await upload(school.id, token, csv(cohort.pupils))).statusCode, 401, 'token revoked');
    const back = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/connector/reconnect`,
      headers: { cookie },
    });
    assert.equal(back.statusCode, 200, back.body);
    const fresh = back.json<{ token: string; connector: { deletionDueOn: string | null } }>();
    assert.equal(fresh.connector.deletionDueOn, null);
    await runConnectors(fixture.services, log, atNoon(due));
    assert.equal(await pupilCount(school.id), cohort.pupils.length);
    assert.equal((await upload(school.id, fresh.token, csv(cohort.pupils))).statusCode, 200);
    const events = await fixture.services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('audit_events').select('action').where('org_id', '=', school.id).execute(),
    );
    const actions = events.map((event) => event.action);
    assert.ok(actions.includes('connectors.disconnected') && actions.includes('connectors.reconnected'));
  });

  test('past the deadline the synced pupils are erased and the connector is gone', async () => {
    const { school, cookie, due } = await syncedThenRemoved();
    const outcome = await runConnectors(fixture.services, log, atNoon(due));
    assert.ok((outcome.erased ?? 0) >= cohort.pupils.length);
    assert.equal(await pupilCount(school.id), 0);
    const page = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/connector`,
      headers: { cookie },
    });
    assert.equal(page.json<{ connector: unknown }>().connector, null);
  });
});
