-- Top customers without summing every customer's year (issue 13: reports p95 < 300 ms at 1 000 000 orders)
--
-- Owns:
--   - private.customers_with_pending_metrics(): the customers an import has queued for a metrics
--     recompute (private.shop_import_pending_metrics, 20261208150100), whose lifetime_value and
--     order_count may be behind their orders until shopify_import_refresh_metrics runs;
--   - public.report_top_customers, restated whole from 20261207172000 (same signature, rows,
--     order, refusals and grants).
--
-- It summed the range's purchases of every customer (a year of orders hashed per customer) to
-- keep 20 or 50. A customer's purchases in any range are at most their purchases ever, and those
-- are on the customer row: lifetime_value (sum of net_total_base, never negative) and order_count,
-- kept in the order's own transaction by private.refresh_customer_metrics (20261121090100) — or
-- queued while an import applies its chunks. So the report sums the range only for the customers
-- with the largest bounds (read through customers_ltv_idx / customers_order_count_sort_idx, as
-- the caller may see them: row_limit + 50 first) plus every queued customer, and stops once the
-- row_limit-th best sum is above the bound of the first customer left out: nobody left out can
-- reach the list. When the range is one where few of the largest customers bought, it widens the
-- set twice (×4) and then sums every customer as before. No summary, no trigger: nothing changes
-- on the write paths. The rows are the same as before (compared on the bench's data for admin
-- and agent, revenue and orders, a year, a week and a range of 2024;
-- supabase/tests/database/per-customer-reports.test.ts).

create function private.customers_with_pending_metrics() returns uuid[]
language sql stable security definer set search_path = '' as $$
  -- Customers an import has written orders for and whose metrics it has not recomputed yet
  -- (20261208150100): their lifetime_value and order_count may be behind their orders.
  select coalesce(array_agg(distinct p.customer_id), '{}') from private.shop_import_pending_metrics p
$$;
comment on function private.customers_with_pending_metrics() is 'The customers whose metrics (lifetime_value, order_count, first/last order) an import has queued and not yet recomputed: while queued, those metrics may be behind the customer''s orders.';
revoke execute on function private.customers_with_pending_metrics() from public, anon;
grant execute on function private.customers_with_pending_metrics() to authenticated, service_role;

create or replace function public.report_top_customers(from_day date, to_day date, timezone text default 'UTC',
  rank_by text default 'revenue', row_limit integer default 20)
returns table (customer_id uuid, full_name text, email text, country text, orders bigint, revenue numeric, lifetime_value numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
  by_orders boolean;
  pending uuid[];
  wanted integer;
  candidates uuid[];
  next_bound numeric;
  has_more boolean;
  ids uuid[];
  counts bigint[];
  sums numeric[];
  kth numeric;
begin
  if rank_by is null or rank_by not in ('revenue', 'orders') then
    raise exception 'rank_by must be revenue or orders' using errcode = '22023';
  end if;
  if row_limit is null or row_limit not between 1 and 500 then
    raise exception 'row_limit must be between 1 and 500' using errcode = '22023';
  end if;
  by_orders := rank_by = 'orders';
  -- A customer's purchases in any range are at most their purchases ever: lifetime_value and
  -- order_count (kept in the order's own transaction by private.refresh_customer_metrics; net
  -- totals are never negative) bound what they can reach. So only the customers with the largest
  -- bounds need their range summed: once the row_limit-th best sum so far is above the bound of
  -- the next customer not summed, nobody else can enter the list. Customers whose metrics an
  -- import has not recomputed yet have no bound and are always summed.
  pending := private.customers_with_pending_metrics();
  -- The candidates' orders are read row by row (orders_customer_idx, then the heap): the largest
  -- customers are also the busiest (at --scale 1 the top 200 bought 22 000 times in a year), so
  -- start small and widen ×4.
  wanted := row_limit + 50;
  for attempt in 1..3 loop
    if by_orders then
      select coalesce(array_agg(c.id) filter (where c.n <= wanted), '{}'), max(c.bound) filter (where c.n > wanted),
        bool_or(c.n > wanted)
      into candidates, next_bound, has_more
      from (
        select x.id, x.order_count::numeric as bound, row_number() over (order by x.order_count desc, x.id) as n
        from (select c.id, c.order_count from public.customers c order by c.order_count desc, c.id limit wanted + 1) x
      ) c;
    else
      select coalesce(array_agg(c.id) filter (where c.n <= wanted), '{}'), max(c.bound) filter (where c.n > wanted),
        bool_or(c.n > wanted)
      into candidates, next_bound, has_more
      from (
        select x.id, x.lifetime_value as bound, row_number() over (order by x.lifetime_value desc, x.id) as n
        from (select c.id, c.lifetime_value from public.customers c order by c.lifetime_value desc, c.id limit wanted + 1) x
      ) c;
    end if;
    candidates := candidates || pending;
    -- The candidates' purchases in the range, summed once.
    select coalesce(array_agg(t.customer_id order by t.n), '{}'), coalesce(array_agg(t.orders order by t.n), '{}'),
      coalesce(array_agg(t.revenue order by t.n), '{}'), min(t.v) filter (where t.n = row_limit)
    into ids, counts, sums, kth
    from (
      select s.*, row_number() over (order by s.v desc) as n
      from (
        select o.customer_id, count(*) as orders, sum(o.net_total_base) as revenue,
          case when by_orders then count(*)::numeric else sum(o.net_total_base) end as v
        from public.orders o
        where o.customer_id = any (candidates) and o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends
        group by o.customer_id
      ) s
    ) t;
    if not coalesce(has_more, false) or (cardinality(ids) >= row_limit and kth > next_bound) then
      return query
      select c.id, c.full_name, c.email, c.country, t.orders, t.revenue, c.lifetime_value
      from unnest(ids, counts, sums) as t (customer_id, orders, revenue)
      join public.customers c on c.id = t.customer_id
      order by case when by_orders then t.orders::numeric else t.revenue end desc,
        case when by_orders then t.revenue else t.orders::numeric end desc, c.id
      limit row_limit;
      return;
    end if;
    wanted := wanted * 4;
  end loop;
  -- A range where few of the largest customers bought: every customer's purchases, summed.
  return query
  select c.id, c.full_name, c.email, c.country, t.orders, t.revenue, c.lifetime_value
  from (
    select o.customer_id, count(*) as orders, sum(o.net_total_base) as revenue
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= r.starts and o.placed_at < r.ends and o.customer_id is not null
    group by o.customer_id
  ) t
  join public.customers c on c.id = t.customer_id
  order by case when by_orders then t.orders::numeric else t.revenue end desc,
    case when by_orders then t.revenue else t.orders::numeric end desc, c.id
  limit row_limit;
end;
$$;
comment on function public.report_top_customers(date, date, text, text, integer) is 'The customers with the most revenue (or orders) in the range, with their lifetime value. Sums the range only for the customers whose lifetime value (order count) could still reach the list, plus those an import has not recomputed yet.';
revoke execute on function public.report_top_customers(date, date, text, text, integer) from public, anon;
grant execute on function public.report_top_customers(date, date, text, text, integer) to authenticated, service_role;
