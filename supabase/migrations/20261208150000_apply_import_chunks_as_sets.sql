-- A Shopify import chunk applied as sets (issue 11: ≥ 2 000 orders/s).
--
-- public.shopify_import_apply_chunk applied each record of a chunk through
-- private.apply_shopify_record, one subtransaction and a dozen statements per record (117
-- orders/s end to end, docs/benchmarks.md). It now applies the whole chunk with a few statements
-- per kind of record, the same rules as the webhook's functions, stated over sets:
--
--   - private.apply_shopify_chunk(shop, records): customers, then products, then orders (with
--     their line items), then refunds, each by private.apply_shopify_<kind>_set. Each stages its
--     records in a temporary table (dropped at commit), claims the versions of all of them in one
--     INSERT … ON CONFLICT into private.shopify_versions (the same "not older than the stored
--     (updated_at, triggered-at)" test as private.claim_shopify_version, so a webhook that brought
--     a newer version still wins), and upserts the rows with one INSERT … SELECT … ON CONFLICT per
--     table. Row triggers (exchange rate of the order's day, owners, audit, price/stock history)
--     fire per row as before; the statement triggers (customer metrics and stages, new-order
--     notifications) once per chunk.
--   - What the set form cannot decide the way the row-at-a-time rules would — a record twice in
--     one chunk, two records of the chunk naming the same new customer or the same order name, a
--     buyer Cairn does not know yet (created with private.upsert_shopify_customer, the webhook's
--     own function, one call per such buyer), a refund whose order is missing, any error at all —
--     makes the set form give up: the chunk's subtransaction is rolled back and the chunk is
--     applied row by row as before, where a row that fails is recorded in shop_import_errors and
--     the rest goes on. The answer says which (`mode`: set | rows).
--
-- shop_imports.row_chunks counts the chunks that went row by row (the bench and the tests expect
-- none for a clean export).
--
-- Exactly once, the offset check, the lease and "whole or not at all" are unchanged: all of it
-- still runs in the one transaction of shopify_import_apply_chunk.

alter table public.shop_imports add column row_chunks bigint not null default 0;
comment on column public.shop_imports.row_chunks is 'Chunks applied row by row because the set form could not decide them (a bad row, a record twice, a refund before its order…).';

-- ─── Customers ───────────────────────────────────────────────────────────────────────────────

create function private.apply_shopify_customers_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  drop table if exists pg_temp.import_customers;
  create temporary table import_customers on commit drop as
  select
    e.n,
    s.shopify_id,
    case when private.is_email(s.email) then s.email end as email,
    private.shopify_name(c ->> 'firstName', 100) as given_first,
    private.shopify_name(c ->> 'lastName', 100) as given_last,
    private.shopify_phone(c ->> 'phone') as given_phone,
    private.shopify_phone(coalesce(c ->> 'phone', s.address ->> 'phone')) as first_phone,
    private.shopify_name(s.address ->> 'company', 200) as company,
    (select co.code from public.countries co where co.code = upper(btrim(s.address ->> 'countryCode'))) as country,
    private.shopify_text(s.address ->> 'region', 100) as region,
    private.shopify_text(s.address ->> 'city', 100) as city,
    private.shopify_text(s.address ->> 'postalCode', 20) as postal_code,
    (select cu.code from public.currencies cu where cu.code = upper(btrim(c ->> 'currency'))) as currency,
    private.json_object(c -> 'emailMarketingConsent') as consent,
    coalesce((c ->> 'updatedAt')::timestamptz, s.triggered) as version_at,
    s.triggered,
    null::uuid as customer_id,
    false as created,
    false as claimed
  from jsonb_array_elements(records) with ordinality as e (item, n)
  cross join lateral (select e.item -> 'mapped' -> 'record' as c) as r (c)
  cross join lateral (
    select (c ->> 'shopifyId')::bigint as shopify_id,
           private.shopify_text(c ->> 'email', 320) as email,
           private.json_object(c -> 'defaultAddress') as address,
           (e.item ->> 'version')::timestamptz as triggered
  ) as s
  where e.item -> 'mapped' ->> 'kind' = 'customer';
  -- No id and no email: nobody to match (the webhook's outcome `guest`, nothing written).
  delete from pg_temp.import_customers where shopify_id is null and email is null;
  if not exists (select from pg_temp.import_customers) then
    return 0;
  end if;
  if exists (select from pg_temp.import_customers where shopify_id is not null group by shopify_id having count(*) > 1)
     or exists (select from pg_temp.import_customers where email is not null group by lower(email) having count(*) > 1) then
    raise exception 'a customer twice in one chunk' using errcode = '0A000';
  end if;
  analyze pg_temp.import_customers;

  -- Matched by Shopify id, then by email; the rest are created, under the webhook's locks (so a
  -- delivery about the same new person at the same moment does not create a second one).
  update pg_temp.import_customers i set customer_id = x.customer_id
  from public.customer_external_ids x where x.shop_id = target_shop and x.external_id = i.shopify_id;
  update pg_temp.import_customers i set customer_id = c.id
  from public.customers c where i.customer_id is null and i.email is not null and lower(c.email) = lower(i.email);
  if exists (select from pg_temp.import_customers where customer_id is null) then
    perform pg_advisory_xact_lock(k.key)
    from (
      select hashtextextended('shopify-customer:' || target_shop || ':' || i.shopify_id, 0) as key
      from pg_temp.import_customers i where i.customer_id is null and i.shopify_id is not null
      union
      select hashtextextended('customer-email:' || lower(i.email), 0)
      from pg_temp.import_customers i where i.customer_id is null and i.email is not null
      order by 1
    ) as k;
    update pg_temp.import_customers i set customer_id = x.customer_id
    from public.customer_external_ids x
    where i.customer_id is null and x.shop_id = target_shop and x.external_id = i.shopify_id;
    update pg_temp.import_customers i set customer_id = c.id
    from public.customers c where i.customer_id is null and i.email is not null and lower(c.email) = lower(i.email);
    update pg_temp.import_customers i set customer_id = gen_random_uuid(), created = true where i.customer_id is null;
    insert into public.customers (id, first_name, last_name, email, phone, company, country, region, city, postal_code, currency, source)
    select
      i.customer_id,
      -- Every customer needs a name or a contact; a Shopify customer without either keeps its id.
      coalesce(i.given_first, case when i.given_last is null and i.email is null then 'Shopify customer ' || i.shopify_id end),
      i.given_last, i.email, i.first_phone, i.company, i.country, i.region, i.city, i.postal_code, i.currency, 'shopify'
    from pg_temp.import_customers i
    where i.created
    order by i.n;
  end if;
  if exists (select from pg_temp.import_customers group by customer_id having count(*) > 1) then
    raise exception 'two Shopify customers of one chunk are one Cairn customer' using errcode = '0A000';
  end if;

  insert into public.customer_external_ids (shop_id, external_id, customer_id)
  select target_shop, i.shopify_id, i.customer_id from pg_temp.import_customers i
  where i.shopify_id is not null
  order by i.shopify_id
  on conflict on constraint customer_external_ids_pkey do nothing;

  -- The newest version of each profile (equal versions re-apply; only an older one is refused).
  with claimed as (
    insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
    select target_shop, 'customer', i.shopify_id, i.version_at, i.triggered
    from pg_temp.import_customers i where i.shopify_id is not null
    order by i.shopify_id
    on conflict (shop_id, resource, external_id) do update
      set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
      where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
    returning v.external_id
  )
  update pg_temp.import_customers i set claimed = true from claimed where i.shopify_id = claimed.external_id;
  update pg_temp.import_customers i set claimed = true where i.shopify_id is null;

  -- What the profile carries replaces what Cairn has; what it leaves out is kept; the email
  -- changes only when no other customer has it.
  update public.customers c
  set first_name = w.first_name, last_name = w.last_name, email = w.email, phone = w.phone, company = w.company,
      country = w.country, region = w.region, city = w.city, postal_code = w.postal_code, currency = w.currency
  from (
    select
      x.id,
      coalesce(i.given_first, x.first_name) as first_name,
      coalesce(i.given_last, x.last_name) as last_name,
      case
        when i.email is not null and lower(i.email) is distinct from lower(x.email)
          and not exists (select 1 from public.customers o where lower(o.email) = lower(i.email) and o.id <> x.id)
          then i.email
        else x.email
      end as email,
      coalesce(i.given_phone, x.phone) as phone,
      coalesce(i.company, x.company) as company,
      coalesce(i.country, x.country) as country,
      coalesce(i.region, x.region) as region,
      coalesce(i.city, x.city) as city,
      coalesce(i.postal_code, x.postal_code) as postal_code,
      coalesce(i.currency, x.currency) as currency
    from pg_temp.import_customers i
    join public.customers x on x.id = i.customer_id
    where i.claimed and not i.created
  ) as w
  where c.id = w.id
    and (w.first_name, w.last_name, w.email, w.phone, w.company, w.country, w.region, w.city, w.postal_code, w.currency)
        is distinct from (c.first_name, c.last_name, c.email, c.phone, c.company, c.country, c.region, c.city, c.postal_code, c.currency);

  -- Email marketing consent, when the payload carries a state that differs from the ledger's.
  insert into public.consent_events (customer_id, channel, purpose, status, source, actor_id, occurred_at, evidence)
  select
    i.customer_id, 'email', 'marketing', w.wanted, 'shopify', null,
    least(coalesce((i.consent ->> 'updatedAt')::timestamptz, i.triggered), now()),
    jsonb_build_object('shopify_state', i.consent ->> 'state', 'opt_in_level', i.consent ->> 'optInLevel')
  from pg_temp.import_customers i
  cross join lateral (
    select case i.consent ->> 'state'
      when 'subscribed' then 'granted'::public.consent_status
      when 'unsubscribed' then 'withdrawn'::public.consent_status
    end as wanted
  ) as w
  left join public.customer_consents cc on cc.customer_id = i.customer_id and cc.channel = 'email' and cc.purpose = 'marketing'
  where (i.created or i.claimed) and w.wanted is not null and cc.status is distinct from w.wanted
  order by i.n;

  select count(*) into changed from pg_temp.import_customers i where i.created or i.claimed;
  return changed;
end;
$$;
comment on function private.apply_shopify_customers_set(uuid, jsonb) is 'The customer records of an import chunk as sets, by the rules of private.apply_shopify_customer; raises (so the chunk goes row by row) where the set form could differ. Returns how many were created or updated.';
revoke execute on function private.apply_shopify_customers_set(uuid, jsonb) from public, anon, authenticated;

-- ─── Products and variants ───────────────────────────────────────────────────────────────────

create function private.apply_shopify_products_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  shop_currency text;
  changed integer;
begin
  drop table if exists pg_temp.import_products;
  create temporary table import_products on commit drop as
  select
    (r ->> 'shopifyId')::bigint as shopify_id,
    (r ->> 'updatedAt')::timestamptz as updated_at,
    (e.item ->> 'version')::timestamptz as triggered,
    r,
    null::uuid as product_id
  from jsonb_array_elements(records) as e (item)
  cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
  where e.item -> 'mapped' ->> 'kind' = 'product';
  if not exists (select from pg_temp.import_products) then
    return 0;
  end if;
  if exists (select from pg_temp.import_products group by shopify_id having count(*) > 1) then
    raise exception 'a product twice in one chunk' using errcode = '0A000';
  end if;

  with claimed as (
    insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
    select target_shop, 'product', p.shopify_id, p.updated_at, p.triggered from pg_temp.import_products p
    order by p.shopify_id
    on conflict (shop_id, resource, external_id) do update
      set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
      where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
    returning v.external_id
  )
  delete from pg_temp.import_products p where p.shopify_id not in (select external_id from claimed);
  analyze pg_temp.import_products;
  select s.currency into shop_currency from public.shops s where s.id = target_shop;

  with saved as (
    insert into public.products as p (shop_id, external_id, title, handle, vendor, product_type, status, image_url, source, tags, external_updated_at)
    select
      target_shop,
      i.shopify_id,
      coalesce(private.shopify_text(i.r ->> 'title', 500), 'Untitled product'),
      case when i.r ->> 'handle' ~ '^[a-z0-9][a-z0-9-]{0,254}$' then i.r ->> 'handle' end,
      private.shopify_text(i.r ->> 'vendor', 200),
      private.shopify_text(i.r ->> 'productType', 200),
      case
        when i.r ->> 'status' = any (enum_range(null::public.product_status)::text[]) then (i.r ->> 'status')::public.product_status
        when i.r ->> 'status' is null then 'active'
        else 'draft'
      end,
      private.shopify_url(i.r ->> 'imageUrl'),
      'shopify',
      coalesce(array(
        select left(t, 100)
        from jsonb_array_elements_text(case when jsonb_typeof(i.r -> 'tags') = 'array' then i.r -> 'tags' else '[]' end)
          with ordinality as g (t, n)
        where btrim(t) <> ''
        order by n
        limit 250
      ), '{}'),
      i.updated_at
    from pg_temp.import_products i
    order by i.shopify_id
    on conflict on constraint products_shop_external_id_key do update
      set title = excluded.title, handle = excluded.handle, vendor = excluded.vendor, product_type = excluded.product_type,
          status = excluded.status, image_url = excluded.image_url, tags = excluded.tags,
          external_updated_at = excluded.external_updated_at
    returning p.id, p.external_id
  )
  update pg_temp.import_products i set product_id = saved.id from saved where i.shopify_id = saved.external_id;

  insert into public.product_variants as v (
    product_id, external_id, sku, title, price, compare_at_price, currency, inventory_quantity, inventory_item_id, image_url, position
  )
  select
    i.product_id,
    (x ->> 'shopifyId')::bigint,
    private.shopify_text(x ->> 'sku', 100),
    coalesce(private.shopify_text(x ->> 'title', 500), 'Default Title'),
    greatest((x ->> 'price')::numeric, 0),
    (x ->> 'compareAtPrice')::numeric,
    shop_currency,
    coalesce(
      (select sum(l.available)::integer from private.shopify_inventory_levels l
       where l.shop_id = target_shop and l.inventory_item_id = (x ->> 'inventoryItemId')::bigint),
      (x ->> 'inventoryQuantity')::integer
    ),
    (x ->> 'inventoryItemId')::bigint,
    private.shopify_url(coalesce(x ->> 'imageUrl', i.r ->> 'imageUrl')),
    coalesce((x ->> 'position')::integer, n::integer)
  from pg_temp.import_products i
  cross join lateral jsonb_array_elements(coalesce(i.r -> 'variants', '[]')) with ordinality as e (x, n)
  order by i.shopify_id, n
  on conflict on constraint product_variants_product_external_id_key do update
    set sku = excluded.sku, title = excluded.title, price = excluded.price, compare_at_price = excluded.compare_at_price,
        currency = excluded.currency, inventory_quantity = excluded.inventory_quantity,
        inventory_item_id = excluded.inventory_item_id, image_url = excluded.image_url, position = excluded.position
    where (v.sku, v.title, v.price, v.compare_at_price, v.currency, v.inventory_quantity, v.inventory_item_id, v.image_url, v.position)
      is distinct from (excluded.sku, excluded.title, excluded.price, excluded.compare_at_price, excluded.currency,
        excluded.inventory_quantity, excluded.inventory_item_id, excluded.image_url, excluded.position);

  select count(*) into changed from pg_temp.import_products;
  return changed;
end;
$$;
comment on function private.apply_shopify_products_set(uuid, jsonb) is 'The product records of an import chunk as sets, by the rules of private.apply_shopify_product (versions, product and variant upserts). Returns how many were created or updated.';
revoke execute on function private.apply_shopify_products_set(uuid, jsonb) from public, anon, authenticated;

-- ─── Orders and line items ───────────────────────────────────────────────────────────────────

create function private.apply_shopify_orders_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  newcomer record;
  found_id uuid;
  changed integer;
begin
  drop table if exists pg_temp.import_orders;
  create temporary table import_orders on commit drop as
  select
    e.n,
    (r ->> 'shopifyId')::bigint as shopify_id,
    (r ->> 'updatedAt')::timestamptz as updated_at,
    (e.item ->> 'version')::timestamptz as triggered,
    r,
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

  with saved as (
    insert into public.orders as o (
      shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at, cancel_reason,
      currency, subtotal, discount_total, shipping_total, tax_total, total,
      shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
      shipping_country, shipping_phone, note, source, placed_at, processed_at, external_updated_at
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
      i.updated_at
    from pg_temp.import_orders i
    cross join lateral (select private.json_object(i.r -> 'shippingAddress')) as s (ship)
    cross join lateral (
      select coalesce((i.r ->> 'subtotal')::numeric, 0), coalesce((i.r ->> 'totalTax')::numeric, 0), (i.r ->> 'total')::numeric
    ) as m (subtotal, tax, total)
    order by i.shopify_id
    -- exchange_rate and total_base are filled by private.prepare_order on insert (the rate of
    -- the order's day) and kept on updates, as for a webhook.
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
  cross join lateral jsonb_array_elements(coalesce(i.r -> 'items', '[]')) as e (item)
  where (item ->> 'quantity')::integer > 0;
  analyze pg_temp.import_order_items;

  delete from public.order_items x
  using pg_temp.import_orders i
  where x.order_id = i.order_id
    and (x.external_id is null
         or x.external_id not in (select n.external_id from pg_temp.import_order_items n where n.order_id = i.order_id));

  insert into public.order_items as x (
    order_id, external_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency
  )
  select
    n.order_id, n.external_id, found.product_id, found.variant_id, n.title, n.variant_title, n.sku, n.vendor,
    n.quantity, n.unit_price, n.discount_total, n.total, n.currency
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

  select count(*) into changed from pg_temp.import_orders;
  return changed;
end;
$$;
comment on function private.apply_shopify_orders_set(uuid, jsonb) is 'The order records of an import chunk as sets, by the rules of private.apply_shopify_order (versions, buyers, names, order and line-item upserts). Returns how many were created or updated.';
revoke execute on function private.apply_shopify_orders_set(uuid, jsonb) from public, anon, authenticated;

-- ─── Refunds ─────────────────────────────────────────────────────────────────────────────────

create function private.apply_shopify_refunds_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'refund') then
    return 0;
  end if;
  if exists (
    select from jsonb_array_elements(records) e
    where e.value -> 'mapped' ->> 'kind' = 'refund'
      and not exists (
        select from public.orders o
        where o.shop_id = target_shop and o.external_id = (e.value -> 'mapped' -> 'record' ->> 'orderShopifyId')::bigint
      )
  ) then
    raise exception 'a refund''s order is not known yet' using errcode = 'P0002';
  end if;
  -- A refund is an immutable event: stored once, never changed by a later record.
  with added as (
    insert into public.refunds (order_id, external_id, amount, currency, reason, refunded_at)
    select
      o.id, (r ->> 'shopifyId')::bigint, coalesce((r ->> 'amount')::numeric, 0), o.currency,
      private.shopify_text(r ->> 'note', 1000),
      coalesce((r ->> 'processedAt')::timestamptz, (r ->> 'createdAt')::timestamptz, (e.item ->> 'version')::timestamptz)
    from jsonb_array_elements(records) with ordinality as e (item, n)
    cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
    join public.orders o on o.shop_id = target_shop and o.external_id = (r ->> 'orderShopifyId')::bigint
    where e.item -> 'mapped' ->> 'kind' = 'refund'
    order by e.n
    on conflict (order_id, external_id) do nothing
    returning 1
  )
  select count(*) into changed from added;
  return changed;
end;
$$;
comment on function private.apply_shopify_refunds_set(uuid, jsonb) is 'The refund records of an import chunk as one insert, by the rules of private.apply_shopify_refund; raises (so the chunk goes row by row) when a refund''s order is missing. Returns how many were added.';
revoke execute on function private.apply_shopify_refunds_set(uuid, jsonb) from public, anon, authenticated;

-- ─── The chunk ───────────────────────────────────────────────────────────────────────────────

create function private.apply_shopify_chunk(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
begin
  if exists (
    select from jsonb_array_elements(records) e
    where e.value -> 'mapped' ->> 'kind' is distinct from 'customer' and e.value -> 'mapped' ->> 'kind' is distinct from 'product'
      and e.value -> 'mapped' ->> 'kind' is distinct from 'order' and e.value -> 'mapped' ->> 'kind' is distinct from 'refund'
  ) then
    raise exception 'only customers, products, orders and refunds are applied as sets' using errcode = '0A000';
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  return private.apply_shopify_customers_set(target_shop, records)
    + private.apply_shopify_products_set(target_shop, records)
    + private.apply_shopify_orders_set(target_shop, records)
    + private.apply_shopify_refunds_set(target_shop, records);
end;
$$;
comment on function private.apply_shopify_chunk(uuid, jsonb) is 'An import chunk''s records (customers, products, orders, refunds) applied as sets by the webhook''s rules; raises when the set form cannot decide as the row-at-a-time rules would. Returns how many records it created or updated.';
revoke execute on function private.apply_shopify_chunk(uuid, jsonb) from public, anon, authenticated;

create or replace function public.shopify_import_apply_chunk(
  import_id uuid,
  from_offset bigint,
  to_offset bigint,
  roots integer,
  records jsonb,
  failures jsonb default '[]'
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  imp public.shop_imports;
  item jsonb;
  outcome text;
  mode text := 'set';
  applied integer := 0;
  fixed integer := 0;
  failed integer := 0;
begin
  select * into imp from public.shop_imports i where i.id = shopify_import_apply_chunk.import_id for update;
  if imp.id is null or imp.status <> 'running' then
    return jsonb_build_object('status', 'not_running');
  end if;
  if imp.byte_offset <> from_offset then
    -- A chunk already applied (a retry, an overlapping call): nothing happens twice.
    return jsonb_build_object('status', 'stale', 'byte_offset', imp.byte_offset);
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  -- Customer metrics are recomputed once the import's orders are all in (20261208150100).
  perform set_config('cairn.defer_customer_metrics', imp.id::text, true);
  begin
    fixed := private.apply_shopify_chunk(imp.shop_id, records);
    applied := jsonb_array_length(records);
  exception when others then
    -- Rolled back whole; row by row instead, each row its own subtransaction, so one bad row is
    -- recorded and the others are applied.
    mode := 'rows';
    fixed := 0;
    for item in select value from jsonb_array_elements(records) loop
      begin
        outcome := private.apply_shopify_record(imp.shop_id, item -> 'mapped', (item ->> 'version')::timestamptz, null);
        applied := applied + 1;
        if outcome in ('created', 'updated') then
          fixed := fixed + 1;
        end if;
      exception when others then
        failed := failed + 1;
        insert into public.shop_import_errors (import_id, phase, shopify_id, reason)
        values (imp.id, imp.phase, item ->> 'shopify_id', left(sqlerrm, 2000));
      end;
    end loop;
  end;
  insert into public.shop_import_errors (import_id, phase, shopify_id, reason)
  select imp.id, imp.phase, f ->> 'shopify_id', left(f ->> 'reason', 2000) from jsonb_array_elements(failures) f;
  failed := failed + jsonb_array_length(failures);
  update public.shop_imports i set
    byte_offset = to_offset,
    rows_done = i.rows_done + roots,
    rows_failed = i.rows_failed + failed,
    rows_fixed = i.rows_fixed + fixed,
    chunks = i.chunks + 1,
    row_chunks = i.row_chunks + case when mode = 'rows' then 1 else 0 end
  where i.id = imp.id;
  -- The next chunk at once, after this one commits (pg_net sends after commit).
  perform private.request_next_import_chunk();
  return jsonb_build_object('status', 'applied', 'mode', mode, 'applied', applied, 'fixed', fixed, 'failed', failed);
end;
$$;
comment on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb) is 'Applies one chunk of an import or reconciliation, whole or not at all, only if it starts at the import''s offset: as sets (private.apply_shopify_chunk) or, when that cannot, row by row through private.apply_shopify_record with failures recorded and skipped. Counts what it changed. Service role only.';
