/**
 * shopify-webhook end to end: real gateway → real Deno function → real database, deliveries
 * signed the way Shopify signs them (the simulator's `signBody`), against the seeded demo shop.
 * Covers authenticity (HMAC valid / invalid / missing, unknown shop), bad input (headers,
 * malformed JSON, oversize body), de-duplication, out-of-order protection, every topic, the
 * retry of deliveries that could not be applied yet, privacy topics, who may read deliveries,
 * and a simulator stream with duplicates and stale versions checked against its final state.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeliveries, signBody, type SimDelivery } from '../../../scripts/data/shopify/payloads.ts';
import { sendDeliveries } from '../../../scripts/data/shopify/simulate.ts';
import { waitFor } from '@cairn/local-stack/lib/wait.ts';
import { uniqueExternalId, uniqueTag } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config, serviceClient } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

const SHOP = 'cairn-demo.myshopify.com';
const SECRET = 'cairn-demo-shopify-webhook-secret';
const DEMO_SHOP_ID = 'b0000000-0000-4000-8000-000000000001';
const OUTLET_SHOP = 'cairn-outlet.myshopify.com';
const OUTLET_SECRET = 'cairn-outlet-shopify-webhook-secret';
const OUTLET_SHOP_ID = 'b0000000-0000-4000-8000-000000000002';
const url = `${config.apiUrl}/functions/v1/shopify-webhook`;

interface Sent {
  status: number;
  body: { status?: string; deliveryId?: number; outcome?: string; error?: { code: string; message: string } };
  eventId: string;
}

interface SendOptions {
  eventId?: string;
  webhookId?: string;
  triggeredAt?: string;
  /** null: no signature header at all. */
  secret?: string | null;
  shop?: string;
  rawBody?: string;
  headers?: Record<string, string | null>;
}

async function send(topic: string, payload: unknown, options: SendOptions = {}): Promise<Sent> {
  const body = options.rawBody ?? JSON.stringify(payload);
  const eventId = options.eventId ?? randomUUID();
  const headers = new Headers({
    'Content-Type': 'application/json',
    'X-Shopify-Topic': topic,
    'X-Shopify-Shop-Domain': options.shop ?? SHOP,
    'X-Shopify-API-Version': '2025-07',
    'X-Shopify-Webhook-Id': options.webhookId ?? randomUUID(),
    'X-Shopify-Event-Id': eventId,
    'X-Shopify-Triggered-At': options.triggeredAt ?? new Date().toISOString(),
  });
  if (options.secret !== null) headers.set('X-Shopify-Hmac-Sha256', signBody(body, options.secret ?? SECRET));
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, eventId };
}

/** Shopify-style timestamps some minutes before now (whole seconds, as its updated_at has). */
const minutesAgo = (minutes: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - minutes * 60_000).toISOString();

async function deliveriesOf(eventId: string) {
  return adminSql<{
    status: string;
    outcome: string | null;
    attempts: number;
    last_error: string | null;
    payload: unknown;
  }>(`select status, outcome, attempts, last_error, payload from public.webhook_deliveries where event_id = $1`, [
    eventId,
  ]);
}

/** What pg_cron does every minute, now, and waits until the delivery is no longer failed. */
async function retryNow(eventId: string): Promise<string> {
  const { error } = await serviceClient().rpc('retry_failed_webhooks', { due_only: false });
  expect(error).toBeNull();
  for (let i = 0; i < 50; i += 1) {
    const [row] = await deliveriesOf(eventId);
    if (row.status !== 'failed' && row.status !== 'received') return row.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await deliveriesOf(eventId))[0].status;
}

// ── payload builders (REST resource JSON, spec §9) ────────────────────────────────────────

interface LineSpec {
  id?: number;
  price: string;
  quantity: number;
  productId?: number;
  variantId?: number;
}

function orderPayload(order: {
  id: number;
  email: string;
  customerId?: number | null;
  createdAt: string;
  updatedAt: string;
  financial?: string;
  cancelledAt?: string | null;
  currency?: string;
  lines: LineSpec[];
}) {
  const total = order.lines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0) / 100;
  return {
    id: order.id,
    name: `#T${order.id}`,
    order_number: order.id % 100000,
    email: order.email,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    cancelled_at: order.cancelledAt ?? null,
    cancel_reason: order.cancelledAt ? 'customer' : null,
    currency: order.currency ?? 'USD',
    presentment_currency: order.currency ?? 'USD',
    subtotal_price: total.toFixed(2),
    total_tax: '0.00',
    total_discounts: '0.00',
    total_price: total.toFixed(2),
    financial_status: order.financial ?? 'pending',
    fulfillment_status: null,
    customer:
      order.customerId === null
        ? null
        : {
            id: order.customerId ?? order.id + 1,
            email: order.email,
            first_name: 'Webhook',
            last_name: 'Buyer',
            updated_at: order.createdAt,
          },
    shipping_address: {
      first_name: 'Webhook',
      last_name: 'Buyer',
      address1: '1 Rue de la Paix',
      city: 'Paris',
      country_code: 'FR',
      zip: '75002',
    },
    line_items: order.lines.map((line, index) => ({
      id: line.id ?? order.id + 100 + index,
      product_id: line.productId ?? null,
      variant_id: line.variantId ?? null,
      title: `Line ${index + 1}`,
      sku: `T-${order.id}-${index}`,
      quantity: line.quantity,
      price: line.price,
      total_discount: '0.00',
    })),
  };
}

function customerPayload(customer: {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  updatedAt: string;
}) {
  return {
    id: customer.id,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    phone: '+33 6 12 34 56 78',
    state: 'enabled',
    currency: 'EUR',
    created_at: customer.updatedAt,
    updated_at: customer.updatedAt,
    default_address: { city: 'Lyon', country_code: 'FR', zip: '69001', company: 'Atelier' },
  };
}

function productPayload(product: {
  id: number;
  title?: string;
  updatedAt: string;
  status?: string;
  variants: Array<{ id: number; price: string; inventoryItemId: number; quantity: number }>;
}) {
  return {
    id: product.id,
    title: product.title ?? `Webhook product ${product.id}`,
    handle: `webhook-product-${product.id}`,
    vendor: 'Webhook Brand',
    product_type: 'Gear',
    status: product.status ?? 'active',
    tags: 'webhook, test',
    updated_at: product.updatedAt,
    variants: product.variants.map((variant, index) => ({
      id: variant.id,
      product_id: product.id,
      title: `Size ${index + 1}`,
      sku: `WH-${variant.id}`,
      price: variant.price,
      compare_at_price: null,
      inventory_item_id: variant.inventoryItemId,
      inventory_quantity: variant.quantity,
      position: index + 1,
    })),
    image: { id: product.id + 1, src: `https://cdn.example.com/${product.id}.jpg` },
  };
}

