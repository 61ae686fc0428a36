/**
 * Benchmark of the Integrations health panel's data with many stored webhook deliveries (issue 11:
 * "Health panel first paint < 500 ms with 1 000 000 stored deliveries"). It stores `--deliveries`
 * deliveries (default 1 000 000) for one shop, spread over 30 days with ~1/30 in the last 24 hours
 * and a few failed ones waiting for retry, then times, as a signed-in admin through the gateway,
 * the three requests the panel waits for before it paints its content — the connected stores, the
 * imports, and the shop's delivery health (`shopify_delivery_health`) — sent together as the
 * browser does, `--runs` times (default 30). It prints p50 / p95 / max of that wall time and of
 * the health call alone, and the database's own execution time of the health query (EXPLAIN
 * ANALYZE) — once right after loading and once after VACUUM. With `--browser` it also measures the
 * panel's first paint in Chromium (production build of the app, `vite preview`): the shop is given
 * a connection row, an admin signs in once, then each run navigates to Settings → Integrations and
 * times from the navigation until the shop's delivery figures of the last 24 hours are on screen.
 *
 * Uses the instance named by CAIRN_STACK / CAIRN_STACK_PORT_BASE (default `bench-health`,
 * 64521…), starting it when it is not running; the shop and its deliveries are removed at the end
 * unless `--keep`.
 *   npm run bench:integrations-health -- [--deliveries 1000000] [--runs 30] [--browser] [--keep]
 *
 * Last line: `health panel data p95 <N> ms with <D> deliveries (target < 500: met|MISSED)`, or with
 * --browser `health panel first paint p95 <N> ms (data p95 <M> ms) with <D> deliveries (target < 500: met|MISSED)`
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { isRunning, startStack } from '@cairn/local-stack/control.ts';
import { launchBrowser, startApp } from '../lib/browser.ts';
import { percentile, signInBenchAdmin } from './measure.ts';

process.env.CAIRN_STACK ??= 'bench-health';
process.env.CAIRN_STACK_PORT_BASE ??= '64521';
const config = stackConfig();
const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? fallback) : fallback;
const deliveries = Math.max(1000, Number(arg('--deliveries', '1000000')));
const runs = Math.max(5, Number(arg('--runs', '30')));
const keep = process.argv.includes('--keep');
const inBrowser = process.argv.includes('--browser');

const db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
  (await db.query<T>(text, params)).rows;

async function timed(url: string, init: RequestInit): Promise<number> {
  const began = performance.now();
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - began;
}

const summary = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;

async function main(): Promise<void> {
  if (!(await isRunning(config))) await startStack(config);
  const { token, userId } = await signInBenchAdmin(sql, 'bench-health');
  const [{ id: shopId }] = await sql<{ id: string }>(
    `insert into public.shops (name, domain, currency) values ('Bench health', $1, 'EUR') returning id`,
    [`bench-health-${randomUUID().slice(0, 8)}.myshopify.com`],
  );
  try {
    const began = performance.now();
    const batch = 100_000;
    for (let from = 1; from <= deliveries; from += batch) {
      const to = Math.min(deliveries, from + batch - 1);
      // Received evenly over 30 days; 1 in 200 failed (those of the last day wait for a retry).
      await sql(
        `insert into public.webhook_deliveries
           (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status, outcome, received_at, next_attempt_at)
         select $1, 'orders/updated', 'bench-' || i, 'bench-' || i, r, '2026-01', '{"id": 1}',
           (case when i % 200 = 0 then 'failed' when i % 50 = 0 then 'ignored' else 'applied' end)::public.webhook_delivery_status,
           null, r, case when i % 200 = 0 and r > now() - interval '1 day' then now() + interval '5 minutes' end
         from generate_series($2::int, $3::int) i, lateral (select now() - (i::float8 / $4) * interval '30 days' as r) t`,
        [shopId, from, to, deliveries],
      );
    }
    await sql('analyze public.webhook_deliveries');
    const [{ stored }] = await sql<{ stored: number }>(
      'select count(*)::int as stored from public.webhook_deliveries where shop_id = $1',
      [shopId],
    );
    console.log(
      `stored ${stored} deliveries for one shop in ${((performance.now() - began) / 1000).toFixed(1)} s (${deliveries} asked)`,
    );

    const headers = { Authorization: `Bearer ${token}`, apikey: config.anonKey, 'Content-Type': 'application/json' };
    const rest = `${config.apiUrl}/rest/v1`;
    const panel = async () => {
      const started = performance.now();
      const [, , health] = await Promise.all([
        timed(
          `${rest}/shop_connections?select=shop_id,secret_last4,token_last4,webhooks,shop:shops(name,domain)&order=connected_at`,
          { headers },
        ),
        timed(`${rest}/shop_imports?select=id,status,phase,rows_done,rows_total&order=started_at.desc&limit=50`, {
          headers,
        }),
        timed(`${rest}/rpc/shopify_delivery_health`, {
          method: 'POST',
          headers: { ...headers, Accept: 'application/vnd.pgrst.object+json' },
          body: JSON.stringify({ shop_id: shopId }),
        }),
      ]);
      return { all: performance.now() - started, health };
    };
    const measure = async (label: string) => {
      await panel(); // warm the connections and the plan cache, as any earlier page would
      const all: number[] = [];
      const health: number[] = [];
      for (let i = 0; i < runs; i++) {
        const run = await panel();
        all.push(run.all);
        health.push(run.health);
      }
      const client = await db.connect();
      let execution = 'unknown';
      try {
        await client.query('begin');
        await client.query(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub: userId, role: 'authenticated' }),
        ]);
        await client.query('set local role authenticated');
        const plan = await client.query<{ 'QUERY PLAN': string }>(
          'explain analyze select * from public.shopify_delivery_health($1)',
          [shopId],
        );
        execution =
          plan.rows.map((row) => row['QUERY PLAN']).find((line) => line.startsWith('Execution Time')) ?? execution;
        await client.query('rollback');
      } finally {
        client.release();
      }
      console.log(`[${label}] database, shopify_delivery_health as the admin: ${execution}`);
      console.log(`[${label}] health call alone (gateway → PostgREST → Postgres): ${summary(health)}`);
      console.log(`[${label}] panel data, 3 requests together (${runs} runs): ${summary(all)}`);
      return all;
    };
    const answer = await fetch(`${rest}/rpc/shopify_delivery_health`, {
      method: 'POST',
      headers: { ...headers, Accept: 'application/vnd.pgrst.object+json' },
      body: JSON.stringify({ shop_id: shopId }),
    });
    console.log(`health answer: ${await answer.text()}`);
    // Right after a bulk load the visibility map is not set yet, so the index holding status is
    // not read index-only; autovacuum sets it soon after. Both are measured; the target is judged
    // on the worse one.
    const fresh = await measure('just loaded');
    await sql('vacuum analyze public.webhook_deliveries');
    const settled = await measure('after vacuum');
    const all = percentile(fresh, 95) > percentile(settled, 95) ? fresh : settled;
    const p95 = percentile(all, 95);
    if (!inBrowser) {
      console.log(
        `health panel data p95 ${Math.round(p95)} ms with ${stored} deliveries (target < 500: ${p95 < 500 ? 'met' : 'MISSED'})`,
      );
      return;
    }
    const paints = await firstPaints(shopId, userId);
    const paint95 = percentile(paints, 95);
    console.log(
      `[browser] health panel first paint, production build, Chromium (${paints.length} runs): ${summary(paints)}`,
    );
    console.log(
      `health panel first paint p95 ${Math.round(paint95)} ms (data p95 ${Math.round(p95)} ms) with ${stored} deliveries (target < 500: ${paint95 < 500 ? 'met' : 'MISSED'})`,
    );
  } finally {
    if (!keep) {
      await sql('delete from public.shops where id = $1', [shopId]);
      await sql('delete from auth.users where id = $1', [userId]);
    }
    await db.end();
  }
}

/**
 * The panel's first paint in Chromium: a production build, an admin signed in once, then each run
 * a navigation to Settings → Integrations timed until the shop's figures of the last 24 hours show.
 */
