/**
 * What the report tests share: rows with numeric strings as numbers, a report range as
 * private.report_range computes it, and the earlier definitions of revenue by country and cohorts
 * over the raw rows (20261210130100, the same answers as 20261207172000 / 20261207172100), which the
 * summaries and arrays that replaced them must equal.
 */

export type Row = Record<string, unknown>;

/** Rows with every numeric-looking value as a number (node-pg returns numerics as strings). */
export const normal = (rows: Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value,
      ]),
    ),
  );

/** The range's instants in a zone, as private.report_range computes them ($1 zone, $2 from, $3 to). */
export const IN_RANGE = (column: string) =>
  `${column} >= $2::date::timestamp at time zone $1 and ${column} < ($3::date + 1)::timestamp at time zone $1`;

/** Revenue by country and cohorts by their definitions over the raw rows, with $4 the agent (null: all). */
export const RAW_REPORTS = {
  country: `
    with today as (
      select distinct on (x.currency) x.currency, x.rate_to_base from public.exchange_rates x
      where x.rate_date <= current_date order by x.currency, x.rate_date desc
    ),
    base as (select w.base_currency from public.workspace_settings w),
    purchases as (
      select coalesce(o.shipping_country, c.country) as country, o.customer_id, o.net_total_base,
        round((o.total - o.refunded_total) * coalesce(
          case when o.currency = (select b.base_currency from base b) then 1 end, t.rate_to_base, o.exchange_rate), 2) as at_today
      from public.orders o
      left join public.customers c on c.id = o.customer_id
      left join today t on t.currency = o.currency
      where o.counts_as_purchase and ${IN_RANGE('o.placed_at')} and ($4::uuid is null or o.customer_owner_id = $4::uuid)
    )
    select coalesce(jsonb_agg(to_jsonb(x) order by x.revenue desc, x.country), '[]') as rows from (
      select p.country, count(*) as orders, count(distinct p.customer_id) as customers, sum(p.net_total_base) as revenue,
        sum(p.at_today) as revenue_at_today_rates, sum(p.net_total_base) - sum(p.at_today) as fx_effect,
        round(sum(p.net_total_base) / count(*), 2) as average_order_value
      from purchases p group by p.country) x`,
  cohorts: `
    with members as (
      select c.id, date_trunc('month', c.first_order_at at time zone $1)::date as cohort from public.customers c
      where ${IN_RANGE('c.first_order_at')} and ($4::uuid is null or c.owner_id = $4::uuid)
    ),
    sizes as (select m.cohort, count(*) as n from members m group by 1),
    activity as (
      select m.cohort,
        ((extract(year from o.placed_at at time zone $1) - extract(year from m.cohort)) * 12
          + extract(month from o.placed_at at time zone $1) - extract(month from m.cohort))::integer as month_offset,
        count(distinct m.id) as active, sum(o.net_total_base) as revenue
      from members m join public.orders o on o.customer_id = m.id
      where o.counts_as_purchase and o.placed_at < ($3::date + 1)::timestamp at time zone $1
        and ($4::uuid is null or o.customer_owner_id = $4::uuid)
      group by 1, 2
    )
    select coalesce(jsonb_agg(to_jsonb(x) order by x.cohort, x.month_offset), '[]') as rows from (
      select a.cohort, s.n as cohort_customers, a.month_offset, a.active as active_customers,
        round(a.active::numeric / s.n, 4) as retention, a.revenue
      from activity a join sizes s on s.cohort = a.cohort) x`,
};
