/**
 * Benchmark of the Shopify history import (issue 11). At `--scale 1` the emulated store holds the
 * issue's full size — 100 000 customers, 10 000 products / 30 000 variants (3 sizes each) and
 * 1 000 000 orders with ~2 000 000 line items; `--scale 0.01` is a hundredth of each.
 *
 *   npm run bench:shopify-import -- [--scale 0.01] [--keep-stack]
 *
 * 1. Clean run: an admin connects store A in the emulator; the import runs as in production (the
 *    database schedules every chunk); measured from connect to completed. orders/s = orders ÷ that
 *    wall time (customers and products phases included).
 * 2. Crash and resume: store B (same records as A) is connected; once its orders phase is under
 *    way the Deno worker running shopify-import is killed (SIGKILL); the import must finish from
 *    its last committed chunk (the dead worker's lease is cleared, as its expiry would after 2 min).
 *    B must end identical to A.
 * 3. Webhook equivalence: store C (same records) is fed every record through shopify-webhook and
 *    must end identical to A.
 * Peak memory: the highest VmHWM of the Deno function workers and the stack process, sampled.
 *
 * Runs on the instance named by CAIRN_STACK / CAIRN_STACK_PORT_BASE (default `bench`, 64321…).
 * Last line: `import <N> orders/s (target >= 2000: met|MISSED), resume identical: yes|no, webhook equivalence: identical|DIFFERENT`
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { isRunning, startStack, stopStack } from '@cairn/local-stack/control.ts';
import { signInBenchAdmin } from './measure.ts';

process.env.CAIRN_STACK ??= 'bench';
process.env.CAIRN_STACK_PORT_BASE ??= '64321';
const config = stackConfig();
const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? fallback) : fallback;
const scale = Number(arg('--scale', '0.01'));
const keepStack = process.argv.includes('--keep-stack');
// Only the clean import (for profiling): no crash-and-resume run, no webhook twin, no last line.
const cleanOnly = process.argv.includes('--clean-only');
const size = {
  customers: Math.max(10, Math.round(100_000 * scale)),
  products: Math.max(2, Math.round(10_000 * scale)),
  orders: Math.max(10, Math.round(1_000_000 * scale)),
};

const db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
  (await db.query<T>(text, params)).rows;

async function emulator(path: string, method = 'POST', body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${config.shopifyUrl}/_emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

interface Shop {
  domain: string;
  apps: Array<{ clientId: string; clientSecret: string }>;
}

/**
 * This instance's processes: its supervisor (found by the data folder in its environment) and the
 * Deno workers it started — not another instance's, which may be running the same functions.
 */
function instanceProcesses(): { supervisors: Set<number>; workers: Map<number, string> } {
  const supervisors = new Set<number>();
  const workers = new Map<number, string>();
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('supervisor.ts')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(`CAIRN_STACK_DATA_DIR=${config.dataDir}`)) supervisors.add(Number(pid));
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!cmdline.includes('deno') || !cmdline.includes('shopify-')) continue;
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      if (supervisors.has(ppid)) workers.set(Number(pid), /shopify-[a-z]+/.exec(cmdline)?.[0] ?? '');
    } catch {
      // gone already
    }
  }
  return { supervisors, workers };
}

/**
 * CPU seconds used so far by this instance's processes, by kind: Postgres (the postmaster and its
 * backends), PostgREST, each Deno function worker (other Deno processes by name), the stack's node
 * process (the emulator, the gateway, auth).
 * Under a shared machine's load the wall time swings with the neighbours; CPU time much less.
 */
