/**
 * Storage API contract through the gateway with real storage-js: buckets, uploads (multipart
 * and raw), RLS on storage.objects from a project-style policy, upsert, move/copy, remove,
 * signed and public URLs, size and mime limits, and the exact error shapes.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../src/lib/jwt.ts';
import { adminSql, client, config, serviceClient } from '../src/testing.ts';

const run = randomUUID().slice(0, 8);
const privateBucket = `docs-${run}`;
const publicBucket = `pub-${run}`;
const limitedBucket = `limited-${run}`;
const userA = randomUUID();
const userB = randomUUID();

const userToken = (sub: string, exp = Math.floor(Date.now() / 1000) + 3600) =>
  signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp }, config.jwtSecret);

/** SQL as the project owner `postgres` (not a superuser), the way a migration runs. */
async function asPostgres(text: string): Promise<void> {
  const db = new pg.Client({ connectionString: config.dbUrl });
  await db.connect();
  try {
    await db.query(text);
  } finally {
    await db.end();
  }
}

const storageUrl = `${config.apiUrl}/storage/v1`;
const service = serviceClient();
let alice: SupabaseClient;
let bob: SupabaseClient;
let aliceToken: string;

/** Fails the test (rather than asserting non-null) when a result is missing. */
function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

/** The error fields storage-js hands back (StorageApiError). */
function shape(error: unknown) {
  const e = error as { status?: number; statusCode?: string; code?: string; message?: string } | null;
  return { status: e?.status, statusCode: e?.statusCode, code: e?.code, message: e?.message };
}

beforeAll(async () => {
  aliceToken = await userToken(userA);
  alice = client(config.anonKey, { accessToken: aliceToken });
  bob = client(config.anonKey, { accessToken: await userToken(userB) });

  // What a project migration does: users own the folder named after their id.
  const own = `bucket_id = '${privateBucket}' and (storage.foldername(name))[1] = (select auth.uid()::text)`;
  await asPostgres(`
    create policy "users read their folder ${run}" on storage.objects for select to authenticated using (${own});
    create policy "users add to their folder ${run}" on storage.objects for insert to authenticated with check (${own});
    create policy "users change their folder ${run}" on storage.objects for update to authenticated using (${own}) with check (${own});
    create policy "users delete from their folder ${run}" on storage.objects for delete to authenticated using (${own});`);

  const buckets: Array<[string, { public: boolean; fileSizeLimit?: number; allowedMimeTypes?: string[] }]> = [
    [privateBucket, { public: false }],
    [publicBucket, { public: true }],
    [limitedBucket, { public: false, fileSizeLimit: 10, allowedMimeTypes: ['image/png', 'text/*'] }],
  ];
  for (const [id, options] of buckets) {
    const { data, error } = await service.storage.createBucket(id, options);
    expect(error).toBeNull();
    expect(data).toEqual({ name: id });
  }
});

describe('storage schema', () => {
  it('lets postgres own policies but refuses direct deletes, as hosted does', async () => {
    const policies = await adminSql<{ policyname: string }>(
      `select policyname from pg_policies where schemaname = 'storage' and tablename = 'objects' and policyname like $1`,
      [`%${run}`],
    );
    expect(policies).toHaveLength(4);
    await expect(asPostgres(`delete from storage.objects where bucket_id = '${privateBucket}'`)).rejects.toThrow(
      'Direct deletion from storage tables is not allowed',
    );
    const [table] = await adminSql<{ owner: string; rls: boolean }>(
      `select tableowner as owner, rowsecurity as rls from pg_tables where schemaname = 'storage' and tablename = 'objects'`,
    );
    expect(table).toEqual({ owner: 'supabase_storage_admin', rls: true });
    const [helpers] = await adminSql<{ folder: string[]; file: string; ext: string }>(
      `select storage.foldername('a/b/c.txt') as folder, storage.filename('a/b/c.txt') as file, storage.extension('a/b/c.txt') as ext`,
    );
    expect(helpers).toEqual({ folder: ['a', 'b'], file: 'c.txt', ext: 'txt' });
  });
});

