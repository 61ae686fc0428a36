-- Two more analytics reports (issue 13): where the customers are, and each segment's size over time
--
-- Owns:
--   report_customer_geography(from_day, to_day, timezone, by)  customers per country (or
--                              country and region) at the end of the range, those new in it,
--                              buyers and the revenue of the range: the geographic distribution,
--                              drawn as ranked bars (most customers first);
--   report_segment_sizes(from_day, to_day, timezone, grain)  each readable segment's members at
--                              the end of every period (day, week, month) of the range, with the
--                              joins and leaves in it, from the join/leave history: the
--                              segmentation report as a time series.
--
-- Both security invoker, through private.report_range like the other reports (issue 13's rules:
-- an agent's report is the admin's restricted to the agent's customers; 22023 for an impossible
-- range).

create function public.report_customer_geography(from_day date, to_day date, timezone text default 'UTC',
  by text default 'country')
returns table (country text, region text, customers bigint, new_customers bigint, buyers bigint, revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  if by is null or by not in ('country', 'region') then
    raise exception 'by must be country or region' using errcode = '22023';
  end if;
  return query
  with people as (
    select c.id, c.country, case when by = 'region' then c.region end as region, c.created_at
    from public.customers c
    where c.created_at < r.ends
  ),
  spend as (
    select o.customer_id, sum(o.net_total_base) as revenue
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
    group by 1
  )
  select p.country, p.region, count(*), count(*) filter (where p.created_at >= r.starts),
    count(s.customer_id), coalesce(sum(s.revenue), 0)
  from people p
  left join spend s on s.customer_id = p.id
  group by 1, 2
  order by 3 desc, 1 nulls last, 2 nulls last;
end;
$$;
comment on function public.report_customer_geography(date, date, text, text) is 'Where the customers are: per country (by = country) or country and region (by = region; null: unknown), the customers who had signed up by the end of the range, those new in it, the buyers in it and their revenue (base currency, net of refunds) — as the caller may see them, most customers first.';

create function public.report_segment_sizes(from_day date, to_day date, timezone text default 'UTC',
  grain text default 'week')
returns table (period date, segment_id uuid, name text, members integer, joined integer, "left" integer)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_segment_sizes.timezone;
  r record := private.report_range(from_day, to_day, report_segment_sizes.timezone);
  g text := private.report_grain(grain);
begin
  return query
  with periods as (
    select p::date as period,
      -- The period's end instant, clipped to the range's end.
      least((p + ('1 ' || g)::interval)::timestamp at time zone zone, r.ends) as ends,
      greatest(p::timestamp at time zone zone, r.starts) as starts
    from generate_series(date_trunc(g, from_day::timestamp), to_day::timestamp, ('1 ' || g)::interval) p
  ),
  before as (
    select e.segment_id, sum(case e.event when 'joined' then 1 else -1 end)::integer as n
    from public.segment_membership_events e
    where e.occurred_at < r.starts
    group by 1
  ),
  moves as (
    select e.segment_id, date_trunc(g, e.occurred_at at time zone zone)::date as period,
      count(*) filter (where e.event = 'joined')::integer as joined,
      count(*) filter (where e.event = 'left')::integer as gone
    from public.segment_membership_events e
    where e.occurred_at >= r.starts and e.occurred_at < r.ends
    group by 1, 2
  )
  select p.period, s.id, s.name,
    (coalesce(b.n, 0) + coalesce(sum(coalesce(m2.joined, 0) - coalesce(m2.gone, 0))
      over (partition by s.id order by p.period), 0))::integer,
    coalesce(m2.joined, 0), coalesce(m2.gone, 0)
  from public.segments s
  cross join periods p
  left join before b on b.segment_id = s.id
  left join moves m2 on m2.segment_id = s.id and m2.period = p.period
  order by 1, 4 desc, 3;
end;
$$;
comment on function public.report_segment_sizes(date, date, text, text) is 'Each segment the caller may read, per period (day, week or month in the zone) of the range: members at the end of the period, joins and leaves in it — from the join/leave history as the caller may see the customers.';

revoke execute on function public.report_customer_geography(date, date, text, text) from public, anon;
grant execute on function public.report_customer_geography(date, date, text, text) to authenticated, service_role;
revoke execute on function public.report_segment_sizes(date, date, text, text) from public, anon;
grant execute on function public.report_segment_sizes(date, date, text, text) to authenticated, service_role;
