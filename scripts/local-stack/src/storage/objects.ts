/**
 * `/object` routes: upload, update, download, head, info, list, remove, move, copy. Reads and
 * writes of `storage.objects` run as the caller so the project's policies decide; lookups
 * supabase/storage does "as super user" (bucket limits, public buckets) run as the service role.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from '../lib/db.ts';
import { header, sendJson } from '../lib/http.ts';
import { StorageError, storageErrors } from './errors.ts';
import {
  asRequestCaller,
  asService,
  mustBeValidBucketName,
  mustBeValidKey,
  optionalInteger,
  optionalString,
  ownerOf,
  readJson,
  requireString,
  type StorageRequest,
} from './shared.ts';
import { drain, parseBase64Metadata, receiveUpload } from './upload.ts';

export interface ObjectMetadata {
  eTag?: string;
  size?: number;
  mimetype?: string;
  cacheControl?: string;
  lastModified?: string;
  contentLength?: number;
  httpStatusCode?: number;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

interface BucketLimits {
  id: string;
  public: boolean;
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
}

export async function findBucketAsService(r: StorageRequest, operation: string): Promise<BucketLimits | undefined> {
  return asService(r, operation, async (db) => {
    const result = await db.query<BucketLimits>(
      'select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1 limit 1',
      [r.bucket],
    );
    return result.rows[0];
  });
}

async function findObject(db: PoolClient, bucket: string, name: string): Promise<ObjectRow> {
  const result = await db.query<ObjectRow>('select * from storage.objects where bucket_id = $1 and name = $2 limit 1', [
    bucket,
    name,
  ]);
  if (!result.rows[0]) throw storageErrors.noSuchKey();
  return result.rows[0];
}

/** The version a write is about to replace, locked so concurrent writers queue up behind us. */
async function lockedVersion(db: PoolClient, bucket: string, name: string): Promise<string | null> {
  const result = await db.query<{ version: string | null }>(
    'select version from storage.objects where bucket_id = $1 and name = $2 for update',
    [bucket, name],
  );
  return result.rows[0]?.version ?? null;
}

interface RowWrite {
  bucket: string;
  name: string;
  owner: { owner: string | null; owner_id: string | null };
  metadata: ObjectMetadata;
  userMetadata: Record<string, unknown> | null;
  version: string;
  upsert: boolean;
}

