/**
 * GoTrue's error responses (`internal/api/errors.go`): one error, two body shapes. Clients
 * that send `X-Supabase-Api-Version: 2024-01-01` (auth-js does) get `{code, message}` and the
 * header echoed back; everyone else gets the legacy `{code: <status>, error_code, msg}`.
 * auth-js reads the string code from whichever shape the echoed header announces.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, sendJson } from '../lib/http.ts';

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024 = '2024-01-01';

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly weakPasswordReasons?: string[],
  ) {
    super(message);
  }
}

/** OAuth-style errors (`{error, error_description}`), used by a few token paths. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const internal = (message: string) => new AuthError(500, 'unexpected_failure', message);

/** GoTrue's `WeakPasswordError`: every failed rule's sentence, joined, and its reason code. */
export function weakPassword(messages: string[], reasons: string[]): AuthError {
  return new AuthError(422, 'weak_password', messages.join(' '), reasons);
}

/**
 * Mirrors `DetermineClosestAPIVersion`: a valid date at or after 2024-01-01 selects the new
 * shape; a missing, malformed or older value selects the initial (legacy) one.
 */
function wantsNewShape(req: IncomingMessage): boolean {
  const value = header(req, API_VERSION_HEADER)?.trim();
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return false;
  return value >= API_VERSION_2024;
}

export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError | OAuthError): void {
  const newShape = wantsNewShape(req);
  const headers: Record<string, string> = newShape ? { [API_VERSION_HEADER]: API_VERSION_2024 } : {};
  if (error instanceof OAuthError) {
    sendJson(res, error.status, { error: error.error, error_description: error.description }, headers);
    return;
  }
  if (error.code) headers['x-sb-error-code'] = error.code;
  const weak = error.weakPasswordReasons ? { weak_password: { reasons: error.weakPasswordReasons } } : {};
  if (newShape) {
    sendJson(res, error.status, { code: error.code, message: error.message, ...weak }, headers);
    return;
  }
  const errorId = error.status >= 500 ? { error_id: randomUUID() } : {};
  sendJson(
    res,
    error.status,
    { code: error.status, error_code: error.code, msg: error.message, ...errorId, ...weak },
    headers,
  );
}
