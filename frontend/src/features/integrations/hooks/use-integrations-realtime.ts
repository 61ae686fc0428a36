import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { supabase } from '@/lib/supabase.ts';

import { deliveryHealthOptions, integrationKeys } from '../api/shopify.ts';

/**
 * Imports, connections and delivery figures change on screen as they happen: the private channel
 * `shopify-integrations` (admins only) carries the changes of shop_imports / shop_connections and
 * the database's `deliveries` broadcast (a shop's webhook deliveries changed); each invalidates
 * the queries it concerns, which refetch under RLS.
 */
export function useIntegrationsRealtime() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
    // The database signals at most every 2 s per shop (private.signal_delivery_changes): asking
    // again 2.5 s later shows a change made in that window, which sends no signal of its own.
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const refreshDeliveries = (message: { payload?: { shop_id?: unknown } }) => {
      const shopId = typeof message.payload?.shop_id === 'string' ? message.payload.shop_id : null;
      const queryKey = shopId ? deliveryHealthOptions(shopId).queryKey : [...integrationKeys.connections, 'deliveries'];
      void queryClient.invalidateQueries({ queryKey });
      const timer = setTimeout(() => {
        timers.delete(timer);
        void queryClient.invalidateQueries({ queryKey });
      }, 2500);
      timers.add(timer);
    };
    const channel = supabase
      .channel('shopify-integrations', { config: { private: true } })
      .on('postgres_changes', { event: '*', schema: 'public', table: 'shop_imports' }, refresh)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'shop_connections' }, refresh)
      .on('broadcast', { event: 'deliveries' }, refreshDeliveries);
    let failed = false;
    channel.subscribe((status) => {
      if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') failed = true;
      if (status === 'SUBSCRIBED' && failed) {
        failed = false;
        refresh();
      }
    });
    return () => {
      for (const timer of timers) clearTimeout(timer);
      void supabase.removeChannel(channel);
    };
  }, [queryClient]);
}
