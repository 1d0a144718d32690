// Journeys through the data protection records: the DPO opens them from the school menu and sees the
// categories the school's data holds (special category said in words), the evidence report, and
// downloads the HTML file, with the platform's backups and the breach notice Haven sent the school; a
// teacher has no such menu entry; the operator reaches the platform's records from the Platform page,
// with the breach register in figures. Axe on every page.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID, SYSTEM_ACTOR } from '../../src/platform/audit/audit-log.ts';
import { testRestore } from '../../src/modules/retention/backup-verify.service.ts';
import { takeBackup } from '../../src/modules/retention/backups.service.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { buildSchool } from '../support/factories.ts';
import { importCsvLines } from '../support/imports.ts';
import { PUPIL_HEADER, pupilRow } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
const SCHOOL_NAME = 'Zq Records Academy';

let schoolId = '';
let breachReference = '';
const people = { dpo: '', teacher: '', operator: '' };

/** A backup with its restore test, recorded as the schedule would record them. */
async function backUp(): Promise<void> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'haven-e2e-evidence-')), 'e2e.bak');
  await takeBackup(e2e.services, { trigger: 'cli', actor: SYSTEM_ACTOR, file });
  await testRestore(e2e.services, file, SYSTEM_ACTOR);
}

/** The operator records a breach affecting the school and sends it the notice (through the API). */
async function tellSchoolOfBreach(): Promise<string> {
  const page = await e2e.newPage();
  await signIn(page, people.operator, TEST_PASSWORD);
  const recorded = await page.request.post('/api/v1/platform/breaches', {
    data: {
      awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      nature: 'confidentiality',
      description: 'Zqsecret: a results export was e-mailed to the wrong school.',
      peopleCategories: ['pupils'],
      dataCategories: ['attainment'],
      approxPeople: 30,
      approxRecords: 60,
      schoolIds: [schoolId],
      consequences: 'Results seen by staff of another school.',
      measuresTaken: 'The recipient deleted the e-mail.',
      contact: 'Haven DPO, dpo@haven.example',
    },
  });
  assert.equal(recorded.status(), 201, await recorded.text());
  const breach = (await recorded.json()) as { id: string; reference: string };
  const sent = await page.request.post(`/api/v1/platform/breaches/${breach.id}/notices`);
  assert.equal(sent.status(), 200, await sent.text());
  await page.close();
  return breach.reference;
}

describe('data protection records', { skip: browserMissing() }, () => {
  before(async () => {
    const school = await buildSchool(e2e.services, { name: SCHOOL_NAME });
    schoolId = school.id;
    await importCsvLines(e2e.services, schoolId, [PUPIL_HEADER, pupilRow(1), pupilRow(2)]);
    people.dpo = (await buildUser(e2e.services, 'dpo', schoolId)).email;
    people.teacher = (await buildUser(e2e.services, 'teacher', schoolId)).email;
    people.operator = (await buildUser(e2e.services, 'platform_operator', PLATFORM_ORG_ID)).email;
    await backUp();
    breachReference = await tellSchoolOfBreach();
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
    await page
      .getByRole('table', { name: 'Backups and restore tests' })
      .getByRole('row', { name: /Last restore test.*Succeeded on/ })
      .waitFor();
    await page
      .getByRole('table', { name: 'Breach notices Haven sent the school' })
      .getByRole('row', { name: new RegExp(`${breachReference}.*Notice of a breach.*Not acknowledged`) })
      .waitFor();
    assert.equal(await page.getByText(/Zqforename|Xvsurname|Zqsecret/).count(), 0, 'no pupil names');
    await expectAccessible(page, 'governance-school');

    const href = await page.getByRole('link', { name: /Download the evidence report/ }).getAttribute('href');
    assert.ok(href !== null);
    const file = await page.request.get(href);
    assert.equal(file.status(), 200);
    assert.match(file.headers()['content-disposition'] ?? '', /^attachment; filename="haven-evidence-/);
    const html = await file.text();
    assert.match(html, new RegExp(`Compliance evidence: ${SCHOOL_NAME}`));
    assert.match(html, new RegExp(`<td>${breachReference}</td><td>Notice of a breach</td>`));
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
    await page
      .getByRole('table', { name: 'The breach register in figures' })
      .getByRole('row', { name: /Schools told within 24 hours 1/ })
      .waitFor();
    await page
      .getByRole('table', { name: 'Backups and restore tests' })
      .getByRole('row', { name: /Backups in the last 7 days 1 succeeded, 0 failed/ })
      .waitFor();
    assert.equal(await page.getByText(/Zqforename|Xvsurname|Zqsecret/).count(), 0, 'no pupil names');
    await expectAccessible(page, 'governance-platform');
    await page.close();
  });
});
