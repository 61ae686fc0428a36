-- Retention: personal and operational data is kept only as long as the admins say (issue 12:
-- "scheduled purges for alert log, notifications, email events and webhook payloads, with
-- periods set by admins and defaults written down in docs/database.md"; also the audit and
-- export logs and closed privacy requests, which hold who did what to whom).
--
-- Owns:
--   - workspace_settings' retention periods (days; admins set them, like
--     notification_retention_days of 20261207150200, whose 90-day default stays):
--     alert_log_retention_days (365), email_event_retention_days (365),
--     webhook_payload_retention_days (30), audit_log_retention_days (730),
--     export_log_retention_days (730), privacy_request_retention_days (1095), each with bounds
--     that keep what the product needs (the alert engine's dedup window, the proof of an
--     erasure for the limitation period);
--   - private.retention_runs and private.purge_retained_data(batch, chunks): the purge, in
--     bounded chunks per kind (oldest first, each chunk its own statement), recording what each
--     run removed; idempotent (a second run finds nothing older than the cutoff);
--   - public.retention_overview(): admins only — per kind its period, cutoff, what waits and the
--     last run;
--   - one pg_cron job `purge-retained-data` (daily 03:17) in place of `purge-notifications` and
--     `purge-shopify-webhook-deliveries`, whose work it does with the admins' periods (the
--     webhook purge had a fixed 30 days and no chunks). private.purge_notifications and
--     private.purge_webhook_deliveries stay for callers that name them.
--
-- What a purge keeps: alerts still queued or deferred, webhook deliveries not applied or
-- ignored (failed ones wait for someone) or tied to an open Shopify privacy request, privacy
-- requests still open or whose files are still being removed.

alter table public.workspace_settings
  add column alert_log_retention_days integer not null default 365
    constraint workspace_settings_alert_log_retention check (alert_log_retention_days between 90 and 3650),
  add column email_event_retention_days integer not null default 365
    constraint workspace_settings_email_event_retention check (email_event_retention_days between 30 and 3650),
  add column webhook_payload_retention_days integer not null default 30
    constraint workspace_settings_webhook_payload_retention check (webhook_payload_retention_days between 7 and 365),
  add column audit_log_retention_days integer not null default 730
    constraint workspace_settings_audit_log_retention check (audit_log_retention_days between 365 and 3650),
  add column export_log_retention_days integer not null default 730
    constraint workspace_settings_export_log_retention check (export_log_retention_days between 365 and 3650),
  add column privacy_request_retention_days integer not null default 1095
    constraint workspace_settings_privacy_request_retention check (privacy_request_retention_days between 365 and 3650);
comment on column public.workspace_settings.alert_log_retention_days is 'Alert log entries older than this many days are removed (daily job; 90–3650, default 365; queued and deferred alerts stay). Admins set it.';
comment on column public.workspace_settings.email_event_retention_days is 'SendGrid email events older than this many days are removed (daily job; 30–3650, default 365). Admins set it.';
comment on column public.workspace_settings.webhook_payload_retention_days is 'Applied and ignored Shopify webhook deliveries (their payloads) older than this many days are removed (daily job; 7–365, default 30). Admins set it.';
comment on column public.workspace_settings.audit_log_retention_days is 'Audit entries older than this many days are removed (daily job; 365–3650, default 730). Admins set it.';
comment on column public.workspace_settings.export_log_retention_days is 'Export log entries older than this many days are removed (daily job; 365–3650, default 730). Admins set it.';
comment on column public.workspace_settings.privacy_request_retention_days is 'Completed and refused privacy requests are removed this many days after they closed (daily job; 365–3650, default 1095). Admins set it.';

-- The purge walks each table oldest first by these.
create index alert_log_created_at_idx on public.alert_log (created_at);
create index email_events_occurred_at_idx on public.email_events (occurred_at);
create index export_log_exported_at_idx on public.export_log (exported_at);
create index privacy_requests_closed_idx on public.privacy_requests (completed_at) where status in ('completed', 'refused');

create table private.retention_runs (
  id bigint generated always as identity primary key,
  ran_at timestamptz not null default now(),
  kind text not null,
  cutoff timestamptz not null,
  removed integer not null,
  complete boolean not null
);
comment on table private.retention_runs is 'One row per kind per purge run: the cutoff, how many rows went, and whether the run reached the end (false: its chunks ran out and the next run continues). Kept a year.';
create index retention_runs_kind_idx on private.retention_runs (kind, ran_at desc);
revoke all on private.retention_runs from public, anon, authenticated, service_role;

create function private.retention_cutoffs()
returns table (kind text, days integer, cutoff timestamptz)
language sql stable security definer set search_path = '' as $$
  select k.kind, k.days, now() - make_interval(days => k.days)
  from public.workspace_settings s,
  lateral (values
    ('alert_log', s.alert_log_retention_days),
    ('email_events', s.email_event_retention_days),
    ('notifications', s.notification_retention_days),
    ('webhook_deliveries', s.webhook_payload_retention_days),
    ('audit_log', s.audit_log_retention_days),
    ('export_log', s.export_log_retention_days),
    ('privacy_requests', s.privacy_request_retention_days)
  ) as k (kind, days)
$$;
comment on function private.retention_cutoffs() is 'Per kind of retained data: the admins'' period in days and the cutoff it gives now.';
revoke execute on function private.retention_cutoffs() from public, anon, authenticated, service_role;

