// Journeys: a data manager imports a synthetic MIS export through the wizard (file, columns, report,
// import) and sees it in the history; a file with a bad UPN is refused with its row and column, the CSV
// of errors lists it, it cannot be imported and is discarded; a teacher has no imports at all.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { PUPIL_HEADER, pupilRow, syntheticUpn } from '../support/pupil-files.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
let folder = '';

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'haven-e2e-imports-'));
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

// An MIS-style export: headings as a MIS names them, and "Tutor", which Haven does not recognise.
const MIS_HEADER =
  'UPN,Legal Forename,Legal Surname,Date of Birth,Gender,NC Year,Ethnicity,FSM,SEN,Tutor,KS2 Reading Score,KS2 Maths Score';

async function writeFileOf(
  name: string,
  header: string,
  serials: number[],
  rows = serials.map((n) => pupilRow(n)),
) {
  assert.equal(header.split(',').length, PUPIL_HEADER.split(',').length);
  const file = path.join(folder, name);
  await writeFile(file, [header, ...rows].join('\n') + '\n');
  return file;
}

async function step(page: Page, title: string, number: number): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByText(`Import data: step ${number} of 4`).waitFor();
  assert.match(
    (await page.locator('[aria-current="step"]').textContent()) ?? '',
    new RegExp(`^${number}\\. `),
    'the step indicator shows the current step',
  );
}

async function upload(page: Page, file: string): Promise<void> {
  await page.getByLabel('Choose the file to import').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload and check the file' }).click();
}

