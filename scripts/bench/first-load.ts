/**
 * Where a cold page load of the app spends its time: one signed-in admin, a production build in
 * Chromium, then each run a fresh navigation (from about:blank, HTTP cache kept as a returning
 * person has it) to `--path`, until `--until` (a CSS selector) is on screen. Prints, per run, the
 * time to that element and the main thread's script and task time (CDP Performance metrics), and
 * for the last run the request waterfall: every request's start and end, in ms from the
 * navigation, with what it fetched — the app's chunks, locale files, auth, REST.
 *
 * Uses the running instance named by CAIRN_STACK / CAIRN_STACK_PORT_BASE (data loaded, e.g. by
 * `bench:pipeline -- --keep`):
 *   npx tsx scripts/bench/first-load.ts --path /pipeline --until '[data-deal-id]' [--runs 5] [--build DIR]
 *   npx tsx scripts/bench/first-load.ts --page pipeline|flow-editor|campaigns|integrations [--runs 5] [--build DIR]
 * `--build DIR` serves an existing production build (e.g. of another commit) instead of building.
 * `--page` names a page with its path, the element that is its first paint, and the data it needs
 * (added to the instance when missing): the board (`/pipeline`, until the first card; issue 15),
 * the flow editor (`/automation?flow=` the shipped flow with the most steps, until its first step;
 * issue 16), the campaign list (`/campaigns` with 200 campaigns, the most it lists, until its
 * first row; issue 16), the integrations health panel (`/settings/integrations`, a shop given a
 * connection row, until its delivery figures; issue 11). Targets: board, editor and list < 1 s,
 * the health panel < 500 ms; the last line says `met` or `MISSED` for the p50 of the loads.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { launchBrowser, startApp } from '../lib/browser.ts';
import { percentile } from './measure.ts';

const config = stackConfig();
const argument = (name: string, fallback?: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const runs = Number(argument('runs', '5'));
const build = argument('build');
const password = 'Bench-2026-first-load';

/**
 * A page measured by name: where it is (`locate` finds it in the data), what shows it has
 * painted, its target; `prepare` adds the data it needs.
 */
interface NamedPage {
  path: string;
  until: string;
  target: number;
  locate?: (db: pg.Client) => Promise<string>;
  prepare?: (db: pg.Client, adminId: string) => Promise<void>;
}

const CAMPAIGNS = 200;

const PAGES: Record<string, NamedPage> = {
  pipeline: { path: '/pipeline', until: '[data-deal-id]', target: 1000 },
  'flow-editor': {
    path: '/automation',
    // A step of the editor (each is a list item named by its title), shown once the flow and every
    // picker's choices have arrived.
    until: 'main ol > li[aria-label]',
    target: 1000,
    locate: async (db) => {
      const flows = await db.query<{ id: string }>(
        `select id from public.flows order by jsonb_array_length(steps) desc, name limit 1`,
      );
      if (!flows.rows[0]) throw new Error('no flow on this instance (the shipped flows come with the migrations)');
      return `/automation?flow=${flows.rows[0].id}`;
    },
  },
  campaigns: {
    path: '/campaigns',
    until: 'main table tbody tr',
    target: 1000,
    prepare: async (db, adminId) => {
      const missing = CAMPAIGNS - Number((await db.query(`select count(*) from public.campaigns`)).rows[0].count);
      if (missing <= 0) return;
      await db.query('begin');
      const segment = await db.query<{ id: string }>(
        `insert into public.segments (owner_id, name, shared) values ($1, 'First-load bench audience', true) returning id`,
        [adminId],
      );
      // Drafts a day apart (a campaign's other states come from sending it).
      await db.query(
        `insert into public.campaigns (name, segment_id, template_id, created_by, created_at)
         select 'Bench campaign ' || n, $1,
                (select id from public.email_templates where purpose = 'marketing' order by key limit 1),
                $2, now() - n * interval '1 day'
           from generate_series(1, $3::int) as n`,
        [segment.rows[0].id, adminId, missing],
      );
      await db.query('commit');
    },
  },
  integrations: {
    path: '/settings/integrations',
    until: 'text=/\\d+ applied, \\d+ ignored, \\d+ failed/',
    target: 500,
    prepare: async (db, adminId) => {
      // A connected store as the connect flow leaves it (no Shopify call needed to show the panel).
      await db.query(
        `insert into public.shop_connections (shop_id, auth_kind, secret_last4, token_last4, webhook_url, connected_by)
         select id, 'legacy_token', 'abcd', 'wxyz', 'http://127.0.0.1/functions/v1/shopify-webhook', $1
           from public.shops order by created_at limit 1
         on conflict do nothing`,
        [adminId],
      );
    },
  },
};
const named = argument('page');
if (named !== undefined && !PAGES[named]) throw new Error(`--page must be one of ${Object.keys(PAGES).join(', ')}`);
const chosen = named ? PAGES[named] : undefined;
let path = argument('path', chosen?.path ?? '/pipeline') ?? '/pipeline';
const until = argument('until', chosen?.until ?? '[data-deal-id]') ?? '[data-deal-id]';

