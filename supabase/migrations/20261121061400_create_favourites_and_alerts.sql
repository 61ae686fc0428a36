-- Favourites and alerts (the fidelity engine's data)
--
-- Owns: shoppers' favourite variants with the price they had when favourited, the alert
-- settings (workspace defaults, per-product overrides, per-shopper preferences), and the alert
-- log the check-alerts function writes (one row per alert decision, de-duplicated by key).
--
-- The engine (an edge function on a cron schedule, service role) reads price_history and
-- stock_history since its last run, joins favourites on variant_id, decides per shopper
-- (consent, preferences, threshold, daily cap, quiet hours) and records every decision in
-- alert_log; dedup_key is unique, so the same event never alerts the same shopper twice.
--
-- Access:
--   favorites           shoppers add and remove their own (the price snapshot is taken by a
--                       trigger from the variant, never from the client); staff read them with
--                       the customer pattern; service role everything. Nobody edits one.
--   alert_settings      team reads, admins change.
--   product_alert_overrides  team reads, admins and managers write.
--   alert_preferences   shoppers manage their own; staff read (customer pattern) and edit
--                       (admins, managers, owning agent).
--   alert_log           shoppers read their own; staff read (customer pattern); service role writes.

-- ─── Favourites ──────────────────────────────────────────────────────────────────────────────

create table public.favorites (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  variant_id uuid not null references public.product_variants (id) on delete cascade,
  price_at_favorite numeric(14, 2) not null,
  currency text not null references public.currencies (code),
  created_at timestamptz not null default now(),
  constraint favorites_customer_variant_key unique (customer_id, variant_id)
);
comment on table public.favorites is 'Variants a shopper saved (the heart button). price_at_favorite is the reference a price drop is measured against.';
comment on column public.favorites.price_at_favorite is 'The variant''s price when favourited, copied by the database (never taken from the client).';
create index favorites_variant_idx on public.favorites (variant_id);
create index favorites_created_at_idx on public.favorites (created_at desc);

create function private.snapshot_favorite_price() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  variant record;
begin
  select v.price, v.currency, p.status into variant
  from public.product_variants v join public.products p on p.id = v.product_id
  where v.id = new.variant_id;
  if not found then
    return new; -- the foreign key reports the unknown variant
  end if;
  -- Outside the team, only what the public catalogue shows can be favourited.
  if (select auth.role()) = 'authenticated' and not (select private.is_team_member())
     and variant.status <> 'active' then
    raise exception 'this product is not available' using errcode = '42501';
  end if;
  new.price_at_favorite := variant.price;
  new.currency := variant.currency;
  return new;
end;
$$;
comment on function private.snapshot_favorite_price() is 'Copies the variant''s current price and currency into a new favourite; refuses shoppers a product that is not active.';
create trigger snapshot_price before insert on public.favorites
  for each row execute function private.snapshot_favorite_price();
create trigger record_audit after insert or update or delete on public.favorites
  for each row execute function private.record_audit();

alter table public.favorites enable row level security;
create policy "staff read the favourites of customers they may see" on public.favorites for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "shoppers read their own favourites" on public.favorites for select to authenticated
  using (customer_id = (select private.shopper_customer_id()));
create policy "shoppers add their own favourites" on public.favorites for insert to authenticated
  with check (customer_id = (select private.shopper_customer_id()));
create policy "shoppers remove their own favourites" on public.favorites for delete to authenticated
  using (customer_id = (select private.shopper_customer_id()));
revoke all on public.favorites from anon;
revoke insert, update on public.favorites from authenticated;
grant insert (customer_id, variant_id) on public.favorites to authenticated;

-- A shopper's favourites stay visible in the portal after the product leaves the catalogue.
-- Security definer helpers, so the products and variants policies do not recurse into each other.
create function private.shopper_favorite_variant_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select f.variant_id from public.favorites f where f.customer_id = (select private.shopper_customer_id())
$$;
create function private.shopper_favorite_product_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select distinct v.product_id
  from public.favorites f join public.product_variants v on v.id = f.variant_id
  where f.customer_id = (select private.shopper_customer_id())
$$;
comment on function private.shopper_favorite_variant_ids() is 'Variants the calling shopper favourited (empty for anyone else).';
comment on function private.shopper_favorite_product_ids() is 'Products the calling shopper favourited a variant of (empty for anyone else).';
grant execute on function private.shopper_favorite_variant_ids(), private.shopper_favorite_product_ids() to authenticated, service_role;

create policy "shoppers read the variants they favourited" on public.product_variants for select to authenticated
  using (id in (select private.shopper_favorite_variant_ids()));
create policy "shoppers read the products they favourited" on public.products for select to authenticated
  using (id in (select private.shopper_favorite_product_ids()));

-- ─── Alert settings ──────────────────────────────────────────────────────────────────────────

create table public.alert_settings (
  id boolean primary key default true constraint alert_settings_single_row check (id),
  back_in_stock_enabled boolean not null default true,
  price_drop_enabled boolean not null default true,
  price_drop_threshold_percent numeric(5, 2) not null default 10
    constraint alert_settings_threshold_range check (price_drop_threshold_percent > 0 and price_drop_threshold_percent <= 100),
  daily_cap_per_shopper smallint not null default 3
    constraint alert_settings_daily_cap_range check (daily_cap_per_shopper between 1 and 100),
  quiet_hours_start time,
  quiet_hours_end time,
  updated_at timestamptz not null default now(),
  constraint alert_settings_quiet_hours_both_or_neither check ((quiet_hours_start is null) = (quiet_hours_end is null))
);
comment on table public.alert_settings is 'The one row of alert defaults: which alerts run, the price-drop threshold (% below the price when favourited), the cap per shopper per day across alert types, quiet hours (in each shopper''s time zone).';
comment on column public.alert_settings.quiet_hours_start is 'Local time (shopper''s time zone) from which alerts wait; may wrap past midnight (21:00 → 08:00).';
insert into public.alert_settings (quiet_hours_start, quiet_hours_end) values ('21:00', '08:00');

create trigger touch_updated_at before update on public.alert_settings
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.alert_settings
  for each row execute function private.record_audit();

alter table public.alert_settings enable row level security;
create policy "team members read alert settings" on public.alert_settings for select to authenticated
  using ((select private.is_team_member()));
create policy "admins change alert settings" on public.alert_settings for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
revoke all on public.alert_settings from anon;
revoke insert, delete, truncate on public.alert_settings from authenticated;

create table public.product_alert_overrides (
  id uuid primary key default gen_random_uuid(),
  product_id uuid unique references public.products (id) on delete cascade,
  variant_id uuid unique references public.product_variants (id) on delete cascade,
  price_drop_threshold_percent numeric(5, 2) not null
    constraint product_alert_overrides_threshold_range check (price_drop_threshold_percent > 0 and price_drop_threshold_percent <= 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint product_alert_overrides_one_target check (num_nonnulls(product_id, variant_id) = 1)
);
comment on table public.product_alert_overrides is 'A price-drop threshold for one product or one variant, replacing the workspace default. Most specific wins: variant, then product, then alert_settings; a shopper''s own threshold (alert_preferences) wins over all.';

create trigger touch_updated_at before update on public.product_alert_overrides
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.product_alert_overrides
  for each row execute function private.record_audit();

alter table public.product_alert_overrides enable row level security;
create policy "team members read alert overrides" on public.product_alert_overrides for select to authenticated
  using ((select private.is_team_member()));
create policy "catalogue managers add alert overrides" on public.product_alert_overrides for insert to authenticated
  with check ((select private.manages_catalog()));
create policy "catalogue managers edit alert overrides" on public.product_alert_overrides for update to authenticated
  using ((select private.manages_catalog())) with check ((select private.manages_catalog()));
create policy "catalogue managers remove alert overrides" on public.product_alert_overrides for delete to authenticated
  using ((select private.manages_catalog()));
revoke all on public.product_alert_overrides from anon;

-- ─── Alert preferences (per shopper) ─────────────────────────────────────────────────────────

create table public.alert_preferences (
  customer_id uuid primary key references public.customers (id) on delete cascade,
  back_in_stock boolean not null default true,
  price_drop boolean not null default true,
  price_drop_threshold_percent numeric(5, 2)
    constraint alert_preferences_threshold_range check (price_drop_threshold_percent > 0 and price_drop_threshold_percent <= 100),
  quiet_hours_start time,
  quiet_hours_end time,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint alert_preferences_quiet_hours_both_or_neither check ((quiet_hours_start is null) = (quiet_hours_end is null))
);
comment on table public.alert_preferences is 'A shopper''s alert choices. No row: the workspace defaults. Null threshold or quiet hours: the workspace''s. Whether to email at all is consent (the consent ledger), not this table.';

create trigger touch_updated_at before update on public.alert_preferences
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.alert_preferences
  for each row execute function private.record_audit('customer_id');

alter table public.alert_preferences enable row level security;
create policy "staff read the alert preferences of customers they may see" on public.alert_preferences for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "shoppers read their own alert preferences" on public.alert_preferences for select to authenticated
  using (customer_id = (select private.shopper_customer_id()));
create policy "staff and shoppers add alert preferences" on public.alert_preferences for insert to authenticated
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id()));
create policy "staff and shoppers edit alert preferences" on public.alert_preferences for update to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id()))
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id()));
create policy "staff and shoppers remove alert preferences" on public.alert_preferences for delete to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id()));
revoke all on public.alert_preferences from anon;
revoke insert, update on public.alert_preferences from authenticated;
grant insert (customer_id, back_in_stock, price_drop, price_drop_threshold_percent, quiet_hours_start, quiet_hours_end)
  on public.alert_preferences to authenticated;
