// The marketing routes through app.inject: the public form and its refusals, unsubscribe links (GET
// describes, POST withdraws), the operator's list, withdrawals, erasures and suppression list, and what
// never appears in a public answer or an access log.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { buildApp } from '../../app.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { mailableContacts } from './marketing-mail.ts';
import type { MarketingPurpose } from './marketing.tables.ts';

const fixture = useTestApp();
let sequence = 0;

function address(): string {
  sequence += 1;
  return `visitor-${process.pid}-${sequence}@example.invalid`;
}

async function operator(): Promise<string> {
  const user = await buildUser(fixture.services, 'platform_operator', PLATFORM_ORG_ID);
  return signInAs(fixture.app, user.email);
}

interface Wording {
  consents: Array<{ purpose: MarketingPurpose; version: string; text: string }>;
}

async function wording(form = 'contact_page'): Promise<Wording> {
  const response = await fixture.app.inject({ method: 'GET', url: `/api/v1/marketing/forms/${form}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Wording>();
}

async function send(email: string, purposes: MarketingPurpose[], name = 'Synthetic Visitor') {
  const { consents } = await wording();
  return fixture.app.inject({
    method: 'POST',
    url: '/api/v1/marketing/contacts',
    payload: {
      form: 'contact_page',
      name,
      email,
      consents: consents
        .filter((consent) => purposes.includes(consent.purpose))
        .map(({ purpose, version }) => ({ purpose, version })),
    },
  });
}

async function tokenFor(email: string, purpose: MarketingPurpose): Promise<string> {
  const list = await mailableContacts(fixture.services, purpose, { type: 'system', id: 'test' });
  const url = list.find((contact) => contact.email === email)?.unsubscribeUrl ?? '';
  return url.split('#token=')[1] ?? '';
}

interface Contact {
  id: string;
  email: string;
  name: string;
  consents: Array<{ purpose: string; wordingVersion: string; source: string; withdrawnAt: string | null }>;
}

async function contacts(cookie: string): Promise<Contact[]> {
  const response = await fixture.app.inject({
    method: 'GET',
    url: '/api/v1/platform/marketing/contacts',
    headers: { cookie },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Contact[]>();
}

describe('the public contact form', () => {
  test('shows the wording of each purpose with its version', async () => {
    const contact = await wording();
    assert.deepEqual(
      contact.consents.map((consent) => consent.purpose),
      ['demo_booking', 'contact_reply', 'newsletter'],
    );
    assert.ok(
      contact.consents.every((consent) => consent.text.length > 20 && /\.v\d+$/.test(consent.version)),
    );
    assert.deepEqual(
      (await wording('newsletter_page')).consents.map((consent) => consent.purpose),
      ['newsletter'],
    );
    const unknown = await fixture.app.inject({ method: 'GET', url: '/api/v1/marketing/forms/other' });
    assert.equal(unknown.statusCode, 400);
  });

  test('records the ticked consents; a known address gets exactly the same answer', async () => {
    const email = address();
    const first = await send(email, ['newsletter']);
    assert.equal(first.statusCode, 202, first.body);
    const again = await send(email, ['demo_booking']);
    assert.equal(again.statusCode, 202);
    assert.equal(again.json<{ message: string }>().message, first.json<{ message: string }>().message);
    assert.ok(!first.body.includes(email) && !first.body.includes('Synthetic Visitor'));

    const listed = (await contacts(await operator())).find((contact) => contact.email === email);
    assert.equal(listed?.name, 'Synthetic Visitor');
    assert.deepEqual(
      listed?.consents.map((consent) => [consent.purpose, consent.wordingVersion, consent.source]),
      [
        ['demo_booking', 'demo_booking.v1', 'contact_page'],
        ['newsletter', 'newsletter.v1', 'contact_page'],
      ],
    );
  });

  test('names the fields that need changing', async () => {
    const response = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/marketing/contacts',
      payload: { form: 'contact_page', name: ' ', email: 'nobody', consents: [] },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(
      response.json<{ fields: Array<{ field: string }> }>().fields.map((field) => field.field),
      ['email', 'name', 'consents'],
    );
  });

  test('a suppressed address is refused with one message, whatever put it on the list', async () => {
    const cookie = await operator();
    const unsubscribed = address();
    await send(unsubscribed, ['newsletter']);
    await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/marketing/unsubscribe',
      payload: { token: await tokenFor(unsubscribed, 'newsletter'), purpose: 'all' },
    });
    const erased = address();
    await send(erased, ['contact_reply']);
    const id = (await contacts(cookie)).find((contact) => contact.email === erased)?.id ?? '';
    const erasure = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/platform/marketing/contacts/${id}`,
      headers: { cookie },
    });
    assert.equal(erasure.statusCode, 204, erasure.body);
    const listed = address();
    const added = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/marketing/suppressions',
      headers: { cookie },
      payload: { email: listed },
    });
    assert.equal(added.statusCode, 201, added.body);

    const answers = [];
    for (const email of [unsubscribed, erased, listed]) {
      const refused = await send(email, ['newsletter']);
      assert.equal(refused.statusCode, 409, refused.body);
      const { code, message } = refused.json<{ code: string; message: string }>();
      assert.ok(!refused.body.includes(email));
      answers.push({ code, message });
    }
    assert.equal(answers[0]?.code, 'not_contactable');
    assert.match(answers[0]?.message ?? '', /We will not contact this address/);
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    assert.ok(
      !(await contacts(cookie)).some((contact) => [unsubscribed, erased, listed].includes(contact.email)),
    );
  });
});

