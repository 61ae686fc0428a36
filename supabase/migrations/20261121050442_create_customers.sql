-- Customers
--
-- Owns: workspace settings (base currency), lifecycle stages, the customers table with the
-- metrics the database keeps for it, the shopper ↔ customer link, and the helpers every
-- customer-owned table uses in its policies:
--
--   (select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids())
--   [or customer_id = (select private.shopper_customer_id()) where shoppers may see the rows]
--
-- Metrics (lifetime value, order count, first and last order) are written only by the
-- database's order triggers: clients have no column privilege on them.

create extension if not exists pg_trgm with schema extensions;

-- ─── Workspace settings ──────────────────────────────────────────────────────────────────────

create table public.workspace_settings (
  id boolean primary key default true check (id),
  base_currency text not null default 'EUR' references public.currencies (code),
  default_language text not null default 'en' references public.languages (code),
  updated_at timestamptz not null default now()
);
comment on table public.workspace_settings is 'The one row of workspace-wide settings. Revenue is reported in base_currency.';
insert into public.workspace_settings default values;
create trigger touch_updated_at before update on public.workspace_settings
  for each row execute function private.touch_updated_at();
alter table public.workspace_settings enable row level security;
create policy "team members read settings" on public.workspace_settings for select to authenticated
  using ((select private.is_team_member()));
create policy "admins change settings" on public.workspace_settings for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
revoke insert, delete, truncate on public.workspace_settings from anon, authenticated;
create trigger record_audit after insert or update or delete on public.workspace_settings
  for each row execute function private.record_audit();

create function private.base_currency() returns text
language sql stable security definer set search_path = '' as $$
  select base_currency from public.workspace_settings
$$;
grant execute on function private.base_currency() to authenticated, service_role;

-- ─── Lifecycle stages ────────────────────────────────────────────────────────────────────────

create table public.lifecycle_stages (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null check (length(btrim(label)) between 1 and 60),
  position smallint not null unique,
  is_system boolean not null default false
);
comment on table public.lifecycle_stages is 'Customer journey stages, in order. System stages drive automation (first paid order → customer, second → repeat) and cannot be removed.';
insert into public.lifecycle_stages (key, label, position, is_system) values
  ('prospect', 'Prospect', 10, true),
  ('lead', 'Lead', 20, true),
  ('customer', 'Customer', 30, true),
  ('repeat', 'Repeat customer', 40, true),
  ('vip', 'VIP', 50, true),
  ('at_risk', 'At risk', 60, true),
  ('churned', 'Churned', 70, true);
alter table public.lifecycle_stages enable row level security;
create policy "team members read stages" on public.lifecycle_stages for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add stages" on public.lifecycle_stages for insert to authenticated
  with check ((select private.is_admin()) and not is_system);
create policy "admins edit stages" on public.lifecycle_stages for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove custom stages" on public.lifecycle_stages for delete to authenticated
  using ((select private.is_admin()) and not is_system);
create trigger record_audit after insert or update or delete on public.lifecycle_stages
  for each row execute function private.record_audit('key');

-- ─── Customers ───────────────────────────────────────────────────────────────────────────────

create type public.customer_status as enum ('active', 'inactive', 'vip', 'blocked');

create table public.customers (
  id uuid primary key default gen_random_uuid(),
  first_name text check (length(first_name) <= 100),
  last_name text check (length(last_name) <= 100),
  full_name text generated always as (nullif(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '')) stored,
  email text check (private.is_email(email)),
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  company text check (length(company) <= 200),
  country text references public.countries (code),
  region text check (length(region) <= 100),
  city text check (length(city) <= 100),
  postal_code text check (length(postal_code) <= 20),
  timezone text check (private.is_time_zone(timezone)),
  language text references public.languages (code),
  currency text references public.currencies (code),
  status public.customer_status not null default 'active',
  lifecycle_stage text not null default 'prospect' references public.lifecycle_stages (key) on update cascade,
  owner_id uuid references public.team_members (user_id) on delete set null,
  auth_user_id uuid unique references auth.users (id) on delete set null,
  style_interests text[] not null default '{}' check (cardinality(style_interests) <= 20),
  favourite_brands text[] not null default '{}' check (cardinality(favourite_brands) <= 50),
  source text not null default 'manual' check (source in ('manual', 'shopify', 'import', 'portal', 'api')),
  lifetime_value numeric(14, 2) not null default 0,
  order_count integer not null default 0 check (order_count >= 0),
  average_order_value numeric(14, 2) generated always as (
    case when order_count > 0 then round(lifetime_value / order_count, 2) else 0 end
  ) stored,
  first_order_at timestamptz,
  last_order_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_has_a_name_or_contact check (coalesce(first_name, last_name, email, phone, company) is not null)
);
comment on table public.customers is 'A store''s customers and prospects. Metrics (lifetime_value in the base currency, order_count, average_order_value, first/last_order_at) are kept by the database from orders.';
comment on column public.customers.owner_id is 'The team member responsible. Agents see and edit only customers they own.';
comment on column public.customers.auth_user_id is 'The shopper portal account of this customer, if any.';
comment on column public.customers.lifetime_value is 'Sum of paid, non-cancelled orders net of refunds, in the workspace base currency at each order''s exchange rate.';

