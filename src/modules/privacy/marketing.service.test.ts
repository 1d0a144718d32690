// Marketing contacts against a real database: consents with their wording version, time and form;
// unsubscribing per purpose and from everything (then only a keyed hash of the address is left, read
// straight from the tables); suppressed addresses refused; nothing personal in audit events.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError } from '../../platform/http/errors.ts';
import { createTestServices, readOutbox, type TestServices } from '../../../test/support/services.ts';
import { withIdentity } from '../organisations/identity.ts';
import { CONSENT_WORDING } from './consent-wording.ts';
import { mailableContacts, marketingMail } from './marketing-mail.ts';
import {
  contactByEmail,
  eraseContact,
  eraseContactByEmail,
  suppressAddress,
  withdrawConsent,
} from './marketing-operator.service.ts';
import { recordContact, unsubscribe, type ContactInput } from './marketing.service.ts';
import type { MarketingPurpose } from './marketing.tables.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(() => services.close());

const OPERATOR = { type: 'user' as const, id: '00000000-0000-4000-8000-00000000a11e' };
const TEST = { type: 'system' as const, id: 'test' };
let sequence = 0;

/** A fresh synthetic address per test (tests share one database). */
function address(): string {
  sequence += 1;
  return `contact-${process.pid}-${sequence}@example.invalid`;
}

function input(email: string, purposes: MarketingPurpose[], form: ContactInput['form'] = 'contact_page') {
  return {
    form,
    name: 'Synthetic Person',
    email,
    message: 'We would like to see the analysis pages.',
    consents: purposes.map((purpose) => ({ purpose, version: CONSENT_WORDING[purpose].current })),
  };
}

const read = <R>(work: (trx: Transaction<DB>) => Promise<R>): Promise<R> => withIdentity(services, work);

async function contactIdOf(email: string): Promise<string> {
  const contact = await contactByEmail(services, TEST, email, 'test');
  assert.ok(contact !== undefined, 'the contact exists');
  return contact.id;
}

/** The token in a mailing list's unsubscribe link for this address. */
async function tokenFor(email: string, purpose: MarketingPurpose): Promise<string> {
  const list = await mailableContacts(services, purpose, TEST);
  const entry = list.find((contact) => contact.email === email);
  assert.ok(entry !== undefined, `${purpose} may be mailed to the contact`);
  const token = /#token=([A-Za-z0-9_-]{43})$/.exec(entry.unsubscribeUrl)?.[1];
  assert.ok(token !== undefined, entry.unsubscribeUrl);
  return token;
}

async function mailable(purpose: MarketingPurpose, email: string): Promise<boolean> {
  return (await mailableContacts(services, purpose, TEST)).some((contact) => contact.email === email);
}

