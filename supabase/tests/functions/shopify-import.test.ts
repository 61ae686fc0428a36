/**
 * History import (issue 11) against the Shopify emulator and the real database: connecting a
 * store queues an import; shopify-import runs the bulk exports and applies the JSONL in chunks
 * through the webhook's rules. Everything arrives once (a repeated chunk changes nothing, an
 * abandoned lease is picked up and finished), rows that cannot be applied are recorded with their
 * Shopify id, and an imported shop ends in the same rows as the same shop fed by webhooks.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { type Cast, createCast } from '../../../scripts/testing/support/team.ts';

interface EmulatorShop {
  domain: string;
  apps: Array<{ clientId: string; clientSecret: string }>;
}

let cast: Cast;

async function emulator(path: string, method = 'POST', body?: unknown) {
  const response = await fetch(`${config.shopifyUrl}/_emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function adminToken(): Promise<string> {
  const { data } = await cast.people.admin.client.auth.getSession();
  if (!data.session) throw new Error('admin is not signed in');
  return data.session.access_token;
}

async function connect(shop: EmulatorShop): Promise<{ shopId: string; importId: string }> {
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-connect`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await adminToken()}`,
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
  const body = (await response.json()) as { shop_id: string; import_id: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { shopId: body.shop_id, importId: body.import_id };
}

async function work(maxChunks?: number, maxSteps?: number) {
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-import`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${config.serviceRoleKey}`,
      apikey: config.anonKey,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      ...(maxChunks ? { max_chunks: maxChunks } : {}),
      ...(maxSteps ? { max_steps: maxSteps } : {}),
    }),
  });
  const body = (await response.json()) as { steps: number; chunks: number };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

interface ImportRow {
  status: string;
  phase: string;
  rows_done: number;
  rows_total: number | null;
  rows_failed: number;
  row_chunks: number;
  byte_offset: number;
  last_error: string | null;
}
const importRow = async (id: string) =>
  (
    await adminSql<ImportRow>(
      'select status, phase, rows_done::int, rows_total::int, rows_failed::int, row_chunks::int, byte_offset::int, last_error from public.shop_imports where id = $1',
      [id],
    )
  )[0];

async function finish(importId: string) {
  for (let i = 0; i < 200; i++) {
    const row = await importRow(importId);
    if (row.status !== 'running') return row;
    await adminSql(`update public.shop_imports set leased_until = null where id = $1`, [importId]);
    await work();
  }
  throw new Error('the import did not finish');
}

/** What the shop's data looks like in Cairn, keyed by Shopify ids (the shop's own domain stripped from emails). */
async function snapshot(shopId: string) {
  const customers = await adminSql(
    `select x.external_id::text as id, c.first_name, c.last_name, split_part(c.email, '@', 1) as email, c.phone,
            c.country, c.city, c.currency, c.lifecycle_stage, c.lifetime_value, c.order_count, c.first_order_at
       from public.customer_external_ids x join public.customers c on c.id = x.customer_id
      where x.shop_id = $1 order by x.external_id`,
    [shopId],
  );
  const orders = await adminSql(
    `select o.external_id::text as id, o.order_number, o.financial_status, o.fulfillment_status, o.cancelled_at,
            o.currency, o.exchange_rate, o.subtotal, o.tax_total, o.total, o.total_base, o.refunded_total,
            o.refunded_base, o.exchange_rate_date, o.exchange_rate_stale,
            o.placed_at, o.external_updated_at, x.external_id::text as customer,
            -- The owner copies the row triggers keep (the import looks them up for the set).
            o.customer_owner_id is not distinct from c.owner_id as owner_copied,
            (select json_agg(json_build_object('id', i.external_id, 'sku', i.sku, 'q', i.quantity, 'p', i.unit_price, 't', i.total,
                                               'currency', i.currency, 'product', i.product_id is not null,
                                               'owner', i.customer_owner_id is not distinct from o.customer_owner_id)
                             order by i.external_id) from public.order_items i where i.order_id = o.id) as items
       from public.orders o
       left join public.customer_external_ids x on x.customer_id = o.customer_id and x.shop_id = o.shop_id
       left join public.customers c on c.id = o.customer_id
      where o.shop_id = $1 order by o.external_id`,
    [shopId],
  );
  const products = await adminSql(
    `select p.external_id::text as id, p.title, p.handle, p.vendor, p.status,
            (select json_agg(json_build_object('id', v.external_id, 'sku', v.sku, 'price', v.price, 'stock', v.inventory_quantity)
                             order by v.external_id) from public.product_variants v where v.product_id = p.id) as variants
       from public.products p where p.shop_id = $1 order by p.external_id`,
    [shopId],
  );
  const fulfillments = await adminSql<{ order: string }>(
    `select o.external_id::text as order, f.external_id::text as id, f.name, f.status, f.shipment_status,
            f.tracking_company, f.tracking_number, f.tracking_url, f.location_external_id::text as location,
            f.line_items, f.external_created_at, f.external_updated_at
       from public.order_fulfillments f join public.orders o on o.id = f.order_id
      where o.shop_id = $1 order by f.external_id`,
    [shopId],
  );
  const locations = await adminSql(
    `select external_id::text as id, name, address1, city, postal_code, country, active, external_updated_at
       from public.shop_locations where shop_id = $1 order by external_id`,
    [shopId],
  );
  const levels = await adminSql<{ item: string; location: string }>(
    `select v.inventory_item_id::text as item, s.external_id::text as location, l.available, l.external_updated_at
       from public.inventory_levels l
       join public.product_variants v on v.id = l.variant_id
       join public.shop_locations s on s.id = l.location_id
      where s.shop_id = $1 order by v.inventory_item_id, s.external_id`,
    [shopId],
  );
  return { customers, orders, products, fulfillments, locations, levels };
}

