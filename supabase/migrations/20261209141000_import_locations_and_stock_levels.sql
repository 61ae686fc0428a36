-- Locations and stock per location in the history import (issue 11: "products with variants and
-- inventory"), by the webhooks' rules.
--
-- Shopify's bulk export cannot nest a variant's inventory levels under products (products →
-- variants → inventoryLevels is three connections deep; two is the limit), so the import gets
-- them from a `locations` phase (after products, before orders): each location with its
-- inventoryLevels connection. A location record is applied by private.apply_shopify_location
-- (locations/create, locations/update), a level by the same versioned upsert into
-- private.shopify_inventory_levels as inventory_levels/update (private.apply_shopify_inventory_level),
-- and public.inventory_levels follows by the trigger mirror_inventory_level (20261209140000).
--
-- Owns:
--   - shop_imports.phase may be 'locations'.
--   - private.apply_shopify_locations_set(shop, records): each location record through
--     private.apply_shopify_location (locations are few).
--   - private.apply_shopify_inventory_levels_set(shop, records): the level records as one
--     versioned upsert, then each item's variant total as one update — the rule of
--     private.apply_shopify_inventory_level over a set; raises P0002 (the chunk goes row by row,
--     where the rows of unknown items are recorded) when an item has no variant in the shop.
--
-- Also restated, fixing a double count the extra phases made frequent:
-- public.shopify_import_progress (20261207191000) adds a phase's total to rows_total only when the
-- import has no export URL yet, so two workers that both saw the same finished export (a lease
-- cleared while one was polling) count it once. Nothing else in it changed.
--
-- Restated (create or replace, same signatures): private.apply_shopify_chunk (last stated in
-- 20261209140000) accepts location and inventory_level records and applies them after the
-- products, before the orders; private.apply_shopify_location (20261209140000) answers
-- `unchanged` when the location is already as sent (so a reconciliation does not count it).

alter table public.shop_imports drop constraint shop_imports_phase;
alter table public.shop_imports add constraint shop_imports_phase
  check (phase in ('customers', 'products', 'locations', 'orders', 'fulfillments', 'done'));

create or replace function private.apply_shopify_location(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  inserted boolean;
begin
  if not private.claim_shopify_version(target_shop, 'location', (r ->> 'shopifyId')::bigint, (r ->> 'updatedAt')::timestamptz, triggered) then
    return 'stale';
  end if;
  insert into public.shop_locations as l (
    shop_id, external_id, name, address1, address2, city, region, postal_code, country, active, deleted_at, external_updated_at
  ) values (
    target_shop,
    (r ->> 'shopifyId')::bigint,
    private.shopify_text(r ->> 'name', 200),
    private.shopify_text(r ->> 'address1', 300),
    private.shopify_text(r ->> 'address2', 300),
    private.shopify_text(r ->> 'city', 100),
    private.shopify_text(r ->> 'region', 100),
    private.shopify_text(r ->> 'postalCode', 20),
    (select co.code from public.countries co where co.code = upper(btrim(r ->> 'countryCode'))),
    coalesce((r ->> 'active')::boolean, true),
    null,
    (r ->> 'updatedAt')::timestamptz
  )
  on conflict on constraint shop_locations_shop_external_id_key do update
    set name = excluded.name, address1 = excluded.address1, address2 = excluded.address2, city = excluded.city,
        region = excluded.region, postal_code = excluded.postal_code, country = excluded.country, active = excluded.active,
        deleted_at = null, external_updated_at = excluded.external_updated_at
    where (l.name, l.address1, l.address2, l.city, l.region, l.postal_code, l.country, l.active, l.deleted_at, l.external_updated_at)
      is distinct from (excluded.name, excluded.address1, excluded.address2, excluded.city, excluded.region,
        excluded.postal_code, excluded.country, excluded.active, null::timestamptz, excluded.external_updated_at)
  returning (l.xmax = 0) into inserted;
  return case when inserted then 'created' when inserted is not null then 'updated' else 'unchanged' end;
end;
$$;
comment on function private.apply_shopify_location(uuid, jsonb, timestamptz) is 'locations/create, locations/update: upserts the location unless older than the stored version; returns created, updated, unchanged or stale.';

create function private.apply_shopify_locations_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer := 0;
  item jsonb;
begin
  for item in
    select e.value from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'location'
    order by (e.value -> 'mapped' -> 'record' ->> 'shopifyId')::bigint
  loop
    if private.apply_shopify_location(target_shop, item -> 'mapped' -> 'record', (item ->> 'version')::timestamptz)
       in ('created', 'updated') then
      changed := changed + 1;
    end if;
  end loop;
  return changed;
end;
$$;
comment on function private.apply_shopify_locations_set(uuid, jsonb) is 'The location records of an import chunk, each through private.apply_shopify_location (the webhook''s rule). Returns how many it created or updated.';
revoke execute on function private.apply_shopify_locations_set(uuid, jsonb) from public, anon, authenticated;

create function private.apply_shopify_inventory_levels_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'inventory_level') then
    return 0;
  end if;
  drop table if exists pg_temp.import_levels;
  create temporary table import_levels on commit drop as
  select
    (r ->> 'inventoryItemId')::bigint as item_id,
    (r ->> 'locationId')::bigint as location_id,
    (r ->> 'available')::integer as available,
    (r ->> 'updatedAt')::timestamptz as updated_at,
    (e.item ->> 'version')::timestamptz as triggered
  from jsonb_array_elements(records) as e (item)
  cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
  where e.item -> 'mapped' ->> 'kind' = 'inventory_level';
  if exists (select from pg_temp.import_levels group by item_id, location_id having count(*) > 1) then
    raise exception 'a stock level twice in one chunk' using errcode = '0A000';
  end if;
  if exists (
    select from pg_temp.import_levels l
    where not exists (
      select 1 from public.product_variants v join public.products p on p.id = v.product_id
      where v.inventory_item_id = l.item_id and p.shop_id = target_shop
    )
  ) then
    raise exception 'an inventory item of the chunk has no variant in this shop' using errcode = 'P0002';
  end if;

  -- What it changes (new levels, other quantities or versions): what a reconciliation counts as fixed.
  select count(*) into changed
  from pg_temp.import_levels i
  left join private.shopify_inventory_levels l
    on l.shop_id = target_shop and l.inventory_item_id = i.item_id and l.location_id = i.location_id
  where l.shop_id is null
     or ((i.updated_at, i.triggered) >= (l.updated_at, l.triggered_at)
         and (l.available, l.updated_at) is distinct from (i.available, i.updated_at));

  -- Unless older than the stored level (equal versions re-apply); public.inventory_levels
  -- follows by the trigger mirror_inventory_level.
  insert into private.shopify_inventory_levels as l (shop_id, inventory_item_id, location_id, available, updated_at, triggered_at)
  select target_shop, i.item_id, i.location_id, i.available, i.updated_at, i.triggered
  from pg_temp.import_levels i
  order by i.item_id, i.location_id
  on conflict (shop_id, inventory_item_id, location_id) do update
    set available = excluded.available, updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
    where (excluded.updated_at, excluded.triggered_at) >= (l.updated_at, l.triggered_at);

  -- Each item's variant holds the sum over its locations (stock_history follows by trigger).
  update public.product_variants v
  set inventory_quantity = totals.available
  from (
    select l.inventory_item_id, sum(l.available)::integer as available
    from private.shopify_inventory_levels l
    where l.shop_id = target_shop and l.inventory_item_id in (select i.item_id from pg_temp.import_levels i)
    group by l.inventory_item_id
  ) as totals
  where v.inventory_item_id = totals.inventory_item_id
    and v.product_id in (select p.id from public.products p where p.shop_id = target_shop)
    and v.inventory_quantity is distinct from totals.available;
  return changed;
end;
$$;
comment on function private.apply_shopify_inventory_levels_set(uuid, jsonb) is 'The stock level records of an import chunk by the rule of private.apply_shopify_inventory_level, as sets: a versioned upsert per (item, location), then each item''s variant total; raises P0002 when an item has no variant in the shop. Returns how many levels it added or changed.';
revoke execute on function private.apply_shopify_inventory_levels_set(uuid, jsonb) from public, anon, authenticated;

create or replace function private.apply_shopify_chunk(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
begin
  if exists (
    select from jsonb_array_elements(records) e
    where coalesce(e.value -> 'mapped' ->> 'kind', '') not in (
      'customer', 'product', 'location', 'inventory_level', 'order', 'refund', 'fulfillment')
  ) then
    raise exception 'only customers, products, locations, stock levels, orders, refunds and fulfilments are applied as sets'
      using errcode = '0A000';
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  return private.apply_shopify_customers_set(target_shop, records)
    + private.apply_shopify_products_set(target_shop, records)
    + private.apply_shopify_locations_set(target_shop, records)
    + private.apply_shopify_inventory_levels_set(target_shop, records)
    + private.apply_shopify_orders_set(target_shop, records)
    + private.apply_shopify_refunds_set(target_shop, records)
    + private.apply_shopify_fulfillments_set(target_shop, records);
end;
$$;
comment on function private.apply_shopify_chunk(uuid, jsonb) is 'An import chunk''s records (customers, products, locations, stock levels, orders, refunds, fulfilments) applied as sets by the webhook''s rules; raises when the set form cannot decide as the row-at-a-time rules would. Returns how many records it created or updated.';

create or replace function public.shopify_import_progress(
  import_id uuid,
  phase text default null,
  bulk_operation_id text default null,
  bulk_url text default null,
  phase_total bigint default null,
  status text default null,
  last_error text default null,
  reset_offset boolean default false,
  release boolean default false
) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.shop_imports i set
    phase = coalesce(shopify_import_progress.phase, i.phase),
    bulk_operation_id = case when shopify_import_progress.phase is not null then shopify_import_progress.bulk_operation_id
                             else coalesce(shopify_import_progress.bulk_operation_id, i.bulk_operation_id) end,
    bulk_url = case when shopify_import_progress.phase is not null then shopify_import_progress.bulk_url
                    else coalesce(shopify_import_progress.bulk_url, i.bulk_url) end,
    phase_total = case when shopify_import_progress.phase is not null then shopify_import_progress.phase_total
                       else coalesce(shopify_import_progress.phase_total, i.phase_total) end,
    -- Counted once per phase: a second worker that saw the same finished export adds nothing.
    rows_total = case when shopify_import_progress.phase_total is not null and shopify_import_progress.phase is null
                        and i.bulk_url is null
                      then coalesce(i.rows_total, 0) + shopify_import_progress.phase_total else i.rows_total end,
    byte_offset = case when reset_offset then 0 else i.byte_offset end,
    status = coalesce(shopify_import_progress.status, i.status),
    last_error = coalesce(left(shopify_import_progress.last_error, 2000), i.last_error),
    finished_at = case when shopify_import_progress.status in ('completed', 'failed', 'canceled') then now() else i.finished_at end,
    leased_until = case when release then null else i.leased_until end
  where i.id = shopify_import_progress.import_id;
end;
$$;

comment on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean) is 'Records an import''s phase, bulk operation, totals (each phase''s counted once) and outcome (service role only).';
