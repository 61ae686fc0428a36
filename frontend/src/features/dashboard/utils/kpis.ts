import type { DashboardKpis } from '../api/dashboard.ts';

export type KpiId = 'customers' | 'newCustomers' | 'revenue' | 'orders' | 'averageOrderValue';

/** What a card's figure is compared with: last month, or (for the customer total) the 1st of this month. */
export type Baseline = 'lastMonth' | 'startOfMonth';

export interface Kpi {
  id: KpiId;
  value: number;
  kind: 'count' | 'money';
  baseline: Baseline;
  /** The figure for the baseline period; null when there is nothing to compare with. */
  previous: number | null;
  /** (value − previous) / previous; null when the previous figure is zero or missing. */
  change: number | null;
}

export function relativeChange(value: number, previous: number | null): number | null {
  if (previous === null || previous === 0) return null;
  return (value - previous) / previous;
}

function kpi(id: KpiId, kind: Kpi['kind'], value: number, previous: number | null, baseline: Baseline = 'lastMonth') {
  return { id, kind, value, previous, baseline, change: relativeChange(value, previous) };
}

/**
 * The five cards from one dashboard_kpis() row. Every sum and count comes from SQL; only the
 * ratios between two of its figures are taken here.
 */
export function toKpis(row: DashboardKpis): Kpi[] {
  // PostgREST sends bigint and numeric as JSON numbers; Number() guards a driver that sends strings.
  const customers = Number(row.customers);
  const newThisMonth = Number(row.new_customers_this_month);
  const ordersLastMonth = Number(row.orders_last_month);
  const revenueLastMonth = Number(row.revenue_last_month);
  const averageLastMonth = ordersLastMonth > 0 ? revenueLastMonth / ordersLastMonth : null;
  return [
    // The total has no "last month" of its own: it is compared with itself on the 1st of the month.
    kpi('customers', 'count', customers, customers - newThisMonth, 'startOfMonth'),
    kpi('newCustomers', 'count', newThisMonth, Number(row.new_customers_last_month)),
    kpi('revenue', 'money', Number(row.revenue_this_month), revenueLastMonth),
    kpi('orders', 'count', Number(row.orders_this_month), ordersLastMonth),
    kpi('averageOrderValue', 'money', Number(row.average_order_value_this_month), averageLastMonth),
  ];
}

/** A workspace with no customers and no orders this month or last: nothing worth charting yet. */
export function isEmptyWorkspace(row: DashboardKpis): boolean {
  return Number(row.customers) === 0 && Number(row.orders_this_month) === 0 && Number(row.orders_last_month) === 0;
}
