// Journeys: sign in (with and without two-factor), keyboard-only use, the idle-timeout warning, sessions,
// password reset by e-mailed link, and sign out — each page checked with axe.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { TEST_PASSWORD, buildUser } from '../support/auth.ts';
import { tokenFromLatestMail } from '../support/services.ts';
import { browserMissing, expectAccessible, focused, signIn, useE2e } from './support/e2e.ts';

const e2e = useE2e();

describe('signing in', { skip: browserMissing() }, () => {
  test('a new visitor is sent to sign in; a mistake is explained at the top and by the field', async () => {
    const page = await e2e.newPage();
    await page.goto('/');
    await page.waitForURL('**/sign-in?next=%2F');
    await expectAccessible(page, 'sign-in');

    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    assert.equal(await focused(page).getAttribute('class'), 'error-summary', 'the summary has focus');
    await summary.getByRole('link', { name: 'Enter your email address' }).click();
    assert.equal(await focused(page).getAttribute('id'), 'email', 'the link leads to the field');
    await expectAccessible(page, 'sign-in-errors');

    await page.getByLabel('Email address').fill(e2e.demo.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The e-mail address or password is not right').waitFor();
    await page.context().close();
  });

  test('the demo account signs in with the keyboard alone and lands on its school home', async () => {
    const page = await e2e.newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Haven' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await focused(page).textContent(), 'Skip to main content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type(e2e.demo.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(e2e.demo.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/schools/${e2e.demo.schoolId}`);
    await page.getByRole('heading', { level: 1, name: e2e.demo.name }).waitFor();
    await page.getByText('Progress 8', { exact: true }).waitFor();
    await expectAccessible(page, 'school-home');

    await page.getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('link', { name: 'See and end your sessions' }).click();
    await page.getByRole('table').getByText('This browser').waitFor();
    await expectAccessible(page, 'sessions');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`/schools/${e2e.demo.schoolId}`);
    await page.waitForURL('**/sign-in?next=*');
    await page.context().close();
  });

  test('two-factor sign-in: set up with the QR key, recovery codes shown once, then asked for at sign-in', async () => {
    const school = e2e.demo.schoolId;
    const user = await buildUser(e2e.services, 'senior_leader', school);
    const page = await e2e.newPage();
    await signIn(page, user.email, TEST_PASSWORD);
    await page.goto('/account/two-factor');
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await page.locator('code.secret').textContent()) ?? '';
    assert.match(secret, /^[A-Z2-7]+=*$/);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    await page.getByLabel('Code from your app').fill(totp.generate());
    await page.getByLabel('Your password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    assert.equal(await page.locator('.recovery-codes li').count(), 10);
    await expectAccessible(page, 'two-factor-recovery-codes');
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await page.getByText(/^On/).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    assert.equal(await focused(page).getAttribute('id'), 'totp', 'the code field has focus');
    await expectAccessible(page, 'sign-in-code');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /That code is not right/ }).waitFor();
    // The newest code may be the one already spent setting up: the next step's code is as good.
    await code.fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/schools/${school}`);
    await page.context().close();
  });

  test('two minutes before the idle timeout a dialog warns, and "Stay signed in" keeps the session', async () => {
    const page = await e2e.newPage();
    await page.clock.install();
    await signIn(page, e2e.demo.email, e2e.demo.password);
    // Every answered request restarts the idle clock: let the home page's own requests finish first.
    await page.getByText('Progress 8', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    const dialog = page.getByRole('dialog', { name: 'You are about to be signed out' });
    assert.equal(await dialog.isVisible(), false);
    const idleMinutes = e2e.services.auth.sessionIdleMinutes;
    await page.clock.fastForward((idleMinutes * 60 - 110) * 1000);
    await dialog.waitFor();
    await expectAccessible(page, 'idle-warning');
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.clock.fastForward((idleMinutes * 60 + 5) * 1000);
    await page.waitForURL('**/sign-in?reason=idle');
    await page.getByText('You were signed out because Haven had not been used for a while').waitFor();
    await page.context().close();
  });

  test('a forgotten password is reset through the e-mailed link, which works once', async () => {
    const user = await buildUser(e2e.services, 'teacher', e2e.demo.schoolId);
    const page = await e2e.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await expectAccessible(page, 'forgot-password');
    await page.getByLabel('Email address').fill(user.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const token = await tokenFromLatestMail(e2e.services);

    await page.goto(`/reset-password#token=${token}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Type the new password again').fill('a different passphrase');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByRole('link', { name: 'The two passwords are not the same' }).waitFor();
    await expectAccessible(page, 'reset-password-errors');
    await page.getByLabel('Type the new password again').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByText('Your password has been set').waitFor();
    await signIn(page, user.email, 'a brand new passphrase');

    await page.goto(`/reset-password#token=${token}`);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await page.context().close();
  });
});