interface Timed {
  url: string;
  type: string;
  start: number;
  end?: number;
}

interface Profile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** The last run's CPU profile: self time by script and the functions that took most of it. */
function printProfile(profile: Profile, appUrl: string): void {
  const self = new Map<number, number>();
  profile.samples?.forEach((node, index) =>
    self.set(node, (self.get(node) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000),
  );
  const byUrl = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? shortName(url, appUrl) : `(${functionName || 'program'})`;
    byUrl.set(file, (byUrl.get(file) ?? 0) + time);
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, time]) => `  ${time.toFixed(0).padStart(6)} ms  ${name}`);
  console.log(`\nCPU self time of the last run by script:\n${top(byUrl, 15).join('\n')}`);
  console.log(`\nby function:\n${top(byFunction, 25).join('\n')}`);
}

/** A request's URL as a short name: the chunk's file, the REST path, the auth call. */
function shortName(url: string, appUrl: string): string {
  const short = url.replace(appUrl, '').replace(config.apiUrl, 'API');
  return short.length > 110 ? `${short.slice(0, 107)}…` : short;
}

async function main(): Promise<void> {
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  const [{ id, email }] = (
    await db.query<{ id: string; email: string }>(
      `select user_id as id, email from public.team_members where role = 'admin' and active order by created_at limit 1`,
    )
  ).rows;
  await db.query(
    `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 4)) where id = $1`,
    [id, password],
  );
  await chosen?.prepare?.(db, id);
  if (chosen?.locate && !process.argv.includes('--path')) path = await chosen.locate(db);
  await db.end();

  const app = await startApp({
    apiUrl: config.apiUrl,
    anonKey: config.anonKey,
    port: config.ports.api + 85,
    production: true,
    build,
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
    await page.goto(`${app.url}${path}`);
    await page.locator(until).first().waitFor({ timeout: 30_000 });

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { script: value('ScriptDuration'), task: value('TaskDuration') };
    };

    const paints: number[] = [];
    const htmlTimes: number[] = [];
    let requests: Timed[] = [];
    let profile: Profile | undefined;
    for (let i = 0; i < runs; i++) {
      await page.goto('about:blank');
      requests = [];
      const open = new Map<object, Timed>();
      let t0 = 0;
      const onRequest = (request: { url(): string; resourceType(): string }) => {
        const entry = { url: request.url(), type: request.resourceType(), start: performance.now() - t0 };
        open.set(request, entry);
        requests.push(entry);
      };
      const onDone = (request: object) => {
        const entry = open.get(request);
        if (entry) entry.end = performance.now() - t0;
      };
      page.on('request', onRequest);
      page.on('requestfinished', onDone);
      page.on('requestfailed', onDone);
      const before = await metric();
      const profiling = i === runs - 1;
      if (profiling) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      t0 = performance.now();
      await page.goto(`${app.url}${path}`, { waitUntil: 'commit' });
      await page.locator(until).first().waitFor({ timeout: 30_000 });
      const paint = performance.now() - t0;
      const after = await metric();
      // When the server had sent the whole HTML (ms from the navigation's start, the browser's
      // own clock): what `vite preview` on a busy machine adds before the app can start.
      const html = Number(await page.evaluate(`performance.getEntriesByType('navigation')[0]?.responseEnd ?? 0`));
      htmlTimes.push(html);
      if (profiling) profile = (await cdp.send('Profiler.stop')).profile;
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
      paints.push(paint);
      console.log(
        `run ${i + 1}: ${path} until ${until}: ${paint.toFixed(0)} ms (HTML in at ${html.toFixed(0)} ms); main thread: script ${(after.script - before.script).toFixed(0)} ms, tasks ${(after.task - before.task).toFixed(0)} ms; ${requests.length} requests`,
      );
    }
    console.log(`\nwaterfall of the last run (ms from navigation; request → response end):`);
    for (const entry of requests.sort((a, b) => a.start - b.start)) {
      const end = entry.end === undefined ? '   …' : entry.end.toFixed(0).padStart(5);
      console.log(
        `${entry.start.toFixed(0).padStart(5)} → ${end}  ${entry.type.padEnd(8)} ${shortName(entry.url, app.url)}`,
      );
    }
    if (profile) printProfile(profile, app.url);
    const p50 = percentile(paints, 50);
    console.log(
      `\nHTML answered by the server (p50): ${percentile(htmlTimes, 50).toFixed(0)} ms; from then to the element (p50): ${percentile(
        paints.map((paint, index) => paint - htmlTimes[index]),
        50,
      ).toFixed(0)} ms`,
    );
    const verdict = chosen ? ` (target < ${chosen.target}: ${p50 < chosen.target ? 'met' : 'MISSED'})` : '';
    console.log(
      `\nfirst load ${path}: p50 ${p50.toFixed(0)} ms, min ${Math.min(...paints).toFixed(0)} ms, max ${Math.max(...paints).toFixed(0)} ms (${paints.length} runs)${verdict}`,
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}

await main();
