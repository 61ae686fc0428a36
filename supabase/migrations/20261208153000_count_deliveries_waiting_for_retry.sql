-- The health panel says how many failed deliveries wait for a retry (issue 11: "failed deliveries
-- waiting for retry and the next retry time").
--
-- shopify_delivery_health(shop_id) gave the failures of the last 24 hours and the next retry's
-- time, but not how many deliveries are waiting for one — a failure older than a day that is still
-- retried was in neither figure. Re-created (its result gains a column, so dropped first) with
-- `waiting_retry`: the shop's failed deliveries with a next attempt scheduled, counted on the
-- partial index webhook_deliveries_shop_retry_idx (20261207196000). Same access: runs as the
-- caller, only admins read deliveries (others get zeros), anon refused.
drop function public.shopify_delivery_health(uuid);
create function public.shopify_delivery_health(shop_id uuid)
returns table (
  last_received_at timestamptz, applied integer, ignored integer, failed integer, received integer,
  next_retry_at timestamptz, waiting_retry integer
)
language sql stable security invoker set search_path = '' as $$
  select
    (select max(d.received_at) from public.webhook_deliveries d where d.shop_id = shopify_delivery_health.shop_id),
    coalesce(count(*) filter (where r.status = 'applied'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'ignored'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'failed'), 0)::integer,
    coalesce(count(*) filter (where r.status = 'received'), 0)::integer,
    (select min(d.next_attempt_at) from public.webhook_deliveries d
     where d.shop_id = shopify_delivery_health.shop_id and d.status = 'failed' and d.next_attempt_at is not null),
    (select count(*)::integer from public.webhook_deliveries d
     where d.shop_id = shopify_delivery_health.shop_id and d.status = 'failed' and d.next_attempt_at is not null)
  from public.webhook_deliveries r
  where r.shop_id = shopify_delivery_health.shop_id and r.received_at >= now() - interval '24 hours'
$$;
comment on function public.shopify_delivery_health(uuid) is 'One shop''s webhook deliveries for the health panel: last received, the last 24 hours by status, the next retry of a failed one and how many failed ones wait for a retry. Runs as the caller (only admins read deliveries; others get zeros).';
revoke execute on function public.shopify_delivery_health(uuid) from public, anon;
grant execute on function public.shopify_delivery_health(uuid) to authenticated, service_role;
