-- Shopify webhook ingestion
--
-- Owns: the log of every accepted Shopify webhook delivery (`webhook_deliveries`), the links
-- between Cairn customers and their Shopify ids per shop (`customer_external_ids`), the privacy
-- requests Shopify sends (`shopify_privacy_requests`), the version bookkeeping that keeps
-- out-of-order deliveries from overwriting newer data (`private.shopify_versions`,
-- `private.shopify_inventory_levels`), and the SQL that applies each topic.
--
-- How a delivery flows (the `shopify-webhook` edge function does the HTTP part):
--   1. the function verifies the HMAC, validates the headers and maps the payload to a plain
--      record (supabase/functions/_shared/shopify-payloads.ts), then calls
--      public.ingest_shopify_webhook(…) — one round trip, one transaction;
--   2. ingest stores the delivery (unique per shop × topic × X-Shopify-Event-Id: a duplicate
--      or a retry of the same event stops here) and applies it in a subtransaction: the
--      topic's changes land together or not at all, and a failure leaves the delivery stored
--      as `failed` with its error;
--   3. public.retry_failed_webhooks() — pg_cron, every minute (20261121070100) — re-applies
--      failed deliveries from their stored record with exponential backoff (a refund that
--      arrives before its order, a rate not imported yet, a deadlock…). Nothing accepted is
--      lost: a delivery that keeps failing stays `failed` and visible to admins.
--
-- Out of order: every order, product and customer carries the (updated_at, triggered-at) of
-- the last version applied, compared lexicographically; an older incoming version is stored
-- and marked `ignored` (outcome `stale`) without touching the data. Shopify's updated_at has
-- whole seconds, so X-Shopify-Triggered-At breaks same-second ties. Inventory levels are
-- versioned per inventory item × location.
--
-- Access: admins read deliveries and privacy requests (payloads hold personal data); staff
-- who may see a customer read its external ids; only the service role writes, through the
-- functions below (security definer, execute granted to service_role only).

-- ─── Deliveries ──────────────────────────────────────────────────────────────────────────────

create type public.webhook_delivery_status as enum ('received', 'applied', 'ignored', 'failed');
comment on type public.webhook_delivery_status is 'received: stored, not applied yet; applied: its changes are in; ignored: nothing to do (unknown topic, or older than what is stored); failed: applying raised an error (see last_error), retried by retry_failed_webhooks().';

create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  shop_id uuid not null references public.shops (id) on delete cascade,
  topic text not null constraint webhook_deliveries_topic_format check (topic ~ '^[a-z_]+/[a-z_]+$'),
  event_id text not null constraint webhook_deliveries_event_id_length check (length(event_id) between 1 and 255),
  webhook_id text not null constraint webhook_deliveries_webhook_id_length check (length(webhook_id) between 1 and 255),
  triggered_at timestamptz not null,
  api_version text not null constraint webhook_deliveries_api_version_length check (length(api_version) between 1 and 20),
  payload jsonb not null,
  record jsonb,
  status public.webhook_delivery_status not null default 'received',
  outcome text,
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  received_at timestamptz not null default now(),
  applied_at timestamptz,
  constraint webhook_deliveries_event_key unique (shop_id, topic, event_id)
);
comment on table public.webhook_deliveries is 'Every accepted Shopify webhook delivery, stored before it is applied. One row per shop × topic × event id: duplicates and retries of an event are answered without being stored twice. Admins read it; the shopify-webhook function writes it.';
comment on column public.webhook_deliveries.event_id is 'X-Shopify-Event-Id: the same for every delivery of one event (the de-duplication key).';
comment on column public.webhook_deliveries.webhook_id is 'X-Shopify-Webhook-Id of the first delivery of the event that was accepted.';
comment on column public.webhook_deliveries.triggered_at is 'X-Shopify-Triggered-At: when the event fired. Orders events by cause, not by arrival.';
comment on column public.webhook_deliveries.payload is 'The body as Shopify sent it (JSON). Redacted on customers/redact and shop/redact.';
comment on column public.webhook_deliveries.record is 'The payload validated and mapped by the function ({kind, record}); what the apply functions read. Null when the payload did not validate (then status is failed and last_error says why) or after redaction.';
comment on column public.webhook_deliveries.outcome is 'What applying did: created, updated, stale (older than the stored version), archived, recorded, unknown_topic…';
comment on column public.webhook_deliveries.attempts is 'How many times applying was tried.';
comment on column public.webhook_deliveries.next_attempt_at is 'When retry_failed_webhooks() tries a failed delivery again (exponential backoff); null once applied, or when it gave up.';

create index webhook_deliveries_retry_idx on public.webhook_deliveries (next_attempt_at)
  where status in ('received', 'failed');
create index webhook_deliveries_received_at_idx on public.webhook_deliveries (received_at desc);
create index webhook_deliveries_status_idx on public.webhook_deliveries (status, received_at desc);

alter table public.webhook_deliveries enable row level security;
create policy "admins read webhook deliveries" on public.webhook_deliveries for select to authenticated
  using ((select private.is_admin()));
revoke all on public.webhook_deliveries from anon;
revoke insert, update, delete, truncate on public.webhook_deliveries from authenticated;
-- No audit trigger: this table is itself the log of what Shopify sent, written at high rate.

