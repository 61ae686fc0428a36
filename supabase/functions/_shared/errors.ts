/**
 * Request reading and error answers shared by every function, on top of `http.ts`'s one error
 * shape `{ error: { code, message } }`. Codes are stable (clients and tests match on them);
 * messages are for people and name the offending field.
 */
import type { z } from 'zod';
import { errorResponse } from './http.ts';

/** Every error code a Cairn function answers with, and its HTTP status. */
export const errorStatus = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_headers: 400,
  missing_signature: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  invalid_token: 401,
  expired_token: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The error answer for `code`, with its fixed status. */
export function fail(code: ErrorCode, message: string): Response {
  return errorResponse(errorStatus[code], code, message);
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Default body limit: Shopify payloads are well under 1 MB; anything bigger is refused unread. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The raw body bytes, refusing more than `limit` bytes with 413 — from Content-Length when the
 * client sent one, and while streaming otherwise, so an oversize body is never buffered whole.
 * Signature checks need these exact bytes (never re-serialized JSON).
 */
export async function readRawBody(req: Request, limit = DEFAULT_BODY_LIMIT): Promise<Outcome<Uint8Array<ArrayBuffer>>> {
  const tooLarge = () => ({
    ok: false as const,
    response: fail('payload_too_large', `The body exceeds ${limit} bytes`),
  });
  const declared = Number(req.headers.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await req.body?.cancel();
    return tooLarge();
  }
  if (!req.body) return { ok: true, value: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, value: bytes };
}

/** JSON parsed from raw bytes (UTF-8), or a 400 `invalid_json` answer. */
export function parseJsonBytes(bytes: Uint8Array): Outcome<unknown> {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false, response: fail('invalid_json', 'The body must be valid UTF-8 JSON') };
  }
}

/** `path.to.field: message` for the first zod issue ("body" when the whole value is wrong). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'body: invalid';
  const where = issue.path.length ? issue.path.map(String).join('.') : 'body';
  return `${where}: ${issue.message}`;
}

/** `value` checked against `schema`, or a 400 `invalid_request` answer naming the field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): Outcome<z.output<S>> {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, response: fail('invalid_request', describeIssue(parsed.error)) };
}

/** Body read (size-limited), parsed as JSON and validated: the usual start of a JSON endpoint. */
export async function readJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  limit = DEFAULT_BODY_LIMIT,
): Promise<Outcome<z.output<S>>> {
  const raw = await readRawBody(req, limit);
  if (!raw.ok) return raw;
  const json = parseJsonBytes(raw.value);
  if (!json.ok) return json;
  return validate(schema, json.value);
}
