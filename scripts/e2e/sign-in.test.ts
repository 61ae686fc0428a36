import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { useBrowserApp } from '../testing/support/browser.ts';

describe('the app signs in against the local stack (Chromium)', () => {
  const ctx = useBrowserApp({ fullName: 'Signe Inn' });

  it('has no serious or critical accessibility violations on the sign-in screen', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.app.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('refuses a wrong password with a message a person understands', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.app.url}/sign-in`);
    await page.getByLabel('Email').fill(ctx.member.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/invalid email or password/i);
    await page.close();
  });

  it('signs in, keeps the session across a reload, and signs out', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(ctx.app.url);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(ctx.member.email);
    await page.getByLabel('Password').fill(ctx.member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const userMenu = page.getByRole('button', { name: /Signe Inn/ });
    await userMenu.waitFor({ timeout: 10_000 });
    await page.reload();
    await userMenu.waitFor({ timeout: 10_000 });
    await userMenu.click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/, { timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // Signed out for real: the shell is closed again.
    await page.goto(`${ctx.app.url}/customers`);
    await page.waitForURL(/\/sign-in/, { timeout: 10_000 });
    await page.close();
  });
});
