import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { dashboardKeys, fetchDashboardKpis, fetchRevenueByDay, type RevenueRange } from '../api/dashboard.ts';

export function useDashboardKpis(timeZone: string) {
  return useQuery({ queryKey: dashboardKeys.kpis(timeZone), queryFn: () => fetchDashboardKpis(timeZone) });
}

/**
 * The revenue series for a range. While another range loads, the previous one stays on screen
 * (marked as updating) so the chart does not collapse into a skeleton at every click.
 */
export function useRevenueByDay(range: RevenueRange) {
  return useQuery({
    queryKey: dashboardKeys.revenue(range),
    queryFn: () => fetchRevenueByDay(range),
    placeholderData: keepPreviousData,
  });
}
