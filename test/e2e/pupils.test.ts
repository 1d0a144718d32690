// Journeys: finding a pupil by name (the name never in the address), the pupil record with its flight path,
// and teachers seeing only their classes' pupils once linked to a class on the Classes page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

describe('pupils', { skip: browserMissing() }, () => {
  test('a leader browses a year group, finds a pupil by part of their surname and opens the record', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Pupils' }).click();
    await page.getByLabel('Year group').selectOption('11');
    await page.getByRole('button', { name: 'Show pupils' }).click();
    await page.waitForURL('**/pupils?yearGroup=11');
    const table = page.getByRole('table', { name: /Year 11 pupils/ });
    await table.waitFor();
    await expectAccessible(page, 'pupils-browse');
    const firstName = (await table.getByRole('link').first().textContent()) ?? '';
    const surname = firstName.split(' ').at(-1) ?? '';
    assert.ok(surname.length > 2, `a pupil name was listed (${firstName.length} characters)`);

    await page.getByLabel('Name or UPN').fill(surname.slice(0, 4).toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('table', { name: /match/ });
    await results.getByRole('link', { name: firstName }).first().waitFor();
    assert.ok(
      !page.url().toLowerCase().includes(surname.toLowerCase()),
      'the search text is not in the address',
    );
    await expectAccessible(page, 'pupils-search');

    await results.getByRole('link', { name: firstName }).first().click();
    await page.getByRole('heading', { level: 1, name: firstName }).waitFor();
    assert.match(page.url(), /\/pupils\/[0-9a-f-]{36}$/, 'the record is addressed by its pseudonymous id');
    await page.getByRole('heading', { name: 'Key stage 2' }).waitFor();
    await page.getByRole('img', { name: /Points achieved in \d+ subjects/ }).waitFor();
    await page.getByText(/Show the data table/).click();
    const flightTable = page.getByRole('table', { name: /Flight path.*data table/ });
    assert.ok((await flightTable.getByRole('row').count()) > 2, 'the flight path has its data table');
    await expectAccessible(page, 'pupil-record');
    await page.context().close();
  });

  test('a teacher sees no pupil until linked to a class, then that class’s pupils only', async () => {
    const teacher = await buildUser(e2e.services, 'teacher', e2e.demo.schoolId);
    const page = await e2e.newPage();
    await signIn(page, teacher.email, TEST_PASSWORD);
    const menu = page.getByRole('navigation', { name: /menu/ });
    assert.equal(await menu.getByRole('link', { name: 'Imports' }).count(), 0, 'teachers do not import');
    await menu.getByRole('link', { name: 'Pupils' }).click();
    await page.getByText('You see the pupils of the classes you teach.').waitFor();
    await page.getByText('There are no pupils to show here.').waitFor();
    await expectAccessible(page, 'pupils-teacher-empty');

    // The school admin links the teacher to the first class.
    const admin = await e2e.newPage();
    await signIn(admin, e2e.demo.email, e2e.demo.password);
    await admin.goto(`/schools/${e2e.demo.schoolId}/classes`);
    const classes = admin.getByRole('table', { name: /Classes/ });
    await classes.waitFor();
    await expectAccessible(admin, 'classes');
    const firstRow = classes.getByRole('row').nth(1);
    const className = (await firstRow.getByRole('cell').first().textContent()) ?? '';
    const size = Number(await firstRow.getByRole('cell').nth(2).textContent());
    await firstRow.getByRole('combobox').selectOption({ label: teacher.email });
    await firstRow.getByRole('button', { name: `Link to ${className}` }).click();
    await firstRow.getByRole('listitem').filter({ hasText: teacher.email }).waitFor();
    await admin.context().close();

    await page.reload();
    const list = page.getByRole('table', { name: /Pupils \(\d+\)/ });
    await list.waitFor();
    assert.equal(
      await list.getByRole('row').count(),
      size + 1,
      'exactly the class’s pupils (plus the header row)',
    );
    await page.context().close();
  });
});