/** Row ids, links and times differ between two shops; everything else an audit entry holds must not. */
const UNSTABLE = ['id', 'shop_id', 'customer_id', 'order_id', 'product_id', 'variant_id', 'created_at', 'updated_at'];

/**
 * The audit trail of the shop's orders, line items and refunds (every entry, in order) and of the
 * creation of its customers, keyed by Shopify ids: the entry's action and role, and what it wrote
 * (an insert's row, an update's changed fields).
 */
async function auditTrail(shopId: string) {
  return adminSql(
    `select t.kind, t.id, a.action, a.actor_role,
            -- (the emulator gives each shop's customers its own email domain)
            case when a.action = 'INSERT' and a.after ? 'email'
                   then a.after - $2::text[] || jsonb_build_object('email', split_part(a.after ->> 'email', '@', 1))
                 when a.action = 'INSERT' then a.after - $2::text[]
                 else (select jsonb_object_agg(k, a.after -> k) from jsonb_object_keys(a.after) k
                        where a.after -> k is distinct from a.before -> k and k <> all ($2::text[])) end as change
       from (select 'order' as kind, o.external_id::text as id, o.id::text as row_id, 'orders' as table_name
               from public.orders o where o.shop_id = $1
             union all
             select 'item', i.external_id::text, i.id::text, 'order_items'
               from public.order_items i join public.orders o on o.id = i.order_id where o.shop_id = $1
             union all
             select 'refund', r.external_id::text, r.id::text, 'refunds'
               from public.refunds r join public.orders o on o.id = r.order_id where o.shop_id = $1
             union all
             select 'customer', x.external_id::text, x.customer_id::text, 'customers'
               from public.customer_external_ids x where x.shop_id = $1) as t
       join public.audit_log a on a.table_name = t.table_name and a.row_id = t.row_id
      where t.kind <> 'customer' or a.action = 'INSERT'
      order by t.kind, t.id, a.id`,
    [shopId, UNSTABLE],
  );
}

/**
 * The flow passages the shop's records started, per flow trigger and customer (Shopify id): how
 * many, how many were logged as entered, how many name an order of that customer. (Which of a
 * customer's orders started a passage depends on the order the webhooks arrive in.)
 */
async function flowEvents(shopId: string, flowIds: string[]) {
  return adminSql(
    `select f.trigger ->> 'type' as trigger, x.external_id::text as customer, count(*)::int as passages,
            count(*) filter (where o.customer_id = e.customer_id)::int as own_order,
            sum((select count(*) from public.flow_step_runs r where r.enrolment_id = e.id and r.step_key = 'entered'))::int as entered,
            array_agg(distinct e.trigger_event ->> 'type') as events
       from public.flow_enrolments e
       join public.flows f on f.id = e.flow_id
       join public.customer_external_ids x on x.customer_id = e.customer_id and x.shop_id = $1
       left join public.orders o on o.id::text = e.trigger_event ->> 'order_id'
      where e.flow_id = any($2::uuid[])
      group by 1, 2
      order by 1, 2`,
    [shopId, flowIds],
  );
}

beforeAll(async () => {
  cast = await createCast('shopify-import');
});
afterAll(() => cast?.end());

