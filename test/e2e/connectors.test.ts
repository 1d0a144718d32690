// Journey through the MIS connector: the data manager sets up a drop folder (choosing what to sync),
// copies the token shown once, syncs the MIS's export and reads the counts, removes the connector (the
// deletion day shown) and reconnects. A teacher has no connector menu. Axe on every state.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { csvLine, PUPILS_HEADER, syntheticSchool } from '../../src/modules/imports/synthetic.ts';
import { dropFolderOf } from '../../src/modules/connectors/drop-folder.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
let schoolId = '';
const people = { manager: '', teacher: '' };

describe('MIS connector', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: 'Zq Connector Academy' });
    schoolId = school.id;
    people.manager = (await buildUser(e2e.services, 'data_manager', schoolId)).email;
    people.teacher = (await buildUser(e2e.services, 'teacher', schoolId)).email;
  });

  test('set up, sync, remove and reconnect', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.manager, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'MIS connector' }).click();
    await page.getByRole('heading', { level: 2, name: 'Connect your MIS' }).waitFor();
    await expectAccessible(page, 'connector-setup');
    assert.equal(await page.getByLabel('Home addresses').isChecked(), false, 'addresses are off by default');
    await page.getByRole('button', { name: 'Set up the connector' }).click();
    const token = await page.locator('code.token').textContent();
    assert.match(token ?? '', /^hvc_/);
    await page.getByText('No sync yet.').waitFor();
    await expectAccessible(page, 'connector-active');

    const cohort = syntheticSchool(3, 5, 5);
    await writeFile(
      path.join(dropFolderOf(e2e.services.connectorDir, schoolId), 'pupils.csv'),
      [PUPILS_HEADER, ...cohort.pupils].map((row) => `${csvLine(row)}\n`).join(''),
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    const history = page.getByRole('table', { name: /Recent syncs/ });
    await history.getByRole('row', { name: /Sync now Synced 5 0 0/ }).waitFor();

    await page.getByRole('button', { name: 'Remove the connector' }).click();
    await page.getByRole('heading', { name: 'Connector removed' }).waitFor();
    await page.getByText(/will be deleted on/).waitFor();
    await expectAccessible(page, 'connector-removed');
    await page.getByRole('button', { name: 'Reconnect and keep our data' }).click();
    await page.getByRole('button', { name: 'Remove the connector' }).waitFor();
    const fresh = await page.locator('code.token').textContent();
    assert.ok(fresh !== token, 'a new token after reconnecting');
    await page.close();
  });

  test('a teacher has no connector menu', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.teacher, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Analysis' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'MIS connector' }).count(), 0);
    await page.close();
  });
});