describe('buckets', () => {
  it('gets and lists buckets with the Storage API fields', async () => {
    const { data, error } = await service.storage.getBucket(limitedBucket);
    expect(error).toBeNull();
    expect(data).toMatchObject({
      id: limitedBucket,
      name: limitedBucket,
      public: false,
      file_size_limit: 10,
      allowed_mime_types: ['image/png', 'text/*'],
    });
    expect(typeof data?.created_at).toBe('string');
    const list = await service.storage.listBuckets();
    expect(list.data?.map((bucket) => bucket.id)).toEqual(
      expect.arrayContaining([privateBucket, publicBucket, limitedBucket]),
    );
  });

  it('refuses a duplicate bucket, an unknown bucket and bucket changes by users (no bucket policies)', async () => {
    const duplicate = await service.storage.createBucket(privateBucket);
    expect(shape(duplicate.error)).toEqual({
      status: 400,
      statusCode: '409',
      code: 'BucketAlreadyExists',
      message: 'The resource already exists',
    });
    const missing = await service.storage.getBucket(`missing-${run}`);
    expect(shape(missing.error)).toEqual({
      status: 400,
      statusCode: '404',
      code: 'NoSuchBucket',
      message: 'Bucket not found',
    });
    const byUser = await alice.storage.createBucket(`mine-${run}`);
    expect(shape(byUser.error)).toEqual({
      status: 400,
      statusCode: '403',
      code: 'AccessDenied',
      message: 'new row violates row-level security policy',
    });
    expect((await alice.storage.listBuckets()).data).toEqual([]);
  });

  it('updates a bucket and refuses a limit above the project limit', async () => {
    const updated = await service.storage.updateBucket(publicBucket, { public: true, fileSizeLimit: '1MB' });
    expect(updated).toEqual({ data: { message: 'Successfully updated' }, error: null });
    expect((await service.storage.getBucket(publicBucket)).data?.file_size_limit).toBe(1_000_000);
    const tooBig = await service.storage.createBucket(`huge-${run}`, { public: false, fileSizeLimit: '1GB' });
    expect(shape(tooBig.error)).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' });
  });
});

