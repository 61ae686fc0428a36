-- Schedule: check-alerts every 5 minutes
--
-- Supabase's documented pattern (guides/functions/schedule-functions): pg_cron runs a job that
-- posts to the edge function with pg_net; the project URL and the anon key come from Vault, so
-- the same migration works on a hosted project (after `select vault.create_secret(…)` for
-- `project_url` and `anon_key`, see docs/deploy) and locally (the stack stores both per instance).
-- The function does its privileged work with its own service-role client, so the anon key is all
-- the job needs; a caller without the service role cannot pass a fake `now`.
--
-- Every 5 minutes keeps an alert well within the product's "within 1 hour of the change".

create extension if not exists pg_cron with schema pg_catalog;
create extension if not exists pg_net with schema extensions;

-- Re-running the migration (or a second schedule under the same name) replaces the job.
select cron.unschedule(jobid) from cron.job where jobname = 'check-alerts';

select cron.schedule(
  'check-alerts',
  '*/5 * * * *',
  $$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/check-alerts',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'anon_key')
    ),
    body := jsonb_build_object('source', 'cron'),
    timeout_milliseconds := 60000
  ) as request_id;
  $$
);
