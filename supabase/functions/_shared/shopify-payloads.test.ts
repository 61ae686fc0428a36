import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { parseShopifyPayload, recordVersion, type ShopifyRecord } from './shopify-payloads.ts';
import type { ShopifyTopic } from './shopify.ts';

const fixture = (name: string): unknown =>
  JSON.parse(Deno.readTextFileSync(new URL(`./fixtures/${name}.json`, import.meta.url)));

function parse(topic: ShopifyTopic, payload: unknown): ShopifyRecord {
  const parsed = parseShopifyPayload(topic, payload);
  if (!parsed.ok) throw new Error(`${topic}: ${parsed.message}`);
  return parsed.value;
}

function failure(topic: ShopifyTopic, payload: unknown): string {
  const parsed = parseShopifyPayload(topic, payload);
  if (parsed.ok) throw new Error(`${topic} should not parse`);
  return parsed.message;
}

function withChange(name: string, change: (payload: Record<string, unknown>) => void): unknown {
  const payload = structuredClone(fixture(name)) as Record<string, unknown>;
  change(payload);
  return payload;
}

Deno.test('orders/* map to an order with items, currencies, exchange rate and exact totals', () => {
  for (const topic of ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled'] as const) {
    const parsed = parse(topic, fixture('orders-create'));
    strictEqual(parsed.kind, 'order');
    if (parsed.kind !== 'order') continue;
    const order = parsed.record;
    strictEqual(order.shopifyId, 5678901234567);
    strictEqual(order.name, '#1042');
    strictEqual(order.orderNumber, 1042);
    strictEqual(order.email, 'Jane.Doe@Example.com');
    strictEqual(order.emailNormalized, 'jane.doe@example.com');
    strictEqual(order.currency, 'USD');
    strictEqual(order.presentmentCurrency, 'EUR');
    strictEqual(order.total, 142.56);
    strictEqual(order.subtotal, 118.8);
    strictEqual(order.totalTax, 23.76);
    strictEqual(order.totalDiscounts, 13.2);
    strictEqual(order.currentTotal, 142.56);
    strictEqual(order.presentmentTotal, 129.6);
    strictEqual(order.exchangeRate, 1.1);
    strictEqual(order.financialStatus, 'paid');
    strictEqual(order.fulfillmentStatus, null);
    strictEqual(order.createdAt, '2025-03-14T10:15:30+01:00');
    strictEqual(order.updatedAt, '2025-03-14T10:15:31+01:00');
    deepStrictEqual(order.tags, ['vip', 'spring-sale']);
    deepStrictEqual(order.discountCodes, [{ code: 'SPRING10', amount: 13.2, type: 'percentage' }]);
    strictEqual(order.customer?.shopifyId, 7123456789012);
    strictEqual(order.customer?.defaultAddress?.countryCode, 'FR');
    strictEqual(order.shippingAddress?.countryCode, 'FR');
    strictEqual(order.shippingAddress?.line2, 'Bâtiment B');
    strictEqual(order.billingAddress?.line2, null);
    deepStrictEqual(order.items, [
      {
        shopifyId: 13001,
        productShopifyId: 8001,
        variantShopifyId: 9001,
        sku: 'TR-42-BLU',
        title: 'Trail Runner',
        variantTitle: '42 / Blue',
        vendor: 'Cairn Outdoor',
        quantity: 2,
        currentQuantity: 2,
        unitPrice: 55,
        discount: 11,
        total: 99,
      },
      {
        shopifyId: 13002,
        productShopifyId: 8002,
        variantShopifyId: 9003,
        sku: null,
        title: 'Wool Socks',
        variantTitle: null,
        vendor: 'Cairn Outdoor',
        quantity: 1,
        currentQuantity: 1,
        unitPrice: 22,
        discount: 2.2,
        total: 19.8,
      },
    ]);
  }
});

Deno.test('a single-currency order has rate 1; a guest order has no customer', () => {
  const parsed = parse(
    'orders/create',
    withChange('orders-create', (order) => {
      order.presentment_currency = 'USD';
      delete order.total_price_set;
      order.customer = null;
    }),
  );
  if (parsed.kind !== 'order') throw new Error('order expected');
  strictEqual(parsed.record.exchangeRate, 1);
  strictEqual(parsed.record.presentmentTotal, null);
  strictEqual(parsed.record.customer, null);
});

