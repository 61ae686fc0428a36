import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { hmacSha256, toBase64, utf8 } from '../_shared/bytes.ts';
import {
  BODY_LIMIT,
  handleShopifyWebhook,
  type IngestInput,
  type IngestResult,
  placeholderPayload,
  type WebhookDeps,
} from './handler.ts';
import { SecretCache } from './secrets.ts';

const shop = 'cairn-demo.myshopify.com';
const secret = 'cairn-demo-shopify-webhook-secret';
const product = { id: 8001, title: 'Trail Runner', updated_at: '2025-03-21T09:30:00-04:00', variants: [] };

async function delivery(
  options: { body?: string; topic?: string; key?: string; headers?: Record<string, string | null> } = {},
): Promise<Request> {
  const body = options.body ?? JSON.stringify(product);
  const headers = new Headers({
    'Content-Type': 'application/json',
    'X-Shopify-Topic': options.topic ?? 'products/update',
    'X-Shopify-Hmac-Sha256': toBase64(await hmacSha256(options.key ?? secret, utf8(body))),
    'X-Shopify-Shop-Domain': shop,
    'X-Shopify-API-Version': '2025-07',
    'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'X-Shopify-Triggered-At': '2025-03-21T13:30:00.123456Z',
  });
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Request('http://localhost/shopify-webhook', { method: 'POST', headers, body });
}

function fakes(
  options: {
    secrets?: Record<string, string>;
    result?: IngestResult;
    ingestError?: Error;
    /** Rejects ingest calls whose payload is not null with this error (a content error). */
    payloadError?: Error & { code?: string };
  } = {},
) {
  const ingested: IngestInput[] = [];
  const lookups: string[] = [];
  const known = options.secrets ?? { [shop]: secret };
  const deps: WebhookDeps = {
    secrets: new SecretCache((domain) => {
      lookups.push(domain);
      return Promise.resolve(known[domain] ?? null);
    }),
    ingest(input) {
      if (options.ingestError) return Promise.reject(options.ingestError);
      const placeholder = (input.payload as { not_stored?: boolean } | null)?.not_stored === true;
      if (options.payloadError && !placeholder) return Promise.reject(options.payloadError);
      ingested.push(input);
      return Promise.resolve(options.result ?? { status: 'applied', delivery_id: 1, outcome: 'updated' });
    },
    log: () => undefined,
  };
  return { deps, ingested, lookups, known };
}

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

Deno.test('a signed delivery is stored with its headers, raw payload and mapped record', async () => {
  const { deps, ingested } = fakes();
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { status: 'applied', deliveryId: 1, outcome: 'updated' });
  strictEqual(ingested.length, 1);
  const [input] = ingested;
  deepStrictEqual(
    [input.shop_domain, input.topic, input.event_id, input.api_version, input.triggered_at],
    [shop, 'products/update', '98880550-7158-44d4-b7cd-2c97c8a091b5', '2025-07', '2025-03-21T13:30:00.123456Z'],
  );
  deepStrictEqual(input.payload, product);
  strictEqual((input.mapped as { kind: string }).kind, 'product');
  strictEqual(input.parse_error, null);
});

Deno.test('a wrong, missing or malformed signature is 401 and nothing is stored', async () => {
  for (const request of [
    await delivery({ key: 'another-secret-of-some-length' }),
    await delivery({ headers: { 'X-Shopify-Hmac-Sha256': null } }),
    await delivery({ headers: { 'X-Shopify-Hmac-Sha256': 'bm90LWFuLWhtYWM=' } }),
  ]) {
    const { deps, ingested } = fakes();
    const response = await handleShopifyWebhook(request, deps);
    strictEqual(response.status, 401);
    strictEqual(ingested.length, 0);
  }
  const missing = await handleShopifyWebhook(
    await delivery({ headers: { 'X-Shopify-Hmac-Sha256': null } }),
    fakes().deps,
  );
  strictEqual(await errorCode(missing), 'missing_signature');
});

Deno.test('a body signed over different bytes than sent is refused', async () => {
  const { deps, ingested } = fakes();
  const signed = await delivery();
  const tampered = new Request(signed.url, {
    method: 'POST',
    headers: signed.headers,
    body: JSON.stringify({ ...product, title: 'Tampered' }),
  });
  strictEqual((await handleShopifyWebhook(tampered, deps)).status, 401);
  strictEqual(ingested.length, 0);
});

Deno.test('an unknown or inactive shop is 401 like a bad signature', async () => {
  const { deps, ingested } = fakes({ secrets: {} });
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 401);
  strictEqual(await errorCode(response), 'invalid_signature');
  strictEqual(ingested.length, 0);
  const noDomain = await handleShopifyWebhook(await delivery({ headers: { 'X-Shopify-Shop-Domain': null } }), deps);
  strictEqual(noDomain.status, 401);
});

Deno.test('invalid headers are 400 after the signature check', async () => {
  const { deps, ingested } = fakes();
  const response = await handleShopifyWebhook(await delivery({ headers: { 'X-Shopify-Event-Id': null } }), deps);
  strictEqual(response.status, 400);
  strictEqual(await errorCode(response), 'invalid_headers');
  const badTime = await handleShopifyWebhook(
    await delivery({ headers: { 'X-Shopify-Triggered-At': 'yesterday' } }),
    deps,
  );
  strictEqual(badTime.status, 400);
  strictEqual(ingested.length, 0);
});

