-- Cheaper order writes (issue 5: webhook ingestion, docs/benchmarks.md).
--
-- A Shopify order delivery runs a dozen small functions and triggers. Measured one delivery at a
-- time with pg_stat_statements and track_functions, four kinds of waste stood out; none of the
-- changes below alters a result.
--
-- 1. Small SQL helpers that Postgres 17 cannot inline were parsed and planned again on every
--    call (40–120 µs each, several per delivery). A SQL function is inlined only when it is a
--    single expression without FROM, SET clause or security definer (and, when strict, with a
--    strict body). `is_email` now meets that (its operators are schema-qualified instead of
--    relying on `set search_path`), so the CHECK constraints that call it evaluate a plain
--    expression; the ones that read a table or need security definer are PL/pgSQL, which keeps
--    each statement's plan for the life of the connection.
-- 2. A customer's metrics and lifecycle stage were two UPDATEs of the same row after every
--    counted order, so every customer index (sixteen, with two GIN) was written twice and the
--    audit trail got two rows. They are one UPDATE now, run per customer with a cached plan,
--    and the order triggers no longer call the recompute when no customer's metrics can have
--    changed.
-- 3. The shopper-edit guard ran (a PL/pgSQL call and two helper calls) on every update of a
--    customer, metrics included; its trigger now fires only when a field it guards changes.
-- 4. An order's line items found their products and variants with a join the planner sized
--    for a hundred lines (it cannot see into the JSON array), so it hashed the whole variants
--    table for every order: fine for a demo catalogue, linear in the catalogue's size for a
--    real one. Each line now looks its product and variant up by index.

-- ─── 1. Helpers ──────────────────────────────────────────────────────────────────────────────

create or replace function private.is_email(address text) returns boolean
language sql immutable parallel safe as $$
  select address operator(pg_catalog.~) '^[^@\s]+@[^@\s]+\.[^@\s]+$' and pg_catalog.length(address) <= 320
$$;

create or replace function private.base_currency() returns text
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select s.base_currency from public.workspace_settings s);
end
$$;

create or replace function private.shopify_country(code text) returns text
language plpgsql stable set search_path = '' as $$
begin
  return (select c.code from public.countries c where c.code = upper(btrim(shopify_country.code)));
end
$$;

create or replace function private.shopify_currency(code text) returns text
language plpgsql stable set search_path = '' as $$
begin
  return (select c.code from public.currencies c where c.code = upper(btrim(shopify_currency.code)));
end
$$;

create or replace function private.shopify_tags(tags jsonb) returns text[]
language plpgsql immutable parallel safe set search_path = '' as $$
begin
  return coalesce(array(
    select left(t, 100)
    from jsonb_array_elements_text(case when jsonb_typeof(tags) = 'array' then tags else '[]' end) with ordinality as e (t, n)
    where btrim(t) <> ''
    order by n
    limit 250
  ), '{}');
end
$$;

create or replace function private.change_source() returns text
language plpgsql stable set search_path = '' as $$
begin
  return coalesce(
    nullif(current_setting('cairn.change_source', true), ''),
    case auth.role() when 'service_role' then 'sync' when 'authenticated' then 'manual' else 'system' end
  );
end
$$;

-- ─── 2. Customer metrics in one UPDATE per customer ──────────────────────────────────────────

create or replace function private.refresh_customer_metrics(customer_ids uuid[]) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  target uuid;
  current_position smallint;
  wanted_stage text;
  m record;
begin
  -- One customer at a time, in id order (so concurrent recomputes lock in the same order), with
  -- statements whose only parameter is one id: Postgres keeps one generic plan for each. A
  -- single statement over unnest(customer_ids) was planned afresh on every call (its generic
  -- plan guesses ten ids), which cost as much as running it.
  for target in select distinct t.id from unnest(customer_ids) as t (id) where t.id is not null order by t.id loop
    -- NO KEY UPDATE: does not conflict with the KEY SHARE lock an order insert takes on its
    -- customer through the foreign key, but does serialise two recomputes of the same customer.
    -- What follows runs as new statements, so it sees every order (and the stage) committed by
    -- the transaction it waited for; read in the locking statement, the stage would be the
    -- one from before the wait.
    perform from public.customers c where c.id = target for no key update;
    continue when not found;
    select s.position into current_position
    from public.customers c
    left join public.lifecycle_stages s on s.key = c.lifecycle_stage
    where c.id = target;

    select
      coalesce(sum(o.net_total_base), 0) as lifetime_value,
      count(*)::integer as order_count,
      min(o.placed_at) as first_order_at,
      max(o.placed_at) as last_order_at
    into m
    from public.orders o
    where o.customer_id = target and o.counts_as_purchase;

    -- The stage advances with the order count (prospect/lead → customer → repeat), never
    -- backwards: a customer moved to a later stage by hand keeps it.
    wanted_stage := case when m.order_count >= 2 then 'repeat' when m.order_count = 1 then 'customer' end;
    if current_position is null
       or (select s.position from public.lifecycle_stages s where s.key = wanted_stage) <= current_position then
      wanted_stage := null;
    end if;

    update public.customers c
    set lifetime_value = m.lifetime_value,
        order_count = m.order_count,
        first_order_at = m.first_order_at,
        last_order_at = m.last_order_at,
        lifecycle_stage = coalesce(wanted_stage, c.lifecycle_stage)
    where c.id = target
      and ((c.lifetime_value, c.order_count, c.first_order_at, c.last_order_at)
             is distinct from (m.lifetime_value, m.order_count, m.first_order_at, m.last_order_at)
           or wanted_stage is not null);
  end loop;
