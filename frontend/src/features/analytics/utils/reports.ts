/**
 * The analytics reports as the screen shows them: which SQL function answers each
 * (docs/database.md, "Analytics reports"), its columns, and the arithmetic around it (the
 * comparison period, totals, the CSV file). The numbers themselves come from the database.
 */

/** `country`: an ISO code, shown as the country's name in the viewer's language (the CSV keeps the code). */
export type ColumnFormat = 'text' | 'number' | 'money' | 'percent' | 'date' | 'month' | 'country';

export interface ReportColumn {
  key: string;
  format: ColumnFormat;
}

export interface ReportDefinition {
  key: ReportKey;
  fn: string;
  /** Whether the report reads a date range (the churn list and workload are "now"). */
  ranged: boolean;
  columns: ReportColumn[];
  /** The column summed for the text summary and the comparison. */
  total?: string;
  /** Extra arguments for the function. */
  extra?: (options: ReportOptions) => Record<string, unknown>;
}

export interface ReportOptions {
  /** Revenue by country: show today's rates beside the order-day rates. */
  todayRates: boolean;
  /** Top products: by product or by brand. */
  productsBy: 'product' | 'brand';
  /** Geography: by country, or by country and region. */
  geographyBy: 'country' | 'region';
}

export const REPORT_KEYS = [
  'growth',
  'geography',
  'revenue',
  'trend',
  'topCustomers',
  'products',
  'segments',
  'segmentSizes',
  'activity',
  'workload',
  'churn',
  'cohorts',
  'alerts',
  'campaigns',
] as const;
export type ReportKey = (typeof REPORT_KEYS)[number];

const c = (key: string, format: ColumnFormat = 'number'): ReportColumn => ({ key, format });

export const REPORTS: Record<ReportKey, ReportDefinition> = {
  growth: {
    key: 'growth',
    fn: 'report_customer_growth',
    ranged: true,
    columns: [c('period', 'month'), c('country', 'country'), c('new_customers')],
    total: 'new_customers',
    extra: () => ({ grain: 'month' }),
  },
  geography: {
    key: 'geography',
    fn: 'report_customer_geography',
    ranged: true,
    columns: [
      c('country', 'country'),
      c('region', 'text'),
      c('customers'),
      c('new_customers'),
      c('buyers'),
      c('revenue', 'money'),
    ],
    total: 'customers',
    extra: (options) => ({ by: options.geographyBy }),
  },
  revenue: {
    key: 'revenue',
    fn: 'report_revenue_by_country',
    ranged: true,
    columns: [
      c('country', 'country'),
      c('orders'),
      c('customers'),
      c('revenue', 'money'),
      c('revenue_at_today_rates', 'money'),
      c('fx_effect', 'money'),
      c('average_order_value', 'money'),
    ],
    total: 'revenue',
  },
  trend: {
    key: 'trend',
    fn: 'report_revenue_by_period',
    ranged: true,
    columns: [c('period', 'month'), c('orders'), c('revenue', 'money'), c('average_order_value', 'money')],
    total: 'revenue',
    extra: () => ({ grain: 'month' }),
  },
  topCustomers: {
    key: 'topCustomers',
    fn: 'report_top_customers',
    ranged: true,
    columns: [
      c('full_name', 'text'),
      c('country', 'country'),
      c('orders'),
      c('revenue', 'money'),
      c('lifetime_value', 'money'),
    ],
    total: 'revenue',
    extra: () => ({ rank_by: 'revenue', row_limit: 50 }),
  },
  products: {
    key: 'products',
    fn: 'report_top_products',
    ranged: true,
    columns: [
      c('label', 'text'),
      c('units'),
      c('orders'),
      c('revenue', 'money'),
      c('refund_rate', 'percent'),
      c('favourites'),
      c('out_of_stock_favourites'),
    ],
    total: 'revenue',
    extra: (options) => ({ group_by: options.productsBy, row_limit: 50 }),
  },
  segments: {
    key: 'segments',
    fn: 'report_segments',
    ranged: true,
    columns: [
      c('name', 'text'),
      c('members_at_start'),
      c('members_at_end'),
      c('joined'),
      c('left'),
      c('revenue', 'money'),
    ],
    total: 'revenue',
  },
  segmentSizes: {
    key: 'segmentSizes',
    fn: 'report_segment_sizes',
    ranged: true,
    columns: [c('period', 'date'), c('name', 'text'), c('members'), c('joined'), c('left')],
    extra: () => ({ grain: 'week' }),
  },
  activity: {
    key: 'activity',
    fn: 'report_activity',
    ranged: true,
    columns: [
      c('week', 'date'),
      c('member_name', 'text'),
      c('notes'),
      c('calls'),
      c('meetings'),
      c('tasks'),
      c('emails'),
    ],
    total: 'notes',
  },
  workload: {
    key: 'workload',
    fn: 'report_workload',
    ranged: false,
    columns: [c('member_name', 'text'), c('customers_owned'), c('open_tasks'), c('overdue_tasks')],
    total: 'customers_owned',
  },
  churn: {
    key: 'churn',
    fn: 'report_churn',
    ranged: false,
    columns: [
      c('full_name', 'text'),
      c('churn_risk', 'text'),
      c('lifetime_value', 'money'),
      c('days_since_last_order'),
      c('churn_summary', 'text'),
    ],
    total: 'lifetime_value',
    extra: () => ({ min_risk: 'medium', row_limit: 100 }),
  },
  cohorts: {
    key: 'cohorts',
    fn: 'report_cohorts',
    ranged: true,
    columns: [
      c('cohort', 'month'),
      c('cohort_customers'),
      c('month_offset'),
      c('active_customers'),
      c('retention', 'percent'),
      c('revenue', 'money'),
    ],
    total: 'revenue',
  },
  alerts: {
    key: 'alerts',
    fn: 'report_alert_performance',
    ranged: true,
    columns: [
      c('label', 'text'),
      c('sent'),
      c('opened'),
      c('clicked'),
      c('attributed_orders'),
      c('attributed_revenue', 'money'),
    ],
    total: 'attributed_revenue',
    extra: () => ({ group_by: 'kind', attribution_days: 7 }),
  },
  // Issue 16: its labels live in the campaigns namespace (reports.campaigns, columns.campaign,
  // columns.delivered), which the screen reads as a fallback of analytics.
  campaigns: {
    key: 'campaigns',
    fn: 'report_campaign_performance',
    ranged: true,
    columns: [
      c('campaign', 'text'),
      c('sent'),
      c('delivered'),
      c('opened'),
      c('clicked'),
      c('attributed_orders'),
      c('attributed_revenue', 'money'),
    ],
    total: 'attributed_revenue',
  },
};

