-- Shops and exchange rates
--
-- Owns: the Shopify stores Cairn is connected to (`shops`), their webhook secrets (kept in the
-- non-exposed `private` schema, never readable by a client), the daily exchange rates that turn
-- an order's currency into the workspace base currency, and the lookups built on them:
--
--   private.shop_webhook_secret(domain)  the secret a webhook signature is checked against
--                                        (service_role only; public.shop_webhook_secret wraps it
--                                        for the REST API)
--   public.set_shop_webhook_secret(...)  write-only for admins: a secret goes in, never comes out
--   private.rate_on(currency, date)      the latest rate on or before a day (base currency = 1)
--
-- Access: team members read shops and rates; admins write them; the service role (edge
-- functions importing rates, the Shopify webhook) does everything. Shoppers and anon see none.

-- A helper later migrations share: who may change the catalogue and commerce reference data.
create function private.manages_catalog() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select private.team_role()) in ('admin', 'manager'), false)
$$;
comment on function private.manages_catalog() is 'Admins and managers maintain the catalogue (products, variants, alert overrides).';
grant execute on function private.manages_catalog() to authenticated, service_role;

-- ─── Shops ───────────────────────────────────────────────────────────────────────────────────

create table public.shops (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint shops_name_length check (length(btrim(name)) between 1 and 200),
  domain text not null unique
    constraint shops_domain_is_myshopify check (domain ~ '^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$'),
  currency text not null references public.currencies (code),
  default_language text not null default 'en' references public.languages (code),
  timezone text not null default 'UTC' constraint shops_timezone_check check (private.is_time_zone(timezone)),
  active boolean not null default true,
  webhook_secret_set_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.shops is 'Shopify stores connected to Cairn. Their webhook secrets live in private.shop_secrets, out of the API''s reach.';
comment on column public.shops.domain is 'The permanent *.myshopify.com domain (lower case); Shopify sends it in X-Shopify-Shop-Domain.';
comment on column public.shops.currency is 'The shop''s own currency (ISO 4217); orders keep their own presentment currency.';
comment on column public.shops.webhook_secret_set_at is 'When the webhook secret was last set (the secret itself is never readable). Null: not configured.';

create trigger touch_updated_at before update on public.shops
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.shops
  for each row execute function private.record_audit();

alter table public.shops enable row level security;
create policy "team members read shops" on public.shops for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add shops" on public.shops for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit shops" on public.shops for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove shops" on public.shops for delete to authenticated
  using ((select private.is_admin()));

revoke all on public.shops from anon;
revoke insert, update on public.shops from authenticated;
grant insert (name, domain, currency, default_language, timezone, active) on public.shops to authenticated;
grant update (name, domain, currency, default_language, timezone, active) on public.shops to authenticated;

-- ─── Shop secrets (never exposed) ────────────────────────────────────────────────────────────

create table private.shop_secrets (
  shop_id uuid primary key references public.shops (id) on delete cascade,
  webhook_secret text not null constraint shop_secrets_webhook_secret_length check (length(webhook_secret) between 16 and 500),
  updated_at timestamptz not null default now()
);
comment on table private.shop_secrets is 'Shopify webhook signing secrets. In the private schema with no grants: only security-definer functions read or write it.';
revoke all on private.shop_secrets from public, anon, authenticated, service_role;

create trigger touch_updated_at before update on private.shop_secrets
  for each row execute function private.touch_updated_at();
-- The audit row says that the secret changed and who changed it, never what it is.
create trigger record_audit after insert or update or delete on private.shop_secrets
  for each row execute function private.record_audit('shop_id', 'webhook_secret');

create function private.shop_webhook_secret(shop_domain text) returns text
language sql stable security definer set search_path = '' as $$
  select s.webhook_secret
  from public.shops sh
  join private.shop_secrets s on s.shop_id = sh.id
  where sh.domain = lower(shop_domain) and sh.active
$$;
comment on function private.shop_webhook_secret(text) is 'The webhook secret of an active shop by its myshopify domain, or null. Service role only.';
revoke execute on function private.shop_webhook_secret(text) from public, anon, authenticated;
grant execute on function private.shop_webhook_secret(text) to service_role;

-- Edge functions reach the database through the REST API, which exposes only `public`.
create function public.shop_webhook_secret(shop_domain text) returns text
language sql stable security invoker set search_path = '' as $$
  select private.shop_webhook_secret(shop_domain)
$$;
comment on function public.shop_webhook_secret(text) is 'For the shopify-webhook function (service role only): the secret to verify X-Shopify-Hmac-Sha256 against. Null when the shop is unknown, inactive or not configured.';
revoke execute on function public.shop_webhook_secret(text) from public, anon, authenticated;
grant execute on function public.shop_webhook_secret(text) to service_role;

create function public.set_shop_webhook_secret(shop_id uuid, secret text) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  -- API callers other than the service role must be admins; a direct database session (seed,
  -- maintenance) has no API role and could write private.shop_secrets anyway.
  if coalesce((select auth.role()), '') in ('anon', 'authenticated') and not (select private.is_admin()) then
    raise exception 'only an admin can set a shop''s webhook secret' using errcode = '42501';
  end if;
  if secret is null or length(secret) < 16 then
    raise exception 'a webhook secret must be at least 16 characters' using errcode = '22023';
  end if;
  if not exists (select 1 from public.shops s where s.id = set_shop_webhook_secret.shop_id) then
    raise exception 'no shop with id %', set_shop_webhook_secret.shop_id using errcode = 'P0002';
  end if;
  insert into private.shop_secrets (shop_id, webhook_secret)
  values (set_shop_webhook_secret.shop_id, secret)
  on conflict on constraint shop_secrets_pkey do update set webhook_secret = excluded.webhook_secret;
  update public.shops s set webhook_secret_set_at = now() where s.id = set_shop_webhook_secret.shop_id;
end;
$$;
comment on function public.set_shop_webhook_secret(uuid, text) is 'Write-only: admins (and the service role) set a shop''s webhook secret; nobody can read it back through the API.';
revoke execute on function public.set_shop_webhook_secret(uuid, text) from public, anon;
grant execute on function public.set_shop_webhook_secret(uuid, text) to authenticated, service_role;

-- ─── Exchange rates ──────────────────────────────────────────────────────────────────────────

create table public.exchange_rates (
  rate_date date not null,
  currency text not null references public.currencies (code),
  rate_to_base numeric(20, 10) not null constraint exchange_rates_rate_must_be_positive check (rate_to_base > 0),
  source text not null default 'manual' constraint exchange_rates_source_length check (length(btrim(source)) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (rate_date, currency)
);
comment on table public.exchange_rates is 'Daily exchange rates: one unit of `currency` is worth `rate_to_base` units of the workspace base currency. Orders copy the rate of their day, so revenue never drifts when rates move. Changing the base currency means importing new rates.';
comment on column public.exchange_rates.source is 'Where the rate came from: manual, ecb, openexchangerates…';
create index exchange_rates_lookup_idx on public.exchange_rates (currency, rate_date desc);

create trigger touch_updated_at before update on public.exchange_rates
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.exchange_rates
  for each row execute function private.record_audit('currency');

alter table public.exchange_rates enable row level security;
create policy "team members read exchange rates" on public.exchange_rates for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add exchange rates" on public.exchange_rates for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit exchange rates" on public.exchange_rates for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove exchange rates" on public.exchange_rates for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.exchange_rates from anon;
revoke insert, update on public.exchange_rates from authenticated;
grant insert (rate_date, currency, rate_to_base, source) on public.exchange_rates to authenticated;
grant update (rate_date, currency, rate_to_base, source) on public.exchange_rates to authenticated;

create function private.rate_on(currency_code text, on_date date) returns numeric
language plpgsql stable security definer set search_path = '' as $$
declare
  found_rate numeric;
begin
  if currency_code = (select private.base_currency()) then
    return 1;
  end if;
  select r.rate_to_base into found_rate
  from public.exchange_rates r
  where r.currency = currency_code and r.rate_date <= on_date
  order by r.rate_date desc
  limit 1;
  if found_rate is null then
    raise exception 'no exchange rate for % on or before %', currency_code, on_date
      using errcode = '22023',
            hint = 'Import exchange rates for that day, or give the order''s exchange_rate explicitly.';
  end if;
  return found_rate;
end;
$$;
comment on function private.rate_on(text, date) is 'Base-currency value of one unit of currency_code on on_date: the latest rate on or before that day; 1 for the base currency; an error when none is known.';
grant execute on function private.rate_on(text, date) to authenticated, service_role;

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- private function says who may call it explicitly.
revoke execute on function private.manages_catalog(),
  private.rate_on(text, date)
  from public, anon;
