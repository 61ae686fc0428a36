import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fixture, parse, failure, withChange } from './fixtures/payloads.ts';

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