/** Inserts (or, when upserting, replaces) the row; a plain insert onto an existing name is a 409. */
async function writeRow(db: PoolClient, write: RowWrite): Promise<{ row: ObjectRow; previousVersion: string | null }> {
  const previousVersion = write.upsert ? await lockedVersion(db, write.bucket, write.name) : null;
  const values = [
    write.bucket,
    write.name,
    write.owner.owner,
    write.owner.owner_id,
    JSON.stringify(write.metadata),
    write.userMetadata === null ? null : JSON.stringify(write.userMetadata),
    write.version,
  ];
  const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
    values ($1, $2, $3, $4, $5, $6, $7)`;
  try {
    const result = write.upsert
      ? await db.query<ObjectRow>(
          `${insert} on conflict (bucket_id, name) do update set metadata = excluded.metadata,
             user_metadata = excluded.user_metadata, version = excluded.version,
             owner = coalesce(excluded.owner, storage.objects.owner), owner_id = excluded.owner_id
           returning *`,
          values,
        )
      : await db.query<ObjectRow>(`${insert} returning *`, values);
    return { row: result.rows[0], previousVersion };
  } catch (error) {
    if (!write.upsert && (error as { code?: string }).code === '23505') throw storageErrors.keyAlreadyExists();
    throw error;
  }
}

export interface UploadOptions {
  upsert: boolean;
  operation: string;
  /** Signed upload URLs write as the service role, for the owner named in the token. */
  asOwner?: string;
}

/**
 * Receives the body into a temp file, then in one transaction as the caller writes the row and
 * moves the file into place as the row's new version; the replaced version is deleted after
 * the commit. Any failure removes what was written, so no half-written object is left behind.
 */
export async function storeUpload(r: StorageRequest, options: UploadOptions): Promise<ObjectRow> {
  mustBeValidBucketName(r.bucket);
  const bucket = await findBucketAsService(r, options.operation);
  if (!bucket) {
    await drain(r.req);
    throw storageErrors.noSuchBucket();
  }
  const globalLimit = r.ctx.settings.storage.fileSizeLimit;
  const bucketLimit = bucket.file_size_limit === null ? null : Number(bucket.file_size_limit);
  const tempFile = r.files.tempPath();
  const file = await receiveUpload(r.req, tempFile, {
    maxSize: bucketLimit === null ? globalLimit : Math.min(bucketLimit, globalLimit),
    allowedMimeTypes: bucket.allowed_mime_types,
    objectName: r.name,
  });
  const version = randomUUID();
  let placed = false;
  try {
    mustBeValidKey(r.name);
    const write: RowWrite = {
      bucket: r.bucket,
      name: r.name,
      owner:
        options.asOwner !== undefined
          ? ownerOf({ claims: { sub: options.asOwner }, token: '', authenticated: true })
          : ownerOf(r.caller),
      metadata: {
        eTag: file.eTag,
        size: file.size,
        mimetype: file.mimetype,
        cacheControl: file.cacheControl,
        lastModified: new Date().toISOString(),
        contentLength: file.size,
        httpStatusCode: 200,
      },
      userMetadata: file.userMetadata ?? {},
      version,
      upsert: options.upsert,
    };
    const run = options.asOwner !== undefined ? asService : asRequestCaller;
    const { row, previousVersion } = await run(r, options.operation, async (db) => {
      const written = await writeRow(db, write);
      await r.files.place(tempFile, r.bucket, r.name, version);
      placed = true;
      return written;
    });
    if (previousVersion && previousVersion !== version)
      await r.files.remove(r.bucket, r.name, previousVersion).catch(() => undefined);
    return row;
  } catch (error) {
    if (placed) await r.files.remove(r.bucket, r.name, version).catch(() => undefined);
    else await rm(tempFile, { force: true });
    throw error;
  }
}

export async function uploadObject(r: StorageRequest): Promise<void> {
  const row = await storeUpload(r, {
    upsert: header(r.req, 'x-upsert') === 'true',
    operation: 'storage.object.upload',
  });
  sendJson(r.res, 200, { Id: row.id, Key: `${r.bucket}/${r.name}` });
}

export async function updateObject(r: StorageRequest): Promise<void> {
  const row = await storeUpload(r, { upsert: true, operation: 'storage.object.upload_update' });
  sendJson(r.res, 200, { Id: row.id, Key: `${r.bucket}/${r.name}` });
}

/**
 * Finds the object a read is about: a public bucket's objects are served to anyone; in a
 * private bucket the caller's select policies decide; without a valid JWT only public
 * buckets exist (upstream answers "Bucket not found").
 */
async function findReadable(r: StorageRequest, operation: string, publicRoute = false): Promise<ObjectRow> {
  mustBeValidBucketName(r.bucket);
  const bucket = await findBucketAsService(r, operation);
  if (!bucket || (!r.caller.authenticated && !bucket.public)) throw storageErrors.noSuchBucket();
  mustBeValidKey(r.name);
  const run = bucket.public || publicRoute ? asService : asRequestCaller;
  return run(r, operation, (db) => findObject(db, r.bucket, r.name));
}

export async function downloadObject(r: StorageRequest): Promise<void> {
  const row = await findReadable(r, 'storage.object.get_authenticated');
  await renderAsset(r, row, {});
}

export async function headObject(r: StorageRequest): Promise<void> {
  const row = await findReadable(r, 'object.head_authenticated_info');
  renderHead(r, row);
}

export async function objectInfo(r: StorageRequest, publicRoute = false): Promise<void> {
  const row = await findReadable(
    r,
    publicRoute ? 'storage.object.info_public' : 'object.get_authenticated_info',
    publicRoute,
  );
  const metadata = row.metadata ?? {};
  setCommonHeaders(r, metadata);
  sendJson(r.res, metadata.httpStatusCode ?? 200, {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: metadata.size ?? null,
    content_type: metadata.mimetype ?? null,
    cache_control: metadata.cacheControl ?? null,
    etag: metadata.eTag ?? null,
    metadata: row.user_metadata,
    last_modified: row.updated_at,
    created_at: row.created_at,
  });
}

/** Public objects: the bucket must be public; no JWT is needed. */
export async function publicObject(r: StorageRequest, headOnly: boolean): Promise<void> {
  mustBeValidBucketName(r.bucket);
  const bucket = await findBucketAsService(r, 'storage.object.get_public');
  if (!bucket?.public) throw storageErrors.noSuchBucket();
  const row = await asService(r, 'storage.object.get_public', (db) => findObject(db, r.bucket, r.name));
  if (headOnly) renderHead(r, row);
  else await renderAsset(r, row, {});
}

function setCommonHeaders(r: StorageRequest, metadata: ObjectMetadata): void {
  if (metadata.eTag) r.res.setHeader('ETag', metadata.eTag);
  const lastModified = metadata.lastModified ? new Date(metadata.lastModified) : null;
  if (lastModified && !Number.isNaN(lastModified.getTime()))
    r.res.setHeader('Last-Modified', lastModified.toUTCString());
  if (metadata.cacheControl) r.res.setHeader('Cache-Control', metadata.cacheControl);
}

function renderHead(r: StorageRequest, row: ObjectRow): void {
  const metadata = row.metadata ?? {};
  setCommonHeaders(r, metadata);
  if (metadata.mimetype) r.res.setHeader('Content-Type', metadata.mimetype);
  if (metadata.contentLength !== undefined) r.res.setHeader('Content-Length', metadata.contentLength);
  r.res.writeHead(metadata.httpStatusCode ?? 200);
  r.res.end();
}

/** Sends the bytes with the headers supabase/storage's asset renderer sets. */
export async function renderAsset(r: StorageRequest, row: ObjectRow, options: { expires?: string }): Promise<void> {
  const metadata = row.metadata ?? {};
  const ifNoneMatch = header(r.req, 'if-none-match');
  if (ifNoneMatch && metadata.eTag && ifNoneMatch === metadata.eTag) {
    setCommonHeaders(r, metadata);
    r.res.writeHead(304);
    r.res.end();
    return;
  }
  const file = row.version ? await r.files.open(row.bucket_id, row.name, row.version) : null;
  if (!file) {
    r.res.setHeader('Cache-Control', 'no-store');
    throw storageErrors.assetNotFound();
  }
  const mimetype = metadata.mimetype ?? 'application/octet-stream';
  r.res.setHeader('Accept-Ranges', 'none');
  r.res.setHeader('Content-Type', mimetype.includes('text/html') ? 'text/plain' : mimetype);
  r.res.setHeader('X-Robots-Tag', 'none');
  r.res.setHeader('Content-Length', file.size);
  setCommonHeaders(r, metadata);
  if (options.expires) {
    r.res.removeHeader('Cache-Control');
    r.res.setHeader('Expires', options.expires);
  }
  const download = r.url.searchParams.get('download');
  if (download !== null) {
    const encoded = encodeURIComponent(download);
    r.res.setHeader(
      'Content-Disposition',
      download === '' ? 'attachment;' : `attachment; filename=${encoded}; filename*=UTF-8''${encoded}`,
    );
  }
  r.res.writeHead(200);
  if (r.req.method === 'HEAD') {
    file.stream.destroy();
    r.res.end();
    return;
  }
  await pipeline(file.stream, r.res);
}

const LIST_SORT_COLUMNS = new Set(['name', 'updated_at', 'created_at', 'last_accessed_at']);

/** storage-js `list()`: one folder level through `storage.search`, as the caller. */
export async function listObjects(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  let prefix = requireString(body, 'prefix');
  const limit = optionalInteger(body, 'limit', 1);
  const offset = optionalInteger(body, 'offset', 0);
  const search = optionalString(body, 'search') ?? '';
  const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
  const column = typeof sortBy.column === 'string' ? sortBy.column : 'name';
  if (!LIST_SORT_COLUMNS.has(column))
    throw storageErrors.validation('body/sortBy/column must be equal to one of the allowed values');
  const order = sortBy.order === 'desc' ? 'desc' : 'asc';
  if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`;
  mustBeValidBucketName(r.bucket);
  const rows = await asRequestCaller(r, 'storage.object.list', async (db) => {
    const result = await db.query('select * from storage.search($1, $2, $3, $4, $5, $6, $7, $8)', [
      prefix,
      r.bucket,
      limit ?? 100,
      (prefix + search).split('/').length,
      offset ?? 0,
      search,
      column,
      order,
    ]);
    return result.rows;
  });
  sendJson(r.res, 200, rows);
}

