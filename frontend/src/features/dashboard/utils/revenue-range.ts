import { addDays, format, parseISO } from 'date-fns';

import { isoDateIn } from '@/lib/dates.ts';

import type { RevenueDay, RevenueRange } from '../api/dashboard.ts';

export const RANGE_DAYS = [30, 90, 365] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

/** The range in the URL (`?range=90`), or 30 days when absent or not one we offer. */
export function parseRangeDays(value: string | null): RangeDays {
  const days = Number(value);
  return (RANGE_DAYS as readonly number[]).includes(days) ? (days as RangeDays) : 30;
}

/**
 * The last `days` calendar days up to today, today being the viewer's (in Tokyo the 6th can
 * start while London is still on the 5th). Calendar arithmetic only: no instant is involved.
 */
export function lastDays(days: RangeDays, timeZone: string, now: Date = new Date()): RevenueRange {
  const to = isoDateIn(now, timeZone);
  const from = format(addDays(parseISO(to), -(days - 1)), 'yyyy-MM-dd');
  return { from, to, timeZone };
}

export interface RevenueSummary {
  revenue: number;
  orders: number;
  /** The day with the most revenue, or null when no day had any. */
  bestDay: RevenueDay | null;
}

/** Totals of the days on screen, for the text that stands in for the chart. */
export function summarise(days: RevenueDay[]): RevenueSummary {
  let revenue = 0;
  let orders = 0;
  let bestDay: RevenueDay | null = null;
  for (const day of days) {
    revenue += Number(day.revenue);
    orders += Number(day.orders);
    if (Number(day.revenue) > 0 && (!bestDay || Number(day.revenue) > Number(bestDay.revenue))) bestDay = day;
  }
  // Sums of two-decimal amounts drift in binary floating point; money is shown to the cent.
  return { revenue: Math.round(revenue * 100) / 100, orders, bestDay };
}
