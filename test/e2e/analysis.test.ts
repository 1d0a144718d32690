// Journeys through the analysis pages: each page's figures agree with the API, filters live in the URL (and
// survive a reload and moving between reports), downloads are real CSV, axe passes on every page, and a
// teacher with no classes sees an empty-cohort message rather than an error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Static } from 'typebox';
import type {
  AnalysisOptionsResponse,
  GapsResponse,
  HeadlineResponse,
  Progress8Response,
  ResidualsResponse,
  TargetsResponse,
} from '../../src/modules/analysis/analysis.schema.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

/** As the web app writes a signed figure: +0.24, −0.61 (a true minus sign), 0.00. */
function signed(value: number, digits = 2): string {
  const rounded = Number(value.toFixed(digits));
  const text = Math.abs(rounded).toFixed(digits);
  return rounded > 0 ? `+${text}` : rounded < 0 ? `−${text}` : text;
}

/** Text as a regular expression that matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
  return (await response.json()) as T;
}

type Headline = Static<typeof HeadlineResponse>;

/** The demo school always has a Progress 8 score. */
function schoolP8(headline: Headline): NonNullable<Headline['progress8']> {
  assert.ok(headline.progress8 !== null, 'the demo school has a Progress 8 score');
  return headline.progress8;
}

function found<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} is in the API's answer`);
  return value;
}

/** Follows a download link as the browser would and returns the CSV's header row. */
async function csvHeader(page: Page, name: RegExp): Promise<string> {
  const href = await page.getByRole('link', { name }).first().getAttribute('href');
  assert.ok(href !== null, 'the download link has an address');
  const response = await page.request.get(href);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'] ?? '', /^text\/csv/);
  assert.match(response.headers()['content-disposition'] ?? '', /attachment/);
  return (await response.text()).split('\r\n')[0] ?? '';
}

function card(page: Page, label: string) {
  return page
    .locator('.figure-card')
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator('.figure-card__value');
}

async function showResults(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Show results' }).click();
}

