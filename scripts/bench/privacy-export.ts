/**
 * The privacy export's speed (issue 12): a customer with --orders orders (default 600, three
 * items each, plus activities, favourites and the consent ledger) downloads everything Cairn holds
 * about them (`my_data_export`, as the portal calls it) and staff answer an access request for
 * them (`answer_access_request`, as the privacy console calls it), both through the gateway,
 * one request at a time, with --scale other orders in the tables around them. Target: < 2 s.
 *
 * Runs its own instance (`bench-privacy`, ports 62721… unless CAIRN_STACK_PORT_BASE is set):
 *   npx tsx scripts/bench/privacy-export.ts [--orders 600] [--scale 100000] [--requests 30]
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'bench-privacy';
process.env.CAIRN_STACK_PORT_BASE ??= '62721';
const config = stackConfig('bench-privacy');
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const ordersOfTheCustomer = option('orders', 600);
const backgroundOrders = option('scale', 100_000);
const requests = option('requests', 30);
const TARGET_MS = 2000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  try {
    const scale = {
      customers: Math.max(1000, Math.round(backgroundOrders / 10)),
      orders: backgroundOrders,
      favorites: backgroundOrders,
      activities: Math.round(backgroundOrders / 5),
      agents: 5,
      seed: 11,
    };
    console.log(`Loading ${scale.customers} customers and ${scale.orders} orders around the one exported…`);
    const began = performance.now();
    await generate(config, scale, () => undefined);
    console.log(`  loaded in ${((performance.now() - began) / 1000).toFixed(1)} s`);

    const auth = async (path: string, key: string, body: unknown) => {
      const response = await fetch(`${config.apiUrl}/auth/v1${path}`, {
        method: 'POST',
        headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const rpc = (token: string, name: string, body: unknown) =>
      fetch(`${config.apiUrl}/rest/v1/rpc/${name}`, {
        method: 'POST',
        headers: { apikey: config.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    // The shopper: a portal account linked by the database to a customer of their own.
    const email = `bench-privacy-${Date.now()}@example.test`;
    const password = 'Bench-privacy-2026';
    await auth('/admin/users', config.serviceRoleKey, { email, password, email_confirm: true });
    const token = String((await auth('/token?grant_type=password', config.anonKey, { email, password })).access_token);
    const linked = await rpc(token, 'link_portal_account', {});
    if (!linked.ok) throw new Error(`link_portal_account: ${linked.status} ${await linked.text()}`);
    const customer = String(await linked.json());

    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    await db.query(
      `insert into public.orders (customer_id, currency, total, subtotal, financial_status, order_number, placed_at,
         shipping_name, shipping_address1, shipping_city, note)
       select $1, 'EUR', 90 + n % 50, 90 + n % 50, 'paid', 'BENCH-' || n, now() - n * interval '1 day',
         'Bench Shopper', n || ' Export Street', 'Lyon', 'Leave at the door'
       from generate_series(1, $2::int) n`,
      [customer, ordersOfTheCustomer],
    );
    await db.query(
      `insert into public.order_items (order_id, title, quantity, unit_price, total, currency)
       select o.id, 'Item ' || k, k, 30, 30 * k, 'EUR' from public.orders o, generate_series(1, 3) k
       where o.customer_id = $1`,
      [customer],
    );
    await db.query(
      `insert into public.activities (customer_id, kind, subject, body)
       select $1, 'note', 'Call ' || n, 'Talked about order BENCH-' || n from generate_series(1, 100) n`,
      [customer],
    );
    const { rows: variants } = await db.query<{ id: string }>(
      `select v.id from public.product_variants v join public.products p on p.id = v.product_id
       where p.status = 'active' limit 40`,
    );
    await db.query('analyze');
    for (const { id } of variants) {
      const saved = await rpc(token, 'set_favorite', { variant: id, favourite: true });
      if (!saved.ok) throw new Error(`set_favorite: ${saved.status}`);
    }
    const [held] = (
      await db.query<{ orders: number; items: number }>(
        `select (select count(*)::int from public.orders where customer_id = $1) as orders,
                (select count(*)::int from public.order_items i join public.orders o on o.id = i.order_id
                 where o.customer_id = $1) as items`,
        [customer],
      )
    ).rows;
    const [{ n: allOrders }] = (await db.query<{ n: number }>('select count(*)::int as n from public.orders')).rows;
    const [{ id: request }] = (
      await db.query<{ id: string }>(
        `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'access', 'staff') returning id`,
        [customer],
      )
    ).rows;
    await db.end();
    console.log(`  the customer: ${held.orders} orders, ${held.items} items; ${allOrders} orders in the table`);

    const measure = async (label: string, call: () => Promise<Response>) => {
      const time = async () => {
        const start = performance.now();
        const response = await call();
        const body = await response.text();
        const elapsed = performance.now() - start;
        if (response.status !== 200) throw new Error(`${label} answered ${response.status}: ${body.slice(0, 200)}`);
        return { elapsed, bytes: body.length };
      };
      const first = await time();
      for (let i = 0; i < 3; i += 1) await time();
      const times: number[] = [];
      for (let i = 0; i < requests; i += 1) times.push((await time()).elapsed);
      times.sort((a, b) => a - b);
      const ms = (value: number) => `${value.toFixed(0)} ms`;
      console.log(
        `${label}: first ${ms(first.elapsed)} (${(first.bytes / 1024).toFixed(0)} KB), then ${requests} requests p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times.at(-1) ?? 0)}`,
      );
      return Math.max(first.elapsed, percentile(times, 95));
    };
    const staff = await measure('answer_access_request (service role; first call completes it)', () =>
      rpc(config.serviceRoleKey, 'answer_access_request', { request }),
    );
    const shopper = await measure('my_data_export (the shopper, through the gateway)', () =>
      rpc(token, 'my_data_export', {}),
    );
    const worst = Math.max(staff, shopper);
    console.log(
      `Privacy export of a customer with ${held.orders} orders (worst of first call and p95): ${worst.toFixed(0)} ms (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'met' : 'MISSED'}`,
    );
  } finally {
    await stopStack(config);
  }
}

await main();
