/**
 * The Edge Functions runtime (edge-runtime's "main service" in `supabase start`): the gateway
 * strips `/functions/v1`, so requests arrive as `/<name>/…`. This server checks the JWT when
 * the function's `verify_jwt` is on, boots the function's Deno process if it is not running,
 * and streams the request to it and its response back, with the CLI's status codes and bodies
 * for unknown functions, missing / invalid JWTs, boot failures and crashes.
 */
import { watch, type FSWatcher, existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeProtectedHeader } from 'jose';
import type { Service, StackContext } from '../context.ts';
import { endToEnd, requestUrl } from '../lib/http.ts';
import type { JwtKeys } from '../lib/jwt.ts';
import { projectKeys } from '../settings.ts';
import { cacheFunctionDependencies, cacheIsCurrent } from './cache.ts';
import { findFunction, functionEnv, functionRoots, type FunctionSpec } from './catalog.ts';
import { BootError, WorkerPool, type FunctionWorker } from './workers.ts';

/** edge-runtime's local wall-clock limit per request (spec §6). */
const WALL_CLOCK_MS = 400_000;

const ERRORS = {
  boot: { status: 503, body: { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' } },
  worker: {
    status: 500,
    body: { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' },
  },
  limit: {
    status: 546,
    body: { code: 'WORKER_LIMIT', message: 'Worker failed to respond due to a resource limit (please check logs)' },
  },
} as const;

/** Responses shaped as the CLI's main service writes them (plain `application/json` / `text/plain`). */
function reply(res: ServerResponse, status: number, payload: unknown): void {
  const json = typeof payload !== 'string';
  const body = json ? JSON.stringify(payload) : payload;
  res.writeHead(status, {
    'content-type': json ? 'application/json' : 'text/plain',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startFunctions(ctx: StackContext): Promise<Service> {
  const { config, settings, log } = ctx;
  // Workers run with --cached-only: fill the cache first when the dependencies changed since
  // npm install (a no-op check otherwise).
  if (!cacheIsCurrent(config, settings)) cacheFunctionDependencies(config, settings, log.child('cache'));
  const pool = new WorkerPool({ log, env: () => functionEnv(config) });
  // Found functions are remembered until anything under supabase/functions changes, so a request
  // does not probe the file system; one not found is looked for again on the next request.
  const found = new Map<string, FunctionSpec>();
  const lookup = (name: string): FunctionSpec | null => {
    const known = found.get(name);
    if (known) return known;
    const spec = findFunction(config, settings, name);
    if (spec) found.set(name, spec);
    return spec;
  };
  const watchers = functionRoots(config).map((dir) => watchFunctions(dir, pool, log, () => found.clear()));

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log.error('request failed', error);
      if (!res.headersSent)
        reply(res, 500, { code: 'Internal Server Error', message: 'Request failed due to an internal server error' });
      else res.destroy();
    });
  };
  const server = createServer(handler);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = requestUrl(req);
    if (pathname === '/_internal/health') return reply(res, 200, { message: 'ok' });
    const name = pathname.split('/')[1] ?? '';
    const spec = name ? lookup(name) : null;
    if (!spec) return reply(res, 404, 'Function not found');
    if (req.method !== 'OPTIONS' && spec.verifyJwt) {
      const failure = await jwtFailure(req, projectKeys(config, ctx.settings));
      if (failure) return reply(res, 401, { msg: failure });
    }
    await forward(spec, req, res);
  }

  async function forward(spec: FunctionSpec, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let worker: FunctionWorker;
    try {
      worker = await pool.acquire(spec);
    } catch (error) {
      if (!(error instanceof BootError)) throw error;
      log.error(`${spec.name}: boot failed`, error);
      return reply(res, ERRORS.boot.status, ERRORS.boot.body);
    }
    try {
      await proxy(worker, req, res);
    } finally {
      pool.release(worker);
    }
  }

  function proxy(worker: FunctionWorker, req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const upstream = httpRequest({
        host: '127.0.0.1',
        port: worker.port,
        method: req.method,
        path: req.url,
        headers: endToEnd(req.headers),
        // No keep-alive to Deno: a reused socket the worker just closed would look like a crash.
        agent: worker.agent,
        timeout: WALL_CLOCK_MS,
      });
      // Only the first failure answers: destroying the upstream raises an 'error' of its own.
      let settled = false;
      const fail = (kind: keyof typeof ERRORS, error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) log.warn(`${worker.name}: ${kind} error: ${error instanceof Error ? error.message : String(error)}`);
        // A worker whose connection broke is not trusted again: the next request boots a new one,
        // even if its exit has not been noticed yet. The exception is a kept-alive connection
        // found closed when reused while the process still runs: that is the socket, not Deno.
        const staleSocket =
          upstream.reusedSocket &&
          !worker.exited &&
          (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
        if (kind === 'worker' && !staleSocket) void worker.stop();
        if (!res.headersSent) reply(res, ERRORS[kind].status, ERRORS[kind].body);
        else res.destroy();
        resolve();
      };
      upstream.on('timeout', () => {
        upstream.destroy();
        fail('limit', new Error(`no response within ${WALL_CLOCK_MS} ms`));
      });
      upstream.on('error', (error) => fail('worker', error));
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
        // An upstream that answered before reading the whole body (a 413, a 401) leaves the rest of
        // it on the client's connection; read and drop it, or the next request on that
        // keep-alive connection would wait behind it. The connection to Deno holds a half-sent
        // body, so it is closed rather than reused.
        if (!req.complete) {
          req.unpipe(upstream);
          req.resume();
          answer.once('end', () => upstream.destroy());
        }
        answer.on('error', (error) => fail('worker', error));
        res.on('close', () => {
          answer.destroy();
          resolve();
        });
      });
      // The caller hung up: stop the function's work on this request too.
      res.on('close', () => {
        settled = true;
        if (!res.writableFinished) upstream.destroy();
        resolve();
      });
      req.pipe(upstream);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.functions, '127.0.0.1', () => resolve());
  });
  log.info(
    `serving supabase/functions${config.testFunctionsDir ? ` and the test-only ${config.testFunctionsDir}` : ''} on http://127.0.0.1:${config.ports.functions}`,
  );

  return {
    name: 'functions',
    handler,
    async close() {
      for (const watcher of watchers) watcher?.close();
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Why the request may not call the function, as the CLI's main service words it, or null.
 * Only the signature (and expiry) is checked, never the role: the anon key passes. The
 * `sb-api-key` header stands in for a missing or opaque (`sb_…`) bearer, as there.
 */
async function jwtFailure(req: IncomingMessage, keys: JwtKeys): Promise<string | null> {
  const authorization = req.headers.authorization;
  const apiKeyHeader = req.headers['sb-api-key'];
  const fallback = (Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader)?.replace('Bearer', '').trim() ?? '';
  if (!authorization && !fallback) return 'Error: Missing authorization header';
  const parts = (authorization ?? '').split(' ');
  const bearer = parts.length === 2 && parts[0] === 'Bearer' ? parts[1] : null;
  const token = !bearer || bearer.startsWith('sb_') ? fallback : bearer;
  if (!token) return "Error: Auth header is not 'Bearer {token}'";
  try {
    // `verifyHybridJWT`: HS256 with the legacy secret, ES256 / RS256 against the project's JWKS.
    if (!['HS256', 'ES256', 'RS256'].includes(decodeProtectedHeader(token).alg ?? '')) return 'Invalid JWT';
    await keys.verify(token);
    return null;
  } catch {
    return 'Invalid JWT';
  }
}

/**
 * Reload on change, as `supabase functions serve` does: a change under `<name>/` restarts that
 * function; a change to `_shared/` or `.env` (or anything outside a function) restarts all.
 * Deno rewriting a function's `deno.lock` is not a change.
 */
function watchFunctions(
  dir: string,
  pool: WorkerPool,
  log: StackContext['log'],
  onChange: () => void,
): FSWatcher | null {
  if (!existsSync(dir)) return null;
  const pending = new Map<string, NodeJS.Timeout>();
  const schedule = (key: string, action: () => void) => {
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        action();
      }, 150),
    );
  };
  try {
    const watcher = watch(dir, { recursive: true }, (_event, filename) => {
      const file = filename?.toString() ?? '';
      if (!file || /(^|\/)(deno\.lock|node_modules)(\/|$)/.test(file) || /(~|\.swp)$/.test(file)) return;
      onChange();
      const [first, ...rest] = file.split('/');
      const inFunction = rest.length > 0 && !first.startsWith('_') && !first.startsWith('.');
      if (inFunction) schedule(first, () => pool.invalidate(first));
      else schedule('*', () => pool.invalidateAll());
    });
    watcher.on('error', (error) => log.warn(`watching ${dir} failed: ${error.message}`));
    return watcher;
  } catch (error) {
    log.warn(`not watching ${dir} for changes: ${(error as Error).message}`);
    return null;
  }
}
