/**
 * shopify-import: works a bounded slice of each running history import, then returns; the
 * database asks for the next slice (pg_net after each chunk, at once when a call's time ran out
 * with work left, and pg_cron every minute). Per call, at most ~50 s of work (hosted functions get
 * 150 s) and two chunks of JSONL in memory (the one applied, the next one read meanwhile).
 *
 * An import runs five phases (customers → products → locations with their stock → orders →
 * fulfillments). Per phase: start a bulk operation
 * (bulkOperationRunQuery), poll it (node(id:)) until COMPLETED, then read its JSONL from the
 * applied byte offset (bounded HTTP ranges), a chunk of whole groups (a root line and its
 * `__parentId` children; a location's stock levels, which stand alone, cut into chunks of at most
 * `SHOPIFY_IMPORT_CHUNK_LEVELS`) at a time, validate and map each group with the webhook's own
 * parsers, and hand the chunk to public.shopify_import_apply_chunk — which applies it in one
 * transaction only if it starts at the stored offset. A crash anywhere leaves the offset at the
 * last committed chunk.
 */
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller } from '../_shared/scheduled-call.ts';
import { adminGraphql, adminOrigin, clientCredentialsToken, ShopifyError } from '../shopify-connect/shopify.ts';
import type { ShopifyTopic } from '../shopify-webhook/envelope.ts';
import { parseShopifyPayload } from '../shopify-webhook/payloads.ts';
import { z } from 'zod';
import {
  bulkQuery,
  customerPayload,
  fulfillmentPayloads,
  inventoryLevelPayloads,
  locationPayload,
  numericId,
  orderFulfillmentPayloads,
  orderPayload,
  type Phase,
  PHASES,
  productPayload,
  refundPayloads,
} from './convert.ts';

type Env = { get(name: string): string | undefined };
type Json = Record<string, unknown>;

export interface ImportRow {
  id: string;
  shop_id: string;
  phase: Phase | 'done';
  bulk_operation_id: string | null;
  bulk_url: string | null;
  byte_offset: number;
  kind?: 'history' | 'reconcile';
  since?: string | null;
}

export interface Credentials {
  domain: string;
  auth_kind: string;
  client_id: string | null;
  client_secret: string | null;
  access_token: string | null;
  token_expires_at: string | null;
}

export interface ImportPorts {
  claim(): Promise<ImportRow | null>;
  credentials(shopId: string): Promise<Credentials | null>;
  recordToken(shopId: string, accessToken: string, expiresAt: string): Promise<void>;
  progress(importId: string, fields: Record<string, unknown>): Promise<void>;
  /** Asks the database for the next call at once (this one's time ran out with work left). */
  continueImport(importId: string): Promise<void>;
  /** Recomputes up to `batch` customers' metrics queued by the import's chunks; answers how many are left. */
  refreshMetrics(importId: string, batch: number): Promise<number>;
  applyChunk(args: {
    import_id: string;
    from_offset: number;
    to_offset: number;
    roots: number;
    records: unknown[];
    failures: unknown[];
    /** The phase the chunk belongs to: a chunk of a phase the import has left is stale. */
    import_phase: Phase;
    /** A reconciliation's chunk: records Cairn already holds at that version are left out. */
    reconcile?: boolean;
  }): Promise<{ status: string }>;
}

export interface ImportDeps {
  ports: ImportPorts;
  env: Env;
  log(message: string, error?: unknown): void;
  now?: () => number;
}

const bodySchema = z
  .object({
    max_chunks: z.number().int().min(1).max(1000).optional(),
    max_steps: z.number().int().min(1).max(1000).optional(),
  })
  .passthrough();

const WORK_MS = 50_000;
/** Between two looks at a running bulk export. */
const POLL_MS = 200;
const METRICS_BATCH = 5000;
/** Stock levels per chunk of the locations phase (`SHOPIFY_IMPORT_CHUNK_LEVELS`). */
const LEVELS_PER_CHUNK = 2000;

