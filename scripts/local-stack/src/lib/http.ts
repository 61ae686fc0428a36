/** Small helpers shared by the stack's HTTP servers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads a request body of at most `limit` bytes. Past the limit it rejects at once but keeps
 * reading and dropping the rest: a body left unread would sit on the keep-alive connection and
 * stall whatever request comes next on it.
 */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      refused = true;
      chunks.length = 0;
      reject(new BodyTooLargeError(limit));
    });
    req.once('end', () => refused || resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a request URL relative to a dummy origin, so only path and query matter. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://stack.local');
}

/** Per-connection headers: each hop (client ↔ here ↔ Deno) negotiates its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

export function endToEnd<T extends Record<string, string | string[] | undefined>>(headers: T): T {
  const kept = {} as Record<string, string | string[] | undefined>;
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) kept[name] = value;
  return kept as T;
}
