/**
 * The heart's speed (issue 12): `set_favorite` p95 through the gateway (PostgREST RPC, as the
 * portal calls it) with --scale favourites loaded (default 1 000 000; target p95 < 150 ms).
 * One signed-in shopper toggles favourites on variants that many shoppers favourited, one
 * request at a time (each request is a click), after a warm-up.
 *
 * Runs its own instance (`bench-portal`, ports 62721… unless CAIRN_STACK_PORT_BASE is set):
 *   npx tsx scripts/bench/favorite-toggle.ts [--scale 1000000] [--requests 500]
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'bench-portal';
process.env.CAIRN_STACK_PORT_BASE ??= '62721';
const config = stackConfig('bench-portal');
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const favourites = option('scale', 1_000_000);
const requests = option('requests', 500);
const TARGET_MS = 150;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  try {
    const scale = {
      customers: Math.max(1000, Math.round(favourites / 10)),
      orders: 1000,
      favorites: favourites,
      activities: 100,
      agents: 5,
      seed: 7,
    };
    console.log(`Loading ${scale.customers} customers and ${scale.favorites} favourites…`);
    const began = performance.now();
    await generate(config, scale, () => undefined);
    console.log(`  loaded in ${((performance.now() - began) / 1000).toFixed(1)} s`);

    // A shopper as the portal makes one: an account, signed in, linked by the database.
    const email = `bench-shopper-${Date.now()}@example.test`;
    const password = 'Bench-shopper-2026';
    const auth = async (path: string, key: string, body: unknown) => {
      const response = await fetch(`${config.apiUrl}/auth/v1${path}`, {
        method: 'POST',
        headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    await auth('/admin/users', config.serviceRoleKey, { email, password, email_confirm: true });
    const session = await auth('/token?grant_type=password', config.anonKey, { email, password });
    const token = String(session.access_token);
    const rpc = (name: string, body: unknown) =>
      fetch(`${config.apiUrl}/rest/v1/rpc/${name}`, {
        method: 'POST',
        headers: { apikey: config.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const linked = await rpc('link_portal_account', {});
    if (!linked.ok) throw new Error(`link_portal_account: ${linked.status} ${await linked.text()}`);

    // The most favourited active variants: the rows the toggle's unique index is busiest around.
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(
      `select f.variant_id as id from public.favorites f
       join public.product_variants v on v.id = f.variant_id join public.products p on p.id = v.product_id
       where p.status = 'active' group by f.variant_id order by count(*) desc limit 50`,
    );
    const [{ n: loaded }] = (await db.query<{ n: number }>('select count(*)::int as n from public.favorites')).rows;
    await db.end();
    console.log(`  ${loaded} favourites in the table; toggling ${rows.length} popular variants`);

    const state = new Map<string, boolean>();
    const toggle = async (i: number): Promise<number> => {
      const variant = rows[i % rows.length].id;
      const next = !(state.get(variant) ?? false);
      const start = performance.now();
      const response = await rpc('set_favorite', { variant, favourite: next });
      await response.text();
      const elapsed = performance.now() - start;
      if (response.status !== 200) throw new Error(`set_favorite answered ${response.status}`);
      state.set(variant, next);
      return elapsed;
    };
    for (let i = 0; i < 50; i += 1) await toggle(i);
    const times: number[] = [];
    for (let i = 0; i < requests; i += 1) times.push(await toggle(i));
    times.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `\n${requests} toggles, one at a time: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, p99 ${ms(percentile(times, 99))}, max ${ms(times.at(-1) ?? 0)}`,
    );
    const p95 = percentile(times, 95);
    console.log(
      `Favourite toggle p95 with ${loaded} favourites: ${ms(p95)} (target < ${TARGET_MS} ms): ${p95 < TARGET_MS ? 'met' : 'MISSED'}`,
    );
  } finally {
    await stopStack(config);
  }
}

await main();
