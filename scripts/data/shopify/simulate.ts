/**
 * Shopify webhook simulator: builds signed deliveries (see payloads.ts) and sends them to the
 * shopify-webhook function, or prints them with --dry-run (one JSON object per line).
 *
 *   npx tsx scripts/data/shopify/simulate.ts [options]
 *     --url <url>          default http://127.0.0.1:54321/functions/v1/shopify-webhook
 *     --shop <domain>      default cairn-demo.myshopify.com
 *     --secret <secret>    default env SHOPIFY_WEBHOOK_SECRET, else the demo shop's secret
 *     --orders N           orders to create (default 50); other events scale with it
 *     --rate R             deliveries per second (default 0 = as fast as possible)
 *     --concurrency C      requests in flight (default 8)
 *     --duplicates P       probability a delivery is resent (duplicate or retry), default 0.05
 *     --out-of-order P     probability an update also gets a stale version sent later, default 0.05
 *     --seed S             PRNG seed (default random, printed); with --seed the clock starts at
 *                          2025-01-01T00:00:00Z unless --start is given, so output is reproducible
 *     --start <iso>        simulated clock start
 *     --api-version V      default 2025-07
 *     --dry-run            print deliveries as JSON lines, send nothing
 *     --json               print the summary as one JSON object
 *
 * Prints sent/ok/failed counts, HTTP statuses, throughput and latency percentiles; exits 1 when
 * any delivery failed (non-2xx or network error).
 */
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import { buildDeliveries, deliveryHeaders, type DeliveryKind, type SimDelivery } from './payloads.ts';

/** The demo shop's webhook secret (also seeded in the database and written in the README). */
export const DEMO_SHOP = 'cairn-demo.myshopify.com';
export const DEMO_SECRET = 'cairn-demo-shopify-webhook-secret';
export const DEFAULT_URL = 'http://127.0.0.1:54321/functions/v1/shopify-webhook';

export interface SendOptions {
  url: string;
  /** Deliveries per second; 0 means unpaced. */
  rate: number;
  concurrency: number;
  timeoutMs?: number;
}

export interface SendSummary {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  byKind: Record<DeliveryKind, number>;
  uniqueEvents: number;
  uniqueOrders: number;
  durationMs: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** The first few failures, for diagnosis. */
  failures: Array<{ seq: number; topic: string; status: number | string; body: string }>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Outcome {
  status: number | string;
  ms: number;
  body: string;
}

function post(agent: Agent, url: URL, delivery: SimDelivery, timeoutMs: number): Promise<Outcome> {
  const body = Buffer.from(delivery.body, 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve) => {
    const began = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - began) / 1e6;
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...deliveryHeaders(delivery), 'Content-Length': body.length },
        ...(url.protocol === 'https:' ? {} : { agent }),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: elapsed(), body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: error.message, ms: elapsed(), body: '' }));
    req.end(body);
  });
}

