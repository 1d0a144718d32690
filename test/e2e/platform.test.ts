// Journey: the platform operator signs in, lands on the platform page, adds a school with its first
// administrator (e-mailed a set-up link), sees the school's keys, takes a backup and sees it
// restore-tested — never any pupil data.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { readOutbox } from '../support/services.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

describe('platform operator', { skip: browserMissing() }, () => {
  test('adds a school with its administrator and sees its keys', async () => {
    const operator = await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, operator.email, TEST_PASSWORD);
    await page.waitForURL('**/platform');
    await page.getByRole('table', { name: /Schools \(\d+\)/ }).waitFor();
    await expectAccessible(page, 'platform');

    await page.getByRole('button', { name: 'Add school' }).click();
    await page.getByRole('link', { name: 'Enter the school’s name' }).waitFor();

    const before = (await readOutbox(e2e.services)).length;
    await page.getByLabel('School name').fill('Synthetic Upper School');
    await page.getByLabel('URN (optional)').fill('765432');
    await page.getByLabel('Administrator’s email (optional)').fill(`head-${process.pid}@example.invalid`);
    await page.getByRole('button', { name: 'Add school' }).click();
    await page.getByText('The school has been added.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Synthetic Upper School' });
    await row.getByText('765432').waitFor();
    assert.equal((await readOutbox(e2e.services)).length, before + 1, 'the administrator was e-mailed');
    await page
      .getByRole('table', { name: 'Keys by school' })
      .getByRole('row')
      .filter({ hasText: 'Synthetic Upper School' })
      .first()
      .waitFor();

    // Backups: none yet is said in words; one taken now is listed, restore-tested, with its outcome.
    const backups = page.getByRole('region', { name: 'Backups' });
    await backups.getByText('No restore test yet').waitFor();
    await backups.getByRole('button', { name: 'Take a backup now' }).click();
    // A dump, then a restore test in a throwaway database: seconds, more on a loaded machine.
    await backups
      .getByText(/Backup taken and restore-tested: haven-\d{8}T\d{9}Z\.bak/)
      .waitFor({ timeout: 90_000 });
    await backups
      .getByRole('table', { name: 'Recent backups' })
      .getByRole('row')
      .filter({ hasText: 'Taken by an operator' })
      .getByText('Succeeded')
      .waitFor();
    await backups.getByText(/Last restore test: Succeeded/).waitFor();
    await expectAccessible(page, 'platform-backups');

    await page.getByLabel('School name').fill('Another School');
    await page.getByLabel('URN (optional)').fill('765432');
    await page.getByRole('button', { name: 'Add school' }).click();
    await page.getByRole('link', { name: /URN is already used/ }).waitFor();
    await expectAccessible(page, 'platform-errors');

    await page.goto(`/schools/${e2e.demo.schoolId}/pupils`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.context().close();
  });

  test('someone asks to build apps from the public page; the operator approves them', async () => {
    const visitor = await e2e.newPage();
    await visitor.goto('/sign-in');
    await visitor.getByRole('link', { name: 'Ask to become an app developer' }).click();
    await visitor.getByRole('button', { name: 'Send the application' }).click();
    await visitor.getByRole('link', { name: 'Enter your work email address' }).waitFor();
    await expectAccessible(visitor, 'developer-apply-errors');
    const email = `app-maker-${process.pid}@example.invalid`;
    await visitor.getByLabel('Email address').fill(email);
    await visitor.getByLabel('Organisation').fill('Synthetic Software');
    await visitor.getByLabel('What you want to build').fill('A homework planner that lists each class');
    await visitor.getByRole('button', { name: 'Send the application' }).click();
    await visitor.getByRole('heading', { name: 'Application sent' }).waitFor();
    await visitor.context().close();

    const operator = await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, operator.email, TEST_PASSWORD);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.waitFor();
    await expectAccessible(page, 'platform-developers');
    const before = (await readOutbox(e2e.services)).length;
    await row.getByRole('button', { name: `Approve ${email}` }).click();
    await row.getByText('Approved').waitFor();
    const mails = await readOutbox(e2e.services);
    assert.equal(mails.length, before + 1);
    assert.match(mails.at(-1) ?? '', /set-password#token=/);
    await page.context().close();
  });
});
