// End-to-end support: the real app (built web app + API over a test database) listening on loopback, driven
// by Debian's Chromium through playwright-core, with axe checking every page against WCAG 2.2 AA.
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import pino from 'pino';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildApp, type HavenApp } from '../../../src/app.ts';
import { ensureWebBuilt } from '../../../src/cli/web-build.ts';
import { ensureDemoSchool, type DemoSchool } from '../../../src/modules/imports/demo.service.ts';
import { freePort } from '../../support/cli.ts';
import { createTestServices, type TestServices } from '../../support/services.ts';

export const CHROMIUM = process.env.HAVEN_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', '..', 'test-results', 'e2e');

/**
 * Why the browser tests cannot run here, or undefined when they can. In CI a missing browser is a failure
 * (.ci/run installs it), never a silent skip.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) {
    return undefined;
  }
  if (process.env.CI !== undefined) {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
  }
  return `no browser at ${CHROMIUM} (apt-get install chromium, or set HAVEN_CHROMIUM)`;
}

export interface E2e {
  readonly services: TestServices;
  readonly baseUrl: string;
  /** The synthetic demo school (180 pupils, KS2, a year of results) and its account. */
  readonly demo: DemoSchool;
  newPage(): Promise<Page>;
}

let built: Promise<unknown> | undefined;

function need<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new Error('useE2e: used before the before() hook ran');
  }
  return value;
}

/** One server, database and browser for a test file; each test opens its own pages (own cookies). */
export function useE2e(): E2e {
  let services: TestServices | undefined;
  let app: HavenApp | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let demo: DemoSchool | undefined;
  before(async () => {
    built ??= ensureWebBuilt();
    await built;
    // The public address is known before the app is built: links in e-mails and the OAuth server's
    // issuer point at it, as they would in production.
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    services = { ...(await createTestServices()), publicUrl: baseUrl };
    demo = await ensureDemoSchool(services, `demo-${process.pid}@example.invalid`);
    app = await buildApp({ services, logger: pino({ level: 'silent' }) });
    await app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await services?.close();
  });
  return {
    get services() {
      return need(services);
    },
    get baseUrl() {
      return baseUrl;
    },
    get demo() {
      return need(demo);
    },
    async newPage() {
      const context = await need(browser).newContext({
        baseURL: baseUrl,
        locale: 'en-GB',
        timezoneId: 'Europe/London',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
  };
}

/**
 * Axe over the whole page (WCAG 2.0, 2.1 and 2.2, A and AA): zero violations, listed by rule and element
 * when there are any. Also saves a screenshot (git-ignored) for a person to look at.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const problems = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n    ${violation.nodes
        .slice(0, 5)
        .map((node) => node.target.join(' '))
        .join('\n    ')}`,
  );
  assert.deepEqual(problems, [], `accessibility violations on ${name}`);
}

/** The element that has keyboard focus. */
export function focused(page: Page): Locator {
  return page.locator(':focus');
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
