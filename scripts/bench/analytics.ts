/**
 * Benchmark of segments and analytics at scale (issue 13). On its own stack instance, loaded by
 * `data:generate` at `--scale` × (100 000 customers, 1 000 000 orders, 1 000 000 favourites), it
 * prints, through REST (gateway → PostgREST → RLS) as an admin and as the busiest agent:
 *   - every report for a 12-month range: p95 < 300 ms (< 1 s at --scale 10); cohorts for 24
 *     months: p95 < 500 ms;
 *   - a segment's live count (preview_segment) for a 10-condition rule: p95 < 300 ms;
 *   - a full refresh of 20 segments (refresh_segments(20)): < 10 s;
 *   - the nightly job (score_customers: RFM, churn, stages): < 60 s.
 * The last line is `analytics: <n> of <m> targets met`, then `MISSED: …` for any miss.
 *
 *   npx tsx scripts/bench/analytics.ts [--scale 0.1] [--runs 20] [--keep-data] [--stack <name>]
 *   (npm run bench:analytics)
 * Runs its own instance (`bench-analytics`, or `--stack <name>` to keep two scales loaded side by
 * side; ports from CAIRN_STACK_PORT_BASE, default 62521).
 * --keep-data reuses the instance's data when it already holds the scale (skips the load).
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';
import { signJwt } from '@cairn/local-stack/lib/jwt.ts';
import { percentile } from './measure.ts';

const argument = (name: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined;
const stackName = argument('stack') ?? 'bench-analytics';
process.env.CAIRN_STACK = stackName;
process.env.CAIRN_STACK_PORT_BASE ??= '62521';
const config = stackConfig(stackName);
const scaleFactor = Number(argument('scale') ?? 1);
if (!(scaleFactor > 0 && scaleFactor <= 10)) throw new Error('--scale must be above 0 and at most 10');
const runs = Number(argument('runs')) || 20;
const keepData = process.argv.includes('--keep-data');
const scale = {
  customers: Math.round(100_000 * scaleFactor),
  orders: Math.round(1_000_000 * scaleFactor),
  favorites: Math.round(1_000_000 * scaleFactor),
  activities: Math.round(100_000 * scaleFactor),
  agents: 20,
  seed: 42,
};
const reportTarget = scaleFactor >= 10 ? 1000 : 300;

const results: Array<{ name: string; value: number; target: number; unit: string }> = [];
/** A figure as printed: a refusal or a timeout (no figure) says so instead of "Infinity". */
const figure = (value: number, unit: string) =>
  Number.isFinite(value) ? `${value.toFixed(unit === 's' ? 2 : 0)} ${unit}` : 'failed (refused or timed out)';
const record = (name: string, value: number, target: number, unit = 'ms') => {
  results.push({ name, value, target, unit });
  const verdict = value < target ? '✓' : '✗';
  console.log(`  ${name.padEnd(58)} ${figure(value, unit).padStart(11)}  ${verdict} (target < ${target} ${unit})`);
};

const rpcPath = (fn: string, args: Record<string, unknown>) =>
  `/rest/v1/rpc/${fn}?${new URLSearchParams(
    Object.entries(args).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  ).toString()}`;

/** One GET through the gateway: its time in ms; a refusal is reported with the database's words. */
async function timed(path: string, headers: Record<string, string>, body?: unknown): Promise<number> {
  const began = performance.now();
  const response = await fetch(
    `http://127.0.0.1:${config.ports.api}${path}`,
    body === undefined
      ? { headers }
      : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const text = await response.text();
  const elapsed = performance.now() - began;
  if (!response.ok)
    throw new Error(`${path} → HTTP ${response.status} after ${elapsed.toFixed(0)} ms: ${text.slice(0, 300)}`);
  return elapsed;
}

/** p95 of a GET (or, with a body, a POST: how the app calls functions that take JSON). */
async function p95Of(path: string, token: string, body?: unknown): Promise<number> {
  const headers = { apikey: config.anonKey, authorization: `Bearer ${token}` };
  try {
    for (let i = 0; i < 3; i++) await timed(path, headers, body);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await timed(path, headers, body));
    return percentile(samples, 95);
  } catch (error) {
    // A refusal or a timeout is a miss, reported, not the end of the run.
    console.log(`  ! ${error instanceof Error ? error.message.slice(0, 400) : String(error)}`);
    return Number.POSITIVE_INFINITY;
  }
}

