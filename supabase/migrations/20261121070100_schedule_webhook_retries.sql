-- Schedules for Shopify webhook ingestion
--
-- Owns two pg_cron jobs (the same migration works on hosted Supabase, where pg_cron is
-- Supabase Cron):
--   retry-failed-shopify-webhooks   every minute: re-apply failed deliveries whose backoff is due
--                                   (public.retry_failed_webhooks, 20261121070000)
--   purge-shopify-webhook-deliveries daily at 03:17 UTC: drop applied/ignored payloads older than
--                                   30 days (private.purge_webhook_deliveries)
-- Both are plain SQL in the database: no HTTP hop, no key in Vault needed.

create extension if not exists pg_cron with schema pg_catalog;

-- cron.schedule with an existing job name replaces that job, so re-running this is harmless.
select cron.schedule('retry-failed-shopify-webhooks', '* * * * *', $$select public.retry_failed_webhooks()$$);
select cron.schedule('purge-shopify-webhook-deliveries', '17 3 * * *', $$select private.purge_webhook_deliveries()$$);