export async function handleShopifyImport(req: Request, deps: ImportDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, deps.env);
  if (!caller.ok) return caller.response;
  const body = await readJsonBody(req, bodySchema, 4096);
  if (!body.ok) return body.response;
  const now = deps.now ?? Date.now;
  const deadline = now() + WORK_MS;
  const maxChunks = body.value.max_chunks ?? Number.POSITIVE_INFINITY;
  const maxSteps = body.value.max_steps ?? Number.POSITIVE_INFINITY;
  let chunks = 0;
  let steps = 0;
  // The import this call worked last, while it still has work the next call can go on with.
  let unfinished: string | null = null;
  while (now() < deadline && chunks < maxChunks && steps < maxSteps) {
    const work = await deps.ports.claim();
    if (!work) break;
    steps += 1;
    unfinished = null;
    try {
      // Each further chunk a step takes under its lease counts against the limits.
      const more = () => {
        if (now() >= deadline || chunks + 1 >= maxChunks) return false;
        chunks += 1;
        return true;
      };
      const outcome = await step(work, deps, more);
      if (outcome === 'chunk') chunks += 1;
      if (outcome === 'wait') break;
      unfinished = work.id;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.log('shopify import step failed', error);
      // Permanent refusals stop the import with their reason; anything else is retried next call.
      const permanent = error instanceof ShopifyError && error.kind !== 'upstream';
      await deps.ports.progress(work.id, {
        expected_phase: work.phase,
        ...(permanent ? { status: 'failed' } : {}),
        last_error: reason,
        release: true,
      });
      if (!permanent) break;
      // The orders that did come in still count on their customers.
      while (now() < deadline && (await deps.ports.refreshMetrics(work.id, METRICS_BATCH)) > 0);
    }
  }
  // Out of time with work left: the next call at once, not at the next minute's schedule (the
  // after-chunk request of the last chunk came while this call still held the lease). A waiting or
  // failing import waits for the schedule instead.
  if (unfinished && now() >= deadline) await deps.ports.continueImport(unfinished);
  return jsonResponse({ steps, chunks });
}

async function liveToken(deps: ImportDeps, shopId: string, creds: Credentials): Promise<string> {
  const ending = creds.token_expires_at !== null && Date.parse(creds.token_expires_at) < Date.now() + 10 * 60_000;
  if (creds.auth_kind === 'client_credentials' && (ending || !creds.access_token)) {
    const granted = await clientCredentialsToken(
      adminOrigin(creds.domain, deps.env),
      creds.client_id ?? '',
      creds.client_secret ?? '',
    );
    await deps.ports.recordToken(shopId, granted.accessToken, granted.expiresAt.toISOString());
    return granted.accessToken;
  }
  if (!creds.access_token) throw new ShopifyError('bad_token', 'No access token is stored for this shop');
  return creds.access_token;
}

const nextPhase = (phase: Phase): Phase | 'done' => PHASES[PHASES.indexOf(phase) + 1] ?? 'done';

interface BulkOperation {
  id: string;
  status: string;
  errorCode: string | null;
  rootObjectCount: string;
  url: string | null;
}

/**
 * One unit of work on one import: start, poll, or apply chunks — while `more()` allows, one after
 * the other under the same lease, the next chunk read and mapped while the database applies the
 * current one.
 */
