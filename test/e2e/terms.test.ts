// Terms changes as people meet them: the operator publishes new terms (refused with less than 30 days'
// notice); the school admin sees them on the school home, reads and accepts them. Axe on each page.
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { addDays, todayInEngland } from '../../src/platform/calendar/working-days.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
let schoolId = '';
const people = { admin: '', operator: '' };
const VERSION = `2027.${process.pid}`;

describe('terms of service', { skip: browserMissing() }, () => {
  before(async () => {
    schoolId = (await buildSchool(e2e.services, { name: 'Zq Terms Academy' })).id;
    people.admin = (await buildUser(e2e.services, 'school_admin', schoolId)).email;
    people.operator = (await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID)).email;
  });

  test('published with notice, then read and accepted by the school', async () => {
    const operator = await e2e.newPage();
    await signIn(operator, people.operator, TEST_PASSWORD);
    await operator.goto('/platform');
    await operator.getByRole('heading', { name: 'Publish new terms' }).waitFor();
    await operator.getByLabel('Version').fill(VERSION);
    await operator
      .getByLabel('What changes, in plain words')
      .fill('Backups move to a second UK data centre.');
    await operator.getByLabel('The full terms').fill('Clause 1.\nClause 2.');
    await operator.getByLabel('Takes effect on').fill(addDays(todayInEngland(), 5));
    await operator.getByRole('button', { name: 'Publish the terms' }).click();
    await operator.getByRole('link', { name: /must be .* or later/ }).waitFor();
    await expectAccessible(operator, 'terms-publish-refused');
    await operator.getByLabel('Takes effect on').fill(addDays(todayInEngland(), 31));
    await operator.getByRole('button', { name: 'Publish the terms' }).click();
    await operator.getByText('Published. Every school’s administrators have been told.').waitFor();
    await operator.getByRole('rowheader', { name: VERSION }).waitFor();
    await operator.close();

    const admin = await e2e.newPage();
    await signIn(admin, people.admin, TEST_PASSWORD);
    await admin.goto(`/schools/${schoolId}`);
    await admin.getByRole('heading', { name: 'New terms of service' }).waitFor();
    await admin.getByRole('link', { name: 'Read it and accept it, or opt out' }).first().click();
    await admin.getByRole('heading', { level: 1, name: 'Terms of service' }).waitFor();
    await expectAccessible(admin, 'terms-school');
    await admin.getByRole('button', { name: `Accept version ${VERSION}` }).click();
    await admin
      .getByText(/Your school accepted this version on/)
      .first()
      .waitFor();
    await admin.close();
  });
});
