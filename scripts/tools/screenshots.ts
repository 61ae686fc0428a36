/**
 * The screenshots in docs/ and the README, taken from the real app: a fresh instance of the
 * local stack with the demo data (`docs`, ports 64121…, above Linux's ephemeral range; never the dev stack), the production
 * build in Chromium, signed in as the demo admin.
 *   npm run docs:screenshots
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { launchBrowser, startApp } from '../lib/browser.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'docs';
process.env.CAIRN_STACK_PORT_BASE ??= '64121';
const config = stackConfig('docs');
const images = join(import.meta.dirname, '..', '..', 'docs', 'images');
const DEMO_LOGIN = { email: 'admin@cairn.test', password: 'Cairn-demo-2026' };

/** The first row's `id` of a query on the docs instance, as the superuser. */
async function firstId(text: string, params: unknown[] = []): Promise<string> {
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    return (await db.query<{ id: string }>(text, params)).rows[0].id;
  } finally {
    await db.end();
  }
}

/** The demo customer with the longest history: the fullest customer 360 to show. */
const showcaseCustomer = () =>
  firstId(`select id from public.customers order by order_count desc, lifetime_value desc limit 1`);
/** A shipped flow's id (`flows.preset`). */
const presetFlow = (preset: string) => firstId(`select id from public.flows where preset = $1 limit 1`, [preset]);

const SHOTS = [
  'customers-list.png',
  'customer-360.png',
  'pipeline-board.png',
  'analytics-revenue.png',
  'automation-flow.png',
];

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  const app = await startApp({
    apiUrl: config.apiUrl,
    anonKey: config.anonKey,
    port: config.ports.api + 80,
    production: true,
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill(DEMO_LOGIN.email);
    await page.getByLabel('Password').fill(DEMO_LOGIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);

    await page.goto(`${app.url}/customers`);
    await page.getByRole('row').nth(5).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(images, 'customers-list.png') });

    const customerId = await showcaseCustomer();
    await page.goto(`${app.url}/customers/${customerId}?tab=timeline`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(images, 'customer-360.png') });

    await page.goto(`${app.url}/pipeline`);
    await page.locator('[data-deal-id]').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(images, 'pipeline-board.png') });

    await page.goto(`${app.url}/analytics?report=revenue`);
    await page.getByRole('table').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(images, 'analytics-revenue.png') });

    const welcome = await presetFlow('welcome');
    await page.goto(`${app.url}/automation?flow=${welcome}`);
    await page.getByRole('heading', { name: 'Welcome series' }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(images, 'automation-flow.png') });
    console.log(`Saved ${SHOTS.map((shot) => `docs/images/${shot}`).join(', ')}`);
  } finally {
    await browser.close();
    await app.stop();
    await stopStack(config);
  }
}

await main();