interface ListedRow {
  id: string | null;
  name: string;
  bucket_id?: string;
  metadata?: unknown;
  updated_at?: Date;
  created_at?: Date;
  last_accessed_at?: Date;
}

/**
 * storage-js `listV2()`: cursor pages over names in byte order, optionally folded into
 * folders at `/`. The cursor is upstream's format (base64 of `l:<last name>`).
 */
export async function listObjectsV2(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  const prefix = optionalString(body, 'prefix') ?? '';
  const limit = Math.min(optionalInteger(body, 'limit', 1) ?? 1000, 1000);
  const withDelimiter = body.with_delimiter === true;
  const sortBy = (body.sortBy ?? {}) as { order?: unknown };
  const order = sortBy.order === 'desc' ? 'desc' : 'asc';
  const cursor = optionalString(body, 'cursor');
  const startAfter = cursor ? decodeCursor(cursor) : undefined;
  mustBeValidBucketName(r.bucket);
  const pageOperator = order === 'asc' ? '>' : '<';
  const rows = await asRequestCaller(r, 'storage.object.list_v2', async (db) => {
    const values: unknown[] = [r.bucket, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
    let sql = `select id, name, bucket_id, metadata, updated_at, created_at, last_accessed_at
      from storage.objects where bucket_id = $1 and name like $2`;
    if (startAfter !== undefined) {
      values.push(startAfter);
      sql += ` and name collate "C" ${pageOperator} $${values.length}`;
    }
    // Folding folders can swallow many rows into one entry, so read generously.
    values.push(withDelimiter ? 100_000 : limit + 1);
    sql += ` order by name collate "C" ${order} limit $${values.length}`;
    return (await db.query<ListedRow>(sql, values)).rows;
  });
  const entries: ListedRow[] = [];
  let lastFolder = '';
  for (const row of rows) {
    const rest = row.name.slice(prefix.length);
    const slash = withDelimiter ? rest.indexOf('/') : -1;
    if (slash >= 0) {
      const folder = row.name.slice(0, prefix.length + slash + 1);
      if (folder === lastFolder) continue;
      lastFolder = folder;
      entries.push({ id: null, name: folder, bucket_id: row.bucket_id });
    } else {
      entries.push(row);
    }
    if (entries.length > limit) break;
  }
  const hasNext = entries.length > limit;
  const page = entries.slice(0, limit);
  const last = page[page.length - 1];
  sendJson(r.res, 200, {
    hasNext,
    nextCursor: hasNext && last ? Buffer.from(`l:${cursorName(last, order)}`).toString('base64') : undefined,
    nextCursorKey: hasNext && last ? last.name : undefined,
    folders: page.filter((entry) => entry.id === null),
    objects: page.filter((entry) => entry.id !== null),
  });
}

/** Past a folder means past everything under it: in ascending byte order, after U+10FFFF. */
function cursorName(entry: ListedRow, order: 'asc' | 'desc'): string {
  return entry.id === null && order === 'asc' ? `${entry.name}\u{10FFFF}` : entry.name;
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  for (const line of text.split('\n')) {
    const match = line.match(/^l:(.*)$/s);
    if (match) return match[1];
  }
  throw new StorageError(400, 'InvalidParameter', 'Invalid Parameter continuation token');
}

/** `DELETE /object/{bucket}` `{prefixes}`: deletes what the caller's policies allow; returns those rows. */
export async function removeObjects(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes) || prefixes.some((prefix) => typeof prefix !== 'string')) {
    throw storageErrors.validation("body must have required property 'prefixes'");
  }
  if (prefixes.length === 0) throw storageErrors.validation('body/prefixes must NOT have fewer than 1 items');
  if (prefixes.length > 1000)
    throw storageErrors.invalidRequest('Bulk object requests are limited to 1000 objects per request.');
  mustBeValidBucketName(r.bucket);
  const deleted = await asRequestCaller(r, 'storage.object.delete_many', async (db) => {
    const result = await db.query<ObjectRow>(
      'delete from storage.objects where bucket_id = $1 and name = any($2) returning *',
      [r.bucket, prefixes],
    );
    return result.rows;
  });
  for (const row of deleted) await r.files.remove(r.bucket, row.name, row.version).catch(() => undefined);
  sendJson(r.res, 200, deleted);
}

