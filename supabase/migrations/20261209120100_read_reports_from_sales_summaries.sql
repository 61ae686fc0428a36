-- Revenue by period, seasonality and product/brand performance read the sales summaries (issue 13)
--
-- Owns: public.report_revenue_by_period, public.report_revenue_seasonality and
-- public.report_top_products, restated whole from 20261207172000 (same signatures, rules and
-- answers — the summaries hold exactly what the orders hold, see 20261209120000):
--   - revenue by period and seasonality sum private.sales_by_quarter_hour, grouped by the local
--     day of each quarter-hour, when private.days_on_quarter_hours says every local day of the
--     range is made of whole UTC quarter-hours; otherwise (a zone whose offset in the range is not
--     a whole quarter-hour, e.g. local mean time in the 19th century) they read the orders as before;
--   - product and brand performance take brands' sales from private.brand_sales (whole UTC days
--     from the summary, the range's edges from the rows: exact in every zone), and the favourites
--     of both groupings from private.favourites_by_variant instead of every favourite; products'
--     sales are read from the rows as before.
-- Still security invoker: the range check and the catalogue are read as the caller; the readers
-- apply the orders' own rule for who sees which customers' sales.

create or replace function public.report_revenue_by_period(from_day date, to_day date, timezone text default 'UTC', grain text default 'month')
returns table (period date, orders bigint, revenue numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_revenue_by_period.timezone;
  r record := private.report_range(from_day, to_day, report_revenue_by_period.timezone);
  g text := private.report_grain(grain);
begin
  if private.days_on_quarter_hours(from_day, to_day, zone) then
    return query
    select date_trunc(g, s.bucket at time zone zone)::date, sum(s.orders)::bigint, sum(s.revenue),
      round(sum(s.revenue) / sum(s.orders), 2)
    from private.sales_by_quarter_hour(r.starts, r.ends) s
    group by 1
    order by 1;
    return;
  end if;
  return query
  select date_trunc(g, o.placed_at at time zone zone)::date, count(*), sum(o.net_total_base),
    round(sum(o.net_total_base) / count(*), 2)
  from public.orders o
  where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
  group by 1
  order by 1;
end;
$$;
comment on function public.report_revenue_by_period(date, date, text, text) is 'Purchases, revenue (base currency) and average order value per period: the AOV trend. Read from the quarter-hour sales summary when the zone''s days are whole quarter-hours, else from the orders.';

create or replace function public.report_revenue_seasonality(from_day date, to_day date, timezone text default 'UTC')
returns table (dimension text, bucket integer, orders bigint, revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_revenue_seasonality.timezone;
  r record := private.report_range(from_day, to_day, report_revenue_seasonality.timezone);
begin
  if private.days_on_quarter_hours(from_day, to_day, zone) then
    return query
    with days as (
      -- One row per local day first: the weekday and the month are the day's.
      select (s.bucket at time zone zone)::date as local_day, sum(s.orders) as n, sum(s.revenue) as revenue
      from private.sales_by_quarter_hour(r.starts, r.ends) s
      group by 1
    )
    select 'weekday', extract(isodow from d.local_day)::integer, sum(d.n)::bigint, sum(d.revenue) from days d group by 2
    union all
    select 'month', extract(month from d.local_day)::integer, sum(d.n)::bigint, sum(d.revenue) from days d group by 2
    order by 1 desc, 2;
    return;
  end if;
  return query
  with purchases as (
    select o.placed_at at time zone zone as local_time, o.net_total_base
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
  )
  select 'weekday', extract(isodow from p.local_time)::integer, count(*), sum(p.net_total_base) from purchases p group by 2
  union all
  select 'month', extract(month from p.local_time)::integer, count(*), sum(p.net_total_base) from purchases p group by 2
  order by 1 desc, 2;
end;
$$;
comment on function public.report_revenue_seasonality(date, date, text) is 'Purchases and revenue by weekday (1 Monday … 7 Sunday) and by month (1–12), in the zone. Read from the quarter-hour sales summary when the zone''s days are whole quarter-hours, else from the orders.';

create or replace function public.report_top_products(from_day date, to_day date, timezone text default 'UTC',
  group_by text default 'product', row_limit integer default 20)
returns table (key text, label text, units bigint, revenue numeric, orders bigint, refund_rate numeric,
  favourites bigint, out_of_stock_favourites bigint)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  if group_by is null or group_by not in ('product', 'brand') then
    raise exception 'group_by must be product or brand' using errcode = '22023';
  end if;
  if row_limit is null or row_limit not between 1 and 500 then
    raise exception 'row_limit must be between 1 and 500' using errcode = '22023';
  end if;
  return query
  with sales as (
    select b.brand as key, b.brand as label, sum(b.units)::bigint as units, sum(b.revenue) as revenue,
      sum(b.orders)::bigint as orders, round(sum(b.refunded_orders)::numeric / sum(b.orders), 4) as refund_rate
    from private.brand_sales(r.starts, r.ends) b
    where group_by = 'brand'
    group by b.brand
    union all
    select s.key, min(s.label), sum(s.quantity)::bigint, sum(s.revenue_base), count(distinct s.order_id),
      round(count(distinct s.order_id) filter (where s.refunded)::numeric / count(distinct s.order_id), 4)
    from (
      select coalesce(i.product_id::text, 'title:' || i.title) as key, i.title as label, i.quantity,
        round(i.total * o.exchange_rate, 2) as revenue_base, o.id as order_id, o.refunded_total > 0 as refunded
      from public.order_items i
      join public.orders o on o.id = i.order_id
      where group_by = 'product' and o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
    ) s
    group by s.key
  ),
  liked as (
    select case when group_by = 'product' then p.id::text else coalesce(nullif(p.vendor, ''), '—') end as key,
      sum(f.favourites)::bigint as favourites,
      coalesce(sum(f.favourites) filter (where v.inventory_quantity is not null and v.inventory_quantity <= 0), 0)::bigint as out_of_stock
    from private.favourites_by_variant() f
    join public.product_variants v on v.id = f.variant_id
    join public.products p on p.id = v.product_id
    group by 1
  )
  select s.key, s.label, s.units, s.revenue, s.orders, s.refund_rate, coalesce(l.favourites, 0), coalesce(l.out_of_stock, 0)
  from sales s left join liked l on l.key = s.key
  order by s.revenue desc, s.key
  limit row_limit;
end;
$$;
comment on function public.report_top_products(date, date, text, text, integer) is 'Products (or brands: the line item''s vendor) by revenue in the range (base currency at the order''s rate): units, orders, refund rate (share of their orders with a refund), favourites now and favourites of out-of-stock variants (lost demand). Brands'' sales and all favourites are read from the sales summaries.';