-- ─── Customer ↔ Shopify customer ids ─────────────────────────────────────────────────────────

create table public.customer_external_ids (
  shop_id uuid not null references public.shops (id) on delete cascade,
  external_id bigint not null constraint customer_external_ids_external_id_positive check (external_id > 0),
  customer_id uuid not null references public.customers (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (shop_id, external_id)
);
comment on table public.customer_external_ids is 'Which Cairn customer a Shopify customer id of a shop is. Several shops (or ids) may point to one customer, matched by email. Written by the Shopify webhook.';
create index customer_external_ids_customer_idx on public.customer_external_ids (customer_id);

alter table public.customer_external_ids enable row level security;
create policy "staff read the external ids of customers they may see" on public.customer_external_ids
  for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
revoke all on public.customer_external_ids from anon;
revoke insert, update, delete, truncate on public.customer_external_ids from authenticated;
create trigger record_audit after insert or update or delete on public.customer_external_ids
  for each row execute function private.record_audit('customer_id');

-- ─── Privacy requests (mandatory Shopify compliance topics) ─────────────────────────────────

create table public.shopify_privacy_requests (
  id bigint generated always as identity primary key,
  shop_id uuid not null references public.shops (id) on delete cascade,
  delivery_id bigint references public.webhook_deliveries (id) on delete set null,
  kind text not null constraint shopify_privacy_requests_kind_check
    check (kind in ('customers/data_request', 'customers/redact', 'shop/redact')),
  shopify_customer_id bigint,
  customer_id uuid references public.customers (id) on delete set null,
  email text,
  order_external_ids bigint[] not null default '{}',
  data_request_id bigint,
  status text not null default 'open' constraint shopify_privacy_requests_status_check check (status in ('open', 'completed')),
  note text,
  received_at timestamptz not null default now(),
  completed_at timestamptz
);
comment on table public.shopify_privacy_requests is 'customers/data_request (open: an admin exports the customer''s data for the merchant), customers/redact and shop/redact (completed automatically: see private.apply_shopify_privacy_request). Admins read them and mark data requests completed.';
comment on column public.shopify_privacy_requests.email is 'Kept for data requests only (needed to answer them); null for redactions.';
create index shopify_privacy_requests_open_idx on public.shopify_privacy_requests (received_at) where status = 'open';

alter table public.shopify_privacy_requests enable row level security;
create policy "admins read privacy requests" on public.shopify_privacy_requests for select to authenticated
  using ((select private.is_admin()));
create policy "admins complete privacy requests" on public.shopify_privacy_requests for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
revoke all on public.shopify_privacy_requests from anon;
revoke insert, update, delete, truncate on public.shopify_privacy_requests from authenticated;
grant update (status, note, completed_at) on public.shopify_privacy_requests to authenticated;
create trigger record_audit after insert or update or delete on public.shopify_privacy_requests
  for each row execute function private.record_audit();

-- ─── Versions (out-of-order protection) ──────────────────────────────────────────────────────

create table private.shopify_versions (
  shop_id uuid not null references public.shops (id) on delete cascade,
  resource text not null constraint shopify_versions_resource_check check (resource in ('order', 'product', 'customer')),
  external_id bigint not null,
  updated_at timestamptz not null,
  triggered_at timestamptz not null,
  primary key (shop_id, resource, external_id)
);
comment on table private.shopify_versions is 'The newest (updated_at, triggered-at) applied per Shopify order, product and customer. Claimed with a row lock, so concurrent deliveries of one record serialise.';
revoke all on private.shopify_versions from public, anon, authenticated, service_role;

create table private.shopify_inventory_levels (
  shop_id uuid not null references public.shops (id) on delete cascade,
  inventory_item_id bigint not null,
  location_id bigint not null,
  available integer,
  updated_at timestamptz not null,
  triggered_at timestamptz not null,
  primary key (shop_id, inventory_item_id, location_id)
);
comment on table private.shopify_inventory_levels is 'Stock per inventory item and location as inventory_levels/update reported it (with its version). A variant''s inventory_quantity is the sum over its item''s locations once any level is known.';
revoke all on private.shopify_inventory_levels from public, anon, authenticated, service_role;

create function private.claim_shopify_version(
  target_shop uuid, target_resource text, target_external_id bigint, incoming_updated_at timestamptz, incoming_triggered_at timestamptz
) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  claimed boolean;
begin
  insert into private.shopify_versions as v (shop_id, resource, external_id, updated_at, triggered_at)
  values (target_shop, target_resource, target_external_id, incoming_updated_at, incoming_triggered_at)
  on conflict (shop_id, resource, external_id) do update
    set updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
    -- Equal versions re-apply (idempotent); only a strictly older one is refused.
    where (excluded.updated_at, excluded.triggered_at) >= (v.updated_at, v.triggered_at)
  returning true into claimed;
  return coalesce(claimed, false);
end;
$$;
comment on function private.claim_shopify_version(uuid, text, bigint, timestamptz, timestamptz) is 'True (and records the version) when the incoming version of a Shopify record is not older than the stored one, compared by updated_at then triggered-at; false when it is older. Locks the version row until the transaction ends.';

-- ─── Small mapping helpers ───────────────────────────────────────────────────────────────────
-- Plain SQL expressions without `set search_path` or security definer, so the planner inlines
-- them into the statements that call them (dozens per order); they use built-ins only.

create function private.shopify_text(value text, max_length integer) returns text
language sql immutable parallel safe as $$
  select nullif(pg_catalog.btrim(pg_catalog.left(value, max_length)), '')
$$;
comment on function private.shopify_text(text, integer) is 'Trimmed, cut to max_length, null when empty: Shopify text fits Cairn''s length checks instead of failing them.';

create function private.shopify_phone(phone text) returns text
language sql immutable parallel safe as $$
  select case when pg_catalog.regexp_replace(phone, '[\s().-]', '', 'g') ~ '^\+[1-9][0-9]{6,14}$'
    then pg_catalog.regexp_replace(phone, '[\s().-]', '', 'g') end
$$;
comment on function private.shopify_phone(text) is 'The phone in E.164 (what customers.phone accepts) after removing spaces and punctuation, else null.';

create function private.shopify_url(url text) returns text
language sql immutable parallel safe as $$
  select case when url ~ '^https?://' then pg_catalog.left(url, 2000) end
$$;

create function private.json_object(value jsonb) returns jsonb
language sql immutable parallel safe as $$
  select case when pg_catalog.jsonb_typeof(value) = 'object' then value end
$$;
comment on function private.json_object(jsonb) is 'The value when it is a JSON object, else SQL null (JSON null included).';

create function private.shopify_tags(tags jsonb) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(array(
    select left(t, 100) from jsonb_array_elements_text(case when jsonb_typeof(tags) = 'array' then tags else '[]' end) with ordinality as e (t, n)
    where btrim(t) <> '' order by n limit 250
  ), '{}')
$$;

create function private.shopify_country(code text) returns text
language sql stable set search_path = '' as $$
  select c.code from public.countries c where c.code = upper(btrim(shopify_country.code))
$$;
comment on function private.shopify_country(text) is 'The country code when Cairn knows it, else null (an unknown code must not fail the whole delivery).';

create function private.shopify_currency(code text) returns text
language sql stable set search_path = '' as $$
  select c.code from public.currencies c where c.code = upper(btrim(shopify_currency.code))
$$;

-- ─── Customers ───────────────────────────────────────────────────────────────────────────────

create function private.upsert_shopify_customer(
  target_shop uuid, customer jsonb, triggered timestamptz, apply_profile boolean, out customer_id uuid, out outcome text
)
language plpgsql volatile security definer set search_path = '' as $$
declare
  shopify_id bigint := (customer ->> 'shopifyId')::bigint;
  email_value text := private.shopify_text(customer ->> 'email', 320);
  address jsonb := private.json_object(customer -> 'defaultAddress');
  version_at timestamptz := coalesce((customer ->> 'updatedAt')::timestamptz, triggered);
  given_first text := private.shopify_text(customer ->> 'firstName', 100);
  given_last text := private.shopify_text(customer ->> 'lastName', 100);
  existing public.customers;
  wanted public.customers;
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
      private.shopify_text(address ->> 'company', 200),
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

  if shopify_id is not null then
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
  wanted.company := coalesce(private.shopify_text(address ->> 'company', 200), existing.company);
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

create function private.record_shopify_consent(target_customer uuid, customer jsonb, triggered timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  consent jsonb := private.json_object(customer -> 'emailMarketingConsent');
  wanted public.consent_status;
  current_status public.consent_status;
begin
  -- Only API versions before 2025-01 carry it; absence never means "opted out".
  if consent is null then
    return;
  end if;
  wanted := case consent ->> 'state' when 'subscribed' then 'granted' when 'unsubscribed' then 'withdrawn' end;
  if wanted is null then
    return;
  end if;
  select cc.status into current_status from public.customer_consents cc
  where cc.customer_id = target_customer and cc.channel = 'email' and cc.purpose = 'marketing';
  if current_status is not distinct from wanted then
    return;
  end if;
  insert into public.consent_events (customer_id, channel, purpose, status, source, actor_id, occurred_at, evidence)
  values (
    target_customer, 'email', 'marketing', wanted, 'shopify', null,
    least(coalesce((consent ->> 'updatedAt')::timestamptz, triggered), now()),
    jsonb_build_object('shopify_state', consent ->> 'state', 'opt_in_level', consent ->> 'optInLevel')
  );
end;
$$;
comment on function private.record_shopify_consent(uuid, jsonb, timestamptz) is 'Adds a consent event (source shopify) when a customer payload''s email marketing state differs from the ledger''s current state.';

create function private.apply_shopify_customer(target_shop uuid, customer jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  result record;
begin
  select * into result from private.upsert_shopify_customer(target_shop, customer, triggered, true);
  if result.outcome in ('created', 'updated') then
    perform private.record_shopify_consent(result.customer_id, customer, triggered);
  end if;
  return result.outcome;
end;
$$;
comment on function private.apply_shopify_customer(uuid, jsonb, timestamptz) is 'customers/create, customers/update: the customer matched or created, its profile and email consent updated unless the payload is older than what is stored.';

-- ─── Orders ──────────────────────────────────────────────────────────────────────────────────

create function private.apply_shopify_order(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  order_external_id bigint := (r ->> 'shopifyId')::bigint;
  ship jsonb := private.json_object(r -> 'shippingAddress');
  buyer jsonb := private.json_object(r -> 'customer');
  buyer_id uuid;
  order_name text := coalesce(private.shopify_text(r ->> 'name', 80), '#' || (r ->> 'orderNumber'), 'S-' || order_external_id);
  saved_order_id uuid;
  inserted boolean;
  subtotal_amount numeric := coalesce((r ->> 'subtotal')::numeric, 0);
  tax_amount numeric := coalesce((r ->> 'totalTax')::numeric, 0);
  total_amount numeric := (r ->> 'total')::numeric;
begin
  if not private.claim_shopify_version(target_shop, 'order', order_external_id, (r ->> 'updatedAt')::timestamptz, triggered) then
    return 'stale';
  end if;

  -- The buyer: the order's customer (its email falling back to the order's), or a guest
  -- checkout matched by email; nobody when neither has an id or email.
  buyer := coalesce(buyer, '{}'::jsonb);
  if buyer ->> 'email' is null and r ->> 'email' is not null then
    buyer := buyer || jsonb_build_object('email', r ->> 'email');
  end if;
  select u.customer_id into buyer_id from private.upsert_shopify_customer(target_shop, buyer, triggered, false) u;

  -- Order names are unique per shop. Shopify never repeats one, but orders imported or seeded
  -- by hand (or a simulator run twice) may hold the same name: keep both, told apart by id.
  if exists (
    select 1 from public.orders o
    where o.shop_id = target_shop and o.order_number = order_name and o.external_id is distinct from order_external_id
  ) then
    order_name := order_name || ' (' || order_external_id || ')';
  end if;

  insert into public.orders as o (
    shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at, cancel_reason,
    currency, subtotal, discount_total, shipping_total, tax_total, total,
    shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
    shipping_country, shipping_phone, note, source, placed_at, processed_at, external_updated_at
  ) values (
    target_shop, order_external_id, buyer_id, order_name,
    case
      when r ->> 'financialStatus' = any (enum_range(null::public.order_financial_status)::text[])
        then (r ->> 'financialStatus')::public.order_financial_status
      when r ->> 'financialStatus' = 'expired' then 'voided'
      else 'pending'
    end,
    case r ->> 'fulfillmentStatus'
      when 'fulfilled' then 'fulfilled'
      when 'partial' then 'partially_fulfilled'
      when 'restocked' then 'restocked'
      else 'unfulfilled'
    end::public.order_fulfillment_status,
    (r ->> 'cancelledAt')::timestamptz,
    private.shopify_text(r ->> 'cancelReason', 500),
    r ->> 'currency',
    greatest(subtotal_amount, 0),
    greatest(coalesce((r ->> 'totalDiscounts')::numeric, 0), 0),
    -- Shopify's total is subtotal (after discounts) + shipping + tax.
    greatest(total_amount - subtotal_amount - tax_amount, 0),
    greatest(tax_amount, 0),
    total_amount,
    private.shopify_text(ship ->> 'name', 200),
    private.shopify_text(ship ->> 'line1', 300),
    private.shopify_text(ship ->> 'line2', 300),
    private.shopify_text(ship ->> 'city', 100),
    private.shopify_text(ship ->> 'region', 100),
    private.shopify_text(ship ->> 'postalCode', 20),
    private.shopify_country(ship ->> 'countryCode'),
    private.shopify_text(ship ->> 'phone', 40),
    private.shopify_text(r ->> 'note', 5000),
    'shopify',
    (r ->> 'createdAt')::timestamptz,
    (r ->> 'processedAt')::timestamptz,
    (r ->> 'updatedAt')::timestamptz
  )
  -- exchange_rate and total_base are filled by private.prepare_order on insert (the rate of the
  -- order's day, private.rate_on) and kept as they were on updates: the rate at order time.
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
  returning o.id, (o.xmax = 0) into saved_order_id, inserted;

  -- Line items: upserted by Shopify id; items no longer in the order are removed. Quantity 0
  -- (fully removed by an order edit) is not a line Cairn keeps.
  with incoming as (
    select
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
    from jsonb_array_elements(coalesce(r -> 'items', '[]')) as e (item)
    where (item ->> 'quantity')::integer > 0
  ),
  removed as (
    delete from public.order_items i
    where i.order_id = saved_order_id
      and (i.external_id is null or i.external_id not in (select external_id from incoming))
  )
  insert into public.order_items as i (
    order_id, external_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency
  )
  select
    saved_order_id, n.external_id, p.id, v.id, n.title, n.variant_title, n.sku, n.vendor, n.quantity,
    n.unit_price, n.discount_total, n.total, r ->> 'currency'
  from incoming n
  left join public.products p on p.shop_id = target_shop and p.external_id = n.product_external_id
  left join public.product_variants v on v.product_id = p.id and v.external_id = n.variant_external_id
  on conflict on constraint order_items_order_external_id_key do update
    set product_id = excluded.product_id, variant_id = excluded.variant_id, title = excluded.title,
        variant_title = excluded.variant_title, sku = excluded.sku, vendor = excluded.vendor, quantity = excluded.quantity,
        unit_price = excluded.unit_price, discount_total = excluded.discount_total, total = excluded.total
    where (i.product_id, i.variant_id, i.title, i.variant_title, i.sku, i.vendor, i.quantity, i.unit_price, i.discount_total, i.total)
      is distinct from (excluded.product_id, excluded.variant_id, excluded.title, excluded.variant_title, excluded.sku,
        excluded.vendor, excluded.quantity, excluded.unit_price, excluded.discount_total, excluded.total);

  return case when inserted then 'created' else 'updated' end;
end;
$$;
comment on function private.apply_shopify_order(uuid, jsonb, timestamptz) is 'orders/create, updated, paid, cancelled: upserts the order and its line items unless the payload is older than the stored version; matches or creates the buyer; the exchange rate is the one of the order''s day (private.prepare_order → private.rate_on). Customer metrics follow through the order triggers.';

create function private.apply_shopify_refund(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  parent record;
  refund_id uuid;
begin
  select o.id, o.currency into parent from public.orders o
  where o.shop_id = target_shop and o.external_id = (r ->> 'orderShopifyId')::bigint;
  if not found then
    -- Refunds can overtake their order; the retry applies it once the order is in.
    raise exception 'order % of refund % is not known yet', r ->> 'orderShopifyId', r ->> 'shopifyId'
      using errcode = 'P0002';
  end if;
  -- A refund is an immutable event: stored once, never changed by a later delivery.
  insert into public.refunds (order_id, external_id, amount, currency, reason, refunded_at)
  values (
    parent.id, (r ->> 'shopifyId')::bigint, coalesce((r ->> 'amount')::numeric, 0), parent.currency,
    private.shopify_text(r ->> 'note', 1000),
    coalesce((r ->> 'processedAt')::timestamptz, (r ->> 'createdAt')::timestamptz, triggered)
  )
  on conflict (order_id, external_id) do nothing
  returning id into refund_id;
  return case when refund_id is null then 'unchanged' else 'created' end;
end;
$$;
comment on function private.apply_shopify_refund(uuid, jsonb, timestamptz) is 'refunds/create: adds the refund (amount = successful refund transactions) to its order; the order''s refunded totals and the customer''s metrics follow by trigger. Fails (and is retried) while the order is unknown.';

-- ─── Products, variants, inventory ───────────────────────────────────────────────────────────

create function private.apply_shopify_product(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  saved_product_id uuid;
  inserted boolean;
  shop_currency text;
begin
  if not private.claim_shopify_version(target_shop, 'product', (r ->> 'shopifyId')::bigint, (r ->> 'updatedAt')::timestamptz, triggered) then
    return 'stale';
  end if;
  select s.currency into shop_currency from public.shops s where s.id = target_shop;

  insert into public.products as p (shop_id, external_id, title, handle, vendor, product_type, status, image_url, source, tags, external_updated_at)
  values (
    target_shop,
    (r ->> 'shopifyId')::bigint,
    coalesce(private.shopify_text(r ->> 'title', 500), 'Untitled product'),
    case when r ->> 'handle' ~ '^[a-z0-9][a-z0-9-]{0,254}$' then r ->> 'handle' end,
    private.shopify_text(r ->> 'vendor', 200),
    private.shopify_text(r ->> 'productType', 200),
    case
      when r ->> 'status' = any (enum_range(null::public.product_status)::text[]) then (r ->> 'status')::public.product_status
      -- Statuses Cairn does not know (unlisted…) are kept out of the public catalogue.
      when r ->> 'status' is null then 'active'
      else 'draft'
    end,
    private.shopify_url(r ->> 'imageUrl'),
    'shopify',
    private.shopify_tags(r -> 'tags'),
    (r ->> 'updatedAt')::timestamptz
  )
  on conflict on constraint products_shop_external_id_key do update
    set title = excluded.title, handle = excluded.handle, vendor = excluded.vendor, product_type = excluded.product_type,
        status = excluded.status, image_url = excluded.image_url, tags = excluded.tags,
        external_updated_at = excluded.external_updated_at
  returning p.id, (p.xmax = 0) into saved_product_id, inserted;

  -- Variants. Price and stock changes reach price_history / stock_history through the
  -- variants' trigger (labelled 'shopify' by cairn.change_source). Once inventory_levels/update
  -- has reported an item, those levels own its quantity: the product payload's total may be
  -- older than them.
  insert into public.product_variants as v (
    product_id, external_id, sku, title, price, compare_at_price, currency, inventory_quantity, inventory_item_id, image_url, position
  )
  select
    saved_product_id,
    (x ->> 'shopifyId')::bigint,
    private.shopify_text(x ->> 'sku', 100),
    coalesce(private.shopify_text(x ->> 'title', 500), 'Default Title'),
    greatest((x ->> 'price')::numeric, 0),
    (x ->> 'compareAtPrice')::numeric,
    shop_currency,
    coalesce(
      (select sum(l.available)::integer from private.shopify_inventory_levels l
       where l.shop_id = target_shop and l.inventory_item_id = (x ->> 'inventoryItemId')::bigint),
      (x ->> 'inventoryQuantity')::integer
    ),
    (x ->> 'inventoryItemId')::bigint,
    private.shopify_url(coalesce(x ->> 'imageUrl', r ->> 'imageUrl')),
    coalesce((x ->> 'position')::integer, n::integer)
  from jsonb_array_elements(coalesce(r -> 'variants', '[]')) with ordinality as e (x, n)
  on conflict on constraint product_variants_product_external_id_key do update
    set sku = excluded.sku, title = excluded.title, price = excluded.price, compare_at_price = excluded.compare_at_price,
        currency = excluded.currency, inventory_quantity = excluded.inventory_quantity,
        inventory_item_id = excluded.inventory_item_id, image_url = excluded.image_url, position = excluded.position
    where (v.sku, v.title, v.price, v.compare_at_price, v.currency, v.inventory_quantity, v.inventory_item_id, v.image_url, v.position)
      is distinct from (excluded.sku, excluded.title, excluded.price, excluded.compare_at_price, excluded.currency,
        excluded.inventory_quantity, excluded.inventory_item_id, excluded.image_url, excluded.position);
  -- Variants missing from the payload are kept: favourites and order lines point at them.

  return case when inserted then 'created' else 'updated' end;
end;
$$;
comment on function private.apply_shopify_product(uuid, jsonb, timestamptz) is 'products/create, products/update: upserts the product and its variants (price, compare-at, stock) unless the payload is older than the stored version; history rows follow by trigger.';

create function private.apply_shopify_product_deletion(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  archived_id uuid;
begin
  -- The deletion is the product's last version: any update fired before it stays out.
  if not private.claim_shopify_version(target_shop, 'product', (r ->> 'shopifyId')::bigint, triggered, triggered) then
    return 'stale';
  end if;
  -- Archived, not deleted: order lines, favourites and histories keep pointing at it.
  update public.products p set status = 'archived'
  where p.shop_id = target_shop and p.external_id = (r ->> 'shopifyId')::bigint
  returning p.id into archived_id;
  return case when archived_id is null then 'unknown_product' else 'archived' end;
end;
$$;
comment on function private.apply_shopify_product_deletion(uuid, jsonb, timestamptz) is 'products/delete: archives the product (hidden from the catalogue, its history kept).';

create function private.apply_shopify_inventory_level(target_shop uuid, r jsonb, triggered timestamptz) returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  item_id bigint := (r ->> 'inventoryItemId')::bigint;
  claimed boolean;
  changed integer;
begin
  if not exists (
    select 1 from public.product_variants v join public.products p on p.id = v.product_id
    where v.inventory_item_id = item_id and p.shop_id = target_shop
  ) then
    -- The level can overtake the product that introduces the item; the retry applies it later.
    raise exception 'no variant of this shop has inventory item %', item_id using errcode = 'P0002';
  end if;

  insert into private.shopify_inventory_levels as l (shop_id, inventory_item_id, location_id, available, updated_at, triggered_at)
  values (target_shop, item_id, (r ->> 'locationId')::bigint, (r ->> 'available')::integer, (r ->> 'updatedAt')::timestamptz, triggered)
  on conflict (shop_id, inventory_item_id, location_id) do update
    set available = excluded.available, updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
    where (excluded.updated_at, excluded.triggered_at) >= (l.updated_at, l.triggered_at)
  returning true into claimed;
  if not coalesce(claimed, false) then
    return 'stale';
  end if;

  -- Stock changes reach stock_history through the variants' trigger (0 → n is a restock).
  update public.product_variants v
  set inventory_quantity = totals.available
  from (
    select sum(l.available)::integer as available from private.shopify_inventory_levels l
    where l.shop_id = target_shop and l.inventory_item_id = item_id
  ) totals
  where v.inventory_item_id = item_id
    and v.product_id in (select p.id from public.products p where p.shop_id = target_shop)
    and v.inventory_quantity is distinct from totals.available;
  get diagnostics changed = row_count;
  return case when changed > 0 then 'updated' else 'unchanged' end;
end;
$$;
comment on function private.apply_shopify_inventory_level(uuid, jsonb, timestamptz) is 'inventory_levels/update: records the level of an item at a location (unless older than the stored one) and sets the variant''s inventory_quantity to the sum over locations; stock_history follows by trigger.';

-- ─── Privacy topics ──────────────────────────────────────────────────────────────────────────

create function private.apply_shopify_privacy_request(target_shop uuid, r jsonb, triggered timestamptz, delivery bigint)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  request_kind text := r ->> 'kind';
  shopify_customer bigint := (r ->> 'customerShopifyId')::bigint;
  email_value text := private.shopify_text(r ->> 'customerEmail', 320);
  order_ids bigint[] := coalesce(array(select jsonb_array_elements_text(coalesce(r -> 'orderShopifyIds', '[]'))::bigint), '{}');
  target_customer uuid;
begin
  if request_kind in ('customers/data_request', 'customers/redact') then
    select x.customer_id into target_customer from public.customer_external_ids x
    where x.shop_id = target_shop and x.external_id = shopify_customer;
    if target_customer is null and email_value is not null then
      select c.id into target_customer from public.customers c where lower(c.email) = lower(email_value);
    end if;
  end if;

  if request_kind = 'customers/data_request' then
    insert into public.shopify_privacy_requests (shop_id, delivery_id, kind, shopify_customer_id, customer_id, email, order_external_ids, data_request_id)
    values (target_shop, delivery, request_kind, shopify_customer, target_customer, email_value, order_ids, (r ->> 'dataRequestId')::bigint);
    return 'recorded';
  end if;

  if request_kind = 'customers/redact' then
    if target_customer is not null then
      -- Anonymised, not deleted: orders, lifetime value and the consent ledger (proof) stay.
      update public.customers c
      set first_name = 'Redacted', last_name = null, email = null, phone = null, company = null, region = null,
          city = null, postal_code = null, auth_user_id = null, style_interests = '{}', favourite_brands = '{}'
      where c.id = target_customer;
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
    values (target_shop, delivery, request_kind, shopify_customer, target_customer, order_ids, 'completed', now(),
      case when target_customer is null then 'No matching customer.' else 'Customer anonymised; order addresses removed.' end);
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
comment on function private.apply_shopify_privacy_request(uuid, jsonb, timestamptz, bigint) is 'customers/data_request: recorded for an admin to answer. customers/redact: the customer anonymised keeping financial totals, the named orders'' addresses and the stored payloads about them removed. shop/redact: the shop deactivated, its Shopify links and payloads removed.';

-- ─── Applying a stored delivery ──────────────────────────────────────────────────────────────

create function private.apply_webhook_delivery(delivery_id bigint) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  d public.webhook_deliveries;
  result text;
  failure text;
begin
  select * into d from public.webhook_deliveries w where w.id = delivery_id for update;
  if not found then
    raise exception 'no webhook delivery %', delivery_id using errcode = 'P0002';
  end if;
  if d.status in ('applied', 'ignored') then
    return jsonb_build_object('status', d.status, 'delivery_id', d.id, 'outcome', d.outcome);
  end if;
  if d.record is null then
    -- Did not validate (or was redacted): nothing a retry could change.
    update public.webhook_deliveries w set status = 'failed', next_attempt_at = null, last_error = coalesce(w.last_error, 'no record to apply')
    where w.id = d.id;
    return jsonb_build_object('status', 'failed', 'delivery_id', d.id, 'error', coalesce(d.last_error, 'no record to apply'));
  end if;

  -- A deadlock or a race on a unique key between concurrent deliveries is worth one more try
  -- at once (the other transaction has finished by then); other errors wait for the retry job.
  for attempt in 1..3 loop
    begin
      perform set_config('cairn.change_source', 'shopify', true);
      result := case d.record ->> 'kind'
        when 'order' then private.apply_shopify_order(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'refund' then private.apply_shopify_refund(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'customer' then private.apply_shopify_customer(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'product' then private.apply_shopify_product(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'product_deletion' then private.apply_shopify_product_deletion(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'inventory_level' then private.apply_shopify_inventory_level(d.shop_id, d.record -> 'record', d.triggered_at)
        when 'privacy_request' then private.apply_shopify_privacy_request(d.shop_id, d.record -> 'record', d.triggered_at, d.id)
      end;
      if result is null then
        raise exception 'unknown record kind %', d.record ->> 'kind' using errcode = '22023';
      end if;
      update public.webhook_deliveries w
      set status = case when result = 'stale' then 'ignored' else 'applied' end::public.webhook_delivery_status,
          outcome = result, attempts = w.attempts + 1, last_error = null, next_attempt_at = null, applied_at = now()
      where w.id = d.id;
      if d.topic = 'customers/redact' then
        -- A redaction request keeps no more personal data than the customer id it names.
        update public.webhook_deliveries w
        set payload = w.payload #- '{customer,email}' #- '{customer,phone}',
            record = w.record #- '{record,customerEmail}' #- '{record,customerPhone}'
        where w.id = d.id;
      end if;
      return jsonb_build_object(
        'status', case when result = 'stale' then 'ignored' else 'applied' end, 'delivery_id', d.id, 'outcome', result
      );
    exception
      when deadlock_detected or serialization_failure or unique_violation then
        failure := sqlstate || ': ' || sqlerrm;
        if attempt = 3 then
          exit;
        end if;
      when others then
        failure := sqlstate || ': ' || sqlerrm;
        exit;
    end;
  end loop;

  update public.webhook_deliveries w
  set status = 'failed', attempts = w.attempts + 1, last_error = left(failure, 2000),
      -- 1, 2, 4 … minutes, at most an hour apart; after 20 attempts (about 13 hours) a person looks.
      next_attempt_at = case when w.attempts + 1 < 20
        then now() + least(interval '1 minute' * power(2, w.attempts), interval '1 hour') end
  where w.id = d.id;
  return jsonb_build_object('status', 'failed', 'delivery_id', d.id, 'error', failure);
end;
$$;
comment on function private.apply_webhook_delivery(bigint) is 'Applies one stored delivery from its record, atomically (a subtransaction), and records the result: applied / ignored (stale) / failed with the error and the next retry time.';

create function public.ingest_shopify_webhook(
  shop_domain text,
  topic text,
  event_id text,
  webhook_id text,
  triggered_at timestamptz,
  api_version text,
  payload jsonb,
  mapped jsonb default null,
  parse_error text default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target_shop uuid;
  delivery_id bigint;
  supported boolean := ingest_shopify_webhook.topic = any (array[
    'orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'refunds/create', 'customers/create',
    'customers/update', 'products/create', 'products/update', 'products/delete', 'inventory_levels/update',
    'customers/data_request', 'customers/redact', 'shop/redact']);
begin
  select s.id into target_shop from public.shops s where s.domain = lower(ingest_shopify_webhook.shop_domain) and s.active;
  if target_shop is null then
    -- Deactivated (or gone) since the function looked its secret up: refused, nothing stored.
    return jsonb_build_object('status', 'unknown_shop');
  end if;

  -- Stored first. The unique key makes a duplicate or a retry of the same event a no-op, even
  -- when both arrive at once (the second waits for the first to commit, then does nothing).
  insert into public.webhook_deliveries as w (
    shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record, status, outcome, last_error, next_attempt_at
  ) values (
    target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
    ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload,
    case when supported then ingest_shopify_webhook.mapped end,
    case when not supported then 'ignored' when parse_error is not null then 'failed' else 'received' end::public.webhook_delivery_status,
    case when not supported then 'unknown_topic' end,
    case when supported then left(parse_error, 2000) end,
    -- Due at once for the retry job, in case the apply below never finishes.
    case when supported and parse_error is null then now() end
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
comment on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text) is 'For the shopify-webhook function (service role only), after it verified the signature: stores the delivery (de-duplicated by shop × topic × event id) and applies it. Returns {status: applied | ignored | failed | duplicate, delivery_id, outcome?, error?}, or {status: unknown_shop} (nothing stored) when the shop is not active. A failed apply stays stored and is retried.';

create function public.retry_failed_webhooks(batch_size integer default 200, due_only boolean default true) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  pending record;
  applied integer := 0;
begin
  -- Oldest first, so an order is in before the refund that waited for it. SKIP LOCKED lets two
  -- overlapping runs share the work instead of queueing on each other.
  for pending in
    select w.id from public.webhook_deliveries w
    where w.status in ('received', 'failed') and w.record is not null
      and w.next_attempt_at is not null
      and (not due_only or w.next_attempt_at <= now())
    order by w.id
    limit batch_size
    for update skip locked
  loop
    if private.apply_webhook_delivery(pending.id) ->> 'status' <> 'failed' then
      applied := applied + 1;
    end if;
  end loop;
  return applied;
end;
$$;
comment on function public.retry_failed_webhooks(integer, boolean) is 'Re-applies failed deliveries whose retry is due (all waiting ones with due_only = false), oldest first; returns how many now succeeded. Run every minute by pg_cron.';

create function public.apply_webhook_delivery(delivery_id bigint) returns jsonb
language sql volatile security definer set search_path = '' as $$
  select private.apply_webhook_delivery(delivery_id)
$$;
comment on function public.apply_webhook_delivery(bigint) is 'Service role only: applies (again) one stored delivery now, e.g. after fixing what made it fail.';

create function private.purge_webhook_deliveries(keep interval default interval '30 days') returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  purged integer;
begin
  -- Applied and ignored payloads are only needed for a while (diagnosis, replays); they hold
  -- personal data, so they do not stay forever. Failed ones stay until someone deals with them.
  delete from public.webhook_deliveries w
  where w.status in ('applied', 'ignored') and w.received_at < now() - keep
    and not exists (select 1 from public.shopify_privacy_requests r where r.delivery_id = w.id and r.status = 'open');
  get diagnostics purged = row_count;
  return purged;
end;
$$;
comment on function private.purge_webhook_deliveries(interval) is 'Deletes applied and ignored deliveries older than keep (30 days by default). Run daily by pg_cron.';

-- ─── Who may call what ───────────────────────────────────────────────────────────────────────

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- function says who may call it explicitly.
revoke execute on function
  private.claim_shopify_version(uuid, text, bigint, timestamptz, timestamptz),
  private.shopify_text(text, integer),
  private.shopify_country(text),
  private.shopify_currency(text),
  private.shopify_phone(text),
  private.shopify_url(text),
  private.shopify_tags(jsonb),
  private.json_object(jsonb),
  private.upsert_shopify_customer(uuid, jsonb, timestamptz, boolean),
  private.record_shopify_consent(uuid, jsonb, timestamptz),
  private.apply_shopify_customer(uuid, jsonb, timestamptz),
  private.apply_shopify_order(uuid, jsonb, timestamptz),
  private.apply_shopify_refund(uuid, jsonb, timestamptz),
  private.apply_shopify_product(uuid, jsonb, timestamptz),
  private.apply_shopify_product_deletion(uuid, jsonb, timestamptz),
  private.apply_shopify_inventory_level(uuid, jsonb, timestamptz),
  private.apply_shopify_privacy_request(uuid, jsonb, timestamptz, bigint),
  private.apply_webhook_delivery(bigint),
  private.purge_webhook_deliveries(interval),
  public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text),
  public.retry_failed_webhooks(integer, boolean),
  public.apply_webhook_delivery(bigint)
  from public, anon, authenticated;
grant execute on function
  private.apply_webhook_delivery(bigint),
  private.purge_webhook_deliveries(interval),
  public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text),
  public.retry_failed_webhooks(integer, boolean),
  public.apply_webhook_delivery(bigint)
  to service_role;
