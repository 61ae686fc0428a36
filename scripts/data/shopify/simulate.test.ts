/**
 * The Shopify simulator signs exactly as Shopify does (base64 HMAC-SHA256 over the exact body
 * bytes) — checked with node:crypto and with the Deno module the shopify-webhook function
 * uses — and produces the duplicates, retries and out-of-order deliveries it promises.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@cairn/local-stack/config.ts';
import { denoBinary } from '@cairn/local-stack/functions/deno.ts';
import { buildDeliveries, deliveryHeaders, signBody, type BuildOptions, type SimDelivery } from './payloads.ts';
import { counts, percentile, sendDeliveries } from './simulate.ts';

const options: BuildOptions = {
  shop: 'sim-test.myshopify.com',
  secret: 'sim-test-secret',
  orders: 40,
  seed: 12345,
  duplicates: 0.3,
  outOfOrder: 0.5,
  startMs: Date.parse('2025-01-01T00:00:00Z'),
};
const deliveries = buildDeliveries(options);
const resourceId = (delivery: SimDelivery) => {
  const body = JSON.parse(delivery.body) as { id?: number; inventory_item_id?: number };
  return `${delivery.topic.split('/')[0]}:${body.id ?? body.inventory_item_id}`;
};
const versionOf = (delivery: SimDelivery) => {
  const body = JSON.parse(delivery.body) as { updated_at?: string };
  return Date.parse(body.updated_at ?? delivery.triggeredAt);
};

function originalOf(resent: SimDelivery): SimDelivery {
  const original = deliveries.find((d) => d.kind === 'original' && d.eventId === resent.eventId);
  if (!original) throw new Error(`no original for event ${resent.eventId}`);
  return original;
}

describe('signing', () => {
  it('matches the published HMAC-SHA256 test vector, base64-encoded', () => {
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      Buffer.from('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8', 'hex').toString('base64'),
    );
  });

  it('signs the UTF-8 bytes of each body with the shop secret', () => {
    expect(deliveries.some((d) => Buffer.byteLength(d.body) !== d.body.length)).toBe(true); // non-ASCII present
    for (const delivery of deliveries) {
      const expected = createHmac('sha256', options.secret).update(Buffer.from(delivery.body, 'utf8')).digest('base64');
      expect(delivery.hmac).toBe(expected);
      expect(createHmac('sha256', 'wrong').update(delivery.body).digest('base64')).not.toBe(delivery.hmac);
    }
  });

  it('passes the Deno modules the webhook function uses: HMAC, headers and payload schema', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cairn-sim-'));
    try {
      const webhook = path.join(repoRoot, 'supabase', 'functions', 'shopify-webhook');
      const module = (name: string) => JSON.stringify(pathToFileURL(path.join(webhook, name)).href);
      const script = path.join(dir, 'verify.ts');
      // Runs in Deno: for each delivery, what shopify-webhook would conclude.
      writeFileSync(
        script,
        `import { parseShopifyHeaders, verifyShopifyHmac } from ${module('envelope.ts')};
import { parseShopifyPayload } from ${module('payloads.ts')};
const { secret, items } = JSON.parse(await new Response(Deno.stdin.readable).text());
const results = [];
for (const { body, headers } of items) {
  const bytes = new TextEncoder().encode(body);
  const hmac = (await verifyShopifyHmac(bytes, headers['X-Shopify-Hmac-Sha256'], secret)).ok;
  const parsedHeaders = parseShopifyHeaders(new Headers(headers));
  const payload = parsedHeaders.ok ? parseShopifyPayload(parsedHeaders.value.topic, JSON.parse(body)) : null;
  results.push({ hmac, headers: parsedHeaders.ok || parsedHeaders.message, payload: payload?.ok || payload?.message });
}
console.log(JSON.stringify(results));`,
      );
      const sent = deliveries.map((d) => ({ body: d.body, headers: deliveryHeaders(d) }));
      // One byte more (a space after a key) changes nothing semantically but must break the HMAC.
      const tampered = deliveries.slice(0, 20).map((d) => ({
        body: d.body.replace('"id":', '"id": '),
        headers: deliveryHeaders(d),
      }));
      const run = spawnSync(
        denoBinary(),
        ['run', '--quiet', '--allow-read', '--config', path.join(webhook, 'deno.json'), script],
        {
          input: JSON.stringify({ secret: options.secret, items: [...sent, ...tampered] }),
          encoding: 'utf8',
          cwd: webhook,
        },
      );
      expect(run.stderr).toBe('');
      const results = JSON.parse(run.stdout) as Array<{
        hmac: boolean;
        headers: true | string;
        payload: true | string;
      }>;
      expect(results.slice(0, sent.length)).toEqual(sent.map(() => ({ hmac: true, headers: true, payload: true })));
      expect(results.slice(sent.length).map((r) => r.hmac)).toEqual(tampered.map(() => false));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deliveries', () => {
  it('carry every header Shopify sends', () => {
    const headers = deliveryHeaders(deliveries[0]);
    expect(Object.keys(headers).sort()).toEqual(
      [
        'Content-Type',
        'X-Shopify-API-Version',
        'X-Shopify-Event-Id',
        'X-Shopify-Hmac-Sha256',
        'X-Shopify-Shop-Domain',
        'X-Shopify-Topic',
        'X-Shopify-Triggered-At',
        'X-Shopify-Webhook-Id',
      ].sort(),
    );
    expect(headers['X-Shopify-Shop-Domain']).toBe('sim-test.myshopify.com');
    for (const delivery of deliveries) expect(new Date(delivery.triggeredAt).toISOString()).toBe(delivery.triggeredAt);
  });

  it('cover orders in several currencies, customers, price changes, restocks and refunds', () => {
    const topics = new Set(deliveries.map((d) => d.topic));
    for (const topic of [
      'orders/create',
      'orders/paid',
      'orders/updated',
      'refunds/create',
      'customers/create',
      'customers/update',
      'products/create',
      'products/update',
      'inventory_levels/update',
      'locations/create',
      'fulfillments/create',
    ]) {
      expect(topics, topic).toContain(topic);
    }
    const currencies = new Set(
      deliveries
        .filter((d) => d.topic === 'orders/create')
        .map((d) => (JSON.parse(d.body) as { presentment_currency: string }).presentment_currency),
    );
    expect(currencies.size).toBeGreaterThanOrEqual(3);
    const levels = deliveries
      .filter((d) => d.topic === 'inventory_levels/update' && d.kind === 'original')
      .map((d) => JSON.parse(d.body) as { inventory_item_id: number; available: number });
    const restocked = levels.some(
      (level, i) =>
        level.available > 0 &&
        levels.slice(0, i).some((l) => l.inventory_item_id === level.inventory_item_id && l.available === 0),
    );
    const startsSoldOut = deliveries
      .filter((d) => d.topic === 'products/create')
      .some((d) =>
        (JSON.parse(d.body) as { variants: Array<{ inventory_quantity: number }> }).variants.some(
          (v) => v.inventory_quantity === 0,
        ),
      );
    expect(restocked || startsSoldOut).toBe(true);
  });

  it('include exact duplicates: same event id, webhook id and body', () => {
    const duplicates = deliveries.filter((d) => d.kind === 'duplicate');
    expect(duplicates.length).toBeGreaterThan(0);
    for (const duplicate of duplicates) {
      const original = originalOf(duplicate);
      expect(original.seq).toBeLessThan(duplicate.seq);
      expect([original.webhookId, original.body, original.hmac]).toEqual([
        duplicate.webhookId,
        duplicate.body,
        duplicate.hmac,
      ]);
    }
  });

  it('include retries: same event id and body, new webhook id', () => {
    const retries = deliveries.filter((d) => d.kind === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      const original = originalOf(retry);
      expect(original.body).toBe(retry.body);
      expect(original.webhookId).not.toBe(retry.webhookId);
    }
  });

  it('include out-of-order updates: an older version sent after a newer one of the same record', () => {
    const stale = deliveries.filter((d) => d.kind === 'out_of_order');
    expect(stale.length).toBeGreaterThan(0);
    for (const old of stale) {
      const newer = deliveries.filter(
        (d) => d.seq < old.seq && resourceId(d) === resourceId(old) && d.kind === 'original',
      );
      expect(
        newer.some((d) => versionOf(d) > versionOf(old) && Date.parse(d.triggeredAt) > Date.parse(old.triggeredAt)),
      ).toBe(true);
      // A stale version is its own event (its own event id), not a resend of the newer one.
      expect(deliveries.filter((d) => d.eventId === old.eventId)).toEqual([old]);
    }
  });

  it('are deterministic for a seed and differ across seeds', () => {
    expect(buildDeliveries(options)).toEqual(deliveries);
    const other = buildDeliveries({ ...options, seed: 54321 });
    const ids = new Set(deliveries.map((d) => d.eventId));
    expect(other.some((d) => ids.has(d.eventId))).toBe(false);
    const orderIds = new Set(deliveries.map((d) => d.orderId).filter(Boolean));
    expect(other.some((d) => d.orderId !== undefined && orderIds.has(d.orderId))).toBe(false);
  });

  it('count unique events and orders for lost/duplicate checks', () => {
    const summary = counts(deliveries);
    expect(summary.uniqueOrders).toBe(options.orders);
    expect(summary.uniqueEvents).toBe(deliveries.length - summary.byKind.duplicate - summary.byKind.retry);
  });
});

describe('sending', () => {
  const received: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body });
      const valid =
        createHmac('sha256', options.secret).update(body).digest('base64') === req.headers['x-shopify-hmac-sha256'];
      res.writeHead(valid ? 200 : 401).end(valid ? '' : '{"error":{"code":"invalid_signature"}}');
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends every delivery with its headers, counts failures and reports latency percentiles', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sample = deliveries.slice(0, 30);
    const broken = { ...sample[3], hmac: signBody(sample[3].body, 'not-the-secret') };
    const summary = await sendDeliveries([...sample, broken], {
      url: `http://127.0.0.1:${port}/functions/v1/shopify-webhook`,
      rate: 0,
      concurrency: 4,
    });
    expect(received).toHaveLength(31);
    expect(summary).toMatchObject({ sent: 31, ok: 30, failed: 1, statuses: { '200': 30, '401': 1 } });
    expect(summary.failures[0]).toMatchObject({ status: 401, topic: broken.topic });
    expect(summary.latencyMs.p50).toBeGreaterThan(0);
    expect(summary.latencyMs.p95).toBeGreaterThanOrEqual(summary.latencyMs.p50);
    expect(summary.latencyMs.max).toBeGreaterThanOrEqual(summary.latencyMs.p99);
    const first = received.find((r) => r.headers['x-shopify-event-id'] === sample[0].eventId);
    if (!first) throw new Error('the first delivery was not received');
    expect(first.body.toString('utf8')).toBe(sample[0].body);
    expect(first.headers['x-shopify-topic']).toBe(sample[0].topic);
  });

  it('paces to the requested rate', async () => {
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    await sendDeliveries(deliveries.slice(0, 11), { url: `http://127.0.0.1:${port}/`, rate: 50, concurrency: 4 });
    // 11 deliveries at 50/s: the last is due 200 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('percentile uses the nearest-rank method', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 100), percentile([], 50)]).toEqual([
      50, 95, 100, 0,
    ]);
  });
});