const day = (date: Date) => date.toISOString().slice(0, 10);

async function main(): Promise<void> {
  const db0 = await (async () => {
    if (keepData) {
      try {
        await startStack(config);
        const db = new pg.Client({ connectionString: config.adminDbUrl });
        await db.connect();
        const { n } = (await db.query<{ n: number }>('select count(*)::int as n from public.customers')).rows[0];
        if (n >= scale.customers) return db;
        await db.end();
      } catch {
        // fall through to a fresh load
      }
      await stopStack(config).catch(() => undefined);
    }
    rmSync(config.dataDir, { recursive: true, force: true });
    await startStack(config);
    const began = performance.now();
    console.log(`Loading ${scale.customers} customers, ${scale.orders} orders, ${scale.favorites} favourites…`);
    await generate(config, scale, () => undefined);
    console.log(`  loaded in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    return db;
  })();
  const db = db0;
  try {
    // The load's quarter-hours are dirty until the sales summaries are folded (the schedule does
    // it within minutes of an import; the reports are exact either way, reading dirty
    // quarter-hours from the orders). Fold now, so the figures are those of a settled database,
    // and say how long the fold of the whole load took.
    /** Folds a summary until its dirty list is empty (waiting while the scheduled fold holds the lock). */
    const foldAll = async (label: string, fold: string, dirtyTable: string) => {
      const began = performance.now();
      let folded = 0;
      for (;;) {
        const { n } = (await db.query<{ n: number }>(`select ${fold} as n`)).rows[0];
        if (n === 0) {
          const { left } = (await db.query<{ left: number }>(`select count(*)::int as left from ${dirtyTable}`))
            .rows[0];
          if (left === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 1000)); // the scheduled fold holds the lock
          continue;
        }
        folded += n;
      }
      console.log(`  ${label} folded: ${folded} dirty entries in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    };
    await foldAll('sales summaries', 'private.fold_sales_summaries(1000000)', 'private.sales_dirty_quarter_hours');
    // Each customer's purchase arrays (20261211110000): dirty customers of the load, 20 000 a chunk.
    await foldAll('customer purchases', 'private.fold_customer_purchases(20000)', 'private.customer_purchases_dirty');
    await db.query('analyze');
    const admin = (
      await db.query<{ user_id: string }>(`select user_id from public.team_members where email = 'admin@cairn.test'`)
    ).rows[0].user_id;
    const { agent_id: agentId, owned } = (
      await db.query<{ agent_id: string; owned: number }>(
        `select owner_id as agent_id, count(*)::int as owned from public.customers c
         join public.team_members t on t.user_id = c.owner_id
         where t.role = 'agent' group by owner_id order by count(*) desc limit 1`,
      )
    ).rows[0];
    const claimsFor = (sub: string) => ({
      sub,
      role: 'authenticated',
      aud: 'authenticated',
      aal: 'aal1',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const callers = [
      { name: 'admin', token: await signJwt(claimsFor(admin), config.jwtSecret) },
      { name: 'agent', token: await signJwt(claimsFor(agentId), config.jwtSecret) },
    ];

    console.log(
      `\nCairn analytics benchmark — --scale ${scaleFactor}: ${scale.customers} customers, ${scale.orders} orders, ${scale.favorites} favourites; agent owns ${owned}; ${runs} runs per figure\n`,
    );

    // The nightly job first: the churn report and score-based segments read what it writes.
    let began = performance.now();
    await db.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', false)`);
    const scored = (await db.query<{ scored: number; stages_moved: number }>('select * from public.score_customers()'))
      .rows[0];
    record(
      `nightly score_customers (${scored.scored} scored, ${scored.stages_moved} moved)`,
      (performance.now() - began) / 1000,
      60,
      's',
    );

    // Twenty segments of the admin's, then a full refresh of all twenty.
    const rules = (i: number) => ({
      match: 'all',
      conditions: [
        { field: 'order_count', op: 'gte', value: 1 + (i % 3) },
        { field: 'lifetime_value', op: 'gte', value: 50 * (i % 5) },
        i % 2 === 0
          ? { field: 'last_order_at', op: 'in_last_days', value: 90 + i * 10 }
          : { field: 'churn_risk', op: 'in', value: ['medium', 'high'] },
      ],
    });
    await db.query(`delete from public.segments where name like 'bench %'`);
    for (let i = 0; i < 20; i++) {
      await db.query(`insert into public.segments (owner_id, name, rules, shared) values ($1, $2, $3, true)`, [
        admin,
        `bench ${i}`,
        JSON.stringify(rules(i)),
      ]);
    }
    await db.query(`update public.segments set refreshed_at = null where name like 'bench %'`);
    began = performance.now();
    await db.query('select public.refresh_segments(20)');
    record('full refresh of 20 segments', (performance.now() - began) / 1000, 10, 's');
    await db.query(`select set_config('request.jwt.claims', '', false)`);

    const today = new Date();
    const yearAgo = new Date(today.getTime() - 364 * 86_400_000);
    const twoYears = new Date(Date.UTC(today.getUTCFullYear() - 2, today.getUTCMonth() + 1, 1));
    const range = { from_day: day(yearAgo), to_day: day(today), timezone: 'Europe/Madrid' };
    const reports: Array<[string, string, Record<string, unknown>, number]> = [
      ['customer growth', 'report_customer_growth', { ...range, grain: 'month' }, reportTarget],
      ['revenue by country', 'report_revenue_by_country', range, reportTarget],
      ['revenue by period', 'report_revenue_by_period', { ...range, grain: 'month' }, reportTarget],
      ['seasonality', 'report_revenue_seasonality', range, reportTarget],
      ['top customers', 'report_top_customers', { ...range, rank_by: 'revenue', row_limit: 50 }, reportTarget],
      ['top brands', 'report_top_products', { ...range, group_by: 'brand', row_limit: 50 }, reportTarget],
      ['segments', 'report_segments', range, reportTarget],
      ['activity', 'report_activity', range, reportTarget],
      ['workload', 'report_workload', {}, reportTarget],
      ['churn list', 'report_churn', { min_risk: 'medium', row_limit: 100 }, reportTarget],
      ['alert performance', 'report_alert_performance', range, reportTarget],
      [
        'cohorts, 24 months',
        'report_cohorts',
        { from_month: day(twoYears), months: 24, timezone: 'Europe/Madrid' },
        scaleFactor >= 10 ? 1000 : 500,
      ],
    ];
    const tenConditions = {
      match: 'all',
      conditions: [
        { field: 'country', op: 'in', value: ['DE', 'FR', 'ES', 'IT', 'NL', 'GB', 'US'] },
        { field: 'order_count', op: 'gte', value: 1 },
        { field: 'lifetime_value', op: 'between', value: [20, 100000] },
        { field: 'status', op: 'neq', value: 'blocked' },
        { field: 'last_order_at', op: 'in_last_days', value: 730 },
        { field: 'created_at', op: 'before', value: day(today) },
        { field: 'style_interests', op: 'is_not_empty' },
        { field: 'consent_newsletter', op: 'is', value: true },
        { field: 'has_favourites', op: 'is', value: true },
        {
          match: 'any',
          conditions: [
            { field: 'churn_risk', op: 'in', value: ['low', 'medium'] },
            { field: 'average_order_value', op: 'gte', value: 30 },
          ],
        },
      ],
    };
    for (const caller of callers) {
      for (const [name, fn, args, target] of reports) {
        record(`${caller.name}: ${name}`, await p95Of(rpcPath(fn, args), caller.token), target);
      }
      record(
        `${caller.name}: segment live count, 10 conditions`,
        await p95Of('/rest/v1/rpc/preview_segment', caller.token, { rules: tenConditions, sample_size: 10 }),
        300,
      );
    }
  } finally {
    await db.end();
    await stopStack(config).catch(() => undefined);
  }

  const missed = results.filter((result) => !(result.value < result.target));
  console.log('');
  console.log(
    `analytics: ${results.length - missed.length} of ${results.length} targets met${
      missed.length
        ? ` MISSED: ${missed.map((result) => `${result.name} ${figure(result.value, result.unit)} (target < ${result.target} ${result.unit})`).join('; ')}`
        : ''
    }`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
