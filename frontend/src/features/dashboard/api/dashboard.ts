import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

type Functions = Database['public']['Functions'];

/** The KPI row of dashboard_kpis(): months as the viewer sees them, money in the base currency. */
export type DashboardKpis = Functions['dashboard_kpis']['Returns'][number];

/** One day of revenue_by_day(): `day` is a calendar date in the viewer's zone. */
export type RevenueDay = Functions['revenue_by_day']['Returns'][number];

export interface RevenueRange {
  /** Inclusive calendar dates, "2026-03-01". */
  from: string;
  to: string;
  timeZone: string;
}

export const dashboardKeys = {
  all: ['dashboard'] as const,
  kpis: (timeZone: string) => ['dashboard', 'kpis', timeZone] as const,
  revenue: ({ from, to, timeZone }: RevenueRange) => ['dashboard', 'revenue', timeZone, from, to] as const,
};

/**
 * The dashboard's figures, counted in SQL through the caller's row-level security: an agent's
 * dashboard covers only the customers assigned to them.
 */
export async function fetchDashboardKpis(timeZone: string): Promise<DashboardKpis> {
  const { data, error } = await supabase.rpc('dashboard_kpis', { timezone: timeZone }).single();
  if (error) throw error;
  return data;
}

/** Revenue and purchases per day, every day of the range present (zero on a quiet day). */
export async function fetchRevenueByDay({ from, to, timeZone }: RevenueRange): Promise<RevenueDay[]> {
  const { data, error } = await supabase.rpc('revenue_by_day', { from_date: from, to_date: to, timezone: timeZone });
  if (error) throw error;
  return data;
}

export const dashboardKpisOptions = (timeZone: string) =>
  queryOptions({ queryKey: dashboardKeys.kpis(timeZone), queryFn: () => fetchDashboardKpis(timeZone) });

/**
 * The revenue series for a range. While another range loads, the previous one stays on screen
 * (marked as updating) so the chart does not collapse into a skeleton at every click.
 */
export const revenueByDayOptions = (range: RevenueRange) =>
  queryOptions({
    queryKey: dashboardKeys.revenue(range),
    queryFn: () => fetchRevenueByDay(range),
    placeholderData: keepPreviousData,
  });
