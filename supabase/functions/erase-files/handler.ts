/**
 * erase-files: removes the Storage files of erased customers (queued by public.erase_customer in
 * private.erasure_files), through the Storage API — Supabase refuses deletes from storage tables
 * in SQL. Called by its schedule (every minute while files wait; X-Cron-Secret) or the service
 * role. Each run claims bounded chunks (a lease, so a worker that dies gives its chunk back),
 * removes them per bucket and reports what went; the database audits each object once.
 */
import { z } from 'zod';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller } from '../_shared/scheduled-call.ts';

export interface ClaimedFile {
  object_id: string;
  bucket_id: string;
  name: string;
}

export interface EraseFilesDeps {
  env: { get(name: string): string | undefined };
  /** public.claim_erasure_files(batch). */
  claim(batch: number): Promise<ClaimedFile[]>;
  /** Storage API: removes `names` from `bucket`; an object already gone is not an error. */
  remove(bucket: string, names: string[]): Promise<void>;
  /** public.finish_erasure_files(removed, failed, error): how many were newly recorded. */
  finish(removed: string[], failed: string[], error: string | null): Promise<number>;
  log(message: string, error: unknown): void;
}

const bodySchema = z
  .object({
    source: z.string().max(40).optional(),
    batch: z.number().int().min(1).max(1000).optional(),
    chunks: z.number().int().min(1).max(50).optional(),
  })
  .strict();

export interface EraseFilesResult {
  removed: number;
  failed: number;
  chunks: number;
}

export async function handleEraseFiles(req: Request, deps: EraseFilesDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, deps.env);
  if (!caller.ok) return caller.response;
  const body = await readJsonBody(req, bodySchema, 1024);
  if (!body.ok) return body.response;
  const batch = body.value.batch ?? 100;
  const maxChunks = body.value.chunks ?? 10;

  const result: EraseFilesResult = { removed: 0, failed: 0, chunks: 0 };
  try {
    while (result.chunks < maxChunks) {
      const claimed = await deps.claim(batch);
      if (claimed.length === 0) break;
      result.chunks += 1;
      const byBucket = Map.groupBy(claimed, (file) => file.bucket_id);
      for (const [bucket, files] of byBucket) {
        const ids = files.map((file) => file.object_id);
        try {
          await deps.remove(
            bucket,
            files.map((file) => file.name),
          );
          result.removed += await deps.finish(ids, [], null);
        } catch (error) {
          deps.log(`erase-files: removing ${files.length} file(s) from ${bucket} failed`, error);
          await deps.finish([], ids, error instanceof Error ? error.message : String(error));
          result.failed += ids.length;
        }
      }
    }
  } catch (error) {
    deps.log('erase-files failed', error);
    return fail('internal_error', 'Removing erased customers’ files failed; the function logs say why');
  }
  return jsonResponse(result);
}