describe('unsubscribe links', () => {
  test('GET describes the link and changes nothing; POST withdraws one purpose, then all', async () => {
    const email = address();
    await send(email, ['demo_booking', 'newsletter']);
    const token = await tokenFor(email, 'newsletter');
    assert.equal(token.length, 43);
    for (let look = 0; look < 2; look += 1) {
      const seen = await fixture.app.inject({
        method: 'GET',
        url: `/api/v1/marketing/unsubscribe?token=${token}`,
      });
      assert.equal(seen.statusCode, 200, seen.body);
      assert.deepEqual(seen.json(), {
        purpose: 'newsletter',
        title: 'The Haven newsletter',
        subscriptions: [
          { purpose: 'demo_booking', title: 'Demonstrations of Haven' },
          { purpose: 'newsletter', title: 'The Haven newsletter' },
        ],
      });
      assert.ok(!seen.body.includes(email));
    }
    const one = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/marketing/unsubscribe',
      payload: { token, purpose: 'newsletter' },
    });
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual(
      one.json<{ subscriptions: Array<{ purpose: string }> }>().subscriptions.map((entry) => entry.purpose),
      ['demo_booking'],
    );
    const all = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/marketing/unsubscribe',
      payload: { token, purpose: 'all' },
    });
    assert.equal(all.statusCode, 200);
    assert.match(all.json<{ message: string }>().message, /deleted your details/);
    const gone = await fixture.app.inject({
      method: 'GET',
      url: `/api/v1/marketing/unsubscribe?token=${token}`,
    });
    assert.equal(gone.statusCode, 404);
  });

  test('a malformed or unknown token is refused', async () => {
    const malformed = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/marketing/unsubscribe?token=abc',
    });
    assert.equal(malformed.statusCode, 400);
    const unknown = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/marketing/unsubscribe',
      payload: { token: 'B'.repeat(43), purpose: 'all' },
    });
    assert.equal(unknown.statusCode, 404);
  });

  test('the token in a GET address never reaches the access log', async () => {
    const lines: string[] = [];
    const logged = await buildApp({
      services: fixture.services,
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
    });
    await logged.ready();
    try {
      const email = address();
      await send(email, ['newsletter']);
      const token = await tokenFor(email, 'newsletter');
      const seen = await logged.inject({
        method: 'GET',
        url: `/api/v1/marketing/unsubscribe?token=${token}`,
      });
      assert.equal(seen.statusCode, 200);
      const refused = await logged.inject({
        method: 'GET',
        url: `/api/v1/marketing/unsubscribe?token=${'C'.repeat(43)}`,
      });
      assert.equal(refused.statusCode, 404);
      await logged.inject({ method: 'GET', url: '/health' });
      assert.ok(
        lines.some((line) => line.includes('/health')),
        'other routes log their address (so this test would see a token)',
      );
      assert.ok(!lines.some((line) => line.includes(token) || line.includes('C'.repeat(43))));
    } finally {
      await logged.close();
    }
  });
});

describe('the operator', () => {
  test('withdraws a consent, erases a contact, and keeps the suppression list', async () => {
    const cookie = await operator();
    const email = address();
    await send(email, ['demo_booking', 'contact_reply']);
    const id = (await contacts(cookie)).find((contact) => contact.email === email)?.id ?? '';
    const withdrawn = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/platform/marketing/contacts/${id}/consents/contact_reply`,
      headers: { cookie },
    });
    assert.equal(withdrawn.statusCode, 204, withdrawn.body);
    const after = (await contacts(cookie)).find((contact) => contact.id === id);
    assert.ok(after?.consents.find((consent) => consent.purpose === 'contact_reply')?.withdrawnAt);
    const twice = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/platform/marketing/contacts/${id}/consents/contact_reply`,
      headers: { cookie },
    });
    assert.equal(twice.statusCode, 404);

    const erased = await fixture.app.inject({
      method: 'DELETE',
      url: `/api/v1/platform/marketing/contacts/${id}`,
      headers: { cookie },
    });
    assert.equal(erased.statusCode, 204);
    assert.ok(!(await contacts(cookie)).some((contact) => contact.id === id));

    const again = await fixture.app.inject({
      method: 'POST',
      url: '/api/v1/platform/marketing/suppressions',
      headers: { cookie },
      payload: { email: email.toUpperCase() },
    });
    assert.equal(again.statusCode, 409, 'already on the list');
    const list = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/platform/marketing/suppressions',
      headers: { cookie },
    });
    assert.equal(list.statusCode, 200);
    const entries = list.json<Array<{ reference: string; reason: string }>>();
    assert.ok(entries.some((entry) => entry.reason === 'erased' && /^[0-9a-f]{12}$/.test(entry.reference)));
    assert.ok(!list.body.includes(email));
  });

  test('no session gets 401; a school admin gets 403', async () => {
    const school = await buildSchool(fixture.services);
    const admin = await buildUser(fixture.services, 'school_admin', school.id);
    const cookie = await signInAs(fixture.app, admin.email);
    for (const headers of [{}, { cookie }]) {
      const response = await fixture.app.inject({
        method: 'GET',
        url: '/api/v1/platform/marketing/contacts',
        headers,
      });
      assert.equal(response.statusCode, 'cookie' in headers ? 403 : 401);
    }
  });
});
