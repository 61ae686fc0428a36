-- A history import chunk's orders read once each, its refunds' orders found without a scan, and an
-- import that ran out of time goes on at once (issue 11: ≥ 2 000 orders/s end to end;
-- docs/benchmarks.md, "Scheduling gaps, refunds' orders, each order read once").
--
-- Why (profiled: one 1 000-order chunk applied and rolled back, the backend's CPU time read from
-- /proc; and the worker's own timings per chunk):
--   - pg_temp.import_orders.r (the order without its line items, ~1.7 KB) is still stored
--     compressed: its row also holds the items and the buyer, over the 2 KB at which Postgres
--     compresses the widest value. The orders upsert reads some thirty fields of r per order (the
--     shipping address eight times), and each read decompressed it again. Reading it once per
--     order (a decompressed copy, `r #> '{}'`) cut the chunk's CPU time by ~15 %.
--   - the chunk's refunds looked their orders up by (shop_id, external_id), and for a shop newer
--     than the orders table's statistics the planner took orders_shop_idx (shop_id, placed_at)
--     and read every order of the shop for each refund: ~3.5 ms a refund at 1 000 orders stored,
--     growing with the shop (the "refunds step ~1.5 s a chunk" left unexplained in
--     docs/benchmarks.md). They now find the chunk's own orders in pg_temp.import_orders.
--   - private.sync_order_refunds summed the refunds of the touched orders with a hash join over
--     every refund stored (read whole for each chunk), and private.record_audit_rows compared an
--     UPDATE's old and new rows in a nested loop whose join filter built both rows' jsonb for every
--     pair (66 refunded orders: 4 356 pairs, 8 700 jsonb values; 1 000 updated rows would be two
--     million). Per order by its index now, and each pair's jsonb built once.
--   - shopify-import works ~25 s per call and then releases the import; nothing asked for the next
--     call at once (the after-chunk request of the last chunk arrived while the lease was still
--     held), so the import waited for pg_cron — up to a minute in production, 5 s in the bench
--     (its own nudge): ~20 % of an import's wall time at the bench's size.
--
-- Owns:
--   - private.apply_shopify_orders_set, re-created from 20261209150200 with only the upsert's
--     source changed (each order's record decompressed once). Every value written, every rule and
--     every lock is the same.
--   - private.apply_shopify_refunds_set, re-created from 20261209150100: each refund's order is
--     the chunk's staged order (pg_temp.import_orders, indexed here by Shopify id; the orders set
--     ran first in private.apply_shopify_chunk), read by primary key, else found by
--     (shop_id, external_id) as before. Same rows, same rules, same error when an order is missing.
--   - private.sync_order_refunds (trigger function of refunds; 20261121061200), re-created: each
--     touched order's refunds summed by refunds_order_idx. Same values written.
--   - private.record_audit_rows (trigger function of orders and order_items; 20261208173000),
--     re-created: an UPDATE's rows are paired by a hash join on id (enable_nestloop off for the
--     function: transition tables have no statistics) and each pair's before/after is built once
--     (offset 0 keeps the comparison above the join). Same entries written.
--   - public.shopify_import_continue(import_id): asks (pg_net, after commit) for the next
--     shopify-import call at once, when the import is still running and nobody holds its lease.
--     shopify-import calls it when its time per call ran out with work left. Service role only.

create function public.shopify_import_continue(import_id uuid) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not exists (
    select from public.shop_imports i
    where i.id = shopify_import_continue.import_id and i.status = 'running'
      and (i.leased_until is null or i.leased_until < now())
  ) then
    return false;
  end if;
  perform private.request_next_import_chunk();
  return true;
end;
$$;
comment on function public.shopify_import_continue(uuid) is 'Asks for the next shopify-import call at once (pg_net, after commit) when the import is running and unleased: a worker whose time ran out with work left calls it, so the import does not wait for the every-minute schedule. Answers whether it asked. Service role only.';
revoke execute on function public.shopify_import_continue(uuid) from public, anon, authenticated;
grant execute on function public.shopify_import_continue(uuid) to service_role;