function cpuSeconds(): Map<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const { supervisors, workers } = instanceProcesses();
  const parents = new Map<number, number>();
  const used = new Map<number, number>();
  const names = new Map<number, string>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(pid), Number(fields[1]));
      // utime, stime, cutime, cstime (reaped children: a backend that ended counts in its parent)
      used.set(
        Number(pid),
        (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticks,
      );
      names.set(Number(pid), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // gone already
    }
  }
  const totals = new Map<string, number>();
  for (const [pid, seconds] of used) {
    let kind: string | null = null;
    if (supervisors.has(pid)) kind = 'stack (node)';
    else if (workers.has(pid)) kind = `deno ${workers.get(pid)}`;
    else {
      // Postgres (the postmaster and its backends), PostgREST, …: started by the supervisor.
      for (let at = pid, depth = 0; depth < 4 && at > 1; depth++, at = parents.get(at) ?? 0) {
        if (supervisors.has(parents.get(at) ?? 0)) {
          kind = names.get(at) ?? null;
          break;
        }
      }
    }
    if (kind) totals.set(kind, (totals.get(kind) ?? 0) + seconds);
  }
  return totals;
}
function cpuSince(before: Map<string, number>): string {
  const after = cpuSeconds();
  return [...after.entries()]
    .map(([kind, seconds]): [string, number] => [kind, seconds - (before.get(kind) ?? 0)])
    .filter(([, seconds]) => seconds >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, seconds]) => `${kind} ${seconds.toFixed(1)} s`)
    .join(', ');
}

/** Peak resident memory (VmHWM, MB) per sampled process: Deno workers and the stack's node process. */
const peaks = new Map<string, number>();
function sampleMemory(): void {
  const { supervisors, workers } = instanceProcesses();
  const named: Array<[number, string]> = [
    ...[...supervisors].map((pid): [number, string] => [pid, 'stack (node)']),
    ...[...workers].map(([pid, fn]): [number, string] => [pid, `deno ${fn}`]),
  ];
  for (const [pid, name] of named) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      peaks.set(name, Math.max(peaks.get(name) ?? 0, hwm));
    } catch {
      // The process ended meanwhile.
    }
  }
}

async function connect(token: string, shop: Shop): Promise<{ shopId: string; importId: string }> {
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-connect`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: config.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      action: 'connect',
      domain: shop.domain,
      client_id: shop.apps[0].clientId,
      client_secret: shop.apps[0].clientSecret,
    }),
  });
  const body = (await response.json()) as { shop_id: string; import_id: string };
  if (!response.ok) throw new Error(`connect: ${JSON.stringify(body)}`);
  return { shopId: body.shop_id, importId: body.import_id };
}

interface ImportState {
  status: string;
  phase: string;
  rows_done: string;
  rows_failed: string;
  chunks: string;
  last_error: string | null;
}
const state = async (id: string) =>
  (
    await sql<ImportState>(
      'select status, phase, rows_done, rows_failed, chunks, last_error from public.shop_imports where id = $1',
      [id],
    )
  )[0];

/**
 * When each phase of an import was first seen (sampled every 200 ms) and the instance's Postgres
 * CPU seconds then, for the phase timings.
 */
const phaseSeen = new Map<string, Array<[string, number, number]>>();
function notePhase(importId: string, phase: string): void {
  const seen = phaseSeen.get(importId) ?? [];
  if (seen.at(-1)?.[0] !== phase) seen.push([phase, performance.now(), cpuSeconds().get('postgres') ?? 0]);
  phaseSeen.set(importId, seen);
}
function phaseTimings(importId: string): string {
  const seen = phaseSeen.get(importId) ?? [];
  const end: [string, number, number] = ['', performance.now(), cpuSeconds().get('postgres') ?? 0];
  return seen
    .map(([phase, at, cpu], i) => {
      const [, nextAt, nextCpu] = seen[i + 1] ?? end;
      return `${phase} ${((nextAt - at) / 1000).toFixed(1)} s (Postgres CPU ${(nextCpu - cpu).toFixed(1)} s)`;
    })
    .join(', ');
}

/** Waits for the import, nudging it only when the database has nothing in flight (as pg_cron would). */
async function waitFor(importId: string, until: (s: ImportState) => boolean, timeoutMs = 3_600_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let quietSince = Date.now();
  for (;;) {
    sampleMemory();
    const current = await state(importId);
    notePhase(importId, current.status === 'running' ? current.phase : current.status);
    if (until(current)) return current;
    if (current.status !== 'running') throw new Error(`import ${current.status}: ${current.last_error ?? ''}`);
    const progress = `${current.phase}:${current.rows_done}:${current.chunks}`;
    if (progress !== last) {
      last = progress;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > 5000) {
      // Between bulk-export polls nothing commits a chunk, so nothing asks for the next call at
      // once; pg_cron would within a minute. The bench asks now, the way the schedule does.
      await fetch(`${config.apiUrl}/functions/v1/shopify-import`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${config.serviceRoleKey}`,
          apikey: config.anonKey,
          'Content-Type': 'application/json',
        },
        body: '{}',
      }).then((r) => r.text());
      quietSince = Date.now();
    }
    if (Date.now() > deadline) throw new Error('import timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function snapshot(shopId: string): Promise<string> {
  const rows = await sql<{ digest: string }>(
    `select md5(string_agg(line, E'\\n' order by line)) as digest from (
       select 'c' || x.external_id || '|' || concat_ws('|', c.first_name, c.last_name, split_part(c.email, '@', 1), c.phone,
              c.country, c.city, c.currency, c.lifecycle_stage, c.lifetime_value, c.order_count) as line
         from public.customer_external_ids x join public.customers c on c.id = x.customer_id where x.shop_id = $1
       union all
       select 'o' || o.external_id || '|' || concat_ws('|', o.order_number, o.financial_status, o.fulfillment_status,
              o.cancelled_at, o.currency, o.exchange_rate, o.subtotal, o.tax_total, o.total, o.total_base,
              o.refunded_total, o.placed_at, o.external_updated_at)
         from public.orders o where o.shop_id = $1
       union all
       select 'i' || i.external_id || '|' || concat_ws('|', o.external_id, i.sku, i.quantity, i.unit_price, i.total)
         from public.order_items i join public.orders o on o.id = i.order_id where o.shop_id = $1
       union all
       select 'p' || p.external_id || '|' || concat_ws('|', p.title, p.handle, p.vendor, p.status)
         from public.products p where p.shop_id = $1
       union all
       select 'v' || v.external_id || '|' || concat_ws('|', v.sku, v.price, v.inventory_quantity)
         from public.product_variants v join public.products p on p.id = v.product_id where p.shop_id = $1
     ) lines`,
    [shopId],
  );
  return rows[0].digest;
}

