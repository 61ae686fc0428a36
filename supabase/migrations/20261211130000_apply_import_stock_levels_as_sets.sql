-- The import's stock levels as sets, in bounded chunks (issue 11).
--
-- The locations phase exports each location with all its stock levels (one JSONL root, a child
-- line per level): at the issue's size a location holds 30 000 levels, which came as one chunk,
-- and private.mirror_inventory_level ran once per level (two upserts each) inside it — at
-- `--scale 0.05` (3 000 levels) that chunk already ran past PostgREST's statement timeout. Now
-- shopify-import cuts a location's levels into chunks of bounded size (a chunk may start at a
-- level line), and a chunk's levels are mirrored with two statements instead of two per level.
--
-- Owns:
--   - the trigger mirror_inventory_level (20261209140000), re-created with a WHEN clause: it does
--     not fire while the transaction-local setting `cairn.import_levels_mirrored` is 'on' (only
--     private.apply_shopify_inventory_levels_set turns it on, around its own upsert, and mirrors
--     those rows itself). Every other writer — inventory_levels/update, the row-by-row fallback —
--     is mirrored per row as before. The function is unchanged.
--   - private.shop_import_pending_stock: the inventory items whose variant totals an import still
--     has to set. A location's levels now span several chunks; setting each item's total per
--     chunk would give a variant the sum of the locations seen so far (a dip, then the full sum:
--     two stock_history rows, and a false "back in stock" for a variant out of stock at the first
--     location) where the single chunk set it once. Queued instead, the total is set once per
--     item after all its levels are in, as the single chunk did.
--   - private.apply_shopify_inventory_levels_set (20261209141000), restated: the same staging,
--     checks, count of what changed and versioned upsert; then the mirror as two statements
--     (locations known by id, levels per variant and location) over the rows the upsert wrote,
--     with the values the row trigger would have written; then, inside an import chunk (the
--     setting `cairn.defer_customer_metrics` holds the import id, 20261208150100), the items are
--     queued, otherwise their totals are set at once (the statement it had).
--   - public.shopify_import_refresh_metrics (20261208150100), restated: first sets the queued
--     items' variant totals (up to `batch`, at most 1 000 a call: each changed variant runs its
--     audit, history and alert triggers) and answers what is left; once none is queued, the
--     customers' metrics as before but at most 1 000 customers a call (was 50 000: shopify-import
--     asks for 5 000, and at a load average of ~12 a call of 5 000 ran past PostgREST's 8-s
--     statement timeout four times in a row at `--scale 0.05` — each customer's row triggers run
--     in that one UPDATE; at the issue's 100 000 customers it would be retried until it fit),
--     and each batch picked first, then deleted by key: `delete … where id in (select … limit n)`
--     was planned as a nested loop that re-ran the limited subquery for every queued row
--     (queued × batch rows: 102 s for one call with 30 000 items queued; the customers' queue had
--     the same statement).
--     shopify-import already calls it until nothing is left before it completes an import (and
--     after a permanent failure).

-- ─── The mirror trigger, skipped while the set does its work ────────────────────────────────

drop trigger mirror_inventory_level on private.shopify_inventory_levels;
create trigger mirror_inventory_level after insert or update on private.shopify_inventory_levels
  for each row
  when (current_setting('cairn.import_levels_mirrored', true) is distinct from 'on')
  execute function private.mirror_inventory_level();

-- ─── Items whose variant totals an import still has to set ──────────────────────────────────

create table private.shop_import_pending_stock (
  import_id uuid not null references public.shop_imports (id) on delete cascade,
  inventory_item_id bigint not null,
  primary key (import_id, inventory_item_id)
);
comment on table private.shop_import_pending_stock is 'Inventory items whose variant totals (inventory_quantity, the sum over locations) an import still has to set: queued by its stock level chunks, set by shopify_import_refresh_metrics once, after every level is in.';
revoke all on private.shop_import_pending_stock from public, anon, authenticated, service_role;

-- ─── The stock level records of a chunk ─────────────────────────────────────────────────────

