/**
 * Cairn's stand-in for the Storage API (supabase/storage), enough for storage-js: buckets,
 * objects, signed and public URLs. The gateway strips `/storage/v1`, so routes here start at
 * `/bucket` and `/object`. Bytes live in `config.storageDir` (see files.ts); rows live in the
 * `storage` schema (bootstrap/03-storage.sql) and are read and written as the caller.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Service, StackContext } from '../context.ts';
import { requestUrl, sendJson } from '../lib/http.ts';
import { JwtError, type Claims, type JwtKeys } from '../lib/jwt.ts';
import { projectKeys } from '../settings.ts';
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from './buckets.ts';
import { storageErrors, toStorageError, type StorageError } from './errors.ts';
import { createFileStore, type FileStore } from './files.ts';
import {
  copyObject,
  deleteObject,
  downloadObject,
  headObject,
  listObjects,
  listObjectsV2,
  moveObject,
  objectInfo,
  publicObject,
  removeObjects,
  updateObject,
  uploadObject,
} from './objects.ts';
import type { Caller, StorageRequest } from './shared.ts';
import {
  createSignedUploadUrl,
  createSignedUrl,
  createSignedUrls,
  getSignedObject,
  uploadToSignedUrl,
} from './signed.ts';
import { drain } from './upload.ts';

/**
 * How a route treats the bearer JWT: `required` refuses a missing or bad one (AccessDenied);
 * `optional` serves the request as an unauthenticated anon instead (the plain object GET does
 * this upstream, so public objects load without a key); `none` ignores it (signed/public URLs).
 */
type AuthMode = 'required' | 'optional' | 'none';

interface Route {
  method: string;
  /** Path pattern: `:bucket` is one segment, `*` is the rest (the object name). */
  pattern: string;
  auth: AuthMode;
  handle: (r: StorageRequest) => Promise<void>;
}

const routes: Route[] = [
  { method: 'GET', pattern: '/bucket', auth: 'required', handle: listBuckets },
  { method: 'POST', pattern: '/bucket', auth: 'required', handle: createBucket },
  { method: 'POST', pattern: '/bucket/:bucket/empty', auth: 'required', handle: emptyBucket },
  { method: 'GET', pattern: '/bucket/:bucket', auth: 'required', handle: getBucket },
  { method: 'PUT', pattern: '/bucket/:bucket', auth: 'required', handle: updateBucket },
  { method: 'DELETE', pattern: '/bucket/:bucket', auth: 'required', handle: deleteBucket },

  { method: 'POST', pattern: '/object/list/:bucket', auth: 'required', handle: listObjects },
  { method: 'POST', pattern: '/object/list-v2/:bucket', auth: 'required', handle: listObjectsV2 },
  { method: 'POST', pattern: '/object/move', auth: 'required', handle: moveObject },
  { method: 'POST', pattern: '/object/copy', auth: 'required', handle: copyObject },
  { method: 'POST', pattern: '/object/sign/:bucket/*', auth: 'required', handle: createSignedUrl },
  { method: 'POST', pattern: '/object/sign/:bucket', auth: 'required', handle: createSignedUrls },
  { method: 'GET', pattern: '/object/sign/:bucket/*', auth: 'none', handle: getSignedObject },
  { method: 'POST', pattern: '/object/upload/sign/:bucket/*', auth: 'required', handle: createSignedUploadUrl },
  { method: 'PUT', pattern: '/object/upload/sign/:bucket/*', auth: 'none', handle: uploadToSignedUrl },
  { method: 'GET', pattern: '/object/public/:bucket/*', auth: 'none', handle: (r) => publicObject(r, false) },
  { method: 'HEAD', pattern: '/object/public/:bucket/*', auth: 'none', handle: (r) => publicObject(r, true) },
  { method: 'GET', pattern: '/object/info/public/:bucket/*', auth: 'none', handle: (r) => objectInfo(r, true) },
  { method: 'GET', pattern: '/object/info/authenticated/:bucket/*', auth: 'required', handle: (r) => objectInfo(r) },
  { method: 'GET', pattern: '/object/info/:bucket/*', auth: 'required', handle: (r) => objectInfo(r) },
  { method: 'GET', pattern: '/object/authenticated/:bucket/*', auth: 'required', handle: downloadObject },
  { method: 'HEAD', pattern: '/object/authenticated/:bucket/*', auth: 'required', handle: headObject },
  { method: 'POST', pattern: '/object/:bucket/*', auth: 'required', handle: uploadObject },
  { method: 'PUT', pattern: '/object/:bucket/*', auth: 'required', handle: updateObject },
  { method: 'GET', pattern: '/object/:bucket/*', auth: 'optional', handle: downloadObject },
  { method: 'HEAD', pattern: '/object/:bucket/*', auth: 'required', handle: headObject },
  { method: 'DELETE', pattern: '/object/:bucket/*', auth: 'required', handle: deleteObject },
  { method: 'DELETE', pattern: '/object/:bucket', auth: 'required', handle: removeObjects },
];

