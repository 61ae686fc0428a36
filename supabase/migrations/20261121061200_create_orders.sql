-- Orders, line items, refunds
--
-- Owns: orders (from Shopify, entered by hand or imported), their line items and refunds.
-- An order keeps its original currency AND the exchange rate to the base currency at order
-- time; total_base and refunded_base are in the base currency at that rate, so revenue never
-- drifts when rates move later. A trigger fills exchange_rate (private.rate_on of the order's
-- day) and total_base (round(total * exchange_rate, 2)) when they are not given; refunded_total
-- and refunded_base are the sums of the order's refunds, kept by a trigger.
--
-- Access (customer-owned pattern): admins, managers and readonly members read every order;
-- an agent reads the orders of the customers they own; shoppers and anon read none (the portal
-- does not list orders). Writes: admins, managers and the service role (Shopify webhooks,
-- imports). Agents do not write orders. Line items and refunds follow their order.
--
-- Customer metrics built on orders: 20261121061300_create_customer_metrics.sql.

create type public.order_financial_status as enum
  ('pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided');
comment on type public.order_financial_status is 'Shopify''s financial status of an order.';

create type public.order_fulfillment_status as enum ('unfulfilled', 'partially_fulfilled', 'fulfilled', 'restocked');
comment on type public.order_fulfillment_status is 'Shopify''s fulfilment status (its null is unfulfilled here).';

create sequence public.manual_order_number_seq;
comment on sequence public.manual_order_number_seq is 'Numbers orders entered without one (M-000001, M-000002…).';
grant usage on sequence public.manual_order_number_seq to authenticated, service_role;

-- ─── Orders ──────────────────────────────────────────────────────────────────────────────────

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  shop_id uuid references public.shops (id) on delete restrict,
  external_id bigint constraint orders_external_id_positive check (external_id > 0),
  customer_id uuid references public.customers (id) on delete restrict,
  order_number text not null default ('M-' || lpad(nextval('public.manual_order_number_seq')::text, 6, '0'))
    constraint orders_order_number_length check (length(btrim(order_number)) between 1 and 100),
  financial_status public.order_financial_status not null default 'pending',
  fulfillment_status public.order_fulfillment_status not null default 'unfulfilled',
  cancelled_at timestamptz,
  cancel_reason text constraint orders_cancel_reason_length check (length(cancel_reason) <= 500),
  currency text not null references public.currencies (code),
  exchange_rate numeric(20, 10) not null constraint orders_exchange_rate_must_be_positive check (exchange_rate > 0),
  subtotal numeric(14, 2) not null default 0 constraint orders_subtotal_not_negative check (subtotal >= 0),
  discount_total numeric(14, 2) not null default 0 constraint orders_discount_total_not_negative check (discount_total >= 0),
  shipping_total numeric(14, 2) not null default 0 constraint orders_shipping_total_not_negative check (shipping_total >= 0),
  tax_total numeric(14, 2) not null default 0 constraint orders_tax_total_not_negative check (tax_total >= 0),
  total numeric(14, 2) not null constraint orders_total_not_negative check (total >= 0),
  total_base numeric(14, 2) not null constraint orders_total_base_not_negative check (total_base >= 0),
  refunded_total numeric(14, 2) not null default 0,
  refunded_base numeric(14, 2) not null default 0,
  counts_as_purchase boolean generated always as (
    cancelled_at is null
    and financial_status in ('paid', 'partially_paid', 'partially_refunded')
    and (total = 0 or refunded_total < total)
  ) stored,
  net_total_base numeric(14, 2) generated always as (total_base - refunded_base) stored,
  shipping_name text constraint orders_shipping_name_length check (length(shipping_name) <= 200),
  shipping_address1 text constraint orders_shipping_address1_length check (length(shipping_address1) <= 300),
  shipping_address2 text constraint orders_shipping_address2_length check (length(shipping_address2) <= 300),
  shipping_city text constraint orders_shipping_city_length check (length(shipping_city) <= 100),
  shipping_region text constraint orders_shipping_region_length check (length(shipping_region) <= 100),
  shipping_postal_code text constraint orders_shipping_postal_code_length check (length(shipping_postal_code) <= 20),
  shipping_country text references public.countries (code),
  shipping_phone text constraint orders_shipping_phone_length check (length(shipping_phone) <= 40),
  carrier text constraint orders_carrier_length check (length(carrier) <= 100),
  tracking_number text constraint orders_tracking_number_length check (length(tracking_number) <= 200),
  tracking_url text constraint orders_tracking_url_format check (tracking_url ~ '^https?://'),
  note text constraint orders_note_length check (length(note) <= 5000),
  source text not null default 'manual' constraint orders_source_check check (source in ('shopify', 'manual', 'import')),
  placed_at timestamptz not null default now(),
  processed_at timestamptz,
  external_updated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint orders_shop_external_id_key unique (shop_id, external_id),
  constraint orders_shop_order_number_key unique nulls not distinct (shop_id, order_number),
  constraint orders_refunds_within_total check (refunded_total between 0 and total),
  constraint orders_refunded_base_within_total_base check (refunded_base between 0 and total_base),
  constraint orders_shopify_needs_shop_and_id check (source <> 'shopify' or (shop_id is not null and external_id is not null))
);
comment on table public.orders is 'Orders in their original currency with the exchange rate to the base currency at order time. Customers'' metrics follow them (see private.refresh_customer_metrics).';
comment on column public.orders.customer_id is 'The buyer; null for a guest checkout not matched to a customer. Deleting a customer with orders is refused (GDPR erasure anonymises instead).';
comment on column public.orders.order_number is 'Shopify''s order name (#1001); M-000001… when entered without one. Unique per shop.';
comment on column public.orders.exchange_rate is 'Base-currency value of one unit of `currency` when the order was placed. Filled from exchange_rates when not given.';
comment on column public.orders.total is 'What the customer paid, in `currency`, before refunds.';
comment on column public.orders.total_base is 'total in the base currency: round(total * exchange_rate, 2) unless given.';
comment on column public.orders.refunded_total is 'Sum of the order''s refunds in `currency` (kept by the database).';
comment on column public.orders.refunded_base is 'refunded_total in the base currency at the order''s exchange rate; total_base once refunded in full (kept by the database).';
comment on column public.orders.counts_as_purchase is 'Whether the order counts towards the customer''s metrics: not cancelled, paid (paid, partially_paid or partially_refunded) and not refunded in full.';
comment on column public.orders.net_total_base is 'total_base - refunded_base: what the order is worth to lifetime value.';
comment on column public.orders.external_updated_at is 'Shopify''s updated_at of the last payload applied, so a webhook arriving out of order never overwrites a newer state.';
comment on column public.orders.placed_at is 'When the customer placed the order (Shopify created_at). Its day picks the exchange rate.';

