-- Admins hear about every failed integration job, not only Shopify webhook deliveries (issue 15:
-- "a failed integration job (admins)", deep-linked).
--
-- Owns:
--   - trigger `notify_import_failure` on shop_imports: a history import turning `failed` tells
--     every active admin (`integration_failed`, integration "Shopify history import", job
--     `import:<id>`, link `/settings/integrations?shop=<shop id>`, body: the import's last error);
--   - public.shopify_record_token_failure (20261207195000), restated whole with one change: the
--     first failure of a streak is an `integration_failed` notification (it was `system`, which
--     members cannot configure), still with `data.shop_id`, the domain in the title and the link
--     to Settings → Integrations;
--   - private.notify_failed_scheduled_calls() and its schedule `notify-failed-jobs` (every 5
--     minutes): a scheduled edge-function call (ECB rates, Shopify import and token renewal, alert
--     and notification emails) answered non-2xx, timed out, or unanswered after 5 minutes tells the
--     admins (job `job:<name>`, link `/settings/scheduled-jobs`), each failed call examined once
--     (private.scheduled_call_failures), and one unread notification per job at most
--     (private.notify_integration_failure).
-- Who may do what: nothing new for users — all of this runs as the system.

-- ─── History imports ────────────────────────────────────────────────────────────────────────

create function private.notify_import_failure() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status <> 'failed' or (tg_op = 'UPDATE' and old.status = 'failed') then
    return null;
  end if;
  begin
    perform private.notify_integration_failure(
      'Shopify history import',
      'import:' || new.id,
      left('The import of ' || coalesce((select s.domain from public.shops s where s.id = new.shop_id), 'a store')
        || ' stopped: ' || coalesce(new.last_error, 'no reason recorded'), 2000),
      '/settings/integrations?shop=' || new.shop_id
    );
  exception when others then
    -- Telling the admins must never undo recording the failure itself.
    raise warning 'could not notify admins of failed import %: %', new.id, sqlerrm;
  end;
  return null;
end;
$$;
comment on function private.notify_import_failure() is 'Tells every active admin when a Shopify history import fails (integration_failed, deep link to Settings → Integrations for that store).';
create trigger notify_import_failure after insert or update of status on public.shop_imports
  for each row execute function private.notify_import_failure();

-- ─── Token renewals ─────────────────────────────────────────────────────────────────────────

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
    -- An integration failure (20261208132000): admins choose how they hear about those.
    perform private.notify_admins(
      'integration_failed',
      left('Shopify access for ' || domain || ' could not be renewed', 200),
      left('Cairn stops receiving data from this store when its token expires. Shopify said: ' || reason, 2000),
      '/settings/integrations?shop=' || shopify_record_token_failure.shop_id,
      jsonb_build_object(
        'shop_id', shopify_record_token_failure.shop_id,
        'reason', left(reason, 1000),
        'integration', 'Shopify token renewal',
        'job', 'token:' || shopify_record_token_failure.shop_id
      )
    );
  end if;
end;
$$;
comment on function public.shopify_record_token_failure(uuid, text) is 'Records why a token renewal failed (service role only); the health panel shows it, and the first failure of a streak notifies every active admin (integration_failed).';
revoke execute on function public.shopify_record_token_failure(uuid, text) from public, anon, authenticated;
grant execute on function public.shopify_record_token_failure(uuid, text) to service_role;

-- ─── Scheduled function calls (ECB rates and the other jobs that call a function) ──────────

create table private.scheduled_call_failures (
  request_id bigint primary key,
  job_name text not null,
  examined_at timestamptz not null default now()
);
comment on table private.scheduled_call_failures is 'Failed scheduled calls already reported to the admins (one row per pg_net request), so each is reported once. Kept 7 days.';
revoke all on private.scheduled_call_failures from public, anon, authenticated, service_role;

create function private.notify_failed_scheduled_calls() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  told integer;
begin
  with failed as (
    select c.request_id, c.job_name,
      case
        when h.id is null then 'No answer within 5 minutes'
        when h.timed_out or h.error_msg is not null then coalesce(h.error_msg, 'Timed out')
        else 'HTTP ' || h.status_code || ': ' || left(coalesce(h.content, ''), 500)
      end as error
    from private.scheduled_calls c
    left join net._http_response h on h.id = c.request_id
    where c.called_at > now() - interval '6 hours'
      and (
        (h.id is null and c.called_at < now() - interval '5 minutes')
        or h.timed_out or h.error_msg is not null
        or coalesce(h.status_code, 0) not between 200 and 299 and h.id is not null
      )
      and not exists (select 1 from private.scheduled_call_failures f where f.request_id = c.request_id)
  ),
  claimed as (
    insert into private.scheduled_call_failures (request_id, job_name)
    select request_id, job_name from failed
    on conflict do nothing
    returning request_id
  )
  select count(private.notify_integration_failure(
      case f.job_name
        when 'ecb-rates' then 'ECB exchange rates'
        when 'shopify-import' then 'Shopify history import'
        when 'shopify-import-next' then 'Shopify history import'
        when 'shopify-token-renewal' then 'Shopify token renewal'
        when 'check-alerts' then 'Shopper alert emails'
        when 'send-notification-emails' then 'Notification emails'
        else f.job_name
      end,
      'job:' || f.job_name,
      left('The scheduled job ' || f.job_name || ' failed: ' || f.error, 2000),
      '/settings/scheduled-jobs'
    ))::integer into told
  from failed f join claimed c on c.request_id = f.request_id;
  delete from private.scheduled_call_failures f where f.examined_at < now() - interval '7 days';
  return told;
end;
$$;
comment on function private.notify_failed_scheduled_calls() is 'Tells the admins about scheduled edge-function calls (ECB rates, Shopify import and token renewal, alert and notification emails) that failed — non-2xx, timed out, or unanswered after 5 minutes — each call once, one unread notification per job. pg_cron notify-failed-jobs, every 5 minutes.';
revoke execute on function private.notify_failed_scheduled_calls() from public, anon, authenticated;
grant execute on function private.notify_failed_scheduled_calls() to service_role;

select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'notify-failed-jobs';
select cron.schedule('notify-failed-jobs', '*/5 * * * *', $$select private.notify_failed_scheduled_calls()$$);
