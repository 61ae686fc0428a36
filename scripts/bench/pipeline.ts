/**
 * Benchmark of the pipeline board, My tasks and the notification centre (issue 15). At
 * `--scale 1`: 100 000 customers, 20 000 open deals, 200 000 tasks, 1 000 000 notifications
 * (every count × scale). Prints, through the real gateway (PostgREST, RLS) as the app asks:
 *   - the board's data as the app asks since 20261208133000: every column's first 50 cards in one
 *     call (pipeline_board) + the forecast, in parallel, as an admin (every deal) and as an agent —
 *     target for first paint < 1 s (the browser's first paint itself is measured with --browser:
 *     production build, Chromium, until the first card); `--per-column` also times the former
 *     way (one request per column) for comparison
 *   - a card move persisted and re-read: move_deal, then the board and the forecast again (what
 *     the board refetches) — target p95 < 200 ms
 *   - My tasks first page (Today and Overdue, 50 rows) as agents — target p95 < 300 ms
 *   - the unread count as agents (unread_notification_count, capped at 100 as the bell asks) —
 *     target p95 < 50 ms; the former exact HEAD count is timed beside it
 *   - the reminder job with 10 % of the tasks falling due at once — target < 5 s — and again
 *     (nothing left to send)
 *
 * `--tasks N` / `--notifications N` set those two counts apart from `--scale` (e.g. the issue's
 * 200 000 tasks beside a small board: `--scale 0.02 --tasks 200000`).
 * Own instance `bench-pl` unless CAIRN_STACK names one (ports from CAIRN_STACK_PORT_BASE, default 61621):
 *   npx tsx scripts/bench/pipeline.ts [--scale 0.2] [--tasks N] [--notifications N] [--browser] [--keep]
 *   (npm run bench:pipeline)
 */
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';
import { launchBrowser, startApp } from '../lib/browser.ts';
import { percentile, timedGet } from './measure.ts';

process.env.CAIRN_STACK ??= 'bench-pl';
process.env.CAIRN_STACK_PORT_BASE ??= '61621';
const config = stackConfig();
const argument = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];
const scaleFactor = Number(process.argv.includes('--scale') ? argument('scale') : 1);
if (!(scaleFactor > 0 && scaleFactor <= 1)) throw new Error('--scale must be in (0, 1]');
const size = (n: number) => Math.max(1, Math.round(n * scaleFactor));
/** A count given on its own (`--tasks 200000`), else the scaled default. */
function count(name: string, fullSize: number): number {
  if (!process.argv.includes(`--${name}`)) return size(fullSize);
  const value = Number(argument(name));
  if (!Number.isInteger(value) || value < 1 || value > 10 * fullSize)
    throw new Error(`--${name} must be 1–${10 * fullSize}`);
  return value;
}
const scale = {
  customers: size(100_000),
  orders: size(20_000),
  favorites: 0,
  activities: 0,
  agents: 20,
  seed: 42,
  deals: size(20_000),
  tasks: count('tasks', 200_000),
  notifications: count('notifications', 1_000_000),
};

const ms = (value: number) => `${value.toFixed(0)} ms`;
function summary(name: string, samples: number[], target?: number): string {
  const p95 = percentile(samples, 95);
  const verdict =
    target === undefined ? '' : p95 < target ? `  ✓ (target p95 < ${target} ms)` : `  ✗ (target p95 < ${target} ms)`;
  return `  ${name.padEnd(44)} n=${String(samples.length).padStart(3)}  p50 ${ms(percentile(samples, 50)).padStart(7)}  p95 ${ms(p95).padStart(7)}${verdict}`;
}

/** An access token the gateway accepts for a member, signed with the stack's JWT secret. */
function tokenFor(userId: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: userId,
    role: 'authenticated',
    aud: 'authenticated',
    aal: 'aal1',
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', config.jwtSecret).update(body).digest('base64url')}`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const get = (token: string, path: string, extra: Record<string, string> = {}) =>
  timedGet(agent, config.ports.api, path, { apikey: config.anonKey, authorization: `Bearer ${token}`, ...extra });

async function post(token: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${config.apiUrl}${path}`, {
    method: 'POST',
    headers: { apikey: config.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
}

/** The bell's request: a HEAD with an exact count (answered 200 or 206 with Content-Range). */
async function countRequest(token: string, path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${config.apiUrl}${path}`, {
    method: 'HEAD',
    headers: { apikey: config.anonKey, authorization: `Bearer ${token}`, prefer: 'count=exact' },
  });
  if (response.status !== 200 && response.status !== 206) throw new Error(`${path}: HTTP ${response.status}`);
  if (!/\/\d+$/.test(response.headers.get('content-range') ?? '')) throw new Error(`${path}: no count`);
  return performance.now() - started;
}

