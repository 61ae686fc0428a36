-- Fulfilments and stock per location from Shopify (issue 11: "orders with line items, refunds and
-- fulfilments", "products with variants and inventory").
--
-- Cairn kept an order's fulfilment status and a variant's total stock only. A team answering
-- "where is my parcel?" needs the carrier and the tracking link, and a team selling from a shop
-- and a warehouse needs stock per location. Both arrive through both Shopify paths and the same
-- rules, so an imported record and the same record sent by webhook end in identical rows.
--
-- Owns:
--   - public.order_fulfillments: one row per Shopify fulfilment (carrier, tracking number and
--     URL, status, shipment status, the line items and quantities it fulfilled, Shopify's
--     created/updated times). Read like the order it belongs to; written only by Shopify.
--   - public.shop_locations: the shop's Shopify locations (name, address, active). A location a
--     stock level names before Cairn knows it is kept with its id only until locations/create or
--     locations/update brings its name. Team members read; written only by Shopify.
--   - public.inventory_levels: stock per variant per location, mirrored from
--     private.shopify_inventory_levels (where inventory_levels/update and the import's levels
--     land, with their versions) by the trigger mirror_inventory_level. Team members read.
--   - private.apply_shopify_fulfillments_set(shop, records): the one rule for fulfilments,
--     stated over a set; private.apply_shopify_fulfillment (a webhook's single record) calls it
--     with a set of one, so both paths cannot differ. private.apply_shopify_location and
--     private.apply_shopify_location_deletion for locations/*.
--   - private.shopify_webhook_topics(): the topics Cairn applies, in one place.
--   - shop_imports.phase may be 'fulfillments' (the import's fourth phase, after orders: Shopify's
--     bulk export cannot list a fulfilment's line items inside an order, so they come from the
--     fulfillment orders export).
--   - private.shopify_versions may hold 'fulfillment' and 'location' versions.
--
-- Restated (create or replace, same signatures; each only gains the new kinds/topics):
--   - private.apply_shopify_record (20261121090200): dispatches fulfillment, location,
--     location_deletion.
--   - private.apply_shopify_chunk (20261208150000): accepts fulfillment records and applies them
--     with private.apply_shopify_fulfillments_set after the refunds.
--   - public.ingest_shopify_webhook (20261207130000): `supported` reads
--     private.shopify_webhook_topics() instead of its own list.

-- ─── Versions and phases ─────────────────────────────────────────────────────────────────────

alter table private.shopify_versions drop constraint shopify_versions_resource_check;
alter table private.shopify_versions add constraint shopify_versions_resource_check
  check (resource in ('order', 'product', 'customer', 'fulfillment', 'location'));

alter table public.shop_imports drop constraint shop_imports_phase;
alter table public.shop_imports add constraint shop_imports_phase
  check (phase in ('customers', 'products', 'orders', 'fulfillments', 'done'));

-- ─── Fulfilments ─────────────────────────────────────────────────────────────────────────────

create table public.order_fulfillments (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  external_id bigint not null,
  name text constraint order_fulfillments_name_length check (length(name) <= 80),
  status text constraint order_fulfillments_status check (status in ('pending', 'open', 'success', 'cancelled', 'error', 'failure')),
  shipment_status text constraint order_fulfillments_shipment_status check (shipment_status ~ '^[a-z_]{1,40}$'),
  tracking_company text constraint order_fulfillments_tracking_company_length check (length(tracking_company) <= 200),
  tracking_number text constraint order_fulfillments_tracking_number_length check (length(tracking_number) <= 200),
  tracking_url text constraint order_fulfillments_tracking_url_length check (length(tracking_url) <= 2000),
  location_external_id bigint,
  line_items jsonb not null default '[]' constraint order_fulfillments_line_items_array check (jsonb_typeof(line_items) = 'array'),
  external_created_at timestamptz,
  external_updated_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint order_fulfillments_order_external_id_key unique (order_id, external_id)
);
comment on table public.order_fulfillments is 'Shopify fulfilments of an order (fulfillments/create, fulfillments/update and the history import): carrier, tracking, status and the line items fulfilled. Read like the order; written only by Shopify.';
comment on column public.order_fulfillments.status is 'Shopify''s fulfilment status: pending, open, success, cancelled, error, failure (null when Shopify sent another).';
comment on column public.order_fulfillments.shipment_status is 'The carrier''s latest word (in_transit, out_for_delivery, delivered, failure…), when Shopify has one.';
comment on column public.order_fulfillments.tracking_url is 'As Shopify sent it; screens link it only when it is an http(s) URL.';
comment on column public.order_fulfillments.line_items is 'What this fulfilment shipped: [{lineItemId (Shopify line item id, order_items.external_id), quantity}], by line item id. Kept when a record does not know them (an import of a fulfillment order with several fulfilments).';
comment on column public.order_fulfillments.external_created_at is 'When the fulfilment was created in Shopify.';
comment on column public.order_fulfillments.external_updated_at is 'Shopify''s updated_at of the version stored.';
create index order_fulfillments_order_idx on public.order_fulfillments (order_id, external_created_at);

create trigger touch_updated_at before update on public.order_fulfillments
  for each row execute function private.touch_updated_at();

alter table public.order_fulfillments enable row level security;
-- The order's own policy decides (an agent sees the fulfilments of their customers' orders).
create policy "staff read the fulfilments of orders they may see" on public.order_fulfillments for select to authenticated
  using (exists (select 1 from public.orders o where o.id = order_fulfillments.order_id));
revoke all on public.order_fulfillments from anon, authenticated;
grant select on public.order_fulfillments to authenticated;
grant select on public.order_fulfillments to service_role;

-- ─── Locations and stock per location ───────────────────────────────────────────────────────

create table public.shop_locations (
  id uuid primary key default gen_random_uuid(),
  shop_id uuid not null references public.shops (id) on delete cascade,
  external_id bigint not null,
  name text constraint shop_locations_name_length check (length(name) <= 200),
  address1 text constraint shop_locations_address1_length check (length(address1) <= 300),
  address2 text constraint shop_locations_address2_length check (length(address2) <= 300),
  city text constraint shop_locations_city_length check (length(city) <= 100),
  region text constraint shop_locations_region_length check (length(region) <= 100),
  postal_code text constraint shop_locations_postal_code_length check (length(postal_code) <= 20),
  country text references public.countries (code),
  active boolean not null default true,
  deleted_at timestamptz,
  external_updated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shop_locations_shop_external_id_key unique (shop_id, external_id)
);
comment on table public.shop_locations is 'A shop''s Shopify locations (locations/create, locations/update, locations/delete). name is null while only a stock level has named the location. Team members read; written only by Shopify.';
comment on column public.shop_locations.deleted_at is 'When Shopify said the location was deleted (locations/delete); kept for the stock levels that name it.';

create trigger touch_updated_at before update on public.shop_locations
  for each row execute function private.touch_updated_at();

alter table public.shop_locations enable row level security;
create policy "team members read shop locations" on public.shop_locations for select to authenticated
  using ((select private.is_team_member()));
revoke all on public.shop_locations from anon, authenticated;
grant select on public.shop_locations to authenticated;
grant select on public.shop_locations to service_role;

create table public.inventory_levels (
  variant_id uuid not null references public.product_variants (id) on delete cascade,
  location_id uuid not null references public.shop_locations (id) on delete cascade,
  available integer,
  external_updated_at timestamptz not null,
  updated_at timestamptz not null default now(),
  primary key (variant_id, location_id)
);
comment on table public.inventory_levels is 'Stock of a variant at a Shopify location (available; null when not tracked there), mirrored from private.shopify_inventory_levels. Team members read; written only by Shopify.';
create index inventory_levels_location_idx on public.inventory_levels (location_id);

alter table public.inventory_levels enable row level security;
create policy "team members read inventory levels" on public.inventory_levels for select to authenticated
  using ((select private.is_team_member()));
revoke all on public.inventory_levels from anon, authenticated;
grant select on public.inventory_levels to authenticated;
grant select on public.inventory_levels to service_role;

create function private.mirror_inventory_level() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.shop_locations (shop_id, external_id) values (new.shop_id, new.location_id)
  on conflict on constraint shop_locations_shop_external_id_key do nothing;
  insert into public.inventory_levels as x (variant_id, location_id, available, external_updated_at)
  select v.id, l.id, new.available, new.updated_at
  from public.product_variants v
  join public.products p on p.id = v.product_id and p.shop_id = new.shop_id
  join public.shop_locations l on l.shop_id = new.shop_id and l.external_id = new.location_id
  where v.inventory_item_id = new.inventory_item_id
  on conflict (variant_id, location_id) do update
    set available = excluded.available, external_updated_at = excluded.external_updated_at, updated_at = now()
    where (x.available, x.external_updated_at) is distinct from (excluded.available, excluded.external_updated_at);
  return null;
end;
$$;
comment on function private.mirror_inventory_level() is 'Trigger on private.shopify_inventory_levels: the level of an inventory item at a location becomes the level of the shop''s variant(s) of that item at that location in public.inventory_levels (the location kept with its id until Shopify names it).';
revoke execute on function private.mirror_inventory_level() from public, anon, authenticated;

create trigger mirror_inventory_level after insert or update on private.shopify_inventory_levels
  for each row execute function private.mirror_inventory_level();

-- Levels Cairn already holds.
insert into public.shop_locations (shop_id, external_id)
select distinct l.shop_id, l.location_id from private.shopify_inventory_levels l
on conflict on constraint shop_locations_shop_external_id_key do nothing;
insert into public.inventory_levels (variant_id, location_id, available, external_updated_at)
select v.id, sl.id, l.available, l.updated_at
from private.shopify_inventory_levels l
join public.products p on p.shop_id = l.shop_id
join public.product_variants v on v.product_id = p.id and v.inventory_item_id = l.inventory_item_id
join public.shop_locations sl on sl.shop_id = l.shop_id and sl.external_id = l.location_id
on conflict do nothing;

-- ─── Applying fulfilments ───────────────────────────────────────────────────────────────────

create function private.apply_shopify_fulfillments_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'fulfillment') then
    return 0;
  end if;
  drop table if exists pg_temp.import_fulfillments;
  create temporary table import_fulfillments on commit drop as
  select
    (r ->> 'shopifyId')::bigint as shopify_id,
    (r ->> 'orderShopifyId')::bigint as order_shopify_id,
    (r ->> 'updatedAt')::timestamptz as updated_at,
    (e.item ->> 'version')::timestamptz as triggered,
    r,
    null::uuid as order_id
  from jsonb_array_elements(records) as e (item)
  cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
  where e.item -> 'mapped' ->> 'kind' = 'fulfillment';
  if exists (select from pg_temp.import_fulfillments group by shopify_id having count(*) > 1) then
    raise exception 'a fulfilment twice in one chunk' using errcode = '0A000';
  end if;
  update pg_temp.import_fulfillments f set order_id = o.id
  from public.orders o where o.shop_id = target_shop and o.external_id = f.order_shopify_id;
  if exists (select from pg_temp.import_fulfillments where order_id is null) then
    -- Ahead of its order (a webhook retries; an import records the row).
    raise exception 'a fulfilment''s order is not known yet' using errcode = 'P0002';
  end if;

  -- Only a version not older than the stored one is applied (equal versions re-apply).
  with claimed as (
    insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
    select target_shop, 'fulfillment', f.shopify_id, f.updated_at, f.triggered from pg_temp.import_fulfillments f
    order by f.shopify_id
    on conflict (shop_id, resource, external_id) do update
      set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
      where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
    returning v.external_id
  )
  delete from pg_temp.import_fulfillments f where f.shopify_id not in (select external_id from claimed);

  insert into public.order_fulfillments as x (
    order_id, external_id, name, status, shipment_status, tracking_company, tracking_number, tracking_url,
    location_external_id, line_items, external_created_at, external_updated_at
  )
  select
    f.order_id,
    f.shopify_id,
    private.shopify_text(f.r ->> 'name', 80),
    case when f.r ->> 'status' in ('pending', 'open', 'success', 'cancelled', 'error', 'failure') then f.r ->> 'status' end,
    case when f.r ->> 'shipmentStatus' ~ '^[a-z_]{1,40}$' then f.r ->> 'shipmentStatus' end,
    private.shopify_text(f.r ->> 'trackingCompany', 200),
    private.shopify_text(f.r ->> 'trackingNumber', 200),
    private.shopify_text(f.r ->> 'trackingUrl', 2000),
    (f.r ->> 'locationId')::bigint,
    -- Unknown (null: the import could not tell) keeps what is stored.
    case
      when jsonb_typeof(f.r -> 'lineItems') = 'array' then coalesce((
        select jsonb_agg(jsonb_build_object('lineItemId', l.line_item, 'quantity', l.quantity) order by l.line_item)
        from (
          select (li ->> 'lineItemShopifyId')::bigint as line_item, sum((li ->> 'quantity')::integer)::integer as quantity
          from jsonb_array_elements(f.r -> 'lineItems') li
          group by 1
        ) as l
      ), '[]')
      else coalesce(
        (select e.line_items from public.order_fulfillments e where e.order_id = f.order_id and e.external_id = f.shopify_id),
        '[]'
      )
    end,
    (f.r ->> 'createdAt')::timestamptz,
    f.updated_at
  from pg_temp.import_fulfillments f
  order by f.order_id, f.shopify_id
  on conflict on constraint order_fulfillments_order_external_id_key do update
    set name = excluded.name, status = excluded.status, shipment_status = excluded.shipment_status,
        tracking_company = excluded.tracking_company, tracking_number = excluded.tracking_number,
        tracking_url = excluded.tracking_url, location_external_id = excluded.location_external_id,
        line_items = excluded.line_items, external_created_at = excluded.external_created_at,
        external_updated_at = excluded.external_updated_at
    where (x.name, x.status, x.shipment_status, x.tracking_company, x.tracking_number, x.tracking_url,
           x.location_external_id, x.line_items, x.external_created_at, x.external_updated_at)
      is distinct from (excluded.name, excluded.status, excluded.shipment_status, excluded.tracking_company,
           excluded.tracking_number, excluded.tracking_url, excluded.location_external_id, excluded.line_items,
           excluded.external_created_at, excluded.external_updated_at);
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function private.apply_shopify_fulfillments_set(uuid, jsonb) is 'The fulfilment records of a set ({mapped: {kind: fulfillment, record}, version}) upserted by Shopify id unless older than the stored version; raises P0002 when a fulfilment''s order is not known yet. The one rule for both the import and webhooks. Returns how many rows it created or changed.';
revoke execute on function private.apply_shopify_fulfillments_set(uuid, jsonb) from public, anon, authenticated;

create function private.apply_shopify_fulfillment(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  existed boolean;
  changed integer;
begin
  select exists (
    select 1 from public.order_fulfillments f join public.orders o on o.id = f.order_id
    where o.shop_id = target_shop and f.external_id = (r ->> 'shopifyId')::bigint
  ) into existed;
  changed := private.apply_shopify_fulfillments_set(
    target_shop,
    jsonb_build_array(jsonb_build_object('mapped', jsonb_build_object('kind', 'fulfillment', 'record', r), 'version', triggered))
  );
  if not exists (
    select 1 from private.shopify_versions v
    where v.shop_id = target_shop and v.resource = 'fulfillment' and v.external_id = (r ->> 'shopifyId')::bigint
      and (v.updated_at, v.triggered_at) = ((r ->> 'updatedAt')::timestamptz, triggered)
  ) then
    return 'stale';
  end if;
  return case when not existed then 'created' when changed > 0 then 'updated' else 'unchanged' end;
end;
$$;
comment on function private.apply_shopify_fulfillment(uuid, jsonb, timestamptz) is 'fulfillments/create, fulfillments/update: private.apply_shopify_fulfillments_set on a set of one; returns created, updated, unchanged or stale.';
revoke execute on function private.apply_shopify_fulfillment(uuid, jsonb, timestamptz) from public, anon, authenticated;

-- ─── Applying locations ─────────────────────────────────────────────────────────────────────

create function private.apply_shopify_location(target_shop uuid, r jsonb, triggered timestamptz) returns text
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
  returning (l.xmax = 0) into inserted;
  return case when inserted then 'created' else 'updated' end;
end;
$$;
comment on function private.apply_shopify_location(uuid, jsonb, timestamptz) is 'locations/create, locations/update: upserts the location unless older than the stored version.';
revoke execute on function private.apply_shopify_location(uuid, jsonb, timestamptz) from public, anon, authenticated;

create function private.apply_shopify_location_deletion(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  found_id uuid;
begin
  -- The deletion is the location's last version: an update fired before it stays out.
  if not private.claim_shopify_version(target_shop, 'location', (r ->> 'shopifyId')::bigint, triggered, triggered) then
    return 'stale';
  end if;
  -- Kept (inactive) for the stock levels and fulfilments that name it.
  update public.shop_locations l set active = false, deleted_at = coalesce(l.deleted_at, triggered)
  where l.shop_id = target_shop and l.external_id = (r ->> 'shopifyId')::bigint
  returning l.id into found_id;
  return case when found_id is null then 'unknown_location' else 'deleted' end;
end;
$$;
comment on function private.apply_shopify_location_deletion(uuid, jsonb, timestamptz) is 'locations/delete: marks the location inactive and deleted (kept for the levels that name it).';
revoke execute on function private.apply_shopify_location_deletion(uuid, jsonb, timestamptz) from public, anon, authenticated;

-- ─── Dispatch (restated with the new kinds) ─────────────────────────────────────────────────

create function private.shopify_webhook_topics() returns text[]
language sql immutable parallel safe as $$
  select array[
    'orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'refunds/create', 'customers/create',
    'customers/update', 'products/create', 'products/update', 'products/delete', 'inventory_levels/update',
    'fulfillments/create', 'fulfillments/update', 'locations/create', 'locations/update', 'locations/delete',
    'customers/data_request', 'customers/redact', 'shop/redact']
$$;
comment on function private.shopify_webhook_topics() is 'The Shopify webhook topics Cairn applies (the shopify-webhook function''s SHOPIFY_TOPICS); any other topic is stored as ignored.';

create or replace function private.apply_shopify_record(target_shop uuid, mapped jsonb, triggered timestamptz, delivery bigint)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  result text;
begin
  perform set_config('cairn.change_source', 'shopify', true);
  result := case mapped ->> 'kind'
    when 'order' then private.apply_shopify_order(target_shop, mapped -> 'record', triggered)
    when 'refund' then private.apply_shopify_refund(target_shop, mapped -> 'record', triggered)
    when 'customer' then private.apply_shopify_customer(target_shop, mapped -> 'record', triggered)
    when 'product' then private.apply_shopify_product(target_shop, mapped -> 'record', triggered)
    when 'product_deletion' then private.apply_shopify_product_deletion(target_shop, mapped -> 'record', triggered)
    when 'inventory_level' then private.apply_shopify_inventory_level(target_shop, mapped -> 'record', triggered)
    when 'fulfillment' then private.apply_shopify_fulfillment(target_shop, mapped -> 'record', triggered)
    when 'location' then private.apply_shopify_location(target_shop, mapped -> 'record', triggered)
    when 'location_deletion' then private.apply_shopify_location_deletion(target_shop, mapped -> 'record', triggered)
    when 'privacy_request' then private.apply_shopify_privacy_request(target_shop, mapped -> 'record', triggered, delivery)
  end;
  if result is null then
    raise exception 'unknown record kind %', mapped ->> 'kind' using errcode = '22023';
  end if;
  return result;
end;
$$;
comment on function private.apply_shopify_record(uuid, jsonb, timestamptz, bigint) is 'Applies one mapped Shopify record ({kind, record}) and returns the outcome (created, updated, stale…). delivery is the stored delivery a privacy request refers to.';

create or replace function private.apply_shopify_chunk(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
begin
  if exists (
    select from jsonb_array_elements(records) e
    where e.value -> 'mapped' ->> 'kind' is distinct from 'customer' and e.value -> 'mapped' ->> 'kind' is distinct from 'product'
      and e.value -> 'mapped' ->> 'kind' is distinct from 'order' and e.value -> 'mapped' ->> 'kind' is distinct from 'refund'
      and e.value -> 'mapped' ->> 'kind' is distinct from 'fulfillment'
  ) then
    raise exception 'only customers, products, orders, refunds and fulfilments are applied as sets' using errcode = '0A000';
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  return private.apply_shopify_customers_set(target_shop, records)
    + private.apply_shopify_products_set(target_shop, records)
    + private.apply_shopify_orders_set(target_shop, records)
    + private.apply_shopify_refunds_set(target_shop, records)
    + private.apply_shopify_fulfillments_set(target_shop, records);
end;
$$;
comment on function private.apply_shopify_chunk(uuid, jsonb) is 'An import chunk''s records (customers, products, orders, refunds, fulfilments) applied as sets by the webhook''s rules; raises when the set form cannot decide as the row-at-a-time rules would. Returns how many records it created or updated.';

create or replace function public.ingest_shopify_webhook(
  shop_domain text,
  topic text,
  event_id text,
  webhook_id text,
  triggered_at timestamptz,
  api_version text,
  payload jsonb,
  mapped jsonb default null,
  parse_error text default null,
  original_body text default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target_shop uuid;
  delivery_id bigint;
  result text;
  supported boolean := ingest_shopify_webhook.topic = any (private.shopify_webhook_topics());
begin
  select s.id into target_shop from public.shops s where s.domain = lower(ingest_shopify_webhook.shop_domain) and s.active;
  if target_shop is null then
    -- Deactivated (or gone) since the function looked its secret up: refused, nothing stored.
    return jsonb_build_object('status', 'unknown_shop');
  end if;

  -- A duplicate or a retry of an event already stored: answered without a write.
  select w.id into delivery_id from public.webhook_deliveries w
  where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
  if found then
    return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
  end if;

  if supported and parse_error is null and mapped ->> 'kind' is distinct from 'privacy_request' then
    begin
      result := private.apply_shopify_record(target_shop, mapped, ingest_shopify_webhook.triggered_at, null);
      insert into public.webhook_deliveries as w (
        shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record,
        status, outcome, attempts, applied_at, original_body
      ) values (
        target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
        ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload, mapped,
        case when result = 'stale' then 'ignored' else 'applied' end::public.webhook_delivery_status, result, 1, now(),
        ingest_shopify_webhook.original_body
      )
      on conflict on constraint webhook_deliveries_event_key do nothing
      returning w.id into delivery_id;
      if delivery_id is null then
        -- The same event, applied and stored by another delivery since the look-up above: undo
        -- this apply (the whole block rolls back) and answer as for any duplicate.
        raise exception 'duplicate delivery' using errcode = 'CWDUP';
      end if;
      return jsonb_build_object(
        'status', case when result = 'stale' then 'ignored' else 'applied' end, 'delivery_id', delivery_id, 'outcome', result
      );
    exception
      when sqlstate 'CWDUP' then
        select w.id into delivery_id from public.webhook_deliveries w
        where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
        return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
      when others then
        -- Rolled back; stored and applied below, where failures are retried and recorded.
        null;
    end;
  end if;

  -- Stored first. The unique key makes a duplicate or a retry of the same event a no-op, even
  -- when both arrive at once (the second waits for the first to commit, then does nothing).
  insert into public.webhook_deliveries as w (
    shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record, status, outcome, last_error, next_attempt_at,
    original_body
  ) values (
    target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
    ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload,
    case when supported then ingest_shopify_webhook.mapped end,
    case when not supported then 'ignored' when parse_error is not null then 'failed' else 'received' end::public.webhook_delivery_status,
    case when not supported then 'unknown_topic' end,
    case when supported then left(parse_error, 2000) end,
    -- Due at once for the retry job, in case the apply below never finishes.
    case when supported and parse_error is null then now() end,
    ingest_shopify_webhook.original_body
  )
  on conflict on constraint webhook_deliveries_event_key do nothing
  returning w.id into delivery_id;

  if delivery_id is null then
    select w.id into delivery_id from public.webhook_deliveries w
    where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
    return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
  end if;
  if not supported then
    return jsonb_build_object('status', 'ignored', 'delivery_id', delivery_id, 'outcome', 'unknown_topic');
  end if;
  if parse_error is not null then
    return jsonb_build_object('status', 'failed', 'delivery_id', delivery_id, 'error', parse_error);
  end if;
  return private.apply_webhook_delivery(delivery_id);
end;
$$;
comment on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text) is 'For the shopify-webhook function (service role only), after it verified the signature: stores the delivery (de-duplicated by shop × topic × event id) and applies it. original_body: the body as sent, when payload had to be sanitised or replaced by a placeholder. Returns {status: applied | ignored | failed | duplicate, delivery_id, outcome?, error?}, or {status: unknown_shop} (nothing stored) when the shop is not active. A failed apply stays stored and is retried.';
revoke execute on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text)
  from public, anon, authenticated;
grant execute on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text)
  to service_role;
