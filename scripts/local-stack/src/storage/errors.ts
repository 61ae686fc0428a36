/**
 * The Storage API's error shape: `{statusCode: "<string>", code, error, message}` sent with
 * HTTP 400 for every 4xx (500 stays 500), so storage-js sees `status 400` with the real
 * status in `statusCode`. Codes and texts follow supabase/storage `src/internal/errors/codes.ts`.
 */
import pg from 'pg';

export class StorageError extends Error {
  constructor(
    /** The status the Storage API reports in the body (404, 409, 403, 413, 415 …). */
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** The legacy `error` field; defaults to the code, as upstream renders it. */
    readonly legacyError?: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return this.statusCode >= 500 ? 500 : 400;
  }

  body(): { statusCode: string; code: string; error: string; message: string } {
    return {
      statusCode: String(this.statusCode),
      code: this.code,
      error: this.legacyError ?? this.code,
      message: this.message,
    };
  }
}

export const storageErrors = {
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'Object not found', 'not_found'),
  /** What the asset renderer answers when the bytes themselves are missing. */
  assetNotFound: () => new StorageError(404, 'NoSuchKey', 'The resource was not found', 'Not found'),
  accessDenied: (message = 'Access denied') => new StorageError(403, 'AccessDenied', message, 'Unauthorized'),
  resourceAlreadyExists: () =>
    new StorageError(409, 'ResourceAlreadyExists', 'The resource already exists', 'Duplicate'),
  keyAlreadyExists: () => new StorageError(409, 'KeyAlreadyExists', 'The resource already exists', 'Duplicate'),
  bucketAlreadyExists: () => new StorageError(409, 'BucketAlreadyExists', 'The resource already exists', 'Duplicate'),
  bucketNotEmpty: () => new StorageError(409, 'ResourceNotEmpty', 'The bucket you tried to delete is not empty'),
  invalidJwt: (message = 'Invalid JWT') => new StorageError(400, 'InvalidJWT', message),
  invalidSignature: (message = 'Invalid signature') => new StorageError(400, 'InvalidSignature', message),
  expiredSignature: () => new StorageError(400, 'ExpiredToken', 'The provided token has expired.'),
  entityTooLarge: (entity = 'object', limit = 'the maximum allowed size') =>
    new StorageError(413, 'EntityTooLarge', `The ${entity} exceeded ${limit}`, 'Payload too large'),
  invalidMimeType: (mimeType: string) =>
    new StorageError(415, 'InvalidMimeType', `mime type ${mimeType} is not supported`, 'invalid_mime_type'),
  /** `reason` as the file backend words it (`src/storage/backend/secure-path.ts`), when it has one. */
  invalidKey: (key: string, reason?: string) =>
    new StorageError(400, 'InvalidKey', reason ? `Invalid key: ${key} ${reason}` : `Invalid key: ${key}`),
  invalidBucketName: () => new StorageError(400, 'InvalidBucketName', 'Bucket name invalid', 'Invalid Input'),
  invalidRequest: (message = 'Invalid Request') => new StorageError(400, 'InvalidRequest', message),
  /** Body validation failures, in the words Fastify's schema validation uses upstream. */
  validation: (message: string) => new StorageError(400, 'InvalidRequest', message, 'Bad Request'),
  noContentProvided: (message = 'No content provided') => new StorageError(400, 'InvalidRequest', message),
  invalidFileSizeLimit: () =>
    new StorageError(400, 'InvalidRequest', 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B'),
  internal: (message = 'Internal server error') => new StorageError(500, 'InternalError', message, 'Internal'),
};

/** Postgres errors as supabase/storage `DBError.fromDBError` maps them. */
export function fromDatabaseError(error: pg.DatabaseError): StorageError {
  switch (error.code) {
    case '42501':
      return storageErrors.accessDenied(
        error.message.includes('row-level security') ? 'new row violates row-level security policy' : error.message,
      );
    case '23505':
      return storageErrors.resourceAlreadyExists();
    case '23503':
      return error.detail?.includes('is still referenced from table')
        ? new StorageError(
            409,
            'ResourceReferenced',
            'The resource could not be updated or removed due to a foreign key constraint',
          )
        : new StorageError(404, 'InvalidRequest', 'The related resource does not exist');
    case '57014':
      return new StorageError(544, 'DatabaseTimeout', 'The connection to the database timed out');
    case '22P02':
      return new StorageError(
        400,
        'InvalidParameter',
        error.message || 'Invalid value format or type conversion failed',
      );
    default:
      return new StorageError(500, 'DatabaseError', `database error, code: ${error.code}`);
  }
}

export function toStorageError(error: unknown): StorageError | null {
  if (error instanceof StorageError) return error;
  if (error instanceof pg.DatabaseError) return fromDatabaseError(error);
  return null;
}
