/**
 * pg_net's background worker: takes committed requests from `net.http_request_queue` (woken
 * by the queue's NOTIFY, with a 1 s poll as fallback), performs them with a timeout and a
 * bounded number in flight, and stores each outcome in `net._http_response` under the
 * request's id. Responses older than pg_net's default TTL (6 hours) are deleted.
 */
import pg from 'pg';
import type { StackContext } from '../context.ts';

interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, unknown> | null;
  body: Buffer | null;
  timeout_milliseconds: number;
}

interface Outcome {
  status: number | null;
  contentType: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timedOut: boolean;
  error: string | null;
}

const MAX_IN_FLIGHT = 10;
const CHANNEL = 'cairn_pg_net';
/** Headers fetch manages itself and refuses to be given. */
const FORBIDDEN_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);

export interface NetWorker {
  close(): Promise<void>;
}

export async function startNetWorker(ctx: StackContext): Promise<NetWorker> {
  const { db, log, config } = ctx;
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  let again = false;
  let stopped = false;

  async function queueExists(): Promise<boolean> {
    const { rows } = await db.query<{ ok: boolean }>(`select to_regclass('net.http_request_queue') is not null as ok`);
    return rows[0]?.ok === true;
  }

  /** Claims and starts requests until the queue is empty or MAX_IN_FLIGHT are running. */
  async function drain(): Promise<void> {
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    try {
      do {
        again = false;
        if (stopped || !(await queueExists())) return;
        while (!stopped && inFlight.size < MAX_IN_FLIGHT) {
          const { rows } = await db.query<QueuedRequest>(
            `delete from net.http_request_queue
             where id in (select id from net.http_request_queue order by id limit $1 for update skip locked)
             returning id, method, url, headers, body, timeout_milliseconds`,
            [MAX_IN_FLIGHT - inFlight.size],
          );
          if (rows.length === 0) break;
          for (const request of rows) track(perform(request));
        }
      } while (again && !stopped);
    } catch (error) {
      log.error('pg_net queue', error);
    } finally {
      draining = false;
    }
  }

  function track(work: Promise<void>): void {
    const done: Promise<void> = work
      .catch((error: unknown) => log.error('pg_net response could not be stored', error))
      .finally(() => {
        inFlight.delete(done);
        // A slot freed up: more requests may be waiting.
        void drain();
      });
    inFlight.add(done);
  }

  async function perform(request: QueuedRequest): Promise<void> {
    const outcome = await send(request);
    if (outcome.error) log.warn(`request ${request.id} ${request.method} ${request.url}: ${outcome.error}`);
    await db.query(
      `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        request.id,
        outcome.status,
        outcome.contentType,
        outcome.headers,
        outcome.content,
        outcome.timedOut,
        outcome.error,
      ],
    );
  }

  const listener = new pg.Client({ connectionString: config.adminDbUrl, application_name: 'pg_net worker' });
  listener.on('error', (error) => log.warn(`pg_net listener: ${error.message}`));
  listener.on('notification', () => void drain());
  await listener.connect();
  await listener.query(`listen ${CHANNEL}`);

  const poll = setInterval(() => void drain(), 1000);
  const ttl = setInterval(() => {
    void (async () => {
      if (!(await queueExists())) return;
      await db.query(`delete from net._http_response where created < now() - interval '6 hours'`);
    })().catch((error: unknown) => log.warn(`pg_net ttl: ${(error as Error).message}`));
  }, 60_000);
  void drain();

  return {
    async close() {
      stopped = true;
      clearInterval(poll);
      clearInterval(ttl);
      await listener.end().catch(() => undefined);
      await Promise.all(inFlight);
    },
  };
}

async function send(request: QueuedRequest): Promise<Outcome> {
  const started = Date.now();
  const timeout = request.timeout_milliseconds > 0 ? request.timeout_milliseconds : 5000;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!FORBIDDEN_HEADERS.has(name.toLowerCase()) && value !== null)
      headers.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  try {
    const response = await fetch(request.url, {
      method: request.method.toUpperCase(),
      headers,
      body: request.body && request.method.toUpperCase() !== 'GET' ? request.body : undefined,
      signal: AbortSignal.timeout(timeout),
      redirect: 'follow',
    });
    const content = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      headers: Object.fromEntries(response.headers.entries()),
      content,
      timedOut: false,
      error: null,
    };
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const message = timedOut
      ? `Timeout of ${timeout} ms reached. Total time: ${Date.now() - started} ms`
      : curlLikeMessage(error);
    return { status: null, contentType: null, headers: null, content: null, timedOut, error: message };
  }
}

/** pg_net reports libcurl's wording; map the common network failures to it. */
function curlLikeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return "Couldn't connect to server";
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return "Couldn't resolve host name";
    case 'ECONNRESET':
      return 'Failure when receiving data from the peer';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
