-- fulfillments/create and fulfillments/update ask whether the fulfilment is already stored, to
-- answer created / updated / unchanged. That question joined order_fulfillments to orders by the
-- fulfilment's Shopify id alone, which no index starts with: every webhook fulfilment read the
-- whole fulfilments index, a cost that grew with the store's history. The record names its order
-- (orderShopifyId), and the row the upsert writes is keyed by (order_id, external_id), so the
-- question is now asked by that key: the order by (shop_id, external_id), then its fulfilment by
-- order_fulfillments_order_external_id_key. Same answer for every record (a fulfilment belongs to
-- one order), two index probes.

create or replace function private.apply_shopify_fulfillment(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql security definer set search_path = '' as $$
declare
  existed boolean;
  changed integer;
begin
  select exists (
    select 1 from public.orders o join public.order_fulfillments f on f.order_id = o.id
    where o.shop_id = target_shop and o.external_id = (r ->> 'orderShopifyId')::bigint
      and f.external_id = (r ->> 'shopifyId')::bigint
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
