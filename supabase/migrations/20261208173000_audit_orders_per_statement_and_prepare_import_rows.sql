-- Order and line-item writes audited once per statement, and the import's chunk apply looking up
-- for the whole set what the row triggers looked up one row at a time (issue 11: history-import
-- throughput).
--
-- Why: profiled on a 1 000-order chunk (docs/benchmarks.md, "Where a chunk's time goes"), most of
-- the time went to per-row triggers: private.record_audit (one plpgsql call and one single-row
-- INSERT into audit_log per order and per line item, ~3 200 per chunk), the order's rate
-- (private.rate_on and rate_day_on per order), the owner copy (private.set_customer_owner per
-- order, private.set_order_owner per line, each a locked read) and the item's currency check
-- (private.prepare_order_item per line, a read of the order). What every writer ends with does not
-- change:
--
--   - private.record_audit_rows(): the same audit entries as private.record_audit (actor, role,
--     action, table, row id, before/after without customer_owner_id, no entry for an UPDATE that
--     changed nothing), written by one INSERT … SELECT per statement from the statement's
--     transition tables. It replaces the row trigger record_audit on public.orders and
--     public.order_items (tables keyed by id) with record_audit_inserts / _updates / _deletes.
--   - cairn.import_rows_prepared (transaction-local, set on only by
--     private.apply_shopify_orders_set around its order and line-item upserts): while it is on, a
--     NEW order keeps the exchange_rate, total_base, exchange_rate_date and exchange_rate_stale and
--     the customer_owner_id the chunk looked up (private.prepare_order, private.set_customer_owner),
--     and a NEW line item keeps its customer_owner_id and skips the currency read
--     (private.set_order_owner, private.prepare_order_item). Updates are not affected, nor any
--     other table, nor any writer that does not set it; an order without a rate found by the set
--     falls back to the trigger's own lookup (and its error).
--   - private.apply_shopify_orders_set re-created: the same, plus those set-based look-ups (the
--     buyers locked FOR KEY SHARE first, as set_customer_owner locks each).

-- ─── Audit per statement ─────────────────────────────────────────────────────────────────────

create function private.record_audit_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
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
    insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
    select (select auth.uid()), coalesce((select auth.role()), current_user), 'UPDATE', tg_table_name, c.id::text,
           c.before, c.after
    from (
      select n.id, to_jsonb(o) - hidden as before, to_jsonb(n) - hidden as after
      from new_rows n join old_rows o on o.id = n.id
    ) as c
    where c.before <> c.after;
  end if;
  return null;
end;
$$;
comment on function private.record_audit_rows() is 'Statement-level audit trigger (AFTER INSERT / UPDATE / DELETE … REFERENCING the statement''s rows as new_rows / old_rows, FOR EACH STATEMENT) for tables keyed by id: the entries private.record_audit writes per row, in one INSERT per statement.';
revoke execute on function private.record_audit_rows() from public, anon, authenticated;

drop trigger record_audit on public.orders;
create trigger record_audit_inserts after insert on public.orders
  referencing new table as new_rows for each statement execute function private.record_audit_rows();
create trigger record_audit_updates after update on public.orders
  referencing old table as old_rows new table as new_rows for each statement execute function private.record_audit_rows();
create trigger record_audit_deletes after delete on public.orders
  referencing old table as old_rows for each statement execute function private.record_audit_rows();

drop trigger record_audit on public.order_items;
create trigger record_audit_inserts after insert on public.order_items
  referencing new table as new_rows for each statement execute function private.record_audit_rows();
create trigger record_audit_updates after update on public.order_items
  referencing old table as old_rows new table as new_rows for each statement execute function private.record_audit_rows();
create trigger record_audit_deletes after delete on public.order_items
  referencing old table as old_rows for each statement execute function private.record_audit_rows();

-- ─── Row triggers keep what the import looked up for the set ─────────────────────────────────

create or replace function private.prepare_order() returns trigger
language plpgsql set search_path = '' as $$
declare
  order_day date := (new.placed_at at time zone 'UTC')::date;
  -- A new order of an import chunk that came with its rate: apply_shopify_orders_set looked up
  -- the rate, its day and staleness for the whole set, as below.
  prepared boolean := tg_op = 'INSERT' and new.exchange_rate is not null
    and coalesce(current_setting('cairn.import_rows_prepared', true), '') = 'on';
begin
  -- Said before the base amounts derived from it fail their own checks less clearly.
  if new.total < 0 then
    raise exception 'an order total cannot be negative (% %)', new.total, new.currency
      using errcode = '23514', constraint = 'orders_total_not_negative';
  end if;
  if tg_op = 'INSERT' then
    new.exchange_rate := coalesce(new.exchange_rate, private.rate_on(new.currency, order_day));
    new.total_base := coalesce(new.total_base, round(new.total * new.exchange_rate, 2));
  else
    -- A new currency without a new rate means a new rate; a new amount or rate without a new
    -- total_base means a new total_base.
    if new.currency is distinct from old.currency and new.exchange_rate is not distinct from old.exchange_rate then
      new.exchange_rate := private.rate_on(new.currency, order_day);
    end if;
    if (new.total, new.exchange_rate) is distinct from (old.total, old.exchange_rate)
       and new.total_base is not distinct from old.total_base then
      new.total_base := round(new.total * new.exchange_rate, 2);
    end if;
  end if;
  -- The day of the rate used, and whether it was stale (more than 3 days before the order).
  if (tg_op = 'INSERT' and not prepared)
     or (tg_op = 'UPDATE' and (new.currency, new.exchange_rate, new.placed_at) is distinct from (old.currency, old.exchange_rate, old.placed_at)) then
    new.exchange_rate_date := private.rate_day_on(new.currency, order_day);
    new.exchange_rate_stale := case
      when new.exchange_rate_date is not null then order_day - new.exchange_rate_date > 3
      else new.currency <> private.base_currency()
    end;
  end if;
  if new.refunded_total > new.total then
    raise exception 'refunds (% %) cannot exceed the order total (% %)', new.refunded_total, new.currency, new.total, new.currency
      using errcode = '23514', constraint = 'orders_refunds_within_total';
  end if;
  -- Converted once at the order level (not summed per refund), so a full refund in several
  -- parts takes back exactly total_base, with no rounding cent left over.
  new.refunded_base := case
    when new.refunded_total >= new.total then new.total_base
    else least(round(new.refunded_total * new.exchange_rate, 2), new.total_base)
  end;
  return new;
