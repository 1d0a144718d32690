// Journeys: an app developer registers an app (secret shown once); a school administrator, sent by the app
// to Haven, signs in, reads what the app asks for and approves it; the app gets a code and reads data; the
// school withdraws access on its Apps page and the app's token stops working; a declined request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PLATFORM_ORG_ID } from '../../src/platform/audit/audit-log.ts';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { basicAuth, pkcePair, startClientApp } from '../support/oauth-client.ts';
import { browserMissing, expectAccessible, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();
let client: Awaited<ReturnType<typeof startClientApp>>;
let registered = { clientId: '', clientSecret: '' };

before(async () => {
  client = await startClientApp();
});
after(async () => {
  await new Promise<void>((resolve) => client.server.close(() => resolve()));
});

function authoriseUrl(challenge: string): string {
  const query = new URLSearchParams({
    client_id: registered.clientId,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope: 'school students.basic students.upn',
    state: 'from-the-app',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${e2e.baseUrl}/oauth/auth?${query.toString()}`;
}

describe('third-party apps', { skip: browserMissing() }, () => {
  test('a developer registers an app and sees its secret once', async () => {
    const developer = await buildUser(e2e.services, 'app_developer', PLATFORM_ORG_ID);
    const page = await e2e.newPage();
    await signIn(page, developer.email, TEST_PASSWORD);
    await page.waitForURL('**/developer');
    await page.getByText('You have not registered an app yet.').waitFor();
    await page.getByRole('button', { name: 'Register the app' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    await expectAccessible(page, 'developer-errors');

    await page.getByLabel('App name').fill('Reading Tracker (synthetic)');
    await page
      .getByLabel('What the app does with the data')
      .fill('Shows teachers which books each pupil has read this term.');
    await page.getByLabel('Privacy notice address').fill('https://reading.example.invalid/privacy');
    await page.getByLabel('Redirect addresses').fill(client.redirectUri);
    for (const [scope, required, reason] of [
      ['school', true, 'To show the school name'],
      ['students.basic', true, 'To list each class'],
      ['students.upn', false, 'To keep reading records when pupils move school'],
    ] as const) {
      const item = page.getByRole('listitem').filter({ hasText: `(${scope})` });
      await item.getByRole('checkbox', { name: new RegExp(`\\(${scope.replace('.', '\\.')}\\)`) }).check();
      if (required) {
        await item.getByRole('checkbox', { name: /required/ }).check();
      }
      await item.getByRole('textbox').fill(reason);
    }
    await page.getByLabel('I accept the Haven developer terms').check();
    await page.getByRole('button', { name: 'Register the app' }).click();
    await page.getByRole('heading', { name: 'Copy the client secret now' }).waitFor();
    registered = {
      clientId: (await page.locator('.secret-box code').first().textContent()) ?? '',
      clientSecret: (await page.locator('.secret-box code.secret').textContent()) ?? '',
    };
    assert.match(registered.clientSecret, /^hs_/);
    await expectAccessible(page, 'developer-registered');
    await page.reload();
    await page.getByRole('heading', { name: 'Reading Tracker (synthetic)' }).waitFor();
    assert.equal(await page.getByText(registered.clientSecret).count(), 0, 'the secret is never shown again');
    await page.context().close();
  });

  test('a school admin approves the app from its request; the app reads data; the school withdraws it', async () => {
    assert.notEqual(registered.clientId, '', 'the app was registered by the previous test');
    const { verifier, challenge } = pkcePair();
    const page = await e2e.newPage();
    await page.goto(authoriseUrl(challenge));
    await page.waitForURL('**/sign-in?next=*');
    await page.getByLabel('Email address').fill(e2e.demo.email);
    await page.getByLabel('Password', { exact: true }).fill(e2e.demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('heading', { name: 'Reading Tracker (synthetic) asks to read your school’s data' })
      .waitFor();
    const upn = page.getByRole('checkbox', { name: /Unique pupil numbers/ });
    assert.equal(await upn.isChecked(), false, 'optional scopes start unticked');
    assert.equal(
      await page.getByRole('checkbox', { name: /Pupils. names/ }).isDisabled(),
      true,
      'required ones are fixed',
    );
    await page.getByText('Why this matters: A lifelong national identifier').waitFor();
    await expectAccessible(page, 'app-consent');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${client.redirectUri}?*`);
    const answer = new URL(page.url()).searchParams;
    assert.equal(answer.get('state'), 'from-the-app');
    const code = answer.get('code') ?? '';

    const issued = await fetch(`${e2e.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuth(registered.clientId, registered.clientSecret),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    assert.equal(issued.status, 200, await issued.clone().text());
    const { access_token: accessToken } = (await issued.json()) as { access_token: string };
    const students = await fetch(`${e2e.baseUrl}/api/apps/v1/students?per_page=5`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(students.status, 200);
    assert.equal(students.headers.get('total'), '180');
    const pupils = (await students.json()) as Array<Record<string, unknown>>;
    assert.ok(
      pupils.every((pupil) => !('upn' in pupil)),
      'the optional UPN was not approved',
    );

    await page.goto(`/schools/${e2e.demo.schoolId}/apps`);
    const card = page.getByRole('listitem').filter({ hasText: 'Reading Tracker (synthetic)' }).first();
    await card.getByText('Requests so far').waitFor();
    await card.getByText("Pupils' names, year groups and registration groups").waitFor();
    await expectAccessible(page, 'school-apps');
    await card.getByRole('button', { name: 'Withdraw access for Reading Tracker (synthetic)' }).click();
    await card.getByRole('button', { name: 'Yes, withdraw access' }).click();
    await page.getByText('No app has access to your school’s data.').waitFor();
    const refused = await fetch(`${e2e.baseUrl}/api/apps/v1/school`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(refused.status, 401, 'the token stopped working at once');
    await page.context().close();
  });

  test('a declined request sends the browser back to the app with access_denied', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    await page.goto(authoriseUrl(pkcePair().challenge));
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.waitForURL(`${client.redirectUri}?*`);
    assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
    await page.context().close();
  });
});
