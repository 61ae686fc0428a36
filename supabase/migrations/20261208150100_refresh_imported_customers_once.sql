-- An import recomputes each customer's metrics once, after its orders (issue 11: ≥ 2 000 orders/s).
--
-- Applied as sets (20261208150000), an import chunk still recomputed the metrics and stage of every
-- customer it touched: one UPDATE of the customer row (sixteen indexes, the audit trail) per
-- customer per chunk, a third of a chunk's time, and a customer with orders in ten chunks was
-- rewritten ten times. The result only matters once the import has applied every order.
--
-- Owns:
--   - private.shop_import_pending_metrics: the customers whose orders an import changed and whose
--     metrics are not recomputed yet (written in the chunk's own transaction, so a crash loses
--     nothing and a repeated chunk adds nothing).
--   - private.refresh_metrics_after_order_change(), re-created: the same, except that while an
--     import chunk is applied (the transaction-local setting `cairn.defer_customer_metrics` holds
--     the import's id) the affected customers are queued there instead of recomputed.
--   - public.shopify_import_apply_chunk: unchanged from 20261208150000 but for setting it.
--   - private.refresh_customer_metrics_set(ids): the recompute of private.refresh_customer_metrics
--     (same lock order, sums, stage rule: advance with the order count, never backwards) as one
--     UPDATE for a batch of customers.
--   - public.shopify_import_refresh_metrics(import, batch): recomputes up to `batch` queued
--     customers and answers how many are left; shopify-import calls it once the orders are in,
--     before it marks the import completed.
-- Webhooks are not deferred: outside an import chunk the trigger recomputes at once, as before,
-- so a delivery during an import still shows its customer's metrics right away.

create table private.shop_import_pending_metrics (
  import_id uuid not null references public.shop_imports (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  primary key (import_id, customer_id)
);
comment on table private.shop_import_pending_metrics is 'Customers whose metrics an import still has to recompute (queued by its chunks, drained by shopify_import_refresh_metrics).';
revoke all on private.shop_import_pending_metrics from public, anon, authenticated, service_role;

create or replace function private.refresh_metrics_after_order_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  affected uuid[];
  deferred_import uuid := nullif(current_setting('cairn.defer_customer_metrics', true), '')::uuid;
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
  if affected is null then
    return null;
  end if;
  if deferred_import is not null then
    -- An import chunk: recomputed once the import's orders are all in.
    insert into private.shop_import_pending_metrics (import_id, customer_id)
    select deferred_import, a.id from unnest(affected) as a (id)
    on conflict do nothing;
    return null;
  end if;
  perform private.refresh_customer_metrics(affected);
  return null;
end;
$$;

create function private.refresh_customer_metrics_set(customer_ids uuid[]) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  -- The lock order of private.refresh_customer_metrics (by id, NO KEY UPDATE); what follows
  -- runs as new statements, so it sees every order committed by a transaction it waited for.
  perform from public.customers c where c.id = any (customer_ids) order by c.id for no key update;
  update public.customers c
  set lifetime_value = m.lifetime_value,
      order_count = m.order_count,
      first_order_at = m.first_order_at,
      last_order_at = m.last_order_at,
      lifecycle_stage = coalesce(m.wanted_stage, c.lifecycle_stage)
  from (
    select
      t.id,
      t.lifetime_value,
      t.order_count,
      t.first_order_at,
      t.last_order_at,
      -- The stage advances with the order count (→ customer → repeat), never backwards.
      case when current_stage.position is not null and wanted.position > current_stage.position then wanted.key end as wanted_stage
    from (
      select
        x.id,
        coalesce(sum(o.net_total_base), 0) as lifetime_value,
        count(o.id)::integer as order_count,
        min(o.placed_at) as first_order_at,
        max(o.placed_at) as last_order_at
      from unnest(customer_ids) as x (id)
      left join public.orders o on o.customer_id = x.id and o.counts_as_purchase
      group by x.id
    ) as t
    join public.customers cu on cu.id = t.id
    left join public.lifecycle_stages current_stage on current_stage.key = cu.lifecycle_stage
    left join public.lifecycle_stages wanted
      on wanted.key = case when t.order_count >= 2 then 'repeat' when t.order_count = 1 then 'customer' end
  ) as m
  where c.id = m.id
    and ((c.lifetime_value, c.order_count, c.first_order_at, c.last_order_at)
           is distinct from (m.lifetime_value, m.order_count, m.first_order_at, m.last_order_at)
         or m.wanted_stage is not null);
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function private.refresh_customer_metrics_set(uuid[]) is 'private.refresh_customer_metrics for a batch of customers in one UPDATE (lifetime value, order count, first/last order, stage advanced by the order count). Returns how many rows changed.';
revoke execute on function private.refresh_customer_metrics_set(uuid[]) from public, anon, authenticated;

create function public.shopify_import_refresh_metrics(import_id uuid, batch integer default 5000) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  ids uuid[];
  remaining integer;
begin
  with taken as (
    delete from private.shop_import_pending_metrics p
    where p.import_id = shopify_import_refresh_metrics.import_id
      and p.customer_id in (
        select q.customer_id from private.shop_import_pending_metrics q
        where q.import_id = shopify_import_refresh_metrics.import_id
        order by q.customer_id
        limit greatest(least(batch, 50000), 1)
      )
    returning p.customer_id
  )
  select array_agg(t.customer_id) into ids from taken t;
  if ids is not null then
    perform private.refresh_customer_metrics_set(ids);
  end if;
  select count(*) into remaining from private.shop_import_pending_metrics p
  where p.import_id = shopify_import_refresh_metrics.import_id;
  return remaining;
end;
$$;
comment on function public.shopify_import_refresh_metrics(uuid, integer) is 'Recomputes the metrics of up to `batch` customers an import''s chunks queued; answers how many are still queued (service role only).';
revoke execute on function public.shopify_import_refresh_metrics(uuid, integer) from public, anon, authenticated;
grant execute on function public.shopify_import_refresh_metrics(uuid, integer) to service_role;