async function firstPaints(shopId: string, userId: string): Promise<number[]> {
  const password = `Bench-health-${randomUUID().slice(0, 8)}`;
  await sql(
    `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 4)) where id = $1`,
    [userId, password],
  );
  const [{ email }] = await sql<{ email: string }>('select email from public.team_members where user_id = $1', [
    userId,
  ]);
  // A connected store as the connect flow leaves it (no Shopify call needed to show the panel).
  await sql(
    `insert into public.shop_connections (shop_id, auth_kind, secret_last4, token_last4, webhook_url, connected_by)
     values ($1, 'legacy_token', 'abcd', 'wxyz', 'http://127.0.0.1/functions/v1/shopify-webhook', $2)`,
    [shopId, userId],
  );
  const appPort = config.ports.api + 83;
  const app = await startApp({ apiUrl: config.apiUrl, anonKey: config.anonKey, port: appPort, production: true });
  const browser = await launchBrowser();
  const paints: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
    // This shop's card (other stores may be connected on the instance) and its delivery figures.
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Bench health' }) });
    const figures = card.getByText(/\d+ applied, \d+ ignored, \d+ failed/);
    // The first visit loads the settings chunk; the runs measure the page as a returning admin sees it.
    await page.goto(`${app.url}/settings/integrations`);
    await figures.waitFor({ timeout: 30_000 });
    for (let i = 0; i < Math.min(runs, 10); i++) {
      await page.goto('about:blank');
      const t0 = performance.now();
      await page.goto(`${app.url}/settings/integrations`, { waitUntil: 'commit' });
      await figures.waitFor({ timeout: 30_000 });
      paints.push(performance.now() - t0);
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  return paints;
}

await main();
