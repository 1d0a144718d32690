import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';

const fixture = useTestApp();

async function operator(): Promise<string> {
  const user = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
  return signInAs(fixture.app, user.email);
}

const apply = (payload: object) =>
  fixture.app.inject({ method: 'POST', url: '/api/v1/developer-applications', payload });

describe('becoming an app developer', () => {
  test('an application waits for the operator; approval e-mails a set-up link and gives the role', async () => {
    const email = `builder-${process.pid}@example.invalid`;
    const sent = await apply({
      email,
      organisation: 'Synthetic Apps Ltd',
      reason: 'A reading log for primary pupils',
    });
    assert.equal(sent.statusCode, 202);
    const cookie = await operator();
    const listed = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/developer-applications',
      headers: { cookie },
    });
    const application = listed
      .json<Array<{ id: string; email: string; status: string }>>()
      .find((entry) => entry.email === email);
    assert.equal(application?.status, 'pending');

    const before = (await readOutbox(fixture.services)).length;
    const decided = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/platform/developer-applications/${application?.id ?? ''}/decision`,
      headers: { cookie },
      payload: { approve: true },
    });
    assert.equal(decided.statusCode, 204, decided.body);
    const mails = await readOutbox(fixture.services);
    assert.equal(mails.length, before + 1);
    assert.match(mails.at(-1) ?? '', /set-password#token=/);

    const again = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/platform/developer-applications/${application?.id ?? ''}/decision`,
      headers: { cookie },
      payload: { approve: false },
    });
    assert.equal(again.statusCode, 409, 'a decision is final');
  });

  test('a bad application names its fields; a refusal is told by e-mail', async () => {
    const bad = await apply({ email: 'not an address', organisation: ' ', reason: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad.json<{ fields: Array<{ field: string }> }>().fields.map((field) => field.field),
      ['email', 'organisation', 'reason'],
    );
    const email = `maybe-${process.pid}@example.invalid`;
    await apply({ email, organisation: 'Synthetic Co', reason: 'Timetable sync for secondary schools' });
    const cookie = await operator();
    const listed = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/developer-applications',
      headers: { cookie },
    });
    const id =
      listed.json<Array<{ id: string; email: string }>>().find((entry) => entry.email === email)?.id ?? '';
    const refused = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/platform/developer-applications/${id}/decision`,
      headers: { cookie },
      payload: { approve: false },
    });
    assert.equal(refused.statusCode, 204);
    assert.match((await readOutbox(fixture.services)).at(-1) ?? '', /not able to approve/);
  });

  test('the audit event of an application names no address', async () => {
    const email = `private-${process.pid}@example.invalid`;
    await apply({ email, organisation: 'Synthetic Private', reason: 'Attendance dashboards for trusts' });
    const rows = await fixture.services.db.withPlatform('test.audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select(['action', 'details', 'target'])
        .where('action', '=', 'developers.applied')
        .execute(),
    );
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(email));
  });
});
