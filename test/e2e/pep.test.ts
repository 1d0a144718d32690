// Journeys through Personal Education Plans: the virtual school head lands on the dashboard and adds a
// child linked to a school on Haven; the school's designated teacher agrees the link (the UPN finds the
// pupil), starts this term's PEP, fills in the modules and submits it; the officer is refused a return
// without a comment, rates the PEP and approves it; the head signs it off and the exports appear. No name
// in any address; axe on every page.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createOrganisation } from '../../src/modules/organisations/organisations.service.ts';
import { addDays, todayInEngland } from '../../src/platform/calendar/working-days.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { importCsvLines } from '../support/imports.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
const SCHOOL_NAME = 'Zq Pep Academy';
const AUTHORITY_NAME = 'Zq Virtual School';
const FORENAME = 'Zqlooked';
const SURNAME = 'Xvafter';
const TODAY = todayInEngland();

let authorityId = '';
let schoolId = '';
const people = { head: '', officer: '', teacher: '', socialWorker: '' };

function noNameIn(page: Page): void {
  const address = page.url().toLowerCase();
  assert.ok(!address.includes(FORENAME.toLowerCase()) && !address.includes(SURNAME.toLowerCase()), address);
}

/** Opens the child's PEP from the virtual school's children list. */
async function openPepAsVirtualSchool(page: Page): Promise<void> {
  await page.goto(`/authorities/${authorityId}/pep/children`);
  await page.getByRole('link', { name: `${FORENAME} ${SURNAME}` }).click();
  await page.getByRole('link', { name: 'Open this term’s PEP' }).click();
  await page.getByRole('heading', { level: 1, name: /^PEP for/ }).waitFor();
}