end;
$$;
comment on function private.prepare_order() is 'Fills exchange_rate and total_base when not given, keeps them consistent on updates, records the rate''s day and whether it was stale (> 3 days before the order), converts refunded_total to refunded_base, refuses refunds above the total. A new order of an import chunk (cairn.import_rows_prepared on) keeps the rate, its day and staleness the chunk looked up.';

create or replace function private.set_customer_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- A new order of an import chunk: the chunk read its buyer's owner FOR KEY SHARE, for the set.
  if tg_op = 'INSERT' and tg_table_name = 'orders' and coalesce(current_setting('cairn.import_rows_prepared', true), '') = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' or new.customer_id is distinct from old.customer_id then
    -- KEY SHARE: the foreign key's own lock, taken now so that a reassignment in progress is
    -- waited for (it holds the customer FOR UPDATE) and one starting later waits for this row.
    select c.owner_id into new.customer_owner_id from public.customers c where c.id = new.customer_id for key share;
  else
    new.customer_owner_id := (select c.owner_id from public.customers c where c.id = new.customer_id);
  end if;
  -- An order whose owner changes waits for the lines and refunds being added to it (they hold
  -- the order FOR KEY SHARE), so that carry_order_owner sees them.
  if tg_op = 'UPDATE' and tg_table_name = 'orders' and new.customer_owner_id is distinct from old.customer_owner_id then
    perform from public.orders o where o.id = old.id for update;
  end if;
  return new;
end;
$$;
comment on function private.set_customer_owner() is 'BEFORE INSERT OR UPDATE: copies the customer''s owner onto the row (read FOR KEY SHARE for a new row or a new customer, so a reassignment in progress is waited for); whatever a client sent is replaced. A new order of an import chunk (cairn.import_rows_prepared on) keeps the owner the chunk read for the set.';

create or replace function private.set_order_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- A new line of an import chunk: the chunk copied its order's owner (an order it holds).
  if tg_op = 'INSERT' and tg_table_name = 'order_items' and coalesce(current_setting('cairn.import_rows_prepared', true), '') = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' or new.order_id is distinct from old.order_id then
    select o.customer_owner_id into new.customer_owner_id from public.orders o where o.id = new.order_id for key share;
  else
    new.customer_owner_id := (select o.customer_owner_id from public.orders o where o.id = new.order_id);
  end if;
  return new;
end;
$$;
comment on function private.set_order_owner() is 'BEFORE INSERT OR UPDATE on order items and refunds: copies the order''s customer owner (read FOR KEY SHARE for a new row, so an owner change in progress is waited for). A new line of an import chunk (cairn.import_rows_prepared on) keeps the owner the chunk copied.';

create or replace function private.prepare_order_item() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  order_currency text;
begin
  -- A new line of an import chunk carries its order's currency (the chunk wrote both from the
  -- same record): the read of the order is skipped for it.
  if not (tg_op = 'INSERT' and new.currency is not null and coalesce(current_setting('cairn.import_rows_prepared', true), '') = 'on') then
    select o.currency into order_currency from public.orders o where o.id = new.order_id;
    new.currency := coalesce(new.currency, order_currency);
    if new.currency is distinct from order_currency then
      raise exception 'a line item is in its order''s currency (%), not %', order_currency, new.currency
        using errcode = '23514';
    end if;
  end if;
  if new.total is null then
    new.total := greatest(round(new.quantity * new.unit_price - new.discount_total, 2), 0);
  end if;
  if new.product_id is null and new.variant_id is not null then
    select v.product_id into new.product_id from public.product_variants v where v.id = new.variant_id;
  end if;
  return new;
end;
$$;
comment on function private.prepare_order_item() is 'BEFORE INSERT OR UPDATE on order items: the order''s currency (refused when different), the total from quantity × price − discount when not given, the variant''s product. A new line of an import chunk (cairn.import_rows_prepared on) skips the currency read: the chunk wrote it from its order''s record.';

-- ─── The import's order apply, looking up for the set ────────────────────────────────────────

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
  cross join lateral jsonb_array_elements(coalesce(i.r -> 'items', '[]')) as e (item)
  where (item ->> 'quantity')::integer > 0;
  analyze pg_temp.import_order_items;

  delete from public.order_items x
  using pg_temp.import_orders i
  where x.order_id = i.order_id
    and (x.external_id is null
         or x.external_id not in (select n.external_id from pg_temp.import_order_items n where n.order_id = i.order_id));

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
