import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { submitSignIn, useBrowserApp } from '../testing/support/browser.ts';
import { createCustomer, createOrder } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

const ZONE = 'Europe/Berlin';

interface Expected {
  customers: number;
  new_this_month: number;
  new_last_month: number;
  orders_this_month: number;
  orders_last_month: number;
  revenue_this_month: string;
  revenue_last_month: string;
  aov_this_month: string;
  base: string;
}

/**
 * The agent's figures computed here, independently of dashboard_kpis(): the same questions asked
 * in plain SQL over the rows the agent owns, months taken in the agent's zone.
 */
async function expectedFigures(ownerId: string): Promise<Expected> {
  const [row] = await adminSql<Expected>(
    `with bounds as (
       select date_trunc('month', now() at time zone $2) as this_month,
              date_trunc('month', now() at time zone $2) - interval '1 month' as last_month
     ),
     mine as (
       select o.placed_at at time zone $2 as local_at, o.net_total_base
       from public.orders o join public.customers c on c.id = o.customer_id
       where c.owner_id = $1 and o.counts_as_purchase
     )
     select
       (select count(*)::int from public.customers where owner_id = $1) as customers,
       (select count(*)::int from public.customers, bounds where owner_id = $1 and created_at at time zone $2 >= this_month) as new_this_month,
       (select count(*)::int from public.customers, bounds where owner_id = $1
          and created_at at time zone $2 >= last_month and created_at at time zone $2 < this_month) as new_last_month,
       (select count(*)::int from mine, bounds where local_at >= this_month) as orders_this_month,
       (select count(*)::int from mine, bounds where local_at >= last_month and local_at < this_month) as orders_last_month,
       (select coalesce(sum(net_total_base), 0)::text from mine, bounds where local_at >= this_month) as revenue_this_month,
       (select coalesce(sum(net_total_base), 0)::text from mine, bounds where local_at >= last_month and local_at < this_month) as revenue_last_month,
       (select coalesce(round(avg(net_total_base), 2), 0)::text from mine, bounds where local_at >= this_month) as aov_this_month,
       (select base_currency from public.workspace_settings) as base`,
    [ownerId, ZONE],
  );
  return row;
}

const money = (amount: string | number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));
const count = (value: number) => new Intl.NumberFormat('en').format(value);