export interface DayRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The period of the same length just before the range: what "compared with" means. */
export function previousRange(range: DayRange): DayRange {
  const length = (msOf(range.to) - msOf(range.from)) / DAY + 1;
  return { from: toDay(msOf(range.from) - length * DAY), to: toDay(msOf(range.from) - DAY) };
}

/** The last twelve months up to today (a day in the viewer's zone). */
export function lastTwelveMonths(today: string): DayRange {
  const date = new Date(msOf(today));
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  return { from: toDay(date.getTime() + DAY), to: today };
}

/** What the browser can say before asking: the database refuses the same with a sentence. */
export function rangeProblem(range: DayRange): 'missing' | 'backwards' | 'tooLong' | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to)) return 'missing';
  if (range.to < range.from) return 'backwards';
  const limit = new Date(msOf(range.from));
  limit.setUTCFullYear(limit.getUTCFullYear() + 5);
  return msOf(range.to) > limit.getTime() ? 'tooLong' : null;
}

/** Months covered by a range (for the cohort table), 1–60. */
export function monthsIn(range: DayRange): number {
  const [fy, fm] = range.from.split('-').map(Number);
  const [ty, tm] = range.to.split('-').map(Number);
  return Math.min(60, Math.max(1, ((ty ?? 0) - (fy ?? 0)) * 12 + (tm ?? 0) - (fm ?? 0) + 1));
}

export function sumOf(rows: Array<Record<string, unknown>>, column: string): number {
  return rows.reduce((sum, row) => sum + (Number(row[column]) || 0), 0);
}

/** One CSV cell: RFC 4180 quoting, and a leading apostrophe on anything a spreadsheet would run. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  if (/^\s*[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  if (/[",\r\n]|^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function toCsv(headers: string[], rows: unknown[][]): string {
  return [headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
