/**
 * Shared data reaches every screen at once (issue 10): a tag or custom field made in Settings is
 * offered by the customers list and form on the next visit, without a reload, because every
 * screen reads them through one query per entity and every change invalidates it.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

const run = randomUUID().slice(0, 8);

// Several screens in Chromium on a small shared machine: above the 30 s default.
const BROWSER_TEST_TIMEOUT = 120_000;

describe('shared data across features (Chromium)', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Sheila Shared' });

  async function signedInPage(): Promise<Page> {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    return page;
  }

  it(
    'offers a tag and a custom field made in Settings in the customers filters and form, no reload',
    async () => {
      const tagName = `fresh-${run}`;
      const fieldLabel = `Fresh ${run}`;
      const lastName = `Tagged${run}`;
      const [customer] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, source)
         values ('E2E', $1, $2, 'manual') returning id`,
        [lastName, `${lastName.toLowerCase()}@example.test`],
      );

      const page = await signedInPage();
      const nav = page.getByRole('navigation', { name: 'Main' });
      // Customers first, so its lists are cached before Settings changes them.
      await nav.getByRole('link', { name: 'Customers' }).click();
      const tagFilter = page.getByRole('combobox', { name: 'Tag', exact: true });
      await tagFilter.locator('option').nth(1).waitFor({ state: 'attached', timeout: 15_000 });

      await nav.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: /^Tags/ }).click();
      await page.getByRole('button', { name: 'New tag' }).first().click();
      const tagForm = page.getByRole('form', { name: 'New tag' });
      await tagForm.getByLabel('Name').fill(tagName);
      await tagForm.getByLabel('Name').press('Enter');
      await page.getByText(`Tag “${tagName}” created`).waitFor({ timeout: 10_000 });
      await adminSql(
        `insert into public.customer_tags (customer_id, tag_id) select $1, id from public.tags where name = $2`,
        [customer.id, tagName],
      );

      await nav.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: /^Custom fields/ }).click();
      await page.getByRole('button', { name: 'New field' }).first().click();
      const fieldForm = page.getByRole('form', { name: 'New custom field' });
      await fieldForm.getByLabel('Label').fill(fieldLabel);
      await fieldForm.getByRole('button', { name: 'Create field' }).click();
      await page.getByText(`Field “${fieldLabel}” created`).waitFor({ timeout: 10_000 });

      await nav.getByRole('link', { name: 'Customers' }).click();
      await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
      await expect.poll(() => tagFilter.locator('option').allTextContents(), { timeout: 10_000 }).toContain(tagName);
      await tagFilter.selectOption({ label: tagName });
      const table = page.getByRole('table');
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
      await table.getByRole('link', { name: `E2E ${lastName}` }).waitFor();

      await page.getByRole('button', { name: 'New customer' }).click();
      await page.getByRole('dialog', { name: 'New customer' }).getByLabel(fieldLabel).waitFor({ timeout: 10_000 });
      expect(page.url()).not.toContain('sign-in');
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
