-- Sales summaries for the analytics reports, kept by the order write path and folded by a job
-- (issue 13: reports p95 < 1 s at 10 000 000 orders without reading a year of orders per call).
--
-- Owns (all in `private`, never exposed through the API; the reports read them through the
-- security-definer readers below, which apply the orders' own visibility rule):
--   private.sales_quarter_hours     purchases and revenue per UTC quarter-hour and customer owner.
--                                   A quarter-hour never straddles a local midnight of a zone whose
--                                   offsets are whole quarter-hours (every zone in use today,
--                                   Asia/Kathmandu +5:45 and Australia/Eucla +8:45 included), so
--                                   the buckets answer "per day / week / month / weekday in the
--                                   viewer's zone" exactly;
--   private.brand_sales_days        line items per UTC day, owner and brand (the line's vendor):
--                                   units, revenue at the order's rate, orders and refunded orders.
--                                   The brand report has no periods, so whole UTC days inside the
--                                   range come from here and the two partial days at its edges from
--                                   the rows: exact in any zone;
--   private.sales_quarter_hour_totals, private.brand_sales_day_totals  the same summed over
--                                   owners, for callers who see every customer (a year is at most
--                                   35 040 quarter-hours, whatever the volume of orders);
--   private.favourite_counts        favourites per variant and owner (kept by delta per statement);
--   private.sales_dirty_quarter_hours  the quarter-hours written since the last fold. The order
--                                   triggers only append here (no lock on a shared row, so the
--                                   webhook and import paths never wait on each other); readers
--                                   take a dirty quarter-hour (and, for brands, its UTC day) from
--                                   the rows, so a report is exact at every moment, folded or not;
--   private.fold_sales_summaries()  recomputes dirty quarter-hours and days from the rows, scheduled
--                                   every minute when there is work (`fold-sales-summaries`).
-- Triggers (all statement-level, with transition tables): orders (after insert / update / delete),
-- order_items (after insert / update / delete) mark quarter-hours dirty; favorites (after insert /
-- update / delete) adjust favourite_counts. A reassignment moves the customer's rows: it updates
-- orders.customer_owner_id and favorites.customer_owner_id (20261121063500), which these triggers
-- see like any other change. Refunds change orders.refunded_total / refunded_base, likewise.

create function private.quarter_hour(at timestamptz) returns timestamptz
language sql immutable parallel safe set search_path = '' as $$
  select date_bin('15 minutes', at, timestamptz '2000-01-01 00:00:00+00')
$$;
comment on function private.quarter_hour(timestamptz) is 'The start of the UTC quarter-hour an instant falls in (the sales summaries'' bucket).';
revoke execute on function private.quarter_hour(timestamptz) from public, anon;
grant execute on function private.quarter_hour(timestamptz) to authenticated, service_role;

create table private.sales_quarter_hours (
  bucket timestamptz not null,
  owner_id uuid,
  orders integer not null,
  revenue numeric(16, 2) not null,
  constraint sales_quarter_hours_key unique nulls not distinct (bucket, owner_id)
);
create index sales_quarter_hours_owner_idx on private.sales_quarter_hours (owner_id, bucket);
comment on table private.sales_quarter_hours is 'Purchases (orders.counts_as_purchase) per UTC quarter-hour of placed_at and customer owner (orders.customer_owner_id; null for guests and unowned customers): count and sum of net_total_base. Recomputed from the orders by private.fold_sales_summaries; a quarter-hour listed in sales_dirty_quarter_hours is read from the orders instead.';

create table private.sales_quarter_hour_totals (
  bucket timestamptz primary key,
  orders integer not null,
  revenue numeric(16, 2) not null
);
comment on table private.sales_quarter_hour_totals is 'private.sales_quarter_hours summed over owners: what callers who see every customer read (about 35 000 rows a year at any volume of orders).';

create table private.brand_sales_days (
  day date not null,
  owner_id uuid,
  brand text not null,
  units bigint not null,
  revenue numeric(16, 2) not null,
  orders integer not null,
  refunded_orders integer not null,
  constraint brand_sales_days_key unique nulls not distinct (day, owner_id, brand)
);
create index brand_sales_days_owner_idx on private.brand_sales_days (owner_id, day);
comment on table private.brand_sales_days is 'Line items of purchases per UTC day of the order''s placed_at, customer owner and brand (coalesce(nullif(vendor, ''''), ''—'')): units, revenue (sum of round(line total × the order''s rate, 2)), distinct orders and distinct orders with a refund. A day holding a dirty quarter-hour is read from the rows instead.';

create table private.brand_sales_day_totals (
  day date not null,
  brand text not null,
  units bigint not null,
  revenue numeric(16, 2) not null,
  orders integer not null,
  refunded_orders integer not null,
  primary key (day, brand)
);
comment on table private.brand_sales_day_totals is 'private.brand_sales_days summed over owners: what callers who see every customer read.';

create table private.favourite_counts (
  variant_id uuid not null,
  owner_id uuid,
  favourites integer not null,
  constraint favourite_counts_key unique nulls not distinct (variant_id, owner_id)
);
create index favourite_counts_owner_idx on private.favourite_counts (owner_id);
comment on table private.favourite_counts is 'Favourites per variant and customer owner (favorites.customer_owner_id), adjusted by each statement on favorites; zero rows may remain.';

create table private.sales_dirty_quarter_hours (
  id bigint generated always as identity primary key,
  bucket timestamptz not null
);
create index sales_dirty_quarter_hours_bucket_idx on private.sales_dirty_quarter_hours (bucket);
comment on table private.sales_dirty_quarter_hours is 'Quarter-hours of orders written since the last fold (appended by the order and line-item triggers, one row per statement and quarter-hour, removed by private.fold_sales_summaries once recomputed).';

revoke all on private.sales_quarter_hours, private.sales_quarter_hour_totals, private.brand_sales_days,
  private.brand_sales_day_totals, private.favourite_counts,
  private.sales_dirty_quarter_hours from public, anon, authenticated;

-- ─── Who sees which summary rows: the orders' own rule ──────────────────────────────────────

create function private.sees_owner_rows() returns table (sees_all boolean, agent_id uuid)
language sql stable security definer set search_path = '' as $$
  -- The rule of the policies on orders, order_items and favorites ("staff read … of customers they
  -- may see"): admins, managers and readonly all rows; an agent the rows of their customers. The
  -- service role and the database's own roles (no JWT) read everything, as RLS lets them.
  select (select private.sees_all_customers()) or coalesce((select auth.role()), 'service_role') = 'service_role',
    case when (select private.is_agent()) then (select auth.uid()) end
$$;
comment on function private.sees_owner_rows() is 'The caller''s reach over owner-keyed summaries: every row (sees_all) or the rows of one agent''s customers (agent_id), as the orders'' row-level security decides.';
revoke execute on function private.sees_owner_rows() from public, anon;
grant execute on function private.sees_owner_rows() to authenticated, service_role;

-- ─── Writes mark quarter-hours dirty (orders, order_items) ───────────────────────────────────

create function private.mark_sales_dirty() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'orders' then
    if tg_op = 'INSERT' then
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(n.placed_at) from new_rows n;
    elsif tg_op = 'DELETE' then
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(o.placed_at) from old_rows o;
    else
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(t.placed_at)
      from new_rows n join old_rows o on o.id = n.id
      cross join lateral (values (n.placed_at), (o.placed_at)) as t (placed_at)
      where (n.placed_at, n.customer_owner_id, n.counts_as_purchase, n.net_total_base, n.exchange_rate, n.refunded_total)
        is distinct from (o.placed_at, o.customer_owner_id, o.counts_as_purchase, o.net_total_base, o.exchange_rate, o.refunded_total);
    end if;
  else
    -- order_items: the quarter-hour of the line's order (a line whose order is gone went with it,
    -- and the order's own delete marked it).
    if tg_op = 'INSERT' then
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(x.placed_at)
      from (select distinct n.order_id from new_rows n) i join public.orders x on x.id = i.order_id;
    elsif tg_op = 'DELETE' then
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(x.placed_at)
      from (select distinct o.order_id from old_rows o) i join public.orders x on x.id = i.order_id;
    else
      insert into private.sales_dirty_quarter_hours (bucket)
      select distinct private.quarter_hour(x.placed_at)
      from (
        select t.order_id
        from new_rows n join old_rows o on o.id = n.id
        cross join lateral (values (n.order_id), (o.order_id)) as t (order_id)
        where (n.order_id, n.vendor, n.quantity, n.total) is distinct from (o.order_id, o.vendor, o.quantity, o.total)
      ) i join public.orders x on x.id = i.order_id;
    end if;
  end if;
  return null;
end;
$$;
comment on function private.mark_sales_dirty() is 'Statement-level trigger on orders and order_items: appends the quarter-hours the statement''s rows touch (old and new placed_at of a changed order, the order''s of a changed line) to private.sales_dirty_quarter_hours. Only appends: no shared row is locked.';
revoke execute on function private.mark_sales_dirty() from public, anon, authenticated;

create trigger mark_sales_dirty_inserts after insert on public.orders
  referencing new table as new_rows for each statement execute function private.mark_sales_dirty();
create trigger mark_sales_dirty_updates after update on public.orders
  referencing old table as old_rows new table as new_rows for each statement execute function private.mark_sales_dirty();
create trigger mark_sales_dirty_deletes after delete on public.orders
  referencing old table as old_rows for each statement execute function private.mark_sales_dirty();
create trigger mark_sales_dirty_inserts after insert on public.order_items
  referencing new table as new_rows for each statement execute function private.mark_sales_dirty();
create trigger mark_sales_dirty_updates after update on public.order_items
  referencing old table as old_rows new table as new_rows for each statement execute function private.mark_sales_dirty();
create trigger mark_sales_dirty_deletes after delete on public.order_items
  referencing old table as old_rows for each statement execute function private.mark_sales_dirty();

-- ─── Favourites counted per statement ────────────────────────────────────────────────────────

create function private.count_favourites() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.favourite_counts as f (variant_id, owner_id, favourites)
  select d.variant_id, d.owner_id, sum(d.n)::integer
  from (
    select n.variant_id, n.customer_owner_id as owner_id, 1 as n from new_rows n
    union all
    select o.variant_id, o.customer_owner_id, -1 from old_rows o
  ) d
  group by 1, 2
  having sum(d.n) <> 0
  order by 1, 2
  on conflict (variant_id, owner_id) do update set favourites = f.favourites + excluded.favourites;
  return null;
end;
$$;
comment on function private.count_favourites() is 'Statement-level trigger after UPDATE on favorites (a moved variant, a reassigned customer): the statement''s new rows added to private.favourite_counts and its old rows taken off, per variant and owner.';
revoke execute on function private.count_favourites() from public, anon, authenticated;

-- A statement trigger sees only the transition tables its verb declares, so inserts and deletes
-- have their own small functions.
create function private.count_favourites_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.favourite_counts as f (variant_id, owner_id, favourites)
  select n.variant_id, n.customer_owner_id, count(*)::integer from new_rows n group by 1, 2 order by 1, 2
  on conflict (variant_id, owner_id) do update set favourites = f.favourites + excluded.favourites;
  return null;
end;
$$;
create function private.count_favourites_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.favourite_counts as f (variant_id, owner_id, favourites)
  select o.variant_id, o.customer_owner_id, -count(*)::integer from old_rows o group by 1, 2 order by 1, 2
  on conflict (variant_id, owner_id) do update set favourites = f.favourites + excluded.favourites;
  return null;
end;
$$;
comment on function private.count_favourites_inserted() is 'Statement-level trigger after INSERT on favorites: +1 per new row in private.favourite_counts.';
comment on function private.count_favourites_deleted() is 'Statement-level trigger after DELETE on favorites: −1 per removed row in private.favourite_counts.';
revoke execute on function private.count_favourites_inserted() from public, anon, authenticated;
revoke execute on function private.count_favourites_deleted() from public, anon, authenticated;

create trigger count_favourites_inserts after insert on public.favorites
  referencing new table as new_rows for each statement execute function private.count_favourites_inserted();
create trigger count_favourites_updates after update on public.favorites
  referencing old table as old_rows new table as new_rows for each statement execute function private.count_favourites();
create trigger count_favourites_deletes after delete on public.favorites
  referencing old table as old_rows for each statement execute function private.count_favourites_deleted();

-- ─── The fold: dirty quarter-hours recomputed from the rows ──────────────────────────────────

create function private.fold_sales_summaries(max_rows integer default 50000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  ids bigint[];
  buckets timestamptz[];
  days date[];
begin
  -- One folder at a time; a second caller leaves the work to the first.
  if not pg_try_advisory_xact_lock(hashtext('cairn.fold_sales_summaries')) then
    return 0;
  end if;
  select array_agg(d.id), array_agg(distinct d.bucket) into ids, buckets
  from (select x.id, x.bucket from private.sales_dirty_quarter_hours x order by x.id limit max_rows) d;
  if ids is null then
    return 0;
  end if;
  select array_agg(distinct (b at time zone 'UTC')::date) into days from unnest(buckets) b;

  -- The statements below see every order committed before they start, so every order whose dirty
  -- row was read above (written in the same transaction as the order) is counted.
  delete from private.sales_quarter_hours s where s.bucket = any (buckets);
  insert into private.sales_quarter_hours (bucket, owner_id, orders, revenue)
  select b.bucket, o.customer_owner_id, count(*), sum(o.net_total_base)
  from unnest(buckets) b (bucket)
  join public.orders o on o.placed_at >= b.bucket and o.placed_at < b.bucket + interval '15 minutes'
  where o.counts_as_purchase
  group by 1, 2;
  delete from private.sales_quarter_hour_totals s where s.bucket = any (buckets);
  insert into private.sales_quarter_hour_totals (bucket, orders, revenue)
  select s.bucket, sum(s.orders), sum(s.revenue) from private.sales_quarter_hours s where s.bucket = any (buckets) group by 1;

  delete from private.brand_sales_days s where s.day = any (days);
  insert into private.brand_sales_days (day, owner_id, brand, units, revenue, orders, refunded_orders)
  select d.day, o.customer_owner_id, coalesce(nullif(i.vendor, ''), '—'), sum(i.quantity), sum(round(i.total * o.exchange_rate, 2)),
    count(distinct o.id), count(distinct o.id) filter (where o.refunded_total > 0)
  from unnest(days) d (day)
  join public.orders o on o.placed_at >= d.day::timestamp at time zone 'UTC' and o.placed_at < (d.day + 1)::timestamp at time zone 'UTC'
  join public.order_items i on i.order_id = o.id
  where o.counts_as_purchase
  group by 1, 2, 3;
  delete from private.brand_sales_day_totals s where s.day = any (days);
  insert into private.brand_sales_day_totals (day, brand, units, revenue, orders, refunded_orders)
  select s.day, s.brand, sum(s.units), sum(s.revenue), sum(s.orders), sum(s.refunded_orders)
  from private.brand_sales_days s where s.day = any (days) group by 1, 2;

  delete from private.sales_dirty_quarter_hours x where x.id = any (ids);
  return cardinality(ids);
end;
$$;
comment on function private.fold_sales_summaries(integer) is 'Recomputes from the orders the quarter-hours (and their UTC days) of up to max_rows dirty entries, then removes exactly those entries; returns how many it folded (0 when another fold holds the lock). Scheduled every minute when there is work.';
revoke execute on function private.fold_sales_summaries(integer) from public, anon, authenticated;
grant execute on function private.fold_sales_summaries(integer) to service_role;

-- ─── Readers (security definer: the caller's reach is applied by sees_owner_rows) ───────────

create function private.sales_by_quarter_hour(starts timestamptz, ends timestamptz)
returns table (bucket timestamptz, orders bigint, revenue numeric)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
declare
  -- The caller's reach as plain values, so the planner can use the owner index for an agent.
  sees_all boolean;
  agent_id uuid;
begin
  select r.sees_all, r.agent_id into sees_all, agent_id from private.sees_owner_rows() r;
  return query
  with dirty as (
    select distinct x.bucket from private.sales_dirty_quarter_hours x
    where x.bucket >= starts - interval '15 minutes' and x.bucket < ends
  )
  select t.bucket, t.orders::bigint, t.revenue
  from private.sales_quarter_hour_totals t
  where sees_all and t.bucket >= starts and t.bucket < ends
    and not exists (select from dirty d where d.bucket = t.bucket)
  union all
  select s.bucket, s.orders::bigint, s.revenue
  from private.sales_quarter_hours s
  where not sees_all and s.owner_id = agent_id and s.bucket >= starts and s.bucket < ends
    and not exists (select from dirty d where d.bucket = s.bucket)
  union all
  select private.quarter_hour(o.placed_at), count(*), sum(o.net_total_base)
  from dirty d
  join public.orders o on o.placed_at >= d.bucket and o.placed_at < d.bucket + interval '15 minutes'
  where o.counts_as_purchase and o.placed_at >= starts and o.placed_at < ends
    and (sees_all or o.customer_owner_id = agent_id)
  group by 1;
end;
$$;
comment on function private.sales_by_quarter_hour(timestamptz, timestamptz) is 'Purchases and revenue per UTC quarter-hour in [starts, ends) over the orders the caller may see: folded quarter-hours from private.sales_quarter_hours, dirty ones from the orders (several rows per quarter-hour possible; sum them).';
revoke execute on function private.sales_by_quarter_hour(timestamptz, timestamptz) from public, anon;
grant execute on function private.sales_by_quarter_hour(timestamptz, timestamptz) to authenticated, service_role;

create function private.brand_sales(starts timestamptz, ends timestamptz)
returns table (brand text, units bigint, revenue numeric, orders bigint, refunded_orders bigint)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
declare
  -- Whole UTC days inside the range: [first_day, last_day) from the summary, the rest from rows.
  first_day timestamptz := least(ends, date_trunc('day', starts, 'UTC')
    + case when date_trunc('day', starts, 'UTC') < starts then interval '1 day' else interval '0' end);
  last_day timestamptz := greatest(date_trunc('day', ends, 'UTC'), first_day);
  sees_all boolean;
  agent_id uuid;
  dirty_days date[];
  from_rows uuid[];
begin
  select r.sees_all, r.agent_id into sees_all, agent_id from private.sees_owner_rows() r;
  select coalesce(array_agg(distinct (x.bucket at time zone 'UTC')::date), '{}') into dirty_days
  from private.sales_dirty_quarter_hours x
  where x.bucket >= first_day and x.bucket < last_day;
  -- The orders read from the rows: the partial days at both edges and whole days not yet folded
  -- (collected first, so their lines are then read through the order index, not by a scan).
  select coalesce(array_agg(o.id), '{}') into from_rows
  from (
    select starts as lo, first_day as hi
    union all select last_day, ends
    union all select d::timestamp at time zone 'UTC', (d + 1)::timestamp at time zone 'UTC' from unnest(dirty_days) d
  ) w
  join public.orders o on o.placed_at >= w.lo and o.placed_at < w.hi
  where w.lo < w.hi and o.counts_as_purchase and (sees_all or o.customer_owner_id = agent_id);

  return query
  select t.brand, t.units, t.revenue, t.orders::bigint, t.refunded_orders::bigint
  from private.brand_sales_day_totals t
  where sees_all and t.day >= (first_day at time zone 'UTC')::date and t.day < (last_day at time zone 'UTC')::date
    and t.day <> all (dirty_days)
  union all
  select s.brand, s.units, s.revenue, s.orders::bigint, s.refunded_orders::bigint
  from private.brand_sales_days s
  where not sees_all and s.owner_id = agent_id
    and s.day >= (first_day at time zone 'UTC')::date and s.day < (last_day at time zone 'UTC')::date
    and s.day <> all (dirty_days)
  union all
  select coalesce(nullif(i.vendor, ''), '—'), sum(i.quantity)::bigint, sum(round(i.total * o.exchange_rate, 2)),
    count(distinct o.id), count(distinct o.id) filter (where o.refunded_total > 0)
  from public.orders o
  -- Each order's lines through the order index (offset 0 keeps the planner from hashing all lines).
  cross join lateral (select l.vendor, l.quantity, l.total from public.order_items l where l.order_id = o.id offset 0) i
  where o.id = any (from_rows)
  group by 1;
end;
$$;
comment on function private.brand_sales(timestamptz, timestamptz) is 'Line items of purchases per brand in [starts, ends) over the orders the caller may see: whole folded UTC days from private.brand_sales_days, the edges and unfolded days from the rows (several rows per brand possible; sum them — an order is in exactly one of the parts).';
revoke execute on function private.brand_sales(timestamptz, timestamptz) from public, anon;
grant execute on function private.brand_sales(timestamptz, timestamptz) to authenticated, service_role;

create function private.favourites_by_variant() returns table (variant_id uuid, favourites bigint)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
declare
  sees_all boolean;
  agent_id uuid;
begin
  select r.sees_all, r.agent_id into sees_all, agent_id from private.sees_owner_rows() r;
  return query
  select f.variant_id, sum(f.favourites)::bigint
  from private.favourite_counts f
  where f.favourites <> 0 and (sees_all or f.owner_id = agent_id)
  group by 1;
end;
$$;
comment on function private.favourites_by_variant() is 'Favourites per variant over the customers the caller may see (from private.favourite_counts).';
revoke execute on function private.favourites_by_variant() from public, anon;
grant execute on function private.favourites_by_variant() to authenticated, service_role;

create function private.days_on_quarter_hours(from_day date, to_day date, zone text) returns boolean
language sql stable set search_path = '' as $$
  -- Every local midnight from from_day to the day after to_day, and every local noon between
  -- them, falls on a UTC quarter-hour: the zone's offsets over the range are whole quarter-hours,
  -- so no quarter-hour bucket holds instants of two local days.
  select coalesce(bool_and(
    mod(extract(epoch from (d::date::timestamp at time zone zone)), 900) = 0
    and mod(extract(epoch from ((d::date::timestamp + interval '12 hours') at time zone zone)), 900) = 0
  ), false)
  from generate_series(from_day - 1, to_day + 1, interval '1 day') d
$$;
comment on function private.days_on_quarter_hours(date, date, text) is 'Whether a zone''s days over a range begin on UTC quarter-hours (true for every zone''s current rules; false e.g. for local mean time before 1900), i.e. whether the quarter-hour summaries answer its days exactly.';
revoke execute on function private.days_on_quarter_hours(date, date, text) from public, anon;
grant execute on function private.days_on_quarter_hours(date, date, text) to authenticated, service_role;

-- ─── What is already there ───────────────────────────────────────────────────────────────────

insert into private.sales_quarter_hours (bucket, owner_id, orders, revenue)
select private.quarter_hour(o.placed_at), o.customer_owner_id, count(*), sum(o.net_total_base)
from public.orders o where o.counts_as_purchase group by 1, 2;

insert into private.brand_sales_days (day, owner_id, brand, units, revenue, orders, refunded_orders)
select (o.placed_at at time zone 'UTC')::date, o.customer_owner_id, coalesce(nullif(i.vendor, ''), '—'), sum(i.quantity),
  sum(round(i.total * o.exchange_rate, 2)), count(distinct o.id), count(distinct o.id) filter (where o.refunded_total > 0)
from public.orders o join public.order_items i on i.order_id = o.id
where o.counts_as_purchase
group by 1, 2, 3;

insert into private.sales_quarter_hour_totals (bucket, orders, revenue)
select s.bucket, sum(s.orders), sum(s.revenue) from private.sales_quarter_hours s group by 1;
insert into private.brand_sales_day_totals (day, brand, units, revenue, orders, refunded_orders)
select s.day, s.brand, sum(s.units), sum(s.revenue), sum(s.orders), sum(s.refunded_orders) from private.brand_sales_days s group by 1, 2;

insert into private.favourite_counts (variant_id, owner_id, favourites)
select f.variant_id, f.customer_owner_id, count(*) from public.favorites f group by 1, 2;

-- About every minute (an interval job, off the minute's first second where the per-minute jobs
-- start), only when there is work; a plain SQL call, no HTTP.
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'fold-sales-summaries';
select cron.schedule(
  'fold-sales-summaries',
  '55 seconds',
  $$select private.fold_sales_summaries() where exists (select from private.sales_dirty_quarter_hours)$$
);