function refundPayload(refund: { id: number; orderId: number; amount: string; lineItemId: number; at: string }) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    created_at: refund.at,
    processed_at: refund.at,
    note: 'Returned',
    restock: false,
    refund_line_items: [{ id: refund.id + 1, line_item_id: refund.lineItemId, quantity: 1, restock_type: 'return' }],
    transactions: [
      { id: refund.id + 2, kind: 'refund', status: 'success', amount: refund.amount, currency: 'USD' },
      // A failed transaction gives nothing back.
      { id: refund.id + 3, kind: 'refund', status: 'failure', amount: '999.00', currency: 'USD' },
    ],
  };
}

async function orderRow(externalId: number) {
  const [row] = await adminSql<{
    id: string;
    customer_id: string | null;
    financial_status: string;
    cancelled_at: Date | null;
    currency: string;
    exchange_rate: string;
    total: string;
    total_base: string;
    refunded_total: string;
    shipping_name: string | null;
    shipping_country: string | null;
    source: string;
    items: number;
  }>(
    `select o.*, (select count(*)::int from public.order_items i where i.order_id = o.id) as items
     from public.orders o where o.shop_id = $1 and o.external_id = $2`,
    [DEMO_SHOP_ID, externalId],
  );
  return row;
}

async function customerOf(shopifyCustomerId: number) {
  const [row] = await adminSql<{
    id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    phone: string | null;
    city: string | null;
    country: string | null;
    source: string;
    lifetime_value: string;
    order_count: number;
    lifecycle_stage: string;
  }>(
    `select c.* from public.customer_external_ids x join public.customers c on c.id = x.customer_id
     where x.shop_id = $1 and x.external_id = $2`,
    [DEMO_SHOP_ID, shopifyCustomerId],
  );
  return row;
}

async function variantRow(externalId: number) {
  const [row] = await adminSql<{ id: string; price: string; currency: string; inventory_quantity: number | null }>(
    `select v.id, v.price, v.currency, v.inventory_quantity from public.product_variants v
     join public.products p on p.id = v.product_id where p.shop_id = $1 and v.external_id = $2`,
    [DEMO_SHOP_ID, externalId],
  );
  return row;
}

// ── authenticity and bad input ────────────────────────────────────────────────────────────

describe('authenticity: nothing is stored unless the HMAC is right', () => {
  const product = () => productPayload({ id: uniqueExternalId(), updatedAt: minutesAgo(1), variants: [] });

  it('accepts a delivery signed with the shop secret and stores it', async () => {
    const sent = await send('products/create', product());
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'created' });
    expect(typeof sent.body.deliveryId).toBe('number');
    const [row] = await deliveriesOf(sent.eventId);
    expect(row).toMatchObject({ status: 'applied', attempts: 1, last_error: null });
  });

  it('refuses a wrong signature with 401 invalid_signature', async () => {
    const sent = await send('products/create', product(), { secret: 'not-the-demo-shop-secret' });
    expect(sent.status).toBe(401);
    expect(sent.body.error?.code).toBe('invalid_signature');
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });

  it('refuses a missing signature with 401 missing_signature', async () => {
    const sent = await send('products/create', product(), { secret: null });
    expect(sent.status).toBe(401);
    expect(sent.body.error?.code).toBe('missing_signature');
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });

  it('refuses a body changed after signing', async () => {
    const payload = product();
    const signature = signBody(JSON.stringify(payload), SECRET);
    const sent = await send(
      'products/create',
      { ...payload, title: 'Changed' },
      {
        headers: { 'X-Shopify-Hmac-Sha256': signature },
      },
    );
    expect(sent.status).toBe(401);
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });

  it('refuses an unknown shop (the demo secret does not sign for it)', async () => {
    const sent = await send('products/create', product(), { shop: `unknown-${uniqueTag()}.myshopify.com` });
    expect(sent.status).toBe(401);
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });

  it('answers 400 invalid_headers for a signed delivery without an event id or with a bad time', async () => {
    const noEvent = await send('products/create', product(), { headers: { 'X-Shopify-Event-Id': null } });
    expect(noEvent.status).toBe(400);
    expect(noEvent.body.error?.code).toBe('invalid_headers');
    expect(noEvent.body.error?.message).toContain('X-Shopify-Event-Id');
    const badTime = await send('products/create', product(), { triggeredAt: 'last tuesday' });
    expect(badTime.status).toBe(400);
    expect(await deliveriesOf(badTime.eventId)).toEqual([]);
  });

  it('answers 400 invalid_json for signed malformed JSON and stores nothing', async () => {
    const sent = await send('orders/create', null, { rawBody: '{"id": 12, "line_items": [' });
    expect(sent.status).toBe(400);
    expect(sent.body.error?.code).toBe('invalid_json');
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });

  it('stores a signed payload that does not validate as failed, with the field in the error, and answers 200', async () => {
    const sent = await send('orders/create', { id: 'not-a-number', line_items: [] });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('failed');
    const [row] = await deliveriesOf(sent.eventId);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/^invalid payload: /);
  });

  it('answers 200 for an unknown topic, stored as ignored', async () => {
    const sent = await send('carts/update', { id: 1, token: 'abc' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'ignored', outcome: 'unknown_topic' });
    const [row] = await deliveriesOf(sent.eventId);
    expect(row.status).toBe('ignored');
  });
});

// ── de-duplication and ordering ───────────────────────────────────────────────────────────