create index orders_customer_idx on public.orders (customer_id, placed_at desc);
create index orders_placed_at_idx on public.orders (placed_at desc);
create index orders_shop_idx on public.orders (shop_id, placed_at desc);
create index orders_financial_status_idx on public.orders (financial_status);

create function private.prepare_order() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- Said before the base amounts derived from it fail their own checks less clearly.
  if new.total < 0 then
    raise exception 'an order total cannot be negative (% %)', new.total, new.currency
      using errcode = '23514', constraint = 'orders_total_not_negative';
  end if;
  if tg_op = 'INSERT' then
    new.exchange_rate := coalesce(new.exchange_rate, private.rate_on(new.currency, (new.placed_at at time zone 'UTC')::date));
    new.total_base := coalesce(new.total_base, round(new.total * new.exchange_rate, 2));
  else
    -- A new currency without a new rate means a new rate; a new amount or rate without a new
    -- total_base means a new total_base.
    if new.currency is distinct from old.currency and new.exchange_rate is not distinct from old.exchange_rate then
      new.exchange_rate := private.rate_on(new.currency, (new.placed_at at time zone 'UTC')::date);
    end if;
    if (new.total, new.exchange_rate) is distinct from (old.total, old.exchange_rate)
       and new.total_base is not distinct from old.total_base then
      new.total_base := round(new.total * new.exchange_rate, 2);
    end if;
  end if;
  if new.refunded_total > new.total then
    raise exception 'refunds (% %) cannot exceed the order total (% %)', new.refunded_total, new.currency, new.total, new.currency
      using errcode = '23514', constraint = 'orders_refunds_within_total';
  end if;
  -- Converted once at the order level (not summed per refund), so a full refund in several
  -- parts takes back exactly total_base, with no rounding cent left over.
  new.refunded_base := case
    when new.refunded_total >= new.total then new.total_base
    else least(round(new.refunded_total * new.exchange_rate, 2), new.total_base)
  end;
  return new;
end;
$$;
comment on function private.prepare_order() is 'Fills exchange_rate and total_base when not given, keeps them consistent on updates, converts refunded_total to refunded_base, refuses refunds above the total.';

