// Journeys: a visitor asks to hear from Haven on the public contact page (every box starts unticked);
// the newsletter is mailed with an unsubscribe link; the visitor stops the newsletter, then everything,
// and the link stops working; the same address is then refused on the form. The operator sees a contact
// only after asking to, withdraws a consent, erases a contact and suppresses an address directly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { mailableContacts, marketingMail } from '../../src/modules/privacy/marketing-mail.ts';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { readOutbox } from '../support/services.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

const DEMO = /arrange a demonstration of Haven/;
const REPLY = /reply to my enquiry/;
const NEWSLETTER = /Send me the Haven newsletter/;

/** Fills in and sends the form on the page (the contact or newsletter page). */
async function fillContactForm(page: Page, email: string, name: string, boxes: RegExp[]): Promise<void> {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  for (const box of boxes) {
    await page.getByRole('checkbox', { name: box }).check();
  }
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Sends the newsletter the way a mailing would, and returns the link in the e-mail this address got. */
async function newsletterLinkFor(email: string): Promise<string> {
  const list = await mailableContacts(e2e.services, 'newsletter', { type: 'system', id: 'e2e' });
  const contact = list.find((entry) => entry.email === email);
  assert.ok(contact !== undefined, 'the visitor may be sent the newsletter');
  e2e.services.mailer.queue(marketingMail(contact, 'Haven news', ['What is new in Haven this month.']));
  const mail = (await readOutbox(e2e.services)).at(-1) ?? '';
  const link = /(http:\/\/localhost:\d+\/unsubscribe#token=[A-Za-z0-9_-]{43})/.exec(mail)?.[1];
  assert.ok(link !== undefined, 'the newsletter carries an unsubscribe link');
  return link;
}

describe('marketing contacts', { skip: browserMissing() }, () => {
  test('a visitor asks to hear from Haven, then unsubscribes from one thing and from everything', async () => {
    const email = `visitor-${process.pid}@example.invalid`;
    const page = await e2e.newPage();
    await page.goto('/contact');
    await page.getByRole('heading', { name: 'Contact Haven' }).waitFor();
    for (const box of [DEMO, REPLY, NEWSLETTER]) {
      assert.equal(await page.getByRole('checkbox', { name: box }).isChecked(), false, 'unticked by default');
    }
    await expectAccessible(page, 'marketing-contact');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('link', { name: 'Tick at least one box: we need your agreement to e-mail you' })
      .waitFor();
    await page.getByRole('link', { name: 'Enter your email address' }).waitFor();
    await expectAccessible(page, 'marketing-contact-errors');

    await page.getByLabel('Your message (optional)').fill('We would like to see the analysis pages.');
    await fillContactForm(page, email, 'Synthetic Visitor', [DEMO, NEWSLETTER]);
    await page.getByText('We have recorded what you agreed to').waitFor();
    await expectAccessible(page, 'marketing-contact-sent');

    const link = await newsletterLinkFor(email);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Unsubscribe' }).waitFor();
    await page.getByText('You opened this link from an e-mail about: The Haven newsletter').waitFor();
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('link', { name: 'Choose what to stop' }).waitFor();
    await expectAccessible(page, 'marketing-unsubscribe');
    await page.getByRole('radio', { name: 'The Haven newsletter only' }).check();
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await page.getByText('You will not get these e-mails any more: The Haven newsletter.').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Demonstrations of Haven' }).waitFor();
    await expectAccessible(page, 'marketing-unsubscribed-one');

    await page.getByRole('button', { name: 'Stop something else' }).click();
    await page.getByRole('radio', { name: 'Everything: delete my details' }).check();
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('We have deleted your details and will not e-mail this address again.').waitFor();
    await expectAccessible(page, 'marketing-unsubscribed-all');

    await page.goto('/sign-in');
    await page.goto(link);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await expectAccessible(page, 'marketing-unsubscribe-gone');

    await page.goto('/contact');
    await fillContactForm(page, email, 'Synthetic Visitor', [REPLY]);
    await page.getByRole('heading', { name: 'We will not contact this address' }).waitFor();
    await expectAccessible(page, 'marketing-contact-refused');
    assert.equal(
      (await mailableContacts(e2e.services, 'demo_booking', { type: 'system', id: 'e2e' })).some(
        (entry) => entry.email === email,
      ),
      false,
    );
    await page.context().close();
  });

  test('the operator reads contacts on request, withdraws a consent, erases and suppresses', async () => {
    const email = `enquirer-${process.pid}@example.invalid`;
    const visitor = await e2e.newPage();
    await visitor.goto('/newsletter');
    await visitor.getByRole('heading', { name: 'The Haven newsletter' }).waitFor();
    await expectAccessible(visitor, 'marketing-newsletter');
    await fillContactForm(visitor, email, 'Synthetic Enquirer', [NEWSLETTER]);
    await visitor.getByText('We have recorded what you agreed to').waitFor();
    await visitor.goto('/contact');
    await fillContactForm(visitor, email, 'Synthetic Enquirer', [REPLY]);
    await visitor.getByText('We have recorded what you agreed to').waitFor();
    await visitor.context().close();

    const operator = await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, operator.email, TEST_PASSWORD);
    await page.waitForURL('**/platform');
    await page.getByRole('heading', { name: 'Marketing contacts' }).waitFor();
    assert.equal(await page.getByText(email).count(), 0, 'no address is shown before the operator asks');
    await page.getByRole('button', { name: 'Show marketing contacts' }).click();
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText(/contact_reply\.v1, contact page/).waitFor();
    await row.getByText(/newsletter\.v1, newsletter page/).waitFor();
    await expectAccessible(page, 'platform-marketing');

    await row.getByRole('button', { name: 'Withdraw The Haven newsletter for Synthetic Enquirer' }).click();
    await row.getByText(/^Withdrawn /).waitFor();
    await row.getByRole('button', { name: 'Erase Synthetic Enquirer' }).click();
    await row.getByRole('button', { name: 'Yes, erase Synthetic Enquirer' }).click();
    await page.getByRole('row').filter({ hasText: email }).waitFor({ state: 'detached' });
    await page
      .getByRole('table', { name: /Suppression list/ })
      .getByText('Erased')
      .first()
      .waitFor();

    const section = page.getByRole('region', { name: 'Marketing contacts' });
    await section.getByRole('button', { name: 'Add to the suppression list' }).click();
    await page.getByRole('link', { name: 'Enter the address never to contact' }).waitFor();
    await section.getByLabel('Email address').fill(`do-not-contact-${process.pid}@example.invalid`);
    await section.getByRole('button', { name: 'Add to the suppression list' }).click();
    await page.getByText('The address is on the suppression list.').waitFor();
    await section.getByLabel('Email address').fill(email.toUpperCase());
    await section.getByRole('button', { name: 'Add to the suppression list' }).click();
    await page.getByRole('link', { name: 'This address is already on the suppression list.' }).waitFor();
    await expectAccessible(page, 'platform-marketing-suppression');
    await page.context().close();
  });
});
