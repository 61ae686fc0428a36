/** What every Storage API handler works with: the caller, their database scope, the files. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StackContext } from '../context.ts';
import { asCaller, type PoolClient } from '../lib/db.ts';
import { BodyTooLargeError, readBody } from '../lib/http.ts';
import type { Claims } from '../lib/jwt.ts';
import { storageErrors, toStorageError } from './errors.ts';
import type { FileStore } from './files.ts';

export interface Caller {
  claims: Claims;
  /** The raw bearer token ('' when the request had none). */
  token: string;
  /** False when no valid JWT came with a route that tolerates that (served as anon). */
  authenticated: boolean;
}

export interface StorageRequest {
  ctx: StackContext;
  files: FileStore;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  caller: Caller;
  /** Route parameters: bucket id and object name (already percent-decoded). */
  bucket: string;
  name: string;
}

/** Only these callers write bucket rows on behalf of nobody: a service key has no `sub`. */
export function ownerOf(caller: Caller): { owner: string | null; owner_id: string | null } {
  const sub = typeof caller.claims.sub === 'string' && caller.claims.sub !== '' ? caller.claims.sub : null;
  return { owner: sub && isUuid(sub) ? sub : null, owner_id: sub };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value);
}

const SERVICE_CLAIMS: Claims = { role: 'service_role' };

/**
 * Runs `work` in one transaction as the caller, with the GUCs supabase/storage sets, so
 * `storage.objects` / `storage.buckets` policies apply (service_role bypasses them).
 * Postgres errors come out as Storage errors (42501 → AccessDenied, 23505 → Duplicate …).
 */
export async function asRequestCaller<T>(
  r: Pick<StorageRequest, 'ctx' | 'req' | 'url' | 'caller'>,
  operation: string,
  work: (db: PoolClient) => Promise<T>,
): Promise<T> {
  try {
    return await asCaller(
      r.ctx.db,
      {
        claims: r.caller.claims,
        settings: {
          'request.jwt': r.caller.token,
          'request.headers': JSON.stringify(r.req.headers),
          'request.method': r.req.method ?? '',
          'request.path': r.url.pathname,
          'storage.operation': operation,
          // Lets the API's own deletes through storage.protect_delete().
          'storage.allow_delete_query': 'true',
        },
      },
      work,
    );
  } catch (error) {
    throw toStorageError(error) ?? error;
  }
}

/** The same as the service role: for lookups supabase/storage does "as super user" (bucket limits, public objects). */
export function asService<T>(
  r: Pick<StorageRequest, 'ctx' | 'req' | 'url'>,
  operation: string,
  work: (db: PoolClient) => Promise<T>,
): Promise<T> {
  return asRequestCaller({ ...r, caller: { claims: SERVICE_CLAIMS, token: '', authenticated: true } }, operation, work);
}

/** A JSON request body (an empty body is `{}`), refused with upstream's wording when malformed. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await readBody(req, 5 * 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw storageErrors.entityTooLarge();
    throw error;
  }
  if (raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw storageErrors.validation("Body is not valid JSON but content-type is set to 'application/json'");
}

export function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw storageErrors.validation(`body must have required property '${key}'`);
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw storageErrors.validation(`body/${key} must be string`);
  return value;
}

export function optionalInteger(body: Record<string, unknown>, key: string, minimum: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw storageErrors.validation(`body/${key} must be integer`);
  if (number < minimum) throw storageErrors.validation(`body/${key} must be >= ${minimum}`);
  return number;
}

const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

export function mustBeValidKey(key: string): void {
  if (!key || !VALID_OBJECT_KEY.test(key)) throw storageErrors.invalidKey(key);
}

export function mustBeValidBucketName(name: string): void {
  if (!name || name.length > 100 || !VALID_BUCKET_NAME.test(name)) throw storageErrors.invalidBucketName();
}
