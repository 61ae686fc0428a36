import { useQuery } from '@tanstack/react-query';

import { dashboardKpisOptions, revenueByDayOptions, type RevenueRange } from '../api/dashboard.ts';

export function useDashboardKpis(timeZone: string) {
  return useQuery(dashboardKpisOptions(timeZone));
}

export function useRevenueByDay(range: RevenueRange) {
  return useQuery(revenueByDayOptions(range));
}
