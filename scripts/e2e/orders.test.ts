/**
 * Orders in Chromium against the local stack: search and filter through the URL, the detail
 * with both currencies and the rate at order time, the link back to the customer, and RLS
 * (an agent finds no order of a customer they do not own).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signedInPage, useBrowserApp } from '../testing/support/browser.ts';
import { createCustomer, createOrder, currencies, uniqueTag } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);

describe('orders (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Otto Orders' });
  let agent: AppUser;
  let base: string;
  let foreign: string;
  let tag: string;
  let customerName: string;
  let customerId: string;
  let paidNumber: string;
  let pendingNumber: string;

  beforeAll(async () => {
    agent = await createTeamMember({ role: 'agent', fullName: 'Anouk Agent', prefix: 'orders-agent' });
    ({ base, foreign } = await currencies());
    tag = uniqueTag();
    customerId = await createCustomer(null);
    customerName = `Olive Ordway${tag}`;
    await adminSql(`update public.customers set first_name = 'Olive', last_name = $2 where id = $1`, [
      customerId,
      `Ordway${tag}`,
    ]);
    const paid = await createOrder({ customerId, currency: foreign, total: 200, exchangeRate: 0.9 });
    const pending = await createOrder({ customerId, currency: base, total: 35, financialStatus: 'pending' });
    paidNumber = `#E2E-${tag}-1`;
    pendingNumber = `#E2E-${tag}-2`;
    await adminSql(
      `update public.orders set order_number = $2, subtotal = 190, shipping_total = 10, carrier = 'DHL',
         tracking_number = 'JD0123', tracking_url = 'https://tracking.example.com/JD0123',
         shipping_name = 'Olive Ordway', shipping_city = 'Lyon', shipping_country = 'FR', fulfillment_status = 'fulfilled'
       where id = $1`,
      [paid, paidNumber],
    );
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [pending, pendingNumber]);
    await adminSql(
      `insert into public.order_items (order_id, external_id, title, variant_title, sku, vendor, quantity, unit_price)
       values ($1, 7001, 'Linen shirt', 'M / Sand', 'LIN-M-SAND', 'Vela', 2, 95)`,
      [paid],
    );
    // A Shopify fulfilment of the line (issue 11).
    await adminSql(
      `insert into public.order_fulfillments (order_id, external_id, name, status, shipment_status, tracking_company,
         tracking_number, tracking_url, line_items, external_created_at, external_updated_at)
       values ($1, 9001, $2, 'success', 'delivered', 'UPS', '1Z0042', 'https://www.ups.com/track?tracknum=1Z0042',
         '[{"lineItemId": 7001, "quantity": 2}]', now(), now())`,
      [paid, `${paidNumber}.1`],
    );
  }, 60_000);

  it('finds orders by number or customer, filters by status, and keeps it all in the URL', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/orders`);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(customerName);
    await page.waitForURL((url) => url.searchParams.get('q') === customerName);
    const table = page.getByRole('table', { name: 'Orders' });
    // The previous results stay on screen until the search answers; then only this customer's two.
    await expect.poll(() => table.getByRole('row').count(), { timeout: 10_000 }).toBe(3);
    await table.getByRole('link', { name: pendingNumber }).waitFor();
    const paidRow = table.getByRole('row').filter({ hasText: paidNumber });
    expect(await paidRow.textContent()).toContain(`${money(180, base)}${money(200, foreign)}`);
    expect(await paidRow.textContent()).toContain('Shipped');

    await page.getByRole('combobox', { name: 'Status' }).selectOption('pending');
    await page.waitForURL((url) => url.searchParams.get('status') === 'pending');
    await table.getByRole('row').filter({ hasText: paidNumber }).waitFor({ state: 'detached' });
    expect(await table.getByRole('link', { name: pendingNumber }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // The URL is the state: opened afresh, the same filters come back.
    await page.reload();
    await page.getByRole('table', { name: 'Orders' }).getByRole('link', { name: pendingNumber }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe(customerName);
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('pending');
    await page.close();
  });

  it('goes from the list to the order, and from the order to its customer', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    // Typed without Shopify's "#": still found.
    await page.goto(`${ctx.app.url}/orders?q=${encodeURIComponent(paidNumber.slice(1))}`);
    await page.getByRole('link', { name: paidNumber }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${paidNumber}` }).waitFor({ timeout: 10_000 });
    expect(await page.title()).toBe(`Order ${paidNumber} · Cairn`);

    const amounts = page.getByRole('region', { name: 'Amounts' });
    await amounts.getByText(money(180, base)).waitFor();
    expect(await amounts.textContent()).toContain(`Total${money(200, foreign)}`);
    expect(await amounts.textContent()).toContain(`Exchange rate at order time1 ${foreign} = 0.9 ${base}`);
    const item = page.getByRole('table', { name: 'Items' }).getByRole('row').filter({ hasText: 'Linen shirt' });
    expect(await item.textContent()).toBe(
      `Linen shirt · M / SandVela · SKU LIN-M-SAND2${money(95, foreign)}${money(190, foreign)}`,
    );
    await page.getByRole('link', { name: /JD0123/ }).waitFor();
    const fulfilments = page.getByRole('region', { name: 'Fulfilments' });
    await fulfilments.getByRole('link', { name: /1Z0042/ }).waitFor();
    expect(await fulfilments.textContent()).toContain('2 × Linen shirt · M / Sand');
    await page.getByText('Paid', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: customerName }).click();
    await page.waitForURL(new RegExp(`/customers/${customerId}$`));
    await page.getByRole('heading', { level: 1, name: customerName }).waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.getByRole('table', { name: 'This customer’s orders' }).getByRole('link', { name: paidNumber }).waitFor();
    await page.close();
  });

  it('shows an agent no order of a customer they do not own, and says so plainly', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, agent);
    await page.goto(`${ctx.app.url}/orders?q=${encodeURIComponent(paidNumber)}`);
    await page.getByRole('heading', { name: 'No orders match' }).waitFor({ timeout: 10_000 });
    const [order] = await adminSql<{ id: string }>(`select id from public.orders where order_number = $1`, [
      paidNumber,
    ]);
    await page.goto(`${ctx.app.url}/orders/${order.id}`);
    await page.getByRole('heading', { level: 1, name: 'Order not available' }).waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
