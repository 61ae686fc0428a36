import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startApp, type RunningApp } from '../support/browser.ts';
import { serviceClient, uniqueEmail } from '../support/stack.ts';

describe('the app signs in against the local stack (Chromium)', () => {
  let app: RunningApp;
  let browser: Browser;
  const email = uniqueEmail('e2e');
  const password = 'e2e-password-1';

  beforeAll(async () => {
    const created = await serviceClient().auth.admin.createUser({ email, password, email_confirm: true });
    if (created.error) throw created.error;
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('refuses a wrong password with a message a person understands', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/invalid email or password/i);
    await page.close();
  });

  it('signs in, keeps the session across a reload, and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${email}`).waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByText(`Signed in as ${email}`).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/, { timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });
});