interface Match {
  route: Route;
  bucket: string;
  name: string;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw storageErrors.invalidKey(value);
  }
}

/** Matches literal segments, `:bucket` and a trailing `*` that takes the (non-empty) rest. */
function matchRoute(method: string, pathname: string): Match | null {
  const segments = pathname.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/').slice(1);
    const wildcard = parts[parts.length - 1] === '*';
    const fixed = wildcard ? parts.length - 1 : parts.length;
    if (wildcard ? segments.length <= fixed : segments.length !== fixed) continue;
    let bucket = '';
    let ok = true;
    for (let i = 0; i < fixed && ok; i++) {
      if (parts[i] === ':bucket') bucket = decodeSegment(segments[i]);
      else ok = parts[i] === segments[i];
    }
    if (!ok) continue;
    const rest = wildcard ? segments.slice(fixed).join('/') : '';
    if (wildcard && rest === '') continue;
    return { route, bucket, name: decodeSegment(rest) };
  }
  return null;
}

const ANON: Claims = { role: 'anon' };

/**
 * The caller from Authorization, refused in upstream's words when required. As supabase/storage's
 * jwt plugin, `Bearer ` is optional: the gateway passes a bare apikey on as it came.
 */
async function identify(req: IncomingMessage, mode: AuthMode, keys: JwtKeys): Promise<Caller> {
  if (mode === 'none') return { claims: ANON, token: '', authenticated: false };
  const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  if (!token && mode === 'optional') return { claims: ANON, token: '', authenticated: false };
  try {
    return { claims: await keys.verify(token), token, authenticated: true };
  } catch (error) {
    if (mode === 'optional') return { claims: ANON, token: '', authenticated: false };
    throw storageErrors.accessDenied(jwtFailureMessage(error));
  }
}

/** jose's messages, which supabase/storage passes through. */
function jwtFailureMessage(error: unknown): string {
  if (error instanceof JwtError && error.reason === 'expired') return '"exp" claim timestamp check failed';
  return error instanceof Error ? error.message : 'Invalid JWT';
}

async function handle(ctx: StackContext, files: FileStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req);
  const method = req.method ?? 'GET';
  if (url.pathname === '/status' || url.pathname === '/health') {
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  const match = matchRoute(method, url.pathname);
  if (!match) {
    await drain(req);
    sendJson(res, 404, {
      statusCode: '404',
      code: 'NotFound',
      error: 'Not Found',
      message: `Route ${method}:${url.pathname} not found`,
    });
    return;
  }
  const caller = await identify(req, match.route.auth, projectKeys(ctx.config, ctx.settings));
  await match.route.handle({ ctx, files, req, res, url, caller, bucket: match.bucket, name: match.name });
}

async function sendError(ctx: StackContext, req: IncomingMessage, res: ServerResponse, error: unknown): Promise<void> {
  const known = toStorageError(error);
  if (!known) ctx.log.error(`${req.method} ${req.url}`, error);
  const storageError: StorageError = known ?? storageErrors.internal();
  // Read what the client is still sending, so it sees this answer and not a reset.
  await drain(req);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, storageError.httpStatus, storageError.body());
}

export async function startStorage(ctx: StackContext): Promise<Service> {
  const tempDir = path.join(ctx.config.dataDir, 'storage-tmp');
  mkdirSync(ctx.config.storageDir, { recursive: true });
  mkdirSync(tempDir, { recursive: true });
  const files = createFileStore(ctx.config.storageDir, tempDir);
  const server = createServer((req, res) => {
    handle(ctx, files, req, res).catch((error: unknown) => sendError(ctx, req, res, error).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.config.ports.storage, '127.0.0.1', () => resolve());
  });
  ctx.log.info(`storage listening on 127.0.0.1:${ctx.config.ports.storage}`);
  return {
    name: 'storage',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
