-- A shop's privacy request only touches the customers that shop knows (security review M-3).
--
-- Owns: `private.apply_shopify_privacy_request` (restated from 20261121070000, same signature,
-- owner and grants).
--
-- Why: a customers/redact whose Shopify id the shop had never sent fell back to any customer of
-- the workspace with that email, and anonymised it: a second store (an outlet, a franchise, or a
-- leaked store secret) could erase customers it had never seen and break their portal login; a
-- customers/data_request pointed the admin at them too. Now:
--   - the customer is the one the shop's Shopify id points to; else, among the customers the
--     shop knows (linked through `customer_external_ids` of that shop, or with orders from it),
--     the one with the request's email (email is only a tie-breaker inside that set), else the
--     one the named orders of that shop belong to;
--   - a customer known to no other shop is anonymised as before;
--   - a customer also known to another shop keeps their profile: only the requesting shop's link,
--     its orders' addresses and its stored payloads are removed, and the request stays `open`
--     with a note, for an admin to decide about the profile (the other shop's merchant may
--     still need it).

create or replace function private.apply_shopify_privacy_request(target_shop uuid, r jsonb, triggered timestamptz, delivery bigint)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  request_kind text := r ->> 'kind';
  shopify_customer bigint := (r ->> 'customerShopifyId')::bigint;
  email_value text := private.shopify_text(r ->> 'customerEmail', 320);
  order_ids bigint[] := coalesce(array(select jsonb_array_elements_text(coalesce(r -> 'orderShopifyIds', '[]'))::bigint), '{}');
  target_customer uuid;
  known_elsewhere boolean := false;
begin
  if request_kind in ('customers/data_request', 'customers/redact') then
    select x.customer_id into target_customer from public.customer_external_ids x
    where x.shop_id = target_shop and x.external_id = shopify_customer;
    -- Email only inside the set of customers this shop knows.
    if target_customer is null and email_value is not null then
      select c.id into target_customer from public.customers c
      where lower(c.email) = lower(email_value)
        and (exists (select from public.customer_external_ids x where x.shop_id = target_shop and x.customer_id = c.id)
          or exists (select from public.orders o where o.shop_id = target_shop and o.customer_id = c.id));
    end if;
    -- The orders the shop names, when they all belong to one customer.
    if target_customer is null and cardinality(order_ids) > 0 then
      select min(o.customer_id::text)::uuid into target_customer from public.orders o
      where o.shop_id = target_shop and o.external_id = any (order_ids) and o.customer_id is not null
      having count(distinct o.customer_id) = 1;
    end if;
  end if;

  if request_kind = 'customers/data_request' then
    insert into public.shopify_privacy_requests (shop_id, delivery_id, kind, shopify_customer_id, customer_id, email, order_external_ids, data_request_id)
    values (target_shop, delivery, request_kind, shopify_customer, target_customer, email_value, order_ids, (r ->> 'dataRequestId')::bigint);
    return 'recorded';
  end if;

  if request_kind = 'customers/redact' then
    if target_customer is not null then
      known_elsewhere :=
        exists (select from public.customer_external_ids x where x.customer_id = target_customer and x.shop_id <> target_shop)
        or exists (select from public.orders o where o.customer_id = target_customer and o.shop_id <> target_shop);
      if known_elsewhere then
        -- This shop forgets the person; the profile stays for the other shops (an admin reviews).
        delete from public.customer_external_ids x where x.shop_id = target_shop and x.customer_id = target_customer;
      else
        -- Anonymised, not deleted: orders, lifetime value and the consent ledger (proof) stay.
        update public.customers c
        set first_name = 'Redacted', last_name = null, email = null, phone = null, company = null, region = null,
            city = null, postal_code = null, auth_user_id = null, style_interests = '{}', favourite_brands = '{}'
        where c.id = target_customer;
      end if;
    end if;
    update public.orders o
    set shipping_name = null, shipping_address1 = null, shipping_address2 = null, shipping_city = null,
        shipping_region = null, shipping_postal_code = null, shipping_phone = null, note = null
    where o.shop_id = target_shop
      and (o.external_id = any (order_ids) or (target_customer is not null and o.customer_id = target_customer));
    -- The raw payloads that carried this person's data.
    update public.webhook_deliveries w
    set payload = jsonb_build_object('redacted', true), record = null
    where w.shop_id = target_shop and w.id <> delivery
      and ((w.topic like 'customers/%' and w.payload ->> 'id' = shopify_customer::text)
        or (w.topic like 'orders/%' and (w.payload -> 'customer' ->> 'id' = shopify_customer::text
          or w.payload ->> 'id' = any (order_ids::text[])))
        or (w.topic = 'refunds/create' and w.payload ->> 'order_id' = any (order_ids::text[])));
    -- (Compared as text: a stored payload that failed validation may hold anything there.)
    insert into public.shopify_privacy_requests (shop_id, delivery_id, kind, shopify_customer_id, customer_id, order_external_ids, status, completed_at, note)
    values (target_shop, delivery, request_kind, shopify_customer, target_customer, order_ids,
      case when known_elsewhere then 'open' else 'completed' end,
      case when known_elsewhere then null else now() end,
      case
        when target_customer is null then 'No matching customer known to this shop; this shop''s named orders and payloads redacted.'
        when known_elsewhere then 'Customer also known to other shops: only this shop''s link, order addresses and payloads were removed. Review whether to anonymise the profile.'
        else 'Customer anonymised; order addresses removed.'
      end);
    return 'redacted';
  end if;

  -- shop/redact (48 h after the shop uninstalled): stop accepting its webhooks, forget which
  -- Shopify customer is which and drop the payloads it sent. Orders and customers stay: they
  -- are the merchant's own records (a customer may also buy in another shop).
  update public.shops s set active = false where s.id = target_shop;
  delete from public.customer_external_ids x where x.shop_id = target_shop;
  update public.webhook_deliveries w set payload = jsonb_build_object('redacted', true), record = null
  where w.shop_id = target_shop and w.id <> delivery;
  insert into public.shopify_privacy_requests (shop_id, delivery_id, kind, status, completed_at, note)
  values (target_shop, delivery, request_kind, 'completed', now(), 'Shop deactivated; Shopify ids and stored payloads removed.');
  return 'redacted';
end;
$$;
comment on function private.apply_shopify_privacy_request(uuid, jsonb, timestamptz, bigint) is 'customers/data_request: recorded for an admin to answer. customers/redact: acts only on a customer the requesting shop knows (its Shopify id; else email or the named orders among the customers linked to or buying from that shop); anonymised when no other shop knows them, else only that shop''s link, order addresses and payloads removed and the request left open for an admin. shop/redact: the shop deactivated, its Shopify links and payloads removed.';

comment on table public.shopify_privacy_requests is 'customers/data_request (open: an admin exports the customer''s data for the merchant), customers/redact (completed automatically, or open for review when the customer is also known to another shop: see private.apply_shopify_privacy_request) and shop/redact (completed). Admins read them and mark them completed.';
