-- A reconciliation applies only what is newer than what Cairn holds (issue 11: "applies what
-- webhooks missed, recording counts of what it fixed").
--
-- Why: a reconciliation asks Shopify for what changed since its last run, with an hour of
-- overlap (private.queue_shopify_reconciliations, 20261207193000), so a run reads again records
-- the previous run (or a webhook) already applied. The apply rules re-apply an equal version
-- (a retried webhook must be able to repair a row), and the customers', products' and orders'
-- set rules count every version they claim as changed: a day with nothing new re-wrote the
-- overlap's customers, products and orders and counted them as fixed (the function test
-- "reconciles daily: …": 7 records "fixed" by a second run with nothing changed).
--
-- Owns (new): public.shopify_reconcile_apply_chunk — the same arguments and answer as
-- public.shopify_import_apply_chunk, which it calls, with the chunk's records that Cairn already
-- holds at the same or a newer version left out (their count answered as `current`):
-- customers, products, orders, fulfilments and locations by private.shopify_versions, stock
-- levels by private.shopify_inventory_levels. Refunds go through (their rule writes a refund once
-- and changes nothing after). For a history import it is public.shopify_import_apply_chunk
-- unchanged. shopify-import calls it for reconciliations only.

create function private.shopify_record_is_current(target_shop uuid, item jsonb) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  r jsonb := item -> 'mapped' -> 'record';
  kind text := item -> 'mapped' ->> 'kind';
  triggered timestamptz;
begin
  triggered := (item ->> 'version')::timestamptz;
  if kind = 'inventory_level' then
    return exists (
      select from private.shopify_inventory_levels l
      where l.shop_id = target_shop
        and l.inventory_item_id = (r ->> 'inventoryItemId')::bigint
        and l.location_id = (r ->> 'locationId')::bigint
        and (l.updated_at, l.triggered_at) >= ((r ->> 'updatedAt')::timestamptz, triggered)
    );
  end if;
  if kind in ('customer', 'product', 'order', 'fulfillment', 'location') then
    return exists (
      select from private.shopify_versions v
      where v.shop_id = target_shop
        and v.resource = kind
        and v.external_id = (r ->> 'shopifyId')::bigint
        and (v.updated_at, v.triggered_at) >= (coalesce((r ->> 'updatedAt')::timestamptz, triggered), triggered)
    );
  end if;
  return false;
exception when others then
  -- A record that does not parse is not Cairn's yet: the apply records why.
  return false;
end;
$$;
comment on function private.shopify_record_is_current(uuid, jsonb) is 'Whether an import chunk''s record ({mapped: {kind, record}, version}) is already held at the same or a newer version (customers, products, orders, fulfilments, locations: private.shopify_versions; stock levels: private.shopify_inventory_levels). False for any other kind, and for a record that does not parse.';
revoke execute on function private.shopify_record_is_current(uuid, jsonb) from public, anon, authenticated;

create function public.shopify_reconcile_apply_chunk(
  import_id uuid,
  from_offset bigint,
  to_offset bigint,
  roots integer,
  records jsonb,
  failures jsonb default '[]',
  import_phase text default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  imp public.shop_imports;
  newer jsonb := records;
begin
  select * into imp from public.shop_imports i where i.id = shopify_reconcile_apply_chunk.import_id;
  if imp.kind = 'reconcile' then
    select coalesce(jsonb_agg(e.item order by e.n), '[]') into newer
    from jsonb_array_elements(records) with ordinality as e (item, n)
    where not private.shopify_record_is_current(imp.shop_id, e.item);
  end if;
  -- The import row is locked, and the offset and phase checked, by the apply itself.
  return public.shopify_import_apply_chunk(
    shopify_reconcile_apply_chunk.import_id, from_offset, to_offset, roots, newer, failures, import_phase
  ) || jsonb_build_object('current', jsonb_array_length(records) - jsonb_array_length(newer));
end;
$$;
comment on function public.shopify_reconcile_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) is 'A reconciliation''s chunk: public.shopify_import_apply_chunk with the records Cairn already holds at the same or a newer version left out (answered as `current`), so a run over unchanged records writes and counts nothing. Service role only.';
revoke execute on function public.shopify_reconcile_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) from public, anon, authenticated;
grant execute on function public.shopify_reconcile_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) to service_role;
