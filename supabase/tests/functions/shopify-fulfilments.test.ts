/**
 * Fulfilments and locations through shopify-webhook (issue 11), end to end against the seeded
 * demo shop: fulfillments/create and fulfillments/update (newest version wins, tracking kept as
 * sent), a fulfilment ahead of its order kept for the retry, locations/* and the stock per
 * location they name, and bad payloads fuzzed: each is stored as failed with the field named,
 * answered 200, and writes nothing. The import's side: shopify-import.test.ts (equivalence).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody } from '../../../scripts/data/shopify/payloads.ts';
import { uniqueExternalId } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';

const SHOP = 'cairn-demo.myshopify.com';
const SECRET = 'cairn-demo-shopify-webhook-secret';
const DEMO_SHOP_ID = 'b0000000-0000-4000-8000-000000000001';

async function send(topic: string, payload: unknown, rawBody?: string) {
  const body = rawBody ?? JSON.stringify(payload);
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-webhook`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': topic,
      'X-Shopify-Shop-Domain': SHOP,
      'X-Shopify-API-Version': '2025-07',
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
      'X-Shopify-Hmac-Sha256': signBody(body, SECRET),
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as { status?: string; outcome?: string; deliveryId?: number },
  };
}

const minutesAgo = (minutes: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - minutes * 60_000).toISOString();

function orderPayload(id: number, lineId: number) {
  return {
    id,
    name: `#F${id}`,
    email: null,
    created_at: minutesAgo(60),
    updated_at: minutesAgo(60),
    currency: 'EUR',
    subtotal_price: '20.00',
    total_price: '20.00',
    financial_status: 'paid',
    line_items: [{ id: lineId, title: 'Parcel test', quantity: 2, price: '10.00' }],
  };
}

function fulfillmentPayload(f: { id: number; orderId: number; lineId: number; updatedAt: string; url?: string }) {
  return {
    id: f.id,
    order_id: f.orderId,
    name: '#F.1',
    status: 'success',
    shipment_status: null,
    tracking_company: 'DHL Express',
    tracking_number: 'JD0146',
    tracking_numbers: ['JD0146'],
    tracking_url: f.url ?? 'https://www.dhl.com/track?id=JD0146',
    location_id: null,
    created_at: minutesAgo(30),
    updated_at: f.updatedAt,
    line_items: [{ id: f.lineId, quantity: 2, title: 'Parcel test' }],
  };
}

const fulfilmentRow = async (externalId: number) =>
  (
    await adminSql<Record<string, unknown>>(
      `select f.status, f.shipment_status, f.tracking_company, f.tracking_number, f.tracking_url, f.line_items
         from public.order_fulfillments f join public.orders o on o.id = f.order_id
        where o.shop_id = $1 and f.external_id = $2`,
      [DEMO_SHOP_ID, externalId],
    )
  )[0];

describe('fulfilments', () => {
  it('fulfillments/create stores carrier, tracking and lines; a newer update wins, an older one is stale', async () => {
    const orderId = uniqueExternalId();
    const lineId = uniqueExternalId();
    const id = uniqueExternalId();
    // Ahead of its order: kept (failed, retried later), nothing written.
    const early = await send(
      'fulfillments/create',
      fulfillmentPayload({ id, orderId, lineId, updatedAt: minutesAgo(20) }),
    );
    expect(early).toMatchObject({ status: 200, body: { status: 'failed' } });
    expect(await fulfilmentRow(id)).toBeUndefined();

    expect((await send('orders/create', orderPayload(orderId, lineId))).body.status).toBe('applied');
    const created = await send(
      'fulfillments/create',
      fulfillmentPayload({ id, orderId, lineId, updatedAt: minutesAgo(20) }),
    );
    expect(created.body).toMatchObject({ status: 'applied', outcome: 'created' });
    expect(await fulfilmentRow(id)).toEqual({
      status: 'success',
      shipment_status: null,
      tracking_company: 'DHL Express',
      tracking_number: 'JD0146',
      tracking_url: 'https://www.dhl.com/track?id=JD0146',
      line_items: [{ lineItemId: lineId, quantity: 2 }],
    });

    const update = {
      ...fulfillmentPayload({ id, orderId, lineId, updatedAt: minutesAgo(5) }),
      shipment_status: 'in_transit',
    };
    expect((await send('fulfillments/update', update)).body).toMatchObject({ status: 'applied', outcome: 'updated' });
    const older = {
      ...fulfillmentPayload({ id, orderId, lineId, updatedAt: minutesAgo(10) }),
      shipment_status: 'failure',
    };
    expect((await send('fulfillments/update', older)).body).toMatchObject({ status: 'ignored', outcome: 'stale' });
    expect(await fulfilmentRow(id)).toMatchObject({ shipment_status: 'in_transit' });
  });

  it('fuzz: bad fulfilment and location payloads are stored as failed, answered 200, and write nothing', async () => {
    const orderId = uniqueExternalId();
    const lineId = uniqueExternalId();
    await send('orders/create', orderPayload(orderId, lineId));
    const id = uniqueExternalId();
    const good = fulfillmentPayload({ id, orderId, lineId, updatedAt: minutesAgo(1) });
    const bad: Array<[string, unknown]> = [
      ['fulfillments/create', { ...good, order_id: 'x' }],
      ['fulfillments/create', { ...good, id: -5 }],
      ['fulfillments/create', { ...good, id: 2 ** 60 }],
      ['fulfillments/create', { ...good, updated_at: 'soon' }],
      ['fulfillments/create', { ...good, line_items: [{ id: lineId, quantity: -1 }] }],
      ['fulfillments/create', { ...good, line_items: 'all' }],
      ['fulfillments/update', { ...good, tracking_numbers: [{ n: 1 }] }],
      ['fulfillments/update', { ...good, tracking_url: 42 }],
      ['fulfillments/update', null],
      ['fulfillments/update', [good]],
      ['locations/create', { id, name: 'X' }],
      ['locations/update', { id: 'one', updated_at: minutesAgo(1) }],
      ['locations/update', { id, updated_at: minutesAgo(1), active: 'yes' }],
      ['locations/delete', {}],
    ];
    for (const [topic, payload] of bad) {
      const sent = await send(topic, payload);
      expect(sent, `${topic} ${JSON.stringify(payload)}`).toMatchObject({ status: 200, body: { status: 'failed' } });
    }
    // Signed but not JSON: refused and not stored.
    expect((await send('fulfillments/create', null, '{"id": 1,')).status).toBe(400);
    expect(await fulfilmentRow(id)).toBeUndefined();
    const [{ n }] = await adminSql<{ n: number }>(
      'select count(*)::int as n from public.shop_locations where shop_id = $1 and external_id = $2',
      [DEMO_SHOP_ID, id],
    );
    expect(n).toBe(0);
  });
});

describe('locations and stock per location', () => {
  it('locations/create names a location; levels land per variant and location; locations/delete keeps it inactive', async () => {
    const product = uniqueExternalId();
    const variant = uniqueExternalId();
    const item = uniqueExternalId();
    const warehouse = uniqueExternalId();
    const store = uniqueExternalId();
    await send('products/create', {
      id: product,
      title: 'Stock test',
      updated_at: minutesAgo(30),
      variants: [{ id: variant, product_id: product, price: '10.00', inventory_item_id: item, inventory_quantity: 0 }],
    });
    const location = {
      id: warehouse,
      name: 'Lyon warehouse',
      address1: '1 quai',
      city: 'Lyon',
      zip: '69001',
      province: null,
      country_code: 'fr',
      active: true,
      updated_at: minutesAgo(20),
    };
    expect((await send('locations/create', location)).body).toMatchObject({ status: 'applied', outcome: 'created' });
    for (const [locationId, available] of [
      [warehouse, 4],
      [store, 2],
    ])
      expect(
        (
          await send('inventory_levels/update', {
            inventory_item_id: item,
            location_id: locationId,
            available,
            updated_at: minutesAgo(10),
          })
        ).body.status,
      ).toBe('applied');
    const levels = () =>
      adminSql<{ name: string | null; country: string | null; active: boolean; available: number }>(
        `select s.name, s.country, s.active, l.available
           from public.inventory_levels l
           join public.shop_locations s on s.id = l.location_id
           join public.product_variants v on v.id = l.variant_id
          where v.external_id = $1 order by l.available desc`,
        [variant],
      );
    expect(await levels()).toEqual([
      { name: 'Lyon warehouse', country: 'FR', active: true, available: 4 },
      // Named by no locations/* yet: kept by its id.
      { name: null, country: null, active: true, available: 2 },
    ]);
    expect((await send('locations/delete', { id: warehouse })).body).toMatchObject({ outcome: 'deleted' });
    // An update fired before the deletion stays out.
    expect((await send('locations/update', { ...location, name: 'Renamed' })).body.outcome).toBe('stale');
    expect((await levels())[0]).toMatchObject({ name: 'Lyon warehouse', active: false, available: 4 });
  });
});