describe('objects under row-level security', () => {
  it('uploads multipart (Blob) and raw (ArrayBuffer, string) bodies and downloads them back', async () => {
    const blob = await alice.storage
      .from(privateBucket)
      .upload(`${userA}/notes.txt`, new Blob(['hello A'], { type: 'text/plain' }));
    expect(blob.error).toBeNull();
    expect(blob.data).toEqual({
      path: `${userA}/notes.txt`,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      fullPath: `${privateBucket}/${userA}/notes.txt`,
    });

    const bytes = new Uint8Array([0, 1, 2, 250]);
    const raw = await alice.storage
      .from(privateBucket)
      .upload(`${userA}/raw.bin`, bytes.buffer, { contentType: 'application/octet-stream' });
    expect(raw.error).toBeNull();
    const text = await alice.storage
      .from(privateBucket)
      .upload(`${userA}/sub/deep.txt`, 'a string body', { metadata: { tag: 'x' } });
    expect(text.error).toBeNull();

    const down = await alice.storage.from(privateBucket).download(`${userA}/notes.txt`);
    expect(down.error).toBeNull();
    expect(await down.data?.text()).toBe('hello A');
    expect(down.data?.type).toBe('text/plain');
    const downRaw = await alice.storage.from(privateBucket).download(`${userA}/raw.bin`);
    expect(new Uint8Array(await present(downRaw.data).arrayBuffer())).toEqual(bytes);

    const info = await alice.storage.from(privateBucket).info(`${userA}/sub/deep.txt`);
    expect(info.error).toBeNull();
    expect(info.data).toMatchObject({
      name: `${userA}/sub/deep.txt`,
      bucketId: privateBucket,
      size: 13,
      contentType: 'text/plain;charset=UTF-8',
      cacheControl: 'max-age=3600',
      metadata: { tag: 'x' },
    });
    expect(info.data?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await alice.storage.from(privateBucket).exists(`${userA}/notes.txt`)).data).toBe(true);
    expect((await alice.storage.from(privateBucket).exists(`${userA}/none.txt`)).data).toBe(false);
  });

  it('serves downloads with Content-Type, ETag, Cache-Control and Last-Modified', async () => {
    const res = await fetch(`${storageUrl}/object/${privateBucket}/${userA}/notes.txt`, {
      headers: { apikey: config.anonKey, authorization: `Bearer ${aliceToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('cache-control')).toBe('max-age=3600');
    expect(new Date(res.headers.get('last-modified') ?? '').getTime()).toBeGreaterThan(Date.now() - 60_000);
    const again = await fetch(`${storageUrl}/object/${privateBucket}/${userA}/notes.txt`, {
      headers: {
        apikey: config.anonKey,
        authorization: `Bearer ${aliceToken}`,
        'if-none-match': res.headers.get('etag') ?? '',
      },
    });
    expect(again.status).toBe(304);
  });

  it('lists one folder level, folders with id null, only what the caller may read', async () => {
    const own = await alice.storage.from(privateBucket).list(userA);
    expect(own.error).toBeNull();
    expect(own.data?.map((entry) => [entry.name, entry.id === null])).toEqual([
      ['notes.txt', false],
      ['raw.bin', false],
      ['sub', true],
    ]);
    expect(own.data?.find((entry) => entry.name === 'notes.txt')?.metadata).toMatchObject({
      size: 7,
      mimetype: 'text/plain',
    });
    const root = await alice.storage.from(privateBucket).list();
    expect(root.data).toEqual([
      { name: userA, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null },
    ]);
    expect((await bob.storage.from(privateBucket).list(userA)).data).toEqual([]);
    const searched = await alice.storage.from(privateBucket).list(userA, { search: 'no' });
    expect(searched.data?.map((entry) => entry.name)).toEqual(['notes.txt']);
  });

  it("refuses another user's folder with the Storage API's error shapes", async () => {
    const upload = await bob.storage.from(privateBucket).upload(`${userA}/evil.txt`, 'nope');
    expect(shape(upload.error)).toEqual({
      status: 400,
      statusCode: '403',
      code: 'AccessDenied',
      message: 'new row violates row-level security policy',
    });
    const download = await bob.storage.from(privateBucket).download(`${userA}/notes.txt`);
    expect(shape(download.error)).toMatchObject({ status: 400 });
    const res = await fetch(`${storageUrl}/object/${privateBucket}/${userA}/notes.txt`, {
      headers: { apikey: config.anonKey, authorization: `Bearer ${await userToken(userB)}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      statusCode: '404',
      code: 'NoSuchKey',
      error: 'not_found',
      message: 'Object not found',
    });
    const anon = await client().storage.from(privateBucket).upload(`${userA}/anon.txt`, 'x');
    expect(shape(anon.error)).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    const removed = await bob.storage.from(privateBucket).remove([`${userA}/notes.txt`]);
    expect(removed).toEqual({ data: [], error: null });
    expect((await alice.storage.from(privateBucket).exists(`${userA}/notes.txt`)).data).toBe(true);
  });

  it('refuses keys with . or .. path segments as the file backend does (InvalidKey), whoever asks', async () => {
    for (const key of [`${userA}/../${userB}/x.txt`, `${userA}/./x.txt`, `${userA}/x/..`]) {
      const encoded = key.split('/').map(encodeURIComponent).join('%2F');
      const res = await fetch(`${storageUrl}/object/${privateBucket}/${encoded}`, {
        method: 'POST',
        headers: {
          apikey: config.serviceRoleKey,
          authorization: `Bearer ${config.serviceRoleKey}`,
          'content-type': 'text/plain',
        },
        body: 'dots',
      });
      expect(res.status, key).toBe(400);
      const body = (await res.json()) as { statusCode: string; code: string; error: string; message: string };
      expect(body, key).toMatchObject({ statusCode: '400', code: 'InvalidKey', error: 'InvalidKey' });
      expect(body.message, key).toMatch(new RegExp(`^Invalid key: ${privateBucket}/.* contains dot path segment$`));
    }
    const [{ n }] = await adminSql<{ n: number }>(
      `select count(*)::int as n from storage.objects where bucket_id = $1 and name ~ '(^|/)\\.\\.?(/|$)'`,
      [privateBucket],
    );
    expect(n).toBe(0);
    // Dots inside a name are fine.
    expect(
      (await service.storage.from(privateBucket).upload(`${userA}/v1.2/report..final.txt`, 'ok')).error,
    ).toBeNull();
  });

  it('refuses a bad or expired JWT', async () => {
    const forged = client(config.anonKey, {
      accessToken: await signJwt(
        { sub: userA, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 60 },
        'another-secret-that-is-at-least-32-chars',
      ),
    });
    const bad = await forged.storage.from(privateBucket).list(userA);
    expect(shape(bad.error)).toEqual({
      status: 400,
      statusCode: '403',
      code: 'AccessDenied',
      message: 'signature verification failed',
    });
    const expired = client(config.anonKey, { accessToken: await userToken(userA, Math.floor(Date.now() / 1000) - 60) });
    const late = await expired.storage.from(privateBucket).list(userA);
    expect(shape(late.error)).toEqual({
      status: 400,
      statusCode: '403',
      code: 'AccessDenied',
      message: '"exp" claim timestamp check failed',
    });
  });

  it('refuses a duplicate upload, replaces with upsert or update, and leaves one version on disk', async () => {
    const bucket = alice.storage.from(privateBucket);
    const duplicate = await bucket.upload(`${userA}/notes.txt`, 'again');
    expect(shape(duplicate.error)).toEqual({
      status: 400,
      statusCode: '409',
      code: 'KeyAlreadyExists',
      message: 'The resource already exists',
    });
    expect((await bucket.upload(`${userA}/notes.txt`, 'upserted', { upsert: true })).error).toBeNull();
    expect(await (await bucket.download(`${userA}/notes.txt`)).data?.text()).toBe('upserted');
    expect(
      (await bucket.update(`${userA}/notes.txt`, new Blob(['updated!'], { type: 'text/markdown' }))).error,
    ).toBeNull();
    const down = await bucket.download(`${userA}/notes.txt`);
    expect(await down.data?.text()).toBe('updated!');
    expect(down.data?.type).toBe('text/markdown');
    const versions = readdirSync(path.join(config.storageDir, privateBucket, userA, 'notes.txt'));
    expect(versions).toHaveLength(1);
  });

  it('moves and copies within the caller’s rights', async () => {
    const bucket = alice.storage.from(privateBucket);
    await bucket.upload(`${userA}/move-me.txt`, 'moving');
    const moved = await bucket.move(`${userA}/move-me.txt`, `${userA}/moved.txt`);
    expect(moved).toEqual({
      data: { message: 'Successfully moved', Id: expect.any(String), Key: `${userA}/moved.txt` },
      error: null,
    });
    expect(shape((await bucket.download(`${userA}/move-me.txt`)).error).status).toBe(400);
    expect(await (await bucket.download(`${userA}/moved.txt`)).data?.text()).toBe('moving');

    const copied = await bucket.copy(`${userA}/moved.txt`, `${userA}/copy.txt`);
    expect(copied).toEqual({ data: { path: `${privateBucket}/${userA}/copy.txt` }, error: null });
    expect(await (await bucket.download(`${userA}/copy.txt`)).data?.text()).toBe('moving');
    expect(await (await bucket.download(`${userA}/moved.txt`)).data?.text()).toBe('moving');

    const intoB = await bucket.move(`${userA}/moved.txt`, `${userB}/stolen.txt`);
    expect(shape(intoB.error)).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    const byB = await bob.storage.from(privateBucket).move(`${userA}/moved.txt`, `${userB}/stolen.txt`);
    expect(shape(byB.error)).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    const onto = await bucket.copy(`${userA}/moved.txt`, `${userA}/copy.txt`);
    expect(shape(onto.error)).toMatchObject({ statusCode: '409', code: 'KeyAlreadyExists' });
  });

  it('removes objects and returns the deleted rows', async () => {
    const removed = await alice.storage.from(privateBucket).remove([`${userA}/copy.txt`, `${userA}/never-there.txt`]);
    expect(removed.error).toBeNull();
    expect(removed.data).toHaveLength(1);
    expect(removed.data?.[0]).toMatchObject({ name: `${userA}/copy.txt`, bucket_id: privateBucket, owner_id: userA });
    expect(existsSync(path.join(config.storageDir, privateBucket, userA, 'copy.txt'))).toBe(false);
    expect((await alice.storage.from(privateBucket).exists(`${userA}/copy.txt`)).data).toBe(false);
  });
});