create trigger touch_updated_at before update on public.orders
  for each row execute function private.touch_updated_at();
create trigger prepare_order before insert or update on public.orders
  for each row execute function private.prepare_order();
create trigger record_audit after insert or update or delete on public.orders
  for each row execute function private.record_audit();

alter table public.orders enable row level security;
create policy "staff read the orders of customers they may see" on public.orders for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers add orders" on public.orders for insert to authenticated
  with check ((select private.edits_all_customers()));
create policy "managers edit orders" on public.orders for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove orders" on public.orders for delete to authenticated
  using ((select private.edits_all_customers()));

-- Refund sums belong to the database (they follow the refunds table), for every API role.
revoke all on public.orders from anon;
revoke insert, update on public.orders from authenticated, service_role;
grant insert (id, shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at,
  cancel_reason, currency, exchange_rate, subtotal, discount_total, shipping_total, tax_total, total, total_base,
  shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
  shipping_country, shipping_phone, carrier, tracking_number, tracking_url, note, source, placed_at, processed_at, external_updated_at)
  on public.orders to authenticated, service_role;
grant update (shop_id, external_id, customer_id, order_number, financial_status, fulfillment_status, cancelled_at,
  cancel_reason, currency, exchange_rate, subtotal, discount_total, shipping_total, tax_total, total, total_base,
  shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
  shipping_country, shipping_phone, carrier, tracking_number, tracking_url, note, source, placed_at, processed_at, external_updated_at)
  on public.orders to authenticated, service_role;

-- ─── Line items ──────────────────────────────────────────────────────────────────────────────

create table public.order_items (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  external_id bigint constraint order_items_external_id_positive check (external_id > 0),
  product_id uuid references public.products (id) on delete set null,
  variant_id uuid references public.product_variants (id) on delete set null,
  title text not null constraint order_items_title_length check (length(btrim(title)) between 1 and 500),
  variant_title text constraint order_items_variant_title_length check (length(variant_title) <= 500),
  sku text constraint order_items_sku_length check (length(sku) <= 100),
  vendor text constraint order_items_vendor_length check (length(vendor) <= 200),
  quantity integer not null constraint order_items_quantity_positive check (quantity > 0),
  unit_price numeric(14, 2) not null constraint order_items_unit_price_not_negative check (unit_price >= 0),
  discount_total numeric(14, 2) not null default 0 constraint order_items_discount_total_not_negative check (discount_total >= 0),
  total numeric(14, 2) not null constraint order_items_total_not_negative check (total >= 0),
  currency text not null references public.currencies (code),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint order_items_order_external_id_key unique (order_id, external_id)
);
comment on table public.order_items is 'Line items of an order, in the order''s currency. The product title and SKU are copied, so history survives catalogue changes.';
comment on column public.order_items.total is 'quantity * unit_price - discount_total unless given.';
create index order_items_order_idx on public.order_items (order_id);
create index order_items_variant_idx on public.order_items (variant_id) where variant_id is not null;
create index order_items_product_idx on public.order_items (product_id) where product_id is not null;

create function private.prepare_order_item() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  order_currency text;
begin
  select o.currency into order_currency from public.orders o where o.id = new.order_id;
  new.currency := coalesce(new.currency, order_currency);
  if new.currency is distinct from order_currency then
    raise exception 'a line item is in its order''s currency (%), not %', order_currency, new.currency
      using errcode = '23514';
  end if;
  if new.total is null then
    new.total := greatest(round(new.quantity * new.unit_price - new.discount_total, 2), 0);
  end if;
  if new.product_id is null and new.variant_id is not null then
    select v.product_id into new.product_id from public.product_variants v where v.id = new.variant_id;
  end if;
  return new;
end;
$$;
create trigger touch_updated_at before update on public.order_items
  for each row execute function private.touch_updated_at();
create trigger prepare_order_item before insert or update on public.order_items
  for each row execute function private.prepare_order_item();
create trigger record_audit after insert or update or delete on public.order_items
  for each row execute function private.record_audit();

alter table public.order_items enable row level security;
create policy "staff read the items of orders they may see" on public.order_items for select to authenticated
  using ((select private.sees_all_customers())
    or order_id in (select o.id from public.orders o where o.customer_id in (select private.owned_customer_ids())));
create policy "managers add order items" on public.order_items for insert to authenticated
  with check ((select private.edits_all_customers()));
create policy "managers edit order items" on public.order_items for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove order items" on public.order_items for delete to authenticated
  using ((select private.edits_all_customers()));
revoke all on public.order_items from anon;

