import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { createOrder, uniqueTag } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

async function customerNamed(firstName: string, lastName: string, ownerId: string | null): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, owner_id) values ($1, $2, $3, $4) returning id`,
    [firstName, lastName, `${firstName}.${lastName}@example.test`.toLowerCase(), ownerId],
  );
  return id;
}

describe('global search (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Sam Searcher' });
  // A surname no other test or the demo data uses, so the results are known exactly.
  const surname = `Quill${uniqueTag()}`;
  let mine: string;
  let orderId: string;
  let orderNumber: string;

  beforeAll(async () => {
    mine = await customerNamed('Zephyrine', surname, ctx.member.userId);
    // Same surname, another owner: the agent must not find them.
    await customerNamed('Theodora', surname, null);
    orderId = await createOrder({ customerId: mine, total: 42 });
    orderNumber = `#${String(Date.now()).slice(-9)}`;
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [orderId, orderNumber]);
  });

  async function signedInPage(): Promise<Page> {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, ctx.app.url, ctx.member);
    return page;
  }

  it("opens with Ctrl+K, finds the agent's customer by part of the name, and Enter opens the customer", async () => {
    const page = await signedInPage();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    const input = dialog.getByRole('combobox', { name: 'Search customers and orders' });
    await input.waitFor();
    await page.keyboard.type(`phyrine ${surname.slice(0, 8)}`);

    const listbox = dialog.getByRole('listbox', { name: 'Search results' });
    const option = listbox.getByRole('option', { name: new RegExp(`Zephyrine ${surname}`) });
    await option.waitFor({ timeout: 10_000 });
    // Only the agent's own customer: the other one with this surname is not theirs.
    expect(await listbox.getByRole('option').allTextContents()).toEqual([
      expect.stringContaining(`Zephyrine ${surname}`),
    ]);
    expect(await option.locator('mark').first().textContent()).toBe(`phyrine ${surname.slice(0, 8)}`);
    expect(await option.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/customers/${mine}$`));
    await dialog.waitFor({ state: 'detached' });
    await page.close();
  });

  it('finds an order by its number without the #, and opens it from the keyboard', async () => {
    const page = await signedInPage();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('combobox').waitFor();
    await page.keyboard.type(orderNumber.slice(1));
    const orders = dialog.getByRole('group', { name: 'Orders' });
    const option = orders.getByRole('option', { name: new RegExp(orderNumber) });
    await option.waitFor({ timeout: 10_000 });
    expect(await option.textContent()).toContain(`Zephyrine ${surname}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/orders/${orderId}$`));
    await page.close();
  });

  it('says plainly when nothing matches, and Escape closes', async () => {
    const page = await signedInPage();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('combobox').waitFor();
    await page.keyboard.type(`Theodora ${surname}`);
    await dialog.getByText(`No results for “Theodora ${surname}”`).waitFor({ timeout: 10_000 });
    expect(await dialog.getByRole('listbox').count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.close();
  });
});
