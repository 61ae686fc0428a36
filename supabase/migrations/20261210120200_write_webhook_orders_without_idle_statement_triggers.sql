-- A webhook's order is written with the statements its change needs, so the statement triggers
-- of the other kinds of write no longer run for nothing (issue 13: the webhook path must stay at
-- ≥ 200 orders/s; docs/benchmarks.md, "Shopify webhook ingestion").
--
-- private.apply_shopify_order (20261121090100) wrote the order with INSERT … ON CONFLICT DO
-- UPDATE, and its lines with one statement that deleted, inserted and updated. Postgres fires
-- the statement triggers of every kind a statement may do, whatever it did: an upsert of the
-- order ran the INSERT and the UPDATE statement triggers of orders (audit, sales summaries,
-- flow events, customer metrics, the owner's notification: nine trigger functions, each
-- querying its transition tables), and the lines' statement ran the INSERT, UPDATE and DELETE
-- ones of order_items (six more) — also for orders/paid, whose lines had not changed. A
-- new order also ran the BEFORE INSERT row triggers (exchange rate look-ups) for an existing
-- one before they were thrown away by the conflict. Those idle trigger runs were the largest
-- share of a delivery's time in the database (docs/benchmarks.md).
--
-- Restated (create or replace, same signature, same results): private.apply_shopify_order
--   - the order: INSERT when it is new, UPDATE (the same columns as the upsert's DO UPDATE,
--     customer kept when the payload names none) when it exists. Writers of one Shopify order
--     are serialised by its version row (private.claim_shopify_version holds it to commit), so
--     the look-up cannot be overtaken; should anything else insert the same order meanwhile,
--     the unique key refuses this delivery, which is then stored as failed and retried.
--   - the lines of a new order: one INSERT. The lines of an existing order: the statement as
--     before, but only when they differ from the stored ones (a line added, changed by the
--     columns the upsert compares, or gone); otherwise nothing is written, as the upsert would
--     have written nothing.
-- New: private.shopify_order_lines(shop, record), the lines of an order record as the statement
-- writes them (inlined by the planner: SQL, stable, no SET clause, qualified names only).

create function private.shopify_order_lines(target_shop uuid, r jsonb)
returns table (
  external_id bigint, product_id uuid, variant_id uuid, title text, variant_title text, sku text, vendor text,
  quantity integer, unit_price numeric, discount_total numeric, total numeric
)
language sql stable as $$
  -- Quantity 0 (fully removed by an order edit) is not a line Cairn keeps.
  select
    n.external_id, found.product_id, found.variant_id, n.title, n.variant_title, n.sku, n.vendor,
    n.quantity, n.unit_price, n.discount_total, n.total
  from (
    select
      (item ->> 'shopifyId')::pg_catalog.int8 as external_id,
      coalesce(private.shopify_text(item ->> 'title', 500), 'Item') as title,
      private.shopify_text(item ->> 'variantTitle', 500) as variant_title,
      private.shopify_text(item ->> 'sku', 100) as sku,
      private.shopify_text(item ->> 'vendor', 200) as vendor,
      (item ->> 'quantity')::pg_catalog.int4 as quantity,
      greatest((item ->> 'unitPrice')::pg_catalog.numeric, 0) as unit_price,
      greatest(coalesce((item ->> 'discount')::pg_catalog.numeric, 0), 0) as discount_total,
      greatest((item ->> 'total')::pg_catalog.numeric, 0) as total,
      (item ->> 'productShopifyId')::pg_catalog.int8 as product_external_id,
      (item ->> 'variantShopifyId')::pg_catalog.int8 as variant_external_id
    from pg_catalog.jsonb_array_elements(coalesce(r -> 'items', '[]')) as e (item)
    where (item ->> 'quantity')::pg_catalog.int4 > 0
  ) as n
  -- One index lookup per line: joined as sets, the planner guessed a hundred lines and hashed
  -- the whole variants table for every order.
  cross join lateral (
    select
      (select p.id from public.products p where p.shop_id = target_shop and p.external_id = n.product_external_id) as product_id,
      (select v.id
       from public.products p
       join public.product_variants v on v.product_id = p.id and v.external_id = n.variant_external_id
       where p.shop_id = target_shop and p.external_id = n.product_external_id) as variant_id
  ) as found
$$;
comment on function private.shopify_order_lines(uuid, jsonb) is 'The line items of a Shopify order record (mapped form) as private.apply_shopify_order writes them: quantity > 0, texts cut to their column limits, product and variant found by Shopify id in the shop (null when not known yet).';
revoke execute on function private.shopify_order_lines(uuid, jsonb) from public, anon, authenticated;

