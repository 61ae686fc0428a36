/**
 * The API gateway on the CLI's API port (54321): Kong's job in `supabase start`. Routes by
 * path prefix to PostgREST and Cairn's servers, answers CORS preflights, applies the
 * apikey → Authorization rules (keys.ts), and tunnels Realtime's websocket.
 */
import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import type { RequestHandler, Service, StackContext } from '../context.ts';
import { endToEnd, sendJson } from '../lib/http.ts';
import { projectKeys } from '../settings.ts';
import { checkApiKey, opaqueKeyToJwt, resolveAuthorization } from './keys.ts';
import { matchRoute, needsApiKey, upstreamUrl, type Route } from './routes.ts';

const ALLOWED_METHODS = 'GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT';

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function forwardHeaders(ctx: StackContext, route: Route, req: IncomingMessage): IncomingHttpHeaders {
  const incoming = req.headers;
  const headers: IncomingHttpHeaders = endToEnd(incoming);
  passClientAddress(headers, req);
  if (!route.open) {
    const apikey = typeof incoming.apikey === 'string' ? incoming.apikey : undefined;
    const authorization = resolveAuthorization(ctx.config, incoming.authorization, apikey);
    if (authorization) headers.authorization = authorization;
  }
  Object.assign(headers, route.extraHeaders);
  return headers;
}

/**
 * The client's address as the platform's proxies pass it on: Kong appends the peer to
 * X-Forwarded-For (whatever the client put there stays in front, untrusted) and sets X-Real-IP
 * to the peer; Cloudflare sets CF-Connecting-IP on hosted Supabase, so a client's own never
 * reaches an upstream.
 */
function passClientAddress(headers: IncomingHttpHeaders, req: IncomingMessage): void {
  const peer = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  const sent = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = sent ? `${Array.isArray(sent) ? sent.join(', ') : sent}, ${peer}` : peer;
  headers['x-real-ip'] = peer;
  delete headers['cf-connecting-ip'];
}

/** GET, HEAD and DELETE without a body can be sent again: nothing of them was consumed. */
function bodiless(req: IncomingMessage): boolean {
  return (
    ['GET', 'HEAD', 'DELETE'].includes(req.method ?? '') &&
    !req.headers['content-length'] &&
    !req.headers['transfer-encoding']
  );
}

const corsHeaders = { 'access-control-allow-origin': '*', vary: 'Origin' };

function preflight(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    ...corsHeaders,
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'content-length': 0,
  });
  res.end();
}

export async function startGateway(ctx: StackContext): Promise<Service> {
  const { config, log } = ctx;
  const keys = projectKeys(config, ctx.settings);
  // Keep-alive to every upstream: the gateway's whole overhead is one local hop.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = matchRoute(url.pathname);
    if (!route) return sendJson(res, 404, { message: 'no Route matched with those values' }, corsHeaders);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) return preflight(req, res);
    if (!needsApiKey(route, url.pathname)) return pass(req, res, route);
    const apikey = headerValue(req.headers.apikey) ?? url.searchParams.get('apikey');
    void checkApiKey(config, keys, apikey, req.headers.authorization).then((refusal) => {
      if (!refusal) return pass(req, res, route);
      // Nothing of the body will be read: drop it, so the keep-alive connection stays usable.
      req.resume();
      sendJson(res, refusal.status, refusal.body, corsHeaders);
    });
  });

  function pass(req: IncomingMessage, res: ServerResponse, route: Route): void {
    const local = ctx.handlers?.[route.port];
    if (local) return handOver(req, res, route, local);
    forward(req, res, route, 0);
  }

  /**
   * A part running in this process (the functions runtime) gets the request as it would over
   * the socket — prefix stripped, Authorization resolved, hop-by-hop headers dropped — and
   * answers the client directly: one local hop fewer for every function call.
   */
  function handOver(req: IncomingMessage, res: ServerResponse, route: Route, local: RequestHandler): void {
    req.headers = forwardHeaders(ctx, route, req);
    req.url = upstreamUrl(route, req.url ?? '/');
    // What the proxy adds to an upstream answer without its own CORS header; the handler's
    // headers, given to writeHead, take precedence over this default.
    res.setHeader('access-control-allow-origin', '*');
    local(req, res);
  }

  function forward(req: IncomingMessage, res: ServerResponse, route: Route, attempt: number): void {
    let relayed = false;
    const upstream = request(
      {
        host: '127.0.0.1',
        port: config.ports[route.port],
        method: req.method,
        path: upstreamUrl(route, req.url ?? '/'),
        headers: forwardHeaders(ctx, route, req),
        agent,
      },
      (answer) => {
        const headers = endToEnd(answer.headers);
        headers['access-control-allow-origin'] ??= '*';
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
        answer.once('end', () => (relayed = true));
        // An upstream that answered before reading the whole body (a 413, a 401) leaves the rest of
        // it on the client's connection; read and drop it, or the next request on that
        // keep-alive connection would wait behind it. The upstream connection holds a half-sent
        // body, so it is closed rather than reused.
        if (!req.complete) {
          req.unpipe(upstream);
          req.resume();
          answer.once('end', () => upstream.destroy());
        }
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // The upstream closing its side after the whole answer went out is no failure.
      if (relayed) return;
      // A kept-alive connection the upstream closed while it sat idle: Node's advice is to
      // retry once on a fresh one, which is safe for a request without a body.
      if (upstream.reusedSocket && error.code === 'ECONNRESET' && attempt === 0 && bodiless(req)) {
        return forward(req, res, route, attempt + 1);
      }
      log.warn(`${route.port} unreachable: ${error.message}`);
      if (!res.headersSent)
        sendJson(res, 502, { message: 'An invalid response was received from the upstream server' }, corsHeaders);
      else res.destroy();
    });
    if (attempt === 0) req.pipe(upstream);
    else upstream.end();
  }

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = matchRoute(url.pathname);
    if (!route?.websocket) {
      client.end(
        'HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{"message":"no Route matched with those values"}',
      );
      return;
    }
    const apikey = url.searchParams.get('apikey');
    void checkApiKey(config, keys, apikey ?? headerValue(req.headers.apikey), req.headers.authorization).then(
      (refusal) => {
        if (!refusal) return tunnel(req, client, head, route, url, apikey);
        const body = JSON.stringify(refusal.body);
        client.end(
          `HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\naccess-control-allow-origin: *\r\nconnection: close\r\n\r\n${body}`,
        );
      },
    );
  });

  function tunnel(req: IncomingMessage, client: Socket, head: Buffer, route: Route, url: URL, apikey: string | null) {
    const mapped = apikey ? opaqueKeyToJwt(config, apikey) : undefined;
    if (mapped) url.searchParams.set('apikey', mapped);
    const path = upstreamUrl(route, url.pathname + url.search);
    const upstream = connect(config.ports[route.port], '127.0.0.1', () => {
      const lines = [`${req.method} ${path} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
    upstream.on('close', close);
    client.on('close', close);
  }

  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.api, '127.0.0.1', resolve);
  });
  log.info(`API gateway on ${config.apiUrl}`);
  return {
    name: 'gateway',
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
