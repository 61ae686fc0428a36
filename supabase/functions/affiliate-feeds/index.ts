// affiliate-feeds: scheduled import of affiliate product feeds. Wiring only: ./handler.ts.
import { serviceClient } from '../_shared/supabase-clients.ts';
import { type ClaimedRun, handleAffiliateFeeds } from './handler.ts';

// Service role: the import writes the catalogue for the whole workspace, and the
// affiliate_feed_* functions are granted to the service role alone.
const db = serviceClient();

Deno.serve((req) =>
  handleAffiliateFeeds(req, {
    env: Deno.env,
    async claim(onlyFeed) {
      const { data, error } = await db.rpc('affiliate_feed_claim', { only_feed: onlyFeed ?? undefined });
      if (error) throw error;
      return ((data ?? []) as unknown as ClaimedRun[])[0] ?? null;
    },
    async stage(runId, rows) {
      const { error } = await db.rpc('affiliate_feed_stage', { run_id: runId, rows });
      if (error) throw error;
    },
    async staged(runId) {
      const { error } = await db.rpc('affiliate_feed_staged', { run_id: runId });
      if (error) throw error;
    },
    async fail(runId, message) {
      const { error } = await db.rpc('affiliate_feed_fail', { run_id: runId, message });
      if (error) throw error;
    },
    async apply(runId, chunkSize) {
      const { data, error } = await db.rpc('affiliate_feed_apply', { run_id: runId, chunk_size: chunkSize });
      if (error) throw error;
      return data as unknown as { done: boolean; applied: number };
    },
    async release(runId) {
      const { error } = await db.rpc('affiliate_feed_release', { run_id: runId });
      if (error) throw error;
    },
  }),
);
