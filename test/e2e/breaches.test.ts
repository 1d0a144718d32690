// The breach register end to end: the platform operator records a breach affecting a school (the empty
// form first, for its error summary), sends the notice, and sees the clocks in words; the school's DPO
// finds it under Breach notices and acknowledges it, and the operator sees the acknowledgement. Axe on
// every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { readOutbox } from '../support/services.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
const SCHOOL_NAME = 'Zq Breach Academy';
let schoolId = '';
let dpoEmail = '';

/** UK clock time two hours ago, as a datetime-local field takes it. */
function ukTimeHoursAgo(hours: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(Date.now() - hours * 3_600_000))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

describe('breach register', { skip: browserMissing() }, () => {
  before(async () => {
    schoolId = (await buildSchool(e2e.services, { name: SCHOOL_NAME })).id;
    dpoEmail = (await buildUser(e2e.services, 'dpo', schoolId)).email;
  });

  test('the operator records a breach and tells the school; its DPO reads and acknowledges the notice', async () => {
    const operator = await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, operator.email, TEST_PASSWORD);
    await page.waitForURL('**/platform');
    await page.getByRole('link', { name: 'Breach register' }).click();
    await page.getByRole('heading', { level: 1, name: 'Breach register' }).waitFor();
    await expectAccessible(page, 'breaches-register');

    await page.getByRole('link', { name: 'Record a breach' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a breach' }).waitFor();
    await page.getByRole('button', { name: 'Record the breach' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Describe what happened' }).waitFor();
    await expectAccessible(page, 'breaches-new-errors');

    await page.getByLabel('When Haven became aware (UK time)').fill(ukTimeHoursAgo(2));
    await page.getByLabel('What kind of breach').selectOption('confidentiality');
    await page.getByLabel('What happened').fill('A results export was e-mailed to the wrong school.');
    await page.getByRole('checkbox', { name: 'Pupils', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Attainment and results' }).check();
    await page.getByLabel('About how many people').fill('120');
    await page.getByLabel('About how many records').fill('480');
    await page.getByRole('checkbox', { name: SCHOOL_NAME }).check();
    await page
      .getByLabel('Likely consequences for the people involved')
      .fill('Results seen by staff of another school.');
    await page
      .getByLabel('Measures taken to deal with it and limit its effects')
      .fill('The recipient deleted it.');
    await page.getByLabel('Who the schools contact about it').fill('Haven DPO, dpo@haven.example');
    await page.getByRole('button', { name: 'Record the breach' }).click();
    await page.getByRole('heading', { level: 1, name: /^Breach BR-\d{4}-\d{3}$/ }).waitFor();
    await page
      .getByText(/(69|70) hours left/)
      .first()
      .waitFor();
    await expectAccessible(page, 'breaches-breach');

    await page.getByRole('button', { name: 'Send the notice to 1 school' }).click();
    await page.getByText('The notice was sent to 1 school(s)').waitFor();
    const mails = await readOutbox(e2e.services);
    assert.ok(mails.some((mail) => mail.includes(dpoEmail) && mail.includes('Personal data breach BR-')));

    const dpo = await e2e.newPage();
    await signIn(dpo, dpoEmail, TEST_PASSWORD);
    await dpo.goto(`/schools/${schoolId}`);
    await dpo.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Breach notices' }).click();
    await dpo.getByRole('heading', { level: 1, name: 'Breach notices' }).waitFor();
    await dpo.getByText('A results export was e-mailed to the wrong school.', { exact: false }).waitFor();
    await dpo.getByText('Not acknowledged yet.').waitFor();
    await expectAccessible(dpo, 'breaches-school-notices');
    await dpo.getByRole('button', { name: /^Acknowledge BR-/ }).click();
    await dpo.getByText(/Acknowledged \w{3} \d/).waitFor();
    await expectAccessible(dpo, 'breaches-school-acknowledged');

    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(SCHOOL_NAME) });
    await row
      .getByText(/(GMT|BST)$/)
      .first()
      .waitFor();
    assert.ok(!(await row.textContent())?.includes('Not yet'), 'the acknowledgement shows to the operator');
  });
});
