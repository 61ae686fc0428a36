/** The analytics reports: one SQL function each, read as the viewer (their row-level security). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

export type ReportRow = Record<string, unknown>;

export async function fetchReport(fn: string, args: Record<string, unknown>): Promise<ReportRow[]> {
  // The report functions share one shape (rows of named values); their names come from the
  // screen's own list (utils/reports.ts), never from the URL.
  const call = supabase.rpc.bind(supabase) as unknown as (
    name: string,
    params: Record<string, unknown>,
  ) => PromiseLike<{ data: unknown; error: Error | null }>;
  const { data, error } = await call(fn, args);
  if (error) throw error;
  return (data ?? []) as ReportRow[];
}

export const reportOptions = (fn: string, args: Record<string, unknown>) =>
  queryOptions({
    queryKey: ['analytics', fn, args] as const,
    queryFn: () => fetchReport(fn, args),
    placeholderData: keepPreviousData,
    retry: false,
  });
