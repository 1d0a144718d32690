import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { DESCRIPTION, useBreachFixture } from './breaches.test-support.ts';

const { fixture, call, operatorCookie, schoolWithDpo, recordBreach } = useBreachFixture();

interface Details {
  reference: string;
  description: string;
  icoDeadline: { display: string; countdown: string; overdue: boolean };
  schoolTarget: { countdown: string };
  schools: Array<{ schoolId: string; notified: { at: string } | null; acknowledged: { at: string } | null }>;
  ico: { status: string; reference: string | null };
  subjects: { status: string; reason: string | null };
  updates: Array<{ text: string; sentToSchools: boolean }>;
  closure: { outcome: string; lessons: string } | null;
  status: string;
}
interface Notice {
  id: string;
  kind: string;
  reference: string;
  sections: Array<{ heading: string; text: string }>;
  acknowledged: { at: string } | null;
}

async function auditActions(orgId: string): Promise<Array<{ action: string; details: string }>> {
  const rows = await fixture.services.db.withPlatform('test: read audit', (trx) =>
    trx.selectFrom('audit_events').select(['action', 'details']).where('org_id', '=', orgId).execute(),
  );
  return rows.map((row) => ({ action: row.action, details: JSON.stringify(row.details) }));
}

describe('breach register routes', () => {
  test('the operator records a breach and reads it with its clocks in words', async () => {
    const operator = await operatorCookie();
    const { school } = await schoolWithDpo();
    const { id, reference } = await recordBreach(operator, [school.id]);
    assert.match(reference, /^BR-\d{4}-\d{3}$/);

    const list = await call('GET', '/api/v1/platform/breaches', operator);
    assert.equal(list.statusCode, 200);
    const entry = list
      .json<Array<{ id: string; icoDeadline: { countdown: string }; schoolsAffected: number }>>()
      .find((row) => row.id === id);
    assert.match(entry?.icoDeadline.countdown ?? '', /^(69|70) hours left$/);
    assert.equal(entry?.schoolsAffected, 1);
    assert.ok(!list.body.includes(DESCRIPTION), 'the list carries no free text');

    const read = await call('GET', `/api/v1/platform/breaches/${id}`, operator);
    assert.equal(read.statusCode, 200, read.body);
    const details = read.json<Details>();
    assert.equal(details.description, DESCRIPTION);
    assert.match(details.icoDeadline.display, /^\w{3} \d{1,2} \w{3,4} \d{4}, \d{2}:\d{2} (GMT|BST)$/);
    assert.match(details.schoolTarget.countdown, /^(21|22) hours left$/);
    assert.equal(details.schools[0]?.notified, null);

    const stored = await fixture.services.db.withPlatform('test: raw breach', (trx) =>
      trx.selectFrom('breaches').select('description').where('id', '=', id).executeTakeFirstOrThrow(),
    );
    assert.ok(!stored.description.toString('latin1').includes('Zqsecret'), 'the description is encrypted');
    const audit = await auditActions('00000000-0000-0000-0000-000000000000');
    assert.ok(audit.some((event) => event.action === 'breaches.recorded'));
    assert.ok(
      audit.every((event) => !event.details.includes('Zqsecret')),
      'no free text in the audit trail',
    );
  });

  test('bad input is refused naming the field, and nothing is recorded', async () => {
    const operator = await operatorCookie();
    const before = (await call('GET', '/api/v1/platform/breaches', operator)).json<unknown[]>().length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ schoolIds: ['00000000-0000-4000-8000-000000000001'] }, 'body.schoolIds'],
      [{ awareAt: new Date(Date.now() + 86_400_000).toISOString() }, 'body.awareAt'],
      [{ awareAt: '2026-03-29T01:30' }, 'body.awareAt'],
      [
        { occurredAt: new Date().toISOString(), awareAt: new Date(Date.now() - 3_600_000).toISOString() },
        'body.occurredAt',
      ],
    ];
    for (const [override, field] of cases) {
      const response = await call('POST', '/api/v1/platform/breaches', operator, {
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
        nature: 'integrity',
        description: 'x',
        peopleCategories: ['staff'],
        dataCategories: ['staff_accounts'],
        approxPeople: 1,
        approxRecords: 1,
        schoolIds: [],
        consequences: 'x',
        measuresTaken: 'x',
        contact: 'x',
        ...override,
      });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.ok(
        response.json<{ fields: Array<{ field: string }> }>().fields.some((entry) => entry.field === field),
        response.body,
      );
    }
    const missing = await call('POST', '/api/v1/platform/breaches', operator, { nature: 'integrity' });
    assert.equal(missing.statusCode, 400);
    assert.equal((await call('GET', '/api/v1/platform/breaches', operator)).json<unknown[]>().length, before);
  });

  test('notices reach only the affected school, by e-mail to its DPOs and admins, and it acknowledges', async () => {
    const operator = await operatorCookie();
    const affected = await schoolWithDpo();
    const admin = await buildUser(fixture.services, 'school_admin', affected.school.id);
    const other = await schoolWithDpo();
    const { id, reference } = await recordBreach(operator, [affected.school.id]);
    const mailsBefore = (await readOutbox(fixture.services)).length;

    const sent = await call('POST', `/api/v1/platform/breaches/${id}/notices`, operator);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.deepEqual(sent.json(), { schoolsSent: 1 });
    const mails = (await readOutbox(fixture.services)).slice(mailsBefore);
    assert.equal(mails.length, 2);
    for (const address of [affected.dpo.email, admin.email]) {
      const mail = mails.find((message) => message.includes(address));
      assert.ok(mail?.includes(`Personal data breach ${reference}`) === true);
      assert.ok(mail.includes('Likely consequences') && mail.includes('Who to contact'));
    }
    const again = await call('POST', `/api/v1/platform/breaches/${id}/notices`, operator);
    assert.equal(again.statusCode, 409);

    const notices = await call(
      'GET',
      `/api/v1/schools/${affected.school.id}/breach-notices`,
      affected.cookie,
    );
    assert.equal(notices.statusCode, 200, notices.body);
    const [notice] = notices.json<Notice[]>();
    assert.equal(notice?.reference, reference);
    assert.ok(notice?.sections.some((section) => section.text.includes(DESCRIPTION)));
    assert.equal(notice?.acknowledged, null);

    const theirs = await call('GET', `/api/v1/schools/${other.school.id}/breach-notices`, other.cookie);
    assert.deepEqual(theirs.json(), []);
    const peek = await call('GET', `/api/v1/schools/${affected.school.id}/breach-notices`, other.cookie);
    assert.equal(peek.statusCode, 404);
    const steal = await call(
      'POST',
      `/api/v1/schools/${other.school.id}/breach-notices/${notice?.id}/acknowledge`,
      other.cookie,
    );
    assert.equal(steal.statusCode, 404, 'another school cannot acknowledge (or see) the notice');

    const ack = await call(
      'POST',
      `/api/v1/schools/${affected.school.id}/breach-notices/${notice?.id}/acknowledge`,
      affected.cookie,
    );
    assert.equal(ack.statusCode, 200, ack.body);
    assert.ok(ack.json<Notice>().acknowledged !== null);
    const details = (await call('GET', `/api/v1/platform/breaches/${id}`, operator)).json<Details>();
    assert.ok(details.schools[0]?.notified !== null && details.schools[0]?.acknowledged !== null);
    const schoolAudit = await auditActions(affected.school.id);
    for (const action of ['breach_notices.received', 'breach_notices.read', 'breach_notices.acknowledged']) {
      assert.ok(
        schoolAudit.some((event) => event.action === action),
        action,
      );
    }
    assert.ok(schoolAudit.every((event) => !event.details.includes('Zqsecret')));
    assert.equal(
      (await auditActions(other.school.id)).filter((event) => event.action.startsWith('breach')).length,
      0,
    );
  });

  test('ICO and subjects record, updates sent to schools, and closure', async () => {
    const operator = await operatorCookie();
    const affected = await schoolWithDpo();
    const { id } = await recordBreach(operator, [affected.school.id]);
    const url = `/api/v1/platform/breaches/${id}`;

    const early = await call('POST', `${url}/close`, operator, {
      outcome: 'x',
      lessons: 'y',
      tellSchools: false,
    });
    assert.equal(early.statusCode, 409);
    const notYetTold = await call('POST', `${url}/updates`, operator, { text: 'News', sendToSchools: true });
    assert.equal(notYetTold.statusCode, 409, 'an update cannot go before the notice');

    const incomplete = await call('PUT', `${url}/notifications`, operator, {
      ico: 'notified',
      subjects: 'not_told',
    });
    assert.equal(incomplete.statusCode, 400);
    assert.deepEqual(
      incomplete
        .json<{ fields: Array<{ field: string }> }>()
        .fields.map((entry) => entry.field)
        .sort(),
      ['body.icoToldAt', 'body.subjectsReason'],
    );
    const recorded = await call('PUT', `${url}/notifications`, operator, {
      ico: 'notified',
      icoToldAt: new Date().toISOString(),
      icoReference: 'IC-123456',
      subjects: 'not_told',
      subjectsReason: 'Low risk: the recipient was another school bound by confidentiality.',
    });
    assert.equal(recorded.statusCode, 204, recorded.body);

    assert.equal((await call('POST', `${url}/notices`, operator)).statusCode, 200);
    const quiet = await call('POST', `${url}/updates`, operator, {
      text: 'Internal note.',
      sendToSchools: false,
    });
    assert.equal(quiet.statusCode, 201);
    assert.equal(quiet.json<{ schoolsSent: number }>().schoolsSent, 0);
    const loud = await call('POST', `${url}/updates`, operator, {
      text: 'The file is confirmed deleted.',
      sendToSchools: true,
    });
    assert.equal(loud.json<{ schoolsSent: number }>().schoolsSent, 1);

    const closed = await call('POST', `${url}/close`, operator, {
      outcome: 'Contained.',
      lessons: 'Check recipients.',
      tellSchools: true,
    });
    assert.equal(closed.statusCode, 200, closed.body);
    const details = (await call('GET', url, operator)).json<Details>();
    assert.equal(details.status, 'closed');
    assert.equal(details.ico.reference, 'IC-123456');
    assert.match(details.subjects.reason ?? '', /Low risk/);
    assert.deepEqual(
      details.updates.map((update) => [update.text, update.sentToSchools]),
      [
        ['Internal note.', false],
        ['The file is confirmed deleted.', true],
      ],
    );
    assert.deepEqual(details.closure, {
      ...details.closure,
      outcome: 'Contained.',
      lessons: 'Check recipients.',
    });
    const kinds = (await call('GET', `/api/v1/schools/${affected.school.id}/breach-notices`, affected.cookie))
      .json<Notice[]>()
      .map((notice) => notice.kind)
      .sort();
    assert.deepEqual(kinds, ['closure', 'notice', 'update']);
    assert.equal(
      (await call('POST', `${url}/updates`, operator, { text: 'Late', sendToSchools: false })).statusCode,
      409,
    );
  });

  test('every route refuses without a session, and the platform routes refuse a school admin', async () => {
    const { school } = await schoolWithDpo();
    const admin = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'school_admin', school.id)).email,
    );
    const id = '00000000-0000-4000-8000-000000000000';
    const platform: Array<['GET' | 'POST' | 'PUT', string]> = [
      ['GET', '/api/v1/platform/breaches'],
      ['POST', '/api/v1/platform/breaches'],
      ['GET', `/api/v1/platform/breaches/${id}`],
      ['POST', `/api/v1/platform/breaches/${id}/notices`],
      ['PUT', `/api/v1/platform/breaches/${id}/notifications`],
      ['POST', `/api/v1/platform/breaches/${id}/updates`],
      ['POST', `/api/v1/platform/breaches/${id}/close`],
    ];
    for (const [method, url] of platform) {
      assert.equal((await call(method, url, '')).statusCode, 401, url);
      assert.equal((await call(method, url, admin, {})).statusCode, 403, url);
    }
    for (const [method, url] of [
      ['GET', `/api/v1/schools/${school.id}/breach-notices`],
      ['POST', `/api/v1/schools/${school.id}/breach-notices/${id}/acknowledge`],
    ] as const) {
      assert.equal((await call(method, url, '')).statusCode, 401, url);
    }
    const missing = await call(
      'POST',
      `/api/v1/schools/${school.id}/breach-notices/${id}/acknowledge`,
      admin,
    );
    assert.equal(missing.statusCode, 404);
    const operator = await operatorCookie();
    assert.equal((await call('GET', `/api/v1/platform/breaches/${id}`, operator)).statusCode, 404);
  });
});
