// erase-files: removes erased customers' Storage files (scheduled every minute while any wait;
// see 20261208140000_erase_customer_files.sql). Wiring only: the handler is ./handler.ts.
import { serviceClient } from '../_shared/supabase-clients.ts';
import { type ClaimedFile, handleEraseFiles } from './handler.ts';

// Service role: the files belong to customers no caller may see any more, and the queue's two
// functions are granted to the service role alone.
const db = serviceClient();

Deno.serve((req) =>
  handleEraseFiles(req, {
    env: Deno.env,
    async claim(batch) {
      const { data, error } = await db.rpc('claim_erasure_files', { batch });
      if (error) throw error;
      return (data ?? []) as ClaimedFile[];
    },
    async remove(bucket, names) {
      const { error } = await db.storage.from(bucket).remove(names);
      if (error) throw error;
    },
    async finish(removed, failed, error) {
      const result = await db.rpc('finish_erasure_files', { removed, failed, error: error ?? undefined });
      if (result.error) throw result.error;
      return result.data ?? 0;
    },
    log: (message, error) => console.error(message, error),
  }),
);
