-- Customer metrics kept by the database
--
-- Owns: the triggers that keep customers.lifetime_value, order_count, first_order_at and
-- last_order_at (and so the generated average_order_value) equal to what the orders say, and
-- the lifecycle advance they drive. The rules:
--
--   An order COUNTS when orders.counts_as_purchase: not cancelled, financial_status paid,
--   partially_paid or partially_refunded, and not refunded in full. Pending, authorized,
--   voided, refunded and cancelled orders do not count.
--   lifetime_value = sum of net_total_base (total_base - refunded_base) of the orders that count,
--                    in the base currency at each order's own exchange rate
--   order_count    = number of orders that count
--   first/last_order_at = min/max placed_at of the orders that count (null when none)
--   average_order_value = lifetime_value / order_count (generated column on customers)
--   Lifecycle: one counted order moves a customer whose stage comes before `customer` in the
--   configured order (prospect, lead) to `customer`; two counted orders move one before
--   `repeat` to `repeat`. Only forward, never back: vip, at_risk and churned customers keep
--   their stage, and losing orders (cancel, refund) never demotes anyone.
--
-- How: statement-level triggers on orders (insert, update, delete; refunds reach them through
-- the refund sums on orders) collect the customers whose counted orders changed, on both sides
-- of a customer_id change, and recompute each from scratch (cheap with orders(customer_id)).
-- The customer rows are locked first, in id order, so concurrent orders for one customer
-- serialise and the recompute (a new statement, so a new snapshot) sees every committed order.
-- The functions are security definer, owned by postgres: clients hold no privilege on the
-- metric columns, yet their order writes keep them right.

create function private.refresh_customer_metrics(customer_ids uuid[]) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return;
  end if;

  -- NO KEY UPDATE: does not conflict with the KEY SHARE lock an order insert takes on its
  -- customer through the foreign key, but does serialise two recomputes of the same customer.
  perform 1 from public.customers c where c.id = any (customer_ids) order by c.id for no key update;

  with metrics as (
    select
      t.id,
      coalesce(sum(o.net_total_base) filter (where o.counts_as_purchase), 0) as lifetime_value,
      (count(*) filter (where o.counts_as_purchase))::integer as order_count,
      min(o.placed_at) filter (where o.counts_as_purchase) as first_order_at,
      max(o.placed_at) filter (where o.counts_as_purchase) as last_order_at
    from unnest(customer_ids) as t (id)
    left join public.orders o on o.customer_id = t.id
    group by t.id
  )
  update public.customers c
  set lifetime_value = m.lifetime_value,
      order_count = m.order_count,
      first_order_at = m.first_order_at,
      last_order_at = m.last_order_at
  from metrics m
  where c.id = m.id
    and (c.lifetime_value, c.order_count, c.first_order_at, c.last_order_at)
        is distinct from (m.lifetime_value, m.order_count, m.first_order_at, m.last_order_at);

  update public.customers c
  set lifecycle_stage = target.key
  from public.lifecycle_stages current_stage, public.lifecycle_stages target
  where c.id = any (customer_ids)
    and current_stage.key = c.lifecycle_stage
    and target.key = case when c.order_count >= 2 then 'repeat' when c.order_count = 1 then 'customer' end
    and current_stage.position < target.position;
end;
$$;
comment on function private.refresh_customer_metrics(uuid[]) is 'Recomputes lifetime value, order count and first/last order of the given customers from their orders, then advances their lifecycle stage (prospect/lead → customer → repeat, never backwards). Service role may call it to repair.';
grant execute on function private.refresh_customer_metrics(uuid[]) to service_role;

create function private.refresh_metrics_after_order_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  affected uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg(distinct n.customer_id) into affected
    from new_rows n
    where n.customer_id is not null and n.counts_as_purchase;
  elsif tg_op = 'DELETE' then
    select array_agg(distinct o.customer_id) into affected
    from old_rows o
    where o.customer_id is not null and o.counts_as_purchase;
  else
    -- Only changes that move a metric: who bought, whether it counts, its value, its date.
    -- Both customers of a customer_id change are recomputed.
    select array_agg(distinct x.customer_id) into affected
    from old_rows o
    join new_rows n on n.id = o.id
    cross join lateral (values (o.customer_id), (n.customer_id)) as x (customer_id)
    where x.customer_id is not null
      and (o.counts_as_purchase or n.counts_as_purchase)
      and (o.customer_id, o.counts_as_purchase, o.net_total_base, o.placed_at)
          is distinct from (n.customer_id, n.counts_as_purchase, n.net_total_base, n.placed_at);
  end if;
  perform private.refresh_customer_metrics(affected);
  return null;
end;
$$;
comment on function private.refresh_metrics_after_order_change() is 'Statement trigger on orders: recomputes the metrics of every customer whose counted orders changed.';

create trigger refresh_customer_metrics_after_insert after insert on public.orders
  referencing new table as new_rows
  for each statement execute function private.refresh_metrics_after_order_change();
create trigger refresh_customer_metrics_after_update after update on public.orders
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.refresh_metrics_after_order_change();
create trigger refresh_customer_metrics_after_delete after delete on public.orders
  referencing old table as old_rows
  for each statement execute function private.refresh_metrics_after_order_change();

-- Customers who already have orders (none on a fresh database; this makes the migration safe
-- to apply on top of imported data).
select private.refresh_customer_metrics(array(select distinct customer_id from public.orders where customer_id is not null));

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- private function says who may call it explicitly.
revoke execute on function private.refresh_customer_metrics(uuid[]),
  private.refresh_metrics_after_order_change()
  from public, anon;
