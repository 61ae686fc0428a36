import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { supabase } from '@/lib/supabase.ts';

import { integrationKeys } from '../api/shopify.ts';

/**
 * Imports and connections change on screen as they happen: the private channel
 * `shopify-integrations` (admins only) invalidates the screen's queries, which refetch under RLS.
 */
export function useIntegrationsRealtime() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
    const channel = supabase
      .channel('shopify-integrations', { config: { private: true } })
      .on('postgres_changes', { event: '*', schema: 'public', table: 'shop_imports' }, refresh)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'shop_connections' }, refresh);
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
  }, [queryClient]);
}