const COLUMNS =
  'id,title,customer_id,stage_id,amount,currency,amount_base,probability,expected_close,owner_id,position,stage_entered_at,closed_at,close_reason,notes,customer:customers(id,full_name,email,company)';
const columnPath = (stageId: string) =>
  `/rest/v1/deals?select=${encodeURIComponent(COLUMNS)}&stage_id=eq.${stageId}&order=position.asc,id.asc&limit=50`;

async function main(): Promise<void> {
  const began = performance.now();
  if (!process.argv.includes('--reuse')) {
    await stopStack(config);
    rmSync(config.dataDir, { recursive: true, force: true });
    await startStack(config);
    console.log(`Loading ${JSON.stringify(scale)}…`);
    await generate(config, scale, () => undefined);
  } else {
    await startStack(config);
  }
  const loadSeconds = (performance.now() - began) / 1000;
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    // Quiet the scheduler: the bench runs the reminder job itself.
    await db.query(`update cron.job set active = false where jobname = 'send-task-reminders'`).catch(() => undefined);
    const [{ admin }] = (
      await db.query<{ admin: string }>(
        `select user_id as admin from public.team_members where role = 'admin' and active limit 1`,
      )
    ).rows;
    const agents = (
      await db.query<{ id: string }>(
        `select owner_id as id from public.customers where owner_id is not null group by owner_id order by count(*) desc limit 10`,
      )
    ).rows.map((row) => row.id);
    const pipelines = (
      await db.query<{ id: string; stages: string[] }>(
        `select p.id, array_agg(s.id order by s.position) as stages from public.pipelines p
         join public.deal_stages s on s.pipeline_id = p.id group by p.id, p.position order by p.position`,
      )
    ).rows;
    const counts = (
      await db.query<{ deals: string; tasks: string; notifications: string; customers: string }>(
        `select (select count(*) from public.deals where closed_at is null) as deals,
           (select count(*) from public.activities where kind = 'task') as tasks,
           (select count(*) from public.notifications) as notifications,
           (select count(*) from public.customers) as customers`,
      )
    ).rows[0];

    // ─── Board data ────────────────────────────────────────────────────────────────────────
    const boardAs = async (token: string, rounds: number, perColumn = false) => {
      const samples: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const pipeline = pipelines[i % pipelines.length];
        const started = performance.now();
        await Promise.all([
          ...(perColumn
            ? pipeline.stages.map((stage) => get(token, columnPath(stage)))
            : [post(token, '/rest/v1/rpc/pipeline_board', { pipeline: pipeline.id, per_column: 50 })]),
          post(token, '/rest/v1/rpc/pipeline_forecast', { pipeline: pipeline.id }),
        ]);
        samples.push(performance.now() - started);
      }
      return samples;
    };
    const adminToken = tokenFor(admin);
    await boardAs(adminToken, 3);
    const boardAdmin = await boardAs(adminToken, 20);
    const boardAgent = await boardAs(tokenFor(agents[0]), 20);
    const boardPerColumn = process.argv.includes('--per-column') ? await boardAs(adminToken, 20, true) : [];

    // ─── Card moves ────────────────────────────────────────────────────────────────────────
    const moves: number[] = [];
    const open = pipelines[0].stages.slice(0, 2);
    const movable = (
      await db.query<{ id: string; stage_id: string; owner: string }>(
        `select d.id, d.stage_id, d.customer_owner_id as owner from public.deals d
         where d.stage_id = any($1) and d.customer_owner_id = any($2) order by d.id limit 40`,
        [open, agents],
      )
    ).rows;
    for (const deal of movable) {
      const token = tokenFor(deal.owner);
      const to = deal.stage_id === open[0] ? open[1] : open[0];
      const started = performance.now();
      await post(token, '/rest/v1/rpc/move_deal', { deal_id: deal.id, to_stage_id: to });
      await Promise.all([
        post(token, '/rest/v1/rpc/pipeline_board', { pipeline: pipelines[0].id, per_column: 50 }),
        post(token, '/rest/v1/rpc/pipeline_forecast', { pipeline: pipelines[0].id }),
      ]);
      moves.push(performance.now() - started);
    }

    // ─── My tasks, unread count ────────────────────────────────────────────────────────────
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const tomorrow = new Date(today.getTime() + 86_400_000);
    const taskColumns = encodeURIComponent(
      'id,subject,body,due_at,remind_at,completed_at,assignee_id,author_id,customer_id,customer:customers(id,full_name,email,owner_id)',
    );
    const tasks: number[] = [];
    const unread: number[] = [];
    const unreadExact: number[] = [];
    // As for the board: a first round is not timed (each of PostgREST's pooled connections loads
    // the function, the policies and the indexes once; its first call took 25–80 ms, the next 0.3–0.7 ms).
    const unreadFirst: number[] = [];
    for (const who of agents) {
      const asked = performance.now();
      await post(tokenFor(who), '/rest/v1/rpc/unread_notification_count', { cap: 100 });
      unreadFirst.push(performance.now() - asked);
    }
    for (let i = 0; i < 40; i++) {
      const who = agents[i % agents.length];
      const token = tokenFor(who);
      const range =
        i % 2 === 0
          ? `due_at=gte.${today.toISOString()}&due_at=lt.${tomorrow.toISOString()}`
          : `due_at=lt.${today.toISOString()}`;
      tasks.push(
        await get(
          token,
          `/rest/v1/activities?select=${taskColumns}&kind=eq.task&assignee_id=eq.${who}&completed_at=is.null&${range}&order=due_at.asc.nullslast,id.asc&limit=50`,
        ),
      );
      const asked = performance.now();
      await post(token, '/rest/v1/rpc/unread_notification_count', { cap: 100 });
      unread.push(performance.now() - asked);
      unreadExact.push(
        await countRequest(token, `/rest/v1/notifications?select=id&recipient_id=eq.${who}&read_at=is.null`),
      );
    }

    // ─── Reminder job ──────────────────────────────────────────────────────────────────────
    const due = Math.max(1, Math.round(scale.tasks / 10));
    await db.query(
      `update public.activities set due_at = now() - interval '5 minutes'
       where id in (select id from public.activities where kind = 'task' and completed_at is null and assignee_id is not null limit $1)`,
      [due],
    );
    let started = performance.now();
    const sent = (await db.query<{ n: number }>('select private.send_task_reminders() as n')).rows[0].n;
    const reminderMs = performance.now() - started;
    started = performance.now();
    const again = (await db.query<{ n: number }>('select private.send_task_reminders() as n')).rows[0].n;
    const againMs = performance.now() - started;

    // ─── Optional: first paint of the board in Chromium (production build) ─────────────────
    const paints: number[] = [];
    if (process.argv.includes('--browser')) {
      const [{ email }] = (
        await db.query<{ email: string }>(`select email from public.team_members where user_id = $1`, [admin])
      ).rows;
      await db.query(
        `update auth.users set encrypted_password = extensions.crypt('Bench-2026-pipeline', extensions.gen_salt('bf', 4)) where id = $1`,
        [admin],
      );
      const appPort = config.ports.api + 81;
      const app = await startApp({ apiUrl: config.apiUrl, anonKey: config.anonKey, port: appPort, production: true });
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(`http://127.0.0.1:${appPort}/sign-in`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill('Bench-2026-pipeline');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
        for (let i = 0; i < 8; i++) {
          const t0 = performance.now();
          await page.goto(`http://127.0.0.1:${appPort}/pipeline?pipeline=${pipelines[i % 2].id}`);
          await page.locator('[data-deal-id]').first().waitFor({ timeout: 20_000 });
          paints.push(performance.now() - t0);
        }
      } finally {
        await browser.close();
        await app.stop();
      }
    }

    console.log(
      `\nCairn pipeline / tasks / notifications benchmark — scale ${scaleFactor}: ${counts.customers} customers, ${counts.deals} open deals, ${counts.tasks} tasks, ${counts.notifications} notifications (load ${loadSeconds.toFixed(0)} s)`,
    );
    console.log(summary('board data (pipeline_board + forecast), admin', boardAdmin, 1000));
    console.log(summary('board data (pipeline_board + forecast), agent', boardAgent, 1000));
    if (boardPerColumn.length) console.log(summary('  former: one request per column, admin', boardPerColumn));
    if (paints.length) console.log(summary('board first paint, production build, Chromium', paints, 1000));
    console.log(summary('card move persisted + board re-read', moves, 200));
    console.log(summary('My tasks first page (today / overdue)', tasks, 300));
    console.log(summary('unread count (capped at 100)', unread, 50));
    console.log(summary('  former: exact HEAD count', unreadExact));
    console.log(summary('  first calls (warm-up, not in the p95)', unreadFirst));
    console.log(
      `  reminder job: ${sent} reminders of ${due} due tasks in ${ms(reminderMs)} ${reminderMs < 5000 ? '✓' : '✗'} (target < 5 s); again: ${again} in ${ms(againMs)}`,
    );
    console.log(
      `pipeline bench: board p95 ${ms(percentile(boardAdmin, 95))}, move p95 ${ms(percentile(moves, 95))}, my tasks p95 ${ms(percentile(tasks, 95))}, unread p95 ${ms(percentile(unread, 95))}, reminders ${ms(reminderMs)}`,
    );
  } finally {
    await db.end();
    agent.destroy();
    if (!process.argv.includes('--keep')) await stopStack(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