create or replace function private.apply_shopify_order(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql security definer set search_path = '' as $$
declare
  order_external_id bigint := (r ->> 'shopifyId')::bigint;
  ship jsonb := private.json_object(r -> 'shippingAddress');
  buyer jsonb := private.json_object(r -> 'customer');
  buyer_id uuid;
  order_name text := coalesce(private.shopify_text(r ->> 'name', 80), '#' || (r ->> 'orderNumber'), 'S-' || order_external_id);
  saved_order_id uuid;
  inserted boolean;
  subtotal_amount numeric := coalesce((r ->> 'subtotal')::numeric, 0);
  tax_amount numeric := coalesce((r ->> 'totalTax')::numeric, 0);
  total_amount numeric := (r ->> 'total')::numeric;
  wanted public.orders;
begin
  if not private.claim_shopify_version(target_shop, 'order', order_external_id, (r ->> 'updatedAt')::timestamptz, triggered) then
    return 'stale';
  end if;

  -- The buyer: the order's customer (its email falling back to the order's), or a guest
  -- checkout matched by email; nobody when neither has an id or email.
  buyer := coalesce(buyer, '{}'::jsonb);
  if buyer ->> 'email' is null and r ->> 'email' is not null then
    buyer := buyer || jsonb_build_object('email', r ->> 'email');
  end if;
  select u.customer_id into buyer_id from private.upsert_shopify_customer(target_shop, buyer, triggered, false) u;

  -- Order names are unique per shop. Shopify never repeats one, but orders imported or seeded
  -- by hand (or a simulator run twice) may hold the same name: keep both, told apart by id.
  if exists (
    select 1 from public.orders o
    where o.shop_id = target_shop and o.order_number = order_name and o.external_id is distinct from order_external_id
  ) then
    order_name := order_name || ' (' || order_external_id || ')';
  end if;

  wanted.financial_status := case
    when r ->> 'financialStatus' = any (enum_range(null::public.order_financial_status)::text[])
      then (r ->> 'financialStatus')::public.order_financial_status
    when r ->> 'financialStatus' = 'expired' then 'voided'
    else 'pending'
  end;
  wanted.fulfillment_status := case r ->> 'fulfillmentStatus'
    when 'fulfilled' then 'fulfilled'
    when 'partial' then 'partially_fulfilled'
    when 'restocked' then 'restocked'
    else 'unfulfilled'
  end::public.order_fulfillment_status;
  wanted.cancelled_at := (r ->> 'cancelledAt')::timestamptz;
  wanted.cancel_reason := private.shopify_text(r ->> 'cancelReason', 500);
  wanted.currency := r ->> 'currency';
  wanted.subtotal := greatest(subtotal_amount, 0);
  wanted.discount_total := greatest(coalesce((r ->> 'totalDiscounts')::numeric, 0), 0);
  -- Shopify's total is subtotal (after discounts) + shipping + tax.
  wanted.shipping_total := greatest(total_amount - subtotal_amount - tax_amount, 0);
  wanted.tax_total := greatest(tax_amount, 0);
  wanted.total := total_amount;
  wanted.shipping_name := private.shopify_text(ship ->> 'name', 200);
  wanted.shipping_address1 := private.shopify_text(ship ->> 'line1', 300);
  wanted.shipping_address2 := private.shopify_text(ship ->> 'line2', 300);
  wanted.shipping_city := private.shopify_text(ship ->> 'city', 100);
  wanted.shipping_region := private.shopify_text(ship ->> 'region', 100);
  wanted.shipping_postal_code := private.shopify_text(ship ->> 'postalCode', 20);
  wanted.shipping_country := private.shopify_country(ship ->> 'countryCode');
  wanted.shipping_phone := private.shopify_text(ship ->> 'phone', 40);
  wanted.note := private.shopify_text(r ->> 'note', 5000);
  wanted.placed_at := (r ->> 'createdAt')::timestamptz;
  wanted.processed_at := (r ->> 'processedAt')::timestamptz;
  wanted.external_updated_at := (r ->> 'updatedAt')::timestamptz;

  -- Nobody else writes this order now: its version row is ours until commit.
  select o.id into saved_order_id from public.orders o where o.shop_id = target_shop and o.external_id = order_external_id;
  inserted := saved_order_id is null;

  if inserted then
    -- exchange_rate and total_base are filled by private.prepare_order (the rate of the order's
    -- day, private.rate_on) and kept as they are on updates: the rate at order time.
    insert into public.orders as o (
      shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at, cancel_reason,
      currency, subtotal, discount_total, shipping_total, tax_total, total,
      shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
      shipping_country, shipping_phone, note, source, placed_at, processed_at, external_updated_at
    ) values (
      target_shop, order_external_id, buyer_id, order_name, wanted.financial_status, wanted.fulfillment_status,
      wanted.cancelled_at, wanted.cancel_reason,
      wanted.currency, wanted.subtotal, wanted.discount_total, wanted.shipping_total, wanted.tax_total, wanted.total,
      wanted.shipping_name, wanted.shipping_address1, wanted.shipping_address2, wanted.shipping_city,
      wanted.shipping_region, wanted.shipping_postal_code,
      wanted.shipping_country, wanted.shipping_phone, wanted.note, 'shopify', wanted.placed_at, wanted.processed_at,
      wanted.external_updated_at
    )
    returning o.id into saved_order_id;

    insert into public.order_items (
      order_id, external_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency
    )
    select
      saved_order_id, l.external_id, l.product_id, l.variant_id, l.title, l.variant_title, l.sku, l.vendor,
      l.quantity, l.unit_price, l.discount_total, l.total, r ->> 'currency'
    from private.shopify_order_lines(target_shop, r) as l;
    return 'created';
  end if;

  update public.orders o
    set customer_id = coalesce(buyer_id, o.customer_id),
        order_number = order_name,
        financial_status = wanted.financial_status,
        fulfillment_status = wanted.fulfillment_status,
        cancelled_at = wanted.cancelled_at,
        cancel_reason = wanted.cancel_reason,
        currency = wanted.currency,
        subtotal = wanted.subtotal,
        discount_total = wanted.discount_total,
        shipping_total = wanted.shipping_total,
        tax_total = wanted.tax_total,
        total = wanted.total,
        shipping_name = wanted.shipping_name,
        shipping_address1 = wanted.shipping_address1,
        shipping_address2 = wanted.shipping_address2,
        shipping_city = wanted.shipping_city,
        shipping_region = wanted.shipping_region,
        shipping_postal_code = wanted.shipping_postal_code,
        shipping_country = wanted.shipping_country,
        shipping_phone = wanted.shipping_phone,
        note = wanted.note,
        placed_at = wanted.placed_at,
        processed_at = wanted.processed_at,
        external_updated_at = wanted.external_updated_at
  where o.id = saved_order_id;

  -- Line items: upserted by Shopify id; items no longer in the order are removed — when they
  -- differ from what is stored (the columns compared are the upsert's own).
  if exists (
    select from private.shopify_order_lines(target_shop, r) as l
    where not exists (
      select from public.order_items i
      where i.order_id = saved_order_id and i.external_id = l.external_id
        and (i.product_id, i.variant_id, i.title, i.variant_title, i.sku, i.vendor, i.quantity, i.unit_price, i.discount_total, i.total)
          is not distinct from (l.product_id, l.variant_id, l.title, l.variant_title, l.sku, l.vendor, l.quantity, l.unit_price,
            l.discount_total, l.total)
    )
  ) or exists (
    select from public.order_items i
    where i.order_id = saved_order_id
      and (i.external_id is null
           or i.external_id not in (select l.external_id from private.shopify_order_lines(target_shop, r) as l))
  ) then
    with incoming as (
      select * from private.shopify_order_lines(target_shop, r)
    ),
    removed as (
      delete from public.order_items i
      where i.order_id = saved_order_id
        and (i.external_id is null or i.external_id not in (select external_id from incoming))
    )
    insert into public.order_items as i (
      order_id, external_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency
    )
    select
      saved_order_id, n.external_id, n.product_id, n.variant_id, n.title, n.variant_title, n.sku, n.vendor,
      n.quantity, n.unit_price, n.discount_total, n.total, r ->> 'currency'
    from incoming n
    on conflict on constraint order_items_order_external_id_key do update
      set product_id = excluded.product_id, variant_id = excluded.variant_id, title = excluded.title,
          variant_title = excluded.variant_title, sku = excluded.sku, vendor = excluded.vendor, quantity = excluded.quantity,
          unit_price = excluded.unit_price, discount_total = excluded.discount_total, total = excluded.total
      where (i.product_id, i.variant_id, i.title, i.variant_title, i.sku, i.vendor, i.quantity, i.unit_price, i.discount_total, i.total)
        is distinct from (excluded.product_id, excluded.variant_id, excluded.title, excluded.variant_title, excluded.sku,
          excluded.vendor, excluded.quantity, excluded.unit_price, excluded.discount_total, excluded.total);
  end if;

  return 'updated';
end;
$$;
comment on function private.apply_shopify_order(uuid, jsonb, timestamptz) is 'orders/create, updated, paid, cancelled: writes the order (INSERT when new, UPDATE when known) and its line items (only when they changed) unless the payload is older than the stored version; matches or creates the buyer; the exchange rate is the one of the order''s day (private.prepare_order → private.rate_on). Customer metrics follow through the order triggers.';
revoke execute on function private.apply_shopify_order(uuid, jsonb, timestamptz) from public, anon, authenticated;