-- ─── Refunds ─────────────────────────────────────────────────────────────────────────────────

create table public.refunds (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  external_id bigint constraint refunds_external_id_positive check (external_id > 0),
  amount numeric(14, 2) not null constraint refunds_amount_not_negative check (amount >= 0),
  currency text not null references public.currencies (code),
  amount_base numeric(14, 2) not null constraint refunds_amount_base_not_negative check (amount_base >= 0),
  reason text constraint refunds_reason_length check (length(reason) <= 1000),
  refunded_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint refunds_order_external_id_key unique (order_id, external_id)
);
comment on table public.refunds is 'Money given back on an order, in the order''s currency. Their sum is the order''s refunded_total; refunds above the order total are refused.';
comment on column public.refunds.amount_base is 'round(amount * the order''s exchange_rate, 2), for reporting refunds by day; kept by the database. Lifetime value uses orders.refunded_base.';
create index refunds_order_idx on public.refunds (order_id);
create index refunds_refunded_at_idx on public.refunds (refunded_at desc);

create function private.prepare_refund() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  parent record;
begin
  if new.amount < 0 then
    raise exception 'a refund amount cannot be negative (%)', new.amount
      using errcode = '23514', constraint = 'refunds_amount_not_negative';
  end if;
  select o.currency, o.exchange_rate into parent from public.orders o where o.id = new.order_id;
  if not found then
    return new; -- the foreign key reports the missing order
  end if;
  new.currency := coalesce(new.currency, parent.currency);
  if new.currency <> parent.currency then
    raise exception 'a refund is in its order''s currency (%), not %', parent.currency, new.currency
      using errcode = '23514';
  end if;
  new.amount_base := round(new.amount * parent.exchange_rate, 2);
  return new;
end;
$$;

-- After any change to refunds, each touched order's refund sums are recomputed from scratch.
create function private.sync_order_refunds() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  touched uuid[];
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select array_agg(distinct order_id) into touched from new_rows;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select array(select distinct x from unnest(coalesce(touched, '{}') || array(select order_id from old_rows)) x)
      into touched;
  end if;
  -- refunded_base follows in private.prepare_order.
  update public.orders o
  set refunded_total = s.amount
  from (
    select t.order_id, coalesce(sum(r.amount), 0) as amount
    from unnest(touched) as t (order_id)
    left join public.refunds r on r.order_id = t.order_id
    group by t.order_id
  ) s
  where o.id = s.order_id and o.refunded_total is distinct from s.amount;
  return null;
end;
$$;
comment on function private.sync_order_refunds() is 'Statement trigger on refunds: sets orders.refunded_total to the sum of the order''s refunds (refunded_base follows).';

create trigger touch_updated_at before update on public.refunds
  for each row execute function private.touch_updated_at();
create trigger prepare_refund before insert or update on public.refunds
  for each row execute function private.prepare_refund();
create trigger sync_order_after_insert after insert on public.refunds
  referencing new table as new_rows for each statement execute function private.sync_order_refunds();
create trigger sync_order_after_update after update on public.refunds
  referencing old table as old_rows new table as new_rows for each statement execute function private.sync_order_refunds();
create trigger sync_order_after_delete after delete on public.refunds
  referencing old table as old_rows for each statement execute function private.sync_order_refunds();
create trigger record_audit after insert or update or delete on public.refunds
  for each row execute function private.record_audit();

alter table public.refunds enable row level security;
create policy "staff read the refunds of orders they may see" on public.refunds for select to authenticated
  using ((select private.sees_all_customers())
    or order_id in (select o.id from public.orders o where o.customer_id in (select private.owned_customer_ids())));
create policy "managers add refunds" on public.refunds for insert to authenticated
  with check ((select private.edits_all_customers()));
create policy "managers edit refunds" on public.refunds for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove refunds" on public.refunds for delete to authenticated
  using ((select private.edits_all_customers()));
revoke all on public.refunds from anon;
revoke insert, update on public.refunds from authenticated, service_role;
grant insert (id, order_id, external_id, amount, currency, reason, refunded_at) on public.refunds to authenticated, service_role;
grant update (external_id, amount, reason, refunded_at) on public.refunds to authenticated, service_role;

-- The app shows new orders live (realtime checks each subscriber's RLS).
alter publication supabase_realtime add table public.orders;

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- private function says who may call it explicitly.
revoke execute on function private.prepare_order(),
  private.prepare_order_item(),
  private.prepare_refund(),
  private.sync_order_refunds()
  from public, anon;
