/**
 * `/bucket` routes. Every statement runs as the caller: `storage.buckets` has RLS on and no
 * policies, so only the service role manages buckets unless a migration adds policies.
 */
import { sendJson } from '../lib/http.ts';
import { StorageError, storageErrors } from './errors.ts';
import {
  asRequestCaller,
  asService,
  mustBeValidBucketName,
  optionalInteger,
  optionalString,
  ownerOf,
  readJson,
  type StorageRequest,
} from './shared.ts';

interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  public: boolean;
  type?: string;
  file_size_limit: string | number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** bigint arrives as text (lib/db.ts keeps it so); the Storage API sends a number. */
function presentBucket(row: BucketRow): BucketRow {
  return { ...row, file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit) };
}

const LIST_COLUMNS = 'id, name, public, owner, created_at, updated_at, file_size_limit, allowed_mime_types, type';
const GET_COLUMNS = 'id, name, owner, public, created_at, updated_at, file_size_limit, allowed_mime_types';
const SORT_COLUMNS = new Set(['id', 'name', 'created_at', 'updated_at']);

export async function listBuckets(r: StorageRequest): Promise<void> {
  const query = r.url.searchParams;
  const values: unknown[] = [];
  const where: string[] = [];
  const search = query.get('search');
  if (search) {
    values.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`name ilike $${values.length}`);
  }
  const sortColumn = query.get('sortColumn');
  if (sortColumn && !SORT_COLUMNS.has(sortColumn)) {
    throw storageErrors.validation('querystring/sortColumn must be equal to one of the allowed values');
  }
  const order = query.get('sortOrder') === 'desc' ? 'desc' : 'asc';
  let sql = `select ${LIST_COLUMNS} from storage.buckets${where.length ? ` where ${where.join(' and ')}` : ''}`;
  if (sortColumn) sql += ` order by ${sortColumn} ${order}`;
  const limit = optionalInteger(Object.fromEntries(query), 'limit', 1);
  const offset = optionalInteger(Object.fromEntries(query), 'offset', 0);
  if (limit !== undefined) {
    values.push(limit);
    sql += ` limit $${values.length}`;
  }
  if (offset !== undefined) {
    values.push(offset);
    sql += ` offset $${values.length}`;
  }
  const rows = await asRequestCaller(
    r,
    'storage.bucket.list',
    async (db) => (await db.query<BucketRow>(sql, values)).rows,
  );
  sendJson(r.res, 200, rows.map(presentBucket));
}

export async function getBucket(r: StorageRequest): Promise<void> {
  const row = await asRequestCaller(r, 'storage.bucket.get', async (db) => {
    const result = await db.query<BucketRow>(`select ${GET_COLUMNS} from storage.buckets where id = $1 limit 1`, [
      r.bucket,
    ]);
    return result.rows[0];
  });
  if (!row) throw storageErrors.noSuchBucket();
  sendJson(r.res, 200, presentBucket(row));
}

