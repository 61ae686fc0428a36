import { strictEqual as assertEquals } from 'node:assert/strict';
import { adminOrigin, normalizeShopDomain } from './shopify.ts';

Deno.test('normalizeShopDomain accepts a name, a domain or a URL, and nothing else', () => {
  assertEquals(normalizeShopDomain('my-store'), 'my-store.myshopify.com');
  assertEquals(normalizeShopDomain(' My-Store.myshopify.com '), 'my-store.myshopify.com');
  assertEquals(normalizeShopDomain('https://my-store.myshopify.com/admin'), 'my-store.myshopify.com');
  for (const bad of ['', 'my store', 'evil.com/x.myshopify.com', '-x', 'a'.repeat(80), 'x.myshopify.com.evil.com'])
    assertEquals(normalizeShopDomain(bad), null, bad);
});

Deno.test('adminOrigin is the shop itself unless SHOPIFY_ADMIN_ORIGIN points elsewhere', () => {
  const env = (value?: string) => ({ get: (name: string) => (name === 'SHOPIFY_ADMIN_ORIGIN' ? value : undefined) });
  assertEquals(adminOrigin('a.myshopify.com', env()), 'https://a.myshopify.com');
  assertEquals(
    adminOrigin('a.myshopify.com', env('http://127.0.0.1:1/store/{shop}')),
    'http://127.0.0.1:1/store/a.myshopify.com',
  );
});
