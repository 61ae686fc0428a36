import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { supabase } from '@/lib/supabase.ts';

import { customerKeys } from '../api/customer.ts';

/** Tables in the realtime publication that carry this customer's id, and the column holding it. */
const WATCHED = [
  { table: 'activities', column: 'customer_id' },
  { table: 'orders', column: 'customer_id' },
  { table: 'customers', column: 'id' },
] as const;

/**
 * Keeps the open 360 live (ADR 0003): one channel per screen, filtered to this customer. An event
 * never writes its payload into the cache; it invalidates the customer's keys (header, timeline,
 * orders …) and react-query refetches what is on screen through the same RLS-checked queries.
 * After a reconnect everything is refetched, since events may have been missed meanwhile.
 */
export function useCustomerRealtime(customerId: string, extraKeys: readonly (readonly unknown[])[] = []): void {
  const queryClient = useQueryClient();
  // Joined so the effect re-subscribes only when the keys really change, not on every render.
  const extra = JSON.stringify(extraKeys);
  useEffect(() => {
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: customerKeys.one(customerId) });
      for (const key of JSON.parse(extra) as unknown[][]) void queryClient.invalidateQueries({ queryKey: key });
    };
    // Private: Realtime admits only team members who may see this customer (the policy on
    // realtime.messages); a public channel would let anyone with the anon key join and broadcast.
    let channel = supabase.channel(`customer-360:${customerId}`, { config: { private: true } });
    for (const { table, column } of WATCHED) {
      channel = channel.on(
        'postgres_changes',
        { event: '*', schema: 'public', table, filter: `${column}=eq.${customerId}` },
        refresh,
      );
    }
    let failed = false;
    channel.subscribe((status) => {
      if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') failed = true;
      if (status === 'SUBSCRIBED' && failed) {
        failed = false;
        refresh();
      }
    });
    return () => {
      void supabase.removeChannel(channel);
    };
  }, [customerId, extra, queryClient]);
}
