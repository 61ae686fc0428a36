/**
 * affiliate-feeds: imports the affiliate product feeds admins registered
 * (20261208170000_create_affiliate_feeds.sql). Called every 45 seconds by its schedule while a feed
 * is due (X-Cron-Secret), by an admin's "Run now" through the same schedule, or by the service
 * role. Each call works for at most a time budget: it claims a run, fetches and parses the feed
 * into the database's staging in batches, then applies it in bounded chunks (each row once, all
 * or nothing, bad rows recorded with their reason), and claims the next run while time is left.
 * A run it could not finish is released and goes on at the next call.
 */
import { z } from 'zod';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller } from '../_shared/scheduled-call.ts';
import { FeedError, type FeedRow, type Format, parseFeed } from './parse.ts';

type Env = { get(name: string): string | undefined };

export interface ClaimedRun {
  run_id: string;
  feed_id: string;
  network: string;
  feed_url: string;
  format: Format;
  field_map: Record<string, string>;
  phase: 'fetching' | 'applying';
}

export interface FeedDeps {
  env: Env;
  claim(onlyFeed: string | null): Promise<ClaimedRun | null>;
  stage(runId: string, rows: FeedRow[]): Promise<void>;
  staged(runId: string): Promise<void>;
  fail(runId: string, message: string): Promise<void>;
  apply(runId: string, chunkSize: number): Promise<{ done: boolean; applied: number }>;
  release(runId: string): Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Feeds bigger than this are refused unread (a feed is a file, not a stream of the world). */
export const MAX_FEED_BYTES = 50 * 1024 * 1024;
const STAGE_BATCH = 1000;
/** What the feed's server is asked for, by the feed's format. */
const ACCEPT: Record<Format, string> = {
  csv: 'text/csv, text/plain, */*',
  json: 'application/json, */*',
  xml: 'application/xml, text/xml, application/rss+xml, */*',
};

const bodySchema = z
  .object({
    source: z.string().max(50).optional(),
    feed_id: z.uuid().optional(),
    chunk_size: z.number().int().min(1).max(2000).optional(),
    max_chunks: z.number().int().min(1).max(10_000).optional(),
    budget_ms: z.number().int().min(1000).max(50_000).optional(),
  })
  .strict();

/**
 * Whether `hostname` names this machine or a private network (loopback, RFC 1918, link-local —
 * cloud metadata —, unique-local, CGNAT): a feed address there would let whoever registers feeds
 * read internal services. Names are judged as written (not resolved).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local'))
    return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (host.includes(':'))
    return (
      host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:')
    );
  // A bare number (http://2130706433/) is an IPv4 address too.
  return /^(0x[0-9a-f]+|\d+)$/.test(host);
}

/** The feed's text, or why it cannot be had. Redirects are followed (5 at most), each checked. */
async function download(run: ClaimedRun, get: typeof fetch, env: Env): Promise<string> {
  const allowPrivate = env.get('AFFILIATE_FEEDS_ALLOW_PRIVATE_HOSTS') === '1';
  let address = run.feed_url;
  let response: Response | null = null;
  for (let hop = 0; hop <= 5; hop += 1) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new FeedError('The feed address is not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new FeedError('The feed address must be http or https');
    if (!allowPrivate && isPrivateHost(url.hostname)) {
      throw new FeedError(`The feed address ${url.hostname} is in a private network`);
    }
    try {
      response = await get(url, {
        signal: AbortSignal.timeout(30_000),
        headers: { Accept: ACCEPT[run.format] },
        redirect: 'manual',
      });
    } catch (error) {
      throw new FeedError(`The feed could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const location = response.headers.get('Location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      address = new URL(location, url).toString();
      response = null;
      continue;
    }
    break;
  }
  if (!response) throw new FeedError('The feed redirects too often');
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedError(`The feed answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_FEED_BYTES) {
    await response.body?.cancel();
    throw new FeedError(`The feed is larger than ${MAX_FEED_BYTES / 1024 / 1024} MB`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_FEED_BYTES) throw new FeedError(`The feed is larger than ${MAX_FEED_BYTES / 1024 / 1024} MB`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FeedError('The feed is not UTF-8 text');
  }
}

export async function handleAffiliateFeeds(req: Request, deps: FeedDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, deps.env);
  if (!caller.ok) return caller.response;
  const body = await readJsonBody(req, bodySchema, 4096);
  if (!body.ok) return body.response;
  const now = deps.now ?? Date.now;
  const deadline = now() + (body.value.budget_ms ?? 25_000);
  const chunkSize = body.value.chunk_size ?? 500;
  let chunksLeft = body.value.max_chunks ?? Number.POSITIVE_INFINITY;
  const runs: Array<{ run_id: string; network: string; status: string; error?: string }> = [];

  try {
    while (now() < deadline && chunksLeft > 0) {
      const run = await deps.claim(body.value.feed_id ?? null);
      if (!run) break;
      if (run.phase === 'fetching') {
        let rows: FeedRow[];
        try {
          rows = parseFeed(await download(run, deps.fetch ?? fetch, deps.env), run.format, run.field_map ?? {});
        } catch (error) {
          if (!(error instanceof FeedError)) throw error;
          await deps.fail(run.run_id, error.message);
          runs.push({ run_id: run.run_id, network: run.network, status: 'failed', error: error.message });
          continue;
        }
        for (let i = 0; i < rows.length; i += STAGE_BATCH) await deps.stage(run.run_id, rows.slice(i, i + STAGE_BATCH));
        await deps.staged(run.run_id);
      }
      let done = false;
      while (!done && now() < deadline && chunksLeft > 0) {
        done = (await deps.apply(run.run_id, chunkSize)).done;
        chunksLeft -= 1;
      }
      if (!done) await deps.release(run.run_id);
      runs.push({ run_id: run.run_id, network: run.network, status: done ? 'finished' : 'continues' });
      if (!done) break;
    }
  } catch (error) {
    console.error('affiliate-feeds failed', error);
    return fail('internal_error', 'The feed import failed; it goes on at the next call');
  }
  return jsonResponse({ runs });
}
