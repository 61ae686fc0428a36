-- The shopify-webhook function's own database login (ADR 0005).
--
-- Before: the function connected with SUPABASE_DB_URL, as `postgres`, the owner of every table
-- and function: a bug or an injected statement in the one function that takes input from the
-- internet could have read or changed anything. Its two calls only ever needed two functions.
--
-- Owns:
--   - the role cairn_shopify_webhook: LOGIN, no other attribute, member of nothing, and no
--     privilege on any table, view or sequence: it may use schema public and execute
--     public.shop_webhook_secret and public.ingest_shopify_webhook, nothing else. Both are
--     `security definer` (owned by postgres), validate their input, and do the work;
--   - public.shop_webhook_secret restated as `security definer`, so its caller needs no access
--     to schema private (where the secret and private.shop_webhook_secret live).
--
-- Created without a password: nobody can sign in as the role until one is set. Hosted, the
-- operator sets it once (`\password cairn_shopify_webhook` in psql, or `alter role … password`)
-- and gives the function SHOPIFY_WEBHOOK_DB_URL (README, "Deploying"); locally the stack sets
-- the local password and the URL. Created only when missing, so a database whose role exists
-- (a cluster that kept its roles) migrates too, and its password is kept.

do $$
begin
  if not exists (select 1 from pg_catalog.pg_roles where rolname = 'cairn_shopify_webhook') then
    create role cairn_shopify_webhook login;
  end if;
end;
$$;
comment on role cairn_shopify_webhook is 'Login of the shopify-webhook function (SHOPIFY_WEBHOOK_DB_URL): may only execute public.shop_webhook_secret and public.ingest_shopify_webhook. ADR 0005.';

grant usage on schema public to cairn_shopify_webhook;

create or replace function public.shop_webhook_secret(shop_domain text) returns text
language sql stable security definer set search_path = '' as $$
  select private.shop_webhook_secret(shop_domain)
$$;
comment on function public.shop_webhook_secret(text) is 'For the shopify-webhook function (its login cairn_shopify_webhook, and the service role): the secret to verify X-Shopify-Hmac-Sha256 against. Null when the shop is unknown, inactive or not configured.';
revoke execute on function public.shop_webhook_secret(text) from public, anon, authenticated;
grant execute on function public.shop_webhook_secret(text) to service_role, cairn_shopify_webhook;

grant execute on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text)
  to cairn_shopify_webhook;
