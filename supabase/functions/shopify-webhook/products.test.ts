import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fixture, parse, failure, withChange } from './fixtures/payloads.ts';
import { parseShopifyPayload } from './payloads.ts';

Deno.test('unknown extra fields are ignored', () => {
  const parsed = parseShopifyPayload(
    'products/delete',
    withChange('products-delete', (p) => (p.extra = { anything: [1] })),
  );
  deepStrictEqual(parsed, { ok: true, value: { kind: 'product_deletion', record: { shopifyId: 8002 } } });
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
