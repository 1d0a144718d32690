// Journeys through the school's register of data subject requests: a school admin records an access
// request for a pupil (found by a search whose text never reaches the address), confirms the requester's
// identity and downloads the bundle; records an erasure request and sends it to the DPO, who approves it;
// the admin carries it out and opens the certificate. A teacher has no Privacy menu. The platform
// operator passes on a request Haven received; the school's admin finds it in the register, marked as
// received via the platform. The admin records an access request about a teacher, chosen from the
// school's staff, and downloads their data; the DPO, who cannot list the staff, is told who links them.
// Axe on every page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runImport } from '../../src/modules/imports/imports.service.ts';
import { bufferSource } from '../../src/modules/imports/source.ts';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { syntheticUpn } from '../support/pupil-files.ts';
import { readOutbox } from '../support/services.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

// Synthetic pupils: names obviously not real.
const ANNA = { upn: syntheticUpn(21), forename: 'Zqanna', surname: 'Xvprivacy' };
const BEN = { upn: syntheticUpn(22), forename: 'Zqben', surname: 'Xvother' };

let schoolId = '';
const people = { admin: '', dpo: '', teacher: '', subjectTeacher: '' };
let subjectTeacherId = '';

async function openRegister(page: Page): Promise<void> {
  await page.goto(`/schools/${schoolId}`);
  await page
    .getByRole('navigation', { name: /menu/ })
    .getByRole('link', { name: 'Privacy requests' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Privacy requests' }).waitFor();
}

/** Records a request for Anna through the form; returns the request page's address. */
async function recordRequest(page: Page, kind: string, identity: string): Promise<string> {
  await page.getByRole('link', { name: 'Record a request' }).click();
  await page.getByRole('heading', { level: 1, name: 'Record a request' }).waitFor();
  await page.getByLabel('What they asked for', { exact: true }).selectOption(kind);
  await page.getByLabel('Find the pupil').fill(ANNA.forename.toLowerCase());
  await page.getByRole('button', { name: 'Search pupils' }).click();
  await page.getByRole('radio', { name: new RegExp(`${ANNA.forename} ${ANNA.surname}`) }).check();
  assert.ok(!page.url().toLowerCase().includes(ANNA.forename.toLowerCase()), 'no name in the address');
  await page.getByLabel('Their name').fill('Zqparent Xvprivacy');
  await page.getByLabel('How to reach them').fill('parent@example.invalid');
  await page.getByLabel('Who they are').selectOption('parent');
  await page.getByLabel('Identity check').selectOption(identity);
  await page.getByRole('button', { name: 'Save the request' }).click();
  await page.getByText('The request has been recorded').waitFor();
  assert.match(page.url(), /\/privacy\/requests\/[0-9a-f-]{36}$/, 'addressed by its id only');
  return new URL(page.url()).pathname;
}

describe('privacy requests', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: 'Zq Privacy Academy' });
    schoolId = school.id;
    const csv = [
      'upn,forename,surname,dob,sex,year_group,ethnicity,fsm,sen,class,ks2_reading_score,ks2_maths_score',
      `${ANNA.upn},${ANNA.forename},${ANNA.surname},2010-03-14,F,11,WBRI,Y,K,11A,104,108`,
      `${BEN.upn},${BEN.forename},${BEN.surname},2010-07-02,M,11,APKN,N,N,11B,99,101`,
    ];
    const outcome = await runImport(e2e.services, {
      schoolId,
      source: bufferSource('pupils.csv', Buffer.from(`${csv.join('\n')}\n`)),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'test' },
      dryRun: false,
    });
    assert.equal(outcome.status, 'committed', JSON.stringify(outcome.report.errors));
    people.admin = (await buildUser(e2e.services, 'school_admin', schoolId)).email;
    people.dpo = (await buildUser(e2e.services, 'dpo', schoolId)).email;
    people.teacher = (await buildUser(e2e.services, 'teacher', schoolId)).email;
    // The member of staff a request is about (a synthetic example.invalid address).
    const subject = await buildUser(e2e.services, 'teacher', schoolId);
    people.subjectTeacher = subject.email;
    subjectTeacherId = subject.id;
  });

  let erasurePath = '';

  test('a school admin records an access request, confirms identity and downloads the data', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.admin, TEST_PASSWORD);
    await openRegister(page);
    await page.getByText('There are no open requests.').waitFor();
    await expectAccessible(page, 'privacy-register-empty');

    await page.getByRole('link', { name: 'Record a request' }).click();
    await page.getByLabel('Their name').waitFor();
    await page.getByRole('button', { name: 'Save the request' }).click();
    await page.getByRole('link', { name: /Enter the name of the person who made the request/ }).waitFor();
    assert.equal(
      await page.getByLabel('Date received').inputValue(),
      await page.evaluate(() =>
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()),
      ),
      'received defaults to today',
    );
    await expectAccessible(page, 'privacy-new-errors');
    await page
      .getByText(/^This request must be answered by \w{3} \d+ \w{3} \d{4}\. If it is complex/)
      .waitFor();
    await page.getByLabel('Date received').fill('2025-01-31');
    await page
      .getByText(
        'This request must be answered by Fri 28 Feb 2025. If it is complex you may extend it to Wed 30 Apr 2025, but you must decide and tell the requester by Fri 28 Feb 2025.',
      )
      .waitFor();
    assert.equal(
      await page
        .locator('[aria-live="polite"]')
        .filter({ hasText: 'must be answered by Fri 28 Feb 2025' })
        .count(),
      1,
      'the deadline is announced politely',
    );
    await expectAccessible(page, 'privacy-new-deadline');
    await page.goto(`/schools/${schoolId}/privacy`);

    await recordRequest(page, 'access', 'not_checked');
    await page
      .getByText(/Due in \d+ days \(\w{3} \d+ \w{3} \d{4}\)/)
      .first()
      .waitFor();
    await page.getByRole('link', { name: `${ANNA.forename} ${ANNA.surname}` }).waitFor();
    // The school home reminds the admin of open requests.
    await page.goto(`/schools/${schoolId}`);
    await page.getByRole('heading', { name: 'Data protection requests' }).waitFor();
    await page.getByText(/requests? (is|are) open: 0 overdue/).waitFor();
    await expectAccessible(page, 'privacy-home-reminder');
    await page.goBack();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Request recorded' })
      .getByText(`by ${people.admin}`)
      .waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Download the data (zip)' }).count(),
      0,
      'no download before the identity check',
    );
    await expectAccessible(page, 'privacy-request-access');

    await page.getByLabel('Identity', { exact: true }).selectOption('verified');
    await page.getByRole('button', { name: 'Record the identity check' }).click();
    await page.getByText('The identity check has been recorded.').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the data (zip)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^DSR-\d{4}-\d{4}-data\.zip$/);
    const file = await readFile((await download.path()) ?? '');
    assert.equal(file.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'the download is a zip');
    await page.getByText(/The data has been downloaded as/).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Data downloaded for the requester' }).waitFor();
    await expectAccessible(page, 'privacy-request-downloaded');

    await page.getByRole('link', { name: 'Back to privacy requests' }).click();
    const table = page.getByRole('table', { name: /Open requests \(1\)/ });
    await table.getByRole('cell', { name: 'Access to their data' }).waitFor();
    await expectAccessible(page, 'privacy-register');

    await recordRequestFromRegister(page);
    await page.context().close();
  });

  async function recordRequestFromRegister(page: Page): Promise<void> {
    erasurePath = await recordRequest(page, 'erasure', 'verified');
    await page.getByRole('heading', { name: 'What the erasure would remove' }).waitFor();
    await page
      .getByRole('row', { name: /Assessment results|The pupil’s record/ })
      .first()
      .waitFor();
    await expectAccessible(page, 'privacy-request-erasure');
    await page.getByRole('button', { name: 'Send to the DPO for a decision' }).click();
    await page.getByText('The erasure has been sent to the data protection officer.').waitFor();
    assert.equal(
      await page.getByRole('radio', { name: 'Approve the erasure' }).count(),
      0,
      'only the DPO decides',
    );
  }

  test('the DPO approves; the admin carries out the erasure and opens the certificate', async () => {
    assert.notEqual(erasurePath, '', 'the erasure was recorded by the previous test');
    const dpo = await e2e.newPage();
    await signIn(dpo, people.dpo, TEST_PASSWORD);
    await dpo.goto(erasurePath);
    await dpo.getByRole('heading', { name: 'Decide the erasure' }).waitFor();
    await dpo.getByRole('button', { name: 'Record the decision' }).click();
    await dpo.getByRole('link', { name: 'Choose whether to approve or refuse the erasure' }).waitFor();
    await expectAccessible(dpo, 'privacy-decide-errors');
    await dpo.getByRole('radio', { name: 'Approve the erasure' }).check();
    await dpo.getByLabel('Reason', { exact: true }).fill('No reason to keep the data');
    await dpo.getByRole('button', { name: 'Record the decision' }).click();
    await dpo.getByText('The erasure has been approved.').waitFor();
    await expectAccessible(dpo, 'privacy-approved');
    await dpo.context().close();

    const page = await e2e.newPage();
    await signIn(page, people.admin, TEST_PASSWORD);
    await page.goto(erasurePath);
    await page.getByRole('button', { name: 'Carry out the erasure' }).click();
    await page.getByText('This cannot be undone.').waitFor();
    await expectAccessible(page, 'privacy-execute-confirm');
    await page.getByRole('button', { name: 'Yes, erase the data now' }).click();
    await page.getByText('The erasure has been carried out.').waitFor();
    await page.getByRole('link', { name: 'View the certificate of erasure' }).click();
    await page.getByRole('heading', { level: 1, name: 'Certificate of erasure' }).waitFor();
    await page.getByRole('button', { name: 'Print the certificate' }).waitFor();
    await page
      .locator('.digest')
      .filter({ hasText: /^[0-9a-f]{64}$/ })
      .waitFor();
    assert.equal(await page.getByText(ANNA.forename).count(), 0, 'no name on the certificate');
    await expectAccessible(page, 'privacy-certificate');
    await page.context().close();
  });

  test('a restriction shows on the pupil’s record, and is lifted with a reason', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.admin, TEST_PASSWORD);
    const api = `/api/v1/schools/${schoolId}`;
    const found = await page.request.post(`${api}/pupils/search`, {
      data: { query: BEN.forename, limit: 5 },
    });
    const benId = ((await found.json()) as { pupils: Array<{ id: string }> }).pupils[0]?.id ?? '';
    const created = await page.request.post(`${api}/privacy/requests`, {
      data: {
        kind: 'restriction',
        subjectType: 'pupil',
        subjectId: benId,
        identityStatus: 'not_needed',
        requester: { name: 'Zqcarer Xvother', contact: 'carer@example.invalid', relationship: 'carer' },
        receivedOn: await page.evaluate(() =>
          new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()),
        ),
      },
    });
    assert.equal(created.status(), 201, await created.text());
    const { id } = (await created.json()) as { id: string };
    await page.goto(`/schools/${schoolId}/privacy/requests/${id}`);
    await page.getByText(/A restriction stops everything/).waitFor();
    await page.getByRole('button', { name: 'Record the restriction' }).click();
    await page.getByText('The limit on processing has been recorded and the request closed.').waitFor();

    await page.goto(`/schools/${schoolId}/pupils/${benId}`);
    const limits = page.getByRole('region', { name: 'Processing limits' });
    await limits
      .getByText(/Processing restricted since \d+ \w{3} \d{4} — left out of analysis, exports and apps/)
      .waitFor();
    await expectAccessible(page, 'privacy-pupil-limits');
    await limits.getByRole('button', { name: /Lift/ }).click();
    await limits.getByRole('link', { name: 'Enter why the limit is being lifted' }).waitFor();
    await limits.getByLabel('Reason for lifting it').fill('The record was checked and is accurate');
    await limits.getByRole('button', { name: /Lift/ }).click();
    await limits.waitFor({ state: 'detached' });
    await page.context().close();
  });

  test('a teacher does not see the Privacy requests menu', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.teacher, TEST_PASSWORD);
    await page.goto(`/schools/${schoolId}`);
    const menu = page.getByRole('navigation', { name: /menu/ });
    await menu.getByRole('link', { name: 'Home' }).waitFor();
    assert.equal(await menu.getByRole('link', { name: 'Privacy requests' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Data protection requests' }).count(), 0);
    await page.context().close();
  });

  test('the platform operator passes a request on; the school’s admin finds it in the register', async () => {
    const operator = await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, operator.email, TEST_PASSWORD);
    await page.waitForURL('**/platform');
    const section = page.getByRole('region', { name: 'Pass on a data protection request' });
    await section.getByText(/the school is the controller/).waitFor();
    await section.getByRole('button', { name: 'Pass it to the school' }).click();
    await section.getByRole('link', { name: 'Choose the school whose data the request is about' }).waitFor();
    await section.getByRole('link', { name: /Enter the name of the person who made the request/ }).waitFor();
    await expectAccessible(page, 'platform-privacy-errors');

    await section.getByLabel('The school').selectOption({ label: 'Zq Privacy Academy' });
    await section.getByLabel('What they asked for').selectOption({ label: 'Access to their data' });
    await section.getByLabel('Who it is about').selectOption({ label: 'A pupil' });
    await section.getByLabel('Their name').fill('Zqrouted Xvrequester');
    await section.getByLabel('How to reach them').fill('routed@example.invalid');
    await section.getByLabel('Who they are').selectOption({ label: 'Parent' });
    await section.getByLabel('What they asked (optional)').fill('A copy of everything held about my son');
    await section.getByRole('button', { name: 'Pass it to the school' }).click();
    const passed = section.getByText(/^Passed to Zq Privacy Academy as DSR-\d{4}-\d{4}$/);
    await passed.waitFor();
    const reference = /DSR-\d{4}-\d{4}/.exec(await passed.innerText())?.[0] ?? '';
    assert.ok(!page.url().toLowerCase().includes('zqrouted'), 'no name in the address');
    await expectAccessible(page, 'platform-privacy-passed');
    const mails = await readOutbox(e2e.services);
    assert.ok(
      mails.some((mail) => mail.includes(`added it to your register as ${reference}`)),
      'the school’s request handlers were e-mailed',
    );
    await page.context().close();

    const admin = await e2e.newPage();
    await signIn(admin, people.admin, TEST_PASSWORD);
    await openRegister(admin);
    const row = admin.getByRole('row').filter({ hasText: reference });
    await row.getByText('Received via the platform').waitFor();
    await expectAccessible(admin, 'privacy-register-routed');
    await row.getByRole('link', { name: reference }).click();
    await admin.getByRole('heading', { level: 1, name: `Request ${reference}` }).waitFor();
    await admin.getByText(/received via the platform/).waitFor();
    await admin.getByText('A pupil, not yet linked to their record').waitFor();
    await admin.getByText('Zqrouted Xvrequester (Parent)').waitFor();
    await expectAccessible(admin, 'privacy-request-routed');
    await admin.context().close();
  });
  test('a school admin records an access request about a teacher and downloads their data', async () => {
    const page = await e2e.newPage();
    await signIn(page, people.admin, TEST_PASSWORD);
    await openRegister(page);
    await page.getByRole('link', { name: 'Record a request' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a request' }).waitFor();
    await page.getByLabel('What they asked for', { exact: true }).selectOption('access');
    await page.getByLabel('Who it is about').selectOption({ label: 'A member of staff' });
    const picker = page.getByLabel('The member of staff');
    await picker.waitFor();
    assert.equal(await page.getByLabel('Find the pupil').count(), 0, 'no pupil search for staff');
    await expectAccessible(page, 'privacy-new-staff');
    await picker.selectOption({ label: `${people.subjectTeacher} (teacher)` });
    await page.getByLabel('Their name').fill('Zqstaff Xvsubject');
    await page.getByLabel('How to reach them').fill('zqstaff.home@example.invalid');
    await page.getByLabel('Who they are').selectOption('self');
    await page.getByRole('button', { name: 'Save the request' }).click();
    await page.getByText('The request has been recorded').waitFor();
    assert.match(page.url(), /\/privacy\/requests\/[0-9a-f-]{36}$/, 'addressed by its id only');
    assert.ok(!page.url().includes(people.subjectTeacher), 'no e-mail in the address');
    const requestPath = new URL(page.url()).pathname;
    const about = page.getByRole('definition').filter({ hasText: people.subjectTeacher });
    await about.waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Download the data (zip)' }).count(),
      0,
      'no download before the identity check',
    );
    await expectAccessible(page, 'privacy-request-staff');

    await page.getByLabel('Identity', { exact: true }).selectOption('verified');
    await page.getByRole('button', { name: 'Record the identity check' }).click();
    await page.getByText('The identity check has been recorded.').waitFor();
    await page.getByText(/everything Haven holds about the member of staff/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the data (zip)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^DSR-\d{4}-\d{4}-data\.zip$/);
    const file = await readFile((await download.path()) ?? '');
    assert.equal(file.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'the download is a zip');
    await page.getByText(/The data has been downloaded as/).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Data downloaded for the requester' }).waitFor();
    await expectAccessible(page, 'privacy-request-staff-downloaded');
    await page.context().close();

    // The DPO cannot list the staff: the request names the member of staff by id, and the form says
    // who links one.
    const dpo = await e2e.newPage();
    await signIn(dpo, people.dpo, TEST_PASSWORD);
    await dpo.goto(requestPath);
    await dpo.getByText(`A member of staff (id ${subjectTeacherId})`).waitFor();
    assert.equal(await dpo.getByText(people.subjectTeacher).count(), 0, 'no e-mail without the staff list');
    await expectAccessible(dpo, 'privacy-request-staff-dpo');
    await dpo.goto(`/schools/${schoolId}/privacy/new`);
    await dpo.getByRole('heading', { level: 1, name: 'Record a request' }).waitFor();
    await dpo.getByLabel('Who it is about').selectOption({ label: 'A member of staff' });
    await dpo.getByText(/A school administrator .* links the member of staff/).waitFor();
    assert.equal(await dpo.getByLabel('The member of staff').count(), 0, 'no staff list for the DPO');
    await expectAccessible(dpo, 'privacy-new-staff-dpo');
    await dpo.context().close();
  });
});