create unique index customers_email_key on public.customers (lower(email)) where email is not null;
-- Covering: agents' policies read the ids of the customers they own (index-only scan).
create index customers_owner_idx on public.customers (owner_id, id);
create index customers_list_idx on public.customers (country, status, lifetime_value desc, id);
create index customers_ltv_idx on public.customers (lifetime_value desc, id);
create index customers_created_idx on public.customers (created_at desc, id);
create index customers_stage_idx on public.customers (lifecycle_stage);
create index customers_email_prefix_idx on public.customers (lower(email) text_pattern_ops);
create index customers_search_idx on public.customers using gin (
  (coalesce(full_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(company, '')) extensions.gin_trgm_ops
);

create trigger touch_updated_at before update on public.customers
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.customers
  for each row execute function private.record_audit();

-- Who may see which customers. Security definer: they read customers without its own policies.
create function private.owned_customer_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select id from public.customers where owner_id = (select auth.uid()) and (select private.is_agent())
$$;
comment on function private.owned_customer_ids() is 'Ids of the customers the calling agent owns (empty for anyone else). Use as customer_id in (select private.owned_customer_ids()).';

create function private.shopper_customer_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select id from public.customers where auth_user_id = (select auth.uid())
$$;
comment on function private.shopper_customer_id() is 'The customer record of the calling shopper (portal account), or null.';

grant execute on function private.owned_customer_ids(), private.shopper_customer_id() to authenticated, service_role;

alter table public.customers enable row level security;
create policy "staff read the customers they may see" on public.customers for select to authenticated
  using ((select private.sees_all_customers()) or ((select private.is_agent()) and owner_id = (select auth.uid())));
create policy "shoppers read their own profile" on public.customers for select to authenticated
  using (auth_user_id = (select auth.uid()));
create policy "managers and agents add customers" on public.customers for insert to authenticated
  with check ((select private.edits_all_customers()) or ((select private.is_agent()) and owner_id = (select auth.uid())));
create policy "managers and owning agents edit customers" on public.customers for update to authenticated
  using ((select private.edits_all_customers()) or ((select private.is_agent()) and owner_id = (select auth.uid())))
  with check ((select private.edits_all_customers()) or ((select private.is_agent()) and owner_id = (select auth.uid())));
create policy "shoppers edit their own profile" on public.customers for update to authenticated
  using (auth_user_id = (select auth.uid())) with check (auth_user_id = (select auth.uid()));
create policy "managers remove customers" on public.customers for delete to authenticated
  using ((select private.edits_all_customers()));

-- Clients write only the profile; metrics, ids and timestamps belong to the database.
revoke insert, update on public.customers from anon, authenticated;
grant insert (first_name, last_name, email, phone, company, country, region, city, postal_code, timezone, language,
  currency, status, lifecycle_stage, owner_id, auth_user_id, style_interests, favourite_brands, source)
  on public.customers to authenticated;
grant update (first_name, last_name, email, phone, company, country, region, city, postal_code, timezone, language,
  currency, status, lifecycle_stage, owner_id, auth_user_id, style_interests, favourite_brands)
  on public.customers to authenticated;
revoke all on public.customers from anon;

create function private.guard_shopper_profile_edit() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- A shopper editing their own record may change their personal details, never how the
  -- business classifies them (status, stage, owner) or which account the record belongs to.
  if (select auth.role()) = 'authenticated' and not (select private.is_team_member())
     and (new.status, new.lifecycle_stage, new.owner_id, new.auth_user_id, new.email)
         is distinct from (old.status, old.lifecycle_stage, old.owner_id, old.auth_user_id, old.email) then
    raise exception 'shoppers may change their personal details only (not status, stage, owner, account or email)'
      using errcode = '42501';
  end if;
  return new;
end;
$$;
create trigger guard_shopper_edit before update on public.customers
  for each row execute function private.guard_shopper_profile_edit();