describe('signed URLs', () => {
  it('downloads through a signed URL without a key, and refuses a tampered, expired or misplaced token', async () => {
    const signed = await alice.storage
      .from(privateBucket)
      .createSignedUrl(`${userA}/moved.txt`, 60, { download: 'file.txt' });
    expect(signed.error).toBeNull();
    const url = present(signed.data).signedUrl;
    expect(url.startsWith(`${storageUrl}/object/sign/${privateBucket}/${userA}/moved.txt?token=`)).toBe(true);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('moving');
    expect(ok.headers.get('content-disposition')).toBe("attachment; filename=file.txt; filename*=UTF-8''file.txt");

    const token = present(new URL(url).searchParams.get('token'));
    const tampered = await fetch(
      `${storageUrl}/object/sign/${privateBucket}/${userA}/moved.txt?token=${token.slice(0, -4)}AAAA`,
    );
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toEqual({
      statusCode: '400',
      code: 'InvalidJWT',
      error: 'InvalidJWT',
      message: 'signature verification failed',
    });

    const now = Math.floor(Date.now() / 1000);
    const stale = await signJwt(
      { url: `${privateBucket}/${userA}/moved.txt`, scope: 'download', iat: now - 120, exp: now - 60 },
      config.jwtSecret,
    );
    const expired = await fetch(`${storageUrl}/object/sign/${privateBucket}/${userA}/moved.txt?token=${stale}`);
    expect(await expired.json()).toMatchObject({
      statusCode: '400',
      code: 'InvalidJWT',
      message: '"exp" claim timestamp check failed',
    });

    const elsewhere = await fetch(`${storageUrl}/object/sign/${privateBucket}/${userA}/raw.bin?token=${token}`);
    expect(await elsewhere.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature' });
  });

  it('signs only what the caller can read, one by one or in a batch', async () => {
    const refused = await bob.storage.from(privateBucket).createSignedUrl(`${userA}/moved.txt`, 60);
    expect(shape(refused.error)).toMatchObject({ statusCode: '404', code: 'NoSuchKey' });
    const many = await alice.storage
      .from(privateBucket)
      .createSignedUrls([`${userA}/moved.txt`, `${userA}/missing.txt`], 60);
    expect(many.error).toBeNull();
    expect(many.data?.[0]).toMatchObject({ error: null, path: `${userA}/moved.txt` });
    expect(many.data?.[1]).toMatchObject({
      error: 'Either the object does not exist or you do not have access to it',
      signedUrl: null,
    });
    expect(await (await fetch(present(present(many.data)[0].signedUrl))).text()).toBe('moving');
  });

  it('uploads through a signed upload URL issued to a user with the right to insert', async () => {
    const issued = await alice.storage.from(privateBucket).createSignedUploadUrl(`${userA}/via-signed.txt`);
    expect(issued.error).toBeNull();
    const uploaded = await client()
      .storage.from(privateBucket)
      .uploadToSignedUrl(`${userA}/via-signed.txt`, present(issued.data).token, 'signed body');
    expect(uploaded).toEqual({
      data: { path: `${userA}/via-signed.txt`, fullPath: `${privateBucket}/${userA}/via-signed.txt` },
      error: null,
    });
    expect(await (await alice.storage.from(privateBucket).download(`${userA}/via-signed.txt`)).data?.text()).toBe(
      'signed body',
    );
    const [row] = await adminSql<{ owner_id: string }>(
      'select owner_id from storage.objects where bucket_id = $1 and name = $2',
      [privateBucket, `${userA}/via-signed.txt`],
    );
    expect(row.owner_id).toBe(userA);

    const refused = await bob.storage.from(privateBucket).createSignedUploadUrl(`${userA}/bob.txt`);
    expect(shape(refused.error)).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
    const downloadToken = await signJwt(
      { url: `${privateBucket}/${userA}/x.txt`, scope: 'download' },
      config.jwtSecret,
    );
    const replay = await client().storage.from(privateBucket).uploadToSignedUrl(`${userA}/x.txt`, downloadToken, 'x');
    expect(shape(replay.error)).toMatchObject({
      statusCode: '400',
      code: 'InvalidSignature',
      message: 'Token is not scoped for upload',
    });
  });
});

describe('public URLs', () => {
  it('serves objects of public buckets only', async () => {
    expect((await service.storage.from(publicBucket).upload('logo.txt', 'public bytes')).error).toBeNull();
    const publicUrl = service.storage.from(publicBucket).getPublicUrl('logo.txt').data.publicUrl;
    const res = await fetch(publicUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('public bytes');

    const privateUrl = alice.storage.from(privateBucket).getPublicUrl(`${userA}/moved.txt`).data.publicUrl;
    const refused = await fetch(privateUrl);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      statusCode: '404',
      code: 'NoSuchBucket',
      error: 'Bucket not found',
      message: 'Bucket not found',
    });
    // The plain object route also serves public buckets to any key holder, RLS or not.
    expect(await (await bob.storage.from(publicBucket).download('logo.txt')).data?.text()).toBe('public bytes');
  });
});

