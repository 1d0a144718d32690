// Journeys for a school administrator: staff and roles (with the e-mailed set-up link), the audit log with
// filters kept in the address and a CSV download, and the school's security settings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readOutbox } from '../support/services.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

describe('running the school’s Haven', { skip: browserMissing() }, () => {
  test('a school admin adds a teacher (who is e-mailed a set-up link) and removes the role again', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('table', { name: /Staff with a role/ }).waitFor();
    await expectAccessible(page, 'staff');

    await page.getByRole('button', { name: 'Add to staff' }).click();
    await page.getByRole('link', { name: /Enter their work email address/ }).waitFor();
    await expectAccessible(page, 'staff-errors');

    const email = `new-teacher-${process.pid}@example.invalid`;
    const before = (await readOutbox(e2e.services)).length;
    await page.getByLabel('Work email address').fill(email);
    await page.getByLabel('Role').selectOption('teacher');
    await page.getByRole('button', { name: 'Add to staff' }).click();
    await page.getByText('They have been given the role').waitFor();
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: `Remove the Teacher role from ${email}` }).waitFor();
    assert.equal((await readOutbox(e2e.services)).length, before + 1, 'a set-up e-mail was sent');

    await row.getByRole('button', { name: `Remove the Teacher role from ${email}` }).click();
    await row.waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('the audit log filters by action, keeps the filter in the address, and downloads as CSV', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action').fill('imports.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**/audit?action=imports.');
    const table = page.getByRole('table', { name: 'Audit events, newest first' });
    await table.waitFor();
    // The previous (unfiltered) rows stay on screen until the filtered page arrives: wait for it.
    const cells = table.locator('tbody td:nth-child(2)');
    let actions = await cells.allTextContents();
    for (
      let tries = 0;
      tries < 100 && !actions.every((action) => action.startsWith('imports.'));
      tries += 1
    ) {
      await page.waitForTimeout(100);
      actions = await cells.allTextContents();
    }
    assert.ok(actions.length > 0, 'the demo imports were audited');
    assert.ok(
      actions.every((action) => action.startsWith('imports.')),
      'only import events are listed',
    );
    await expectAccessible(page, 'audit-log');

    await page.reload();
    assert.equal(await page.getByLabel('Action').inputValue(), 'imports.', 'the view survives a reload');
    const href =
      (await page.getByRole('link', { name: 'Download these events as CSV' }).getAttribute('href')) ?? '';
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(lines.length - 1, actions.length, 'the CSV holds the same events');
    await page.context().close();
  });

  test('settings: requiring two-factor sign-in is saved and shown after a reload', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.goto(`/schools/${e2e.demo.schoolId}/settings`);
    const required = page.getByLabel('Staff must use two-factor sign-in');
    assert.equal(await required.isChecked(), false);
    await page.getByLabel('The school year starts in').selectOption('8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings have been saved.').waitFor();
    await expectAccessible(page, 'settings');
    await page.reload();
    assert.equal(await page.getByLabel('The school year starts in').inputValue(), '8');
    await page.context().close();
  });
});