describe('history import', () => {
  it('imports every customer, product and order once; repeated chunks and abandoned leases change nothing', async () => {
    const shop = (await emulator('shops', 'POST', {
      size: { customers: 40, products: 6, orders: 150 },
    })) as unknown as EmulatorShop;
    const { shopId, importId } = await connect(shop);
    // The database drives it (pg_net after each chunk, pg_cron every minute); the test helps along.
    const done = await finish(importId);
    // Every chunk of a clean export applied as sets, none row by row.
    expect(done).toMatchObject({ status: 'completed', phase: 'done', rows_failed: 0, row_chunks: 0, last_error: null });
    // Customers, products, the 2 locations, orders, and each order's fulfillment order.
    expect(done.rows_done).toBe(40 + 6 + 2 + 150 + 150);
    expect(done.rows_total).toBe(40 + 6 + 2 + 150 + 150);

    const [counts] = await adminSql<{
      customers: number;
      orders: number;
      products: number;
      variants: number;
      items: number;
      refunds: number;
    }>(
      `select (select count(*)::int from public.customer_external_ids where shop_id = $1) as customers,
              (select count(*)::int from public.orders where shop_id = $1) as orders,
              (select count(*)::int from public.products where shop_id = $1) as products,
              (select count(*)::int from public.product_variants v join public.products p on p.id = v.product_id where p.shop_id = $1) as variants,
              (select count(*)::int from public.order_items i join public.orders o on o.id = i.order_id where o.shop_id = $1) as items,
              (select count(*)::int from public.refunds r join public.orders o on o.id = r.order_id where o.shop_id = $1) as refunds`,
      [shopId],
    );
    expect(counts).toMatchObject({ customers: 40, orders: 150, products: 6, variants: 18 });
    expect(counts.items).toBeGreaterThanOrEqual(150);
    expect(counts.refunds).toBeGreaterThan(0);
    // Importing again changes nothing: every record is already at its version.
    const before = await snapshot(shopId);
    const again = await fetch(`${config.apiUrl}/functions/v1/shopify-connect`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await adminToken()}`,
        apikey: config.anonKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ action: 'import', shop_id: shopId }),
    });
    const second = ((await again.json()) as { import_id: string }).import_id;
    expect(second).not.toBe(importId);
    expect(await finish(second)).toMatchObject({ status: 'completed', row_chunks: 0 });
    expect(await snapshot(shopId)).toEqual(before);
  });

  it('applies a chunk exactly once: only at the stored offset, and a lease keeps a second worker off', async () => {
    const shop = (await emulator('shops', 'POST', {
      size: { customers: 3, products: 1, orders: 3 },
    })) as unknown as EmulatorShop;
    const { shopId, importId: first } = await connect(shop);
    expect((await finish(first)).status).toBe('completed');
    // A running import stopped at byte 100 of its orders file (made here, so no worker is asked for it).
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.shop_imports (shop_id, phase, bulk_url, byte_offset, leased_until)
       values ($1, 'orders', 'http://127.0.0.1:9/none.jsonl', 100, now() + interval '1 hour') returning id`,
      [shopId],
    );
    const apply = async (from: number, to: number) =>
      (
        await adminSql<{ result: { status: string } }>(
          `select public.shopify_import_apply_chunk($1, $2, $3, 7, '[]'::jsonb) as result`,
          [id, from, to],
        )
      )[0].result.status;
    expect(await apply(0, 100)).toBe('stale');
    expect(await apply(100, 250)).toBe('applied');
    expect(await apply(100, 250)).toBe('stale');
    expect(await importRow(id)).toMatchObject({ byte_offset: 250, rows_done: 7 });

    // A chunk is applied as sets; one with a row that cannot be applied goes row by row, the
    // bad row recorded with its Shopify id and the others applied.
    const customer = (n: number, extra: Record<string, unknown> = {}) => ({
      shopify_id: String(n),
      version: '2026-01-02T00:00:00Z',
      mapped: {
        kind: 'customer',
        record: {
          shopifyId: n,
          email: `set-${n}-${id}@example.com`,
          firstName: `Set ${n}`,
          updatedAt: '2026-01-02T00:00:00Z',
          ...extra,
        },
      },
    });
    const orphanRefund = {
      shopify_id: '9',
      version: '2026-01-02T00:00:00Z',
      mapped: {
        kind: 'refund',
        record: { shopifyId: 9, orderShopifyId: 987_654_321, amount: '1.00', createdAt: '2026-01-02T00:00:00Z' },
      },
    };
    const chunk = async (from: number, to: number, records: unknown[]) =>
      (
        await adminSql<{ result: { status: string; mode: string; applied: number; failed: number } }>(
          `select public.shopify_import_apply_chunk($1, $2, $3, $4, $5::jsonb) as result`,
          [id, from, to, records.length, JSON.stringify(records)],
        )
      )[0].result;
    expect(await chunk(250, 260, [customer(930_001), customer(930_002)])).toMatchObject({
      status: 'applied',
      mode: 'set',
      applied: 2,
      failed: 0,
    });
    expect(await chunk(260, 270, [customer(930_003), orphanRefund])).toMatchObject({
      status: 'applied',
      mode: 'rows',
      applied: 1,
      failed: 1,
    });
    const imported = await adminSql<{ id: string; first_name: string }>(
      `select x.external_id::text as id, c.first_name from public.customer_external_ids x
         join public.customers c on c.id = x.customer_id where x.shop_id = $1 and x.external_id between 930001 and 930003
        order by 1`,
      [shopId],
    );
    expect(imported).toEqual([
      { id: '930001', first_name: 'Set 930001' },
      { id: '930002', first_name: 'Set 930002' },
      { id: '930003', first_name: 'Set 930003' },
    ]);
    const errors = await adminSql<{ shopify_id: string; reason: string }>(
      'select shopify_id, reason from public.shop_import_errors where import_id = $1',
      [id],
    );
    expect(errors).toEqual([{ shopify_id: '9', reason: expect.stringContaining('not known yet') as string }]);
    // The same chunk again (a retry after a lost answer) changes nothing.
    expect((await chunk(260, 270, [customer(930_003), orphanRefund])).status).toBe('stale');

    // Leased by a worker that died: nobody else takes it until the lease runs out.
    expect(await work()).toEqual({ steps: 0, chunks: 0 });
    await adminSql(`update public.shop_imports set status = 'canceled' where id = $1`, [id]);
    expect(await apply(270, 300)).toBe('not_running');

    // Two workers on one import (a lease ran out under the first): the first applies the last chunk
    // of the customers file and moves the import to products, whose offset starts at 0 again; the
    // second, which read the import before that, then reports the same chunk and the end of the
    // customers phase. Neither counts nor changes anything any more.
    const [{ id: overlapped }] = await adminSql<{ id: string }>(
      `insert into public.shop_imports (shop_id, phase, bulk_url, byte_offset, leased_until)
       values ($1, 'customers', 'http://127.0.0.1:9/customers.jsonl', 0, now() + interval '1 hour') returning id`,
      [shopId],
    );
    const customersChunk = JSON.stringify([customer(930_004)]);
    const applyIn = async (phase: string) =>
      (
        await adminSql<{ result: { status: string } }>(
          `select public.shopify_import_apply_chunk($1, 0, 120, 1, $2::jsonb, '[]'::jsonb, $3) as result`,
          [overlapped, customersChunk, phase],
        )
      )[0].result.status;
    const endPhase = (phase: string) =>
      adminSql(
        `select public.shopify_import_progress($1, phase => 'products', reset_offset => true, expected_phase => $2)`,
        [overlapped, phase],
      );
    expect(await applyIn('customers')).toBe('applied');
    await endPhase('customers');
    await adminSql(
      `select public.shopify_import_progress($1, bulk_operation_id => 'gid://shopify/BulkOperation/2', expected_phase => 'products')`,
      [overlapped],
    );
    expect(await applyIn('customers')).toBe('stale');
    await endPhase('customers');
    expect(
      (
        await adminSql<{ phase: string; rows_done: number; chunks: number; bulk_operation_id: string | null }>(
          'select phase, rows_done::int, chunks::int, bulk_operation_id from public.shop_imports where id = $1',
          [overlapped],
        )
      )[0],
    ).toEqual({ phase: 'products', rows_done: 1, chunks: 1, bulk_operation_id: 'gid://shopify/BulkOperation/2' });
    // Both workers see the products export finish: its total counts once. One was told the other's
    // export was still running; the completed import shows no error.
    for (let i = 0; i < 2; i++)
      await adminSql(
        `select public.shopify_import_progress($1, bulk_url => 'http://127.0.0.1:9/products.jsonl', phase_total => 5, expected_phase => 'products')`,
        [overlapped],
      );
    await adminSql(
      `select public.shopify_import_progress($1, last_error => 'A bulk query operation for this app and shop is already in progress', expected_phase => 'products')`,
      [overlapped],
    );
    await adminSql(`select public.shopify_import_progress($1, status => 'completed', expected_phase => 'products')`, [
      overlapped,
    ]);
    expect(
      (
        await adminSql<{ rows_total: number; last_error: string | null }>(
          'select rows_total::int, last_error from public.shop_imports where id = $1',
          [overlapped],
        )
      )[0],
    ).toEqual({ rows_total: 5, last_error: null });
  });

  it('applies a location’s stock levels in bounded chunks with the single chunk’s rows and stock changes, and the row path’s levels', async () => {
    // Three shops with the same records: A gets the levels in two chunks (a location's levels
    // cut as shopify-import cuts them), B in one chunk, C row by row (inventory_levels/update's rule).
    const size = { customers: 3, products: 2, orders: 3 };
    const anchorMs = Date.UTC(2026, 0, 5);
    const shops = [];
    for (let i = 0; i < 3; i++) {
      const shop = (await emulator('shops', 'POST', { size, anchorMs })) as unknown as EmulatorShop;
      const { shopId, importId } = await connect(shop);
      expect((await finish(importId)).status).toBe('completed');
      shops.push(shopId);
    }
    const [chunked, single, rows] = shops;
    const item = (n: number) => 830_000_000_000 + n;
    const [L1, L2, unnamed] = [76_000_000_001, 76_000_000_002, 76_000_000_009];
    const level = (n: number, location: number, available: number, at: string) => ({
      shopify_id: String(item(n)),
      version: at,
      mapped: {
        kind: 'inventory_level',
        record: { inventoryItemId: item(n), locationId: location, available, updatedAt: at },
      },
    });
    // A running import in its locations phase, held by a lease so no worker takes it.
    const locationsImport = async (shopId: string) =>
      (
        await adminSql<{ id: string }>(
          `insert into public.shop_imports (shop_id, phase, bulk_url, byte_offset, leased_until)
           values ($1, 'locations', 'http://127.0.0.1:9/none.jsonl', 0, now() + interval '1 hour') returning id`,
          [shopId],
        )
      )[0].id;
    // Each import's chunks follow one another: 100 bytes each.
    const offsets = new Map<string, number>();
    const applyChunk = async (importId: string, records: unknown[]) => {
      const offset = offsets.get(importId) ?? 0;
      const [{ result }] = await adminSql<{ result: { status: string; mode: string } }>(
        `select public.shopify_import_apply_chunk($1, $2, $3, 0, $4::jsonb, '[]'::jsonb, 'locations') as result`,
        [importId, offset, offset + 100, JSON.stringify(records)],
      );
      offsets.set(importId, offset + 100);
      expect(result).toMatchObject({ status: 'applied', mode: 'set' });
    };
    // What shopify-import does once the chunks are in: the queued variant totals, then metrics,
    // then the import is complete.
    const drain = async (importId: string) => {
      for (let i = 0; i < 10; i++) {
        const [{ left }] = await adminSql<{ left: number }>(
          'select public.shopify_import_refresh_metrics($1, 5000) as left',
          [importId],
        );
        if (left > 0) continue;
        await adminSql(`select public.shopify_import_progress($1, status => 'completed', release => true)`, [importId]);
        return;
      }
      throw new Error('the import never drained');
    };
    const applyRows = async (shopId: string, records: Array<ReturnType<typeof level>>) => {
      for (const record of records)
        await adminSql(`select private.apply_shopify_record($1, $2::jsonb, $3::timestamptz, null)`, [
          shopId,
          JSON.stringify(record.mapped),
          record.version,
        ]);
    };
    const state = async (shopId: string) => ({
      levels: await adminSql(
        `select v.inventory_item_id::text as item, s.external_id::text as location, s.name is null as unnamed, l.available, l.external_updated_at
           from public.inventory_levels l join public.product_variants v on v.id = l.variant_id
           join public.shop_locations s on s.id = l.location_id
          where s.shop_id = $1 order by 1, 2`,
        [shopId],
      ),
      totals: await adminSql(
        `select v.inventory_item_id::text as item, v.inventory_quantity from public.product_variants v
           join public.products p on p.id = v.product_id where p.shop_id = $1 order by 1`,
        [shopId],
      ),
    });
    const stockChanges = async (shopId: string, after: number) =>
      adminSql<{
        item: string;
        old_quantity: number | null;
        new_quantity: number | null;
        source: string;
        restock: boolean;
      }>(
        // A restock is what the alert engine is told of (private.enqueue_alert_check_event).
        `select v.inventory_item_id::text as item, h.old_quantity, h.new_quantity, h.source,
                h.new_quantity > 0 and h.old_quantity <= 0 as restock
           from public.stock_history h join public.product_variants v on v.id = h.variant_id
           join public.products p on p.id = v.product_id
          where p.shop_id = $1 and h.id > $2 order by 1, h.id`,
        [shopId, after],
      );

    // Round 1 (one chunk everywhere): item 0 all at L1, item 4 out of stock at both.
    const first = '2031-01-01T00:00:00Z';
    const round1 = [level(0, L1, 5, first), level(0, L2, 0, first), level(4, L1, 0, first), level(4, L2, 0, first)];
    for (const shopId of [chunked, single]) {
      const importId = await locationsImport(shopId);
      await applyChunk(importId, round1);
      await drain(importId);
    }
    await applyRows(rows, round1);
    const [{ mark }] = await adminSql<{ mark: number }>(
      'select coalesce(max(id), 0)::int as mark from public.stock_history',
    );

    // Round 2: item 0's stock moves from L1 to L2 (its total stays 5), item 1 sells out, item 2 is
    // restocked far above, item 3 gets stock at a location no locations/* webhook has named, item 4
    // comes back in stock (0 → 3). A's first chunk holds L1's levels, its second the rest.
    const second = '2031-02-01T00:00:00Z';
    const atL1 = [level(0, L1, 0, second), level(1, L1, 0, second), level(2, L1, 100, second), level(4, L1, 2, second)];
    const rest = [
      level(0, L2, 5, second),
      level(1, L2, 0, second),
      level(2, L2, 23, second),
      level(3, unnamed, 4, second),
      level(4, L2, 1, second),
    ];
    const before = await state(chunked);
    const importA = await locationsImport(chunked);
    await applyChunk(importA, atL1);
    // Until the import's end the variants keep their totals: no dip to the first location's sum.
    expect((await state(chunked)).totals).toEqual(before.totals);
    await applyChunk(importA, rest);
    await drain(importA);
    const importB = await locationsImport(single);
    await applyChunk(importB, [...atL1, ...rest]);
    await drain(importB);
    await applyRows(rows, [...atL1, ...rest]);

    const [a, b, c] = [await state(chunked), await state(single), await state(rows)];
    expect(b).toEqual(a);
    // The set's mirror writes what the row trigger writes (levels, the unnamed location, totals).
    expect(c).toEqual(a);
    const total = (n: number) => a.totals.find((row) => row.item === String(item(n)))?.inventory_quantity;
    const was = (n: number) => before.totals.find((row) => row.item === String(item(n)))?.inventory_quantity;
    expect([total(0), total(1), total(2), total(3), total(4)]).toEqual([5, 0, 123, Number(was(3)) + 4, 3]);
    expect(a.levels.filter((row) => row.location === String(unnamed))).toEqual([
      {
        item: String(item(3)),
        location: String(unnamed),
        unnamed: true,
        available: 4,
        external_updated_at: new Date(second),
      },
    ]);
    // One stock change per variant whose total changed, from its old total to its new one; none
    // for item 0 (the single chunk's side effects: no false sell-out and "back in stock").
    const changes = await stockChanges(chunked, mark);
    expect(changes).toEqual(await stockChanges(single, mark));
    expect(changes).toEqual(
      [1, 2, 3, 4]
        .filter((n) => was(n) !== total(n))
        .map((n) => ({
          item: String(item(n)),
          old_quantity: was(n),
          new_quantity: total(n),
          source: 'shopify',
          restock: n === 4,
        })),
    );
    expect(changes.filter((change) => change.restock).map((change) => change.item)).toEqual([String(item(4))]);
  });

  it('lets a webhook newer than the export win over the imported version', async () => {
    const shop = (await emulator('shops', 'POST', {
      size: { customers: 5, products: 2, orders: 10 },
    })) as unknown as EmulatorShop;
    const { shopId, importId: first } = await connect(shop);
    expect((await finish(first)).status).toBe('completed');
    // A second import, stepped by hand until its customers export is ready (a snapshot of now)…
    const [{ id: importId }] = await adminSql<{ id: string }>(
      `insert into public.shop_imports (shop_id) values ($1) returning id`,
      [shopId],
    );
    for (let i = 0; i < 50; i++) {
      const [row] = await adminSql<{ bulk_url: string | null }>(
        'select bulk_url from public.shop_imports where id = $1',
        [importId],
      );
      if (row.bulk_url) break;
      await work(undefined, 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await importRow(importId)).toMatchObject({ phase: 'customers', byte_offset: 0 });
    // …then the merchant renames a customer and Shopify sends the webhook, before the chunk applies.
    await emulator('clock', 'POST', { advanceSeconds: 5 });
    const customerId = 800_000_000_000 + 1;
    const sent = await emulator(`shops/${shop.domain}/changes`, 'POST', {
      kind: 'customer',
      id: customerId,
      patch: { firstName: 'Webhooked' },
    });
    expect((sent.deliveries as Array<{ status: number }>)[0]?.status).toBe(200);
    expect((await finish(importId)).status).toBe('completed');
    const [row] = await adminSql<{ first_name: string }>(
      `select c.first_name from public.customer_external_ids x join public.customers c on c.id = x.customer_id where x.shop_id = $1 and x.external_id = $2`,
      [shopId, customerId],
    );
    expect(row.first_name).toBe('Webhooked');
  });

  it('reconciles daily: every kind of change whose webhook never arrived is healed by one run, counted, and nothing is re-applied when nothing changed', async () => {
    const shop = (await emulator('shops', 'POST', {
      size: { customers: 8, products: 3, orders: 40 },
    })) as unknown as EmulatorShop;
    const { shopId, importId } = await connect(shop);
    expect((await finish(importId)).status).toBe('completed');
    const orders = await adminSql<{ id: string; shipped: boolean; refunded: boolean; cancelled: boolean }>(
      `select o.external_id::text as id, exists (select from public.order_fulfillments f where f.order_id = o.id) as shipped,
              o.refunded_total > 0 as refunded, o.cancelled_at is not null as cancelled
         from public.orders o where o.shop_id = $1 order by o.external_id`,
      [shopId],
    );
    const plain = orders.filter((o) => !o.shipped && !o.refunded && !o.cancelled).map((o) => Number(o.id));
    const shipped = orders.filter((o) => o.shipped && !o.refunded && !o.cancelled).map((o) => Number(o.id));
    expect(plain.length).toBeGreaterThanOrEqual(4);
    expect(shipped.length).toBeGreaterThanOrEqual(1);
    const [edited, refunded, fulfilled, cancelled] = plain;
    const retracked = shipped[0];
    const customerId = 800_000_000_000 + 2;
    const variantId = 820_000_000_000 + 3 * 1; // product 1, size S
    const itemId = 830_000_000_000 + 3 * 2 + 1; // product 2, size M
    const store = 76_000_000_002;
    const [before] = await adminSql<{ lines: unknown; warehouse: number }>(
      `select (select f.line_items from public.order_fulfillments f join public.orders o on o.id = f.order_id
                where o.shop_id = $1 and o.external_id = $2) as lines,
              (select l.available from public.inventory_levels l join public.shop_locations s on s.id = l.location_id
                 join public.product_variants v on v.id = l.variant_id
                where s.shop_id = $1 and s.external_id = 76000000001 and v.inventory_item_id = $3) as warehouse`,
      [shopId, retracked, itemId],
    );
    expect((before.lines as unknown[]).length).toBeGreaterThan(0);

    // Shopify changed all of this, and every webhook was lost.
    await emulator('clock', 'POST', { advanceSeconds: 5 });
    const change = (body: Record<string, unknown>) =>
      emulator(`shops/${shop.domain}/changes`, 'POST', { ...body, send: false });
    await change({ kind: 'customer', id: customerId, patch: { lastName: 'Reconciled' } });
    await change({ kind: 'variant', id: variantId, patch: { price: '123.45' } });
    await change({ kind: 'inventory_level', id: itemId, location_id: store, patch: { available: 17 } });
    await change({ kind: 'order', id: edited, patch: { subtotal: '800.00', tax: '168.00', total: '968.00' } });
    await change({ kind: 'order', id: refunded, patch: { refunded: true } });
    await change({ kind: 'order', id: fulfilled, patch: { trackingNumber: '1ZNEW0000001' } });
    await change({ kind: 'order', id: retracked, patch: { trackingNumber: '1ZCHANGED001' } });
    await change({ kind: 'order', id: cancelled, patch: { cancelled: true } });

    const reconcile = async () => {
      const [{ queued }] = await adminSql<{ queued: number }>(
        'select private.queue_shopify_reconciliations() as queued',
      );
      expect(queued).toBeGreaterThanOrEqual(1);
      const [row] = await adminSql<{ id: string }>(
        `select id from public.shop_imports where shop_id = $1 and kind = 'reconcile' and status = 'running'`,
        [shopId],
      );
      expect((await finish(row.id)).status).toBe('completed');
      return (
        await adminSql<{ rows_done: number; rows_fixed: number; rows_failed: number }>(
          'select rows_done::int, rows_fixed::int, rows_failed::int from public.shop_imports where id = $1',
          [row.id],
        )
      )[0];
    };
    const first = await reconcile();

    const [healed] = await adminSql<Record<string, unknown>>(
      `select
         (select c.last_name from public.customer_external_ids x join public.customers c on c.id = x.customer_id
           where x.shop_id = $1 and x.external_id = $2) as last_name,
         (select v.price::text from public.product_variants v join public.products p on p.id = v.product_id
           where p.shop_id = $1 and v.external_id = $3) as price,
         (select l.available from public.inventory_levels l join public.shop_locations s on s.id = l.location_id
            join public.product_variants v on v.id = l.variant_id
           where s.shop_id = $1 and s.external_id = $5 and v.inventory_item_id = $4) as stock,
         (select v.inventory_quantity from public.product_variants v join public.products p on p.id = v.product_id
           where p.shop_id = $1 and v.inventory_item_id = $4) as variant_stock,
         (select o.total::text from public.orders o where o.shop_id = $1 and o.external_id = $6) as edited_total,
         (select json_build_object('status', o.financial_status, 'refunded', o.refunded_total > 0,
                                   'refunds', (select count(*) from public.refunds r where r.order_id = o.id))
            from public.orders o where o.shop_id = $1 and o.external_id = $7) as refund,
         (select json_build_object('status', o.fulfillment_status, 'tracking', f.tracking_number,
                                   'lines', jsonb_array_length(f.line_items))
            from public.orders o join public.order_fulfillments f on f.order_id = o.id
           where o.shop_id = $1 and o.external_id = $8) as new_fulfilment,
         (select json_build_object('tracking', f.tracking_number, 'lines', f.line_items)
            from public.orders o join public.order_fulfillments f on f.order_id = o.id
           where o.shop_id = $1 and o.external_id = $9) as retracked,
         (select o.cancelled_at is not null from public.orders o where o.shop_id = $1 and o.external_id = $10) as cancelled`,
      [shopId, customerId, variantId, itemId, store, edited, refunded, fulfilled, retracked, cancelled],
    );
    expect(healed).toEqual({
      last_name: 'Reconciled',
      price: '123.45',
      stock: 17,
      variant_stock: before.warehouse + 17,
      edited_total: '968.00',
      refund: { status: expect.stringMatching(/refunded/), refunded: true, refunds: 1 },
      new_fulfilment: { status: 'fulfilled', tracking: '1ZNEW0000001', lines: expect.any(Number) },
      retracked: { tracking: '1ZCHANGED001', lines: before.lines },
      cancelled: true,
    });
    expect((healed.new_fulfilment as { lines: number }).lines).toBeGreaterThan(0);
    // Read: the customer, the product, both locations (with only the changed level), the five
    // orders, and the fulfillment orders that changed (the new fulfilment's, closed; the
    // cancelled order's). Fixed: the customer, the product (its variant's price), the level, the
    // five orders, the refund, the changed tracking (by its order) and the new fulfilment (by its
    // fulfillment order, with what it shipped).
    expect(first).toEqual({ rows_done: 11, rows_fixed: 11, rows_failed: 0 });

    // The next day nothing changed: the overlap reads the same records again, and nothing is
    // written (no row, no audit entry).
    const [rows, audit] = [await snapshot(shopId), await auditTrail(shopId)];
    const again = await reconcile();
    expect(again).toMatchObject({ rows_fixed: 0, rows_failed: 0 });
    expect(await snapshot(shopId)).toEqual(rows);
    expect(await auditTrail(shopId)).toEqual(audit);
  }, 120_000);

  it('ends in the same rows, metrics, audit entries and flow passages as the same shop fed by webhooks (1 000 orders)', async () => {
    const anchorMs = Math.floor(Date.now() / 1000) * 1000;
    // Flows listening to what the two shops' records do (a long wait first, so the engine leaves
    // the passages as they were entered); removed, with their passages, at the end.
    const flowIds: string[] = [];
    for (const type of ['customer_created', 'order_created', 'order_paid', 'order_fulfilled']) {
      const [flow] = await adminSql<{ id: string }>(
        `insert into public.flows (name, status, trigger, steps) values ($1, 'active', $2, $3) returning id`,
        [
          `Equivalence ${type} ${randomUUID().slice(0, 8)}`,
          { type },
          JSON.stringify([{ id: 'hold', kind: 'wait', days: 30 }]),
        ],
      );
      flowIds.push(flow.id);
    }
    try {
      const size = { customers: 150, products: 10, orders: 1000 };
      const imported = (await emulator('shops', 'POST', { size, anchorMs })) as unknown as EmulatorShop;
      const webhooked = (await emulator('shops', 'POST', { size, anchorMs })) as unknown as EmulatorShop;

      const { shopId: importedShop, importId } = await connect(imported);
      expect(await finish(importId)).toMatchObject({ status: 'completed', row_chunks: 0 });

      // The twin shop: configured by SQL (no import), fed every record through shopify-webhook.
      const secret = `twin-${randomUUID()}`;
      const [twin] = await adminSql<{ id: string }>(
        `insert into public.shops (name, domain, currency, timezone) values ('Twin', $1, 'EUR', 'Europe/Madrid') returning id`,
        [webhooked.domain],
      );
      await adminSql(`select public.set_shop_webhook_secret($1, $2)`, [twin.id, secret]);
      const send = async (kind: string, id: number, topic: string, locationId?: number) => {
        const { payload } = (await emulator(`shops/${webhooked.domain}/webhooks`, 'POST', {
          kind,
          id,
          topic,
          send: false,
          ...(locationId ? { location_id: locationId } : {}),
        })) as {
          payload: { updated_at?: string; created_at: string };
        };
        const body = JSON.stringify(payload);
        const response = await fetch(`${config.apiUrl}/functions/v1/shopify-webhook`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Shopify-Topic': topic.toLowerCase().replace(/_(?=[a-z]+$)/, '/'),
            'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
            'X-Shopify-Shop-Domain': webhooked.domain,
            'X-Shopify-API-Version': '2025-07',
            'X-Shopify-Webhook-Id': randomUUID(),
            'X-Shopify-Event-Id': randomUUID(),
            // Delivered as the change happened.
            'X-Shopify-Triggered-At': payload.updated_at ?? payload.created_at,
          },
          body,
        });
        expect(response.status, await response.text()).toBe(200);
      };
      for (let i = 0; i < size.customers; i++) await send('customer', 800_000_000_000 + i, 'CUSTOMERS_UPDATE');
      for (let i = 0; i < size.products; i++) await send('product', 810_000_000_000 + i, 'PRODUCTS_UPDATE');
      const orders = Array.from({ length: size.orders }, (_, i) => 840_000_000_000 + i);
      for (let i = 0; i < orders.length; i += 8)
        await Promise.all(orders.slice(i, i + 8).map((id) => send('order', id, 'ORDERS_UPDATED')));

      const a = await snapshot(importedShop);
      // The refunds the import brought, as refunds/create webhooks to the twin.
      const refunded = a.orders.filter((order) => Number(order.refunded_total) > 0).map((order) => Number(order.id));
      expect(refunded.length).toBeGreaterThan(10);
      for (const id of refunded) await send('order', id, 'REFUNDS_CREATE');
      // Fulfilments: the import's (from the fulfillment orders export) against fulfillments/create
      // webhooks for the first 30 fulfilled orders (a sample keeps the test's time).
      const shipped = a.fulfillments.slice(0, 30);
      expect(shipped).toHaveLength(30);
      for (const fulfillment of shipped) await send('order', Number(fulfillment.order), 'FULFILLMENTS_CREATE');
      // Locations and stock per location: locations/update for both, inventory_levels/update for
      // the first product's variants at both.
      const warehouse = 76_000_000_001;
      for (const id of [warehouse, warehouse + 1]) await send('location', id, 'LOCATIONS_UPDATE');
      const sampled = a.levels.filter((level) => Number(level.item) < 830_000_000_003);
      expect(sampled).toHaveLength(6);
      for (const level of sampled)
        await send('inventory_level', Number(level.item), 'INVENTORY_LEVELS_UPDATE', Number(level.location));
      const b = await snapshot(twin.id);
      expect(a.locations).toHaveLength(2);
      expect(b.locations).toEqual(a.locations);
      expect(a.levels).toHaveLength(size.products * 3 * 2);
      expect(b.levels).toEqual(sampled);
      expect(a.fulfillments.length).toBeGreaterThan(500);
      expect(b.fulfillments).toEqual(shipped);
      expect(shipped[0]).toMatchObject({ status: 'success', shipment_status: 'delivered', tracking_company: 'UPS' });
      expect((shipped[0] as unknown as { line_items: unknown[] }).line_items.length).toBeGreaterThan(0);
      expect(a.orders).toHaveLength(1000);
      expect(a.orders.every((order) => order.owner_copied === true)).toBe(true);
      expect(a.customers.length).toBeGreaterThan(100);
      expect(b.customers).toEqual(a.customers);
      expect(b.products).toEqual(a.products);
      expect(b.orders).toEqual(a.orders);

      const [auditA, auditB] = [await auditTrail(importedShop), await auditTrail(twin.id)];
      expect(auditA.filter((entry) => entry.kind === 'order' && entry.action === 'INSERT')).toHaveLength(1000);
      expect(auditA.some((entry) => entry.kind === 'refund')).toBe(true);
      expect(auditB).toEqual(auditA);
      const [flowsA, flowsB] = [await flowEvents(importedShop, flowIds), await flowEvents(twin.id, flowIds)];
      for (const trigger of ['customer_created', 'order_created', 'order_paid', 'order_fulfilled'])
        expect(flowsA.some((row) => row.trigger === trigger)).toBe(true);
      expect(flowsB).toEqual(flowsA);
    } finally {
      await adminSql('delete from public.flows where id = any($1::uuid[])', [flowIds]);
    }
    // ~20 s on a quiet machine (the 1 000 webhooks, one request each); more when the cores are shared.
  }, 120_000);
});