describe('importing data', { skip: browserMissing() }, () => {
  test('a data manager walks the wizard: file, columns (with a saved mapping), report, import; the history shows it', async () => {
    const serials = Array.from({ length: 12 }, (_, index) => 501 + index);
    const file = await writeFileOf('mis-export.csv', MIS_HEADER, serials);
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page
      .getByRole('navigation', { name: `${e2e.demo.name} menu` })
      .getByRole('link', { name: 'Imports' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await page
      .getByRole('table', { name: 'Import history, newest first' })
      .getByText('Haven (demo data)')
      .first()
      .waitFor();
    await expectAccessible(page, 'imports-history');

    await page.getByRole('link', { name: 'Import data' }).click();
    await step(page, 'Choose a file to import', 1);
    await page.getByText('The columns Haven reads, and blank templates', { exact: true }).click();
    await page.getByRole('link', { name: 'Download the blank pupils template (CSV)' }).waitFor();
    await expectAccessible(page, 'imports-step-1-file');
    await upload(page, file);

    await step(page, 'Check the columns', 2);
    const columns = page.getByRole('table', { name: /columns in your file/ });
    assert.equal(
      await columns.getByLabel('Haven field for the column “Legal Surname”').inputValue(),
      'surname',
    );
    assert.equal(await columns.getByLabel('Haven field for the column “Tutor”').inputValue(), '');
    await columns
      .getByRole('row', { name: /Tutor/ })
      .getByText('Not read: Haven does not recognise this heading')
      .waitFor();
    await expectAccessible(page, 'imports-step-2-columns');
    await columns.getByRole('button', { name: 'Use the suggestion: Class for the column “Tutor”' }).click();
    assert.equal(await columns.getByLabel('Haven field for the column “Tutor”').inputValue(), 'class');
    await page.getByLabel('Name for the mapping').fill('E2E MIS export');
    await page.getByRole('button', { name: 'Save the mapping' }).click();
    await page.getByText('The mapping “E2E MIS export” was saved.').waitFor();
    await page.getByRole('button', { name: 'Check the file with these columns' }).click();

    await step(page, 'Check the report', 3);
    await page.getByRole('heading', { name: 'No errors: this file is ready to import' }).waitFor();
    await page
      .locator('.figure-card', { hasText: 'Pupils in the file' })
      .getByText('12', { exact: true })
      .waitFor();
    await page.getByText('Haven found no errors and no warnings in this file.').waitFor();
    const preview = page.getByRole('table', { name: /The first 10 records/ });
    await preview.getByRole('cell', { name: 'Zqforename501', exact: true }).waitFor();
    await preview.getByRole('columnheader', { name: 'Class' }).waitFor();
    await expectAccessible(page, 'imports-step-3-report');
    await page.getByRole('link', { name: 'Continue to import' }).click();

    await step(page, 'Import the data', 4);
    await page.getByText('Haven will write 12 pupils').waitFor();
    await expectAccessible(page, 'imports-step-4-import');
    // Twelve rows are written faster than a person can watch: the first answers after the commit say it
    // is half-way, so the progress view can be checked too.
    const importId = new URL(page.url()).searchParams.get('import') ?? '';
    let halfWay = 0;
    await page.route(`**/api/v1/schools/${e2e.demo.schoolId}/imports/${importId}`, async (route) => {
      if (route.request().method() !== 'GET') {
        await route.fallback();
        return;
      }
      const response = await route.fetch();
      const body = (await response.json()) as { status: string };
      if (body.status === 'validated' || halfWay >= 3) {
        await route.fulfill({ response });
        return;
      }
      halfWay += 1;
      await route.fulfill({
        response,
        json: { ...body, status: 'committing', committedAt: null, progressRows: 6 },
      });
    });
    await page.getByRole('button', { name: 'Import now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Importing your data' }).waitFor();
    await page.getByRole('status').getByText('Importing: 6 of 12 rows written').waitFor();
    const bar = page.getByRole('progressbar', { name: 'Rows written' });
    assert.equal(await bar.getAttribute('value'), '6');
    assert.equal(await bar.getAttribute('max'), '12');
    await expectAccessible(page, 'imports-step-4-progress');
    await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor();
    await page.getByText('Import complete.').waitFor();
    const changed = page.locator('.summary-list > div', { hasText: 'New pupils added' });
    assert.equal(await changed.locator('dd').textContent(), '12');
    await page.getByRole('link', { name: 'See the analysis with the new data' }).waitFor();
    await expectAccessible(page, 'imports-complete');

    await page.getByRole('link', { name: 'See all imports' }).click();
    const newest = page.getByRole('table', { name: 'Import history, newest first' }).getByRole('row').nth(1);
    await newest.getByText('Imported').waitFor();
    await newest.getByText('You', { exact: true }).waitFor();
    await newest.getByText('Pupils (CSV)').waitFor();
    await newest.getByText(/New pupils added: 12/).waitFor();
    await newest.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /^Import uploaded / }).waitFor();
    assert.equal(
      await page.locator('.summary-list > div', { hasText: 'New pupils added' }).locator('dd').textContent(),
      '12',
    );
    await expectAccessible(page, 'imports-detail-committed');

    await page.goto(`/schools/${e2e.demo.schoolId}/imports/new`);
    await page.getByRole('option', { name: 'E2E MIS export (pupils)' }).waitFor({ state: 'attached' });
    await page.context().close();
  });

  test('a file with a bad UPN is refused with its row and column, listed in the CSV, cannot be imported, and is discarded', async () => {
    const serials = [601, 602, 603, 604, 605];
    const good = syntheticUpn(603);
    const wrongLetter = good[0] === 'A' ? 'B' : 'A';
    const rows = serials.map((n) =>
      n === 603 ? pupilRow(n, { upn: `${wrongLetter}${good.slice(1)}` }) : pupilRow(n),
    );
    const file = await writeFileOf('pupils-with-a-mistake.csv', PUPIL_HEADER, serials, rows);
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.goto(`/schools/${e2e.demo.schoolId}/imports/new`);
    await step(page, 'Choose a file to import', 1);
    await upload(page, file);
    await step(page, 'Check the columns', 2);
    await page.getByRole('button', { name: 'Continue to the report' }).click();

    await step(page, 'Check the report', 3);
    const fix = page.getByRole('region', { name: /This file cannot be imported yet: 1 error to fix/ });
    await fix.getByText('Column “upn”: upn invalid (wrong check letter at character 1) (row 4)').waitFor();
    await fix.getByRole('link', { name: 'Upload a corrected file' }).waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Continue to import' }).count(),
      0,
      'no way on to importing',
    );
    const issues = page.getByRole('table', { name: /^Errors and warnings/ });
    const issue = issues.getByRole('row', { name: /wrong check letter/ });
    assert.deepEqual(await issue.getByRole('cell').allTextContents(), [
      'Error',
      '4',
      'upn',
      'UPN',
      'upn invalid (wrong check letter at character 1)',
    ]);
    await expectAccessible(page, 'imports-step-3-errors');

    await page.getByLabel('Show').selectOption('errors');
    await page.getByLabel('Column').selectOption('upn');
    await page.getByRole('button', { name: 'Show these' }).click();
    await page.getByRole('table', { name: 'Errors in the column “upn”: 1' }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('show'), 'errors');
    assert.equal(url.searchParams.get('column'), 'upn');
    const importId = url.searchParams.get('import') ?? '';

    const href =
      (await page.getByRole('link', { name: 'Download errors and warnings as CSV' }).getAttribute('href')) ??
      '';
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
    const lines = (await csv.text()).split(/\r?\n/);
    assert.ok(
      lines.some((line) => line.startsWith('error,4,,upn,upn,') && line.includes('wrong check letter')),
      `the CSV lists row 4's error:\n${lines.join('\n')}`,
    );

    await page.goto(`/schools/${e2e.demo.schoolId}/imports/new?import=${importId}&step=import`);
    await page.getByRole('heading', { name: 'This file has errors' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Import now' }).count(), 0);
    const refused = await page.request.post(
      `/api/v1/schools/${e2e.demo.schoolId}/imports/${importId}/commit`,
      {
        headers: { origin: e2e.baseUrl },
      },
    );
    assert.equal(refused.status(), 409, 'the API refuses to commit it too');

    await page.goto(`/schools/${e2e.demo.schoolId}/imports/${importId}`);
    await page.getByText('Has errors').first().waitFor();
    await page.getByRole('row', { name: /wrong check letter/ }).waitFor();
    await expectAccessible(page, 'imports-detail-refused');

    // The corrected file replaces the refused upload, which is discarded once the new one is in.
    await page.getByRole('link', { name: 'Upload a corrected file' }).click();
    await step(page, 'Choose a file to import', 1);
    await page.getByText('Upload the corrected file.').waitFor();
    await upload(page, await writeFileOf('pupils-corrected.csv', PUPIL_HEADER, serials));
    await step(page, 'Check the columns', 2);
    await page.getByRole('button', { name: 'Continue to the report' }).click();
    await step(page, 'Check the report', 3);
    await page.getByRole('heading', { name: 'No errors: this file is ready to import' }).waitFor();
    await page.getByRole('button', { name: 'Discard this import' }).click();
    await page.getByRole('region', { name: 'Discard this import?' }).waitFor();
    await expectAccessible(page, 'imports-discard-confirm');
    await page.getByRole('button', { name: 'Yes, discard it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await page.getByText('The import was discarded.').waitFor();
    const history = page.getByRole('table', { name: 'Import history, newest first' }).getByRole('row');
    await history.nth(1).getByText('Discarded').waitFor();
    await history.nth(2).getByText('Discarded').waitFor();
    assert.equal(
      await history.nth(2).getByRole('cell').nth(4).textContent(),
      '1',
      'the refused one, with its error',
    );
    await page.context().close();
  });

  test('a teacher has no Imports menu item and cannot use the imports pages', async () => {
    const teacher = await buildUser(e2e.services, 'teacher', e2e.demo.schoolId);
    const page = await e2e.newPage();
    await signIn(page, teacher.email, TEST_PASSWORD);
    const menu = page.getByRole('navigation', { name: `${e2e.demo.name} menu` });
    await menu.getByRole('link', { name: 'Home' }).waitFor();
    assert.equal(await menu.getByRole('link', { name: 'Imports' }).count(), 0);
    await page.goto(`/schools/${e2e.demo.schoolId}/imports`);
    await page.getByRole('heading', { level: 1, name: 'You cannot import data' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Import data' }).count(), 0);
    await expectAccessible(page, 'imports-forbidden');
    await page.goto(`/schools/${e2e.demo.schoolId}/imports/new`);
    await page.getByRole('heading', { level: 1, name: 'You cannot import data' }).waitFor();
    await page.context().close();
  });
});