async function suppressions(): Promise<number> {
  const row = await read((trx) =>
    trx
      .selectFrom('marketing_suppressions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  );
  return Number(row.n);
}

const isNotContactable = (error: unknown) =>
  error instanceof AppError && error.status === 409 && error.code === 'not_contactable';

describe('recording a contact', () => {
  test('records each consent with the wording version shown, the time and the form; encrypts the person', async () => {
    const email = address();
    const startedAt = new Date();
    await recordContact(services, input(email, ['demo_booking', 'newsletter']), 'req-1');
    const id = await contactIdOf(email);
    const rows = await read((trx) =>
      trx
        .selectFrom('marketing_consents')
        .selectAll()
        .where('contact_id', '=', id)
        .orderBy('purpose')
        .execute(),
    );
    assert.deepEqual(
      rows.map((row) => [row.purpose, row.wording_version, row.source, row.withdrawn_at]),
      [
        ['demo_booking', 'demo_booking.v1', 'contact_page', null],
        ['newsletter', 'newsletter.v1', 'contact_page', null],
      ],
    );
    for (const row of rows) {
      assert.ok(row.granted_at >= new Date(startedAt.getTime() - 1000) && row.granted_at <= new Date());
      assert.equal(row.school_id, PLATFORM_ORG_ID, 'a platform-tenant row');
    }
    const contact = await read((trx) =>
      trx.selectFrom('marketing_contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    );
    for (const field of [contact.email, contact.name, contact.message]) {
      assert.ok(field !== null);
      assert.ok(!field.includes(email) && !field.includes('Synthetic Person') && !field.includes('analysis'));
    }
    const found = await contactByEmail(services, TEST, `  ${email.toUpperCase()} `, 'test');
    assert.equal(found?.name, 'Synthetic Person', 'found by its blind index, whatever the case');
    assert.equal(found?.message, 'We would like to see the analysis pages.');
  });

  test('a known address gets the new consent added and keeps the others', async () => {
    const email = address();
    await recordContact(services, input(email, ['contact_reply']), 'req');
    await recordContact(services, input(email, ['newsletter'], 'newsletter_page'), 'req');
    const contact = await contactByEmail(services, TEST, email, 'test');
    assert.deepEqual(
      contact?.consents.map((consent) => [consent.purpose, consent.source]),
      [
        ['contact_reply', 'contact_page'],
        ['newsletter', 'newsletter_page'],
      ],
    );
    const count = await read((trx) =>
      trx
        .selectFrom('blind_indexes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('subject_id', '=', contact?.id ?? '')
        .executeTakeFirstOrThrow(),
    );
    assert.equal(Number(count.n), 1, 'one contact, one index entry');
  });

  test('the same new address sent twice at once makes one contact', async () => {
    const email = address();
    await Promise.all([
      recordContact(services, input(email, ['newsletter']), 'req'),
      recordContact(services, input(email, ['demo_booking']), 'req'),
    ]);
    const contact = await contactByEmail(services, TEST, email, 'test');
    assert.deepEqual(contact?.consents.map((consent) => consent.purpose).sort(), [
      'demo_booking',
      'newsletter',
    ]);
  });

  test('refuses a wording never shown, a purpose the form does not offer, and no box ticked', async () => {
    const email = address();
    const cases: ContactInput[] = [
      { ...input(email, []), consents: [{ purpose: 'newsletter', version: 'newsletter.v0' }] },
      input(email, ['demo_booking'], 'newsletter_page'),
      input(email, []),
      { ...input(email, ['newsletter']), email: 'not an address' },
    ];
    for (const bad of cases) {
      await assert.rejects(
        recordContact(services, bad, 'req'),
        (error: unknown) => error instanceof AppError && error.status === 400,
      );
    }
    assert.equal(await contactByEmail(services, TEST, email, 'test'), undefined, 'nothing was recorded');
  });
});

describe('unsubscribing', () => {
  test('per purpose: that consent is withdrawn with its time; the others still mail', async () => {
    const email = address();
    await recordContact(services, input(email, ['demo_booking', 'newsletter']), 'req');
    const token = await tokenFor(email, 'newsletter');
    const result = await unsubscribe(services, token, 'newsletter', 'req');
    assert.deepEqual(
      result.subscriptions.map((entry) => entry.purpose),
      ['demo_booking'],
    );
    assert.equal(await mailable('newsletter', email), false);
    assert.equal(await mailable('demo_booking', email), true);
    const consents = (await contactByEmail(services, TEST, email, 'test'))?.consents ?? [];
    const newsletter = consents.find((consent) => consent.purpose === 'newsletter');
    assert.ok(newsletter?.withdrawnAt !== null && newsletter?.withdrawnAt !== undefined);
    assert.equal(newsletter.withdrawnVia, 'unsubscribe_link');
    assert.equal(newsletter.wordingVersion, 'newsletter.v1', 'what was agreed stays on record');

    await recordContact(services, input(email, ['newsletter']), 'req');
    assert.equal(await mailable('newsletter', email), true, 'the person may opt in again');
  });

  test('withdrawing the last purpose deletes the contact but suppresses nothing', async () => {
    const email = address();
    await recordContact(services, input(email, ['newsletter']), 'req');
    const id = await contactIdOf(email);
    await unsubscribe(services, await tokenFor(email, 'newsletter'), 'newsletter', 'req');
    assert.equal(await contactByEmail(services, TEST, email, 'test'), undefined);
    const keys = await read((trx) =>
      trx.selectFrom('subject_keys').select('id').where('subject_id', '=', id).execute(),
    );
    assert.equal(keys.length, 0, 'the key is shredded');
    await recordContact(services, input(email, ['newsletter']), 'req');
    assert.ok(await contactByEmail(services, TEST, email, 'test'), 'the address is not suppressed');
  });

  test('from everything: only a keyed hash of the address remains, with its time and reason', async () => {
    const email = address();
    await recordContact(services, input(email, ['demo_booking', 'contact_reply', 'newsletter']), 'req');
    const id = await contactIdOf(email);
    const token = await tokenFor(email, 'newsletter');
    const startedAt = new Date(Date.now() - 1000);
    await unsubscribe(services, token, 'all', 'req');

    const left = await read(async (trx) => ({
      contacts: await trx.selectFrom('marketing_contacts').select('id').where('id', '=', id).execute(),
      consents: await trx
        .selectFrom('marketing_consents')
        .select('purpose')
        .where('contact_id', '=', id)
        .execute(),
      tokens: await trx
        .selectFrom('marketing_unsubscribe_tokens')
        .select('purpose')
        .where('contact_id', '=', id)
        .execute(),
      indexes: await trx.selectFrom('blind_indexes').select('kind').where('subject_id', '=', id).execute(),
      keys: await trx.selectFrom('subject_keys').select('id').where('subject_id', '=', id).execute(),
    }));
    assert.deepEqual(left, { contacts: [], consents: [], tokens: [], indexes: [], keys: [] });

    const expected = await read(async (trx) =>
      new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID).digest('marketing_suppression', email),
    );
    const entry = await read((trx) =>
      trx
        .selectFrom('marketing_suppressions')
        .selectAll()
        .where('email_hmac', '=', expected)
        .executeTakeFirstOrThrow(),
    );
    assert.equal(entry.reason, 'unsubscribed');
    assert.ok(entry.created_at >= startedAt);
    assert.deepEqual(Object.keys(entry).sort(), ['created_at', 'email_hmac', 'reason', 'school_id']);

    const plain = [email, email.toUpperCase(), `marketing_suppression\u0000${email}`];
    for (const value of plain) {
      assert.notDeepEqual(entry.email_hmac, createHash('sha256').update(value).digest(), 'not a plain hash');
      assert.notDeepEqual(entry.email_hmac, createHmac('sha256', '').update(value).digest());
    }
    assert.equal(await mailable('newsletter', email), false);
    await assert.rejects(unsubscribe(services, token, 'newsletter', 'req'), /does not work/);
  });

  test('an unknown token changes nothing and says so', async () => {
    await assert.rejects(
      unsubscribe(services, 'A'.repeat(43), 'all', 'req'),
      (error: unknown) => error instanceof AppError && error.status === 404,
    );
  });
});

describe('the suppression list', () => {
  test('a suppressed address is refused through the form, whatever its case or spacing, and nothing is kept', async () => {
    const email = address();
    await recordContact(services, input(email, ['newsletter']), 'req');
    await eraseContactByEmail(services, TEST, email, 'req');
    const count = await suppressions();
    for (const variant of [email, ` ${email.toUpperCase()} `]) {
      await assert.rejects(recordContact(services, input(variant, ['newsletter']), 'req'), isNotContactable);
    }
    assert.equal(await contactByEmail(services, TEST, email, 'test'), undefined);
    assert.equal(await suppressions(), count, 'a refusal stores nothing');
    await assert.rejects(
      suppressAddress(services, OPERATOR, email, 'req'),
      (error: unknown) => error instanceof AppError && error.status === 409,
    );
  });

  test('the operator can suppress an address directly: one never seen, or a contact (then erased)', async () => {
    const stranger = address();
    assert.deepEqual(await suppressAddress(services, OPERATOR, stranger, 'req'), { erasedContact: false });
    await assert.rejects(
      recordContact(services, input(stranger, ['contact_reply']), 'req'),
      isNotContactable,
    );

    const known = address();
    await recordContact(services, input(known, ['demo_booking']), 'req');
    const id = await contactIdOf(known);
    assert.deepEqual(await suppressAddress(services, OPERATOR, known, 'req'), { erasedContact: true });
    const rows = await read((trx) =>
      trx.selectFrom('marketing_contacts').select('id').where('id', '=', id).execute(),
    );
    assert.deepEqual(rows, []);
    assert.equal(await mailable('demo_booking', known), false);
  });

  test('the operator withdraws a consent or erases a contact', async () => {
    const email = address();
    await recordContact(services, input(email, ['demo_booking', 'newsletter']), 'req');
    const id = await contactIdOf(email);
    await withdrawConsent(services, OPERATOR, id, 'newsletter', 'req');
    const consents = (await contactByEmail(services, TEST, email, 'test'))?.consents ?? [];
    assert.equal(consents.find((consent) => consent.purpose === 'newsletter')?.withdrawnVia, 'operator');
    await assert.rejects(
      withdrawConsent(services, OPERATOR, id, 'newsletter', 'req'),
      (error: unknown) => error instanceof AppError && error.status === 404,
    );
    await eraseContact(services, OPERATOR, id, 'req');
    await assert.rejects(recordContact(services, input(email, ['newsletter']), 'req'), isNotContactable);
    await assert.rejects(
      eraseContact(services, OPERATOR, id, 'req'),
      (error: unknown) => error instanceof AppError && error.status === 404,
    );
  });
});

describe('marketing e-mail and the audit trail', () => {
  test('every marketing e-mail ends with the unsubscribe link, whose token is stored only as a digest', async () => {
    const email = address();
    await recordContact(services, input(email, ['newsletter']), 'req');
    const entry = (await mailableContacts(services, 'newsletter', TEST)).find(
      (contact) => contact.email === email,
    );
    assert.ok(entry !== undefined);
    services.mailer.queue(marketingMail(entry, 'Haven news', ['What is new this month.']));
    const sent = (await readOutbox(services)).at(-1) ?? '';
    assert.ok(sent.includes(entry.unsubscribeUrl), 'the link is in the message');
    const token = entry.unsubscribeUrl.split('#token=')[1] ?? '';
    assert.ok(!token.includes(email) && !entry.unsubscribeUrl.includes(email));
    const stored = await read((trx) =>
      trx
        .selectFrom('marketing_unsubscribe_tokens')
        .select('token_hash')
        .where('contact_id', '=', entry.contactId)
        .execute(),
    );
    assert.ok(stored.length >= 1);
    assert.ok(stored.every((row) => !row.token_hash.includes(Buffer.from(token))));
    assert.ok(
      stored.some((row) => row.token_hash.equals(createHash('sha256').update(token).digest())),
      'the digest of the token',
    );
  });

  test('each step is in the platform chain by pseudonymous id, never by address or name', async () => {
    const email = address();
    await recordContact(services, input(email, ['newsletter', 'demo_booking']), 'req-audit');
    const id = await contactIdOf(email);
    await unsubscribe(services, await tokenFor(email, 'newsletter'), 'newsletter', 'req-audit');
    await eraseContact(services, OPERATOR, id, 'req-audit');
    await assert.rejects(
      recordContact(services, input(email, ['newsletter']), 'req-audit'),
      isNotContactable,
    );
    const events = await services.db.withPlatform('test: read the audit chain', (trx) =>
      trx
        .selectFrom('audit_events')
        .selectAll()
        .where('org_id', '=', PLATFORM_ORG_ID)
        .where('request_id', '=', 'req-audit')
        .orderBy('seq')
        .execute(),
    );
    const actions = events.map((event) => event.action);
    for (const action of [
      'marketing.consent_recorded',
      'marketing.consent_withdrawn',
      'marketing.contact_erased',
      'marketing.contact_refused',
    ]) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    }
    assert.ok(events.some((event) => event.subject_ids.includes(id)));
    const text = JSON.stringify(events);
    assert.ok(!text.includes(email) && !text.includes('Synthetic Person'), 'no address or name in audit');
  });
});