export async function deleteObject(r: StorageRequest): Promise<void> {
  mustBeValidBucketName(r.bucket);
  mustBeValidKey(r.name);
  const existing = await asService(r, 'storage.object.delete', (db) => findObject(db, r.bucket, r.name));
  const deleted = await asRequestCaller(r, 'storage.object.delete', async (db) => {
    const result = await db.query<ObjectRow>(
      'delete from storage.objects where bucket_id = $1 and name = $2 returning *',
      [r.bucket, r.name],
    );
    return result.rows[0];
  });
  if (!deleted) throw storageErrors.accessDenied('Access denied');
  await r.files.remove(r.bucket, r.name, deleted.version ?? existing.version).catch(() => undefined);
  sendJson(r.res, 200, { message: 'Successfully deleted' });
}

interface TransferBody {
  bucketId: string;
  sourceKey: string;
  destinationKey: string;
  destinationBucket: string;
}

async function readTransfer(r: StorageRequest): Promise<{ transfer: TransferBody; body: Record<string, unknown> }> {
  const body = await readJson(r.req);
  const bucketId = requireString(body, 'bucketId');
  const sourceKey = requireString(body, 'sourceKey');
  const destinationKey = requireString(body, 'destinationKey');
  const destinationBucket = optionalString(body, 'destinationBucket') || bucketId;
  mustBeValidBucketName(bucketId);
  mustBeValidBucketName(destinationBucket);
  mustBeValidKey(destinationKey);
  return { transfer: { bucketId, sourceKey, destinationKey, destinationBucket }, body };
}