function killImportWorkers(): number {
  let killed = 0;
  for (const [pid, fn] of instanceProcesses().workers) {
    if (fn !== 'shopify-import') continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // gone already
    }
  }
  return killed;
}

async function main(): Promise<void> {
  console.log(
    `Shopify import bench at scale ${scale}: ${size.customers} customers, ${size.products} products (${size.products * 3} variants), ${size.orders} orders`,
  );
  const started = !isRunning(config);
  if (started) await startStack(config);
  try {
    const token = (await signInBenchAdmin(sql)).token;
    const anchorMs = Math.floor(Date.now() / 1000) * 1000;
    const newShop = async () => (await emulator('shops', 'POST', { size, anchorMs })) as unknown as Shop;
    const [a, b, c] = [await newShop(), await newShop(), await newShop()];
    for (const shop of [a, b, c])
      await emulator(`shops/${shop.domain}/throttle`, 'PUT', { maximumAvailable: 2000, restoreRate: 1000 });

    // 1. Clean run.
    const cpuBefore = cpuSeconds();
    const began = performance.now();
    const clean = await connect(token, a);
    const done = await waitFor(clean.importId, (s) => s.status === 'completed');
    const seconds = (performance.now() - began) / 1000;
    const [{ items }] = await sql<{ items: string }>(
      'select count(*) as items from public.order_items i join public.orders o on o.id = i.order_id where o.shop_id = $1',
      [clean.shopId],
    );
    const perSecond = Math.round(size.orders / seconds);
    console.log(
      `clean import: ${done.rows_done} rows (${items} line items) in ${seconds.toFixed(1)} s, ${done.chunks} chunks, ${done.rows_failed} failed rows → ${perSecond} orders/s`,
    );
    console.log(`clean import phases (sampled): ${phaseTimings(clean.importId)}`);
    // Deno workers that started during the run count from zero; one that ended (killed) is lost.
    console.log(`clean import CPU time: ${cpuSince(cpuBefore)}`);
    if (cleanOnly) {
      sampleMemory();
      for (const [name, mb] of [...peaks.entries()].sort()) console.log(`peak memory ${name}: ${mb.toFixed(0)} MB`);
      console.log('--clean-only: no crash-and-resume run, no webhook twin');
      return;
    }

    // 2. Crash and resume.
    const crash = await connect(token, b);
    await waitFor(crash.importId, (s) => s.phase === 'orders' && Number(s.chunks) >= 2);
    const killed = killImportWorkers();
    await sql(`update public.shop_imports set leased_until = null where id = $1`, [crash.importId]);
    console.log(`crash: killed ${killed} shopify-import worker(s) during the orders phase; lease cleared`);
    await waitFor(crash.importId, (s) => s.status === 'completed');
    const resumeIdentical = (await snapshot(crash.shopId)) === (await snapshot(clean.shopId));

    // 3. Webhook equivalence.
    const secret = `bench-${randomUUID()}`;
    const [twin] = await sql<{ id: string }>(
      `insert into public.shops (name, domain, currency, timezone) values ('Bench twin', $1, 'EUR', 'Europe/Madrid') returning id`,
      [c.domain],
    );
    await sql('select public.set_shop_webhook_secret($1, $2)', [twin.id, secret]);
    const send = async (kind: string, id: number, topic: string) => {
      const { payload } = (await emulator(`shops/${c.domain}/webhooks`, 'POST', { kind, id, topic, send: false })) as {
        payload: { updated_at?: string; created_at: string };
      };
      const body = JSON.stringify(payload);
      const response = await fetch(`${config.apiUrl}/functions/v1/shopify-webhook`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': topic.toLowerCase().replace('_', '/'),
          'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
          'X-Shopify-Shop-Domain': c.domain,
          'X-Shopify-API-Version': '2025-07',
          'X-Shopify-Webhook-Id': randomUUID(),
          'X-Shopify-Event-Id': randomUUID(),
          'X-Shopify-Triggered-At': payload.updated_at ?? payload.created_at,
        },
        body,
      });
      if (!response.ok) throw new Error(`webhook ${topic} ${id}: ${response.status} ${await response.text()}`);
    };
    const webhookStart = performance.now();
    const inBatches = async (ids: number[], kind: string, topic: string) => {
      for (let i = 0; i < ids.length; i += 16)
        await Promise.all(ids.slice(i, i + 16).map((id) => send(kind, id, topic)));
    };
    const range = (base: number, count: number) => Array.from({ length: count }, (_, i) => base + i);
    await inBatches(range(800_000_000_000, size.customers), 'customer', 'CUSTOMERS_UPDATE');
    await inBatches(range(810_000_000_000, size.products), 'product', 'PRODUCTS_UPDATE');
    await inBatches(range(840_000_000_000, size.orders), 'order', 'ORDERS_UPDATED');
    const refunded = await sql<{ id: string }>(
      'select external_id::text as id from public.orders where shop_id = $1 and refunded_total > 0',
      [clean.shopId],
    );
    await inBatches(
      refunded.map((row) => Number(row.id)),
      'order',
      'REFUNDS_CREATE',
    );
    const webhookSeconds = (performance.now() - webhookStart) / 1000;
    const equivalent = (await snapshot(twin.id)) === (await snapshot(clean.shopId));
    console.log(
      `webhook path: ${size.orders} orders in ${webhookSeconds.toFixed(1)} s → ${Math.round(size.orders / webhookSeconds)} orders/s`,
    );

    sampleMemory();
    for (const [name, mb] of [...peaks.entries()].sort()) console.log(`peak memory ${name}: ${mb.toFixed(0)} MB`);
    const peak = Math.max(0, ...peaks.values());
    console.log(
      `peak memory of any sampled process: ${peak.toFixed(0)} MB (target < 300 MB: ${peak < 300 ? 'met' : 'MISSED'})`,
    );
    console.log(
      `import ${perSecond} orders/s (target >= 2000: ${perSecond >= 2000 ? 'met' : 'MISSED'}), resume identical: ${resumeIdentical ? 'yes' : 'no'}, webhook equivalence: ${equivalent ? 'identical' : 'DIFFERENT'}`,
    );
  } finally {
    await db.end();
    if (started && !keepStack) await stopStack(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