/** Sends deliveries in order with `concurrency` in flight, paced to `rate` per second. */
export async function sendDeliveries(deliveries: SimDelivery[], options: SendOptions): Promise<SendSummary> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failures: SendSummary['failures'] = [];
  let ok = 0;
  let next = 0;
  const started = performance.now();

  async function worker(): Promise<void> {
    while (next < deliveries.length) {
      const index = next++;
      const delivery = deliveries[index];
      if (options.rate > 0) {
        const due = started + (index * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const outcome = await post(agent, url, delivery, options.timeoutMs ?? 10_000);
      latencies.push(outcome.ms);
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (typeof outcome.status === 'number' && outcome.status >= 200 && outcome.status < 300) ok += 1;
      else if (failures.length < 10) {
        failures.push({
          seq: delivery.seq,
          topic: delivery.topic,
          status: outcome.status,
          body: outcome.body.slice(0, 300),
        });
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  agent.destroy();
  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    sent: deliveries.length,
    ok,
    failed: deliveries.length - ok,
    statuses,
    ...counts(deliveries),
    durationMs: Math.round(durationMs),
    perSecond: Math.round((deliveries.length / durationMs) * 1000 * 10) / 10,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
    failures,
  };
}

/** What the receiver should end up with: one record per unique event, one order per order id. */
export function counts(deliveries: SimDelivery[]): Pick<SendSummary, 'byKind' | 'uniqueEvents' | 'uniqueOrders'> {
  const byKind: Record<DeliveryKind, number> = { original: 0, duplicate: 0, retry: 0, out_of_order: 0 };
  for (const delivery of deliveries) byKind[delivery.kind] += 1;
  return {
    byKind,
    uniqueEvents: new Set(deliveries.map((d) => `${d.topic}|${d.eventId}`)).size,
    uniqueOrders: new Set(deliveries.filter((d) => d.topic === 'orders/create').map((d) => d.orderId)).size,
  };
}

function probability(value: string, name: string): number {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new Error(`--${name} must be between 0 and 1`);
  return number;
}

function positive(value: string, name: string, allowZero = false): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || (!allowZero && number === 0))
    throw new Error(`--${name} must be a positive number`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: DEFAULT_URL },
      shop: { type: 'string', default: DEMO_SHOP },
      secret: { type: 'string' },
      orders: { type: 'string', default: '50' },
      rate: { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '8' },
      duplicates: { type: 'string', default: '0.05' },
      'out-of-order': { type: 'string', default: '0.05' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'api-version': { type: 'string', default: '2025-07' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npx tsx scripts/data/shopify/simulate.ts [--url U] [--shop D] [--secret S] [--orders N] [--rate R]',
    );
    console.log(
      '  [--concurrency C] [--duplicates P] [--out-of-order P] [--seed S] [--start ISO] [--dry-run] [--json]',
    );
    return;
  }
  const seeded = values.seed !== undefined;
  const seed = seeded ? Number(values.seed) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  const startMs = values.start ? Date.parse(values.start) : seeded ? Date.parse('2025-01-01T00:00:00Z') : Date.now();
  if (!Number.isFinite(startMs)) throw new Error('--start must be an ISO-8601 time');
  const deliveries = buildDeliveries({
    shop: values.shop,
    secret: values.secret ?? process.env.SHOPIFY_WEBHOOK_SECRET ?? DEMO_SECRET,
    orders: Math.floor(positive(values.orders, 'orders')),
    seed,
    duplicates: probability(values.duplicates, 'duplicates'),
    outOfOrder: probability(values['out-of-order'], 'out-of-order'),
    startMs,
    apiVersion: values['api-version'],
  });

  if (values['dry-run']) {
    for (const delivery of deliveries) {
      process.stdout.write(`${JSON.stringify({ ...delivery, headers: deliveryHeaders(delivery) })}\n`);
    }
    return;
  }

  if (!values.json) console.log(`seed ${seed}: sending ${deliveries.length} deliveries to ${values.url}`);
  const summary = await sendDeliveries(deliveries, {
    url: values.url,
    rate: positive(values.rate, 'rate', true),
    concurrency: Math.floor(positive(values.concurrency, 'concurrency')),
  });
  if (values.json) console.log(JSON.stringify({ seed, ...summary }));
  else {
    const { latencyMs: l } = summary;
    console.log(
      `sent ${summary.sent}, ok ${summary.ok}, failed ${summary.failed} in ${summary.durationMs} ms (${summary.perSecond}/s)`,
    );
    console.log(`statuses ${JSON.stringify(summary.statuses)}; kinds ${JSON.stringify(summary.byKind)}`);
    console.log(`unique events ${summary.uniqueEvents}, unique orders ${summary.uniqueOrders}`);
    console.log(`latency ms p50 ${l.p50}, p95 ${l.p95}, p99 ${l.p99}, max ${l.max}`);
    for (const failure of summary.failures)
      console.log(`  failed #${failure.seq} ${failure.topic}: ${failure.status} ${failure.body}`);
  }
  process.exitCode = summary.failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
}