async function step(work: ImportRow, deps: ImportDeps, more: () => boolean): Promise<'chunk' | 'progress' | 'wait'> {
  const { ports } = deps;
  // Every report names the phase this step read: when another worker has moved the import on
  // meanwhile (a lease ran out), the database ignores it.
  const report = (fields: Record<string, unknown>) =>
    ports.progress(work.id, { ...fields, expected_phase: work.phase });
  if (work.phase === 'done') {
    // The customers whose orders came in get their metrics and stage recomputed, once each, in
    // batches; then the import is complete.
    const left = await ports.refreshMetrics(work.id, METRICS_BATCH);
    await report(left > 0 ? { release: true } : { status: 'completed', release: true });
    return left > 0 ? 'chunk' : 'progress';
  }
  const creds = await ports.credentials(work.shop_id);
  if (!creds) {
    await report({ status: 'failed', last_error: 'The shop was disconnected', release: true });
    return 'progress';
  }
  const origin = adminOrigin(creds.domain, deps.env);
  const token = await liveToken(deps, work.shop_id, creds);

  if (!work.bulk_operation_id) {
    const data = await adminGraphql<{
      bulkOperationRunQuery: {
        bulkOperation: { id: string } | null;
        userErrors: Array<{ message: string; code: string | null }>;
      };
    }>(
      origin,
      token,
      `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }`,
      { query: bulkQuery(work.phase, work.kind === 'reconcile' ? (work.since ?? null) : null) },
    );
    const run = data.bulkOperationRunQuery;
    if (!run.bulkOperation) {
      if (run.userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS')) {
        // Another export of this app is running (one at a time per shop): try again later.
        await report({ last_error: run.userErrors[0]?.message, release: true });
        return 'wait';
      }
      throw new ShopifyError('access_denied', run.userErrors.map((e) => e.message).join('; '));
    }
    await report({ bulk_operation_id: run.bulkOperation.id, release: true });
    return 'progress';
  }

  if (!work.bulk_url) {
    const data = await adminGraphql<{ node: BulkOperation | null }>(
      origin,
      token,
      `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode rootObjectCount url } } }`,
      { id: work.bulk_operation_id },
    );
    const op = data.node;
    if (!op) throw new ShopifyError('upstream', 'Shopify no longer knows the bulk operation');
    if (op.status === 'COMPLETED') {
      if (!op.url) {
        // Nothing to export in this phase.
        await report({ phase: nextPhase(work.phase), reset_offset: true, release: true });
        return 'progress';
      }
      await report({ bulk_url: op.url, phase_total: Number(op.rootObjectCount), release: true });
      return 'progress';
    }
    if (['FAILED', 'CANCELED', 'EXPIRED'].includes(op.status))
      throw new ShopifyError(
        'access_denied',
        `Shopify's export ${op.status.toLowerCase()} (${op.errorCode ?? 'no code'})`,
      );
    await report({ release: true });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return 'progress';
  }

  const limit = Number(deps.env.get('SHOPIFY_IMPORT_CHUNK_ROOTS') ?? 1000);
  const rangeBytes = Number(deps.env.get('SHOPIFY_IMPORT_RANGE_BYTES') ?? RANGE_BYTES);
  const phase = work.phase;
  const url = work.bulk_url;
  // A location's stock levels stand alone (each is its own record): a chunk holds at most this many
  // of them, so a location with 30 000 levels is applied in bounded chunks, not one.
  const maxChildren =
    phase === 'locations' ? Number(deps.env.get('SHOPIFY_IMPORT_CHUNK_LEVELS') ?? LEVELS_PER_CHUNK) : undefined;
  // A chunk waiting for its turn keeps only what the database is sent: the parsed JSONL lines
  // are dropped as soon as they are mapped (they are as large again as the records).
  const load = async (offset: number) => {
    const { groups, endOffset, atEnd } = await readChunk(url, offset, limit, { maxChildren, rangeBytes });
    // A group carried on from the previous chunk was counted there.
    const roots = groups.filter((group) => !group.continued).length;
    return { offset, chunk: { endOffset, atEnd, roots }, ...mapGroups(phase, groups) };
  };
  let next = load(work.byte_offset);
  for (;;) {
    const { offset, chunk, records, failures } = await next;
    const ahead = !chunk.atEnd && more() ? load(chunk.endOffset) : null;
    // Not awaited when the loop ends early: its failure must not go unhandled.
    ahead?.catch(() => undefined);
    const applied = await ports.applyChunk({
      import_id: work.id,
      from_offset: offset,
      to_offset: chunk.endOffset,
      roots: chunk.roots,
      records,
      failures,
      import_phase: phase,
      reconcile: work.kind === 'reconcile',
    });
    if (chunk.atEnd && applied.status === 'applied') {
      await report({ phase: nextPhase(phase), reset_offset: true, release: true });
      return 'chunk';
    }
    // Stale (another call applied it) or not running any more: the stored offset decides what follows.
    if (!ahead || applied.status !== 'applied') {
      await report({ release: true });
      return 'chunk';
    }
    next = ahead;
  }
}

export interface Group {
  root: Json;
  children: Json[];
  /** The root line was in an earlier chunk (only with `maxChildren`): `root` holds only its id. */
  continued?: boolean;
}

/** The most a chunk read asks of the export file in one request (`SHOPIFY_IMPORT_RANGE_BYTES`). */
export const RANGE_BYTES = 4 * 1024 * 1024;

/**
 * Reads whole groups from `offset` (a root line's start): up to `limit` roots, stopping before the
 * next root line, or at the end of the file. Invalid JSON lines become a group with `invalid`.
 * With `maxChildren` (children that stand alone: a location's stock levels), a chunk also stops
 * before its `maxChildren + 1`-th child line, and may start at a child line: its group then
 * carries on the previous chunk's last one (`continued`).
 *
 * The file is read in bounded byte ranges (`bytes=<from>-<from + rangeBytes - 1>`), one after the
 * other until the chunk is whole, never an open-ended one: what a read holds in flight does not
 * depend on the size of the file (a store's whole order history), only on `rangeBytes`.
 */
