-- Revenue by country and cohorts: each customer's purchases summed once by hashing (issue 13)
--
-- Owns: public.report_revenue_by_country (restated whole from 20261207172100) and
-- public.report_cohorts (restated whole from 20261207172000): same signatures, rows, order,
-- refusals and grants.
--
-- Both counted distinct customers over every order row (count(distinct …) sorts its input: a year
-- of orders spilled to disk at the API's 4 MB work_mem). They now sum each customer's purchases
-- first (by shipping country, resp. by month in the zone) in one hash aggregate, then count the
-- customers. Revenue by country also takes an order in the base currency at rate 1 without the
-- multiplication and rounding (round(x × 1, 2) = x for two-decimal totals), and still rounds every
-- other order at today's rate on its own. Same rows as before (compared on the bench's data for
-- the admin and the busiest agent, and by supabase/tests/database/reports.test.ts); about a
-- quarter faster for the admin at --scale 0.1 — they still read every order of the range: see
-- docs/benchmarks.md for what would make them hold at --scale 1. For an agent both add their own
-- id as a plain condition (the policies' OR of roles cannot use an index; orders_customer_owner_idx
-- and customers_owner_idx can) and run with EXECUTE, so each call is planned with its values.

create or replace function public.report_revenue_by_country(from_day date, to_day date, timezone text default 'UTC')
returns table (country text, orders bigint, customers bigint, revenue numeric, revenue_at_today_rates numeric,
  fx_effect numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
  -- An agent's reach as a value: the orders' policy (an OR of the caller's roles) cannot use an
  -- index, the same condition on the agent's id can (orders_customer_owner_idx). The query is run
  -- with EXECUTE, so it is planned with the values, for an agent and for everyone else.
  agent uuid := (select x.agent_id from private.sees_owner_rows() x);
begin
  return query execute $q$
  with today as (
    -- The latest known rate of each currency (the base currency is 1).
    select distinct on (x.currency) x.currency, x.rate_to_base
    from public.exchange_rates x
    where x.rate_date <= current_date
    order by x.currency, x.rate_date desc
  ),
  base as (select w.base_currency from public.workspace_settings w),
  per_customer as (
    -- Each customer's purchases per shipping country (and guests' per country), summed once by
    -- hashing: the customer's own country is looked up once per customer, not once per order.
    select o.customer_id, o.shipping_country, count(*) as orders, sum(o.net_total_base) as revenue,
      -- Today's rate where one is known, else the order's own (no effect rather than a guess),
      -- rounded per order.
      -- (an order in the base currency is at rate 1: its net total as it is).
      coalesce(sum(o.total - o.refunded_total) filter (where o.currency = (select b.base_currency from base b)), 0)
        + coalesce(sum(round((o.total - o.refunded_total) * coalesce(t.rate_to_base, o.exchange_rate), 2))
            filter (where o.currency is distinct from (select b.base_currency from base b)), 0) as at_today
    from public.orders o
    left join today t on t.currency = o.currency
    where o.counts_as_purchase and o.placed_at >= $1 and o.placed_at < $2
      and ($3::uuid is null or o.customer_owner_id = $3::uuid)
    group by 1, 2
  ),
  per_country as (
    -- The shipping country, else the customer's; a customer counted once per country.
    select coalesce(p.shipping_country, c.country) as country, p.customer_id, sum(p.orders) as orders,
      sum(p.revenue) as revenue, sum(p.at_today) as at_today
    from per_customer p
    left join public.customers c on c.id = p.customer_id
    group by 1, 2
  )
  select p.country, sum(p.orders)::bigint, count(p.customer_id), sum(p.revenue), sum(p.at_today),
    sum(p.revenue) - sum(p.at_today), round(sum(p.revenue) / sum(p.orders), 2)
  from per_country p
  group by p.country
  order by 4 desc, 1
  $q$ using r.starts, r.ends, agent;
end;
$$;
comment on function public.report_revenue_by_country(date, date, text) is 'Purchases per country (shipping country, else the customer''s) in the base currency at each order''s own rate (revenue), at today''s rates (revenue_at_today_rates, for orders whose currency has a known rate) and the difference (fx_effect = revenue − at today''s rates), with orders, customers and AOV.';
revoke execute on function public.report_revenue_by_country(date, date, text) from public, anon;
grant execute on function public.report_revenue_by_country(date, date, text) to authenticated, service_role;

create or replace function public.report_cohorts(from_month date, months integer default 12, timezone text default 'UTC')
returns table (cohort date, cohort_customers bigint, month_offset integer, active_customers bigint, retention numeric,
  revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_cohorts.timezone;
  first_month date := date_trunc('month', from_month)::date;
  r record;
  -- An agent's reach as a value, for the indexes (see report_revenue_by_country).
  agent uuid := (select x.agent_id from private.sees_owner_rows() x);
begin
  if months is null or months not between 1 and 60 then
    raise exception 'a cohort table covers 1 to 60 months' using errcode = '22023';
  end if;
  r := private.report_range(first_month, ((first_month + make_interval(months => months))::date - 1), report_cohorts.timezone);
  return query execute $q$
  with members as (
    select c.id, date_trunc('month', c.first_order_at at time zone $3)::date as cohort
    from public.customers c
    where c.first_order_at >= $1 and c.first_order_at < $2 and ($4::uuid is null or c.owner_id = $4::uuid)
  ),
  sizes as (select m.cohort, count(*) as n from members m group by 1),
  monthly as (
    -- Each member's purchases per month in the zone, summed once (a customer is active in a month
    -- once, so the cohort's active buyers are these rows counted).
    select o.customer_id, date_trunc('month', o.placed_at at time zone $3)::date as month, sum(o.net_total_base) as revenue
    from public.orders o
    where o.counts_as_purchase and o.placed_at < $2 and o.customer_id in (select m.id from members m)
      and ($4::uuid is null or o.customer_owner_id = $4::uuid)
    group by 1, 2
  ),
  activity as (
    select m.cohort,
      ((extract(year from p.month) - extract(year from m.cohort)) * 12
        + extract(month from p.month) - extract(month from m.cohort))::integer as month_offset,
      count(*) as active, sum(p.revenue) as revenue
    from monthly p join members m on m.id = p.customer_id
    group by 1, 2
  )
  select a.cohort, s.n, a.month_offset, a.active, round(a.active::numeric / s.n, 4), a.revenue
  from activity a join sizes s on s.cohort = a.cohort
  order by 1, 3
  $q$ using r.starts, r.ends, zone, agent;
end;
$$;
comment on function public.report_cohorts(date, integer, text) is 'Monthly acquisition cohorts (month of the first purchase, in the zone) from from_month over months (1–60) × months since the first purchase: active buyers, retention (active ÷ cohort size) and revenue, up to the end of the range.';
revoke execute on function public.report_cohorts(date, integer, text) from public, anon;
grant execute on function public.report_cohorts(date, integer, text) to authenticated, service_role;
