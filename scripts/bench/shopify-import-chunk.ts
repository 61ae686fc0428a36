/**
 * Backend CPU of one chunk of the Shopify history import (issue 11), the figure that moves least
 * with a loaded machine's neighbours. Wall time of a whole import swings 2× between neighbouring
 * runs on the shared 2-core machine; one backend's CPU time much less.
 *
 *   npx tsx scripts/bench/shopify-import-chunk.ts [--phase orders|locations] [--runs 5] [--orders 3000]
 *     [--products 100] [--variant name=file.sql ...]
 *
 * 1. Makes an emulated store (1 000 customers, `--products` products with 3 variants each, stocked
 *    at 2 locations, `--orders` orders), connects it and
 *    lets the import run (the database schedules its chunks) until it is in `--phase` with its
 *    export ready, then cancels it — the chunk at its offset has never been applied.
 * 2. Reads that chunk (the worker's own readChunk / mapGroups, so the same records it would send).
 * 3. `--runs` times, for each variant in turn (alternating): in one transaction, runs the variant's
 *    SQL (e.g. the old functions re-created: DDL is transactional), puts the import back at that
 *    offset, calls public.shopify_import_apply_chunk as the worker does, reads the backend's CPU
 *    time (/proc/<pid>/stat, utime + stime) around the call (for the locations phase, with the
 *    variant totals it queued for the import's end), and rolls everything back.
 *    Without `--variant`, one variant `current` (the migrations as they are).
 * Prints each run and each variant's min / median / mean in ms.
 *
 * Runs on the instance named by CAIRN_STACK / CAIRN_STACK_PORT_BASE (default `bench`, 64321…); the
 * stack must be on this machine (the backend's /proc entry is read).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { isRunning, startStack } from '@cairn/local-stack/control.ts';
import { processCpuMs as cpuMs, signInBenchAdmin } from './measure.ts';

type Phase = 'customers' | 'products' | 'locations' | 'orders' | 'fulfillments';
type Groups = Array<{ root: Record<string, unknown>; children: Array<Record<string, unknown>> }>;
/**
 * The worker's own chunk reader and mapper (Deno code that runs under Node too), loaded by URL so
 * `tsc -p scripts` does not type-check the functions' Deno modules.
 */
const worker = (await import(new URL('../../supabase/functions/shopify-import/handler.ts', import.meta.url).href)) as {
  readChunk(
    url: string,
    offset: number,
    limit: number,
    options?: { maxChildren?: number; rangeBytes?: number },
  ): Promise<{ groups: Groups; endOffset: number; atEnd: boolean }>;
  mapGroups(phase: Phase, groups: Groups): { records: unknown[]; failures: unknown[] };
};

process.env.CAIRN_STACK ??= 'bench';
process.env.CAIRN_STACK_PORT_BASE ??= '64321';
const config = stackConfig();
const arg = (name: string, fallback: string) =>
  process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? fallback) : fallback;
const phase = arg('--phase', 'orders') as Phase;
const runs = Number(arg('--runs', '5'));
const orders = Number(arg('--orders', '3000'));
const products = Number(arg('--products', '100'));
const variants: Array<[string, string]> = process.argv
  .flatMap((value, i) => (process.argv[i - 1] === '--variant' ? [value] : []))
  .map((spec) => {
    const [name, file] = spec.split('=');
    return [name, readFileSync(file, 'utf8')];
  });
if (variants.length === 0) variants.push(['current', '']);

const db = new pg.Pool({ connectionString: config.adminDbUrl, max: 2 });
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

