import { queryOptions } from '@tanstack/react-query';
import { addDays, format, parseISO } from 'date-fns';
import { fromZonedTime } from 'date-fns-tz';

import { supabase } from '@/lib/supabase.ts';

/**
 * How many orders placed on the days from–to (the viewer's days) were converted to the base
 * currency with a stale rate (orders.exchange_rate_stale, via public.orders_with_stale_rates,
 * which runs with the caller's rights: each person counts the orders they may see).
 */
export async function countStaleRateOrders(from: string, to: string, timeZone: string): Promise<number> {
  const since = fromZonedTime(`${from}T00:00:00`, timeZone).toISOString();
  const until = fromZonedTime(`${format(addDays(parseISO(to), 1), 'yyyy-MM-dd')}T00:00:00`, timeZone).toISOString();
  const { count, error } = await supabase
    .rpc('orders_with_stale_rates', { since }, { count: 'exact', head: true })
    .lt('placed_at', until);
  if (error) throw error;
  return count ?? 0;
}

export const staleRateOrdersOptions = (from: string, to: string, timeZone: string) =>
  queryOptions({
    queryKey: ['analytics', 'stale-rate-orders', from, to, timeZone],
    queryFn: () => countStaleRateOrders(from, to, timeZone),
  });
