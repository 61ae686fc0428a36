/**
 * What a handler sees of one request: the parsed URL, the JSON body (parsed the way GoTrue's
 * `retrieveRequestParams` does: every endpoint that takes parameters requires valid JSON),
 * and the caller once a route asked for authentication.
 */
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../context.ts';
import { BodyTooLargeError, header, readBody } from '../lib/http.ts';
import { bearerToken, JwtError, type Claims } from '../lib/jwt.ts';
import { projectKeys } from '../settings.ts';
import { AuthError, badRequest, forbidden, unauthorized } from './errors.ts';
import { findUserById, type UserRow } from './users.ts';

export type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Caller {
  claims: Claims;
  user: UserRow;
  sessionId: string | null;
}

export interface AuthRequest {
  ctx: StackContext;
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  /** The body as a JSON object; throws GoTrue's `bad_json` error when it is not one. */
  json(): Promise<Json>;
}

const BODY_LIMIT = 1 << 20;

export function createRequest(
  ctx: StackContext,
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
): AuthRequest {
  let parsed: Promise<Json> | undefined;
  return { ctx, req, url, params, json: () => (parsed ??= parseJson(req)) };
}

async function parseJson(req: IncomingMessage): Promise<Json> {
  let raw: Buffer;
  try {
    raw = await readBody(req, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new AuthError(413, 'request_entity_too_large', `Request body too large (max ${BODY_LIMIT} bytes)`);
    }
    throw error;
  }
  const text = raw.toString('utf8');
  // Go's encoding/json wording for the commonest failure; other parse errors keep V8's text.
  if (!text.trim()) throw badRequest('bad_json', 'Could not parse request body as JSON: unexpected end of JSON input');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'array' : typeof value;
    throw badRequest(
      'bad_json',
      `Could not parse request body as JSON: json: cannot unmarshal ${kind} into Go value of type api.Params`,
    );
  }
  return value as Json;
}

function typeError(field: string, value: unknown, expected: string): AuthError {
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return badRequest(
    'bad_json',
    `Could not parse request body as JSON: json: cannot unmarshal ${kind} into Go struct field .${field} of type ${expected}`,
  );
}

/** A string field; absent or null reads as "" (Go's zero value), other types are bad JSON. */
export function str(body: Json, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(field, value, 'string');
  return value;
}

export function optionalStr(body: Json, field: string): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : str(body, field);
}

export function bool(body: Json, field: string, fallback = false): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw typeError(field, value, 'bool');
  return value;
}

export function obj(body: Json, field: string): Json | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(field, value, 'map[string]interface {}');
  return value as Json;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** golang-jwt v5's wording for the failures jose reports, so error messages match GoTrue's. */
function jwtFailure(token: string, error: JwtError): string {
  if (error.reason === 'expired') return 'token has invalid claims: token is expired';
  if (token.split('.').length !== 3) return 'token is malformed: token contains an invalid number of segments';
  if (/signature/i.test(error.message)) return 'token signature is invalid: signature is invalid';
  if (/kid/.test(error.message)) return `token is unverifiable: error while executing keyfunc: ${error.message}`;
  if (/alg/i.test(error.message)) return `token is unverifiable: error while executing keyfunc: ${error.message}`;
  return `token is malformed: ${error.message}`;
}

/** `extractBearerToken` + `parseJWTClaims`. */
export async function verifiedClaims(ctx: StackContext, req: IncomingMessage): Promise<Claims> {
  const token = bearerToken(header(req, 'authorization'));
  if (!token) throw unauthorized('no_authorization', 'This endpoint requires a valid Bearer token');
  try {
    return await projectKeys(ctx.config, ctx.settings).verify(token);
  } catch (error) {
    if (error instanceof JwtError)
      throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${jwtFailure(token, error)}`);
    throw error;
  }
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** `maybeLoadUserOrSession`: the user named by `sub` and the session named by `session_id` must exist. */
export async function loadCaller(ctx: StackContext, claims: Claims): Promise<Caller> {
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(ctx.db, claims.sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  let sessionId: string | null = null;
  const claimed = typeof claims.session_id === 'string' ? claims.session_id : '';
  if (claimed && claimed !== NIL_UUID) {
    if (!isUuid(claimed)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    const { rowCount } = await ctx.db.query('select 1 from auth.sessions where id = $1', [claimed]);
    if (!rowCount) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    sessionId = claimed;
  }
  return { claims, user, sessionId };
}

/** `requireAuthentication`: a valid token for an existing, unbanned user. */
export async function requireUser(request: AuthRequest): Promise<Caller> {
  const caller = await loadCaller(request.ctx, await verifiedClaims(request.ctx, request.req));
  if (caller.user.banned_until && caller.user.banned_until > new Date())
    throw forbidden('user_banned', 'User is banned');
  return caller;
}

/** GOTRUE_JWT_ADMIN_ROLES as the CLI sets it. */
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);

/** `requireAdminCredentials`: an admin role; a token naming a session must name a live one. */
export async function requireAdmin(request: AuthRequest): Promise<Claims> {
  const claims = await verifiedClaims(request.ctx, request.req);
  if (typeof claims.session_id === 'string' && claims.session_id && claims.session_id !== NIL_UUID) {
    await loadCaller(request.ctx, claims);
  }
  if (!ADMIN_ROLES.has(String(claims.role ?? ''))) throw forbidden('not_admin', 'User not allowed');
  return claims;
}

/** The client address GoTrue records on sessions and MFA challenges. */
export function clientIp(req: IncomingMessage): string {
  const forwarded = header(req, 'x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress?.replace(/^::ffff:/, '') || '127.0.0.1';
}
