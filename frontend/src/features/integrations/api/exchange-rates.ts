import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

/** Per order currency other than the base: its newest rate's day and whether it is stale (public.exchange_rate_status). */
export interface RateStatus {
  currency: string;
  latest_rate_date: string | null;
  age_days: number | null;
  stale: boolean;
}

export async function fetchRateStatus(): Promise<RateStatus[]> {
  const { data, error } = await supabase.rpc('exchange_rate_status');
  if (error) throw error;
  return data as RateStatus[];
}

export const rateStatusOptions = () =>
  queryOptions({
    queryKey: ['integrations', 'exchange-rates'] as const,
    queryFn: fetchRateStatus,
    staleTime: 10 * 60_000,
  });