Deno.test('signed but malformed JSON is 400 invalid_json and not stored', async () => {
  const { deps, ingested } = fakes();
  const response = await handleShopifyWebhook(await delivery({ body: '{"id": 8001,' }), deps);
  strictEqual(response.status, 400);
  strictEqual(await errorCode(response), 'invalid_json');
  strictEqual(ingested.length, 0);
});

Deno.test('a body over 1 MiB is 413 before any lookup', async () => {
  const { deps, ingested, lookups } = fakes();
  const response = await handleShopifyWebhook(await delivery({ body: 'x'.repeat(BODY_LIMIT + 1) }), deps);
  strictEqual(response.status, 413);
  strictEqual(await errorCode(response), 'payload_too_large');
  deepStrictEqual([ingested.length, lookups.length], [0, 0]);
});

Deno.test('a payload that does not validate is stored with its error (answered 200)', async () => {
  const { deps, ingested } = fakes({ result: { status: 'failed', delivery_id: 3, error: 'x' } });
  const response = await handleShopifyWebhook(await delivery({ body: JSON.stringify({ id: 'nope' }) }), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { status: 'failed', deliveryId: 3 });
  strictEqual(ingested[0].mapped, null);
  strictEqual(ingested[0].parse_error?.startsWith('invalid payload: '), true);
});

Deno.test('an unknown topic is passed on unmapped (stored as ignored)', async () => {
  const { deps, ingested } = fakes({ result: { status: 'ignored', delivery_id: 4, outcome: 'unknown_topic' } });
  const response = await handleShopifyWebhook(await delivery({ topic: 'carts/update' }), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { status: 'ignored', deliveryId: 4, outcome: 'unknown_topic' });
  deepStrictEqual([ingested[0].mapped, ingested[0].parse_error], [null, null]);
});

Deno.test('when storing fails the answer is 500, so Shopify retries', async () => {
  const { deps } = fakes({ ingestError: new Error('connection refused') });
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 500);
  strictEqual(await errorCode(response), 'internal_error');
});

Deno.test('a NUL or an unpaired surrogate is stored as U+FFFD, with the body as sent beside it', async () => {
  const body = JSON.stringify({ ...product, title: 'Trail\u0000Runner', vendor: '\ud800' });
  const { deps, ingested } = fakes();
  const response = await handleShopifyWebhook(await delivery({ body }), deps);
  strictEqual(response.status, 200);
  const [input] = ingested;
  strictEqual((input.payload as { title: string }).title, 'Trail\ufffdRunner');
  strictEqual((input.mapped as { record: { title: string } }).record.title, 'Trail\ufffdRunner');
  strictEqual(input.original_body, body);
});

Deno.test('an ordinary body is stored without a copy of it', async () => {
  const { deps, ingested } = fakes();
  await handleShopifyWebhook(await delivery(), deps);
  strictEqual(ingested[0].original_body, null);
});

Deno.test('a content error from the database stores a placeholder with the error and answers 200', async () => {
  const tooDeep = Object.assign(new Error('stack depth limit exceeded'), { code: '54001' });
  const { deps, ingested } = fakes({ payloadError: tooDeep, result: { status: 'failed', delivery_id: 7 } });
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { status: 'failed', deliveryId: 7 });
  const [input] = ingested;
  deepStrictEqual(input.payload, { not_stored: true, id: product.id });
  strictEqual(input.mapped, null);
  strictEqual(input.parse_error, 'payload not storable: 54001: stack depth limit exceeded');
  strictEqual(input.original_body, JSON.stringify(product));
});

Deno.test('an error that is not about the content (connection, timeout) is still a 500', async () => {
  const { deps, ingested } = fakes({
    payloadError: Object.assign(new Error('terminating connection'), { code: '57P01' }),
  });
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 500);
  strictEqual(ingested.length, 0);
});

Deno.test('only POST is accepted', async () => {
  const { deps } = fakes();
  const response = await handleShopifyWebhook(new Request('http://localhost/shopify-webhook'), deps);
  strictEqual(response.status, 405);
});

Deno.test('a rotated secret is picked up at once although the old one is cached', async () => {
  const { deps, known, lookups } = fakes();
  strictEqual((await handleShopifyWebhook(await delivery(), deps)).status, 200);
  known[shop] = 'rotated-secret-0123456789';
  strictEqual((await handleShopifyWebhook(await delivery({ key: 'rotated-secret-0123456789' }), deps)).status, 200);
  strictEqual(lookups.length, 2);
  // The old secret no longer verifies.
  strictEqual((await handleShopifyWebhook(await delivery(), deps)).status, 401);
});

Deno.test('a shop deactivated while its secret was cached is refused like an unknown one', async () => {
  const { deps, lookups } = fakes({ result: { status: 'unknown_shop' } });
  const response = await handleShopifyWebhook(await delivery(), deps);
  strictEqual(response.status, 401);
  strictEqual(await errorCode(response), 'invalid_signature');
  // The cached secret was dropped: the next delivery looks the shop up again.
  await handleShopifyWebhook(await delivery(), deps);
  strictEqual(lookups.length, 2);
});

Deno.test('a placeholder keeps only the ids privacy requests match deliveries by', () => {
  deepStrictEqual(placeholderPayload({ id: 7, order_id: '8', customer: { id: 9, email: 'a@b.c' }, note: 'x' }), {
    not_stored: true,
    id: 7,
    order_id: '8',
    customer: { id: 9 },
  });
  deepStrictEqual(placeholderPayload([[[]]]), { not_stored: true });
  deepStrictEqual(placeholderPayload({ id: { deep: [] }, customer: null }), { not_stored: true });
});
