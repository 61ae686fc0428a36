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
 * `--build DIR` serves an existing production build (e.g. of another commit) instead of building.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { launchBrowser, startApp } from '../lib/browser.ts';
import { percentile } from './measure.ts';

const config = stackConfig();
const argument = (name: string, fallback?: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback;
const path = argument('path', '/pipeline') ?? '/pipeline';
const until = argument('until', '[data-deal-id]') ?? '[data-deal-id]';
const runs = Number(argument('runs', '5'));
const build = argument('build');
const password = 'Bench-2026-first-load';

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
      if (profiling) profile = (await cdp.send('Profiler.stop')).profile;
      page.off('request', onRequest);
      page.off('requestfinished', onDone);
      page.off('requestfailed', onDone);
      paints.push(paint);
      console.log(
        `run ${i + 1}: ${path} until ${until}: ${paint.toFixed(0)} ms; main thread: script ${(after.script - before.script).toFixed(0)} ms, tasks ${(after.task - before.task).toFixed(0)} ms; ${requests.length} requests`,
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
    console.log(
      `\nfirst load ${path}: p50 ${percentile(paints, 50).toFixed(0)} ms, min ${Math.min(...paints).toFixed(0)} ms, max ${Math.max(...paints).toFixed(0)} ms (${paints.length} runs)`,
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}

await main();
