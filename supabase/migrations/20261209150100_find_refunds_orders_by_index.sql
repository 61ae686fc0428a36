-- An import chunk's refunds find their orders by the (shop_id, external_id) index (issue 11:
-- history-import throughput; docs/benchmarks.md, "Where a chunk's time goes").
--
-- Why: private.apply_shopify_refunds_set (20261208150000) joined the chunk's records to
-- public.orders twice — once to check that every refund's order is known, once to insert — and the
-- planner, expecting 100 rows from jsonb_array_elements, read every order of every shop (a hash
-- join over a sequential scan) both times. Profiled on a 1 000-order chunk that was ~0.8 s of
-- ~2 s, and it grows with the orders stored: at the issue's million orders it would dominate.
--
-- Owns: private.apply_shopify_refunds_set, re-created. The same rules: a refund is stored once
-- and never changed (ON CONFLICT DO NOTHING), in its order's currency, refunded at processedAt,
-- createdAt or the record's version; a refund whose order is missing makes the set form give up
-- (the chunk is applied row by row, where that refund is recorded as an error). Now each refund's
-- order is found by one index look-up (LIMIT 1 keeps the look-up per row), once: the refunds whose
-- order was found are inserted, and if any was not, the function raises — inside the chunk's
-- subtransaction, so the insert is rolled back with the rest.

create or replace function private.apply_shopify_refunds_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
  missing integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'refund') then
    return 0;
  end if;
  -- A refund is an immutable event: stored once, never changed by a later record.
  with wanted as materialized (
    select e.n, x.r, (e.item ->> 'version')::timestamptz as version, found.id as order_id, found.currency
    from jsonb_array_elements(records) with ordinality as e (item, n)
    cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
    left join lateral (
      select o.id, o.currency from public.orders o
      where o.shop_id = target_shop and o.external_id = (x.r ->> 'orderShopifyId')::bigint
      limit 1
    ) as found on true
    where e.item -> 'mapped' ->> 'kind' = 'refund'
  ), added as (
    insert into public.refunds (order_id, external_id, amount, currency, reason, refunded_at)
    select
      w.order_id, (w.r ->> 'shopifyId')::bigint, coalesce((w.r ->> 'amount')::numeric, 0), w.currency,
      private.shopify_text(w.r ->> 'note', 1000),
      coalesce((w.r ->> 'processedAt')::timestamptz, (w.r ->> 'createdAt')::timestamptz, w.version)
    from wanted w
    where w.order_id is not null
    order by w.n
    on conflict (order_id, external_id) do nothing
    returning 1
  )
  select (select count(*) from added), (select count(*) from wanted w where w.order_id is null)
  into changed, missing;
  if missing > 0 then
    raise exception 'a refund''s order is not known yet' using errcode = 'P0002';
  end if;
  return changed;
end;
$$;
comment on function private.apply_shopify_refunds_set(uuid, jsonb) is 'The refund records of an import chunk as one insert, by the rules of private.apply_shopify_refund, each order found by its index; raises (so the chunk goes row by row) when a refund''s order is missing. Returns how many were added.';
