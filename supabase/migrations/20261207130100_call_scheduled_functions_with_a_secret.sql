-- Scheduled function calls carry a secret, and their answers are visible (security review L-5).
--
-- Before: the check-alerts job posted to the function with the anon key alone, so anyone with
-- the (public) anon key could drive the alert engine; and pg_cron recorded the job as
-- `succeeded` as soon as pg_net had queued the request, whatever the function answered — a
-- check-alerts failing every 5 minutes looked healthy.
--
-- Owns:
--   - private.call_scheduled_function(job, function, body): what a schedule runs to call an
--     edge function. It reads `project_url`, `anon_key` and `cron_secret` from Vault, posts
--     with the anon key (the gateway needs a key) and the secret in `X-Cron-Secret` (the
--     function compares it with its own CRON_SECRET), and logs the pg_net request id under the
--     job's name in private.scheduled_calls, so the answer can be found again;
--   - the check-alerts schedule, re-created to use it (every 5 minutes, as before);
--   - public.job_health(): per pg_cron job, the last run, its status and error, where a job
--     that called a function counts as failed when the answer was not 2xx, timed out or never
--     came. Admins only (it says what the system runs and why it fails).
--
-- Hosted Supabase: create the Vault secret `cron_secret` and the function secret CRON_SECRET
-- with the same random value (README, "Deploying"); until both exist the job fails visibly,
-- in job_health, and nothing is called. The other schedules (webhook retries and purge,
-- 20261121070100) are plain SQL with no HTTP call, so no secret is involved; job_health shows
-- them too.

create extension if not exists pg_cron with schema pg_catalog;
create extension if not exists pg_net with schema extensions;

create table private.scheduled_calls (
  id bigint generated always as identity primary key,
  job_name text not null,
  request_id bigint not null,
  called_at timestamptz not null default now()
);
comment on table private.scheduled_calls is 'One row per edge-function call a schedule made: the pg_net request id under the job''s name, so job_health() can join the answer (net._http_response) to the run. Kept 7 days (pg_net keeps answers 6 hours).';
create index scheduled_calls_job_idx on private.scheduled_calls (job_name, called_at desc);
create index scheduled_calls_called_at_idx on private.scheduled_calls (called_at);
revoke all on private.scheduled_calls from public, anon, authenticated, service_role;

create function private.call_scheduled_function(
  job_name text,
  function_name text,
  body jsonb default '{}',
  timeout_milliseconds integer default 60000
) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  project_url text;
  anon_key text;
  cron_secret text;
  request_id bigint;
begin
  select s.decrypted_secret into project_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into anon_key from vault.decrypted_secrets s where s.name = 'anon_key';
  select s.decrypted_secret into cron_secret from vault.decrypted_secrets s where s.name = 'cron_secret';
  if project_url is null or anon_key is null or cron_secret is null then
    raise exception 'Vault secret % is missing: create it (README, "Deploying") to run scheduled function calls',
      concat_ws(', ',
        case when project_url is null then 'project_url' end,
        case when anon_key is null then 'anon_key' end,
        case when cron_secret is null then 'cron_secret' end)
      using errcode = '55000';
  end if;

  request_id := net.http_post(
    url := project_url || '/functions/v1/' || function_name,
    body := coalesce(body, '{}'),
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || anon_key,
      'apikey', anon_key,
      'X-Cron-Secret', cron_secret
    ),
    timeout_milliseconds := timeout_milliseconds
  );
  insert into private.scheduled_calls (job_name, request_id) values (call_scheduled_function.job_name, request_id);
  delete from private.scheduled_calls c where c.called_at < now() - interval '7 days';
  return request_id;
end;
$$;
comment on function private.call_scheduled_function(text, text, jsonb, integer) is 'For pg_cron jobs: posts body to the edge function function_name with the anon key and the cron_secret from Vault (X-Cron-Secret), and logs the request under job_name for job_health(). Raises when a Vault secret is missing, so the run is recorded as failed.';
revoke execute on function private.call_scheduled_function(text, text, jsonb, integer) from public, anon, authenticated, service_role;

-- Re-running the migration (or a second schedule under the same name) replaces the job.
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'check-alerts';
select cron.schedule(
  'check-alerts',
  '*/5 * * * *',
  $$select private.call_scheduled_function('check-alerts', 'check-alerts', '{"source":"cron"}')$$
);

create function public.job_health()
returns table (
  job_name text,
  schedule text,
  active boolean,
  last_run_at timestamptz,
  last_status text,
  last_error text
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (select private.is_admin()) then
    raise exception 'only admins may read the health of scheduled jobs' using errcode = '42501';
  end if;
  return query
  select
    j.jobname::text,
    j.schedule::text,
    j.active,
    r.start_time,
    case
      when r.runid is null then 'never_run'
      when r.status in ('starting', 'running') then 'running'
      when r.status <> 'succeeded' then 'failed'
      -- The run queued an HTTP call: its answer decides.
      when c.request_id is null then 'succeeded'
      when h.id is null and c.called_at > now() - interval '5 minutes' then 'waiting'
      -- pg_net keeps answers 6 hours: after that, what a rare job got is no longer known.
      when h.id is null and c.called_at < now() - interval '6 hours' then 'unknown'
      when h.id is null then 'failed'
      when h.timed_out or h.error_msg is not null or coalesce(h.status_code, 0) not between 200 and 299 then 'failed'
      else 'succeeded'
    end,
    case
      when r.runid is null or r.status in ('starting', 'running') then null
      when r.status <> 'succeeded' then left(r.return_message, 1000)
      when c.request_id is null then null
      when h.id is null and (c.called_at > now() - interval '5 minutes' or c.called_at < now() - interval '6 hours') then null
      when h.id is null then 'no answer recorded for the call'
      when h.timed_out or h.error_msg is not null then left(coalesce(h.error_msg, 'timed out'), 1000)
      when coalesce(h.status_code, 0) not between 200 and 299 then left('HTTP ' || h.status_code || ': ' || coalesce(h.content, ''), 1000)
    end
  from cron.job j
  left join lateral (
    select d.runid, d.status, d.return_message, d.start_time from cron.job_run_details d
    where d.jobid = j.jobid order by d.start_time desc nulls last limit 1
  ) r on true
  -- The call the last run made, if it made one (logged during the run, so not before it began).
  left join lateral (
    select c.request_id, c.called_at from private.scheduled_calls c
    where c.job_name = j.jobname and c.called_at >= r.start_time
    order by c.called_at desc limit 1
  ) c on true
  left join net._http_response h on h.id = c.request_id
  order by j.jobname;
end;
$$;
comment on function public.job_health() is 'Admins only: per pg_cron job, its schedule, the last run, and that run''s status (succeeded, failed, running, waiting for the answer of its HTTP call, unknown once pg_net no longer keeps that answer, never_run) and error. A job that calls an edge function fails when the answer was not 2xx, timed out or never came.';
revoke execute on function public.job_health() from public, anon;
grant execute on function public.job_health() to authenticated;
