/**
 * Reads an upload body into a temp file, the two ways storage-js sends one: multipart form
 * data (a Blob/File: fields `cacheControl`, optional `metadata`, the file under the field
 * name '') or the raw body (headers `content-type`, `cache-control`, `x-metadata` base64
 * JSON). Size and mime-type limits are checked as supabase/storage's uploader checks them.
 */
import type { IncomingMessage } from 'node:http';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { header } from '../lib/http.ts';
import { storageErrors } from './errors.ts';
import { writeStream } from './files.ts';

export interface ReceivedFile {
  tempFile: string;
  size: number;
  eTag: string;
  mimetype: string;
  cacheControl: string;
  userMetadata?: Record<string, unknown>;
}

export interface UploadLimits {
  maxSize: number;
  allowedMimeTypes: string[] | null;
  objectName: string;
}

const MAX_CUSTOM_METADATA_SIZE = 1024 * 1024;

/** `image/*` allows any image; otherwise type and subtype must match exactly (upstream's rule). */
export function checkMimeType(mimeType: string, allowed: string[] | null, objectName: string): void {
  if (!allowed || allowed.length === 0 || isEmptyFolderPlaceholder(objectName)) return;
  const [type, subtype] = mimeType.split('/');
  if (subtype === undefined) throw storageErrors.invalidMimeType(mimeType);
  const ok = allowed.some((entry) => {
    const [allowedType, allowedSubtype] = entry.split('/');
    return allowedType === type && (allowedSubtype === '*' || allowedSubtype === subtype);
  });
  if (!ok) throw storageErrors.invalidMimeType(mimeType);
}

export function isEmptyFolderPlaceholder(name: string): boolean {
  return name.endsWith('.emptyFolderPlaceholder');
}

export function parseBase64Metadata(value: string | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // upstream ignores unparsable metadata
  }
}

/** Reads the rest of a request we are refusing, so the client sees our answer instead of a reset. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  req.resume();
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
  });
}

export async function receiveUpload(
  req: IncomingMessage,
  tempFile: string,
  limits: UploadLimits,
): Promise<ReceivedFile> {
  try {
    const contentType = header(req, 'content-type') ?? '';
    return contentType.startsWith('multipart/form-data')
      ? await receiveMultipart(req, tempFile, limits)
      : await receiveRaw(req, tempFile, limits);
  } catch (error) {
    await rm(tempFile, { force: true });
    await drain(req);
    throw error;
  }
}

async function receiveRaw(req: IncomingMessage, tempFile: string, limits: UploadLimits): Promise<ReceivedFile> {
  const mimetype = header(req, 'content-type') || 'application/octet-stream';
  const cacheControl = header(req, 'cache-control') ?? 'no-cache';
  checkMimeType(mimetype, limits.allowedMimeTypes, limits.objectName);
  const userMetadata = parseBase64Metadata(header(req, 'x-metadata'));
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limits.maxSize) throw storageErrors.entityTooLarge();
  const written = await writeStream(req, tempFile, limits.maxSize);
  if (written.truncated) throw storageErrors.entityTooLarge();
  return { tempFile, size: written.size, eTag: `"${written.md5}"`, mimetype, cacheControl, userMetadata };
}

function receiveMultipart(req: IncomingMessage, tempFile: string, limits: UploadLimits): Promise<ReceivedFile> {
  return new Promise<ReceivedFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fileSize: limits.maxSize } });
    } catch (error) {
      reject(storageErrors.noContentProvided((error as Error).message));
      return;
    }
    const fields: Record<string, string> = {};
    let pending: Promise<ReceivedFile> | null = null;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream: Readable, info) => {
      if (pending) {
        stream.resume();
        return;
      }
      pending = handleFilePart(stream, info.mimeType, fields, tempFile, limits);
      // Keep the rejection observed; it is reported when the form ends.
      pending.catch(() => undefined);
    });
    parser.on('error', (error: Error) => reject(storageErrors.noContentProvided(error.message)));
    parser.on('close', () => {
      if (!pending) reject(storageErrors.noContentProvided());
      else pending.then(resolve, reject);
    });
    req.pipe(parser);
  });
}

async function handleFilePart(
  stream: Readable,
  partMimeType: string,
  fields: Record<string, string>,
  tempFile: string,
  limits: UploadLimits,
): Promise<ReceivedFile> {
  try {
    const mimetype = fields.contentType || partMimeType;
    checkMimeType(mimetype, limits.allowedMimeTypes, limits.objectName);
    const customMetadata = fields.metadata ?? fields.userMetadata;
    let userMetadata: Record<string, unknown> | undefined;
    if (customMetadata !== undefined) {
      if (Buffer.byteLength(customMetadata) > MAX_CUSTOM_METADATA_SIZE)
        throw storageErrors.entityTooLarge(undefined, 'user_metadata');
      try {
        userMetadata = JSON.parse(customMetadata) as Record<string, unknown>;
      } catch {
        userMetadata = undefined;
      }
    }
    // busboy stops at fileSize and marks the stream truncated; our own limit is one byte
    // higher so the two agree on "exactly at the limit is fine".
    const written = await writeStream(stream, tempFile, limits.maxSize + 1);
    if (written.truncated || (stream as Readable & { truncated?: boolean }).truncated)
      throw storageErrors.entityTooLarge();
    const cacheTime = fields.cacheControl;
    return {
      tempFile,
      size: written.size,
      eTag: `"${written.md5}"`,
      mimetype,
      cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
      userMetadata,
    };
  } catch (error) {
    stream.resume();
    throw error;
  }
}
