-- A known buyer is matched without a write (issue 13: the webhook path must reach ≥ 200
-- orders/s; docs/benchmarks.md, "Shopify webhook ingestion", session hook).
--
-- private.upsert_shopify_customer links the Shopify customer id to the Cairn customer with
-- INSERT … ON CONFLICT DO NOTHING. It did so also when the customer had just been found by that
-- very link (the case of almost every order of a returning or known buyer): an insert attempt
-- that checks the unique index, finds the row and does nothing — 3.5 % of the database's time in
-- a replayed webhook stream (1 426 attempts per 1 000 deliveries). Now the link is written only
-- when the customer was found by email or created, i.e. when the link may be missing. Same
-- rows, same outcome, same locks otherwise.
--
-- Restated (create or replace, whole, same signature, comment and grants):
-- private.upsert_shopify_customer. The import calls it for buyers it does not know yet (found by
-- email or created), for whom nothing changes.

create or replace function private.upsert_shopify_customer(
  target_shop uuid, customer jsonb, triggered timestamptz, apply_profile boolean, out customer_id uuid, out outcome text
)
language plpgsql volatile security definer set search_path = '' as $$
declare
  shopify_id bigint := (customer ->> 'shopifyId')::bigint;
  email_value text := private.shopify_text(customer ->> 'email', 320);
  address jsonb := private.json_object(customer -> 'defaultAddress');
  version_at timestamptz := coalesce((customer ->> 'updatedAt')::timestamptz, triggered);
  given_first text := private.shopify_name(customer ->> 'firstName', 100);
  given_last text := private.shopify_name(customer ->> 'lastName', 100);
  existing public.customers;
  wanted public.customers;
  -- Found by its Shopify id: the link exists, nothing to write.
  linked boolean := false;
begin
  if email_value is not null and not private.is_email(email_value) then
    email_value := null;
  end if;
  if shopify_id is null and email_value is null then
    outcome := 'guest';
    return;
  end if;

  -- Matched by Shopify id, then by email.
  for attempt in 1..2 loop
    if shopify_id is not null then
      select x.customer_id into upsert_shopify_customer.customer_id
      from public.customer_external_ids x where x.shop_id = target_shop and x.external_id = shopify_id;
      linked := upsert_shopify_customer.customer_id is not null;
    end if;
    if upsert_shopify_customer.customer_id is null and email_value is not null then
      select c.id into upsert_shopify_customer.customer_id from public.customers c where lower(c.email) = lower(email_value);
    end if;
    exit when upsert_shopify_customer.customer_id is not null or attempt = 2;
    -- Not found: two deliveries about a new person at once (an order and customers/create)
    -- must not create two customers. Serialise on the Shopify id and the email, then look again
    -- (the other may have created it meanwhile). Only creation pays for these locks.
    if shopify_id is not null then
      perform pg_advisory_xact_lock(hashtextextended('shopify-customer:' || target_shop || ':' || shopify_id, 0));
    end if;
    if email_value is not null then
      perform pg_advisory_xact_lock(hashtextextended('customer-email:' || lower(email_value), 0));
    end if;
  end loop;

  if upsert_shopify_customer.customer_id is null then
    insert into public.customers (first_name, last_name, email, phone, company, country, region, city, postal_code, currency, source)
    values (
      -- Every customer needs a name or a contact; a Shopify customer without either keeps its id.
      coalesce(given_first, case when given_last is null and email_value is null then 'Shopify customer ' || shopify_id end),
      given_last,
      email_value,
      private.shopify_phone(coalesce(customer ->> 'phone', address ->> 'phone')),
      private.shopify_name(address ->> 'company', 200),
      private.shopify_country(address ->> 'countryCode'),
      private.shopify_text(address ->> 'region', 100),
      private.shopify_text(address ->> 'city', 100),
      private.shopify_text(address ->> 'postalCode', 20),
      private.shopify_currency(customer ->> 'currency'),
      'shopify'
    )
    returning id into upsert_shopify_customer.customer_id;
    outcome := 'created';
  end if;

  if shopify_id is not null and not linked then
    insert into public.customer_external_ids (shop_id, external_id, customer_id)
    values (target_shop, shopify_id, upsert_shopify_customer.customer_id)
    on conflict on constraint customer_external_ids_pkey do nothing;
  end if;
  -- The customer embedded in an order is a snapshot: it finds or creates the buyer, while the
  -- profile follows customers/create and customers/update (no version lock on every order).
  if not apply_profile then
    outcome := coalesce(outcome, 'matched');
    return;
  end if;
  if shopify_id is not null
     and not private.claim_shopify_version(target_shop, 'customer', shopify_id, version_at, triggered) then
    outcome := coalesce(outcome, 'stale');
    return;
  end if;
  if outcome = 'created' then
    return;
  end if;

  -- The newest Shopify version of the profile: what it carries replaces what Cairn has; what it
  -- leaves out (newer API versions drop fields) is kept. The email changes only when no other
  -- customer has it.
  select * into existing from public.customers c where c.id = upsert_shopify_customer.customer_id;
  wanted := existing;
  wanted.first_name := coalesce(given_first, existing.first_name);
  wanted.last_name := coalesce(given_last, existing.last_name);
  if email_value is not null and lower(email_value) is distinct from lower(existing.email)
     and not exists (select 1 from public.customers o where lower(o.email) = lower(email_value) and o.id <> existing.id) then
    wanted.email := email_value;
  end if;
  wanted.phone := coalesce(private.shopify_phone(customer ->> 'phone'), existing.phone);
  wanted.company := coalesce(private.shopify_name(address ->> 'company', 200), existing.company);
  wanted.country := coalesce(private.shopify_country(address ->> 'countryCode'), existing.country);
  wanted.region := coalesce(private.shopify_text(address ->> 'region', 100), existing.region);
  wanted.city := coalesce(private.shopify_text(address ->> 'city', 100), existing.city);
  wanted.postal_code := coalesce(private.shopify_text(address ->> 'postalCode', 20), existing.postal_code);
  wanted.currency := coalesce(private.shopify_currency(customer ->> 'currency'), existing.currency);
  if (wanted.first_name, wanted.last_name, wanted.email, wanted.phone, wanted.company, wanted.country, wanted.region,
      wanted.city, wanted.postal_code, wanted.currency)
     is distinct from (existing.first_name, existing.last_name, existing.email, existing.phone, existing.company,
      existing.country, existing.region, existing.city, existing.postal_code, existing.currency) then
    update public.customers c
    set first_name = wanted.first_name, last_name = wanted.last_name, email = wanted.email, phone = wanted.phone,
        company = wanted.company, country = wanted.country, region = wanted.region, city = wanted.city,
        postal_code = wanted.postal_code, currency = wanted.currency
    where c.id = existing.id;
  end if;
  outcome := 'updated';
end;
$$;
comment on function private.upsert_shopify_customer(uuid, jsonb, timestamptz, boolean) is 'Finds the Cairn customer of a Shopify customer record (by Shopify id, then email), creating it when there is none; with apply_profile, also applies the profile when the record is the newest version seen. Outcome: created, updated, matched, stale or guest (no id and no email: nobody to match).';
revoke execute on function private.upsert_shopify_customer(uuid, jsonb, timestamptz, boolean) from public, anon, authenticated, service_role;
