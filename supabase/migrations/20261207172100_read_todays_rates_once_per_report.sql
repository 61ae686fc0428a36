-- Faster reports: today's rates read once per report, the segment report in one pass (issue 13)
--
-- Owns: public.report_revenue_by_country and public.report_segments (below), restated whole from 20261207172000 (same signature,
-- answers and rules). It called private.rate_today(currency) for every purchase; each call read
-- workspace_settings and exchange_rates through their row-level security, so 12 months of
-- 100 000 orders ran into the API's 8 s statement timeout (`npm run bench:analytics -- --scale
-- 0.1`). Today's rate per currency is now one small set, joined by currency.

create or replace function public.report_revenue_by_country(from_day date, to_day date, timezone text default 'UTC')
returns table (country text, orders bigint, customers bigint, revenue numeric, revenue_at_today_rates numeric,
  fx_effect numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  return query
  with today as (
    -- The latest known rate of each currency (the base currency is 1).
    select distinct on (x.currency) x.currency, x.rate_to_base
    from public.exchange_rates x
    where x.rate_date <= current_date
    order by x.currency, x.rate_date desc
  ),
  base as (select w.base_currency from public.workspace_settings w),
  purchases as (
    select coalesce(o.shipping_country, c.country) as country, o.customer_id, o.net_total_base,
      -- Today's rate where one is known, else the order's own (no effect rather than a guess).
      round((o.total - o.refunded_total) * coalesce(
        case when o.currency = (select b.base_currency from base b) then 1 end, t.rate_to_base, o.exchange_rate), 2) as at_today
    from public.orders o
    left join public.customers c on c.id = o.customer_id
    left join today t on t.currency = o.currency
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
  )
  select p.country, count(*), count(distinct p.customer_id), sum(p.net_total_base), sum(p.at_today),
    sum(p.net_total_base) - sum(p.at_today), round(sum(p.net_total_base) / count(*), 2)
  from purchases p
  group by p.country
  order by 4 desc, 1;
end;
$$;
comment on function public.report_revenue_by_country(date, date, text) is 'Purchases per country (shipping country, else the customer''s) in the base currency at each order''s own rate (revenue), at today''s rates (revenue_at_today_rates, for orders whose currency has a known rate) and the difference (fx_effect = revenue − at today''s rates), with orders, customers and AOV.';
revoke execute on function public.report_revenue_by_country(date, date, text) from public, anon;
grant execute on function public.report_revenue_by_country(date, date, text) to authenticated, service_role;

-- The segment report, restated whole from 20261207172000 (same signature and answers): one pass
-- over the history, and the range's purchases summed per customer once and then per segment,
-- instead of five correlated subqueries per segment (4.2 s for 20 segments at --scale 0.1; joining
-- memberships to every order still took 1.9 s, summing per customer first about 0.45 s).
create or replace function public.report_segments(from_day date, to_day date, timezone text default 'UTC')
returns table (segment_id uuid, name text, members_at_start integer, members_at_end integer, joined integer, "left" integer,
  revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  return query
  with history as (
    select e.segment_id,
      sum(case when e.occurred_at < r.starts then case e.event when 'joined' then 1 else -1 end else 0 end) as at_start,
      sum(case e.event when 'joined' then 1 else -1 end) as at_end,
      count(*) filter (where e.event = 'joined' and e.occurred_at >= r.starts) as came,
      count(*) filter (where e.event = 'left' and e.occurred_at >= r.starts) as went
    from public.segment_membership_events e
    where e.occurred_at < r.ends
    group by e.segment_id
  ),
  bought as (
    -- Each customer's purchases in the range, summed once (not once per segment they are in).
    select o.customer_id, sum(o.net_total_base) as revenue
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
    group by o.customer_id
  ),
  spend as (
    select m.segment_id, sum(b.revenue) as revenue
    from public.segment_memberships m
    join bought b on b.customer_id = m.customer_id
    group by m.segment_id
  )
  select s.id, s.name, coalesce(h.at_start, 0)::integer, coalesce(h.at_end, 0)::integer, coalesce(h.came, 0)::integer,
    coalesce(h.went, 0)::integer, coalesce(p.revenue, 0)
  from public.segments s
  left join history h on h.segment_id = s.id
  left join spend p on p.segment_id = s.id
  order by 4 desc, 2;
end;
$$;
comment on function public.report_segments(date, date, text) is 'Each segment the caller may read: members at the start and end of the range and the joins and leaves in it (from the history), and the revenue of its current members in the range — all as the caller may see the customers.';
revoke execute on function public.report_segments(date, date, text) from public, anon;
grant execute on function public.report_segments(date, date, text) to authenticated, service_role;
