/**
 * send-campaigns' database calls, all with the service-role client: the sender acts for every
 * campaign and writes campaign_recipients, which only the system may write; the SQL functions it
 * calls are granted to the service role alone.
 */
import type { Database, Db } from '../_shared/supabase-clients.ts';
import type { CampaignStore, ClaimedBatch } from './send.ts';

type Json = Database['public']['Functions']['record_campaign_sends']['Args']['results'];

export function campaignStore(db: Db): CampaignStore {
  const at = (now: string | undefined) => (now ? { now } : {});
  return {
    async inDoubt(now, settleSeconds) {
      const { data, error } = await db.rpc('in_doubt_campaign_sends', {
        batch_size: 1000,
        settle_seconds: settleSeconds,
        ...at(now),
      });
      if (error) throw error;
      return data;
    },
    async resolve(results, now) {
      const { error } = await db.rpc('resolve_campaign_sends', { results: results as unknown as Json, ...at(now) });
      if (error) throw error;
    },
    async claim(batchSize, now, leaseSeconds) {
      // One document: each variant once, each recipient with its substitutions (bulk send).
      const { data, error } = await db.rpc('claim_campaign_batch', {
        batch_size: batchSize,
        lease_seconds: leaseSeconds,
        ...at(now),
      });
      if (error) throw error;
      return data as unknown as ClaimedBatch;
    },
    async record(outcomes, now) {
      const { error } = await db.rpc('record_campaign_sends', { results: outcomes as unknown as Json, ...at(now) });
      if (error) throw error;
    },
  };
}
