-- The Integrations health panel's delivery figures, counted by the database (issue 11).
--
-- Owns:
--   - public.shopify_delivery_health(shop_id): last delivery, deliveries of the last 24 hours by
--     outcome and the next retry of a failed delivery, for one shop. The panel used to fetch up to
--     10 000 status rows and count them in the browser — wrong beyond 10 000 and slow with a
--     million stored deliveries. Runs as the caller: RLS lets only admins read deliveries, so
--     anyone else gets zeros.
--   - Index webhook_deliveries_shop_received_idx (shop_id, received_at desc) including status: the
--     last delivery and the 24-hour counts read it without touching the table.
--   - Index webhook_deliveries_shop_retry_idx (shop_id, next_attempt_at) of failed deliveries: the
--     next retry is its first entry.
create index webhook_deliveries_shop_received_idx on public.webhook_deliveries (shop_id, received_at desc) include (status);
create index webhook_deliveries_shop_retry_idx on public.webhook_deliveries (shop_id, next_attempt_at)
  where status = 'failed' and next_attempt_at is not null;

create function public.shopify_delivery_health(shop_id uuid)
returns table (
  last_received_at timestamptz, applied integer, ignored integer, failed integer, received integer,
  next_retry_at timestamptz
)
language sql stable security invoker set search_path = '' as $$
  select
    (select max(d.received_at) from public.webhook_deliveries d where d.shop_id = shopify_delivery_health.shop_id),
    coalesce(count(*) filter (where r.status = 'applied'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'ignored'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'failed'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'received'), 0)::integer,
    (select min(d.next_attempt_at) from public.webhook_deliveries d
     where d.shop_id = shopify_delivery_health.shop_id and d.status = 'failed' and d.next_attempt_at is not null)
  from public.webhook_deliveries r
  where r.shop_id = shopify_delivery_health.shop_id and r.received_at >= now() - interval '24 hours'
$$;
comment on function public.shopify_delivery_health(uuid) is 'One shop''s webhook deliveries for the health panel: last received, the last 24 hours by status, the next retry of a failed one. Runs as the caller (only admins read deliveries; others get zeros).';
revoke execute on function public.shopify_delivery_health(uuid) from public, anon;
grant execute on function public.shopify_delivery_health(uuid) to authenticated, service_role;
comment on index public.webhook_deliveries_shop_received_idx is 'The health panel: a shop''s last delivery and its last 24 hours by status (shopify_delivery_health).';
comment on index public.webhook_deliveries_shop_retry_idx is 'The health panel: a shop''s next retry of a failed delivery (shopify_delivery_health).';