async function main(): Promise<void> {
  if (!isRunning(config)) await startStack(config);
  const size = { customers: 1000, products, orders };
  const shop = (await emulator('shops', 'POST', { size, anchorMs: Math.floor(Date.now() / 1000) * 1000 })) as {
    domain: string;
    apps: Array<{ clientId: string; clientSecret: string }>;
  };
  await emulator(`shops/${shop.domain}/throttle`, 'PUT', { maximumAvailable: 2000, restoreRate: 1000 });
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-connect`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${(await signInBenchAdmin(sql)).token}`,
      apikey: config.anonKey,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      action: 'connect',
      domain: shop.domain,
      client_id: shop.apps[0].clientId,
      client_secret: shop.apps[0].clientSecret,
    }),
  });
  const connected = (await response.json()) as { import_id: string };
  if (!response.ok) throw new Error(`connect: ${JSON.stringify(connected)}`);
  const importId = connected.import_id;

  // Until the import is in the phase with its export ready, then stop it where it is.
  let url: string | null = null;
  for (let i = 0; i < 3000 && !url; i++) {
    const [row] = await sql<{ phase: string; status: string; bulk_url: string | null }>(
      'select phase, status, bulk_url from public.shop_imports where id = $1',
      [importId],
    );
    if (row.status !== 'running') throw new Error(`the import is ${row.status} before the ${phase} phase`);
    if (row.phase === phase && row.bulk_url) url = row.bulk_url;
    else {
      // Nudge it as pg_cron would (the bench does the same after 5 quiet seconds).
      if (i % 25 === 24)
        await fetch(`${config.apiUrl}/functions/v1/shopify-import`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${config.serviceRoleKey}`,
            apikey: config.anonKey,
            'Content-Type': 'application/json',
          },
          body: '{}',
        }).then((r) => r.text());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (!url) throw new Error(`the import never reached the ${phase} phase`);
  const [stopped] = await sql<{ byte_offset: string }>(
    `update public.shop_imports set status = 'canceled', finished_at = now() where id = $1 returning byte_offset`,
    [importId],
  );
  const offset = Number(stopped.byte_offset);
  const limit = Number(process.env.SHOPIFY_IMPORT_CHUNK_ROOTS ?? 1000);
  const chunk = await worker.readChunk(
    url,
    offset,
    limit,
    phase === 'locations' ? { maxChildren: Number(process.env.SHOPIFY_IMPORT_CHUNK_LEVELS ?? 2000) } : {},
  );
  const { records, failures } = worker.mapGroups(phase, chunk.groups);
  console.log(
    `chunk of the ${phase} phase at byte ${offset}: ${chunk.groups.length} groups, ${records.length} records, ${failures.length} failures`,
  );

  const client = await db.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  try {
    for (let run = 0; run < runs; run++) {
      for (const [name, variantSql] of variants) {
        await client.query('begin');
        try {
          if (variantSql) await client.query(variantSql);
          await client.query(
            `update public.shop_imports set status = 'running', finished_at = null, phase = $2, byte_offset = $3 where id = $1`,
            [importId, phase, offset],
          );
          const before = cpuMs(pid);
          const started = performance.now();
          const [{ outcome }] = (
            await client.query<{ outcome: { status: string; mode: string } }>(
              `select public.shopify_import_apply_chunk($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7) as outcome`,
              [
                importId,
                offset,
                chunk.endOffset,
                chunk.groups.length,
                JSON.stringify(records),
                JSON.stringify(failures),
                phase,
              ],
            )
          ).rows;
          if (phase === 'locations') {
            // The variant totals the chunk queued for the import's end (20261211130000) count too.
            for (let i = 0; i < 100; i++) {
              const [{ left }] = (
                await client.query<{ left: number }>('select public.shopify_import_refresh_metrics($1, 1000) as left', [
                  importId,
                ])
              ).rows;
              if (left === 0) break;
            }
          }
          const wall = performance.now() - started;
          const cpu = cpuMs(pid) - before;
          times.get(name)?.push(cpu);
          console.log(
            `run ${run + 1} ${name}: ${outcome.status}/${outcome.mode}, backend CPU ${cpu} ms, wall ${wall.toFixed(0)} ms`,
          );
        } finally {
          await client.query('rollback');
        }
      }
    }
  } finally {
    client.release();
  }
  for (const [name, values] of times) {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    console.log(
      `${name}: backend CPU min ${sorted[0]} / median ${sorted[Math.floor(sorted.length / 2)]} / mean ${mean.toFixed(0)} ms over ${values.length} runs`,
    );
  }
  await db.end();
}

main().catch(async (error) => {
  console.error(error);
  await db.end().catch(() => undefined);
  process.exit(1);
});