Deno.test('order validation is strict on used fields and names them', () => {
  const cases: Array<[(order: Record<string, unknown>) => void, string]> = [
    [(o) => (o.id = '5678901234567'), 'id: '],
    [(o) => (o.id = 1.5), 'id: '],
    [(o) => (o.total_price = 142.56), 'total_price: '],
    [(o) => (o.total_price = '142,56'), 'total_price: '],
    [(o) => (o.currency = 'usd'), 'currency: '],
    [(o) => (o.updated_at = '2025-03-14 10:15:31'), 'updated_at: '],
    [(o) => delete o.line_items, 'line_items: '],
    [(o) => ((o.line_items as Array<Record<string, unknown>>)[1].price = 'free'), 'line_items.1.price: '],
    [(o) => ((o.line_items as Array<Record<string, unknown>>)[0].quantity = -1), 'line_items.0.quantity: '],
  ];
  for (const [change, prefix] of cases) {
    const message = failure('orders/updated', withChange('orders-create', change));
    strictEqual(message.startsWith(prefix), true, `${prefix} → ${message}`);
  }
  strictEqual(failure('orders/create', null).startsWith('body: '), true);
});

Deno.test('unknown extra fields are ignored', () => {
  const parsed = parseShopifyPayload(
    'products/delete',
    withChange('products-delete', (p) => (p.extra = { anything: [1] })),
  );
  deepStrictEqual(parsed, { ok: true, value: { kind: 'product_deletion', record: { shopifyId: 8002 } } });
});

Deno.test('customers/update maps consent, tags, address and a normalized email', () => {
  const parsed = parse('customers/update', fixture('customers-update'));
  deepStrictEqual(parsed, {
    kind: 'customer',
    record: {
      shopifyId: 7123456789012,
      email: 'Jane.Doe@Example.com',
      emailNormalized: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe-Martin',
      phone: '+33612345678',
      state: 'enabled',
      verifiedEmail: true,
      currency: 'EUR',
      note: 'Prefers email',
      tags: ['newsletter', 'vip'],
      emailMarketingConsent: {
        state: 'subscribed',
        optInLevel: 'confirmed_opt_in',
        updatedAt: '2024-11-02T09:00:00+01:00',
      },
      defaultAddress: {
        name: 'Jane Doe-Martin',
        company: null,
        line1: '5 Avenue Foch',
        line2: null,
        city: 'Lyon',
        region: 'Auvergne-Rhône-Alpes',
        countryCode: 'FR',
        postalCode: '69006',
        phone: null,
      },
      createdAt: '2024-11-02T09:00:00+01:00',
      updatedAt: '2025-03-15T08:00:00-05:00',
    },
  });
});

Deno.test('customers/create (API ≥ 2025-01 shape) has no email, tags or consent', () => {
  const parsed = parse('customers/create', fixture('customers-create'));
  if (parsed.kind !== 'customer') throw new Error('customer expected');
  strictEqual(parsed.record.email, null);
  strictEqual(parsed.record.emailNormalized, null);
  deepStrictEqual(parsed.record.tags, []);
  strictEqual(parsed.record.emailMarketingConsent, null);
  strictEqual(parsed.record.defaultAddress, null);
  strictEqual(parsed.record.currency, 'JPY');
  strictEqual(failure('customers/update', { email: 'a@b.co' }).startsWith('id: '), true);
});

Deno.test('products/update maps variants with prices, inventory item ids and images', () => {
  for (const topic of ['products/create', 'products/update'] as const) {
    const parsed = parse(topic, fixture('products-update'));
    if (parsed.kind !== 'product') throw new Error('product expected');
    const product = parsed.record;
    strictEqual(product.shopifyId, 8001);
    strictEqual(product.title, 'Trail Runner');
    strictEqual(product.handle, 'trail-runner');
    strictEqual(product.status, 'active');
    deepStrictEqual(product.tags, ['running', 'trail']);
    strictEqual(product.imageUrl, 'https://cdn.shopify.com/s/files/trail-main.jpg');
    strictEqual(product.updatedAt, '2025-03-20T14:05:00-05:00');
    deepStrictEqual(product.variants[0], {
      shopifyId: 9001,
      productShopifyId: 8001,
      title: '42 / Blue',
      sku: 'TR-42-BLU',
      price: 89.9,
      compareAtPrice: 110,
      inventoryItemId: 6001,
      inventoryQuantity: 0,
      position: 1,
      imageUrl: 'https://cdn.shopify.com/s/files/trail-blue.jpg',
      updatedAt: '2025-03-20T14:05:00-05:00',
    });
    strictEqual(product.variants[1].imageUrl, product.imageUrl);
    strictEqual(product.variants[1].compareAtPrice, null);
    strictEqual(product.variants[1].inventoryQuantity, 7);
  }
  const message = failure(
    'products/update',
    withChange('products-update', (p) => ((p.variants as Array<Record<string, unknown>>)[1].price = null)),
  );
  strictEqual(message.startsWith('variants.1.price: '), true, message);
});

