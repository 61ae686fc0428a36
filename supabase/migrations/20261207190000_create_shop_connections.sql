-- Shopify connections made from the app (issue 11).
--
-- Owns:
--   - public.shop_connections: per connected shop, how Cairn authenticates (Dev Dashboard app:
--     client credentials grant; or a legacy custom app's static shpat_ token), the last four
--     characters of its secret, the current token's expiry and the last renewal failure, the
--     webhook subscriptions registered through the Admin API, and the secret-rotation grace
--     period. Admins read it; nobody writes it through the API — the shopify-connect function
--     writes it through the service-role functions below, after checking the credentials
--     against the shop.
--   - The secrets themselves live in Vault (never in a table the API can reach):
--     `shopify:<shop id>:client_secret` (the app's client secret, also the webhook and App Proxy
--     signing key), `shopify:<shop id>:access_token` (the current Admin API token) and, during a
--     rotation's grace period, `shopify:<shop id>:previous_secret`.
--   - private.shop_webhook_secret(domain), re-created: the Vault client secret of a connected
--     shop, else the private.shop_secrets one (shops configured by SQL, the seed). Same
--     signature and callers (the shopify-webhook function, the shopper portal's App Proxy check).
--   - public.shop_previous_webhook_secret(domain): the pre-rotation secret while its grace period
--     runs, so no delivery signed during the switch is refused.
--   - public.shopify_may_manage(): whether the caller may connect and manage shops (an admin,
--     asked as the caller, MFA rule included); the service-role functions re-check the acting
--     user (`actor`) is an active admin, so the database refuses non-admins whatever calls it.
--   - The token-renewal schedule: every 30 minutes pg_cron calls shopify-connect
--     `{ "action": "renew" }`, which fetches a new token for every connection whose token ends
--     within 2 hours (tokens last 24 h) and records failures here.

-- ─── Connections ──────────────────────────────────────────────────────────────────────────

create table public.shop_connections (
  shop_id uuid primary key references public.shops (id) on delete cascade,
  auth_kind text not null constraint shop_connections_auth_kind check (auth_kind in ('client_credentials', 'legacy_token')),
  client_id text constraint shop_connections_client_id_length check (client_id is null or length(client_id) between 1 and 200),
  secret_last4 text not null constraint shop_connections_secret_last4 check (length(secret_last4) = 4),
  token_last4 text not null constraint shop_connections_token_last4 check (length(token_last4) = 4),
  scopes text[] not null default '{}',
  token_expires_at timestamptz,
  token_renewed_at timestamptz,
  token_error text constraint shop_connections_token_error_length check (token_error is null or length(token_error) <= 1000),
  token_error_at timestamptz,
  webhook_url text not null constraint shop_connections_webhook_url_length check (length(webhook_url) between 1 and 1000),
  webhooks jsonb not null default '{}' constraint shop_connections_webhooks_object check (jsonb_typeof(webhooks) = 'object'),
  webhooks_checked_at timestamptz,
  previous_secret_valid_until timestamptz,
  connected_by uuid references auth.users (id) on delete set null,
  connected_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint shop_connections_client_id_for_grant check ((auth_kind = 'client_credentials') = (client_id is not null))
);
comment on table public.shop_connections is 'How Cairn reaches each connected Shopify store (issue 11). Secrets and tokens are in Vault; only their last 4 characters are here. Admins read; the shopify-connect function writes through service-role functions.';
comment on column public.shop_connections.auth_kind is 'client_credentials: a Dev Dashboard app, 24-hour tokens fetched with the client credentials grant. legacy_token: a legacy custom app''s static shpat_ token.';
comment on column public.shop_connections.token_expires_at is 'When the current Admin API token ends (null: a legacy token that does not expire). Renewed 2 hours before.';
comment on column public.shop_connections.token_error is 'Why the last token renewal failed (null once a renewal succeeds).';
comment on column public.shop_connections.webhooks is 'Webhook subscriptions Cairn registered: topic (e.g. ORDERS_CREATE) → subscription id (gid://shopify/WebhookSubscription/…).';
comment on column public.shop_connections.previous_secret_valid_until is 'After a secret rotation: until when webhooks signed with the previous secret are still accepted.';

create trigger touch_updated_at before update on public.shop_connections
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.shop_connections
  for each row execute function private.record_audit('shop_id');

alter table public.shop_connections enable row level security;
create policy "admins read shop connections" on public.shop_connections for select to authenticated
  using ((select private.is_admin()));
revoke all on public.shop_connections from anon, authenticated;
grant select on public.shop_connections to authenticated;
grant all on public.shop_connections to service_role;

-- ─── Vault helpers ────────────────────────────────────────────────────────────────────────

create function private.shopify_secret_name(shop_id uuid, kind text) returns text
language sql immutable set search_path = '' as $$
  select 'shopify:' || shop_id::text || ':' || kind
$$;
comment on function private.shopify_secret_name(uuid, text) is 'The Vault name of a shop''s Shopify secret: client_secret, access_token or previous_secret.';

create function private.shopify_secret(shop_id uuid, kind text) returns text
language sql stable security definer set search_path = '' as $$
  select s.decrypted_secret from vault.decrypted_secrets s where s.name = private.shopify_secret_name(shop_id, kind)
$$;
comment on function private.shopify_secret(uuid, text) is 'A shop''s Shopify secret from Vault, or null. Never granted to API roles.';
revoke execute on function private.shopify_secret(uuid, text) from public, anon, authenticated;

create function private.put_shopify_secret(shop_id uuid, kind text, secret text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  secret_name text := private.shopify_secret_name(shop_id, kind);
  existing uuid;
begin
  select s.id into existing from vault.secrets s where s.name = secret_name;
  if existing is null then
    perform vault.create_secret(secret, secret_name, 'Shopify ' || kind || ' (issue 11)');
  else
    perform vault.update_secret(existing, secret, secret_name);
  end if;
end;
$$;
comment on function private.put_shopify_secret(uuid, text, text) is 'Creates or replaces a shop''s Shopify secret in Vault.';
revoke execute on function private.put_shopify_secret(uuid, text, text) from public, anon, authenticated;

create function private.drop_shopify_secret(shop_id uuid, kind text) returns void
language sql volatile security definer set search_path = '' as $$
  delete from vault.secrets s where s.name = private.shopify_secret_name(shop_id, kind)
$$;
comment on function private.drop_shopify_secret(uuid, text) is 'Removes a shop''s Shopify secret from Vault.';
revoke execute on function private.drop_shopify_secret(uuid, text) from public, anon, authenticated;

-- ─── Who may connect ──────────────────────────────────────────────────────────────────────

create function public.shopify_may_manage() returns boolean
language sql stable security invoker set search_path = '' as $$
  select (select private.is_admin())
$$;
comment on function public.shopify_may_manage() is 'Whether the caller may connect, repair, rotate and disconnect Shopify stores: an admin (with MFA where required).';
revoke execute on function public.shopify_may_manage() from public, anon;
grant execute on function public.shopify_may_manage() to authenticated;

create function private.require_admin_actor(actor uuid) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if actor is null or not exists (
    select from public.team_members m
    where m.user_id = actor and m.active and m.accepted_at is not null and m.role = 'admin'
  ) then
    raise exception 'only an admin can manage Shopify connections' using errcode = '42501';
  end if;
end;
$$;
comment on function private.require_admin_actor(uuid) is 'Raises 42501 unless actor is an active admin. The shopify-connect function passes the user its auth server verified.';
revoke execute on function private.require_admin_actor(uuid) from public, anon, authenticated;

-- ─── Writes (service role: the shopify-connect function) ────────────────────────────────

create function public.shopify_save_connection(
  actor uuid,
  domain text,
  shop_name text,
  currency text,
  timezone text,
  auth_kind text,
  client_id text,
  client_secret text,
  access_token text,
  token_expires_at timestamptz,
  scopes text[],
  webhook_url text
) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  the_shop uuid;
  old_secret text;
begin
  perform private.require_admin_actor(actor);
  if client_secret is null or length(client_secret) < 16 or length(client_secret) > 500 then
    raise exception 'a client secret must be 16 to 500 characters' using errcode = '22023';
  end if;
  if access_token is null or length(access_token) < 8 or length(access_token) > 500 then
    raise exception 'an access token must be 8 to 500 characters' using errcode = '22023';
  end if;

  insert into public.shops (name, domain, currency, timezone)
  values (
    left(btrim(shop_name), 200),
    lower(shopify_save_connection.domain),
    coalesce((select c.code from public.currencies c where c.code = shopify_save_connection.currency), 'EUR'),
    case when private.is_time_zone(shopify_save_connection.timezone) then shopify_save_connection.timezone else 'UTC' end
  )
  on conflict on constraint shops_domain_key do update set active = true
  returning id into the_shop;

  old_secret := private.shopify_secret(the_shop, 'client_secret');
  if old_secret is not null and old_secret <> client_secret then
    -- Reconnecting with a new secret is a rotation: the old one stays valid for a day.
    perform private.put_shopify_secret(the_shop, 'previous_secret', old_secret);
  end if;
  perform private.put_shopify_secret(the_shop, 'client_secret', client_secret);
  perform private.put_shopify_secret(the_shop, 'access_token', access_token);

  insert into public.shop_connections as c (
    shop_id, auth_kind, client_id, secret_last4, token_last4, scopes, token_expires_at, token_renewed_at,
    webhook_url, connected_by, previous_secret_valid_until
  ) values (
    the_shop, shopify_save_connection.auth_kind, shopify_save_connection.client_id, right(client_secret, 4),
    right(access_token, 4), coalesce(shopify_save_connection.scopes, '{}'), shopify_save_connection.token_expires_at, now(),
    shopify_save_connection.webhook_url, actor,
    case when old_secret is not null and old_secret <> client_secret then now() + interval '24 hours' end
  )
  on conflict (shop_id) do update set
    auth_kind = excluded.auth_kind,
    client_id = excluded.client_id,
    secret_last4 = excluded.secret_last4,
    token_last4 = excluded.token_last4,
    scopes = excluded.scopes,
    token_expires_at = excluded.token_expires_at,
    token_renewed_at = excluded.token_renewed_at,
    token_error = null,
    token_error_at = null,
    webhook_url = excluded.webhook_url,
    connected_by = excluded.connected_by,
    connected_at = now(),
    previous_secret_valid_until = coalesce(excluded.previous_secret_valid_until, c.previous_secret_valid_until);
  update public.shops s set webhook_secret_set_at = now() where s.id = the_shop;
  return the_shop;
end;
$$;
comment on function public.shopify_save_connection(uuid, text, text, text, text, text, text, text, text, timestamptz, text[], text) is 'For shopify-connect (service role), after the credentials answered the shop query: creates or reactivates the shop, keeps the secret and token in Vault and the connection row. Raises 42501 unless actor is an admin. A changed secret starts a 24-hour grace period for the old one.';
revoke execute on function public.shopify_save_connection(uuid, text, text, text, text, text, text, text, text, timestamptz, text[], text) from public, anon, authenticated;
grant execute on function public.shopify_save_connection(uuid, text, text, text, text, text, text, text, text, timestamptz, text[], text) to service_role;

create function public.shopify_credentials(shop_id uuid)
returns table (domain text, auth_kind text, client_id text, client_secret text, access_token text, token_expires_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select s.domain, c.auth_kind, c.client_id,
    private.shopify_secret(c.shop_id, 'client_secret'), private.shopify_secret(c.shop_id, 'access_token'), c.token_expires_at
  from public.shop_connections c join public.shops s on s.id = c.shop_id
  where c.shop_id = shopify_credentials.shop_id
$$;
comment on function public.shopify_credentials(uuid) is 'For shopify-connect and the import (service role only): what it needs to call the shop''s Admin API.';
revoke execute on function public.shopify_credentials(uuid) from public, anon, authenticated;
grant execute on function public.shopify_credentials(uuid) to service_role;

create function public.shopify_record_token(shop_id uuid, access_token text, token_expires_at timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.put_shopify_secret(shop_id, 'access_token', access_token);
  update public.shop_connections c set
    token_last4 = right(access_token, 4), token_expires_at = shopify_record_token.token_expires_at,
    token_renewed_at = now(), token_error = null, token_error_at = null
  where c.shop_id = shopify_record_token.shop_id;
end;
$$;
comment on function public.shopify_record_token(uuid, text, timestamptz) is 'A renewed Admin API token (service role only).';
revoke execute on function public.shopify_record_token(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.shopify_record_token(uuid, text, timestamptz) to service_role;

create function public.shopify_record_token_failure(shop_id uuid, reason text) returns void
language sql volatile security definer set search_path = '' as $$
  update public.shop_connections c set token_error = left(reason, 1000), token_error_at = now()
  where c.shop_id = shopify_record_token_failure.shop_id
$$;
comment on function public.shopify_record_token_failure(uuid, text) is 'Records why a token renewal failed (service role only); the health panel shows it.';
revoke execute on function public.shopify_record_token_failure(uuid, text) from public, anon, authenticated;
grant execute on function public.shopify_record_token_failure(uuid, text) to service_role;

create function public.shopify_record_webhooks(actor uuid, shop_id uuid, webhooks jsonb) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.require_admin_actor(actor);
  update public.shop_connections c set webhooks = shopify_record_webhooks.webhooks, webhooks_checked_at = now()
  where c.shop_id = shopify_record_webhooks.shop_id;
end;
$$;
comment on function public.shopify_record_webhooks(uuid, uuid, jsonb) is 'The webhook subscriptions registered for a shop (service role, on behalf of an admin).';
revoke execute on function public.shopify_record_webhooks(uuid, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.shopify_record_webhooks(uuid, uuid, jsonb) to service_role;

create function public.shopify_rotate_secret(actor uuid, shop_id uuid, client_secret text, grace interval default '24 hours')
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  old_secret text;
begin
  perform private.require_admin_actor(actor);
  if client_secret is null or length(client_secret) < 16 or length(client_secret) > 500 then
    raise exception 'a client secret must be 16 to 500 characters' using errcode = '22023';
  end if;
  if grace < interval '0' or grace > interval '7 days' then
    raise exception 'the grace period must be between 0 and 7 days' using errcode = '22023';
  end if;
  old_secret := private.shopify_secret(shop_id, 'client_secret');
  if old_secret is null then
    raise exception 'shop % is not connected', shop_id using errcode = 'P0002';
  end if;
  if old_secret = client_secret then
    return;
  end if;
  perform private.put_shopify_secret(shop_id, 'previous_secret', old_secret);
  perform private.put_shopify_secret(shop_id, 'client_secret', client_secret);
  update public.shop_connections c set secret_last4 = right(client_secret, 4), previous_secret_valid_until = now() + grace
  where c.shop_id = shopify_rotate_secret.shop_id;
  update public.shops s set webhook_secret_set_at = now() where s.id = shopify_rotate_secret.shop_id;
end;
$$;
comment on function public.shopify_rotate_secret(uuid, uuid, text, interval) is 'Replaces a shop''s client secret (service role, on behalf of an admin, after the new secret obtained a token); webhooks signed with the old one are accepted for the grace period.';
revoke execute on function public.shopify_rotate_secret(uuid, uuid, text, interval) from public, anon, authenticated;
grant execute on function public.shopify_rotate_secret(uuid, uuid, text, interval) to service_role;

create function public.shopify_forget_connection(actor uuid, shop_id uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.require_admin_actor(actor);
  perform private.drop_shopify_secret(shop_id, 'client_secret');
  perform private.drop_shopify_secret(shop_id, 'access_token');
  perform private.drop_shopify_secret(shop_id, 'previous_secret');
  delete from private.shop_secrets s where s.shop_id = shopify_forget_connection.shop_id;
  delete from public.shop_connections c where c.shop_id = shopify_forget_connection.shop_id;
  -- The shop and its history stay; inactive, its webhooks are refused.
  update public.shops s set active = false, webhook_secret_set_at = null where s.id = shopify_forget_connection.shop_id;
end;
$$;
comment on function public.shopify_forget_connection(uuid, uuid) is 'Disconnect, after the webhooks were unregistered: removes the shop''s secrets and connection and deactivates the shop (its customers and orders stay).';
revoke execute on function public.shopify_forget_connection(uuid, uuid) from public, anon, authenticated;
grant execute on function public.shopify_forget_connection(uuid, uuid) to service_role;

create function public.shopify_tokens_to_renew() returns table (shop_id uuid)
language sql stable security definer set search_path = '' as $$
  select c.shop_id from public.shop_connections c
  where c.auth_kind = 'client_credentials' and c.token_expires_at < now() + interval '2 hours'
$$;
comment on function public.shopify_tokens_to_renew() is 'Connections whose 24-hour token ends within 2 hours (service role only).';
revoke execute on function public.shopify_tokens_to_renew() from public, anon, authenticated;
grant execute on function public.shopify_tokens_to_renew() to service_role;

-- ─── The webhook secret lookup, now Vault first ─────────────────────────────────────────

create or replace function private.shop_webhook_secret(shop_domain text) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(private.shopify_secret(sh.id, 'client_secret'), s.webhook_secret)
  from public.shops sh
  left join private.shop_secrets s on s.shop_id = sh.id
  where sh.domain = lower(shop_domain) and sh.active
$$;
comment on function private.shop_webhook_secret(text) is 'The webhook (and App Proxy) secret of an active shop by its myshopify domain: the connected app''s client secret from Vault, else the one set with set_shop_webhook_secret; null when unknown, inactive or not configured. Service role only.';

create function public.shop_previous_webhook_secret(shop_domain text) returns text
language sql stable security definer set search_path = '' as $$
  select private.shopify_secret(sh.id, 'previous_secret')
  from public.shops sh
  join public.shop_connections c on c.shop_id = sh.id
  where sh.domain = lower(shop_domain) and sh.active and c.previous_secret_valid_until > now()
$$;
comment on function public.shop_previous_webhook_secret(text) is 'For the shopify-webhook function: the secret in use before a rotation, while its grace period runs; else null.';
revoke execute on function public.shop_previous_webhook_secret(text) from public, anon, authenticated;
grant execute on function public.shop_previous_webhook_secret(text) to service_role, cairn_shopify_webhook;

-- ─── Token renewal schedule ──────────────────────────────────────────────────────────────

select cron.schedule(
  'shopify-token-renewal',
  '*/30 * * * *',
  $$select private.call_scheduled_function('shopify-token-renewal', 'shopify-connect', '{"action":"renew"}')$$
);