describe('duplicates and out-of-order deliveries', () => {
  it('applies the same delivery sent three times (at once) exactly once', async () => {
    const id = uniqueExternalId();
    const payload = orderPayload({
      id,
      email: `dup-${uniqueTag()}@example.test`,
      createdAt: minutesAgo(5),
      updatedAt: minutesAgo(5),
      financial: 'paid',
      lines: [{ price: '25.00', quantity: 2 }],
    });
    const eventId = randomUUID();
    const webhookId = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => send('orders/create', payload, { eventId, webhookId })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.status).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    // A Shopify retry: same event, new webhook id.
    const retry = await send('orders/create', payload, { eventId });
    expect(retry.body.status).toBe('duplicate');
    const [{ orders, items }] = await adminSql<{ orders: number; items: number }>(
      `select count(distinct o.id)::int as orders, count(i.id)::int as items
       from public.orders o left join public.order_items i on i.order_id = o.id where o.shop_id = $1 and o.external_id = $2`,
      [DEMO_SHOP_ID, id],
    );
    expect({ orders, items }).toEqual({ orders: 1, items: 1 });
    expect(await deliveriesOf(eventId)).toHaveLength(1);
  });

  it('applies an event once when two copies pass the duplicate check together (the later one is rolled back)', async () => {
    const id = uniqueExternalId();
    const email = `race-${uniqueTag()}@example.test`;
    const created = orderPayload({
      id,
      email,
      createdAt: minutesAgo(6),
      updatedAt: minutesAgo(6),
      financial: 'pending',
      lines: [{ price: '40.00', quantity: 1 }],
    });
    expect((await send('orders/create', created)).body.status).toBe('applied');
    const paid = { ...created, financial_status: 'paid', updated_at: minutesAgo(5) };
    const eventId = randomUUID();
    // Hold the order's version row: both copies find no stored delivery with this event id, start
    // applying and wait here; released, one stores the delivery and the other must not apply again.
    const holder = new pg.Client({ connectionString: config.adminDbUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(
        `select 1 from private.shopify_versions where shop_id = $1 and resource = 'order' and external_id = $2 for update`,
        [DEMO_SHOP_ID, id],
      );
      const both = Promise.all([send('orders/paid', paid, { eventId }), send('orders/paid', paid, { eventId })]);
      await waitFor(
        'both copies to wait for the version row',
        async () => {
          const [{ waiting }] = await adminSql<{ waiting: number }>(
            `select count(*)::int as waiting from pg_stat_activity
           where wait_event_type = 'Lock' and query like '%ingest_shopify_webhook%'`,
          );
          return waiting === 2;
        },
        10_000,
      );
      await holder.query('commit');
      const results = await both;
      expect(results.map((r) => r.body.status).sort()).toEqual(['applied', 'duplicate']);
    } finally {
      await holder.end();
    }
    expect(await deliveriesOf(eventId)).toHaveLength(1);
    const [{ audits }] = await adminSql<{ audits: number }>(
      `select count(*)::int as audits from public.audit_log
       where table_name = 'orders' and action = 'UPDATE'
         and row_id = (select id::text from public.orders where shop_id = $1 and external_id = $2)
         and after ->> 'financial_status' = 'paid' and before ->> 'financial_status' = 'pending'`,
      [DEMO_SHOP_ID, id],
    );
    expect(audits).toBe(1);
  });

  it('never lets an older order update overwrite a newer one', async () => {
    const id = uniqueExternalId();
    const email = `ooo-${uniqueTag()}@example.test`;
    const base = { id, email, createdAt: minutesAgo(30), lines: [{ price: '40.00', quantity: 1 }] };
    await send('orders/create', orderPayload({ ...base, updatedAt: minutesAgo(30) }), { triggeredAt: minutesAgo(30) });
    const paid = await send('orders/paid', orderPayload({ ...base, updatedAt: minutesAgo(10), financial: 'paid' }), {
      triggeredAt: minutesAgo(10),
    });
    expect(paid.body.status).toBe('applied');
    // Fired at minute 20, delivered after the payment.
    const stale = await send(
      'orders/updated',
      orderPayload({ ...base, updatedAt: minutesAgo(20), financial: 'authorized' }),
      {
        triggeredAt: minutesAgo(20),
      },
    );
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ status: 'ignored', outcome: 'stale' });
    expect((await orderRow(id)).financial_status).toBe('paid');
  });

  it('breaks a same-second tie by X-Shopify-Triggered-At', async () => {
    const id = uniqueExternalId();
    const second = minutesAgo(3);
    const base = {
      id,
      email: `tie-${uniqueTag()}@example.test`,
      createdAt: second,
      updatedAt: second,
      lines: [{ price: '9.00', quantity: 1 }],
    };
    const later = new Date(Date.parse(second) + 800).toISOString();
    const earlier = new Date(Date.parse(second) + 200).toISOString();
    await send('orders/paid', orderPayload({ ...base, financial: 'paid' }), { triggeredAt: later });
    const overtaken = await send('orders/create', orderPayload({ ...base, financial: 'pending' }), {
      triggeredAt: earlier,
    });
    expect(overtaken.body.outcome).toBe('stale');
    expect((await orderRow(id)).financial_status).toBe('paid');
  });
});

// ── each topic ────────────────────────────────────────────────────────────────────────────