end;
$$;

create or replace function private.refresh_metrics_after_order_change() returns trigger
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
  -- An upsert fires both the insert and the update statement triggers; usually one of them has
  -- nothing to recompute.
  if affected is not null then
    perform private.refresh_customer_metrics(affected);
  end if;
  return null;
end;
$$;

-- ─── 3. The shopper-edit guard only when a guarded field changes ─────────────────────────────

drop trigger guard_shopper_edit on public.customers;
create trigger guard_shopper_edit before update on public.customers
  for each row
  when ((new.status, new.lifecycle_stage, new.owner_id, new.auth_user_id, new.email)
        is distinct from (old.status, old.lifecycle_stage, old.owner_id, old.auth_user_id, old.email))
  execute function private.guard_shopper_profile_edit();

-- ─── 4. Line items look their product and variant up by index ────────────────────────────────
-- apply_shopify_order as in 20261121070000 but for the lookup of each line's product and variant.

create or replace function private.apply_shopify_order(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
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

  insert into public.orders as o (
    shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at, cancel_reason,
    currency, subtotal, discount_total, shipping_total, tax_total, total,
    shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
    shipping_country, shipping_phone, note, source, placed_at, processed_at, external_updated_at
  ) values (
    target_shop, order_external_id, buyer_id, order_name,
    case
      when r ->> 'financialStatus' = any (enum_range(null::public.order_financial_status)::text[])
        then (r ->> 'financialStatus')::public.order_financial_status
      when r ->> 'financialStatus' = 'expired' then 'voided'
      else 'pending'
    end,
    case r ->> 'fulfillmentStatus'
      when 'fulfilled' then 'fulfilled'
      when 'partial' then 'partially_fulfilled'
      when 'restocked' then 'restocked'
      else 'unfulfilled'
    end::public.order_fulfillment_status,
    (r ->> 'cancelledAt')::timestamptz,
    private.shopify_text(r ->> 'cancelReason', 500),
    r ->> 'currency',
    greatest(subtotal_amount, 0),
    greatest(coalesce((r ->> 'totalDiscounts')::numeric, 0), 0),
    -- Shopify's total is subtotal (after discounts) + shipping + tax.
    greatest(total_amount - subtotal_amount - tax_amount, 0),
    greatest(tax_amount, 0),
    total_amount,
    private.shopify_text(ship ->> 'name', 200),
    private.shopify_text(ship ->> 'line1', 300),
    private.shopify_text(ship ->> 'line2', 300),
    private.shopify_text(ship ->> 'city', 100),
    private.shopify_text(ship ->> 'region', 100),
    private.shopify_text(ship ->> 'postalCode', 20),
    private.shopify_country(ship ->> 'countryCode'),
    private.shopify_text(ship ->> 'phone', 40),
    private.shopify_text(r ->> 'note', 5000),
    'shopify',
    (r ->> 'createdAt')::timestamptz,
    (r ->> 'processedAt')::timestamptz,
    (r ->> 'updatedAt')::timestamptz
  )
  -- exchange_rate and total_base are filled by private.prepare_order on insert (the rate of the
  -- order's day, private.rate_on) and kept as they were on updates: the rate at order time.
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
  returning o.id, (o.xmax = 0) into saved_order_id, inserted;

  -- Line items: upserted by Shopify id; items no longer in the order are removed. Quantity 0
  -- (fully removed by an order edit) is not a line Cairn keeps.
  with incoming as (
    select
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
    from jsonb_array_elements(coalesce(r -> 'items', '[]')) as e (item)
    where (item ->> 'quantity')::integer > 0
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
    saved_order_id, n.external_id, found.product_id, found.variant_id, n.title, n.variant_title, n.sku, n.vendor,
    n.quantity, n.unit_price, n.discount_total, n.total, r ->> 'currency'
  from incoming n
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
  on conflict on constraint order_items_order_external_id_key do update
    set product_id = excluded.product_id, variant_id = excluded.variant_id, title = excluded.title,
        variant_title = excluded.variant_title, sku = excluded.sku, vendor = excluded.vendor, quantity = excluded.quantity,
        unit_price = excluded.unit_price, discount_total = excluded.discount_total, total = excluded.total
    where (i.product_id, i.variant_id, i.title, i.variant_title, i.sku, i.vendor, i.quantity, i.unit_price, i.discount_total, i.total)
      is distinct from (excluded.product_id, excluded.variant_id, excluded.title, excluded.variant_title, excluded.sku,
        excluded.vendor, excluded.quantity, excluded.unit_price, excluded.discount_total, excluded.total);

  return case when inserted then 'created' else 'updated' end;
end;
$$;
