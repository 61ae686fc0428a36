-- The analytics reports (issue 13): one SQL function per report, read as the caller
--
-- Owns private.report_range (the one check of a report's range) and the report functions:
--   report_customer_growth     new customers per period and country;
--   report_revenue_by_country  revenue per country in the base currency at each order's own
--                              rate, beside the same revenue at today's rates and the FX effect;
--   report_revenue_by_period   revenue, orders and average order value per period (AOV trend),
--   report_revenue_seasonality by weekday and by month;
--   report_top_customers       by revenue or by orders in the range;
--   report_top_products        products or brands: revenue, units, refund rate, favourites and
--                              out-of-stock favourites (lost demand);
--   report_segments            size at both ends of the range and revenue of each segment;
--   report_activity            notes, calls, meetings, tasks, emails per member and week, and
--   report_workload            customers owned and open tasks per member;
--   report_churn               the at-risk customers by value, with their reasons;
--   report_cohorts             monthly acquisition cohorts × months since the first order;
--   report_alert_performance   alerts sent, opened, clicked and revenue within N days of a click.
--
-- All are security invoker: they read orders, customers, activities… through the caller's
-- row-level security, so an agent's report is exactly the admin's restricted to the agent's
-- customers (tested report by report). Days are the viewer's (the timezone argument); a range
-- that ends before it starts, spans more than 5 years or names an unknown zone is refused with
-- 22023 and a sentence. The zone is read through a local `zone` (customers has a column named
-- timezone, which would win over the parameter). Purchases are orders that count (orders.counts_as_purchase), net of
-- refunds, in the base currency at the order's rate.

create function private.report_range(from_day date, to_day date, timezone text, out starts timestamptz, out ends timestamptz)
language plpgsql stable set search_path = '' as $$
begin
  if not (select private.is_team_member()) and coalesce((select auth.role()), 'service_role') <> 'service_role' then
    raise exception 'only team members read reports' using errcode = '42501';
  end if;
  if timezone is null or not private.is_time_zone(timezone) then
    raise exception 'unknown time zone "%"', timezone using errcode = '22023', hint = 'Use an IANA name such as Europe/Madrid.';
  end if;
  if from_day is null or to_day is null then
    raise exception 'a report needs a start and an end day' using errcode = '22023';
  end if;
  if to_day < from_day then
    raise exception 'the range ends (%) before it starts (%)', to_day, from_day using errcode = '22023';
  end if;
  if to_day > (from_day + interval '5 years')::date then
    raise exception 'a report covers at most 5 years' using errcode = '22023';
  end if;
  starts := from_day::timestamp at time zone timezone;
  ends := (to_day + 1)::timestamp at time zone timezone;
end;
$$;
comment on function private.report_range(date, date, text) is 'The instants a report''s range of days covers in a zone (from the start of from_day to the end of to_day); refuses an unknown zone, a range ending before it starts or longer than 5 years (22023), and anyone but team members and the system (42501).';
revoke execute on function private.report_range(date, date, text) from public, anon;
grant execute on function private.report_range(date, date, text) to authenticated, service_role;

create function private.report_grain(grain text) returns text
language plpgsql immutable set search_path = '' as $$
begin
  if grain is null or grain not in ('day', 'week', 'month') then
    raise exception 'grain must be day, week or month' using errcode = '22023';
  end if;
  return grain;
end;
$$;
comment on function private.report_grain(text) is 'Checks a report''s period size: day, week (ISO, from Monday) or month.';
revoke execute on function private.report_grain(text) from public, anon;
grant execute on function private.report_grain(text) to authenticated, service_role;

-- ─── 1. Customer growth ──────────────────────────────────────────────────────────────────────

create function public.report_customer_growth(from_day date, to_day date, timezone text default 'UTC', grain text default 'month')
returns table (period date, country text, new_customers bigint)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_customer_growth.timezone;
  r record := private.report_range(from_day, to_day, report_customer_growth.timezone);
  g text := private.report_grain(grain);
begin
  return query
  select date_trunc(g, c.created_at at time zone zone)::date, c.country, count(*)
  from public.customers c
  where c.created_at >= r.starts and c.created_at < r.ends
  group by 1, 2
  order by 1, 3 desc, 2;
end;
$$;
comment on function public.report_customer_growth(date, date, text, text) is 'New customers per period (day, week, month in the zone) and country (null: unknown), as the caller may see them.';

-- ─── 2. Revenue ──────────────────────────────────────────────────────────────────────────────

create function private.rate_today(currency text) returns numeric
language sql stable set search_path = '' as $$
  select case when currency = (select w.base_currency from public.workspace_settings w) then 1 else (
    select x.rate_to_base from public.exchange_rates x
    where x.currency = rate_today.currency and x.rate_date <= current_date
    order by x.rate_date desc limit 1
  ) end
$$;
comment on function private.rate_today(text) is 'The latest known rate of a currency to the base currency (1 for the base currency itself; null when none is known).';
revoke execute on function private.rate_today(text) from public, anon;
grant execute on function private.rate_today(text) to authenticated, service_role;

create function public.report_revenue_by_country(from_day date, to_day date, timezone text default 'UTC')
returns table (country text, orders bigint, customers bigint, revenue numeric, revenue_at_today_rates numeric,
  fx_effect numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  return query
  with purchases as (
    select coalesce(o.shipping_country, c.country) as country, o.customer_id, o.net_total_base,
      -- Today's rate where one is known, else the order's own (no effect rather than a guess).
      round((o.total - o.refunded_total) * coalesce(private.rate_today(o.currency), o.exchange_rate), 2) as at_today
    from public.orders o
    left join public.customers c on c.id = o.customer_id
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

create function public.report_revenue_by_period(from_day date, to_day date, timezone text default 'UTC', grain text default 'month')
returns table (period date, orders bigint, revenue numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_revenue_by_period.timezone;
  r record := private.report_range(from_day, to_day, report_revenue_by_period.timezone);
  g text := private.report_grain(grain);
begin
  return query
  select date_trunc(g, o.placed_at at time zone zone)::date, count(*), sum(o.net_total_base),
    round(sum(o.net_total_base) / count(*), 2)
  from public.orders o
  where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
  group by 1
  order by 1;
end;
$$;
comment on function public.report_revenue_by_period(date, date, text, text) is 'Purchases, revenue (base currency) and average order value per period: the AOV trend.';

create function public.report_revenue_seasonality(from_day date, to_day date, timezone text default 'UTC')
returns table (dimension text, bucket integer, orders bigint, revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_revenue_seasonality.timezone;
  r record := private.report_range(from_day, to_day, report_revenue_seasonality.timezone);
begin
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
comment on function public.report_revenue_seasonality(date, date, text) is 'Purchases and revenue by weekday (1 Monday … 7 Sunday) and by month (1–12), in the zone.';

-- ─── 3. Top customers, products and brands ───────────────────────────────────────────────────

create function public.report_top_customers(from_day date, to_day date, timezone text default 'UTC',
  rank_by text default 'revenue', row_limit integer default 20)
returns table (customer_id uuid, full_name text, email text, country text, orders bigint, revenue numeric, lifetime_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  if rank_by is null or rank_by not in ('revenue', 'orders') then
    raise exception 'rank_by must be revenue or orders' using errcode = '22023';
  end if;
  if row_limit is null or row_limit not between 1 and 500 then
    raise exception 'row_limit must be between 1 and 500' using errcode = '22023';
  end if;
  return query
  select c.id, c.full_name, c.email, c.country, t.orders, t.revenue, c.lifetime_value
  from (
    select o.customer_id, count(*) as orders, sum(o.net_total_base) as revenue
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends and o.customer_id is not null
    group by o.customer_id
  ) t
  join public.customers c on c.id = t.customer_id
  order by case when rank_by = 'orders' then t.orders::numeric else t.revenue end desc,
    case when rank_by = 'orders' then t.revenue else t.orders::numeric end desc, c.id
  limit row_limit;
end;
$$;
comment on function public.report_top_customers(date, date, text, text, integer) is 'The customers with the most revenue (or orders) in the range, with their lifetime value.';

create function public.report_top_products(from_day date, to_day date, timezone text default 'UTC',
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
  with sold as (
    select case when group_by = 'product' then coalesce(i.product_id::text, 'title:' || i.title) else coalesce(nullif(i.vendor, ''), '—') end as key,
      case when group_by = 'product' then i.title else coalesce(nullif(i.vendor, ''), '—') end as label,
      i.quantity, round(i.total * o.exchange_rate, 2) as revenue_base, o.id as order_id, o.refunded_total > 0 as refunded
    from public.order_items i
    join public.orders o on o.id = i.order_id
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
  ),
  sales as (
    select s.key, min(s.label) as label, sum(s.quantity)::bigint as units, sum(s.revenue_base) as revenue,
      count(distinct s.order_id) as orders,
      round(count(distinct s.order_id) filter (where s.refunded)::numeric / count(distinct s.order_id), 4) as refund_rate
    from sold s group by s.key
  ),
  liked as (
    select case when group_by = 'product' then p.id::text else coalesce(nullif(p.vendor, ''), '—') end as key,
      count(*) as favourites,
      count(*) filter (where v.inventory_quantity is not null and v.inventory_quantity <= 0) as out_of_stock
    from public.favorites f
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
comment on function public.report_top_products(date, date, text, text, integer) is 'Products (or brands: the line item''s vendor) by revenue in the range (base currency at the order''s rate): units, orders, refund rate (share of their orders with a refund), favourites now and favourites of out-of-stock variants (lost demand).';

-- ─── 4. Segments ─────────────────────────────────────────────────────────────────────────────

create function public.report_segments(from_day date, to_day date, timezone text default 'UTC')
returns table (segment_id uuid, name text, members_at_start integer, members_at_end integer, joined integer, "left" integer,
  revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  return query
  select s.id, s.name,
    coalesce((select sum(case e.event when 'joined' then 1 else -1 end) from public.segment_membership_events e
      where e.segment_id = s.id and e.occurred_at < r.starts), 0)::integer,
    coalesce((select sum(case e.event when 'joined' then 1 else -1 end) from public.segment_membership_events e
      where e.segment_id = s.id and e.occurred_at < r.ends), 0)::integer,
    (select count(*) from public.segment_membership_events e
      where e.segment_id = s.id and e.event = 'joined' and e.occurred_at >= r.starts and e.occurred_at < r.ends)::integer,
    (select count(*) from public.segment_membership_events e
      where e.segment_id = s.id and e.event = 'left' and e.occurred_at >= r.starts and e.occurred_at < r.ends)::integer,
    coalesce((select sum(o.net_total_base) from public.orders o
      join public.segment_memberships m on m.customer_id = o.customer_id and m.segment_id = s.id
      where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends), 0)
  from public.segments s
  order by 4 desc, 2;
end;
$$;
comment on function public.report_segments(date, date, text) is 'Each segment the caller may read: members at the start and end of the range and the joins and leaves in it (from the history), and the revenue of its current members in the range — all as the caller may see the customers.';

-- ─── 5. Activity and workload ────────────────────────────────────────────────────────────────

create function public.report_activity(from_day date, to_day date, timezone text default 'UTC')
returns table (member_id uuid, member_name text, week date, notes bigint, calls bigint, meetings bigint, tasks bigint,
  emails bigint)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_activity.timezone;
  r record := private.report_range(from_day, to_day, report_activity.timezone);
begin
  return query
  select a.author_id, m.full_name, date_trunc('week', a.created_at at time zone zone)::date,
    count(*) filter (where a.kind = 'note'), count(*) filter (where a.kind = 'call'),
    count(*) filter (where a.kind = 'meeting'), count(*) filter (where a.kind = 'task'),
    count(*) filter (where a.kind = 'email')
  from public.activities a
  join public.team_members m on m.user_id = a.author_id
  where a.kind <> 'system' and a.created_at >= r.starts and a.created_at < r.ends
  group by 1, 2, 3
  order by 3, 2;
end;
$$;
comment on function public.report_activity(date, date, text) is 'Notes, calls, meetings, tasks and emails logged per team member and week (ISO weeks in the zone), over the activities the caller may see.';

create function public.report_workload()
returns table (member_id uuid, member_name text, role public.team_role, customers_owned bigint, open_tasks bigint,
  overdue_tasks bigint)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
begin
  perform private.report_range(current_date, current_date, 'UTC');
  return query
  select m.user_id, m.full_name, m.role,
    (select count(*) from public.customers c where c.owner_id = m.user_id),
    (select count(*) from public.activities a where a.kind = 'task' and a.completed_at is null and a.assignee_id = m.user_id),
    (select count(*) from public.activities a where a.kind = 'task' and a.completed_at is null and a.assignee_id = m.user_id
      and a.due_at < now())
  from public.team_members m
  where m.active
  order by 4 desc, 2;
end;
$$;
comment on function public.report_workload() is 'Per active team member: customers owned, open and overdue tasks assigned to them — counted over the customers and activities the caller may see.';

-- ─── 6. Churn ────────────────────────────────────────────────────────────────────────────────

create function public.report_churn(min_risk text default 'medium', row_limit integer default 100)
returns table (customer_id uuid, full_name text, email text, lifetime_value numeric, order_count integer, churn_risk text,
  rfm_group text, days_since_last_order integer, churn_summary text, churn_reasons jsonb, computed_at timestamptz)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
begin
  perform private.report_range(current_date, current_date, 'UTC');
  if min_risk is null or min_risk not in ('low', 'medium', 'high') then
    raise exception 'min_risk must be low, medium or high' using errcode = '22023';
  end if;
  if row_limit is null or row_limit not between 1 and 500 then
    raise exception 'row_limit must be between 1 and 500' using errcode = '22023';
  end if;
  return query
  select c.id, c.full_name, c.email, c.lifetime_value, c.order_count, s.churn_risk, s.rfm_group, s.days_since_last_order,
    s.churn_summary, s.churn_reasons, s.computed_at
  from public.customer_scores s
  join public.customers c on c.id = s.customer_id
  where s.churn_risk = any (case min_risk when 'low' then array['low', 'medium', 'high'] when 'medium' then array['medium', 'high']
    else array['high'] end)
  order by c.lifetime_value desc, c.id
  limit row_limit;
end;
$$;
comment on function public.report_churn(text, integer) is 'The customers at (at least) a churn risk, most valuable first, with the reasons from the nightly scores.';

-- ─── 7. Cohorts ──────────────────────────────────────────────────────────────────────────────

create function public.report_cohorts(from_month date, months integer default 12, timezone text default 'UTC')
returns table (cohort date, cohort_customers bigint, month_offset integer, active_customers bigint, retention numeric,
  revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  zone constant text := report_cohorts.timezone;
  first_month date := date_trunc('month', from_month)::date;
  r record;
begin
  if months is null or months not between 1 and 60 then
    raise exception 'a cohort table covers 1 to 60 months' using errcode = '22023';
  end if;
  r := private.report_range(first_month, ((first_month + make_interval(months => months))::date - 1), report_cohorts.timezone);
  return query
  with members as (
    select c.id, date_trunc('month', c.first_order_at at time zone zone)::date as cohort
    from public.customers c
    where c.first_order_at >= r.starts and c.first_order_at < r.ends
  ),
  sizes as (select m.cohort, count(*) as n from members m group by 1),
  activity as (
    select m.cohort,
      ((extract(year from o.placed_at at time zone zone) - extract(year from m.cohort)) * 12
        + extract(month from o.placed_at at time zone zone) - extract(month from m.cohort))::integer as month_offset,
      count(distinct m.id) as active, sum(o.net_total_base) as revenue
    from members m
    join public.orders o on o.customer_id = m.id
    where o.counts_as_purchase and o.placed_at < r.ends
    group by 1, 2
  )
  select a.cohort, s.n, a.month_offset, a.active, round(a.active::numeric / s.n, 4), a.revenue
  from activity a join sizes s on s.cohort = a.cohort
  order by 1, 3;
end;
$$;
comment on function public.report_cohorts(date, integer, text) is 'Monthly acquisition cohorts (month of the first purchase, in the zone) from from_month over months (1–60) × months since the first purchase: active buyers, retention (active ÷ cohort size) and revenue, up to the end of the range.';

-- ─── 8. Alert performance ────────────────────────────────────────────────────────────────────

create function public.report_alert_performance(from_day date, to_day date, timezone text default 'UTC',
  group_by text default 'kind', attribution_days integer default 7)
returns table (key text, label text, sent bigint, opened bigint, clicked bigint, attributed_orders bigint,
  attributed_revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  if group_by is null or group_by not in ('kind', 'product') then
    raise exception 'group_by must be kind or product' using errcode = '22023';
  end if;
  if attribution_days is null or attribution_days not between 1 and 90 then
    raise exception 'attribution_days must be between 1 and 90' using errcode = '22023';
  end if;
  return query
  with alerts as (
    select a.id, a.customer_id, a.kind::text as kind, p.id::text as product_id, p.title
    from public.alert_log a
    left join public.product_variants v on v.id = a.variant_id
    left join public.products p on p.id = v.product_id
    where a.state = 'sent' and a.sent_at >= r.starts and a.sent_at < r.ends
  ),
  grouped as (
    select al.*, case when group_by = 'kind' then al.kind else coalesce(al.product_id, '—') end as grp,
      case when group_by = 'kind' then al.kind else coalesce(al.title, '—') end as grp_label,
      exists (select 1 from public.email_events e where e.alert_id = al.id and e.event = 'open') as was_opened,
      (select min(e.occurred_at) from public.email_events e where e.alert_id = al.id and e.event = 'click') as first_click
    from alerts al
  ),
  attributed as (
    select g.grp, o.id as order_id, o.net_total_base
    from grouped g
    join public.orders o on o.customer_id = g.customer_id and o.counts_as_purchase
      and o.placed_at >= g.first_click and o.placed_at < g.first_click + make_interval(days => attribution_days)
    where g.first_click is not null
  )
  select g.grp, min(g.grp_label), count(*), count(*) filter (where g.was_opened or g.first_click is not null),
    count(*) filter (where g.first_click is not null),
    coalesce((select count(distinct x.order_id) from attributed x where x.grp = g.grp), 0),
    coalesce((select sum(y.net_total_base) from (select distinct x.order_id, x.net_total_base from attributed x where x.grp = g.grp) y), 0)
  from grouped g
  group by g.grp
  order by 3 desc, 1;
end;
$$;
comment on function public.report_alert_performance(date, date, text, text, integer) is 'Alerts sent in the range by kind (or product): how many were opened (an open or a click), clicked, and the purchases of the alerted customer within attribution_days of the first click (each order once per group) with their revenue.';

do $$
declare
  f text;
begin
  foreach f in array array[
    'public.report_customer_growth(date, date, text, text)',
    'public.report_revenue_by_country(date, date, text)',
    'public.report_revenue_by_period(date, date, text, text)',
    'public.report_revenue_seasonality(date, date, text)',
    'public.report_top_customers(date, date, text, text, integer)',
    'public.report_top_products(date, date, text, text, integer)',
    'public.report_segments(date, date, text)',
    'public.report_activity(date, date, text)',
    'public.report_workload()',
    'public.report_churn(text, integer)',
    'public.report_cohorts(date, integer, text)',
    'public.report_alert_performance(date, date, text, text, integer)'
  ] loop
    execute format('revoke execute on function %s from public, anon', f);
    execute format('grant execute on function %s to authenticated, service_role', f);
  end loop;
end;
$$;
