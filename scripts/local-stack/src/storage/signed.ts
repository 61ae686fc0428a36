/**
 * Signed URLs. Tokens are HS256 JWTs signed with the project's JWT secret (the Storage API's
 * default URL-signing key) with claims `{url: "<bucket>/<name>", scope, iat, exp}` (upload
 * tokens add `owner` and `upsert`), so a download token cannot be replayed to upload.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { header, sendJson } from '../lib/http.ts';
import type { PoolClient } from '../lib/db.ts';
import { storageErrors } from './errors.ts';
import { renderAsset, storeUpload, type ObjectRow } from './objects.ts';
import {
  asRequestCaller,
  asService,
  mustBeValidBucketName,
  mustBeValidKey,
  ownerOf,
  readJson,
  type StorageRequest,
} from './shared.ts';

/** Signed upload URLs last two hours, as hosted documents them. */
const UPLOAD_URL_EXPIRY_SECONDS = 2 * 60 * 60;

interface SignedClaims {
  url?: unknown;
  scope?: unknown;
  exp?: number;
  owner?: unknown;
  upsert?: unknown;
}

const encoder = new TextEncoder();

async function sign(secret: string, claims: Record<string, unknown>, expiresIn: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(encoder.encode(secret));
}

/** Checks signature, expiry, scope and that the token names this very object. */
async function verifySigned(r: StorageRequest, scope: 'download' | 'upload'): Promise<SignedClaims> {
  const token = r.url.searchParams.get('token');
  if (!token) throw storageErrors.validation("querystring must have required property 'token'");
  let payload: SignedClaims;
  try {
    payload = (await jwtVerify(token, encoder.encode(r.ctx.config.jwtSecret), { algorithms: ['HS256'] }))
      .payload as SignedClaims;
  } catch (error) {
    // jose's own words, as upstream passes them through ('"exp" claim timestamp check failed' …).
    throw storageErrors.invalidJwt(error instanceof joseErrors.JOSEError ? error.message : 'Invalid JWT');
  }
  const scoped =
    scope === 'upload'
      ? payload.scope === 'upload' || (payload.scope === undefined && 'upsert' in payload)
      : payload.scope === 'download' || (payload.scope === undefined && !('upsert' in payload));
  if (!scoped) throw storageErrors.invalidSignature(`Token is not scoped for ${scope}`);
  if (payload.url !== `${r.bucket}/${r.name}`) throw storageErrors.invalidSignature();
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) throw storageErrors.expiredSignature();
  return payload;
}

function readExpiresIn(body: Record<string, unknown>): number {
  const value = body.expiresIn;
  if (value === undefined || value === null)
    throw storageErrors.validation("body must have required property 'expiresIn'");
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw storageErrors.validation('body/expiresIn must be integer');
  if (number < 1) throw storageErrors.validation('body/expiresIn must be >= 1');
  return number;
}

async function findVisible(db: PoolClient, bucket: string, name: string): Promise<void> {
  const result = await db.query('select 1 from storage.objects where bucket_id = $1 and name = $2', [bucket, name]);
  if (!result.rowCount) throw storageErrors.noSuchKey();
}

/** `POST /object/sign/{bucket}/{name}`: the caller must be able to read the object. */
export async function createSignedUrl(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  const expiresIn = readExpiresIn(body);
  mustBeValidBucketName(r.bucket);
  mustBeValidKey(r.name);
  await asRequestCaller(r, 'storage.object.sign', (db) => findVisible(db, r.bucket, r.name));
  const url = `${r.bucket}/${r.name}`;
  const token = await sign(r.ctx.config.jwtSecret, { url, scope: 'download' }, expiresIn);
  sendJson(r.res, 200, { signedURL: `/object/sign/${url}?token=${token}` });
}

/** `POST /object/sign/{bucket}` `{expiresIn, paths}`: one entry per path, an error text where not readable. */
export async function createSignedUrls(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  const expiresIn = readExpiresIn(body);
  const paths = body.paths;
  if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string')) {
    throw storageErrors.validation("body must have required property 'paths'");
  }
  mustBeValidBucketName(r.bucket);
  const visible = await asRequestCaller(r, 'storage.object.sign_many', async (db) => {
    const result = await db.query<{ name: string }>(
      'select name from storage.objects where bucket_id = $1 and name = any($2)',
      [r.bucket, paths],
    );
    return new Set(result.rows.map((row) => row.name));
  });
  const entries = await Promise.all(
    (paths as string[]).map(async (path) => {
      if (!visible.has(path)) {
        return { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null };
      }
      const url = `${r.bucket}/${path}`;
      const token = await sign(r.ctx.config.jwtSecret, { url, scope: 'download' }, expiresIn);
      return { error: null, path, signedURL: `/object/sign/${url}?token=${token}` };
    }),
  );
  sendJson(r.res, 200, entries);
}

/** `GET /object/sign/{bucket}/{name}?token=`: no JWT needed, the token is the permission. */
export async function getSignedObject(r: StorageRequest): Promise<void> {
  const payload = await verifySigned(r, 'download');
  const row = await asService(r, 'storage.object.get_signed', async (db) => {
    const result = await db.query<ObjectRow>('select * from storage.objects where bucket_id = $1 and name = $2', [
      r.bucket,
      r.name,
    ]);
    if (!result.rows[0]) throw storageErrors.noSuchKey();
    return result.rows[0];
  });
  const expires = typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toUTCString() : undefined;
  await renderAsset(r, row, { expires });
}

/**
 * `POST /object/upload/sign/{bucket}/{name}`: checks now, as the caller, that they could create
 * (or with `x-upsert`, replace) the object — the trial insert is rolled back — then hands
 * out a token that lets anyone holding it upload that one object.
 */
export async function createSignedUploadUrl(r: StorageRequest): Promise<void> {
  mustBeValidBucketName(r.bucket);
  mustBeValidKey(r.name);
  await readJson(r.req);
  const upsert = header(r.req, 'x-upsert') === 'true';
  const owner = ownerOf(r.caller);
  const rollback = new Error('trial insert');
  try {
    await asRequestCaller(r, 'storage.object.sign_upload_url', async (db) => {
      try {
        await db.query(
          `insert into storage.objects (bucket_id, name, owner, owner_id, version) values ($1, $2, $3, $4, '1')
           ${upsert ? 'on conflict (bucket_id, name) do update set version = excluded.version, owner_id = excluded.owner_id' : ''}`,
          [r.bucket, r.name, owner.owner, owner.owner_id],
        );
      } catch (error) {
        if (!upsert && (error as { code?: string }).code === '23505') throw storageErrors.keyAlreadyExists();
        throw error;
      }
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  const url = `${r.bucket}/${r.name}`;
  const token = await sign(
    r.ctx.config.jwtSecret,
    { owner: owner.owner_id ?? undefined, url, upsert, scope: 'upload' },
    UPLOAD_URL_EXPIRY_SECONDS,
  );
  sendJson(r.res, 200, { url: `/object/upload/sign/${url}?token=${token}`, token });
}

/** `PUT /object/upload/sign/{bucket}/{name}?token=`: the upload runs as the service role for the token's owner. */
export async function uploadToSignedUrl(r: StorageRequest): Promise<void> {
  const payload = await verifySigned(r, 'upload');
  await storeUpload(r, {
    upsert: payload.upsert === true,
    operation: 'storage.object.upload_signed',
    asOwner: typeof payload.owner === 'string' ? payload.owner : '',
  });
  sendJson(r.res, 200, { Key: `${r.bucket}/${r.name}` });
}