export async function readChunk(
  url: string,
  offset: number,
  limit: number,
  { maxChildren, rangeBytes = RANGE_BYTES }: { maxChildren?: number; rangeBytes?: number } = {},
): Promise<{ groups: Array<Group & { invalid?: string }>; endOffset: number; atEnd: boolean }> {
  const decoder = new TextDecoder();
  const groups: Array<Group & { invalid?: string }> = [];
  let pending = new Uint8Array(0);
  // The next byte to ask for; the start of the first line not yet read whole; the chunk's end.
  let fetched = offset;
  let consumed = offset;
  let groupEnd = offset;
  let atEnd = false;
  let children = 0;
  outer: for (;;) {
    const response = await fetch(url, {
      headers: { Range: `bytes=${fetched}-${fetched + rangeBytes - 1}` },
      signal: AbortSignal.timeout(60_000),
    });
    if (response.status === 416) {
      // Past the end of the file.
      await response.body?.cancel();
      atEnd = true;
      break;
    }
    if (!response.ok || !response.body)
      throw new ShopifyError('upstream', `The export file answered ${response.status}`);
    if (response.status !== 206 && fetched > 0)
      throw new ShopifyError('upstream', 'The export file ignored the byte range');
    // `bytes <first>-<last>/<size>`: whether this range reaches the end of the file.
    const range = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '');
    const size = response.status === 206 && range ? Number(range[1]) : null;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        fetched += value.length;
        const joined = new Uint8Array(pending.length + value.length);
        joined.set(pending);
        joined.set(value, pending.length);
        pending = joined;
        let start = 0;
        for (let i = 0; i < pending.length; i++) {
          if (pending[i] !== 10) continue;
          const bytes = pending.subarray(start, i);
          const lineStart = consumed;
          consumed += i - start + 1;
          start = i + 1;
          if (bytes.length === 0) continue;
          let line: Json;
          try {
            line = JSON.parse(decoder.decode(bytes)) as Json;
          } catch (error) {
            groups.push({ root: {}, children: [], invalid: `line at byte ${lineStart} is not JSON: ${String(error)}` });
            groupEnd = consumed;
            continue;
          }
          if (line.__parentId === undefined) {
            if (groups.length >= limit) {
              // The next group starts here: stop before it.
              groupEnd = lineStart;
              break outer;
            }
            groups.push({ root: line, children: [] });
          } else {
            if (maxChildren !== undefined && children >= maxChildren) {
              // The rest of this group goes in the next chunk, which starts at this line.
              groupEnd = lineStart;
              break outer;
            }
            if (maxChildren !== undefined && groups.length === 0)
              groups.push({ root: { id: line.__parentId }, children: [], continued: true });
            const parent = groups[groups.length - 1];
            if (parent && parent.root.id === line.__parentId) {
              parent.children.push(line);
              children += 1;
            }
          }
          groupEnd = consumed;
        }
        pending = pending.slice(start);
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    // The whole file came (no range support at offset 0), or this range reached its end.
    if (size === null || fetched >= size) {
      atEnd = true;
      break;
    }
  }
  return { groups, endOffset: groupEnd, atEnd };
}

const TOPIC: Record<Phase, ShopifyTopic> = {
  customers: 'customers/update',
  products: 'products/update',
  locations: 'locations/update',
  orders: 'orders/updated',
  fulfillments: 'fulfillments/update',
};

/** Each group validated and mapped by the webhook's parsers; what does not parse is a failure with its id. */
export function mapGroups(phase: Phase, groups: Array<Group & { invalid?: string }>) {
  const records: Array<{ shopify_id: string | null; mapped: unknown; version: string }> = [];
  const failures: Array<{ shopify_id: string | null; reason: string }> = [];
  for (const group of groups) {
    const shopifyId = numericId(group.root.id);
    const id = shopifyId === null ? null : String(shopifyId);
    if (group.invalid) {
      failures.push({ shopify_id: id, reason: group.invalid });
      continue;
    }
    const payloads: Array<[ShopifyTopic, Json, string]> = [];
    if (phase === 'customers')
      payloads.push([TOPIC.customers, customerPayload(group.root), String(group.root.updatedAt)]);
    else if (phase === 'products')
      payloads.push([TOPIC.products, productPayload(group.root, group.children), String(group.root.updatedAt)]);
    else if (phase === 'locations') {
      // A location carried on from the previous chunk was applied there; here only more of its levels.
      if (!group.continued) payloads.push([TOPIC.locations, locationPayload(group.root), String(group.root.updatedAt)]);
      for (const level of inventoryLevelPayloads(group.root, group.children))
        payloads.push(['inventory_levels/update', level, String(level.updated_at)]);
    } else if (phase === 'fulfillments') {
      for (const fulfillment of fulfillmentPayloads(group.children))
        payloads.push([TOPIC.fulfillments, fulfillment, String(fulfillment.updated_at)]);
    } else {
      payloads.push([TOPIC.orders, orderPayload(group.root, group.children), String(group.root.updatedAt)]);
      for (const refund of refundPayloads(group.root))
        payloads.push(['refunds/create', refund, String(refund.created_at)]);
      // A reconciliation's: the order's fulfilments changed since the last run (after the order).
      for (const fulfillment of orderFulfillmentPayloads(group.root))
        payloads.push([TOPIC.fulfillments, fulfillment, String(fulfillment.updated_at)]);
    }
    for (const [topic, payload, version] of payloads) {
      const parsed = parseShopifyPayload(topic, payload);
      // A fulfilment is named by its own id, not its fulfillment order's (or order's).
      const rowId = topic === TOPIC.fulfillments && typeof payload.id === 'number' ? String(payload.id) : id;
      if (parsed.ok) records.push({ shopify_id: rowId, mapped: parsed.value, version });
      else failures.push({ shopify_id: rowId, reason: parsed.message });
    }
  }
  return { records, failures };
}
