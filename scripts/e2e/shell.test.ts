import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

const SECTIONS = [
  'Dashboard',
  'Customers',
  'Inbox',
  'Orders',
  'Pipeline',
  'My tasks',
  'Segments',
  'Automation',
  'Campaigns',
  'Analytics',
  'Privacy',
  'Settings',
];

describe('the app shell (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Grace Hopper' });

  async function signedInPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await ctx.browser.newPage({ viewport });
    await signIn(page, ctx.app.url, ctx.member);
    return page;
  }

  it('shows every section in the sidebar, each with its own page', async () => {
    const page = await signedInPage();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(SECTIONS);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    await nav.getByRole('link', { name: 'Customers' }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Customers' }).getAttribute('aria-current')).toBe('page');
    expect(await page.title()).toBe('Customers · Cairn');

    // Every section is a real page now: a few of them, by their headings.
    for (const section of ['Inbox', 'My tasks', 'Segments']) {
      await nav.getByRole('link', { name: section }).click();
      await page.getByRole('heading', { name: section, level: 1 }).waitFor();
      expect(await nav.getByRole('link', { name: section }).getAttribute('aria-current')).toBe('page');
    }

    // Deep links work too.
    await page.goto(`${ctx.app.url}/orders`);
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('opens global search with Ctrl+K and shows its empty state', async () => {
    const page = await signedInPage();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    const input = dialog.getByRole('combobox', { name: 'Search customers and orders' });
    await input.waitFor();
    expect(await page.evaluate<string | null>(`document.activeElement?.getAttribute('type') ?? null`)).toBe('search');
    await dialog.getByText('Type to search customers and orders').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.close();
  });

  it('shows the member and role, and switches to German at once, saved in team_members', async () => {
    const page = await signedInPage();
    await page.getByRole('button', { name: /Grace Hopper/ }).click();
    const panel = page.getByRole('group', { name: 'Account' });
    await panel.getByText(ctx.member.email).waitFor();
    await panel.getByText('Manager').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await panel.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'Kunden', exact: true }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('de');
    await expect
      .poll(
        async () =>
          (
            await adminSql<{ language: string }>(`select language from public.team_members where user_id = $1`, [
              ctx.member.userId,
            ])
          )[0]?.language,
      )
      .toBe('de');

    await page
      .getByRole('group', { name: 'Konto' })
      .getByRole('combobox', { name: 'Zeitzone' })
      .selectOption('Asia/Tokyo');
    await expect
      .poll(
        async () =>
          (
            await adminSql<{ timezone: string }>(`select timezone from public.team_members where user_id = $1`, [
              ctx.member.userId,
            ])
          )[0]?.timezone,
      )
      .toBe('Asia/Tokyo');

    // The choice follows the person: a fresh browser signs in (in English) and turns German.
    const fresh = await signedInPage();
    await fresh.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor({ timeout: 10_000 });
    await fresh.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    await fresh.close();

    await page.getByRole('group', { name: 'Konto' }).getByRole('combobox', { name: 'Sprache' }).selectOption('en');
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('folds the sidebar behind a menu button on a 390 px phone', async () => {
    const page = await signedInPage({ width: 390, height: 844 });
    const menu = page.getByRole('button', { name: 'Menu' });
    const customers = page.getByRole('link', { name: 'Customers', exact: true });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await customers.isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await customers.waitFor({ state: 'visible' });
    await customers.click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => customers.isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('lets a member rename themselves on the profile page, saved in team_members', async () => {
    const page = await signedInPage();
    await page.goto(`${ctx.app.url}/settings/profile`);
    const name = page.getByRole('textbox', { name: 'Full name' });
    await name.waitFor({ timeout: 10_000 });
    await name.fill('Grace B. Hopper');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Profile saved').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: /Grace B\. Hopper/ }).waitFor();
    expect(
      (
        await adminSql<{ full_name: string }>(`select full_name from public.team_members where user_id = $1`, [
          ctx.member.userId,
        ])
      )[0]?.full_name,
    ).toBe('Grace B. Hopper');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
