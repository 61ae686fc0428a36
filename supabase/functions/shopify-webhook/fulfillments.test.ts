import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { failure, fixture, parse, withChange } from './fixtures/payloads.ts';

Deno.test('fulfillments/create and fulfillments/update map carrier, tracking, status and the lines shipped', () => {
  for (const topic of ['fulfillments/create', 'fulfillments/update'] as const) {
    deepStrictEqual(parse(topic, fixture('fulfillments-create')), {
      kind: 'fulfillment',
      record: {
        shopifyId: 255858046,
        orderShopifyId: 450789469,
        name: '#1001.1',
        status: 'success',
        shipmentStatus: null,
        trackingCompany: 'UPS',
        trackingNumber: '1Z2345',
        trackingUrl: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z2345',
        locationId: 4001,
        lineItems: [{ lineItemShopifyId: 466157049, quantity: 1 }],
        createdAt: '2025-03-22T10:15:00-04:00',
        updatedAt: '2025-03-22T10:15:00-04:00',
      },
    });
  }
  // Only the plural fields: the first of each.
  const plural = parse(
    'fulfillments/update',
    withChange('fulfillments-create', (f) => {
      f.tracking_number = null;
      f.tracking_url = '';
      f.tracking_numbers = ['A1', 'A2'];
      f.tracking_urls = ['javascript:alert(1)'];
    }),
  );
  strictEqual(plural.kind === 'fulfillment' && plural.record.trackingNumber, 'A1');
  // Kept as sent; the screens decide what is a link.
  strictEqual(plural.kind === 'fulfillment' && plural.record.trackingUrl, 'javascript:alert(1)');
});

Deno.test('fulfilment payloads with bad fields name the field', () => {
  const bad: Array<[(f: Record<string, unknown>) => void, string]> = [
    [(f) => (f.order_id = 'x'), 'order_id: '],
    [(f) => (f.id = -1), 'id: '],
    [(f) => (f.updated_at = 'yesterday'), 'updated_at: '],
    [(f) => delete f.line_items, 'line_items: '],
    [(f) => ((f.line_items as Array<Record<string, unknown>>)[0].quantity = -2), 'line_items.0.quantity: '],
    [(f) => (f.tracking_numbers = [1]), 'tracking_numbers.0: '],
  ];
  for (const [change, prefix] of bad) {
    const message = failure('fulfillments/create', withChange('fulfillments-create', change));
    strictEqual(message.startsWith(prefix), true, message);
  }
  strictEqual(failure('fulfillments/create', null).length > 0, true);
  strictEqual(failure('fulfillments/create', []).length > 0, true);
});

Deno.test('locations/create, locations/update and locations/delete', () => {
  for (const topic of ['locations/create', 'locations/update'] as const) {
    deepStrictEqual(parse(topic, fixture('locations-update')), {
      kind: 'location',
      record: {
        shopifyId: 4001,
        name: 'Madrid warehouse',
        address1: 'Calle de Alcalá 1',
        address2: null,
        city: 'Madrid',
        region: 'Madrid',
        postalCode: '28014',
        countryCode: 'ES',
        active: true,
        updatedAt: '2025-03-01T09:00:00-05:00',
      },
    });
  }
  deepStrictEqual(parse('locations/delete', fixture('locations-delete')), {
    kind: 'location_deletion',
    record: { shopifyId: 4001 },
  });
  strictEqual(
    failure(
      'locations/update',
      withChange('locations-update', (l) => (l.active = 'yes')),
    ).startsWith('active: '),
    true,
  );
  strictEqual(failure('locations/delete', { id: '4001' }).startsWith('id: '), true);
});
