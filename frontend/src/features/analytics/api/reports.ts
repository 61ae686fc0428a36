/** The analytics reports: one SQL function each, read as the viewer (their row-level security). */
import { queryOptions } from '@tanstack/react-query';

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
    // While a new range loads, the same report's rows stay on screen; never another report's rows
    // (the cohort table once drew the churn list's rows and crashed the page).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === fn ? previous : undefined),
    retry: false,
  });