export async function createBucket(r: StorageRequest): Promise<void> {
  const body = await readJson(r.req);
  const name = optionalString(body, 'name');
  if (name === undefined) throw storageErrors.validation("body must have required property 'name'");
  const id = optionalString(body, 'id') || name;
  if (name.trim() !== name) throw storageErrors.invalidBucketName();
  mustBeValidBucketName(name);
  const type = optionalString(body, 'type');
  if (type !== undefined && type !== 'STANDARD' && type !== 'ANALYTICS') {
    throw storageErrors.validation('body/type must be equal to one of the allowed values');
  }
  if (type === 'ANALYTICS') {
    throw new StorageError(409, 'FeatureNotEnabled', 'The feature iceberg_catalog is not enabled for this resource');
  }
  const limits = bucketLimits(r, body);
  const { owner, owner_id } = ownerOf(r.caller);
  await asRequestCaller(r, 'storage.bucket.create', async (db) => {
    try {
      await db.query(
        `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, type)
         values ($1, $2, $3, $4, $5, $6, $7, 'STANDARD')`,
        [
          id,
          name,
          owner,
          owner_id,
          body.public === true,
          limits.fileSizeLimit ?? null,
          limits.allowedMimeTypes ?? null,
        ],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw storageErrors.bucketAlreadyExists();
      throw error;
    }
  });
  sendJson(r.res, 200, { name });
}

export async function updateBucket(r: StorageRequest): Promise<void> {
  mustBeValidBucketName(r.bucket);
  const body = await readJson(r.req);
  const limits = bucketLimits(r, body);
  const sets: string[] = [];
  const values: unknown[] = [];
  if (typeof body.public === 'boolean') {
    values.push(body.public);
    sets.push(`public = $${values.length}`);
  }
  if (limits.fileSizeLimit !== undefined) {
    values.push(limits.fileSizeLimit);
    sets.push(`file_size_limit = $${values.length}`);
  }
  if (limits.allowedMimeTypes !== undefined) {
    values.push(limits.allowedMimeTypes);
    sets.push(`allowed_mime_types = $${values.length}`);
  }
  if (sets.length === 0) throw storageErrors.noContentProvided();
  values.push(r.bucket);
  const updated = await asRequestCaller(r, 'storage.bucket.update', async (db) => {
    const result = await db.query(
      `update storage.buckets set ${sets.join(', ')}, updated_at = now() where id = $${values.length}`,
      values,
    );
    return result.rowCount ?? 0;
  });
  if (updated === 0) throw storageErrors.noSuchBucket();
  sendJson(r.res, 200, { message: 'Successfully updated' });
}

/**
 * Upstream checks the bucket as the caller, then queues an admin job that deletes every
 * object in it (objects policies do not filter that job). Here the job runs at once.
 */
export async function emptyBucket(r: StorageRequest): Promise<void> {
  const visible = await asRequestCaller(r, 'storage.bucket.empty', async (db) => {
    return ((await db.query('select id from storage.buckets where id = $1', [r.bucket])).rowCount ?? 0) > 0;
  });
  if (!visible) throw storageErrors.noSuchBucket();
  const removed = await asService(r, 'storage.bucket.empty', async (db) => {
    const result = await db.query<{ name: string; version: string | null }>(
      'delete from storage.objects where bucket_id = $1 returning name, version',
      [r.bucket],
    );
    return result.rows;
  });
  for (const row of removed) await r.files.remove(r.bucket, row.name, row.version).catch(() => undefined);
  sendJson(r.res, 200, { message: 'Empty bucket has been queued. Completion may take up to an hour.' });
}

export async function deleteBucket(r: StorageRequest): Promise<void> {
  // Existence and emptiness are checked past RLS (upstream does it "as super user"); the
  // delete itself runs as the caller, so without a policy it finds nothing to delete.
  const state = await r.ctx.db.query<{ found: boolean; has_objects: boolean }>(
    `select exists (select 1 from storage.buckets where id = $1) as found,
            exists (select 1 from storage.objects where bucket_id = $1) as has_objects`,
    [r.bucket],
  );
  if (!state.rows[0].found) throw storageErrors.noSuchBucket();
  if (state.rows[0].has_objects) throw storageErrors.bucketNotEmpty();
  const deleted = await asRequestCaller(r, 'storage.bucket.delete', async (db) => {
    return (await db.query('delete from storage.buckets where id = $1', [r.bucket])).rowCount ?? 0;
  });
  if (deleted === 0) throw storageErrors.noSuchBucket();
  await r.files.removeBucket(r.bucket).catch(() => undefined);
  sendJson(r.res, 200, { message: 'Successfully deleted' });
}

/** file_size_limit (bytes or "20MB") and allowed_mime_types, validated as upstream does. */
function bucketLimits(
  r: StorageRequest,
  body: Record<string, unknown>,
): { fileSizeLimit?: number | null; allowedMimeTypes?: string[] | null } {
  const result: { fileSizeLimit?: number | null; allowedMimeTypes?: string[] | null } = {};
  const size = body.file_size_limit;
  if (size === null) result.fileSizeLimit = null;
  else if (typeof size === 'number' || typeof size === 'string') {
    const bytes = typeof size === 'number' ? size : parseFileSize(size);
    if (bytes > r.ctx.settings.storage.fileSizeLimit) throw storageErrors.entityTooLarge();
    result.fileSizeLimit = bytes;
  } else if (size !== undefined) {
    throw storageErrors.validation('body/file_size_limit must be integer,string');
  }
  const mimes = body.allowed_mime_types;
  if (mimes === null) result.allowedMimeTypes = null;
  else if (Array.isArray(mimes)) {
    const list = mimes.filter((mime): mime is string => typeof mime === 'string' && mime !== '');
    for (const mime of list) {
      if (
        mime.length > 1000 ||
        !/^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9-]+)?$|\*$/.test(mime)
      ) {
        throw storageErrors.invalidMimeType(mime);
      }
    }
    result.allowedMimeTypes = list;
  } else if (mimes !== undefined) {
    throw storageErrors.validation('body/allowed_mime_types must be array');
  }
  return result;
}

/** "20GB" / "20MB" / "30KB" / "3B" in decimal units, as supabase/storage parses them. */
function parseFileSize(value: string): number {
  const match = value.match(/(^[0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i);
  if (!match) throw storageErrors.invalidFileSizeLimit();
  const amount = Number(parseFloat(match[1]).toPrecision(3));
  const unit = match[2].toUpperCase();
  const factor = unit === 'GB' ? 1e9 : unit === 'MB' ? 1e6 : unit === 'KB' ? 1e3 : 1;
  return amount * factor;
}
