import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * Analytics in Chromium: every report opens (table or empty state, never an error), the revenue
 * report's CSV holds the figures of a known range with the FX columns when asked, an impossible
 * range is explained, and axe finds nothing serious.
 */

const run = randomUUID().slice(0, 8);
const REPORTS = [
  'Customer growth',
  'Where customers are',
  'Revenue by country',
  'Revenue and order value trend',
  'Top customers',
  'Products and brands',
  'Segments',
  'Segment sizes over time',
  'Team activity',
  'Workload',
  'Churn risk',
  'Cohorts',
  'Alert performance',
  'Campaigns',
];

describe('analytics as a manager', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Ana Lyst' });

  beforeAll(async () => {
    const [customer] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, country, created_at) values ('Report', $1, 'LU', '2012-05-02T10:00:00Z') returning id`,
      [run],
    );
    await adminSql(
      `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at, shipping_country)
       values ($1, 'EUR', 1, 123.45, 'paid', '2012-05-03T10:00:00Z', 'LU')`,
      [customer.id],
    );
    // A second country, so the revenue report has bars to rank.
    const [second] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, country, created_at) values ('Report2', $1, 'MT', '2012-05-04T10:00:00Z') returning id`,
      [run],
    );
    await adminSql(
      `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at, shipping_country)
       values ($1, 'EUR', 1, 50, 'paid', '2012-05-10T10:00:00Z', 'MT')`,
      [second.id],
    );
    // A customer at risk, so the churn list (just before the cohorts in the picker) has rows: the
    // cohort table once drew the churn rows it was still showing and crashed (issue 13).
    await adminSql(
      `insert into public.customer_scores (customer_id, rfm_group, churn_risk, days_since_last_order, churn_summary)
       values ($1, 'at_risk', 'high', 400, 'no order for 400 days')`,
      [second.id],
    );
  });

  // Every report in turn, axe twice and a download: above the 30 s default on a busy machine.
  it('opens every report, explains an impossible range and downloads a CSV', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const crashes: string[] = [];
    page.on('pageerror', (error) => crashes.push(error.message));
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/analytics`);
    const picker = page.getByRole('combobox', { name: 'Report' });
    await picker.waitFor({ timeout: 15_000 });
    for (const title of REPORTS) {
      await picker.selectOption({ label: title });
      await page.getByRole('heading', { name: title, level: 2 }).waitFor({ timeout: 60_000 });
      const section = page.getByRole('region', { name: title });
      await section
        .getByRole('table')
        .or(section.getByRole('heading', { name: 'Nothing in this range' }))
        .first()
        .waitFor({ timeout: 15_000 });
      expect(await section.getByRole('alert').count(), title).toBe(0);
    }
    expect(crashes).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await picker.selectOption({ label: 'Revenue by country' });
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2012-05-01');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2012-04-01');
    await page.getByRole('alert').filter({ hasText: 'The end day is before the start day' }).waitFor();
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2012-05-31');
    // The choices live in the URL (a shared link opens the same report).
    await page.getByRole('checkbox', { name: "Show today's exchange rates and the FX effect" }).click();
    await page.waitForURL(/fx=today/);
    await page.getByRole('checkbox', { name: 'Compare with the period before' }).click();
    await page.waitForURL(/compare=1/);
    const table = page.getByRole('table', { name: /Revenue by country/ });
    // Countries by name in the viewer's language; the CSV keeps the ISO code.
    await table.getByRole('cell', { name: 'Luxembourg', exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole('status').filter({ hasText: 'The period before' }).waitFor();
    // The chart ranks the countries; screen readers get the summary (the table has every figure).
    const chart = page.getByRole('region', { name: 'Revenue by country' }).getByRole('img', { name: /2012/ });
    await chart.waitFor({ timeout: 15_000 });
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('revenue-2012-05-01-2012-05-31.csv');
    const lines = (await readFile((await download.path()) ?? '', 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe("Country,Orders,Customers,Revenue,Revenue at today's rates,FX effect,Average order value");
    expect(lines).toContain('LU,1,1,123.45,123.45,0,123.45');
    await page.close();
  }, 240_000);
});
