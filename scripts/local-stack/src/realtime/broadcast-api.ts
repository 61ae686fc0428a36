/**
 * Realtime's REST broadcast endpoints (what `channel.send` falls back to and `httpSend` uses):
 * `POST /api/broadcast` with a batch of messages, and `POST /api/broadcast/:topic/events/:event`
 * with the payload as the body (JSON or raw bytes). Both answer 202 with no body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, header, readBody, sendJson } from '../lib/http.ts';
import { bearerToken, type Claims, type JwtKeys } from '../lib/jwt.ts';
import { projectKeys } from '../settings.ts';
import { canWrite } from './authorization.ts';
import type { RealtimeServices } from './channel.ts';
import { topicKey } from './hub.ts';
import { verifyRealtimeToken } from './tokens.ts';

const BODY_LIMIT = 3 * 1024 * 1024;

interface BatchMessage {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
  private: boolean;
  id?: string;
}

/** Bearer token first, then the apikey header (RealtimeWeb.AuthTenant). */
async function authenticate(req: IncomingMessage, keys: JwtKeys): Promise<Claims | null> {
  const token = bearerToken(req.headers.authorization) ?? header(req, 'apikey');
  try {
    return await verifyRealtimeToken(token, keys);
  } catch {
    return null;
  }
}

function parseBatch(body: unknown): BatchMessage[] | string {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return "messages: can't be blank";
  const parsed: BatchMessage[] = [];
  for (const message of messages as Array<Record<string, unknown>>) {
    const { topic, event, payload } = message ?? {};
    if (typeof topic !== 'string' || topic === '') return "topic: can't be blank";
    if (typeof event !== 'string' || event === '') return "event: can't be blank";
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'payload: is invalid';
    parsed.push({
      topic,
      event,
      payload: payload as Record<string, unknown>,
      private: message.private === true || message.private === 'true',
      id: typeof message.id === 'string' ? message.id : undefined,
    });
  }
  return parsed;
}

/** Private topics only receive what the caller's RLS policies let them write. */
async function authorisedTopics(
  services: RealtimeServices,
  claims: Claims,
  messages: BatchMessage[],
): Promise<Set<string>> {
  const allowed = new Set<string>();
  for (const topic of new Set(messages.filter((m) => m.private).map((m) => m.topic))) {
    if (await canWrite(services.ctx.db, topic, claims, 'broadcast').catch(() => false)) allowed.add(topic);
  }
  return allowed;
}

export async function handleBroadcastApi(
  services: RealtimeServices,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 404, { message: 'Not Found' });
  const claims = await authenticate(req, projectKeys(services.ctx.config, services.ctx.settings));
  if (!claims) return sendJson(res, 401, { message: 'Unauthorized' });
  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendJson(res, 413, { message: 'Payload Too Large' });
    throw error;
  }

  const single = path.match(/^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/);
  if (single) {
    const topic = decodeURIComponent(single[1]);
    const event = decodeURIComponent(single[2]);
    const isPrivate = new URL(req.url ?? '/', 'http://realtime').searchParams.get('private') === 'true';
    if (isPrivate && !(await canWrite(services.ctx.db, topic, claims, 'broadcast').catch(() => false))) {
      return sendJson(res, 401, { message: 'Unauthorized' });
    }
    const key = topicKey(`realtime:${topic}`, isPrivate);
    if ((header(req, 'content-type') ?? '').startsWith('application/octet-stream')) {
      services.hub.userBroadcast(key, { event, encoding: 'binary', payload: body });
    } else {
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return sendJson(res, 422, { errors: { payload: ['is invalid'] } });
      }
      services.hub.broadcast(key, { type: 'broadcast', event, payload });
    }
    res.writeHead(202, { 'content-length': 0 }).end();
    return;
  }

  if (path !== '/api/broadcast') return sendJson(res, 404, { message: 'Not Found' });
  let parsed: BatchMessage[] | string;
  try {
    parsed = parseBatch(JSON.parse(body.toString('utf8')));
  } catch {
    parsed = 'body is not JSON';
  }
  if (typeof parsed === 'string') return sendJson(res, 422, { errors: { messages: [parsed] } });
  const allowed = await authorisedTopics(services, claims, parsed);
  for (const message of parsed) {
    if (message.private && !allowed.has(message.topic)) continue;
    const payload: Record<string, unknown> = { type: 'broadcast', event: message.event, payload: message.payload };
    if (message.id) payload.meta = { id: message.id };
    services.hub.broadcast(topicKey(`realtime:${message.topic}`, message.private), payload);
  }
  res.writeHead(202, { 'content-length': 0 }).end();
}
