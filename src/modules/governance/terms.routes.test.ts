// Terms changes over HTTP: published with a notice period (never less), told to every school, accepted
// once, or opted out of before the day, which starts the school's leaving; the operator sees counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';

const fixture = useTestApp();
let sequence = 0;

async function publish(cookie: string, days: number) {
  sequence += 1;
  return fixture.app.inject({
    method: 'POST',
    url: '/api/v1/platform/terms',
    headers: { cookie },
    payload: {
      version: `2027.${process.pid}.${sequence}`,
      summary: 'Backups move to a second UK data centre.',
      body: 'The full terms.',
      effectiveOn: addDays(todayInEngland(), days),
    },
  });
}

describe('terms of service changes', () => {
  test('published with notice, accepted once, or opted out of (the school starts leaving)', async () => {
    const operator = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID)).email,
    );
    const school = await buildSchool(fixture.services);
    const adminUser = await buildUser(fixture.services, 'school_admin', school.id);
    const admin = await signInAs(fixture.app, adminUser.email);
    const teacher = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'teacher', school.id)).email,
    );

    const tooSoon = await publish(operator, 10);
    assert.equal(tooSoon.statusCode, 400);
    assert.equal(tooSoon.json<{ fields: Array<{ field: string }> }>().fields[0]?.field, 'body.effectiveOn');

    const published = await publish(operator, 30);
    assert.equal(published.statusCode, 201, published.body);
    const first = published.json<{ id: string }>();
    const second = (await publish(operator, 45)).json<{ id: string }>();
    const mail = await readOutbox(fixture.services);
    const told = mail.filter((message) => message.includes(adminUser.email));
    assert.ok(
      told.some((message) => message.includes('terms change')),
      `${mail.length} messages; to the admin: ${told.length}`,
    );

    const seen = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/schools/${school.id}/terms`,
      headers: { cookie: teacher },
    });
    assert.equal(seen.statusCode, 200, 'everyone in the school may read the terms');
    assert.ok(
      seen
        .json<Array<{ id: string; standing: string }>>()
        .some((row) => row.id === first.id && row.standing === 'upcoming'),
    );
    const byTeacher = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/terms/${first.id}/accept`,
      headers: { cookie: teacher },
    });
    assert.equal(byTeacher.statusCode, 403);

    const accept = () =>
      fixture.app.inject({
        method: 'POST',
        url: `/api/v1/schools/${school.id}/terms/${first.id}/accept`,
        headers: { cookie: admin },
      });
    assert.equal((await accept()).statusCode, 204);
    assert.equal((await accept()).statusCode, 409);

    const optOut = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/terms/${second.id}/opt-out`,
      headers: { cookie: admin },
      payload: { confirmName: school.name },
    });
    assert.equal(optOut.statusCode, 200);
    assert.equal(optOut.json<{ status: string }>().status, 'leaving');

    const counts = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/terms',
      headers: { cookie: operator },
    });
    const rows = counts.json<Array<{ id: string; accepted: number; optedOut: number }>>();
    assert.deepEqual(
      rows
        .filter((row) => row.id === first.id || row.id === second.id)
        .map(({ accepted, optedOut }) => ({ accepted, optedOut })),
      [
        { accepted: 0, optedOut: 1 },
        { accepted: 1, optedOut: 0 },
      ],
    );
  });
});
