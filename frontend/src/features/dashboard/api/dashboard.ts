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

/** A range of the viewer's days for the analytics reports the dashboard borrows. */
export interface DayRange {
  from: string;
  to: string;
}

type Args = Record<string, unknown>;

async function callReport<T>(fn: string, args: Args): Promise<T[]> {
  // The analytics report functions (docs/database.md, "Analytics reports"), named here in code.
  const call = supabase.rpc.bind(supabase) as unknown as (
    name: string,
    params: Args,
  ) => PromiseLike<{ data: unknown; error: Error | null }>;
  const { data, error } = await call(fn, args);
  if (error) throw error;
  return (data ?? []) as T[];
}

export interface PeriodRow {
  period: string;
  orders: number;
  revenue: number;
}
export interface GrowthRow {
  period: string;
  country: string | null;
  new_customers: number;
}
export interface CountryRow {
  country: string | null;
  orders: number;
  revenue: number;
}
export interface AtRiskRow {
  customer_id: string;
  full_name: string;
  lifetime_value: number;
  churn_summary: string;
}

/** The week's figures: revenue, orders and new customers in a range (summed from the reports). */
export interface WeekFigures {
  revenue: number;
  orders: number;
  newCustomers: number;
}

export async function fetchWeekFigures({ from, to }: DayRange, timeZone: string): Promise<WeekFigures> {
  const range = { from_day: from, to_day: to, timezone: timeZone };
  const [periods, growth] = await Promise.all([
    callReport<PeriodRow>('report_revenue_by_period', { ...range, grain: 'month' }),
    callReport<GrowthRow>('report_customer_growth', { ...range, grain: 'month' }),
  ]);
  return {
    revenue: periods.reduce((sum, row) => sum + Number(row.revenue), 0),
    orders: periods.reduce((sum, row) => sum + Number(row.orders), 0),
    newCustomers: growth.reduce((sum, row) => sum + Number(row.new_customers), 0),
  };
}

export const fetchRevenueByCountry = (range: DayRange, timeZone: string) =>
  callReport<CountryRow>('report_revenue_by_country', { from_day: range.from, to_day: range.to, timezone: timeZone });

export const fetchWeeklyGrowth = (range: DayRange, timeZone: string) =>
  callReport<GrowthRow>('report_customer_growth', {
    from_day: range.from,
    to_day: range.to,
    timezone: timeZone,
    grain: 'week',
  });

export const fetchAtRisk = () => callReport<AtRiskRow>('report_churn', { min_risk: 'high', row_limit: 5 });

export const weekFiguresOptions = (range: DayRange, timeZone: string) =>
  queryOptions({
    queryKey: ['dashboard', 'week', timeZone, range.from, range.to] as const,
    queryFn: () => fetchWeekFigures(range, timeZone),
  });

export const revenueByCountryOptions = (range: DayRange, timeZone: string) =>
  queryOptions({
    queryKey: ['dashboard', 'countries', timeZone, range.from, range.to] as const,
    queryFn: () => fetchRevenueByCountry(range, timeZone),
  });

export const weeklyGrowthOptions = (range: DayRange, timeZone: string) =>
  queryOptions({
    queryKey: ['dashboard', 'growth', timeZone, range.from, range.to] as const,
    queryFn: () => fetchWeeklyGrowth(range, timeZone),
  });

export const atRiskOptions = () => queryOptions({ queryKey: ['dashboard', 'at-risk'] as const, queryFn: fetchAtRisk });
