// Support access over HTTP: an engineer sees nothing of a school until its administrator grants access;
// under a grant they hold only the role it lends, every request is in the school's log and listed on its
// page; outside the window (not started, expired, revoked, ticket closed) they are refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../../../test/support/pupil-files.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';

const fixture = useTestApp();

interface Grant {
  id: string;
  status: string;
  purpose: string;
  requests: { count: number; recent: Array<{ method: string; route: string }> };
}

async function setUp() {
  const school = await buildSchool(fixture.services);
  await importCsvLines(fixture.services, school.id, [PUPIL_HEADER, pupilRow(1)]);
  const admin = await signInAs(
    fixture.app,
    (await buildUser(fixture.services, 'school_admin', school.id)).email,
  );
  const engineerUser = await buildUser(fixture.services, 'support_engineer', PLATFORM_ORG_ID);
  const engineer = await signInAs(fixture.app, engineerUser.email);
  const base = `/api/v1/schools/${school.id}`;
  const grant = async (body: Record<string, unknown>) =>
    fixture.app.inject({
      method: 'POST',
      url: `${base}/support/grants`,
      headers: { cookie: admin },
      payload: {
        engineerId: engineerUser.id,
        access: 'view',
        ticket: 'HAV-1',
        purpose: 'Import fails',
        hours: 2,
        ...body,
      },
    });
  const pupils = () =>
    fixture.app.inject({ method: 'GET', url: `${base}/pupils`, headers: { cookie: engineer } });
  const grants = async () =>
    (
      await fixture.app.inject({ method: 'GET', url: `${base}/support/grants`, headers: { cookie: admin } })
    ).json<Grant[]>();
  return { school, admin, engineer, engineerUser, base, grant, pupils, grants };
}

describe('support access', () => {
  test('nothing without a grant; a grant lends its role, and every request is shown to the school', async () => {
    const { admin, base, engineer, engineerUser, grant, pupils, grants } = await setUp();
    assert.equal((await pupils()).statusCode, 404, 'no grant: the school does not exist for them');

    const engineers = await fixture.app.inject({
      method: 'GET',
      url: `${base}/support/engineers`,
      headers: { cookie: admin },
    });
    assert.ok(engineers.json<Array<{ id: string }>>().some((entry) => entry.id === engineerUser.id));

    const created = await grant({});
    assert.equal(created.statusCode, 201);
    assert.equal((await pupils()).statusCode, 200);
    const imports = await fixture.app.inject({
      method: 'GET',
      url: `${base}/imports`,
      headers: { cookie: engineer },
    });
    assert.equal(imports.statusCode, 403, 'read-only access does not run imports');

    const [shown] = await grants();
    assert.equal(shown?.status, 'live');
    assert.equal(shown?.purpose, 'Import fails');
    assert.ok((shown?.requests.count ?? 0) >= 1);
    assert.ok(shown?.requests.recent.some((entry) => entry.route === '/api/v1/schools/:schoolId/pupils'));
    const mail = await readOutbox(fixture.services);
    assert.ok(mail.some((message) => message.includes('support access granted for ticket HAV-1')));

    const mine = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/support/grants',
      headers: { cookie: engineer },
    });
    assert.equal(mine.json<Grant[]>()[0]?.status, 'live');
  });

  test('refused before the window opens, after it ends, once revoked, and once the ticket is closed', async () => {
    const later = await setUp();
    await later.grant({ startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal((await later.pupils()).statusCode, 404, 'scheduled for later');
    assert.equal((await later.grants())[0]?.status, 'scheduled');

    const expired = await setUp();
    const { id } = (await expired.grant({})).json<{ id: string }>();
    await fixture.services.db.withPlatform('test: let the grant expire', (trx) =>
      trx
        .updateTable('support_grants')
        .set({ starts_at: new Date(Date.now() - 7_200_000), expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute(),
    );
    assert.equal((await expired.pupils()).statusCode, 404, 'expired');
    assert.equal((await expired.grants())[0]?.status, 'expired');

    const revoked = await setUp();
    const granted = (await revoked.grant({ access: 'data' })).json<{ id: string }>();
    assert.equal((await revoked.pupils()).statusCode, 200);
    const revoke = await fixture.app.inject({
      method: 'POST',
      url: `${revoked.base}/support/grants/${granted.id}/revoke`,
      headers: { cookie: revoked.admin },
    });
    assert.equal(revoke.statusCode, 204);
    assert.equal((await revoked.pupils()).statusCode, 404, 'revoked');

    const closed = await setUp();
    const ticket = (await closed.grant({})).json<{ id: string }>();
    const close = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/support/grants/${ticket.id}/close`,
      headers: { cookie: closed.engineer },
    });
    assert.equal(close.statusCode, 204);
    assert.equal((await closed.pupils()).statusCode, 404, 'ticket closed');
    assert.equal((await closed.grants())[0]?.status, 'ticket_closed');
    const again = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/support/grants/${ticket.id}/close`,
      headers: { cookie: closed.engineer },
    });
    assert.equal(again.statusCode, 409);
  });

  test('at most 72 hours, never in the past, only to a support engineer', async () => {
    const { grant, school } = await setUp();
    assert.equal((await grant({ hours: 73 })).statusCode, 400);
    assert.equal((await grant({ startsAt: '2020-01-01T00:00:00Z' })).statusCode, 400);
    const teacher = await buildUser(fixture.services, 'teacher', school.id);
    const wrong = await grant({ engineerId: teacher.id });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.engineerId');
  });
});