/** Move = rename the row (as the caller: its update policy sees old and new name) and relink the bytes. */
export async function moveObject(r: StorageRequest): Promise<void> {
  const { transfer } = await readTransfer(r);
  const version = randomUUID();
  let linked = false;
  try {
    const { row, previousVersion } = await asRequestCaller(r, 'storage.object.move', async (db) => {
      const source = await findObject(db, transfer.bucketId, transfer.sourceKey);
      const owner = ownerOf(r.caller);
      const result = await db.query<ObjectRow>(
        `update storage.objects set name = $3, bucket_id = $4, version = $5, owner = $6, owner_id = $7
         where bucket_id = $1 and name = $2 returning *`,
        [
          transfer.bucketId,
          transfer.sourceKey,
          transfer.destinationKey,
          transfer.destinationBucket,
          version,
          owner.owner,
          owner.owner_id,
        ],
      );
      if (!result.rows[0]) throw storageErrors.noSuchKey();
      if (source.version) {
        await r.files.duplicate(
          { bucket: transfer.bucketId, name: transfer.sourceKey, version: source.version },
          { bucket: transfer.destinationBucket, name: transfer.destinationKey, version },
        );
        linked = true;
      }
      return { row: result.rows[0], previousVersion: source.version };
    });
    await r.files.remove(transfer.bucketId, transfer.sourceKey, previousVersion).catch(() => undefined);
    sendJson(r.res, 200, { message: 'Successfully moved', Id: row.id, Key: transfer.destinationKey });
  } catch (error) {
    if (linked)
      await r.files.remove(transfer.destinationBucket, transfer.destinationKey, version).catch(() => undefined);
    throw error;
  }
}

/** Copy = a new row for the destination (as the caller; `x-upsert` replaces) pointing at a copy of the bytes. */
export async function copyObject(r: StorageRequest): Promise<void> {
  const { transfer, body } = await readTransfer(r);
  const upsert = header(r.req, 'x-upsert') === 'true';
  const copyMetadata = body.copyMetadata !== false;
  const overrides = (body.metadata ?? {}) as { cacheControl?: unknown; mimetype?: unknown };
  const version = randomUUID();
  let linked = false;
  try {
    const { row, previousVersion } = await asRequestCaller(r, 'storage.object.copy', async (db) => {
      const source = await findObject(db, transfer.bucketId, transfer.sourceKey);
      const metadata: ObjectMetadata = { ...(source.metadata ?? {}), lastModified: new Date().toISOString() };
      if (!copyMetadata) {
        if (typeof overrides.cacheControl === 'string') metadata.cacheControl = overrides.cacheControl;
        if (typeof overrides.mimetype === 'string') metadata.mimetype = overrides.mimetype;
      }
      const userMetadata = copyMetadata
        ? source.user_metadata
        : (parseBase64Metadata(header(r.req, 'x-metadata')) ?? null);
      const written = await writeRow(db, {
        bucket: transfer.destinationBucket,
        name: transfer.destinationKey,
        owner: ownerOf(r.caller),
        metadata,
        userMetadata,
        version,
        upsert,
      });
      if (!source.version) throw storageErrors.noSuchKey();
      await r.files.duplicate(
        { bucket: transfer.bucketId, name: transfer.sourceKey, version: source.version },
        { bucket: transfer.destinationBucket, name: transfer.destinationKey, version },
      );
      linked = true;
      return written;
    });
    if (previousVersion && previousVersion !== version) {
      await r.files.remove(transfer.destinationBucket, transfer.destinationKey, previousVersion).catch(() => undefined);
    }
    sendJson(r.res, 200, { Id: row.id, Key: `${transfer.destinationBucket}/${transfer.destinationKey}`, ...row });
  } catch (error) {
    if (linked)
      await r.files.remove(transfer.destinationBucket, transfer.destinationKey, version).catch(() => undefined);
    throw error;
  }
}
