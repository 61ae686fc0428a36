-- Fulfilments are applied without a temporary table (issue 13: the webhook path must stay at
-- ≥ 200 orders/s; docs/benchmarks.md, "Shopify webhook ingestion").
--
-- private.apply_shopify_fulfillments_set (20261209140000) created and dropped a temporary table
-- on every call: for a webhook, on every fulfillments/create and fulfillments/update delivery.
-- Creating and dropping a table writes catalog rows (pg_class, pg_type twice, a pg_attribute row
-- per column, pg_depend), and every one of those writes is broadcast as a cache invalidation to
-- every other connection of the database. At webhook rates the invalidations overflow the
-- shared queue; a connection that falls behind it has to throw away all its caches, its cached
-- query plans included, so every trigger and function statement of the next deliveries is
-- parsed and planned again. Measured on the webhook benchmark (8 connections, 16 deliveries in
-- flight): half of all statements were planned again with fulfilments in the stream, a sixth
-- without them.
--
-- Restated (create or replace, same signature, same rule): private.apply_shopify_fulfillments_set
-- reads the set with jsonb_array_elements in each statement instead of copying it into a table:
-- the same checks in the same order (a fulfilment twice in one set: 0A000; a fulfilment whose
-- order is not known yet: P0002), then one statement that claims the versions (in Shopify id
-- order) and upserts the claimed fulfilments (in order, Shopify id order), as before.

create or replace function private.apply_shopify_fulfillments_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
begin
  if not exists (select from jsonb_array_elements(records) e where e.value -> 'mapped' ->> 'kind' = 'fulfillment') then
    return 0;
  end if;
  if exists (
    select from jsonb_array_elements(records) e
    where e.value -> 'mapped' ->> 'kind' = 'fulfillment'
    group by (e.value -> 'mapped' -> 'record' ->> 'shopifyId')::bigint
    having count(*) > 1
  ) then
    raise exception 'a fulfilment twice in one chunk' using errcode = '0A000';
  end if;
  if exists (
    select from jsonb_array_elements(records) e
    where e.value -> 'mapped' ->> 'kind' = 'fulfillment'
      and not exists (
        select from public.orders o
        where o.shop_id = target_shop
          and o.external_id = (e.value -> 'mapped' -> 'record' ->> 'orderShopifyId')::bigint
      )
  ) then
    -- Ahead of its order (a webhook retries; an import records the row).
    raise exception 'a fulfilment''s order is not known yet' using errcode = 'P0002';
  end if;

  with incoming as (
    select
      (r ->> 'shopifyId')::bigint as shopify_id,
      (r ->> 'updatedAt')::timestamptz as updated_at,
      (e.item ->> 'version')::timestamptz as triggered,
      r,
      o.id as order_id
    from jsonb_array_elements(records) as e (item)
    cross join lateral (select e.item -> 'mapped' -> 'record') as x (r)
    join public.orders o on o.shop_id = target_shop and o.external_id = (r ->> 'orderShopifyId')::bigint
    where e.item -> 'mapped' ->> 'kind' = 'fulfillment'
  ),
  -- Only a version not older than the stored one is applied (equal versions re-apply).
  claimed as (
    insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
    select target_shop, 'fulfillment', f.shopify_id, f.updated_at, f.triggered from incoming f
    order by f.shopify_id
    on conflict (shop_id, resource, external_id) do update
      set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
      where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
    returning v.external_id
  )
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
  from incoming f
  where f.shopify_id in (select c.external_id from claimed c)
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
comment on function private.apply_shopify_fulfillments_set(uuid, jsonb) is 'The fulfilment records of a set ({mapped: {kind: fulfillment, record}, version}) upserted by Shopify id unless older than the stored version; raises P0002 when a fulfilment''s order is not known yet. The one rule for both the import and webhooks. Returns how many rows it created or changed. Uses no temporary table: creating one per call broadcasts catalog invalidations that make every other connection plan its statements again.';
revoke execute on function private.apply_shopify_fulfillments_set(uuid, jsonb) from public, anon, authenticated;
