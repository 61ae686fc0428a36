import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { hmacSha256, toBase64, utf8 } from '../_shared/bytes.ts';
import { isSupportedTopic, parseShopifyHeaders, shopDomainOf, verifyShopifyHmac } from './envelope.ts';

const secret = 'shpss_demo_secret_0123456789abcdef';
const body = utf8(JSON.stringify({ id: 1, title: 'Été', price: '19.99' }));

/** What Shopify sends: base64 of HMAC-SHA256 over the exact body bytes. */
async function sign(bytes: Uint8Array, key = secret): Promise<string> {
  return toBase64(await hmacSha256(key, bytes));
}

function deliveryHeaders(overrides: Record<string, string | null> = {}): Headers {
  const headers = new Headers({
    'X-Shopify-Topic': 'orders/create',
    'X-Shopify-Shop-Domain': 'cairn-demo.myshopify.com',
    'X-Shopify-API-Version': '2025-07',
    'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'X-Shopify-Triggered-At': '2025-03-14T09:15:31.877041743Z',
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return headers;
}

Deno.test('verifyShopifyHmac accepts the base64 HMAC of the raw body', async () => {
  deepStrictEqual(await verifyShopifyHmac(body, await sign(body), secret), { ok: true });
});

Deno.test('verifyShopifyHmac refuses a missing, empty or malformed header', async () => {
  deepStrictEqual(await verifyShopifyHmac(body, null, secret), { ok: false, reason: 'missing' });
  deepStrictEqual(await verifyShopifyHmac(body, '', secret), { ok: false, reason: 'missing' });
  deepStrictEqual(await verifyShopifyHmac(body, 'not base64!', secret), { ok: false, reason: 'malformed' });
  // Valid base64 but 16 bytes: cannot be an HMAC-SHA256.
  deepStrictEqual(await verifyShopifyHmac(body, toBase64(new Uint8Array(16)), secret), {
    ok: false,
    reason: 'malformed',
  });
});

Deno.test('verifyShopifyHmac refuses a wrong secret and a body altered by one byte', async () => {
  const signature = await sign(body);
  deepStrictEqual(await verifyShopifyHmac(body, signature, 'another-secret'), { ok: false, reason: 'mismatch' });
  deepStrictEqual(await verifyShopifyHmac(body, signature, []), { ok: false, reason: 'mismatch' });
  deepStrictEqual(await verifyShopifyHmac(body, signature, ''), { ok: false, reason: 'mismatch' });
  for (const index of [0, Math.floor(body.length / 2), body.length - 1]) {
    const altered = new Uint8Array(body);
    altered[index] ^= 0x01;
    deepStrictEqual(await verifyShopifyHmac(altered, signature, secret), { ok: false, reason: 'mismatch' }, `${index}`);
  }
  // Re-serialized JSON (same data, different bytes) must not verify either.
  const reserialized = utf8(JSON.stringify(JSON.parse(new TextDecoder().decode(body)), null, 1));
  strictEqual((await verifyShopifyHmac(reserialized, signature, secret)).ok, false);
  // A signature with one flipped bit.
  const bits = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
  bits[5] ^= 0x80;
  strictEqual((await verifyShopifyHmac(body, toBase64(bits), secret)).ok, false);
});

Deno.test('verifyShopifyHmac accepts either secret during a rotation', async () => {
  const signature = await sign(body, 'new-secret');
  deepStrictEqual(await verifyShopifyHmac(body, signature, ['old-secret', 'new-secret']), { ok: true });
});

Deno.test('verifyShopifyHmac signs an empty body too', async () => {
  const empty = new Uint8Array(0);
  deepStrictEqual(await verifyShopifyHmac(empty, await sign(empty), secret), { ok: true });
});

Deno.test('parseShopifyHeaders reads and normalizes every header', () => {
  const parsed = parseShopifyHeaders(deliveryHeaders({ 'X-Shopify-Shop-Domain': 'Cairn-Demo.MyShopify.com' }));
  deepStrictEqual(parsed, {
    ok: true,
    value: {
      topic: 'orders/create',
      shopDomain: 'cairn-demo.myshopify.com',
      apiVersion: '2025-07',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
      triggeredAt: '2025-03-14T09:15:31.877041743Z',
      name: undefined,
      subTopic: undefined,
    },
  });
});

Deno.test('parseShopifyHeaders accepts unknown topics: unsupported is not invalid', () => {
  const parsed = parseShopifyHeaders(deliveryHeaders({ 'X-Shopify-Topic': 'carts/update' }));
  strictEqual(parsed.ok && parsed.value.topic, 'carts/update');
  strictEqual(isSupportedTopic('carts/update'), false);
});

Deno.test('parseShopifyHeaders names the missing or invalid header', () => {
  const cases: Array<[Record<string, string | null>, string]> = [
    [{ 'X-Shopify-Topic': null }, 'X-Shopify-Topic'],
    [{ 'X-Shopify-Topic': 'orders' }, 'X-Shopify-Topic'],
    [{ 'X-Shopify-Shop-Domain': 'evil.example.com' }, 'X-Shopify-Shop-Domain'],
    [{ 'X-Shopify-Shop-Domain': 'a.myshopify.com.evil.com' }, 'X-Shopify-Shop-Domain'],
    [{ 'X-Shopify-API-Version': 'v1' }, 'X-Shopify-API-Version'],
    [{ 'X-Shopify-Webhook-Id': null }, 'X-Shopify-Webhook-Id'],
    [{ 'X-Shopify-Event-Id': null }, 'X-Shopify-Event-Id'],
    [{ 'X-Shopify-Event-Id': 'has space' }, 'X-Shopify-Event-Id'],
    [{ 'X-Shopify-Triggered-At': 'yesterday' }, 'X-Shopify-Triggered-At'],
    [{ 'X-Shopify-Triggered-At': '2025-03-14T09:15:31' }, 'X-Shopify-Triggered-At'],
  ];
  for (const [overrides, header] of cases) {
    const parsed = parseShopifyHeaders(deliveryHeaders(overrides));
    strictEqual(parsed.ok, false, JSON.stringify(overrides));
    if (!parsed.ok) strictEqual(parsed.message.startsWith(`${header}: `), true, parsed.message);
  }
  strictEqual(parseShopifyHeaders(deliveryHeaders({ 'X-Shopify-API-Version': 'unstable' })).ok, true);
  strictEqual(parseShopifyHeaders(deliveryHeaders({ 'X-Shopify-Triggered-At': '2025-03-14T10:15:31+01:00' })).ok, true);
});

Deno.test('shopDomainOf only trusts *.myshopify.com', () => {
  strictEqual(shopDomainOf(deliveryHeaders()), 'cairn-demo.myshopify.com');
  strictEqual(shopDomainOf(deliveryHeaders({ 'X-Shopify-Shop-Domain': 'shop.example.com' })), null);
  strictEqual(shopDomainOf(deliveryHeaders({ 'X-Shopify-Shop-Domain': null })), null);
});

Deno.test('isSupportedTopic covers the 14 topics and nothing else', () => {
  for (const topic of ['orders/paid', 'refunds/create', 'inventory_levels/update', 'shop/redact']) {
    strictEqual(isSupportedTopic(topic), true, topic);
  }
  for (const topic of ['orders/fulfilled', 'app/uninstalled', '', 'orders/create ']) {
    strictEqual(isSupportedTopic(topic), false, topic);
  }
});
