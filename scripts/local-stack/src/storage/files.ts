/**
 * Object bytes on disk, laid out as supabase/storage's file backend does:
 * `<storageDir>/<bucket>/<object name>/<version>`. Every write lands under a fresh version
 * (a UUID) and the database row names the version it belongs to, so a replaced or moved
 * object never has a half-written file: the new version is complete before its row commits,
 * and the old version is removed only after the commit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { storageErrors } from './errors.ts';

export interface FileStore {
  /** Where a version of an object lives; refuses names that would escape the bucket's folder. */
  versionPath(bucket: string, name: string, version: string): string;
  /** A new temp file path on the same file system (so rename is atomic). */
  tempPath(): string;
  /** Moves a finished temp file into place as `version` of the object. */
  place(tempFile: string, bucket: string, name: string, version: string): Promise<void>;
  /** Makes `to` a copy of `from` (a hard link when possible: versions are never modified). */
  duplicate(
    from: { bucket: string; name: string; version: string },
    to: { bucket: string; name: string; version: string },
  ): Promise<void>;
  remove(bucket: string, name: string, version: string | null | undefined): Promise<void>;
  removeBucket(bucket: string): Promise<void>;
  open(bucket: string, name: string, version: string): Promise<{ stream: Readable; size: number } | null>;
}

export interface WrittenFile {
  size: number;
  md5: string;
  truncated: boolean;
}

/** Streams `body` into `file`, hashing as it goes; stops writing (and flags it) past `limit` bytes. */
export async function writeStream(body: Readable, file: string, limit: number): Promise<WrittenFile> {
  const hash = createHash('md5');
  const out = createWriteStream(file);
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      if (truncated) continue; // keep draining so the client can read our answer
      if (size + buffer.length > limit) {
        truncated = true;
        continue;
      }
      size += buffer.length;
      hash.update(buffer);
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  return { size, md5: hash.digest('hex'), truncated };
}

export function createFileStore(storageDir: string, tempDir: string): FileStore {
  const root = path.resolve(storageDir);

  const versionPath = (bucket: string, name: string, version: string): string => {
    // The file backend refuses `.` and `..` segments before resolving anything, naming the
    // whole relative path (bucket/key/version) in the message; the key is valid otherwise.
    if (name.split('/').some((segment) => segment === '.' || segment === '..'))
      throw storageErrors.invalidKey(`${bucket}/${name}/${version}`, 'contains dot path segment');
    const bucketDir = path.resolve(root, bucket);
    if (path.dirname(bucketDir) !== root) throw storageErrors.invalidBucketName();
    const file = path.resolve(bucketDir, ...name.split('/'), version);
    if (!file.startsWith(bucketDir + path.sep)) throw storageErrors.invalidKey(name);
    return file;
  };

  /** Removes now-empty folders up to (not including) the bucket folder, as the file backend does. */
  const pruneEmptyParents = async (bucket: string, from: string): Promise<void> => {
    const bucketDir = path.resolve(root, bucket);
    let dir = from;
    while (dir.startsWith(bucketDir + path.sep)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      dir = path.dirname(dir);
    }
  };

  return {
    versionPath,
    tempPath: () => path.join(tempDir, randomUUID()),
    async place(tempFile, bucket, name, version) {
      const target = versionPath(bucket, name, version);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempFile, target);
    },
    async duplicate(from, to) {
      const source = versionPath(from.bucket, from.name, from.version);
      const target = versionPath(to.bucket, to.name, to.version);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await link(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw storageErrors.noSuchKey();
        await copyFile(source, target);
      }
    },
    async remove(bucket, name, version) {
      if (!version) return;
      const file = versionPath(bucket, name, version);
      await rm(file, { force: true });
      await pruneEmptyParents(bucket, path.dirname(file));
    },
    async removeBucket(bucket) {
      const bucketDir = path.resolve(root, bucket);
      if (path.dirname(bucketDir) !== root) return;
      await rm(bucketDir, { recursive: true, force: true });
    },
    async open(bucket, name, version) {
      const file = versionPath(bucket, name, version);
      try {
        const info = await stat(file);
        return { stream: createReadStream(file), size: info.size };
      } catch {
        return null;
      }
    },
  };
}

export async function ensureDirs(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await mkdir(dir, { recursive: true });
}