describe('personal education plans', { skip: browserMissing() }, () => {
  before(async () => {
    const authority = await createOrganisation(e2e.services, {
      kind: 'local_authority',
      name: AUTHORITY_NAME,
    });
    authorityId = authority.id;
    const school = await buildSchool(e2e.services, { name: SCHOOL_NAME });
    schoolId = school.id;
    await importCsvLines(e2e.services, schoolId, [
      PUPIL_HEADER,
      pupilRow(1, { forename: FORENAME, surname: SURNAME, year_group: '9' }),
      pupilRow(2),
    ]);
    people.head = (await buildUser(e2e.services, 'virtual_school_head', authorityId)).email;
    people.officer = (await buildUser(e2e.services, 'virtual_school_officer', authorityId)).email;
    people.teacher = (await buildUser(e2e.services, 'designated_teacher', schoolId)).email;
    people.socialWorker = (await buildUser(e2e.services, 'social_worker', authorityId)).email;
  });

  test('the head adds a child at a school on Haven', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.head, TEST_PASSWORD);
    // Someone who works only in a virtual school lands on its dashboard.
    await page.waitForURL(new RegExp(`/authorities/${authorityId}/pep$`));
    await page.getByRole('heading', { level: 1, name: 'Personal Education Plans' }).waitFor();
    await page.getByRole('table', { name: /PEPs by stage/ }).waitFor();
    await expectAccessible(page, 'pep-dashboard');

    await page
      .getByRole('navigation', { name: `${AUTHORITY_NAME} menu` })
      .getByRole('link', { name: 'Add a child' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Add a child' }).waitFor();
    // Nothing filled in: every problem is listed and linked to its field.
    await page.getByRole('button', { name: 'Add the child' }).click();
    await page.getByRole('link', { name: 'Enter the child’s forename' }).waitFor();
    await page.getByRole('link', { name: 'Choose the child’s school' }).waitFor();
    await expectAccessible(page, 'pep-add-child-errors');

    await page.getByLabel('Forename').fill(FORENAME);
    await page.getByLabel('Surname').fill(SURNAME);
    await page.getByLabel('Date of birth').fill('2012-03-14');
    await page.getByLabel('UPN (optional)').fill(syntheticUpn(1));
    await page.getByLabel('Year group').selectOption({ label: 'Year 9' });
    await page.getByLabel('Date the child entered care').fill(addDays(TODAY, -3));
    await page.getByLabel('Carer', { exact: true }).fill('Zq foster carers');
    await page.getByLabel('Social worker', { exact: true }).fill('Zq Social Worker, 01234 567890');
    await page.getByLabel('School on Haven').selectOption({ label: SCHOOL_NAME });
    await page.getByRole('button', { name: 'Add the child' }).click();
    await page.getByRole('heading', { level: 1, name: `${FORENAME} ${SURNAME}` }).waitFor();
    await page.getByText('The school has been asked to agree the link to its record.').waitFor();
    noNameIn(page);
    await expectAccessible(page, 'pep-child');
    await page.close();
  });

  test('the designated teacher agrees the link, fills in the PEP and submits it', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.teacher, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    await page.getByText('1 virtual school request is waiting for you to agree or refuse a link.').waitFor();
    await page.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'PEPs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Personal Education Plans' }).waitFor();
    const request = page.getByRole('region', { name: `${FORENAME} ${SURNAME}` });
    await request.getByText(AUTHORITY_NAME).waitFor();
    await expectAccessible(page, 'pep-school-links');
    await request.getByRole('button', { name: 'Agree the link' }).click();
    await page.getByText('No virtual school is waiting for your answer.').waitFor();
    await page
      .getByRole('table', { name: /Looked-after children linked/ })
      .getByRole('link', { name: `${FORENAME} ${SURNAME}` })
      .click();
    await page.getByRole('heading', { level: 1, name: `${FORENAME} ${SURNAME}` }).waitFor();
    await page.getByRole('heading', { name: 'From the school’s data' }).waitFor();
    await page.getByText('The school has no results recorded for this child yet.').waitFor();
    await page.getByRole('button', { name: 'Start this term’s PEP' }).click();
    await page.getByRole('heading', { level: 1, name: /^PEP for/ }).waitFor();
    noNameIn(page);

    // Submitting too early names what is missing.
    await page.getByRole('button', { name: 'Submit for quality assurance' }).click();
    await page.getByRole('link', { name: /Pupil Voice: / }).waitFor();
    await expectAccessible(page, 'pep-submit-refused');

    const basic = page.getByRole('form', { name: 'Basic Info' });
    await basic.getByLabel('Designated teacher').fill('Zq Designated Teacher');
    await basic.getByLabel('Attendance (%)').fill('94.5');
    await basic.getByRole('button', { name: 'Save Basic Info' }).click();
    await basic.getByText('Basic Info was saved.').waitFor();

    const voice = page.getByRole('form', { name: 'Pupil Voice' });
    await voice.getByLabel('In their own words').fill('I like science and want to join the football club.');
    await voice.getByRole('button', { name: 'Save Pupil Voice' }).click();
    await voice.getByText('Pupil Voice was saved.').waitFor();

    const send = page.getByRole('form', { name: 'SEND' });
    await send.getByLabel('SEN support').check();
    await send.getByLabel('Support in place').fill('Reading intervention twice a week');
    await send.getByRole('button', { name: 'Save SEND' }).click();
    await send.getByText('SEND was saved.').waitFor();

    const meeting = page.getByRole('form', { name: 'Meeting' });
    await meeting.getByLabel('Date of the meeting').fill(addDays(TODAY, -1));
    await meeting.getByRole('button', { name: 'Add an attendee' }).click();
    await meeting.getByLabel('Attendee 1: name').fill('Zq Designated Teacher');
    await meeting.getByLabel('Attendee 1: role').fill('Designated teacher');
    await meeting.getByRole('button', { name: 'Save Meeting' }).click();
    await meeting.getByText('Meeting was saved.').waitFor();

    const targets = page.getByRole('form', { name: 'Targets & Actions' });
    await targets.getByRole('button', { name: 'Add a target' }).click();
    await targets.getByRole('button', { name: 'Add a target' }).click();
    await targets.getByRole('button', { name: 'Remove target 2' }).click();
    await targets.getByLabel('The target').fill('Reach the expected standard in reading by the summer');
    await targets.getByLabel('Who is responsible').fill('English teacher');
    await targets.getByLabel('Pupil Premium Plus requested (£)').fill('150');
    // Funding is approved by the virtual school only: the school sees no field for it.
    assert.equal(await targets.getByLabel('Pupil Premium Plus approved (£)').count(), 0);
    await targets.getByRole('button', { name: 'Save Targets & Actions' }).click();
    await targets.getByText('Targets & Actions was saved.').waitFor();
    await targets.getByText('£150.00').first().waitFor();
    await expectAccessible(page, 'pep-modules');

    await page.getByRole('button', { name: 'Submit for quality assurance' }).click();
    await page.getByText('The PEP is now submitted for quality assurance.').waitFor();
    // The school's sections are now read only; QA is for the virtual school.
    assert.equal(await page.getByRole('form', { name: 'Pupil Voice' }).count(), 0);
    await page.getByText('I like science and want to join the football club.').waitFor();
    await page.close();
  });

  test('the officer rates and approves it; the head signs it off and it can be exported', async () => {
    const officer = await e2e.newPage();
    await signIn(officer, people.officer, TEST_PASSWORD);
    await openPepAsVirtualSchool(officer);
    // Returning needs a comment.
    await officer.getByRole('button', { name: 'Return for amendments' }).click();
    await officer.getByRole('button', { name: 'Return the PEP' }).click();
    await officer.getByRole('link', { name: 'Say what must be amended' }).waitFor();
    await officer.getByRole('button', { name: 'Cancel' }).click();

    const qa = officer.getByRole('form', { name: 'QA & Sign Off' });
    await qa.getByRole('group', { name: 'Rating' }).getByLabel('Green: good').check();
    for (const group of await qa.getByRole('group').all()) {
      const met = group.getByLabel('Met', { exact: true });
      if ((await met.count()) === 1) {
        await met.check();
      }
    }
    await qa.getByLabel('Comments').fill('A clear plan with the child’s voice at its heart.');
    await qa.getByRole('button', { name: 'Save QA & Sign Off' }).click();
    await qa.getByText('QA & Sign Off was saved.').waitFor();
    await expectAccessible(officer, 'pep-qa');
    await officer.getByRole('button', { name: 'Approve' }).click();
    await officer.getByText('The PEP is now approved.').waitFor();
    // Signing off is for the head.
    assert.equal(await officer.getByRole('button', { name: 'Sign off and lock' }).count(), 0);
    await officer.close();

    const head = await e2e.newPage();
    await signIn(head, people.head, TEST_PASSWORD);
    await openPepAsVirtualSchool(head);
    await head.getByRole('button', { name: 'Sign off and lock' }).click();
    await head.getByText('The PEP is now signed off.').waitFor();
    await head.getByRole('link', { name: /Download the signed-off PEP \(PDF\)/ }).waitFor();
    const html = head.getByRole('link', { name: /Download the signed-off PEP \(HTML/ });
    const response = await head.request.get((await html.getAttribute('href')) ?? '');
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'] ?? '', /text\/html/);
    await head.getByRole('button', { name: 'Start a new version' }).waitFor();
    await head.getByRole('region', { name: 'History' }).getByText('Signed off', { exact: true }).waitFor();
    noNameIn(head);
    await expectAccessible(head, 'pep-signed-off');

    // The dashboard counts it.
    await head.goto(`/authorities/${authorityId}/pep`);
    await head
      .getByRole('table', { name: /PEPs by stage/ })
      .getByRole('row', { name: /Signed off 1/ })
      .waitFor();

    // Changes go in a new version, where the virtual school approves the funding asked for.
    await openPepAsVirtualSchool(head);
    await head.getByRole('button', { name: 'Start a new version' }).click();
    await head.getByText('Initial PEP, version 2').waitFor();
    const targets = head.getByRole('form', { name: 'Targets & Actions' });
    await targets.getByLabel('Pupil Premium Plus approved (£)').fill('100');
    await targets.getByRole('button', { name: 'Save Targets & Actions' }).click();
    await targets.getByText('Targets & Actions was saved.').waitFor();
    await targets.getByText('£100.00').first().waitFor();
    await head.close();
  });

  test('the head downloads a child’s bundle and erases a record added in error', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.head, TEST_PASSWORD);
    await page.goto(`/authorities/${authorityId}/pep/children/new`);
    await page.getByLabel('Forename').fill('Zqmistake');
    await page.getByLabel('Surname').fill('Xventry');
    await page.getByLabel('Date of birth').fill('2013-05-02');
    await page.getByLabel('Date the child entered care').fill(addDays(TODAY, -1));
    // A school not on Haven is recorded by name.
    await page.getByLabel('A school not on Haven').check();
    await page.getByLabel('School’s name').fill('Zq Faraway School');
    await page.getByRole('button', { name: 'Add the child' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zqmistake Xventry' }).waitFor();
    await page.getByText('Zq Faraway School (not on haven)').waitFor();

    // Naming a school on Haven asks it to agree the link.
    await page.getByText('Change the child’s school').click();
    const change = page.getByRole('form', { name: 'Change the child’s school' });
    await change.getByLabel(/A school that uses Haven/).check();
    await change.getByLabel('School on Haven').selectOption({ label: SCHOOL_NAME });
    await change.getByRole('button', { name: 'Save the school' }).click();
    await page
      .getByRole('region', { name: 'School' })
      .getByText('The school has been asked to agree the link to its record.')
      .waitFor();

    const bundle = page.getByRole('link', { name: 'Download the child’s data (JSON)' });
    const response = await page.request.get((await bundle.getAttribute('href')) ?? '');
    assert.equal(response.status(), 200);

    // Erasing takes a reason, then "erase" typed to confirm.
    await page.getByRole('button', { name: 'Continue to erase' }).click();
    await page.getByRole('link', { name: 'Choose why the record is erased' }).waitFor();
    await page.getByLabel('Why is the record erased?').selectOption('created_in_error');
    await page.getByRole('button', { name: 'Continue to erase' }).click();
    await page.getByLabel('To confirm, type erase').fill('delete');
    await page.getByRole('button', { name: 'Erase the record' }).click();
    await page.getByRole('link', { name: 'Type erase to confirm' }).waitFor();
    await expectAccessible(page, 'pep-erase-confirm');
    await page.getByLabel('To confirm, type erase').fill('erase');
    await page.getByRole('button', { name: 'Erase the record' }).click();
    await page.getByText('The record was erased').waitFor();
    await page.getByRole('link', { name: `${FORENAME} ${SURNAME}` }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Zqmistake Xventry' }).count(), 0);

    // Filters live in the address (no personal data there).
    await page.getByLabel('This term’s PEP').selectOption({ label: 'Draft' });
    await page.waitForURL(/state=draft/);
    await page.getByRole('table', { name: /1 of 1 child/ }).waitFor();
    await expectAccessible(page, 'pep-children');
    await page.close();
  });

  test('the designated teacher refuses a link for a child who is not theirs, after confirming', async () => {
    const head = await e2e.newPage();
    await signIn(head, people.head, TEST_PASSWORD);
    await head.goto(`/authorities/${authorityId}/pep/children/new`);
    await head.getByLabel('Forename').fill('Zqnotours');
    await head.getByLabel('Surname').fill('Xvelsewhere');
    await head.getByLabel('Date of birth').fill('2011-07-09');
    await head.getByLabel('Date the child entered care').fill(addDays(TODAY, -2));
    await head.getByLabel('School on Haven').selectOption({ label: SCHOOL_NAME });
    await head.getByRole('button', { name: 'Add the child' }).click();
    await head.getByRole('heading', { level: 1, name: 'Zqnotours Xvelsewhere' }).waitFor();
    await head.close();

    const page = await e2e.newPage();
    await signIn(page, people.teacher, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}/pep`);
    const card = page.getByRole('region', { name: 'Zqnotours Xvelsewhere' });
    await card.getByRole('button', { name: 'Refuse: not our pupil' }).click();
    await card.getByRole('group', { name: 'Confirm the refusal' }).waitFor();
    await expectAccessible(page, 'pep-refuse-confirm');
    await card.getByRole('button', { name: 'Yes, refuse the link' }).click();
    await card.waitFor({ state: 'detached' });
    await page.close();
  });

  test('a social worker sees only the children allocated to them, and adds none', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.socialWorker, TEST_PASSWORD);
    await page.waitForURL(new RegExp(`/authorities/${authorityId}/pep$`));
    const menu = page.getByRole('navigation', { name: `${AUTHORITY_NAME} menu` });
    await menu.getByRole('link', { name: 'Children' }).click();
    await page.getByText('No child is allocated to you yet.').waitFor();
    assert.equal(await menu.getByRole('link', { name: 'Add a child' }).count(), 0);
    await expectAccessible(page, 'pep-social-worker');
    await page.close();
  });
});
