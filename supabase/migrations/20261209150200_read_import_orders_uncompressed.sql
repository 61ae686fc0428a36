-- An import chunk's orders read from a small, uncompressed copy of each order, and the items of
-- the chunk's orders found by index (issue 11: history-import throughput; docs/benchmarks.md,
-- "Where a chunk's time goes").
--
-- Why (profiled on 1 000-order chunks, EXPLAIN ANALYZE of private.apply_shopify_orders_set):
--   - pg_temp.import_orders kept each order's whole record (with its line items) in one jsonb
--     column; at ~2 KB a row Postgres stores it compressed, and the orders upsert reads some thirty
--     fields of it per order (its select list, the shipping address eight times), each read
--     decompressing the whole value again: ~0.8 ms per order, most of the upsert's own time.
--   - the removal of line items no longer in an order joined pg_temp.import_orders to
--     public.order_items and was planned as a hash join over every line item stored (its order ids
--     were not known when the temporary table was analysed): ~180 ms per chunk at 170 000 line
--     items, growing with the table.
--
-- Owns: private.apply_shopify_orders_set, re-created from 20261208173000 with only these changes:
--   - import_orders.r is the order without its line items (r - 'items'), which stays under the
--     size Postgres compresses; the items are their own column (import_orders.items), read once
--     when the chunk's line items are staged;
--   - the line items to remove are looked up by order_items_order_idx (order_id = any (the chunk's
--     order ids)).
-- Every value written, every rule and every lock is the same.

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
    from pg_temp.import_orders i
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
