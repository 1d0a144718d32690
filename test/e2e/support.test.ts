// Support access as people meet it: the school admin grants a named engineer access for a ticket; the
// engineer finds the school on their Support access page, opens its pupils, and the admin sees that
// request listed; the engineer closes the ticket and the school is gone from their view. Axe on each page.
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { importCsvLines } from '../support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
let schoolId = '';
const people = { admin: '', engineer: '' };

describe('support access', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: 'Zq Support Academy' });
    schoolId = school.id;
    await importCsvLines(e2e.services, schoolId, [PUPIL_HEADER, pupilRow(1), pupilRow(2)]);
    people.admin = (await buildUser(e2e.services, 'school_admin', schoolId)).email;
    people.engineer = (await buildUser(e2e.services, 'support_engineer', PLATFORM_ORG_ID)).email;
  });

  test('granted, used under the school’s eyes, and ended by closing the ticket', async () => {
    const admin = await e2e.newPage();
    await signIn(admin, people.admin, TEST_PASSWORD);
    await admin.goto(`/schools/${schoolId}`);
    await admin
      .getByRole('navigation', { name: /menu/ })
      .getByRole('link', { name: 'Support access' })
      .click();
    await admin.getByRole('heading', { level: 1, name: 'Support access' }).waitFor();
    await admin.getByText('No support access has been granted.').waitFor();
    await admin.getByRole('button', { name: 'Grant access' }).click();
    await admin.getByRole('link', { name: 'Enter the support ticket’s reference' }).waitFor();
    await expectAccessible(admin, 'support-grant-errors');
    await admin.getByLabel('Support engineer').selectOption({ label: people.engineer });
    await admin.getByLabel('Support ticket').fill('HAV-42');
    await admin.getByLabel('What they need to do').fill('Check why the import stops');
    await admin.getByLabel('For how many hours').fill('4');
    await admin.getByRole('button', { name: 'Grant access' }).click();
    await admin.getByText('Access granted.').waitFor();
    await admin.getByRole('heading', { name: `Ticket HAV-42: ${people.engineer}` }).waitFor();
    await admin.getByText('In use now').waitFor();
    await expectAccessible(admin, 'support-granted');

    const engineer = await e2e.newPage();
    await signIn(engineer, people.engineer, TEST_PASSWORD);
    await engineer.goto('/support');
    await engineer.getByRole('heading', { name: 'Zq Support Academy: ticket HAV-42' }).waitFor();
    await expectAccessible(engineer, 'support-mine');
    await engineer.getByRole('link', { name: 'Open Zq Support Academy' }).click();
    await engineer.getByRole('navigation', { name: /menu/ }).getByRole('link', { name: 'Pupils' }).click();
    await engineer.getByRole('heading', { level: 1, name: 'Pupils' }).waitFor();

    // The school sees the request (the page refreshes every 10 seconds; a reload is quicker).
    await admin.reload();
    await admin.getByText(/requests? made under this access/).click();
    await admin
      .getByRole('cell', { name: /GET \/api\/v1\/schools\/:schoolId\/pupils/ })
      .first()
      .waitFor();

    await engineer.goto('/support');
    await engineer.getByRole('button', { name: 'Close ticket HAV-42' }).click();
    await engineer.getByText('Ended (ticket closed)').waitFor();
    await engineer.goto(`/schools/${schoolId}/pupils`);
    await engineer.getByText(/not found, or your account does not work there/).waitFor();
    await admin.reload();
    await admin.getByText('Ended (ticket closed)').waitFor();
    await admin.close();
    await engineer.close();
  });
});