Deno.test('products/delete and inventory_levels/update', () => {
  deepStrictEqual(parse('products/delete', fixture('products-delete')), {
    kind: 'product_deletion',
    record: { shopifyId: 8002 },
  });
  deepStrictEqual(parse('inventory_levels/update', fixture('inventory_levels-update')), {
    kind: 'inventory_level',
    record: { inventoryItemId: 6001, locationId: 4001, available: 12, updatedAt: '2025-03-21T09:30:00-04:00' },
  });
  const untracked = parse(
    'inventory_levels/update',
    withChange('inventory_levels-update', (l) => (l.available = null)),
  );
  strictEqual(untracked.kind === 'inventory_level' && untracked.record.available, null);
  strictEqual(
    failure(
      'inventory_levels/update',
      withChange('inventory_levels-update', (l) => (l.available = '12')),
    ).startsWith('available: '),
    true,
  );
});

Deno.test('refunds/create sums only successful refund transactions, exactly', () => {
  const parsed = parse('refunds/create', fixture('refunds-create'));
  deepStrictEqual(parsed, {
    kind: 'refund',
    record: {
      shopifyId: 3301,
      orderShopifyId: 5678901234567,
      createdAt: '2025-03-18T16:00:00+01:00',
      processedAt: '2025-03-18T16:00:00+01:00',
      note: 'Wrong size',
      restock: true,
      items: [
        {
          lineItemShopifyId: 13001,
          quantity: 1,
          restockType: 'return',
          locationId: 4001,
          subtotal: 49.5,
          totalTax: 9.9,
        },
      ],
      amount: 59.4,
      currency: 'USD',
    },
  });
});

Deno.test('privacy topics map to privacy requests', () => {
  deepStrictEqual(parse('customers/data_request', fixture('customers-data_request')), {
    kind: 'privacy_request',
    record: {
      kind: 'customers/data_request',
      shopShopifyId: 954889,
      shopDomain: 'cairn-demo.myshopify.com',
      customerShopifyId: 191167,
      customerEmail: 'john@example.com',
      customerPhone: '555-625-1199',
      orderShopifyIds: [299938, 280263, 220458],
      dataRequestId: 9999,
    },
  });
  const redact = parse('customers/redact', fixture('customers-redact'));
  if (redact.kind !== 'privacy_request') throw new Error('privacy request expected');
  strictEqual(redact.record.kind, 'customers/redact');
  strictEqual(redact.record.shopDomain, 'cairn-demo.myshopify.com');
  deepStrictEqual(redact.record.orderShopifyIds, [299938, 280263, 220458]);
  strictEqual(redact.record.dataRequestId, null);
  deepStrictEqual(parse('shop/redact', fixture('shop-redact')), {
    kind: 'privacy_request',
    record: {
      kind: 'shop/redact',
      shopShopifyId: 954889,
      shopDomain: 'cairn-demo.myshopify.com',
      customerShopifyId: null,
      customerEmail: null,
      customerPhone: null,
      orderShopifyIds: [],
      dataRequestId: null,
    },
  });
});

Deno.test('recordVersion uses updated_at where records have one, else triggered-at', () => {
  const triggeredAt = '2025-04-01T00:00:00Z';
  strictEqual(
    recordVersion(parse('orders/updated', fixture('orders-create')), triggeredAt),
    '2025-03-14T10:15:31+01:00',
  );
  strictEqual(
    recordVersion(parse('inventory_levels/update', fixture('inventory_levels-update')), triggeredAt),
    '2025-03-21T09:30:00-04:00',
  );
  strictEqual(recordVersion(parse('refunds/create', fixture('refunds-create')), triggeredAt), triggeredAt);
  strictEqual(recordVersion(parse('products/delete', fixture('products-delete')), triggeredAt), triggeredAt);
});
