-- A failed Shopify token renewal alerts the admins (issue 11: "a failed renewal shows on the
-- health panel and alerts admins").
--
-- Owns: public.shopify_record_token_failure(shop_id, reason) — replaced. It still records the
-- reason on shop_connections (the health panel shows it) and now, when the connection had no
-- failure recorded yet (the first failure of a streak; the renewal job retries every 30 minutes),
-- sends every active admin a `system` notification linking to Settings → Integrations. A
-- successful renewal (shopify_record_token) clears token_error, so the next failure alerts again.
create or replace function public.shopify_record_token_failure(shop_id uuid, reason text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  was_failing boolean;
  domain text;
begin
  select c.token_error is not null, s.domain into was_failing, domain
  from public.shop_connections c join public.shops s on s.id = c.shop_id
  where c.shop_id = shopify_record_token_failure.shop_id
  for update of c;
  if not found then
    return;
  end if;
  update public.shop_connections c set token_error = left(reason, 1000), token_error_at = now()
  where c.shop_id = shopify_record_token_failure.shop_id;
  if not was_failing then
    insert into public.notifications (recipient_id, kind, title, body, link, data)
    select m.user_id, 'system',
      left('Shopify access for ' || domain || ' could not be renewed', 200),
      left('Cairn stops receiving data from this store when its token expires. Shopify said: ' || reason, 2000),
      '/settings/integrations',
      jsonb_build_object('shop_id', shopify_record_token_failure.shop_id, 'reason', left(reason, 1000))
    from public.team_members m
    where m.role = 'admin' and m.active;
  end if;
end;
$$;
comment on function public.shopify_record_token_failure(uuid, text) is 'Records why a token renewal failed (service role only); the health panel shows it, and the first failure of a streak notifies every active admin.';
revoke execute on function public.shopify_record_token_failure(uuid, text) from public, anon, authenticated;
grant execute on function public.shopify_record_token_failure(uuid, text) to service_role;
