-- A SendGrid outage pauses the campaign with the reason, and the campaign resumes by itself
-- (issue 16: "a provider outage or an invalid API key pauses the campaign with the reason shown
-- and resumes without duplicates").
--
-- Owns: private.campaign_outages; private.resume_campaigns_after_outage; the trigger
-- `forget_outage_resume` on campaigns; public.record_campaign_sends, restated whole (from
-- 20261209100000) with its grants; the `send-campaigns` pg_cron job, restated (it resumes the
-- campaigns whose pause is over, then wakes the sender).
--
-- Before, a 5xx answer was a retry per recipient: up to 5 attempts with backoff (about 15
-- minutes in all), then the recipient failed — an outage longer than that lost every recipient of
-- the batches it hit, and nothing said why. Now a 5xx (SendGrid, or what stands in front of it, is
-- down: it accepted none of the request) puts the request's sends back in the queue without
-- counting an attempt and pauses their campaigns with the reason and the time sending resumes: a
-- minute after the first outage, twice as long after each further one since the campaign last
-- sent, at most 30 minutes. The every-minute send-campaigns job resumes it then; a person may
-- resume earlier, or cancel. Each recipient is still sent at most once (nothing answered 5xx was
-- accepted; a request with no answer stays "in doubt" and is looked up, as before). A 401 / 403 (a
-- refused key or sender) still pauses until a person resumes: the key has to be fixed first.

create table private.campaign_outages (
  campaign_id uuid primary key references public.campaigns (id) on delete cascade,
  outages integer not null default 1 constraint campaign_outages_outages_positive check (outages > 0),
  resume_at timestamptz
);
comment on table private.campaign_outages is 'SendGrid outages a campaign ran into since it last sent an email: how many (the pause doubles with each), and when its current pause ends (null: not paused by an outage now). Written by record_campaign_sends; read by resume_campaigns_after_outage.';

-- ─── Recording SendGrid's answers ────────────────────────────────────────────────────────────

create or replace function public.record_campaign_sends(results jsonb, now timestamptz default now())
returns integer
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  recorded integer;
  touched uuid[];
  paused record;
  resumes timestamptz;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  create temporary table if not exists pg_temp.campaign_results (
    id bigint primary key, ok boolean, message_id text, error text, retryable boolean, status integer,
    retry_after_seconds integer, not_sent boolean, in_doubt boolean
  ) on commit drop;
  truncate pg_temp.campaign_results;
  insert into pg_temp.campaign_results
  select distinct on (x.id) x.id, coalesce(x.ok, false), left(x.message_id, 300), left(x.error, 900),
         coalesce(x.retryable, false), x.status, least(greatest(coalesce(x.retry_after_seconds, 0), 0), 3600),
         coalesce(x.not_sent, false) and not coalesce(x.ok, false),
         coalesce(x.in_doubt, false) and not coalesce(x.ok, false) and not coalesce(x.not_sent, false)
  from jsonb_to_recordset(results) as x (id bigint, ok boolean, message_id text, error text, retryable boolean,
                                          status integer, retry_after_seconds integer, not_sent boolean, in_doubt boolean)
  where x.id is not null
  order by x.id;

  -- A rejected key or sender (401 / 403) fails every send alike: pause the campaign, keep the row.
  for paused in
    select distinct r.campaign_id, x.status, x.error from pg_temp.campaign_results x
    join public.campaign_recipients r on r.id = x.id
    where not x.ok and x.status in (401, 403)
  loop
    if (select k.status from public.campaigns k where k.id = paused.campaign_id) in ('scheduled', 'sending') then
      perform private.set_campaign_status(paused.campaign_id, 'paused',
        left('SendGrid refused the send (HTTP ' || paused.status || '): ' || coalesce(paused.error, 'check the API key and the sender'), 500));
    end if;
  end loop;

  -- SendGrid down (5xx, 20261210150000): it accepted none of the request. Each campaign pauses with
  -- the reason and resumes by itself — 1 minute after its first outage, twice as long after each
  -- further one since it last sent, at most 30 minutes (resume_campaigns_after_outage).
  for paused in
    select distinct r.campaign_id, x.status from pg_temp.campaign_results x
    join public.campaign_recipients r on r.id = x.id
    where not x.ok and x.status >= 500
  loop
    if (select k.status from public.campaigns k where k.id = paused.campaign_id) in ('scheduled', 'sending') then
      insert into private.campaign_outages as o (campaign_id, outages, resume_at)
      values (paused.campaign_id, 1, record_campaign_sends.now + interval '1 minute')
      on conflict (campaign_id) do update set
        outages = o.outages + 1,
        resume_at = record_campaign_sends.now + least(interval '30 minutes', interval '1 minute' * power(2, o.outages))
      returning o.resume_at into resumes;
      perform private.set_campaign_status(paused.campaign_id, 'paused',
        'SendGrid is unavailable (HTTP ' || paused.status || '): sending resumes by itself at '
          || to_char(resumes at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC');
    end if;
  end loop;
  -- A campaign that sent again is over its outages: the next one waits a minute again.
  delete from private.campaign_outages o
  using pg_temp.campaign_results x join public.campaign_recipients r on r.id = x.id
  where x.ok and o.campaign_id = r.campaign_id;

  update public.campaign_recipients r set
    state = case
      when x.ok then 'sent'
      -- No answer (20261209100000): SendGrid may have it. Looked up after the settle time.
      when x.in_doubt then 'in_doubt'
      when x.not_sent or x.status in (401, 403) or x.status >= 500 then 'queued'
      when x.retryable and r.attempts < 5 then 'queued'
      else 'failed' end::public.campaign_recipient_state,
    reason = case when x.ok then null
                  when x.in_doubt then left('no answer from SendGrid (' || coalesce(x.error, 'network') || '); checking whether it was sent', 1000)
                  else x.error end,
    provider_message_id = case when x.ok then x.message_id else r.provider_message_id end,
    sent_at = case when x.ok then record_campaign_sends.now end,
    attempts = case when x.not_sent or x.status in (401, 403) or x.status >= 500 then greatest(r.attempts - 1, 0) else r.attempts end,
    not_before = case
      when x.ok or x.in_doubt then r.not_before
      when x.not_sent or x.status in (401, 403) or x.status >= 500 then record_campaign_sends.now
      else record_campaign_sends.now + greatest(make_interval(secs => x.retry_after_seconds),
                                                 make_interval(secs => 30 * power(2, r.attempts)::integer)) end,
    -- In doubt: "since" is now, so the lookup waits the settle time from here.
    claimed_until = case when x.in_doubt then record_campaign_sends.now end,
    updated_at = record_campaign_sends.now
  from pg_temp.campaign_results x
  -- A late answer for a row already in doubt still settles it: the answer is the truth.
  where r.id = x.id and r.state in ('claimed', 'in_doubt')
    -- ... but no answer never unsettles one already in doubt.
    and not (x.in_doubt and r.state = 'in_doubt');
  get diagnostics recorded = row_count;

  -- SendGrid asked every sender to slow down.
  update private.campaign_send_state s set
    throttled_until = greatest(s.throttled_until, record_campaign_sends.now + make_interval(secs => greatest(x.wait, 5))),
    throttle_reason = 'SendGrid answered 429 (too many requests)'
  from (select max(retry_after_seconds) as wait from pg_temp.campaign_results where status = 429) x
  where x.wait is not null;

  touched := array(select distinct r.campaign_id from pg_temp.campaign_results x
                   join public.campaign_recipients r on r.id = x.id);
  perform private.finish_campaigns(touched);
  return recorded;
end;
$$;
comment on function public.record_campaign_sends(jsonb, timestamptz) is 'Records SendGrid''s answers for claimed campaign sends: sent (message id), retry later with backoff (429, up to 5 attempts; a 429 holds every sender back), failed, not_sent (never handed over: its lease was ending; queued again, no attempt counted), in_doubt (no answer — a network error or timeout after the request left: looked up at SendGrid after the settle time, never resent blindly); a 401 / 403 pauses the campaign with the reason until a person resumes it, a 5xx (an outage) pauses it with the reason and the time it resumes by itself (1, 2, 4 … at most 30 minutes); both put the send back without counting an attempt. Service role only.';
revoke execute on function public.record_campaign_sends(jsonb, timestamptz) from public, anon, authenticated;
grant execute on function public.record_campaign_sends(jsonb, timestamptz) to service_role;

-- ─── Resuming after an outage ────────────────────────────────────────────────────────────────

create function private.resume_campaigns_after_outage(now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  due record;
  resumed integer := 0;
begin
  for due in
    select o.campaign_id from private.campaign_outages o
    join public.campaigns k on k.id = o.campaign_id
    where o.resume_at <= resume_campaigns_after_outage.now and k.status = 'paused'
    for update of o skip locked
  loop
    perform private.set_campaign_status(due.campaign_id,
      case when exists (select 1 from public.campaign_recipients r
                        where r.campaign_id = due.campaign_id and r.state in ('queued', 'deferred')
                          and r.not_before <= resume_campaigns_after_outage.now)
           then 'sending' else 'scheduled' end::public.campaign_status,
      null);
    resumed := resumed + 1;
  end loop;
  return resumed;
end;
$$;
comment on function private.resume_campaigns_after_outage(timestamptz) is 'Resumes the campaigns whose pause for a SendGrid outage is over (where they stopped: each recipient is still sent at most once). Returns how many. Called by the send-campaigns job each minute.';
revoke execute on function private.resume_campaigns_after_outage(timestamptz) from public, anon, authenticated;
grant execute on function private.resume_campaigns_after_outage(timestamptz) to service_role;

-- A campaign leaving its pause — resumed by the job or by a person, or cancelled — has no pending
-- resume: a later pause by a person is never undone by the job.
create function private.forget_outage_resume() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update private.campaign_outages o set resume_at = null where o.campaign_id = new.id and o.resume_at is not null;
  return null;
end;
$$;
comment on function private.forget_outage_resume() is 'Clears the outage resume time of a campaign that left its pause (resumed or cancelled).';
create trigger forget_outage_resume after update of status on public.campaigns
  for each row when (old.status = 'paused' and new.status <> 'paused')
  execute function private.forget_outage_resume();

-- ─── The job: resume what is due, then wake the sender ───────────────────────────────────────

select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'send-campaigns';
select cron.schedule(
  'send-campaigns',
  '* * * * *',
  $$select private.resume_campaigns_after_outage(); select private.call_scheduled_function('send-campaigns', 'send-campaigns', '{"source":"cron"}')$$
);
