import { describe, expect, it } from 'vitest';
import { useBrowserApp } from '../testing/support/browser.ts';
import { anonClient, firstLink, mail } from '@cairn/local-stack/testing.ts';

describe('password reset, end to end through the mail catcher (Chromium)', () => {
  const ctx = useBrowserApp({ fullName: 'Rita Reset' });
  const newPassword = 'A-brand-new-password-1';

  it('sends a link that leads back to the app, where a new password replaces the old one', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.app.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    // The URL changes before the lazy page replaces the sign-in form (which has an Email field too).
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(ctx.member.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText(`If an account exists for ${ctx.member.email}`).waitFor({ timeout: 10_000 });

    const message = await mail.waitFor(ctx.member.email, (m) => /reset/i.test(m.subject));
    const link = firstLink(message);
    // The link goes through the auth server and names this app's reset page as where to come back.
    expect(new URL(link).searchParams.get('redirect_to')).toBe(`${ctx.app.url}/reset-password`);

    await page.goto(link);
    await page.waitForURL(/\/reset-password/, { timeout: 10_000 });
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill('not-the-same');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByText('The passwords do not match').waitFor();

    await page.getByLabel('Confirm new password').fill(newPassword);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 });
    await page.getByText('Your password has been changed.').waitFor();
    await page.getByRole('button', { name: /Rita Reset/ }).waitFor({ timeout: 10_000 });

    // The old password no longer works; the new one does.
    const old = await anonClient().auth.signInWithPassword({ email: ctx.member.email, password: ctx.member.password });
    expect(old.error?.code).toBe('invalid_credentials');
    const fresh = await anonClient().auth.signInWithPassword({ email: ctx.member.email, password: newPassword });
    expect(fresh.error).toBeNull();

    // A reset link works once: opened again it explains that and offers a new one.
    const second = await ctx.browser.newPage();
    await second.goto(link);
    await second.getByRole('heading', { name: 'This link has expired' }).waitFor({ timeout: 10_000 });
    await second.getByRole('link', { name: 'Request a new link' }).waitFor();
    await second.close();
    await page.close();
  });

  it('does not tell whether an address has an account', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.app.url}/forgot-password`);
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill('nobody-here@example.test');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('If an account exists for nobody-here@example.test').waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('sends someone without a session who opens the reset page to request a link', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.app.url}/reset-password`);
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor({ timeout: 10_000 });
    await page.close();
  });
});
