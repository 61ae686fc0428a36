import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { supabase } from '@/lib/supabase.ts';

import { conversationKeys } from '../api/conversations.ts';

/**
 * Keeps the inbox and a customer's Messages tab live (ADR 0003): the member's own private
 * channel `inbox:<user id>` with postgres_changes on threads and messages (the tables' policies
 * decide which rows arrive). An event invalidates the conversations key root; the queries on
 * screen refetch through RLS. `customerId` narrows the events to one customer. After a reconnect
 * everything is refetched, since events may have been missed meanwhile.
 */
export function useConversationsRealtime(userId: string, customerId?: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: conversationKeys.all });
    const filter = customerId ? { filter: `customer_id=eq.${customerId}` } : {};
    const channel = supabase
      .channel(`inbox:${userId}`, { config: { private: true } })
      .on('postgres_changes', { event: '*', schema: 'public', table: 'messages', ...filter }, refresh)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'message_threads', ...filter }, refresh);
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
  }, [userId, customerId, queryClient]);
}
