// Journeys through retention: the DPO sees who goes in the coming weeks and why, places a legal hold on
// that pupil (found by a search that never reaches the address) and sees it keep them, shortens a period
// and is refused a longer one; the school admin starts leaving (the name typed to confirm) and cancels;
// a teacher has no Retention menu; the operator sees the school in the retention plan. Axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { addDays, todayInEngland } from '../../src/platform/calendar/working-days.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { importCsvLines } from '../support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
const SCHOOL_NAME = 'Zq Retention Academy';
const SOON = addDays(todayInEngland(), 20);
const DOB = `${Number(SOON.slice(0, 4)) - 25}${SOON.slice(4)}`;

let schoolId = '';
const people = { admin: '', dpo: '', teacher: '', operator: '' };

describe('retention', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: SCHOOL_NAME });
    schoolId = school.id;
    await importCsvLines(e2e.services, schoolId, [
      PUPIL_HEADER,
      pupilRow(1, { dob: DOB, forename: 'Zqretained', surname: 'Xvpupil' }),
      pupilRow(2),
    ]);
    people.admin = (await buildUser(e2e.services, 'school_admin', schoolId)).email;
    people.dpo = (await buildUser(e2e.services, 'dpo', schoolId)).email;
    people.teacher = (await buildUser(e2e.services, 'teacher', schoolId)).email;
    people.operator = (await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID)).email;
  });

  test('the DPO sees who goes and why, holds them, and shortens a period', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.dpo, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Retention' }).click();
    await page.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    const outlook = page.getByRole('table', { name: /Pupils due for deletion/ });
    await outlook.getByRole('row', { name: /reaches the age limit.*Will be deleted/ }).waitFor();
    await page.getByRole('heading', { name: 'Leaving Haven' }).waitFor({ state: 'detached' });
    await expectAccessible(page, 'retention-page');

    // A hold on the pupil: the search text goes in a POST body, never the address.
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await page.getByRole('link', { name: 'Find and choose the pupil to keep' }).waitFor();
    await expectAccessible(page, 'retention-hold-errors');
    await page.getByLabel('Find the pupil').fill('zqretained');
    await page.getByRole('button', { name: 'Search pupils' }).click();
    await page.getByRole('radio', { name: /Zqretained Xvpupil/ }).check();
    await page.getByLabel('Why it must be kept').fill('A claim against the school');
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await page.getByText('The hold is in place').waitFor();
    assert.ok(!page.url().toLowerCase().includes('zqretained'), 'no name in the address');
    await page
      .getByRole('table', { name: /Legal holds/ })
      .getByRole('cell', { name: 'A claim against the school' })
      .waitFor();
    await outlook.getByRole('row', { name: /Kept by a legal hold/ }).waitFor();

    // A longer period is refused; a shorter one is saved.
    const inactivity = page.getByRole('form', { name: /A school that stops using Haven/ });
    await inactivity.getByLabel(/Your school’s period/).fill('18');
    await inactivity.getByRole('button', { name: /Save/ }).click();
    await page.getByRole('link', { name: /can be shortened but never lengthened/ }).waitFor();
    await expectAccessible(page, 'retention-rule-refused');
    await inactivity.getByLabel(/Your school’s period/).fill('6');
    await inactivity.getByRole('button', { name: /Save/ }).click();
    await page.getByText('6 months without activity').waitFor();
    await page.close();
  });

  test('the school admin starts leaving with the name typed, then cancels', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.admin, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}/retention`);
    await page.getByRole('heading', { name: 'Leaving Haven' }).waitFor();
    await page.getByLabel(/To confirm, type the school’s name/).fill('Another school');
    await page.getByRole('button', { name: 'Leave Haven and delete our data' }).click();
    await page.getByRole('link', { name: new RegExp(`Type ${SCHOOL_NAME} exactly`) }).waitFor();
    await expectAccessible(page, 'retention-leave-refused');
    await page.getByLabel(/To confirm, type the school’s name/).fill(SCHOOL_NAME);
    await page.getByRole('button', { name: 'Leave Haven and delete our data' }).click();
    await page.getByText('Your school is leaving Haven.').waitFor();
    await expectAccessible(page, 'retention-leaving');
    await page.getByRole('button', { name: 'Cancel leaving and keep our data' }).click();
    await page.getByText(/Deleted if nobody uses Haven until/).waitFor();
    await page.close();
  });

  test('a teacher has no Retention menu; the operator sees the school in the plan', async () => {
    const teacher = await e2e.newPage();
    await signIn(teacher, people.teacher, TEST_PASSWORD);
    await teacher.goto(`/schools/${schoolId}`);
    await teacher.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Home' }).waitFor();
    assert.equal(await teacher.getByRole('link', { name: 'Retention' }).count(), 0);
    await teacher.close();

    const page = await e2e.newPage();
    await signIn(page, people.operator, TEST_PASSWORD);
    await page.goto('/platform');
    await page.getByRole('heading', { name: 'Retention' }).waitFor();
    await page.getByLabel('What would go on').fill(SOON);
    await page
      .getByRole('table', { name: new RegExp(`On .*${SOON.slice(0, 4)}`) })
      .getByRole('row', { name: new RegExp(SCHOOL_NAME) })
      .waitFor();
    await expectAccessible(page, 'platform-retention');
    await page.close();
  });
});