create or replace function private.apply_shopify_orders_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  newcomer record;
  found_id uuid;
  changed integer;
  base text := (select s.base_currency from public.workspace_settings s);
begin
  drop table if exists pg_temp.import_orders;
  create temporary table import_orders on commit drop as
  select
    e.n,
    (r ->> 'shopifyId')::bigint as shopify_id,
    (r ->> 'updatedAt')::timestamptz as updated_at,
    (e.item ->> 'version')::timestamptz as triggered,
    -- The order without its line items, small enough to be stored uncompressed: the upsert reads
    -- some thirty fields of it per order, and each read of a compressed value decompressed it
    -- whole. The items apart.
    r - 'items' as r,
    r -> 'items' as items,
    -- The buyer: the order's customer (its email falling back to the order's), or a guest
    -- checkout matched by email.
    b.buyer,
    (b.buyer ->> 'shopifyId')::bigint as buyer_shopify_id,
    case when private.is_email(private.shopify_text(b.buyer ->> 'email', 320))
      then private.shopify_text(b.buyer ->> 'email', 320) end as buyer_email,
    null::uuid as customer_id,
    null::text as order_name,
    null::uuid as order_id
  from jsonb_array_elements(records) with ordinality as e (item, n)
  cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
  cross join lateral (
    select case
      when coalesce(private.json_object(r -> 'customer'), '{}') ->> 'email' is null and r ->> 'email' is not null
        then coalesce(private.json_object(r -> 'customer'), '{}') || jsonb_build_object('email', r ->> 'email')
      else coalesce(private.json_object(r -> 'customer'), '{}')
    end
  ) as b (buyer)
  where e.item -> 'mapped' ->> 'kind' = 'order';
  if not exists (select from pg_temp.import_orders) then
    return 0;
  end if;
  if exists (select from pg_temp.import_orders group by shopify_id having count(*) > 1) then
    raise exception 'an order twice in one chunk' using errcode = '0A000';
  end if;

  with claimed as (
    insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
    select target_shop, 'order', o.shopify_id, o.updated_at, o.triggered from pg_temp.import_orders o
    order by o.shopify_id
    on conflict (shop_id, resource, external_id) do update
      set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
      where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
    returning v.external_id
  )
  delete from pg_temp.import_orders o where o.shopify_id not in (select external_id from claimed);
  analyze pg_temp.import_orders;

  -- Buyers Cairn knows, by Shopify id then email; those matched by email get the Shopify id.
  update pg_temp.import_orders o set customer_id = x.customer_id
  from public.customer_external_ids x where x.shop_id = target_shop and x.external_id = o.buyer_shopify_id;
  update pg_temp.import_orders o set customer_id = c.id
  from public.customers c
  where o.customer_id is null and o.buyer_email is not null and lower(c.email) = lower(o.buyer_email);
  if exists (
    select from pg_temp.import_orders o where o.buyer_shopify_id is not null and o.customer_id is not null
    group by o.buyer_shopify_id having count(distinct o.customer_id) > 1
  ) then
    raise exception 'one Shopify customer matches two Cairn customers in one chunk' using errcode = '0A000';
  end if;
  insert into public.customer_external_ids (shop_id, external_id, customer_id)
  select distinct target_shop, o.buyer_shopify_id, o.customer_id from pg_temp.import_orders o
  where o.buyer_shopify_id is not null and o.customer_id is not null
  on conflict on constraint customer_external_ids_pkey do nothing;
  -- Buyers Cairn does not know yet (rare in an import: the customers phase came first) are made
  -- by the webhook's own function, in the chunk's order.
  for newcomer in
    select o.n, o.buyer, o.triggered from pg_temp.import_orders o
    where o.customer_id is null and (o.buyer_shopify_id is not null or o.buyer_email is not null)
    order by o.n
  loop
    select u.customer_id into found_id from private.upsert_shopify_customer(target_shop, newcomer.buyer, newcomer.triggered, false) u;
    update pg_temp.import_orders o set customer_id = found_id where o.n = newcomer.n;
  end loop;

  -- Order names are unique per shop; a name another order holds gets this order's id.
  update pg_temp.import_orders o
  set order_name = coalesce(private.shopify_text(o.r ->> 'name', 80), '#' || (o.r ->> 'orderNumber'), 'S-' || o.shopify_id);
  if exists (select from pg_temp.import_orders group by order_name having count(*) > 1) then
    raise exception 'two orders of one chunk share a name' using errcode = '0A000';
  end if;
  update pg_temp.import_orders o set order_name = o.order_name || ' (' || o.shopify_id || ')'
  where exists (
    select 1 from public.orders x
    where x.shop_id = target_shop and x.order_number = o.order_name and x.external_id is distinct from o.shopify_id
  );

  -- What the orders' row triggers would look up one row at a time, looked up here for the set
  -- (private.prepare_order and private.set_customer_owner keep it on insert while
  -- cairn.import_rows_prepared is on): the buyers' owners, read FOR KEY SHARE as
  -- set_customer_owner reads them (so a reassignment in progress is waited for), and the rate of
  -- each order's UTC day with its date and staleness, as private.rate_on / rate_day_on find them.
  -- An order whose rate is missing gets none here: the trigger looks it up and raises as before.
  perform from public.customers c
  where c.id in (select i.customer_id from pg_temp.import_orders i where i.customer_id is not null)
  order by c.id
  for key share;
  perform set_config('cairn.import_rows_prepared', 'on', true);

  with saved as (
    insert into public.orders as o (
      shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at, cancel_reason,
      currency, subtotal, discount_total, shipping_total, tax_total, total,
      shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
      shipping_country, shipping_phone, note, source, placed_at, processed_at, external_updated_at,
      customer_owner_id, exchange_rate, total_base, exchange_rate_date, exchange_rate_stale
    )
    select
      target_shop, i.shopify_id, i.customer_id, i.order_name,
      case
        when i.r ->> 'financialStatus' = any (enum_range(null::public.order_financial_status)::text[])
          then (i.r ->> 'financialStatus')::public.order_financial_status
        when i.r ->> 'financialStatus' = 'expired' then 'voided'
        else 'pending'
      end,
      case i.r ->> 'fulfillmentStatus'
        when 'fulfilled' then 'fulfilled'
        when 'partial' then 'partially_fulfilled'
        when 'restocked' then 'restocked'
        else 'unfulfilled'
      end::public.order_fulfillment_status,
      (i.r ->> 'cancelledAt')::timestamptz,
      private.shopify_text(i.r ->> 'cancelReason', 500),
      i.r ->> 'currency',
      greatest(m.subtotal, 0),
      greatest(coalesce((i.r ->> 'totalDiscounts')::numeric, 0), 0),
      -- Shopify's total is subtotal (after discounts) + shipping + tax.
      greatest(m.total - m.subtotal - m.tax, 0),
      greatest(m.tax, 0),
      m.total,
      private.shopify_text(ship ->> 'name', 200),
      private.shopify_text(ship ->> 'line1', 300),
      private.shopify_text(ship ->> 'line2', 300),
      private.shopify_text(ship ->> 'city', 100),
      private.shopify_text(ship ->> 'region', 100),
      private.shopify_text(ship ->> 'postalCode', 20),
      (select co.code from public.countries co where co.code = upper(btrim(ship ->> 'countryCode'))),
      private.shopify_text(ship ->> 'phone', 40),
      private.shopify_text(i.r ->> 'note', 5000),
      'shopify',
      (i.r ->> 'createdAt')::timestamptz,
      (i.r ->> 'processedAt')::timestamptz,
      i.updated_at,
      (select c.owner_id from public.customers c where c.id = i.customer_id),
      fx.rate,
      round(m.total * fx.rate, 2),
      fx.rate_date,
      case when fx.rate_date is not null then d.day - fx.rate_date > 3 else i.r ->> 'currency' <> base end
    -- Each order's record read once: jsonb #> '{}' answers the value itself, decompressed, so the
    -- select list's thirty reads work on a plain copy (the subquery is kept apart by offset 0).
    from (
      select i0.shopify_id, i0.customer_id, i0.order_name, i0.updated_at, i0.r #> '{}' as r
      from pg_temp.import_orders i0
      offset 0
    ) as i
    cross join lateral (select private.json_object(i.r -> 'shippingAddress')) as s (ship)
    cross join lateral (
      select coalesce((i.r ->> 'subtotal')::numeric, 0), coalesce((i.r ->> 'totalTax')::numeric, 0), (i.r ->> 'total')::numeric
    ) as m (subtotal, tax, total)
    cross join lateral (select ((i.r ->> 'createdAt')::timestamptz at time zone 'UTC')::date) as d (day)
    left join lateral (
      select 1::numeric as rate, null::date as rate_date where i.r ->> 'currency' = base
      union all
      (select x.rate_to_base, x.rate_date from public.exchange_rates x
       where i.r ->> 'currency' <> base and x.currency = i.r ->> 'currency' and x.rate_date <= d.day
       order by x.rate_date desc limit 1)
    ) as fx on true
    order by i.shopify_id
    -- The rate columns count on insert only: an update keeps the order's rate (prepare_order), as
    -- for a webhook; customer_owner_id is recomputed by set_customer_owner on update.
    on conflict (shop_id, external_id) do update
      set customer_id = coalesce(excluded.customer_id, o.customer_id),
          order_number = excluded.order_number,
          financial_status = excluded.financial_status,
          fulfillment_status = excluded.fulfillment_status,
          cancelled_at = excluded.cancelled_at,
          cancel_reason = excluded.cancel_reason,
          currency = excluded.currency,
          subtotal = excluded.subtotal,
          discount_total = excluded.discount_total,
          shipping_total = excluded.shipping_total,
          tax_total = excluded.tax_total,
          total = excluded.total,
          shipping_name = excluded.shipping_name,
          shipping_address1 = excluded.shipping_address1,
          shipping_address2 = excluded.shipping_address2,
          shipping_city = excluded.shipping_city,
          shipping_region = excluded.shipping_region,
          shipping_postal_code = excluded.shipping_postal_code,
          shipping_country = excluded.shipping_country,
          shipping_phone = excluded.shipping_phone,
          note = excluded.note,
          placed_at = excluded.placed_at,
          processed_at = excluded.processed_at,
          external_updated_at = excluded.external_updated_at
    returning o.id, o.external_id
  )
  update pg_temp.import_orders i set order_id = saved.id from saved where i.shopify_id = saved.external_id;

  -- Line items: upserted by Shopify id; items no longer in the order are removed; quantity 0 is
  -- not a line Cairn keeps.
  drop table if exists pg_temp.import_order_items;
  create temporary table import_order_items on commit drop as
  select
    i.order_id,
    i.r ->> 'currency' as currency,
    (item ->> 'shopifyId')::bigint as external_id,
    coalesce(private.shopify_text(item ->> 'title', 500), 'Item') as title,
    private.shopify_text(item ->> 'variantTitle', 500) as variant_title,
    private.shopify_text(item ->> 'sku', 100) as sku,
    private.shopify_text(item ->> 'vendor', 200) as vendor,
    (item ->> 'quantity')::integer as quantity,
    greatest((item ->> 'unitPrice')::numeric, 0) as unit_price,
    greatest(coalesce((item ->> 'discount')::numeric, 0), 0) as discount_total,
    greatest((item ->> 'total')::numeric, 0) as total,
    (item ->> 'productShopifyId')::bigint as product_external_id,
    (item ->> 'variantShopifyId')::bigint as variant_external_id
  from pg_temp.import_orders i
  cross join lateral jsonb_array_elements(coalesce(i.items, '[]')) as e (item)
  where (item ->> 'quantity')::integer > 0;
  analyze pg_temp.import_order_items;

  -- The chunk's orders' items found by order_items_order_idx (a join planned as a hash join read
  -- every line item stored).
  delete from public.order_items x
  where x.order_id = any (array(select i.order_id from pg_temp.import_orders i))
    and (x.external_id is null
         or x.external_id not in (select n.external_id from pg_temp.import_order_items n where n.order_id = x.order_id));

  -- The orders' owners as set_order_owner would copy them (this transaction holds every one of
  -- these orders, just written, so its KEY SHARE lock adds nothing); the currency is the order's
  -- by construction (prepare_order_item's check).
  insert into public.order_items as x (
    order_id, external_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency,
    customer_owner_id
  )
  select
    n.order_id, n.external_id, found.product_id, found.variant_id, n.title, n.variant_title, n.sku, n.vendor,
    n.quantity, n.unit_price, n.discount_total, n.total, n.currency,
    (select o.customer_owner_id from public.orders o where o.id = n.order_id)
  from pg_temp.import_order_items n
  cross join lateral (
    select
      (select p.id from public.products p where p.shop_id = target_shop and p.external_id = n.product_external_id) as product_id,
      (select v.id
       from public.products p
       join public.product_variants v on v.product_id = p.id and v.external_id = n.variant_external_id
       where p.shop_id = target_shop and p.external_id = n.product_external_id) as variant_id
  ) as found
  order by n.order_id, n.external_id
  on conflict on constraint order_items_order_external_id_key do update
    set product_id = excluded.product_id, variant_id = excluded.variant_id, title = excluded.title,
        variant_title = excluded.variant_title, sku = excluded.sku, vendor = excluded.vendor, quantity = excluded.quantity,
        unit_price = excluded.unit_price, discount_total = excluded.discount_total, total = excluded.total
    where (x.product_id, x.variant_id, x.title, x.variant_title, x.sku, x.vendor, x.quantity, x.unit_price, x.discount_total, x.total)
      is distinct from (excluded.product_id, excluded.variant_id, excluded.title, excluded.variant_title, excluded.sku,
        excluded.vendor, excluded.quantity, excluded.unit_price, excluded.discount_total, excluded.total);
  perform set_config('cairn.import_rows_prepared', 'off', true);

  select count(*) into changed from pg_temp.import_orders;
  return changed;
end;
$$;
comment on function private.apply_shopify_orders_set(uuid, jsonb) is 'The order records of an import chunk as sets, by the rules of private.apply_shopify_order (versions, buyers, names, order and line-item upserts); looks up the new orders'' rates and owners and the items'' owners for the set (cairn.import_rows_prepared), which the row triggers keep. Returns how many were created or updated.';
revoke execute on function private.apply_shopify_orders_set(uuid, jsonb) from public, anon, authenticated;

create or replace function private.apply_shopify_refunds_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
  missing integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'refund') then
    return 0;
  end if;
  -- The chunk's orders by Shopify id: each refund looks its order up there first.
  create index on pg_temp.import_orders (shopify_id);
  -- A refund is an immutable event: stored once, never changed by a later record.
  with wanted as materialized (
    select e.n, x.r, (e.item ->> 'version')::timestamptz as version, found.id as order_id, found.currency
    from jsonb_array_elements(records) with ordinality as e (item, n)
    cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
    -- The refund's order: the chunk's own (private.apply_shopify_orders_set staged it in
    -- pg_temp.import_orders with its id, and ran first), read by its primary key; else (an order
    -- of an earlier chunk, or one whose record was older than the stored version) by
    -- (shop_id, external_id). The second look-up runs only when the first found nothing.
    left join lateral (
      (select o.id, o.currency from pg_temp.import_orders io join public.orders o on o.id = io.order_id
       where io.shopify_id = (x.r ->> 'orderShopifyId')::bigint
       limit 1)
      union all
      (select o.id, o.currency from public.orders o
       where o.shop_id = target_shop and o.external_id = (x.r ->> 'orderShopifyId')::bigint
       limit 1)
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
comment on function private.apply_shopify_refunds_set(uuid, jsonb) is 'The refund records of an import chunk as one insert, by the rules of private.apply_shopify_refund, each order found among the chunk''s staged orders (pg_temp.import_orders, so private.apply_shopify_orders_set runs first) or else by its (shop_id, external_id) index; raises (so the chunk goes row by row) when a refund''s order is missing. Returns how many were added.';
revoke execute on function private.apply_shopify_refunds_set(uuid, jsonb) from public, anon, authenticated;

create or replace function private.sync_order_refunds() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  touched uuid[];
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(distinct order_id) into touched from new_rows;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select array(select distinct x from unnest(coalesce(touched, '{}') || array(select order_id from old_rows)) x)
      into touched;
  end if;
  -- refunded_base follows in private.prepare_order. Each order's refunds by refunds_order_idx
  -- (a join here was planned as a scan of every refund stored).
  update public.orders o
  set refunded_total = s.amount
  from (
    select t.order_id, sums.amount
    from unnest(touched) as t (order_id)
    cross join lateral (
      select coalesce(sum(r.amount), 0) as amount from public.refunds r where r.order_id = t.order_id
    ) as sums
  ) s
  where o.id = s.order_id and o.refunded_total is distinct from s.amount;
  return null;
end;
$$;
comment on function private.sync_order_refunds() is 'Statement trigger on refunds: sets orders.refunded_total to the sum of the order''s refunds (refunded_base follows).';
revoke execute on function private.sync_order_refunds() from public, anon, authenticated;

create or replace function private.record_audit_rows() returns trigger
language plpgsql security definer set search_path = ''
-- A statement's transition tables have no statistics: planned as one row each, an UPDATE's old and
-- new rows were paired by a nested loop (n² tries). Hashed by id instead.
set enable_nestloop = off
as $$
declare
  -- customer_owner_id is derived (kept equal to the customer's owner), so it is never logged.
  hidden text[] := '{customer_owner_id}';
begin
  if tg_op = 'INSERT' then
    insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
    select (select auth.uid()), coalesce((select auth.role()), current_user), 'INSERT', tg_table_name, n.id::text,
           null, to_jsonb(n) - hidden
    from new_rows n;
  elsif tg_op = 'DELETE' then
    insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
    select (select auth.uid()), coalesce((select auth.role()), current_user), 'DELETE', tg_table_name, o.id::text,
           to_jsonb(o) - hidden, null
    from old_rows o;
  else
    -- Old and new rows paired by id first, then each pair's jsonb built once (offset 0 keeps the
    -- comparison out of the join: as its filter it built both rows' jsonb for every pair tried).
    insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
    select (select auth.uid()), coalesce((select auth.role()), current_user), 'UPDATE', tg_table_name, c.id::text,
           c.before, c.after
    from (
      select p.id, to_jsonb(p.o) - hidden as before, to_jsonb(p.n) - hidden as after
      from (select n.id, o, n from new_rows n join old_rows o on o.id = n.id offset 0) as p
    ) as c
    where c.before <> c.after;
  end if;
  return null;
end;
$$;
comment on function private.record_audit_rows() is 'Statement-level audit trigger (AFTER INSERT / UPDATE / DELETE … REFERENCING the statement''s rows as new_rows / old_rows, FOR EACH STATEMENT) for tables keyed by id: the entries private.record_audit writes per row, in one INSERT per statement.';
revoke execute on function private.record_audit_rows() from public, anon, authenticated;
