-- Each customer's purchases kept as sorted arrays, so revenue by country and cohorts read one row
-- per customer instead of every order of the range (issue 13: p95 < 300 / 500 ms at --scale 1,
-- < 1 s at --scale 10, for the admin and for an agent).
--
-- Owns (all in `private`, no grant to any API role):
--   private.quarter_hour_number(t)     the UTC quarter-hour of an instant as an integer (quarter-hours
--                                      since 2000-01-01 UTC);
--   private.customer_country_purchases one row per customer × country (the order's shipping country,
--                                      else the customer's) × currency: the customer's owner, the
--                                      quarter-hour of each purchase (sorted, one element per order),
--                                      and running sums of net_total_base and of the order's net total
--                                      at today's rate (rounded per order, as the report does) — with
--                                      the rate it was folded at;
--   private.customer_purchases         one row per customer: owner, quarter-hours of every purchase
--                                      and the running sum of net_total_base (for cohorts);
--   private.customer_purchases_dirty   customers written since the last fold (appended by triggers);
--   private.fold_customer_purchases()  recomputes dirty customers (and rows folded at a rate that is
--                                      no longer today's) from the orders; pg_cron
--                                      `fold-customer-purchases`, every 50 s when there is work.
-- Triggers: orders (after insert / update / delete, statement-level, transition tables) append the
-- customers whose purchases changed; customers (after update of country, row-level, only when it
-- changed) append the customer (the country of their orders shipped without a country).
--
-- Exact at every moment: a reader takes a dirty customer (and one whose row was folded at another
-- rate) from the orders and every other customer from the arrays, in one snapshot. A range's
-- bounds are local midnights; when both fall on a UTC quarter-hour (every zone in use today,
-- Asia/Kathmandu +5:45 included) "placed in the range" is "quarter-hour in [qh(starts), qh(ends))",
-- counted in a sorted array by width_bucket (a binary search: the number of elements ≤ x). When
-- they do not (local mean time before ~1900), the reports read the orders as before.
-- Relies on two invariants kept elsewhere: orders.customer_owner_id equals the customer's owner
-- (20261121063500, 20261207110100), and customers.first_order_at is the customer's first purchase
-- or earlier (private.refresh_customer_metrics) unless an import has queued the customer's
-- metrics (private.customers_with_pending_metrics(): those are read from the orders).

create function private.quarter_hour_number(at timestamptz) returns integer
language sql immutable parallel safe set search_path = '' as $$
  select floor(extract(epoch from at) / 900)::integer
$$;
comment on function private.quarter_hour_number(timestamptz) is 'The UTC quarter-hour of an instant as an integer (quarter-hours since 1970-01-01 UTC): the element of private.customer_country_purchases.quarter_hours.';
revoke execute on function private.quarter_hour_number(timestamptz) from public, anon;
grant execute on function private.quarter_hour_number(timestamptz) to authenticated, service_role;

create table private.customer_country_purchases (
  customer_id uuid not null,
  country text,
  currency text not null,
  owner_id uuid,
  quarter_hours integer[] not null,
  revenue_before bigint[] not null,
  at_today_before bigint[] not null,
  folded_as_base boolean not null,
  today_rate numeric,
  alone boolean not null
);
create index customer_country_purchases_customer_idx on private.customer_country_purchases (customer_id);
create index customer_country_purchases_owner_idx on private.customer_country_purchases (owner_id);
comment on table private.customer_country_purchases is 'Each customer''s purchases (orders.counts_as_purchase) per country (shipping country, else the customer''s) and currency: quarter_hours (private.quarter_hour_number of placed_at, ascending, one element per order), revenue_before[k] / at_today_before[k] the sums in cents of net_total_base / of the net total at today''s rate (rounded per order to cents; base-currency orders as they are) over the first k − 1 elements (bigint: an element is read in constant time, numeric[] elements are walked to). folded_as_base and today_rate say how at_today was computed: a row whose currency is no longer (or now is) the base currency, or whose today_rate is not the latest known rate, is read from the orders until refolded. alone: the customer has no other row for this country (another currency), so a reader counts the customer without removing duplicates. Kept by private.fold_customer_purchases.';

create table private.customer_purchases (
  customer_id uuid primary key,
  owner_id uuid,
  quarter_hours integer[] not null,
  revenue_before bigint[] not null
);
create index customer_purchases_owner_idx on private.customer_purchases (owner_id);
comment on table private.customer_purchases is 'Each customer''s purchases over all countries and currencies: quarter_hours ascending (one element per order) and revenue_before[k] = sum of net_total_base of the first k − 1, in cents. Kept by private.fold_customer_purchases; read by report_cohorts.';

create table private.customer_purchases_dirty (
  id bigint generated always as identity primary key,
  customer_id uuid not null
);
comment on table private.customer_purchases_dirty is 'Customers whose purchases (or country) changed since the last fold: appended by the order and customer triggers, removed by private.fold_customer_purchases once recomputed. Readers take these customers from the orders.';

revoke all on private.customer_country_purchases, private.customer_purchases, private.customer_purchases_dirty
  from public, anon, authenticated;

-- ─── Writes mark customers dirty ─────────────────────────────────────────────────────────────

create function private.mark_customer_purchases_dirty() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into private.customer_purchases_dirty (customer_id)
    select distinct n.customer_id from new_rows n where n.customer_id is not null and n.counts_as_purchase;
  elsif tg_op = 'DELETE' then
    insert into private.customer_purchases_dirty (customer_id)
    select distinct o.customer_id from old_rows o where o.customer_id is not null and o.counts_as_purchase;
  else
    insert into private.customer_purchases_dirty (customer_id)
    select distinct t.customer_id
    from new_rows n join old_rows o on o.id = n.id
    cross join lateral (values (n.customer_id), (o.customer_id)) as t (customer_id)
    where t.customer_id is not null and (n.counts_as_purchase or o.counts_as_purchase)
      and (n.customer_id, n.customer_owner_id, n.counts_as_purchase, n.placed_at, n.net_total_base, n.shipping_country,
           n.currency, n.total, n.refunded_total, n.exchange_rate)
        is distinct from (o.customer_id, o.customer_owner_id, o.counts_as_purchase, o.placed_at, o.net_total_base,
           o.shipping_country, o.currency, o.total, o.refunded_total, o.exchange_rate);
  end if;
  return null;
end;
$$;
comment on function private.mark_customer_purchases_dirty() is 'Statement-level trigger on orders: appends to private.customer_purchases_dirty the customers (old and new) of the statement''s purchases whose customer, owner, time, amounts, currency, rate or shipping country changed. Only appends: no shared row is locked.';
revoke execute on function private.mark_customer_purchases_dirty() from public, anon, authenticated;

create trigger mark_customer_purchases_dirty_inserts after insert on public.orders
  referencing new table as new_rows for each statement execute function private.mark_customer_purchases_dirty();
create trigger mark_customer_purchases_dirty_updates after update on public.orders
  referencing old table as old_rows new table as new_rows for each statement execute function private.mark_customer_purchases_dirty();
create trigger mark_customer_purchases_dirty_deletes after delete on public.orders
  referencing old table as old_rows for each statement execute function private.mark_customer_purchases_dirty();

create function private.mark_customer_country_dirty() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.customer_purchases_dirty (customer_id) values (new.id);
  return null;
end;
$$;
comment on function private.mark_customer_country_dirty() is 'Row trigger after a customer''s country changed: the customer''s orders shipped without a country now count for the new one, so the customer is marked dirty.';
revoke execute on function private.mark_customer_country_dirty() from public, anon, authenticated;

create trigger mark_customer_country_dirty after update of country on public.customers
  for each row when (old.country is distinct from new.country) execute function private.mark_customer_country_dirty();

-- ─── Today's rates, as the report takes them ─────────────────────────────────────────────────

create function private.todays_rates() returns table (currency text, rate_to_base numeric)
language sql stable set search_path = '' as $$
  select distinct on (x.currency) x.currency, x.rate_to_base
  from public.exchange_rates x
  where x.rate_date <= current_date
  order by x.currency, x.rate_date desc
$$;
comment on function private.todays_rates() is 'The latest known rate of each currency (rate_date ≤ today), as report_revenue_by_country takes it.';
revoke execute on function private.todays_rates() from public, anon;
grant execute on function private.todays_rates() to authenticated, service_role;

-- ─── The fold ────────────────────────────────────────────────────────────────────────────────

create function private.fold_customer_purchases(max_customers integer default 20000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  ids bigint[];
  customer_ids uuid[];
  base text := (select w.base_currency from public.workspace_settings w);
begin
  if not pg_try_advisory_xact_lock(hashtext('cairn.fold_customer_purchases')) then
    return 0;
  end if;
  select array_agg(d.id), array_agg(distinct d.customer_id) into ids, customer_ids
  from (select x.id, x.customer_id from private.customer_purchases_dirty x order by x.id limit max_customers) d;
  -- Rows folded at a rate that is no longer today's (a new rate, a new day, another base
  -- currency): their customers are refolded too, in the same bounded chunk.
  customer_ids := coalesce(customer_ids, '{}') || array(
    select distinct s.customer_id
    from private.customer_country_purchases s
    left join private.todays_rates() t on t.currency = s.currency
    where s.folded_as_base is distinct from (s.currency = base)
       or (s.currency <> base and s.today_rate is distinct from t.rate_to_base)
    limit greatest(max_customers - coalesce(cardinality(ids), 0), 0)
  );
  if cardinality(customer_ids) = 0 then
    return 0;
  end if;

  -- The statements below see every order committed before they start, so every order whose dirty
  -- row was read above (written in the same transaction as the order) is in.
  delete from private.customer_country_purchases s where s.customer_id = any (customer_ids);
  insert into private.customer_country_purchases
    (customer_id, country, currency, owner_id, quarter_hours, revenue_before, at_today_before, folded_as_base, today_rate, alone)
  select p.customer_id, p.country, p.currency, min(p.owner_id::text)::uuid,
    array_agg(p.qh order by p.qh, p.id),
    array[0::bigint] || array_agg(p.revenue_to order by p.qh, p.id),
    array[0::bigint] || array_agg(p.at_today_to order by p.qh, p.id),
    p.currency = base, case when p.currency <> base then min(p.rate) end,
    count(*) over (partition by p.customer_id, p.country) = 1
  from (
    select o.customer_id, coalesce(o.shipping_country, c.country) as country, o.currency, c.owner_id, o.id,
      private.quarter_hour_number(o.placed_at) as qh, t.rate_to_base as rate,
      (sum(o.net_total_base * 100) over w)::bigint as revenue_to,
      (sum(case when o.currency = base then o.total - o.refunded_total
                else round((o.total - o.refunded_total) * coalesce(t.rate_to_base, o.exchange_rate), 2) end * 100) over w)::bigint
        as at_today_to
    from public.orders o
    join public.customers c on c.id = o.customer_id
    left join private.todays_rates() t on t.currency = o.currency
    where o.customer_id = any (customer_ids) and o.counts_as_purchase
    window w as (partition by o.customer_id, coalesce(o.shipping_country, c.country), o.currency
                 order by private.quarter_hour_number(o.placed_at), o.id rows unbounded preceding)
  ) p
  group by p.customer_id, p.country, p.currency;

  delete from private.customer_purchases s where s.customer_id = any (customer_ids);
  insert into private.customer_purchases (customer_id, owner_id, quarter_hours, revenue_before)
  select p.customer_id, min(p.owner_id::text)::uuid, array_agg(p.qh order by p.qh, p.id),
    array[0::bigint] || array_agg(p.revenue_to order by p.qh, p.id)
  from (
    select o.customer_id, c.owner_id, o.id, private.quarter_hour_number(o.placed_at) as qh,
      (sum(o.net_total_base * 100) over (partition by o.customer_id order by private.quarter_hour_number(o.placed_at), o.id
                                         rows unbounded preceding))::bigint as revenue_to
    from public.orders o
    join public.customers c on c.id = o.customer_id
    where o.customer_id = any (customer_ids) and o.counts_as_purchase
  ) p
  group by p.customer_id;

  if ids is not null then
    delete from private.customer_purchases_dirty x where x.id = any (ids);
  end if;
  return cardinality(customer_ids);
end;
$$;
comment on function private.fold_customer_purchases(integer) is 'Recomputes from the orders the purchase arrays of up to max_customers dirty customers (and of customers whose rows were folded at a rate that is no longer today''s), then removes exactly the dirty entries it read; returns how many customers it folded (0 when another fold holds the lock or there is nothing to do). Scheduled every 50 s when there is work.';
revoke execute on function private.fold_customer_purchases(integer) from public, anon, authenticated;
grant execute on function private.fold_customer_purchases(integer) to service_role;

-- ─── The readers (security definer: the summaries have no grants; the caller's reach is
--     applied as the orders' policies decide, through private.sees_owner_rows()) ─────────────

create function private.country_purchases_in_range(starts timestamptz, ends timestamptz, agent uuid)
returns table (country text, orders numeric, customers bigint, revenue numeric, at_today numeric)
language plpgsql stable security definer set search_path = '' set work_mem = '64MB' as $$
#variable_conflict use_column
declare
  base text := (select w.base_currency from public.workspace_settings w);
  sees record := (select x from private.sees_owner_rows() x);
  -- Dirty customers, as a value: the plan hashes the list (usually empty or small).
  dirty uuid[] := array(select distinct d.customer_id from private.customer_purchases_dirty d);
begin
  -- Only the caller's own reach: an agent passes their own id; null (every customer) only for a
  -- caller who sees every customer.
  if not (sees.sees_all or (agent is not null and agent = sees.agent_id)) then
    return;  -- nothing the caller may see (as the orders' policies would answer)
  end if;
  return query execute $q$
  with today as (select u.currency, u.rate_to_base from unnest($8::text[], $9::numeric[]) u (currency, rate_to_base)),
  kept as materialized (
    -- Every clean customer's purchases in the range per country and currency, from the arrays;
    -- stale: the row's at-today sums were folded at another rate (or base currency). Today's
    -- rates are looked up by position in two small arrays (a join would carry the arrays along).
    select s.customer_id, s.country, s.currency, s.alone, (w.j - w.i) as orders,
      s.revenue_before[w.j + 1] - s.revenue_before[w.i + 1] as revenue,
      s.at_today_before[w.j + 1] - s.at_today_before[w.i + 1] as at_today,
      s.folded_as_base is distinct from (s.currency = $4)
        or (s.currency <> $4 and s.today_rate is distinct from $9[array_position($8, s.currency)]) as stale
    from private.customer_country_purchases s
    cross join lateral (
      select width_bucket($5 - 1, s.quarter_hours) as i, width_bucket($6 - 1, s.quarter_hours) as j
    ) w
    where ($3::uuid is null or s.owner_id = $3::uuid) and w.j > w.i and not (s.customer_id = any ($7))
  ),
  live as (
    -- Dirty customers' and guests' purchases in the range, and those of a stale row (its customer,
    -- country and currency), from the orders, as the report computes them.
    select coalesce(o.shipping_country, c.country) as country, o.customer_id, count(*) as orders,
      sum(o.net_total_base * 100)::bigint as revenue,
      sum(case when o.currency = $4 then o.total - o.refunded_total
               else round((o.total - o.refunded_total) * coalesce(t.rate_to_base, o.exchange_rate), 2) end * 100)::bigint as at_today
    from (
      select o.* from public.orders o
      where o.customer_id = any ($7) and o.placed_at >= $1 and o.placed_at < $2 and o.counts_as_purchase
      union all
      select o.* from public.orders o
      where o.customer_id is null and o.placed_at >= $1 and o.placed_at < $2 and o.counts_as_purchase
      union all
      select o.* from kept k
      join public.orders o on o.customer_id = k.customer_id and o.currency = k.currency
        and o.placed_at >= $1 and o.placed_at < $2 and o.counts_as_purchase
      join public.customers c on c.id = o.customer_id and coalesce(o.shipping_country, c.country) is not distinct from k.country
      where k.stale
    ) o
    left join public.customers c on c.id = o.customer_id
    left join today t on t.currency = o.currency
    where ($3::uuid is null or o.customer_owner_id = $3::uuid)
    group by 1, 2
  )
  -- Sums add up over a customer's rows; customers are counted once per country: the rows alone
  -- for their customer and country as they are (hashed by country), the others and the rows
  -- from the orders without duplicates (a small sort).
  select x.country, sum(x.orders), sum(x.customers)::bigint, sum(x.revenue) * 0.01, sum(x.at_today) * 0.01
  from (
    select k.country, sum(k.orders) as orders, count(*) as customers, sum(k.revenue) as revenue, sum(k.at_today) as at_today
    from kept k where k.alone and not k.stale
    group by 1
    union all
    select k.country, sum(k.orders), count(distinct k.customer_id), sum(k.revenue), sum(k.at_today)
    from (
      select k.country, k.customer_id, k.orders, k.revenue, k.at_today from kept k where not k.alone and not k.stale
      union all
      select l.country, l.customer_id, l.orders, l.revenue, l.at_today from live l
    ) k
    group by 1
  ) x
  group by 1
  $q$ using starts, ends, agent, base, private.quarter_hour_number(starts), private.quarter_hour_number(ends), dirty,
    array(select t.currency from private.todays_rates() t order by t.currency),
    array(select t.rate_to_base from private.todays_rates() t order by t.currency);
end;
$$;
comment on function private.country_purchases_in_range(timestamptz, timestamptz, uuid) is 'Purchases placed in [starts, ends) per country: orders, distinct customers (guests not counted), revenue (net_total_base) and revenue at today''s rates, read from private.customer_country_purchases and, for dirty customers, guests and rows folded at another rate, from the orders. starts and ends must fall on UTC quarter-hours. agent: the caller''s own id for an agent, null for callers who see every customer.';
revoke execute on function private.country_purchases_in_range(timestamptz, timestamptz, uuid) from public, anon;
grant execute on function private.country_purchases_in_range(timestamptz, timestamptz, uuid) to authenticated, service_role;

create function private.cohort_activity(starts timestamptz, ends timestamptz, zone text, first_month date, months integer, agent uuid)
returns table (cohort date, cohort_customers bigint, month_offset integer, active bigint, revenue numeric)
language plpgsql stable security definer set search_path = '' set work_mem = '64MB' as $$
#variable_conflict use_column
declare
  sees record := (select x from private.sees_owner_rows() x);
  -- The quarter-hour at which each month of the range starts in the zone (months + 1 bounds).
  bounds integer[] := array(
    select private.quarter_hour_number((first_month + make_interval(months => k))::timestamp at time zone zone)
    from generate_series(0, months) k order by k
  );
  -- Dirty customers and customers whose metrics an import has queued, as a value.
  redo uuid[] := array(
    select d.customer_id from private.customer_purchases_dirty d
    union
    select p.customer_id from unnest(private.customers_with_pending_metrics()) p (customer_id)
  );
begin
  if not (sees.sees_all or (agent is not null and agent = sees.agent_id)) then
    return;  -- nothing the caller may see (as the orders' policies would answer)
  end if;
  return query execute $q$
  with members as (
    -- The cohort as the month's index in the range: the bounds are the zone's month starts, so
    -- the quarter-hour of first_order_at falls in its month's [bounds[k + 1], bounds[k + 2]).
    select c.id, width_bucket(private.quarter_hour_number(c.first_order_at), $7) - 1 as k0
    from public.customers c
    where c.first_order_at >= $1 and c.first_order_at < $2 and ($4::uuid is null or c.owner_id = $4::uuid)
  ),
  kept as (
    -- Each clean member's purchases in each month from their cohort's to the range's last: a month
    -- is active when the array holds an element in [bounds[k + 1], bounds[k + 2]).
    select m.k0, k - m.k0 as month_offset, count(*) as active,
      sum(p.revenue_before[w.j + 1] - p.revenue_before[w.i + 1]) as revenue
    from members m
    join private.customer_purchases p on p.customer_id = m.id
    cross join lateral generate_series(m.k0, $6 - 1) k
    cross join lateral (
      select width_bucket($7[k + 1] - 1, p.quarter_hours) as i, width_bucket($7[k + 2] - 1, p.quarter_hours) as j
    ) w
    where w.j > w.i and ($4::uuid is null or p.owner_id = $4::uuid) and not (m.id = any ($8))
    group by 1, 2
  ),
  monthly as (
    select o.customer_id, date_trunc('month', o.placed_at at time zone $3)::date as month, sum(o.net_total_base * 100)::bigint as revenue
    from public.orders o
    where o.customer_id = any ($8) and o.counts_as_purchase and o.placed_at < $2
      and o.customer_id in (select m.id from members m)
      and ($4::uuid is null or o.customer_owner_id = $4::uuid)
    group by 1, 2
  ),
  live as (
    select m.k0, ((extract(year from p.month) - extract(year from $5::date)) * 12
        + extract(month from p.month) - extract(month from $5::date))::integer - m.k0 as month_offset,
      count(*) as active, sum(p.revenue) as revenue
    from monthly p join members m on m.id = p.customer_id
    group by 1, 2
  ),
  sizes as (select m.k0, count(*) as n from members m group by 1)
  select ($5::date + make_interval(months => x.k0))::date, s.n, x.month_offset, sum(x.active)::bigint, sum(x.revenue) * 0.01
  from (
    select k.k0, k.month_offset, k.active, k.revenue from kept k
    union all
    select l.k0, l.month_offset, l.active, l.revenue from live l
  ) x
  join sizes s on s.k0 = x.k0
  group by x.k0, s.n, x.month_offset
  $q$ using starts, ends, zone, agent, first_month, months, bounds, redo;
end;
$$;
comment on function private.cohort_activity(timestamptz, timestamptz, text, date, integer, uuid) is 'Cohort size, active buyers and revenue per cohort (month of first_order_at in the zone) and months since, for the customers whose first purchase is in [starts, ends) (the range''s months, first_month and months), from private.customer_purchases and, for dirty customers or customers with queued metrics, from the orders. The months'' bounds must fall on UTC quarter-hours. agent: the caller''s own id for an agent, null for callers who see every customer.';
revoke execute on function private.cohort_activity(timestamptz, timestamptz, text, date, integer, uuid) from public, anon;
grant execute on function private.cohort_activity(timestamptz, timestamptz, text, date, integer, uuid) to authenticated, service_role;

-- ─── The reports, restated whole (from 20261210130100): same signatures, rows, refusals, grants ─

create or replace function public.report_revenue_by_country(from_day date, to_day date, timezone text default 'UTC')
returns table (country text, orders bigint, customers bigint, revenue numeric, revenue_at_today_rates numeric,
  fx_effect numeric, average_order_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
  -- An agent's reach as a value (see 20261210130100).
  agent uuid := (select x.agent_id from private.sees_owner_rows() x);
begin
  if extract(epoch from r.starts) % 900 = 0 and extract(epoch from r.ends) % 900 = 0 then
    -- The range's bounds are UTC quarter-hours: each customer's purchases from their arrays.
    return query
    select p.country, p.orders::bigint, p.customers, p.revenue, p.at_today, p.revenue - p.at_today,
      round(p.revenue / p.orders, 2)
    from private.country_purchases_in_range(r.starts, r.ends, agent) p
    order by 4 desc, 1;
    return;
  end if;
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
  if not exists (
    select from generate_series(0, months) k
    where extract(epoch from (first_month + make_interval(months => k))::timestamp at time zone zone) % 900 <> 0
  ) then
    -- Every month of the range starts on a UTC quarter-hour: members' purchases from their arrays.
    return query
    select a.cohort, a.cohort_customers, a.month_offset, a.active, round(a.active::numeric / a.cohort_customers, 4), a.revenue
    from private.cohort_activity(r.starts, r.ends, zone, first_month, months, agent) a
    order by 1, 3;
    return;
  end if;
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

-- ─── Guests' purchases by time (read from the orders on every call; guests have no array) ────

create index orders_guest_purchases_idx on public.orders (placed_at) where customer_id is null and counts_as_purchase;

-- ─── Fill from what is there, and fold about every minute ────────────────────────────────────

insert into private.customer_purchases_dirty (customer_id)
select distinct o.customer_id from public.orders o where o.customer_id is not null and o.counts_as_purchase;

select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'fold-customer-purchases';
select cron.schedule(
  'fold-customer-purchases',
  '50 seconds',
  $$select private.fold_customer_purchases() where exists (select from private.customer_purchases_dirty)
      or exists (select from private.customer_country_purchases s left join private.todays_rates() t on t.currency = s.currency
                 where s.folded_as_base is distinct from (s.currency = (select w.base_currency from public.workspace_settings w))
                    or (s.currency <> (select w.base_currency from public.workspace_settings w) and s.today_rate is distinct from t.rate_to_base))$$
);