describe('the dashboard (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Dana Dashboard' });
  /** An order at 23:30 UTC on the last day of last month: already this month in Berlin. */
  let boundaryOrderAt: string;
  /** An order at 23:30 UTC yesterday: today in Berlin. */
  let lateOrderAt: string;

  beforeAll(async () => {
    await adminSql(`update public.team_members set timezone = $2 where user_id = $1`, [ctx.member.userId, ZONE]);
    // Every fixture date is derived from the month boundary in the agent's zone, never "N days
    // ago": on the 1st to the 9th of a month, 40 days ago is two months back.
    const [times] = await adminSql<{ boundary: Date; late: Date; lastMonth: Date }>(
      `select
         ((date_trunc('month', now() at time zone $1))::date - 1 + time '23:30') at time zone 'UTC' as boundary,
         ((now() at time zone $1)::date - 1 + time '23:30') at time zone 'UTC' as late,
         (date_trunc('month', now() at time zone $1) - interval '15 days') at time zone $1 as "lastMonth"`,
      [ZONE],
    );
    boundaryOrderAt = times.boundary.toISOString();
    lateOrderAt = times.late.toISOString();
    const lastMonthAt = times.lastMonth.toISOString();

    const regular = await createCustomer(ctx.member.userId);
    const lastMonthCustomer = await createCustomer(ctx.member.userId);
    await adminSql(`update public.customers set created_at = $2 where id = $1`, [lastMonthCustomer, lastMonthAt]);
    await createOrder({ customerId: regular, total: 120.5, placedAt: boundaryOrderAt });
    await createOrder({ customerId: regular, total: 79.25, placedAt: lateOrderAt });
    await createOrder({
      customerId: lastMonthCustomer,
      total: 300,
      placedAt: lastMonthAt,
    });
    // Refunded in full: not a purchase, so in no figure.
    await createOrder({ customerId: regular, total: 999, financialStatus: 'refunded', placedAt: lateOrderAt });
    // Somebody else's customer: outside this agent's dashboard.
    const someoneElses = await createCustomer(null);
    await createOrder({ customerId: someoneElses, total: 5000, placedAt: lateOrderAt });
  });

  async function signedInPage(): Promise<Page> {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await submitSignIn(page, ctx.app.url, ctx.member);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor({ timeout: 15_000 });
    return page;
  }

  const cardText = (page: Page, name: string) => page.getByRole('group', { name, exact: true }).textContent();

  it("shows the agent's own figures, months taken in the agent's time zone, as the database counts them", async () => {
    const expected = await expectedFigures(ctx.member.userId);
    // The fixture really straddles the zone boundary: in UTC the boundary order is last month's.
    const [{ utcMonth, berlinMonth }] = await adminSql<{ utcMonth: boolean; berlinMonth: boolean }>(
      `select $1::timestamptz >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' as "utcMonth",
              $1::timestamptz >= date_trunc('month', now() at time zone $2) at time zone $2 as "berlinMonth"`,
      [boundaryOrderAt, ZONE],
    );
    expect({ utcMonth, berlinMonth }).toEqual({ utcMonth: false, berlinMonth: true });
    expect(expected).toMatchObject({ customers: 2, orders_this_month: 2, orders_last_month: 1, new_last_month: 1 });

    const page = await signedInPage();
    await page.getByText(`for the customers assigned to you`).waitFor();
    await page.getByRole('group', { name: 'Customers', exact: true }).waitFor({ timeout: 10_000 });

    expect(await cardText(page, 'Customers')).toContain(count(expected.customers));
    expect(await cardText(page, 'New customers this month')).toContain(count(expected.new_this_month));
    expect(await cardText(page, 'New customers this month')).toContain(`Last month: ${count(expected.new_last_month)}`);
    expect(await cardText(page, 'Revenue this month')).toContain(money(expected.revenue_this_month, expected.base));
    expect(await cardText(page, 'Revenue this month')).toContain(
      `Last month: ${money(expected.revenue_last_month, expected.base)}`,
    );
    expect(await cardText(page, 'Orders this month')).toContain(count(expected.orders_this_month));
    expect(await cardText(page, 'Average order value this month')).toContain(
      money(expected.aov_this_month, expected.base),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('charts revenue by day in the zone, with a summary and a table that match the database', async () => {
    const [expected] = await adminSql<{ revenue: string; orders: number; today: string; today_revenue: string }>(
      `with days as (
         select (o.placed_at at time zone $2)::date as day, o.net_total_base
         from public.orders o join public.customers c on c.id = o.customer_id
         where c.owner_id = $1 and o.counts_as_purchase
           and (o.placed_at at time zone $2)::date > (now() at time zone $2)::date - 30
       )
       select coalesce(sum(net_total_base), 0)::text as revenue, count(*)::int as orders,
         to_char((now() at time zone $2)::date, 'YYYY-MM-DD') as today,
         coalesce(sum(net_total_base) filter (where day = (now() at time zone $2)::date), 0)::text as today_revenue
       from days`,
      [ctx.member.userId, ZONE],
    );
    const base = (await expectedFigures(ctx.member.userId)).base;
    const page = await signedInPage();
    const panel = page.getByRole('region', { name: 'Revenue by day' });
    const summary = `${money(expected.revenue, base)} in revenue, orders: ${count(expected.orders)}.`;
    await panel.getByText(summary).waitFor({ timeout: 10_000 });
    // The chart (recharts, loaded after the cards) draws, and reads as its summary.
    const chart = panel.getByRole('img', { name: new RegExp(summary.replace(/[.$()]/g, '\\$&')) });
    await chart.locator('.recharts-area-curve').waitFor({ timeout: 10_000 });

    await panel.getByRole('button', { name: 'Show as a table' }).click();
    const todayLabel = new Intl.DateTimeFormat('en', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${expected.today}T00:00:00Z`));
    const todayRow = panel.getByRole('row', { name: new RegExp(`^${todayLabel}`) });
    // Yesterday's 23:30 UTC order is on today's row: today as Berlin lives it.
    expect(Number(expected.today_revenue)).toBeGreaterThanOrEqual(79.25);
    expect(await todayRow.textContent()).toContain(money(expected.today_revenue, base));
    expect(await seriousViolations(page)).toEqual([]);

    // The range is a navigation (kept in the URL), so the radio shows checked once it renders.
    const ninety = panel.getByRole('radio', { name: '90 days' });
    await ninety.click();
    await page.waitForURL(/\?range=90$/);
    await expect.poll(() => ninety.isChecked()).toBe(true);
    await panel.getByRole('row').nth(90).waitFor();
    expect(await panel.getByRole('row').count()).toBe(91);
    await page.close();
  });

  it('reads in German on a 390 px phone, money as Germans write it, two cards a row, axe clean', async () => {
    await adminSql(`update public.team_members set language = 'de' where user_id = $1`, [ctx.member.userId]);
    const expected = await expectedFigures(ctx.member.userId);
    const page = await ctx.browser.newPage({ viewport: { width: 390, height: 844 } });
    await submitSignIn(page, ctx.app.url, ctx.member);
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor({ timeout: 15_000 });
    const revenue = page.getByRole('group', { name: 'Umsatz in diesem Monat', exact: true });
    await revenue.waitFor({ timeout: 10_000 });
    const germanMoney = new Intl.NumberFormat('de', { style: 'currency', currency: expected.base }).format(
      Number(expected.revenue_this_month),
    );
    expect(await revenue.textContent()).toContain(germanMoney);
    await page.getByRole('region', { name: 'Umsatz pro Tag' }).getByText(/^Vom /).waitFor({ timeout: 10_000 });
    // Two cards a row on a phone, nothing wider than the screen.
    const [first, second] = await page
      .locator('.stat-card')
      .evaluateAll((cards) =>
        cards
          .slice(0, 2)
          .map((card) => (card as unknown as { getBoundingClientRect(): { top: number } }).getBoundingClientRect().top),
      );
    expect(first).toBe(second);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
