/**
 * notification-emails' database calls, with the service-role client: the outbox is the system's
 * (no user may read or write it), and the two SQL functions are granted to the service role only.
 */
import type { Json } from '../_shared/database.types.ts';
import type { Db } from '../_shared/supabase-clients.ts';
import type { ClaimedEmail } from './email.ts';
import type { EmailStore } from './run.ts';

export function emailStore(db: Db): EmailStore {
  return {
    async claim(batchSize, now) {
      const { data, error } = await db.rpc('claim_notification_emails', {
        batch_size: batchSize,
        ...(now ? { now } : {}),
      });
      if (error) throw error;
      // items is the SQL function's jsonb array of EmailItem.
      return data as unknown as ClaimedEmail[];
    },
    async record(outcomes, now) {
      const { error } = await db.rpc('record_notification_emails', {
        results: outcomes as unknown as Json,
        ...(now ? { now } : {}),
      });
      if (error) throw error;
    },
  };
}
