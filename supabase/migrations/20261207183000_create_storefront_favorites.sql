-- The heart on a Shopify storefront (issue 12): favourites written through a Shopify App Proxy.
--
-- Owns: private.app_proxy_signatures (the signatures already used, so a captured request cannot
-- be replayed) and public.storefront_favorite(), which the storefront-favorite function calls
-- after it has verified Shopify's signature over the query (signature, shop, timestamp,
-- logged_in_customer_id) with the shop's secret.
--
-- Why here: the function has verified who is asking (a customer logged in to that shop); the
-- database decides what that customer may touch — their own favourites, variants of that shop's
-- active products — and remembers each signature once, atomically with the write.

create table private.app_proxy_signatures (
  signature text primary key constraint app_proxy_signatures_hex check (signature ~ '^[0-9a-f]{64}$'),
  shop_domain text not null,
  seen_at timestamptz not null default now()
);
comment on table private.app_proxy_signatures is 'App Proxy signatures already used (storefront_favorite): a second request with the same signature is a replay. Kept an hour; Shopify''s timestamps older than 5 minutes are refused anyway.';
create index app_proxy_signatures_seen_idx on private.app_proxy_signatures (seen_at);

create function public.storefront_favorite(
  shop_domain text,
  signature text,
  shopify_customer_id bigint,
  variant_ids bigint[] default '{}',
  set_variant bigint default null,
  favourite boolean default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  shop uuid;
  customer uuid;
  variant uuid;
  first_use boolean;
begin
  if cardinality(variant_ids) > 100 then
    raise exception 'at most 100 variants at a time' using errcode = '22023';
  end if;
  if (set_variant is null) <> (favourite is null) then
    raise exception 'set_variant and favourite go together' using errcode = '22023';
  end if;

  -- Each signed request once: a replay is refused whatever it asks.
  insert into private.app_proxy_signatures (signature, shop_domain)
  values (storefront_favorite.signature, storefront_favorite.shop_domain)
  on conflict do nothing
  returning true into first_use;
  if first_use is null then
    raise exception 'this request was already used' using errcode = '42501', detail = 'replayed';
  end if;
  if random() < 0.01 then
    delete from private.app_proxy_signatures s where s.seen_at < now() - interval '1 hour';
  end if;

  select s.id into shop from public.shops s where s.domain = storefront_favorite.shop_domain and s.active;
  select x.customer_id into customer
  from public.customer_external_ids x where x.shop_id = shop and x.external_id = shopify_customer_id;
  if customer is null then
    return jsonb_build_object('customer', false, 'favourites', '[]'::jsonb);
  end if;

  if set_variant is not null then
    select v.id into variant
    from public.product_variants v join public.products p on p.id = v.product_id
    where p.shop_id = shop and v.external_id = set_variant and p.status = 'active';
    if variant is null then
      raise exception 'this product is not available' using errcode = 'P0002', detail = 'unknown_variant';
    end if;
    if favourite then
      insert into public.favorites (customer_id, variant_id) values (customer, variant)
      on conflict (customer_id, variant_id) do nothing;
    else
      delete from public.favorites f where f.customer_id = customer and f.variant_id = variant;
    end if;
  end if;

  return jsonb_build_object('customer', true, 'favourites', coalesce((
    select jsonb_agg(v.external_id order by v.external_id)
    from public.favorites f
    join public.product_variants v on v.id = f.variant_id
    join public.products p on p.id = v.product_id
    where f.customer_id = customer and p.shop_id = shop
      and v.external_id = any (variant_ids || coalesce(array[set_variant], '{}'))
  ), '[]'::jsonb));
end;
$$;
comment on function public.storefront_favorite(text, text, bigint, bigint[], bigint, boolean) is 'For the storefront-favorite function (service role), after it verified the App Proxy signature: remembers the signature (a replay: 42501 replayed), finds the Cairn customer of the shop''s logged-in customer, optionally sets the favourite for one of the shop''s active variants (by Shopify variant id), and returns which of variant_ids are favourites. {customer: false} when the Shopify customer is not known to Cairn.';
revoke execute on function public.storefront_favorite(text, text, bigint, bigint[], bigint, boolean) from public, anon, authenticated;
grant execute on function public.storefront_favorite(text, text, bigint, bigint[], bigint, boolean) to service_role;
