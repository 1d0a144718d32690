// Journeys through the data protection records: the DPO opens them from the school menu and sees the
// categories the school's data holds (special category said in words), the evidence report, and
// downloads the HTML file; a teacher has no such menu entry; the operator reaches the platform's
// records from the Platform page. Axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { importCsvLines } from '../support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
const SCHOOL_NAME = 'Zq Records Academy';

let schoolId = '';
const people = { dpo: '', teacher: '', operator: '' };

describe('data protection records', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: SCHOOL_NAME });
    schoolId = school.id;
    await importCsvLines(e2e.services, schoolId, [PUPIL_HEADER, pupilRow(1), pupilRow(2)]);
    people.dpo = (await buildUser(e2e.services, 'dpo', schoolId)).email;
    people.teacher = (await buildUser(e2e.services, 'teacher', schoolId)).email;
    people.operator = (await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID)).email;
  });

  test('the DPO reads the record of processing and the evidence, and downloads the HTML file', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.dpo, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    await page
      .getByRole('navigation', { name: /menu/ })
      .getByRole('link', { name: 'Data protection records' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Data protection records' }).waitFor();
    const categories = page.getByRole('table', { name: /Categories of personal data/ });
    await categories.getByRole('row', { name: /Ethnicity.*Special category/ }).waitFor();
    assert.equal(await categories.getByRole('row', { name: /Address/ }).count(), 0, 'no addresses imported');
    await page.getByRole('table', { name: 'Encrypted fields' }).waitFor();
    await page
      .getByRole('table', { name: 'Who holds which role at the school' })
      .getByRole('row', { name: /dpo/ })
      .waitFor();
    await page
      .getByText(/The database is in United Kingdom/)
      .first()
      .waitFor();
    assert.equal(await page.getByText(/Zqforename|Xvsurname/).count(), 0, 'no pupil names');
    await expectAccessible(page, 'governance-school');

    const href = await page.getByRole('link', { name: /Download the evidence report/ }).getAttribute('href');
    assert.ok(href !== null);
    const file = await page.request.get(href);
    assert.equal(file.status(), 200);
    assert.match(file.headers()['content-disposition'] ?? '', /^attachment; filename="haven-evidence-/);
    assert.match(await file.text(), new RegExp(`Compliance evidence: ${SCHOOL_NAME}`));
    await page.close();
  });

  test('a teacher has no records menu; the operator reaches the platform records from Platform', async () => {
    const teacher = await e2e.newPage();
    await signIn(teacher, people.teacher, TEST_PASSWORD);
    await teacher.goto(`/schools/${schoolId}`);
    await teacher.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Home' }).waitFor();
    assert.equal(await teacher.getByRole('link', { name: 'Data protection records' }).count(), 0);
    await teacher.close();

    const page = await e2e.newPage();
    await signIn(page, people.operator, TEST_PASSWORD);
    await page.goto('/platform');
    await page.getByRole('link', { name: 'Data protection records' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data protection records' }).waitFor();
    await page
      .getByRole('table', { name: /Categories of data each school holds/ })
      .getByRole('row', { name: new RegExp(`${SCHOOL_NAME}.*Date of birth: 2`) })
      .waitFor();
    await page
      .getByRole('table', { name: /Per school: keys/ })
      .getByRole('row', { name: new RegExp(SCHOOL_NAME) })
      .waitFor();
    assert.equal(await page.getByText(/Zqforename|Xvsurname/).count(), 0, 'no pupil names');
    await expectAccessible(page, 'governance-platform');
    await page.close();
  });
});