describe('analysis pages', { skip: browserMissing() }, () => {
  test('headline: figures match the API; a filter goes into the URL, survives a reload and moves with the menu', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    const school = e2e.demo.schoolId;
    const api = `/api/v1/schools/${school}/analysis`;
    await page.getByRole('link', { name: 'See the full analysis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Headline figures' }).waitFor();

    const headline = await getJson<Headline>(page, `${api}/headline`);
    const p8 = schoolP8(headline);
    await card(page, 'Attainment 8')
      .filter({ hasText: (headline.attainment8 ?? 0).toFixed(2) })
      .waitFor();
    assert.equal(await card(page, 'Progress 8').textContent(), signed(p8.progress8));
    const banding = page.locator('.figure-card .tag');
    assert.match((await banding.textContent()) ?? '', /average/i, 'the banding is given in words');
    await page.getByText(`95% confidence interval ${signed(p8.lower)} to ${signed(p8.upper)}`).waitFor();
    assert.equal(
      await card(page, 'Grade 4+ in English and maths').textContent(),
      `${Math.round((headline.basicsStandard ?? 0) * 100)}%`,
    );
    assert.equal(await card(page, 'English').textContent(), signed(p8.elements.english ?? 0));
    const subjects = page.getByRole('table', { name: /Average points by subject/ });
    const maths = found(
      headline.subjects.find((row) => row.subject === 'maths'),
      'maths',
    );
    await subjects
      .getByRole('row', {
        name: new RegExp(`^Mathematics ${maths.pupils} ${maths.averagePoints.toFixed(2)}$`),
      })
      .waitFor();
    await expectAccessible(page, 'analysis-headline');
    assert.match(await csvHeader(page, /headline figures \(CSV\)/), /^measure,value$/);

    // Predictions at the mock: the view is in the URL, so a reload (or a shared link) shows the same.
    const options = await getJson<Static<typeof AnalysisOptionsResponse>>(page, `${api}/options`);
    const mock = found(
      options.assessmentPoints.find((point) => point.facets.includes('prediction')),
      'a point with predictions',
    );
    await page.getByLabel('Assessment point').selectOption(mock.id);
    await page.getByLabel('Grades').selectOption('prediction');
    await page.getByLabel('Progress 8 estimates').selectOption('2023_revised');
    await showResults(page);
    await page.waitForURL(
      (url) =>
        url.searchParams.get('assessmentPoint') === mock.id &&
        url.searchParams.get('facet') === 'prediction' &&
        url.searchParams.get('estimates') === '2023_revised',
    );
    const predicted = await getJson<Headline>(
      page,
      `${api}/headline?assessmentPoint=${mock.id}&facet=prediction&estimates=2023_revised`,
    );
    assert.notEqual(predicted.attainment8, headline.attainment8, 'the demo school predicts differently');
    const predictedA8 = (predicted.attainment8 ?? 0).toFixed(2);
    await card(page, 'Attainment 8').filter({ hasText: predictedA8 }).waitFor();
    await page.getByText(`predicted grades at ${mock.name}`, { exact: false }).waitFor();
    await page.reload();
    await card(page, 'Attainment 8').filter({ hasText: predictedA8 }).waitFor();
    assert.equal(await page.getByLabel('Assessment point').inputValue(), mock.id);
    assert.equal(await page.getByLabel('Grades').inputValue(), 'prediction');
    const csv = await page.getByRole('link', { name: /headline figures \(CSV\)/ }).getAttribute('href');
    assert.match(csv ?? '', /facet=prediction/, 'downloads follow the view');

    // Moving to another report keeps the filters.
    await page
      .getByRole('navigation', { name: 'Analysis reports' })
      .getByRole('link', { name: 'Progress 8' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Progress 8' }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, `/schools/${school}/analysis/progress-8`);
    assert.equal(url.searchParams.get('facet'), 'prediction');
    assert.equal(url.searchParams.get('assessmentPoint'), mock.id);
    await page
      .getByRole('img', {
        name: new RegExp(literal(`Progress 8 is ${signed(schoolP8(predicted).progress8)}`)),
      })
      .waitFor();

    // A link to an assessment point that is not this school's: the server's message, not an error page.
    await page.goto(`/schools/${school}/analysis?assessmentPoint=00000000-0000-4000-8000-000000000000`);
    await page.getByRole('heading', { level: 1, name: 'Headline figures' }).waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: 'That assessment point was not found in this school.' })
      .waitFor();
    await expectAccessible(page, 'analysis-headline-unknown-point');
    await page.context().close();
  });

  test('Progress 8: the interval chart and tables match the API; the pupil table sorts; downloads are CSV', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    const school = e2e.demo.schoolId;
    const api = `/api/v1/schools/${school}/analysis`;
    await page.goto(`/schools/${school}/analysis/progress-8`);
    await page.getByRole('heading', { level: 1, name: 'Progress 8' }).waitFor();
    const p8 = schoolP8(await getJson<Headline>(page, `${api}/headline`));
    const report = await getJson<Static<typeof Progress8Response>>(page, `${api}/progress8`);

    const chart = page.getByRole('img', { name: /confidence interval/ });
    await chart.waitFor();
    assert.match(
      (await chart.getAttribute('aria-label')) ?? '',
      new RegExp(literal(`Progress 8 is ${signed(p8.progress8)}`)),
    );
    const intervalTable = page.getByRole('table', { name: /confidence interval: data table/ });
    await intervalTable
      .getByRole('row', {
        name: new RegExp(`^${literal(`${signed(p8.progress8)} ${signed(p8.lower)} ${signed(p8.upper)}`)}`),
      })
      .waitFor();
    await page
      .getByRole('table', { name: 'Progress 8 by element: data table' })
      .getByRole('row', { name: `Maths ${signed(p8.elements.maths ?? 0)}` })
      .waitFor();

    const pupils = page.getByRole('table', { name: /Progress 8: pupils 1 to/ });
    assert.equal(await pupils.locator('tbody tr').count(), Math.min(50, report.pupils.length));
    assert.match(
      (await pupils.locator('caption').textContent()) ?? '',
      new RegExp(`of ${report.pupils.length} `),
    );
    const scores = report.pupils
      .flatMap((pupil) => (pupil.progress8 === null ? [] : [pupil.progress8]))
      .sort((a, b) => a - b);
    const firstScore = () => pupils.locator('tbody tr').first().locator('td').last();
    assert.equal(await firstScore().textContent(), signed(scores.at(-1) ?? 0), 'highest first by default');
    const heading = pupils.getByRole('columnheader', { name: /Progress 8/ });
    assert.equal(await heading.getAttribute('aria-sort'), 'descending');
    await heading.getByRole('button').click();
    await page.waitForURL(
      (url) => url.searchParams.get('sort') === 'progress8' && url.searchParams.get('order') === 'asc',
    );
    // The address changes before the table is drawn again: wait for the header and the rows, not just the URL.
    await pupils.locator('th[aria-sort="ascending"]').filter({ hasText: 'Progress 8' }).waitFor();
    await firstScore()
      .filter({ hasText: new RegExp(`^${literal(signed(scores[0] ?? 0))}$`) })
      .waitFor();
    const firstLink = pupils.locator('tbody tr').first().getByRole('link');
    assert.match(
      (await firstLink.getAttribute('href')) ?? '',
      new RegExp(`^/schools/${school}/pupils/[0-9a-f-]{36}$`),
    );
    await expectAccessible(page, 'analysis-progress8');
    assert.match(await csvHeader(page, /Progress 8 \(CSV\)/), /^pupil id,KS2 average,/);

    // Year group filter: in the URL, and the API is asked for it.
    await page.getByLabel('Year group').selectOption('11');
    await showResults(page);
    await page.waitForURL((url) => url.searchParams.get('yearGroup') === '11');
    await page.getByText('for Year 11', { exact: false }).first().waitFor();
    await page.context().close();
  });

  test('subgroup gaps: the chart table matches the API; the subgroup and measure are kept in the URL', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    const school = e2e.demo.schoolId;
    const api = `/api/v1/schools/${school}/analysis`;
    await page.goto(`/schools/${school}/analysis/gaps`);
    await page.getByRole('heading', { level: 1, name: 'Subgroup gaps' }).waitFor();
    const gaps = await getJson<Static<typeof GapsResponse>>(page, `${api}/gaps`);
    const group = (dimension: string, value: string) =>
      found(
        gaps.dimensions
          .find((entry) => entry.dimension === dimension)
          ?.groups.find((entry) => entry.value === value),
        `${dimension} ${value}`,
      );
    const disadvantaged = group('disadvantaged', 'yes');
    const table = page.getByRole('table', {
      name: /each subgroup against the rest of the cohort: data table/,
    });
    await table
      .getByRole('row', {
        name: new RegExp(`^Disadvantaged \\(pupil premium\\) Disadvantaged ${disadvantaged.pupils} `),
      })
      .getByRole('cell', { name: signed(disadvantaged.gaps?.progress8 ?? 0), exact: true })
      .waitFor();
    await page.getByRole('img', { name: /Progress 8 for each subgroup/ }).waitFor();
    await expectAccessible(page, 'analysis-gaps');
    assert.match(await csvHeader(page, /every subgroup and measure \(CSV\)/), /^dimension,group,pupils,/);

    await page.getByLabel('Subgroups').selectOption('sex');
    await page.getByLabel('Measure').selectOption('basicsStandard');
    await showResults(page);
    await page.waitForURL(
      (url) =>
        url.searchParams.get('dimension') === 'sex' && url.searchParams.get('measure') === 'basicsStandard',
    );
    const female = group('sex', 'F');
    const femaleRow = page
      .getByRole('table', { name: /Grade 4\+ in English and maths: each subgroup/ })
      .getByRole('row', { name: new RegExp(`^Female ${female.pupils} `) });
    await femaleRow
      .getByRole('cell', { name: `${signed((female.gaps?.basicsStandard ?? 0) * 100, 1)} pts` })
      .waitFor();
    await page.reload();
    await femaleRow.waitFor();
    assert.equal(await page.getByLabel('Subgroups').inputValue(), 'sex');
    await expectAccessible(page, 'analysis-gaps-sex');
    await page.context().close();
  });

  test('targets: counts match the API, the grid uses symbols and words, a subject narrows it, downloads are CSV', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    const school = e2e.demo.schoolId;
    const api = `/api/v1/schools/${school}/analysis`;
    await page.goto(`/schools/${school}/analysis/targets`);
    await page.getByRole('heading', { level: 1, name: 'Progress against targets' }).waitFor();
    const targets = await getJson<Static<typeof TargetsResponse>>(page, `${api}/targets`);
    const overall = targets.tracking.overall;
    assert.equal(await card(page, 'Grades with a target').textContent(), String(overall.total));
    await page
      .locator('.figure-card')
      .filter({ hasText: 'Below target' })
      .filter({ hasText: String(overall.below) })
      .waitFor();
    const grid = page.getByRole('table', { name: /Grades against targets: pupils/ });
    const pupils = new Set(targets.pupils.map((pair) => pair.pupilId));
    assert.ok(pupils.size > 50, 'the demo school fills more than one page');
    assert.equal(await grid.locator('tbody tr').count(), 50, 'fifty pupils a page');
    assert.match(
      (await grid.locator('caption').textContent()) ?? '',
      new RegExp(`pupils 1 to 50 of ${pupils.size}`),
    );
    assert.ok(
      (await grid.getByText(/^Below target: grade \w+, target \w+$/).count()) > 0,
      'words beside symbols',
    );
    const mostBelow = Math.max(
      ...[...pupils].map(
        (id) => targets.pupils.filter((pair) => pair.pupilId === id && pair.status === 'below').length,
      ),
    );
    assert.equal(
      await grid.locator('tbody tr').first().locator('td').first().textContent(),
      String(mostBelow),
      'the pupils with most grades below target come first',
    );
    await page.getByRole('img', { name: /share of grades below, on and above target/ }).waitFor();
    await expectAccessible(page, 'analysis-targets');
    assert.match(await csvHeader(page, /counts by subject \(CSV\)/), /^subject,above,on,below,total$/);

    await page
      .getByRole('navigation', { name: 'Pages of pupils' })
      .getByRole('link', { name: /Next/ })
      .click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await grid.locator('caption').filter({ hasText: 'pupils 51 to 100' }).waitFor();

    await page.getByLabel('Subject', { exact: true }).selectOption('maths');
    await page.getByRole('button', { name: 'List pupils' }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('subject') === 'maths' && !url.searchParams.has('page'),
    );
    await grid.getByRole('columnheader', { name: 'English Language' }).waitFor({ state: 'detached' });
    const maths = targets.pupils.filter((pair) => pair.subject === 'maths');
    await grid.getByRole('columnheader', { name: 'Mathematics' }).waitFor();
    assert.equal(await grid.getByRole('columnheader').count(), 5, 'pupil, three counts and maths');
    assert.equal(await grid.locator('tbody tr').count(), Math.min(50, maths.length));
    await page.reload();
    await grid.getByRole('columnheader', { name: 'Mathematics' }).waitFor();
    assert.equal(await page.getByLabel('Subject', { exact: true }).inputValue(), 'maths');
    await page.context().close();
  });

  test('residuals: the chart table matches the API and the download is CSV', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    const school = e2e.demo.schoolId;
    await page.goto(`/schools/${school}/analysis/residuals`);
    await page.getByRole('heading', { level: 1, name: 'Subject residuals' }).waitFor();
    const residuals = await getJson<Static<typeof ResidualsResponse>>(
      page,
      `/api/v1/schools/${school}/analysis/residuals`,
    );
    const top = found(residuals.bySubject[0], 'a subject');
    const table = page.getByRole('table', { name: /Subject residuals: .*data table/ });
    await table
      .locator('tbody tr')
      .first()
      .filter({ hasText: top.subjectName })
      .filter({ hasText: signed(top.meanResidual) })
      .waitFor();
    assert.equal(await table.locator('tbody tr').count(), residuals.bySubject.length);
    await page.getByRole('img', { name: /mean residual in grades/ }).waitFor();
    await expectAccessible(page, 'analysis-residuals');
    assert.match(await csvHeader(page, /residuals by subject \(CSV\)/), /^subject,pupils,mean residual$/);
    await page.context().close();
  });

  test('a teacher with no classes sees every analysis page with an empty-cohort message, never an error', async () => {
    const teacher = await buildUser(e2e.services, 'teacher', e2e.demo.schoolId);
    const page = await e2e.newPage();
    await signIn(page, teacher.email, TEST_PASSWORD);
    const base = `/schools/${e2e.demo.schoolId}/analysis`;
    const pages = [
      ['', 'Headline figures'],
      ['/progress-8', 'Progress 8'],
      ['/gaps', 'Subgroup gaps'],
      ['/targets', 'Progress against targets'],
      ['/residuals', 'Subject residuals'],
    ] as const;
    for (const [path, title] of pages) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByRole('heading', { name: 'There is nothing to show for this view' }).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0, `${title}: no error`);
      assert.equal(await page.locator('.chart svg').count(), 0, `${title}: no chart of nobody`);
      await expectAccessible(page, `analysis-teacher${path.replace('/', '-')}`);
    }
    await page.context().close();
  });
});