grant update (back_in_stock, price_drop, price_drop_threshold_percent, quiet_hours_start, quiet_hours_end)
  on public.alert_preferences to authenticated;

-- ─── Alert log ───────────────────────────────────────────────────────────────────────────────

create type public.alert_kind as enum ('back_in_stock', 'price_drop');
create type public.alert_state as enum ('queued', 'sent', 'deferred', 'suppressed', 'failed');
comment on type public.alert_state is 'queued: decided, not yet sent; sent: handed to SendGrid; deferred: waits (quiet hours, daily cap); suppressed: not sent on purpose (no consent, back out of stock, preference off); failed: the send failed.';

create table public.alert_log (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete cascade,
  variant_id uuid references public.product_variants (id) on delete set null,
  kind public.alert_kind not null,
  price_history_id bigint references public.price_history (id) on delete set null,
  stock_history_id bigint references public.stock_history (id) on delete set null,
  dedup_key text not null unique constraint alert_log_dedup_key_length check (length(dedup_key) between 1 and 300),
  state public.alert_state not null default 'queued',
  reason text constraint alert_log_reason_length check (length(reason) <= 1000),
  message_id text constraint alert_log_message_id_length check (length(message_id) <= 300),
  old_price numeric(14, 2) constraint alert_log_old_price_not_negative check (old_price >= 0),
  new_price numeric(14, 2) constraint alert_log_new_price_not_negative check (new_price >= 0),
  currency text references public.currencies (code),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint alert_log_trigger_event_matches_kind check (
    (kind = 'price_drop' and stock_history_id is null) or (kind = 'back_in_stock' and price_history_id is null)
  ),
  constraint alert_log_sent_has_time check (state <> 'sent' or sent_at is not null)
);
comment on table public.alert_log is 'Every alert decision for a shopper: kind, the history row that triggered it, state, SendGrid message id. dedup_key (e.g. price_drop:<customer>:<price_history id>) is unique: never twice for the same event.';
comment on column public.alert_log.old_price is 'For a price drop: the price when favourited; new_price: the price that triggered it.';
comment on column public.alert_log.message_id is 'SendGrid''s X-Message-Id, to match open and click events.';
create index alert_log_customer_idx on public.alert_log (customer_id, created_at desc);
create index alert_log_variant_idx on public.alert_log (variant_id) where variant_id is not null;
create index alert_log_pending_idx on public.alert_log (created_at) where state in ('queued', 'deferred');
create index alert_log_message_idx on public.alert_log (message_id) where message_id is not null;

create trigger touch_updated_at before update on public.alert_log
  for each row execute function private.touch_updated_at();

-- The log is itself the record of what the engine did (and it writes a lot): no audit trigger.
alter table public.alert_log enable row level security;
create policy "staff read the alerts of customers they may see" on public.alert_log for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "shoppers read their own alerts" on public.alert_log for select to authenticated
  using (customer_id = (select private.shopper_customer_id()));
revoke all on public.alert_log from anon;
revoke insert, update, delete, truncate on public.alert_log from authenticated;

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- private function says who may call it explicitly.
revoke execute on function private.snapshot_favorite_price(),
  private.shopper_favorite_variant_ids(),
  private.shopper_favorite_product_ids()
  from public, anon;
