/**
 * unsubscribe's one database call, with the service-role client: the person unsubscribing is not
 * signed in, the verified token is their authority, and `public.record_unsubscribe` is granted to
 * the service role only.
 */
import type { Db } from '../_shared/supabase-clients.ts';
import type { ConsentTarget } from './unsubscribe.ts';

/** Withdraws the consent; the error is the database's (P0002: the customer no longer exists). */
export async function recordUnsubscribe(
  db: Db,
  customerId: string,
  target: ConsentTarget,
  evidence: Record<string, string | boolean | null>,
): Promise<{ error: { code: string; message: string } | null }> {
  const { error } = await db.rpc('record_unsubscribe', {
    customer_id: customerId,
    channel: target.channel,
    purpose: target.purpose,
    evidence,
  });
  return { error };
}
