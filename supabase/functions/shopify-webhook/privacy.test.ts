import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fixture, parse } from './fixtures/payloads.ts';

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