create or replace function private.apply_shopify_inventory_levels_set(target_shop uuid, records jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  changed integer;
  deferred_import uuid := nullif(current_setting('cairn.defer_customer_metrics', true), '')::uuid;
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

  -- Unless older than the stored level (equal versions re-apply). The rows it writes are mirrored
  -- below, as a set, instead of by the row trigger.
  perform set_config('cairn.import_levels_mirrored', 'on', true);
  insert into private.shopify_inventory_levels as l (shop_id, inventory_item_id, location_id, available, updated_at, triggered_at)
  select target_shop, i.item_id, i.location_id, i.available, i.updated_at, i.triggered
  from pg_temp.import_levels i
  order by i.item_id, i.location_id
  on conflict (shop_id, inventory_item_id, location_id) do update
    set available = excluded.available, updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
    where (excluded.updated_at, excluded.triggered_at) >= (l.updated_at, l.triggered_at);
  perform set_config('cairn.import_levels_mirrored', 'off', true);

  -- The mirror of what the upsert wrote: a written row now holds the chunk's version; a row it left
  -- (older than the stored one) holds a newer version, so never the chunk's.
  drop table if exists pg_temp.import_levels_written;
  create temporary table import_levels_written on commit drop as
  select i.item_id, i.location_id, i.available, i.updated_at
  from pg_temp.import_levels i
  join private.shopify_inventory_levels l
    on l.shop_id = target_shop and l.inventory_item_id = i.item_id and l.location_id = i.location_id
  where l.updated_at = i.updated_at and l.triggered_at = i.triggered;

  -- A location a level names before Shopify names it is kept with its id (as the trigger does).
  insert into public.shop_locations (shop_id, external_id)
  select distinct target_shop, w.location_id from pg_temp.import_levels_written w
  order by 2
  on conflict on constraint shop_locations_shop_external_id_key do nothing;
  insert into public.inventory_levels as x (variant_id, location_id, available, external_updated_at)
  select v.id, s.id, w.available, w.updated_at
  from pg_temp.import_levels_written w
  join public.product_variants v on v.inventory_item_id = w.item_id
  join public.products p on p.id = v.product_id and p.shop_id = target_shop
  join public.shop_locations s on s.shop_id = target_shop and s.external_id = w.location_id
  order by v.id, s.id
  on conflict (variant_id, location_id) do update
    set available = excluded.available, external_updated_at = excluded.external_updated_at, updated_at = now()
    where (x.available, x.external_updated_at) is distinct from (excluded.available, excluded.external_updated_at);

  if deferred_import is not null then
    -- An import chunk: the item's other locations may come in a later chunk; its total is set
    -- once they are all in (public.shopify_import_refresh_metrics).
    insert into private.shop_import_pending_stock (import_id, inventory_item_id)
    select distinct deferred_import, i.item_id from pg_temp.import_levels i
    order by 2
    on conflict do nothing;
    return changed;
  end if;

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
comment on function private.apply_shopify_inventory_levels_set(uuid, jsonb) is 'The stock level records of an import chunk by the rule of private.apply_shopify_inventory_level, as sets: a versioned upsert per (item, location) mirrored into public.inventory_levels as a set, then each item''s variant total — queued for the end of the import inside an import chunk (a location''s levels span chunks), at once otherwise; raises P0002 when an item has no variant in the shop. Returns how many levels it added or changed.';
revoke execute on function private.apply_shopify_inventory_levels_set(uuid, jsonb) from public, anon, authenticated;

-- ─── After the import: variant totals, then customer metrics ────────────────────────────────

create or replace function public.shopify_import_refresh_metrics(import_id uuid, batch integer default 5000) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  target_shop uuid;
  picked_items bigint[];
  items bigint[];
  picked_customers uuid[];
  ids uuid[];
  remaining integer;
begin
  -- The variant totals first: each changed variant runs its audit, price/stock history and alert
  -- triggers, so a call sets at most 1 000 items (and, below, recomputes at most 1 000 customers:
  -- each call well under PostgREST's statement timeout on a loaded machine).
  -- The batch picked first, then taken by key: as one statement (`in (… limit n)`, or a join to
  -- the picked rows) the planner, with no statistics for the queue, ran a nested loop of
  -- queued × batch rows (102 s for one call with 30 000 items queued).
  select array_agg(q.inventory_item_id) into picked_items from (
    select q.inventory_item_id from private.shop_import_pending_stock q
    where q.import_id = shopify_import_refresh_metrics.import_id
    order by q.inventory_item_id
    limit greatest(least(batch, 1000), 1)
  ) q;
  with taken as (
    delete from private.shop_import_pending_stock p
    where p.import_id = shopify_import_refresh_metrics.import_id
      and p.inventory_item_id = any (picked_items)
    returning p.inventory_item_id
  )
  select array_agg(t.inventory_item_id order by t.inventory_item_id) into items from taken t;
  if items is not null then
    select i.shop_id into target_shop from public.shop_imports i where i.id = shopify_import_refresh_metrics.import_id;
    -- Written as the chunk wrote it (shopify_import_apply_chunk): by Shopify (stock_history.source)
    -- and without the worker's JWT claims, so the variants' audit entries name the same role.
    perform set_config('cairn.change_source', 'shopify', true);
    perform set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.role', '', true),
      set_config('request.jwt.claim.sub', '', true);
    -- Each item's variant holds the sum over its locations (stock_history follows by trigger).
    update public.product_variants v
    set inventory_quantity = totals.available
    from (
      select l.inventory_item_id, sum(l.available)::integer as available
      from private.shopify_inventory_levels l
      where l.shop_id = target_shop and l.inventory_item_id = any (items)
      group by l.inventory_item_id
    ) as totals
    where v.inventory_item_id = totals.inventory_item_id
      and v.product_id in (select p.id from public.products p where p.shop_id = target_shop)
      and v.inventory_quantity is distinct from totals.available;
    select count(*) into remaining from private.shop_import_pending_stock p
    where p.import_id = shopify_import_refresh_metrics.import_id;
    return remaining + (select count(*)::integer from private.shop_import_pending_metrics p
                        where p.import_id = shopify_import_refresh_metrics.import_id);
  end if;

  select array_agg(q.customer_id) into picked_customers from (
    select q.customer_id from private.shop_import_pending_metrics q
    where q.import_id = shopify_import_refresh_metrics.import_id
    order by q.customer_id
    limit greatest(least(batch, 1000), 1)
  ) q;
  with taken as (
    delete from private.shop_import_pending_metrics p
    where p.import_id = shopify_import_refresh_metrics.import_id
      and p.customer_id = any (picked_customers)
    returning p.customer_id
  )
  select array_agg(t.customer_id) into ids from taken t;
  if ids is not null then
    perform private.refresh_customer_metrics_set(ids);
  end if;
  select count(*) into remaining from private.shop_import_pending_metrics p
  where p.import_id = shopify_import_refresh_metrics.import_id;
  return remaining;
end;
$$;
comment on function public.shopify_import_refresh_metrics(uuid, integer) is 'After an import''s chunks: sets the variant totals of up to `batch` (at most 1 000) queued inventory items, or, once none is queued, recomputes the metrics of up to `batch` (at most 1 000) queued customers; answers how many items and customers are still queued (service role only).';
revoke execute on function public.shopify_import_refresh_metrics(uuid, integer) from public, anon, authenticated;
grant execute on function public.shopify_import_refresh_metrics(uuid, integer) to service_role;