-- The rows of one kind a purge may remove, oldest first (ids as text: the tables' keys differ).
create function private.purgeable_ids(kind text, cutoff timestamptz, how_many integer)
returns setof text
language plpgsql stable security definer set search_path = '' as $$
begin
  case kind
    when 'alert_log' then
      return query select l.id::text from public.alert_log l
        where l.created_at < cutoff and l.state not in ('queued', 'deferred') order by l.created_at limit how_many;
    when 'email_events' then
      return query select e.id::text from public.email_events e where e.occurred_at < cutoff order by e.occurred_at limit how_many;
    when 'notifications' then
      return query select n.id::text from public.notifications n where n.created_at < cutoff order by n.created_at limit how_many;
    when 'webhook_deliveries' then
      return query select w.id::text from public.webhook_deliveries w
        where w.status in ('applied', 'ignored') and w.received_at < cutoff
          and not exists (select from public.shopify_privacy_requests r where r.delivery_id = w.id and r.status = 'open')
        order by w.received_at limit how_many;
    when 'audit_log' then
      return query select a.id::text from public.audit_log a where a.occurred_at < cutoff order by a.occurred_at limit how_many;
    when 'export_log' then
      return query select x.id::text from public.export_log x where x.exported_at < cutoff order by x.exported_at limit how_many;
    when 'privacy_requests' then
      return query select r.id::text from public.privacy_requests r
        where r.status in ('completed', 'refused') and r.completed_at < cutoff
          and not exists (select from private.erasure_files f where f.request_id = r.id and f.removed_at is null)
        order by r.completed_at limit how_many;
  end case;
end;
$$;
comment on function private.purgeable_ids(text, timestamptz, integer) is 'Up to how_many ids (as text) of rows of a retained kind older than cutoff that a purge may remove, oldest first.';
revoke execute on function private.purgeable_ids(text, timestamptz, integer) from public, anon, authenticated, service_role;

create function private.purge_retained_data(batch integer default 5000, chunks integer default 20)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  period record;
  ids text[];
  removed integer;
  total integer;
  complete boolean;
  summary jsonb := '{}';
begin
  if batch is null or batch < 1 or batch > 100000 or chunks is null or chunks < 1 or chunks > 1000 then
    raise exception 'batch must be 1–100000 and chunks 1–1000' using errcode = '22023';
  end if;
  for period in select * from private.retention_cutoffs() loop
    total := 0;
    complete := false;
    -- Bounded: at most chunks × batch rows per kind and run; the next run goes on.
    for i in 1..chunks loop
      ids := array(select private.purgeable_ids(period.kind, period.cutoff, batch));
      exit when cardinality(ids) = 0;
      case period.kind
        when 'alert_log' then delete from public.alert_log t where t.id = any(ids::bigint[]);
        when 'email_events' then delete from public.email_events t where t.id = any(ids::bigint[]);
        when 'notifications' then delete from public.notifications t where t.id = any(ids::uuid[]);
        when 'webhook_deliveries' then delete from public.webhook_deliveries t where t.id = any(ids::bigint[]);
        when 'audit_log' then delete from public.audit_log t where t.id = any(ids::bigint[]);
        when 'export_log' then delete from public.export_log t where t.id = any(ids::bigint[]);
        when 'privacy_requests' then delete from public.privacy_requests t where t.id = any(ids::uuid[]);
      end case;
      get diagnostics removed = row_count;
      total := total + removed;
      if cardinality(ids) < batch then
        complete := true;
        exit;
      end if;
    end loop;
    if not complete then
      complete := not exists (select private.purgeable_ids(period.kind, period.cutoff, 1));
    end if;
    insert into private.retention_runs (kind, cutoff, removed, complete) values (period.kind, period.cutoff, total, complete);
    summary := summary || jsonb_build_object(period.kind, total);
  end loop;
  delete from private.retention_runs r where r.ran_at < now() - interval '1 year';
  return summary;
end;
$$;
comment on function private.purge_retained_data(integer, integer) is 'The retention purge (pg_cron purge-retained-data, daily): per kind, removes rows older than the admins'' period in chunks of batch (at most chunks per kind and run), oldest first, and records the run in private.retention_runs. Returns {kind: removed}. Idempotent.';
revoke execute on function private.purge_retained_data(integer, integer) from public, anon, authenticated;
grant execute on function private.purge_retained_data(integer, integer) to service_role;

create function public.retention_overview()
returns table (kind text, days integer, cutoff timestamptz, waiting bigint, last_run_at timestamptz, last_removed integer, last_complete boolean)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (select private.is_admin()) then
    raise exception 'only admins read the retention overview' using errcode = '42501';
  end if;
  return query
  select c.kind, c.days, c.cutoff,
    (select count(*) from (select private.purgeable_ids(c.kind, c.cutoff, 100001)) w),
    r.ran_at, r.removed, r.complete
  from private.retention_cutoffs() c
  left join lateral (
    select x.ran_at, x.removed, x.complete from private.retention_runs x where x.kind = c.kind order by x.ran_at desc limit 1
  ) r on true
  order by c.kind;
end;
$$;
comment on function public.retention_overview() is 'Admins only (42501 otherwise): per kind of retained data, the period in days, the cutoff, how many rows are past it (counted up to 100 001), and the last purge run (when, how many it removed, whether it reached the end).';
revoke execute on function public.retention_overview() from public, anon;
grant execute on function public.retention_overview() to authenticated;

select cron.unschedule(j.jobid) from cron.job j
where j.jobname in ('purge-notifications', 'purge-shopify-webhook-deliveries', 'purge-retained-data');
select cron.schedule('purge-retained-data', '17 3 * * *', $$select private.purge_retained_data()$$);