describe('orders and refunds', () => {
  it('orders/create stores the order, its items, the buyer and the exchange rate of the order day', async () => {
    const id = uniqueExternalId();
    const customerId = uniqueExternalId();
    const email = `buyer-${uniqueTag()}@example.test`;
    const sent = await send(
      'orders/create',
      orderPayload({
        id,
        email,
        customerId,
        createdAt: minutesAgo(60 * 24 * 3),
        updatedAt: minutesAgo(60 * 24 * 3),
        lines: [
          { price: '19.99', quantity: 3 },
          { price: '5.50', quantity: 1 },
        ],
      }),
    );
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'created' });
    const order = await orderRow(id);
    expect(order).toMatchObject({
      currency: 'USD',
      total: '65.47',
      financial_status: 'pending',
      source: 'shopify',
      shipping_name: 'Webhook Buyer',
      shipping_country: 'FR',
      items: 2,
    });
    const [{ rate }] = await adminSql<{ rate: string }>(
      `select private.rate_on('USD', ((now() - interval '3 days') at time zone 'UTC')::date)::numeric(20, 10)::text as rate`,
    );
    expect(order.exchange_rate).toBe(rate);
    expect(Number(order.total_base)).toBeCloseTo(Math.round(65.47 * Number(rate) * 100) / 100, 2);
    const buyer = await customerOf(customerId);
    expect(buyer).toMatchObject({ email, first_name: 'Webhook', last_name: 'Buyer', source: 'shopify' });
    expect(order.customer_id).toBe(buyer.id);
  });

  it('matches a guest checkout and a Shopify customer to an existing customer by email', async () => {
    const email = `Known-${uniqueTag()}@Example.test`;
    const [{ id: existing }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, email, source) values ('Known', $1, 'manual') returning id`,
      [email.toLowerCase()],
    );
    const guestOrder = uniqueExternalId();
    await send(
      'orders/create',
      orderPayload({
        id: guestOrder,
        email,
        customerId: null,
        createdAt: minutesAgo(2),
        updatedAt: minutesAgo(2),
        lines: [{ price: '10.00', quantity: 1 }],
      }),
    );
    expect((await orderRow(guestOrder)).customer_id).toBe(existing);
    const shopifyCustomer = uniqueExternalId();
    await send(
      'customers/create',
      customerPayload({ id: shopifyCustomer, email, firstName: 'Known', lastName: 'Again', updatedAt: minutesAgo(1) }),
    );
    expect((await customerOf(shopifyCustomer)).id).toBe(existing);
    const [{ count }] = await adminSql<{ count: number }>(
      `select count(*)::int from public.customers where lower(email) = lower($1)`,
      [email],
    );
    expect(count).toBe(1);
  });

  it('orders/paid, a refund and orders/cancelled keep the customer metrics right', async () => {
    const id = uniqueExternalId();
    const customerId = uniqueExternalId();
    const email = `metrics-${uniqueTag()}@example.test`;
    const base = {
      id,
      email,
      customerId,
      createdAt: minutesAgo(50),
      lines: [{ id: id + 1, price: '100.00', quantity: 1 }],
    };
    await send('orders/create', orderPayload({ ...base, updatedAt: minutesAgo(50) }));
    expect((await customerOf(customerId)).order_count).toBe(0);

    await send('orders/paid', orderPayload({ ...base, updatedAt: minutesAgo(40), financial: 'paid' }));
    const order = await orderRow(id);
    let customer = await customerOf(customerId);
    expect(customer).toMatchObject({ order_count: 1, lifetime_value: order.total_base, lifecycle_stage: 'customer' });

    const refund = await send(
      'refunds/create',
      refundPayload({ id: uniqueExternalId(), orderId: id, amount: '30.00', lineItemId: id + 1, at: minutesAgo(30) }),
    );
    expect(refund.body).toMatchObject({ status: 'applied', outcome: 'created' });
    const refunded = await orderRow(id);
    expect(refunded.refunded_total).toBe('30.00');
    customer = await customerOf(customerId);
    expect(Number(customer.lifetime_value)).toBeCloseTo(
      Number(refunded.total_base) - Math.round(30 * Number(refunded.exchange_rate) * 100) / 100,
      2,
    );

    const second = uniqueExternalId();
    await send(
      'orders/paid',
      orderPayload({
        id: second,
        email,
        customerId,
        createdAt: minutesAgo(20),
        updatedAt: minutesAgo(20),
        financial: 'paid',
        lines: [{ price: '10.00', quantity: 1 }],
      }),
    );
    customer = await customerOf(customerId);
    expect(customer).toMatchObject({ order_count: 2, lifecycle_stage: 'repeat' });

    const cancelledAt = minutesAgo(10);
    const cancelled = await send(
      'orders/cancelled',
      orderPayload({ ...base, updatedAt: cancelledAt, financial: 'voided', cancelledAt }),
    );
    expect(cancelled.body.outcome).toBe('updated');
    expect((await orderRow(id)).cancelled_at).not.toBeNull();
    customer = await customerOf(customerId);
    expect(customer.order_count).toBe(1);
  });

  it('a refund that overtakes its order fails, is kept, and is applied by the retry once the order is in', async () => {
    const id = uniqueExternalId();
    const refund = await send(
      'refunds/create',
      refundPayload({ id: uniqueExternalId(), orderId: id, amount: '5.00', lineItemId: id + 1, at: minutesAgo(1) }),
    );
    expect(refund.status).toBe(200);
    expect(refund.body.status).toBe('failed');
    const [failed] = await deliveriesOf(refund.eventId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toContain('not known yet');

    await send(
      'orders/paid',
      orderPayload({
        id,
        email: `late-${uniqueTag()}@example.test`,
        createdAt: minutesAgo(5),
        updatedAt: minutesAgo(5),
        financial: 'paid',
        lines: [{ id: id + 1, price: '20.00', quantity: 1 }],
      }),
    );
    expect(await retryNow(refund.eventId)).toBe('applied');
    expect((await orderRow(id)).refunded_total).toBe('5.00');
    // Applied once: a second retry changes nothing.
    await serviceClient().rpc('retry_failed_webhooks', { due_only: false });
    const [{ count }] = await adminSql<{ count: number }>(
      `select count(*)::int from public.refunds r join public.orders o on o.id = r.order_id where o.shop_id = $1 and o.external_id = $2`,
      [DEMO_SHOP_ID, id],
    );
    expect(count).toBe(1);
  });
});

describe('atomic apply and the retry schedule', () => {
  it('an order that cannot be applied leaves nothing half-written (no buyer, no order, no items)', async () => {
    const id = uniqueExternalId();
    const email = `atomic-${uniqueTag()}@example.test`;
    // ZZZ is a well-formed currency code Cairn does not know: the order insert fails after the
    // buyer was created in the same apply.
    const sent = await send(
      'orders/create',
      orderPayload({
        id,
        email,
        currency: 'ZZZ',
        createdAt: minutesAgo(2),
        updatedAt: minutesAgo(2),
        lines: [{ price: '10.00', quantity: 1 }],
      }),
    );
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('failed');
    expect(await orderRow(id)).toBeUndefined();
    const [{ count }] = await adminSql<{ count: number }>(
      `select count(*)::int from public.customers where lower(email) = lower($1)`,
      [email],
    );
    expect(count).toBe(0);
    const [row] = await deliveriesOf(sent.eventId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/currency|ZZZ|foreign key/i);
  });

  it('pg_cron retries failed deliveries every minute', async () => {
    const jobs = await adminSql<{ schedule: string; command: string; active: boolean }>(
      `select schedule, command, active from cron.job where jobname = 'retry-failed-shopify-webhooks'`,
    );
    expect(jobs).toEqual([{ schedule: '* * * * *', command: 'select public.retry_failed_webhooks()', active: true }]);
  });
});

describe('customers', () => {
  it('customers/create then customers/update change the profile; an older update does not', async () => {
    const id = uniqueExternalId();
    const email = `profile-${uniqueTag()}@example.test`;
    const created = await send(
      'customers/create',
      customerPayload({ id, email, firstName: 'Inès', lastName: 'Martin', updatedAt: minutesAgo(30) }),
    );
    expect(created.body).toMatchObject({ status: 'applied', outcome: 'created' });
    expect(await customerOf(id)).toMatchObject({
      first_name: 'Inès',
      last_name: 'Martin',
      email,
      phone: '+33612345678',
      city: 'Lyon',
      country: 'FR',
      source: 'shopify',
    });
    const updated = await send(
      'customers/update',
      customerPayload({ id, email, firstName: 'Inès', lastName: 'Dupont', updatedAt: minutesAgo(10) }),
    );
    expect(updated.body.outcome).toBe('updated');
    const stale = await send(
      'customers/update',
      customerPayload({ id, email, firstName: 'Inès', lastName: 'Old', updatedAt: minutesAgo(20) }),
    );
    expect(stale.body).toMatchObject({ status: 'ignored', outcome: 'stale' });
    expect((await customerOf(id)).last_name).toBe('Dupont');
  });

  it('stores a Shopify name with control characters cleaned, never refusing the delivery (review L-13)', async () => {
    const id = uniqueExternalId();
    const email = `control-${uniqueTag()}@example.test`;
    const payload = customerPayload({
      id,
      email,
      firstName: 'Eve\r\nBcc: attacker@evil.example',
      lastName: 'Bell\u0007',
      updatedAt: minutesAgo(2),
    });
    payload.default_address.company = 'Evil\tCorp\u0085';
    const sent = await send('customers/create', payload);
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'created' });
    const [row] = await adminSql<{ first_name: string; last_name: string; company: string }>(
      `select first_name, last_name, company from public.customers where id = $1`,
      [(await customerOf(id)).id],
    );
    expect(row).toEqual({ first_name: 'Eve Bcc: attacker@evil.example', last_name: 'Bell', company: 'Evil Corp' });
    const updated = await send(
      'customers/update',
      customerPayload({ id, email, firstName: 'Eve\u001b[31m', lastName: 'Bell', updatedAt: minutesAgo(1) }),
    );
    expect(updated.body).toMatchObject({ status: 'applied', outcome: 'updated' });
    expect((await customerOf(id)).first_name).toBe('Eve [31m');
  });

  it('records email marketing consent from older API versions', async () => {
    const id = uniqueExternalId();
    await send('customers/create', {
      ...customerPayload({
        id,
        email: `consent-${uniqueTag()}@example.test`,
        firstName: 'Opt',
        lastName: 'In',
        updatedAt: minutesAgo(5),
      }),
      email_marketing_consent: {
        state: 'subscribed',
        opt_in_level: 'single_opt_in',
        consent_updated_at: minutesAgo(6),
      },
    });
    const customer = await customerOf(id);
    const consents = await adminSql<{ status: string; source: string }>(
      `select status, source from public.customer_consents where customer_id = $1 and channel = 'email' and purpose = 'marketing'`,
      [customer.id],
    );
    expect(consents).toEqual([{ status: 'granted', source: 'shopify' }]);
  });
});

describe('products and inventory', () => {
  it('products/create, a price drop in products/update, and products/delete (archive) — with price history', async () => {
    const id = uniqueExternalId();
    const variant = uniqueExternalId();
    const item = uniqueExternalId();
    const created = await send(
      'products/create',
      productPayload({
        id,
        updatedAt: minutesAgo(30),
        variants: [{ id: variant, price: '80.00', inventoryItemId: item, quantity: 4 }],
      }),
    );
    expect(created.body.outcome).toBe('created');
    expect(await variantRow(variant)).toMatchObject({ price: '80.00', currency: 'EUR', inventory_quantity: 4 });

    const drop = await send(
      'products/update',
      productPayload({
        id,
        title: 'Renamed',
        updatedAt: minutesAgo(20),
        variants: [{ id: variant, price: '68.00', inventoryItemId: item, quantity: 4 }],
      }),
    );
    expect(drop.body.outcome).toBe('updated');
    const stale = await send(
      'products/update',
      productPayload({
        id,
        updatedAt: minutesAgo(25),
        variants: [{ id: variant, price: '75.00', inventoryItemId: item, quantity: 4 }],
      }),
    );
    expect(stale.body.outcome).toBe('stale');
    const row = await variantRow(variant);
    expect(row.price).toBe('68.00');
    const history = await adminSql<{ old_price: string | null; new_price: string; source: string }>(
      `select old_price, new_price, source from public.price_history where variant_id = $1 order by id`,
      [row.id],
    );
    expect(history).toEqual([
      { old_price: null, new_price: '80.00', source: 'shopify' },
      { old_price: '80.00', new_price: '68.00', source: 'shopify' },
    ]);
    const [product] = await adminSql<{ title: string; status: string; tags: string[]; image_url: string }>(
      `select title, status, tags, image_url from public.products where shop_id = $1 and external_id = $2`,
      [DEMO_SHOP_ID, id],
    );
    expect(product).toMatchObject({ title: 'Renamed', status: 'active', tags: ['webhook', 'test'] });

    const deleted = await send('products/delete', { id });
    expect(deleted.body.outcome).toBe('archived');
    const [{ status }] = await adminSql<{ status: string }>(
      `select status from public.products where shop_id = $1 and external_id = $2`,
      [DEMO_SHOP_ID, id],
    );
    expect(status).toBe('archived');
  });

  it('inventory_levels/update 0 → n records a restock in stock history; an older level is ignored', async () => {
    const id = uniqueExternalId();
    const variant = uniqueExternalId();
    const item = uniqueExternalId();
    await send(
      'products/create',
      productPayload({
        id,
        updatedAt: minutesAgo(30),
        variants: [{ id: variant, price: '30.00', inventoryItemId: item, quantity: 0 }],
      }),
    );
    const restock = await send('inventory_levels/update', {
      inventory_item_id: item,
      location_id: 70001,
      available: 7,
      updated_at: minutesAgo(5),
    });
    expect(restock.body).toMatchObject({ status: 'applied', outcome: 'updated' });
    const stale = await send('inventory_levels/update', {
      inventory_item_id: item,
      location_id: 70001,
      available: 0,
      updated_at: minutesAgo(10),
    });
    expect(stale.body.outcome).toBe('stale');
    // A second location adds to the total.
    await send('inventory_levels/update', {
      inventory_item_id: item,
      location_id: 70002,
      available: 3,
      updated_at: minutesAgo(4),
    });
    const row = await variantRow(variant);
    expect(row.inventory_quantity).toBe(10);
    const history = await adminSql<{ old_quantity: number | null; new_quantity: number; source: string }>(
      `select old_quantity, new_quantity, source from public.stock_history where variant_id = $1 order by id`,
      [row.id],
    );
    expect(history).toEqual([
      { old_quantity: null, new_quantity: 0, source: 'shopify' },
      { old_quantity: 0, new_quantity: 7, source: 'shopify' },
      { old_quantity: 7, new_quantity: 10, source: 'shopify' },
    ]);
    // The product payload's older total no longer overrides the levels.
    await send(
      'products/update',
      productPayload({
        id,
        updatedAt: minutesAgo(1),
        variants: [{ id: variant, price: '30.00', inventoryItemId: item, quantity: 0 }],
      }),
    );
    expect((await variantRow(variant)).inventory_quantity).toBe(10);
  });

  it('a level for an item not known yet is kept and applied once its product arrives', async () => {
    const item = uniqueExternalId();
    const level = await send('inventory_levels/update', {
      inventory_item_id: item,
      location_id: 70001,
      available: 12,
      updated_at: minutesAgo(1),
    });
    expect(level.body.status).toBe('failed');
    const variant = uniqueExternalId();
    await send(
      'products/create',
      productPayload({
        id: uniqueExternalId(),
        updatedAt: minutesAgo(2),
        variants: [{ id: variant, price: '15.00', inventoryItemId: item, quantity: 0 }],
      }),
    );
    expect(await retryNow(level.eventId)).toBe('applied');
    expect((await variantRow(variant)).inventory_quantity).toBe(12);
  });
});

describe('privacy topics', () => {
  it('customers/data_request is recorded for an admin to answer', async () => {
    const id = uniqueExternalId();
    const email = `dsar-${uniqueTag()}@example.test`;
    await send(
      'customers/create',
      customerPayload({ id, email, firstName: 'Data', lastName: 'Subject', updatedAt: minutesAgo(3) }),
    );
    const sent = await send('customers/data_request', {
      shop_id: 954889,
      shop_domain: SHOP,
      orders_requested: [299938],
      customer: { id, email, phone: null },
      data_request: { id: 9999 },
    });
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'recorded' });
    const [request] = await adminSql<{
      status: string;
      customer_id: string;
      email: string;
      order_external_ids: string[];
    }>(
      `select r.status, r.customer_id, r.email, r.order_external_ids from public.shopify_privacy_requests r
       join public.webhook_deliveries w on w.id = r.delivery_id where w.event_id = $1`,
      [sent.eventId],
    );
    expect(request).toMatchObject({
      status: 'open',
      customer_id: (await customerOf(id)).id,
      email,
      order_external_ids: ['299938'],
    });
  });

  it('customers/redact anonymises the customer, keeps the financial totals, and redacts the stored payloads', async () => {
    const customerId = uniqueExternalId();
    const orderId = uniqueExternalId();
    const email = `forget-${uniqueTag()}@example.test`;
    const created = await send(
      'customers/create',
      customerPayload({ id: customerId, email, firstName: 'Forget', lastName: 'Me', updatedAt: minutesAgo(30) }),
    );
    await send(
      'orders/paid',
      orderPayload({
        id: orderId,
        email,
        customerId,
        createdAt: minutesAgo(20),
        updatedAt: minutesAgo(20),
        financial: 'paid',
        lines: [{ price: '50.00', quantity: 1 }],
      }),
    );
    const before = await customerOf(customerId);
    expect(before.order_count).toBe(1);

    const sent = await send('customers/redact', {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: customerId, email, phone: '+33612345678' },
      orders_to_redact: [orderId],
    });
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'redacted' });
    const after = await customerOf(customerId);
    expect(after).toMatchObject({
      id: before.id,
      first_name: 'Redacted',
      last_name: null,
      email: null,
      phone: null,
      city: null,
      order_count: 1,
      lifetime_value: before.lifetime_value,
    });
    expect((await orderRow(orderId)).shipping_name).toBeNull();
    expect((await deliveriesOf(created.eventId))[0].payload).toEqual({ redacted: true });
    const [own] = await deliveriesOf(sent.eventId);
    expect(JSON.stringify(own.payload)).not.toContain(email);
  });

  // Review M-3: a shop's privacy request only touches customers that shop knows.
  const outlet = { shop: OUTLET_SHOP, secret: OUTLET_SECRET };
  const customerById = async (id: string) =>
    (
      await adminSql<{ first_name: string | null; email: string | null; phone: string | null }>(
        'select first_name, email, phone from public.customers where id = $1',
        [id],
      )
    )[0];

  it('customers/redact from a shop that never sent the customer changes nothing, even with a matching email (C22)', async () => {
    const id = uniqueExternalId();
    const email = `other-shop-${uniqueTag()}@example.test`;
    await send(
      'customers/create',
      customerPayload({ id, email, firstName: 'Sophie', lastName: 'Demo', updatedAt: minutesAgo(10) }),
    );
    const known = await customerOf(id);
    const sent = await send(
      'customers/redact',
      { shop_id: 777, shop_domain: OUTLET_SHOP, customer: { id: uniqueExternalId(), email }, orders_to_redact: [] },
      outlet,
    );
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'redacted' });
    expect(await customerById(known.id)).toMatchObject({ first_name: 'Sophie', email });
    const [request] = await adminSql<{ customer_id: string | null; note: string }>(
      `select r.customer_id, r.note from public.shopify_privacy_requests r
       join public.webhook_deliveries w on w.id = r.delivery_id where w.event_id = $1`,
      [sent.eventId],
    );
    expect(request.customer_id).toBeNull();
    expect(request.note).toMatch(/no matching customer/i);
  });

  it('customers/data_request from another shop does not point at a customer it never sent', async () => {
    const id = uniqueExternalId();
    const email = `dsar-other-${uniqueTag()}@example.test`;
    await send(
      'customers/create',
      customerPayload({ id, email, firstName: 'Only', lastName: 'Demo', updatedAt: minutesAgo(9) }),
    );
    const sent = await send(
      'customers/data_request',
      {
        shop_id: 777,
        shop_domain: OUTLET_SHOP,
        customer: { id: uniqueExternalId(), email },
        orders_requested: [],
        data_request: { id: 1 },
      },
      outlet,
    );
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'recorded' });
    const [request] = await adminSql<{ customer_id: string | null }>(
      `select r.customer_id from public.shopify_privacy_requests r
       join public.webhook_deliveries w on w.id = r.delivery_id where w.event_id = $1`,
      [sent.eventId],
    );
    expect(request.customer_id).toBeNull();
  });

  it('customers/redact for a customer both shops know removes only that shop’s links and data, for an admin to review', async () => {
    const demoId = uniqueExternalId();
    const outletId = uniqueExternalId();
    const demoOrder = uniqueExternalId();
    const outletOrder = uniqueExternalId();
    const email = `two-shops-${uniqueTag()}@example.test`;
    await send(
      'customers/create',
      customerPayload({ id: demoId, email, firstName: 'Both', lastName: 'Shops', updatedAt: minutesAgo(30) }),
    );
    const customer = await customerOf(demoId);
    const order = (id: number, customerId: number) =>
      orderPayload({
        id,
        email,
        customerId,
        createdAt: minutesAgo(20),
        updatedAt: minutesAgo(20),
        financial: 'paid',
        lines: [{ price: '20.00', quantity: 1 }],
      });
    expect((await send('orders/paid', order(demoOrder, demoId))).body.status).toBe('applied');
    expect((await send('orders/paid', order(outletOrder, outletId), outlet)).body.status).toBe('applied');
    const links = async () =>
      (
        await adminSql<{ shop_id: string }>(
          'select shop_id from public.customer_external_ids where customer_id = $1 order by shop_id',
          [customer.id],
        )
      ).map((row) => row.shop_id);
    expect(await links()).toEqual([DEMO_SHOP_ID, OUTLET_SHOP_ID]);

    const sent = await send(
      'customers/redact',
      { shop_id: 777, shop_domain: OUTLET_SHOP, customer: { id: outletId, email }, orders_to_redact: [outletOrder] },
      outlet,
    );
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'redacted' });
    expect(await customerById(customer.id)).toMatchObject({ first_name: 'Both', email });
    expect(await links()).toEqual([DEMO_SHOP_ID]);
    const addresses = await adminSql<{ shop_id: string; shipping_name: string | null }>(
      `select shop_id, shipping_name from public.orders where customer_id = $1 order by shop_id`,
      [customer.id],
    );
    expect(addresses).toEqual([
      { shop_id: DEMO_SHOP_ID, shipping_name: 'Webhook Buyer' },
      { shop_id: OUTLET_SHOP_ID, shipping_name: null },
    ]);
    const [request] = await adminSql<{ status: string; customer_id: string; note: string }>(
      `select r.status, r.customer_id, r.note from public.shopify_privacy_requests r
       join public.webhook_deliveries w on w.id = r.delivery_id where w.event_id = $1`,
      [sent.eventId],
    );
    expect(request).toMatchObject({ status: 'open', customer_id: customer.id });
    expect(request.note).toMatch(/other shops/);
  });

  it('shop/redact deactivates the shop: its later deliveries are refused', async () => {
    const domain = `redact-${uniqueTag()}.myshopify.com`;
    const secret = `redact-secret-${randomUUID()}`;
    const [{ id: shopId }] = await adminSql<{ id: string }>(
      `insert into public.shops (name, domain, currency) values ('Leaving shop', $1, 'EUR') returning id`,
      [domain],
    );
    await adminSql(`select public.set_shop_webhook_secret($1, $2)`, [shopId, secret]);
    const before = await send(
      'products/create',
      productPayload({ id: uniqueExternalId(), updatedAt: minutesAgo(5), variants: [] }),
      { shop: domain, secret },
    );
    expect(before.body.status).toBe('applied');

    const sent = await send('shop/redact', { shop_id: 1234, shop_domain: domain }, { shop: domain, secret });
    expect(sent.body).toMatchObject({ status: 'applied', outcome: 'redacted' });
    const [shop] = await adminSql<{ active: boolean }>(`select active from public.shops where id = $1`, [shopId]);
    expect(shop.active).toBe(false);
    expect((await deliveriesOf(before.eventId))[0].payload).toEqual({ redacted: true });
    const after = await send(
      'products/create',
      productPayload({ id: uniqueExternalId(), updatedAt: minutesAgo(1), variants: [] }),
      { shop: domain, secret },
    );
    expect(after.status).toBe(401);
  });
});

// ── who may read what ─────────────────────────────────────────────────────────────────────

describe('access to the ingestion tables and functions', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('webhooks');
    await send('carts/update', { id: 1 });
  });
  afterAll(async () => cast.end());

  it('admins read deliveries; managers, agents and shoppers see none; anon is refused', async () => {
    const admin = await cast.client('admin').from('webhook_deliveries').select('id, topic, status').limit(5);
    expect(admin.error).toBeNull();
    expect(admin.data?.length).toBeGreaterThan(0);
    for (const persona of ['manager', 'agent', 'readonly', 'shopper'] as const) {
      const { data, error } = await cast.client(persona).from('webhook_deliveries').select('id').limit(5);
      expect(error).toBeNull();
      expect(data).toEqual([]);
    }
    const anon = await cast.client('anon').from('webhook_deliveries').select('id').limit(1);
    expect(anon.error?.code).toBe('42501');
  });

  it('nobody but the service role may call the ingest, retry or secret functions', async () => {
    for (const caller of ['admin', 'anon'] as const) {
      const ingest = await cast.client(caller).rpc('ingest_shopify_webhook', {
        shop_domain: SHOP,
        topic: 'carts/update',
        event_id: randomUUID(),
        webhook_id: randomUUID(),
        triggered_at: new Date().toISOString(),
        api_version: '2025-07',
        payload: {},
      });
      expect(ingest.error?.code).toBe('42501');
      const retry = await cast.client(caller).rpc('retry_failed_webhooks', {});
      expect(retry.error?.code).toBe('42501');
    }
    const admin = await cast.client('admin').from('webhook_deliveries').insert({ topic: 'x/y' });
    expect(admin.error).not.toBeNull();
  });
});

// ── content Postgres cannot hold (M-5, L-9) ───────────────────────────────────────────────

describe('poison content: a signed delivery Postgres cannot store as sent is kept and answered 200', () => {
  const order = (fields: Record<string, unknown> = {}) => ({
    ...orderPayload({
      id: uniqueExternalId(),
      email: `poison-${uniqueTag()}@example.test`,
      createdAt: minutesAgo(2),
      updatedAt: minutesAgo(2),
      lines: [{ price: '12.00', quantity: 1 }],
    }),
    ...fields,
  });

  async function stored(eventId: string) {
    return adminSql<{ status: string; last_error: string | null; payload: unknown; original_body: string | null }>(
      `select status, last_error, payload, original_body from public.webhook_deliveries where event_id = $1`,
      [eventId],
    );
  }

  it('a NUL in the order note: applied with U+FFFD in its place, the body kept as sent', async () => {
    const payload = order({ note: 'gift\u0000wrap' });
    const sent = await send('orders/create', payload);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('applied');
    const [row] = await stored(sent.eventId);
    expect(row.status).toBe('applied');
    expect((row.payload as { note: string }).note).toBe('gift\ufffdwrap');
    expect(row.original_body).toBe(JSON.stringify(payload));
    expect((await orderRow(payload.id as number)).id).toBeTruthy();
  });

  it('a lone surrogate in a name and a NUL in a key: applied, sanitised', async () => {
    const payload = order({ note_attributes: [{ name: 'gift\u0000', value: 'x' }], ['odd\u0000key']: '\udc00' });
    payload.customer = { ...(payload.customer as object), first_name: '\ud800Jane' } as typeof payload.customer;
    const sent = await send('orders/create', payload);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('applied');
    const [row] = await stored(sent.eventId);
    expect(row.payload).toMatchObject({ 'odd\ufffdkey': '\ufffd', customer: { first_name: '\ufffdJane' } });
    expect(row.original_body).toBe(JSON.stringify(payload));
  });

  it('a paired surrogate (an emoji written as an escape) is stored as it is, with no copy of the body', async () => {
    const payload = order({ note: 'thanks \ud83d\ude00' });
    const sent = await send('orders/create', payload, {
      rawBody: JSON.stringify(payload).replace('😀', '\\ud83d\\ude00'),
    });
    expect(sent.status).toBe(200);
    const [row] = await stored(sent.eventId);
    expect((row.payload as { note: string }).note).toBe('thanks 😀');
    expect(row.original_body).toBeNull();
  });

  it('100 000-deep nesting: a placeholder delivery with the error and the body, answered 200, not retried', async () => {
    const rawBody = `{"id":${uniqueExternalId()},"line_items":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const sent = await send('orders/create', null, { rawBody });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('failed');
    const [row] = await adminSql<{
      status: string;
      last_error: string;
      original_body: string;
      next_attempt_at: Date | null;
    }>(`select status, last_error, original_body, next_attempt_at from public.webhook_deliveries where event_id = $1`, [
      sent.eventId,
    ]);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/not storable/);
    expect(row.original_body).toBe(rawBody);
    expect(row.next_attempt_at).toBeNull();
    // Shopify's retry of the same event is a duplicate, not a second row.
    const again = await send('orders/create', null, { rawBody, eventId: sent.eventId });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
    expect(await stored(sent.eventId)).toHaveLength(1);
  });

  it('customers/redact also drops the kept bodies of sanitised and placeholder deliveries about the customer', async () => {
    const customerId = uniqueExternalId();
    const email = `poison-redact-${uniqueTag()}@example.test`;
    const sanitised = await send(
      'customers/update',
      customerPayload({ id: customerId, email, firstName: 'Nul\u0000', lastName: 'Person', updatedAt: minutesAgo(10) }),
    );
    const deep = await send('orders/create', null, {
      rawBody: `{"id":${uniqueExternalId()},"email":"${email}","customer":{"id":${customerId}},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    });
    expect([sanitised.status, deep.status]).toEqual([200, 200]);
    const [placeholder] = await stored(deep.eventId);
    expect(placeholder.payload).toEqual({ not_stored: true, id: expect.any(Number), customer: { id: customerId } });
    expect(placeholder.original_body).toContain(email);

    const redact = await send('customers/redact', {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: customerId, email },
      orders_to_redact: [],
    });
    expect(redact.body).toMatchObject({ status: 'applied', outcome: 'redacted' });
    for (const eventId of [sanitised.eventId, deep.eventId]) {
      const [row] = await stored(eventId);
      expect(row.payload).toEqual({ redacted: true });
      expect(row.original_body).toBeNull();
    }
  });

  it('fuzz: every signed delivery with NUL, lone surrogates or deep nesting is answered 2xx and stored once', async () => {
    const poisons = ['\u0000', '\ud800', '\udfff', 'a\u0000\ud834', '\ud83d\u0000\ude00', '\\u0000'];
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
    const sentIds: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const payload: Record<string, unknown> = order();
      const field = pick(['note', 'name', 'email', 'cancel_reason', 'currency', 'tags']);
      payload[field] = `${pick(poisons)}${String(payload[field] ?? '')}${pick(poisons)}`;
      const customer = payload.customer as Record<string, unknown>;
      customer[pick(['first_name', 'last_name', 'email'])] = pick(poisons);
      payload[`k${pick(poisons)}`] = i % 5 === 0 ? 'DEEP' : 1;
      // Built as text: Node's JSON.stringify cannot write a value nested this deep.
      const depth = 5_000 * (i + 1);
      const rawBody = JSON.stringify(payload).replace('"DEEP"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
      const topic = pick(['orders/create', 'orders/updated', 'customers/update', 'carts/update']);
      const sent = await send(topic, null, { rawBody });
      expect(sent.status, JSON.stringify(sent.body)).toBeGreaterThanOrEqual(200);
      expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
      sentIds.push(sent.eventId);
    }
    const [{ count }] = await adminSql<{ count: number }>(
      `select count(*)::int from public.webhook_deliveries where event_id = any ($1)`,
      [sentIds],
    );
    expect(count).toBe(sentIds.length);
  }, 120_000);
});

// ── a simulator stream ────────────────────────────────────────────────────────────────────

describe('a simulator stream with duplicates, retries and stale versions', () => {
  it('ends with one order per order, each in its newest state, and nothing failed', async () => {
    const deliveries = buildDeliveries({
      shop: SHOP,
      secret: SECRET,
      orders: 40,
      seed: Math.floor(Math.random() * 2 ** 31),
      duplicates: 0.3,
      outOfOrder: 0.3,
      startMs: Date.now() - 60 * 60_000,
    });
    const summary = await sendDeliveries(deliveries, { url, rate: 0, concurrency: 8 });
    expect(summary.failed).toBe(0);
    expect(summary.byKind.duplicate + summary.byKind.retry).toBeGreaterThan(0);
    expect(summary.byKind.out_of_order).toBeGreaterThan(0);
    // What overtook its order (a refund at concurrency 8) is applied by the retry job.
    await serviceClient().rpc('retry_failed_webhooks', { due_only: false });

    const eventIds = [...new Set(deliveries.map((d) => d.eventId))];
    const statuses = await adminSql<{ status: string; count: number; errors: string[] }>(
      `select status, count(*)::int, array_agg(last_error) filter (where last_error is not null) as errors
       from public.webhook_deliveries where shop_id = $1 and event_id = any ($2) group by status`,
      [DEMO_SHOP_ID, eventIds],
    );
    expect(statuses.find((s) => s.status === 'failed')).toBeUndefined();
    expect(statuses.reduce((sum, s) => sum + s.count, 0)).toBe(eventIds.length);

    const orderIds = [
      ...new Set(
        deliveries.flatMap((d) => (d.orderId !== undefined && d.topic.startsWith('orders/') ? [d.orderId] : [])),
      ),
    ];
    const rows = await adminSql<{ external_id: string; financial_status: string; cancelled: boolean }>(
      `select external_id, financial_status, cancelled_at is not null as cancelled from public.orders where shop_id = $1 and external_id = any ($2)`,
      [DEMO_SHOP_ID, orderIds],
    );
    expect(rows).toHaveLength(summary.uniqueOrders);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(summary.uniqueOrders);
    // Each order ends in the state of its newest version, whatever the arrival order.
    const newest = new Map<string, { updated: number; triggered: number; financial: string; cancelled: boolean }>();
    for (const delivery of deliveries.filter((d: SimDelivery) => d.topic.startsWith('orders/'))) {
      const body = JSON.parse(delivery.body) as {
        id: number;
        updated_at: string;
        financial_status: string;
        cancelled_at: string | null;
      };
      const version = { updated: Date.parse(body.updated_at), triggered: Date.parse(delivery.triggeredAt) };
      const current = newest.get(String(body.id));
      if (
        !current ||
        version.updated > current.updated ||
        (version.updated === current.updated && version.triggered >= current.triggered)
      ) {
        newest.set(String(body.id), {
          ...version,
          financial: body.financial_status,
          cancelled: body.cancelled_at !== null,
        });
      }
    }
    for (const row of rows) {
      const expected = newest.get(row.external_id);
      expect({ id: row.external_id, financial: row.financial_status, cancelled: row.cancelled }).toEqual({
        id: row.external_id,
        financial: expected?.financial,
        cancelled: expected?.cancelled,
      });
    }
  });
});

// Last in the file: the local gateway currently stalls the next request it sends to the
// functions server over the same connection after one answered before its body was read.
describe('oversize bodies', () => {
  it('answers 413 for a body over 1 MiB and stores nothing', async () => {
    const huge = JSON.stringify({
      ...productPayload({ id: uniqueExternalId(), updatedAt: minutesAgo(1), variants: [] }),
      body_html: 'x'.repeat(1024 * 1024),
    });
    const sent = await send('products/update', null, { rawBody: huge });
    expect(sent.status).toBe(413);
    expect(sent.body.error?.code).toBe('payload_too_large');
    expect(await deliveriesOf(sent.eventId)).toEqual([]);
  });
});