describe('bucket limits', () => {
  it('enforces the bucket file size limit', async () => {
    const bucket = service.storage.from(limitedBucket);
    expect((await bucket.upload('ten.txt', '0123456789', { contentType: 'text/plain' })).error).toBeNull();
    const tooBig = await bucket.upload('eleven.txt', '0123456789A', { contentType: 'text/plain' });
    expect(shape(tooBig.error)).toEqual({
      status: 400,
      statusCode: '413',
      code: 'EntityTooLarge',
      message: 'The object exceeded the maximum allowed size',
    });
    const tooBigBlob = await bucket.upload('eleven-blob.txt', new Blob(['0123456789A'], { type: 'text/plain' }));
    expect(shape(tooBigBlob.error)).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' });
    expect((await bucket.exists('eleven-blob.txt')).data).toBe(false);
  });

  it('enforces the allowed mime types (with type/* wildcards)', async () => {
    const bucket = service.storage.from(limitedBucket);
    expect((await bucket.upload('pic.png', new Blob(['png'], { type: 'image/png' }))).error).toBeNull();
    expect((await bucket.upload('data.csv', new Blob(['a,b'], { type: 'text/csv' }))).error).toBeNull();
    const pdf = await bucket.upload('doc.pdf', new Blob(['%PDF'], { type: 'application/pdf' }));
    expect(shape(pdf.error)).toEqual({
      status: 400,
      statusCode: '415',
      code: 'InvalidMimeType',
      message: 'mime type application/pdf is not supported',
    });
    const rawPdf = await bucket.upload('doc2.pdf', '%PDF', { contentType: 'application/pdf' });
    expect(shape(rawPdf.error)).toMatchObject({ statusCode: '415', code: 'InvalidMimeType' });
  });

  it('refuses to delete a non-empty bucket, empties it, then deletes it', async () => {
    const full = await service.storage.deleteBucket(limitedBucket);
    expect(shape(full.error)).toMatchObject({
      statusCode: '409',
      code: 'ResourceNotEmpty',
      message: 'The bucket you tried to delete is not empty',
    });
    expect(await service.storage.emptyBucket(limitedBucket)).toEqual({
      data: { message: 'Empty bucket has been queued. Completion may take up to an hour.' },
      error: null,
    });
    expect(await service.storage.deleteBucket(limitedBucket)).toEqual({
      data: { message: 'Successfully deleted' },
      error: null,
    });
    expect(existsSync(path.join(config.storageDir, limitedBucket))).toBe(false);
  });
});
