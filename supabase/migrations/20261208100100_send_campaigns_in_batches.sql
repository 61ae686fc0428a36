-- Sending campaigns: bounded batches the database schedules, each recipient exactly once.
--
-- Owns:
--   * `claim_campaign_sends(batch, now, lease)`: hands out due recipients of scheduled / sending
--     campaigns under a lease (state claimed, claimed_until), re-checking each one with
--     private.marketing_mail_check at that moment (an unsubscribe or an alert sent meanwhile
--     counts), rendering its email (language fallback, the campaign's fallback variables). A
--     claim whose lease ran out (the sender died between handing the email to SendGrid and
--     recording the answer) becomes `in_doubt`: it is never handed out again as such;
--   * `in_doubt_campaign_sends()` / `resolve_campaign_sends()`: the sender looks each one up at
--     SendGrid by its custom arg `cairn_send` (campaign:customer, the idempotency key) and
--     records the answer: found → sent, not found → queued again, unknown → asked again later,
--     and after a day still unknown → failed ("not repeated"), never sent twice;
--   * SendGrid events carrying `cairn_send` (trigger on email_events) link to their recipient
--     and settle an in-doubt one as sent;
--   * `record_campaign_sends()`: sent / retry with backoff (429, 5xx, network: a 429 also holds
--     every sender back for the time SendGrid asked) / failed / a rejected API key or sender,
--     which pauses the campaign with the reason (resuming sends the rest, no duplicates);
--   * private.campaign_send_state (the throttle) and the pg_cron job `send-campaigns`, every
--     minute, calling the send-campaigns function like check-alerts.
-- All service role only.

create table private.campaign_send_state (
  id boolean primary key default true constraint campaign_send_state_one_row check (id),
  throttled_until timestamptz,
  throttle_reason text
);
comment on table private.campaign_send_state is 'One row: until when every campaign sender holds back (SendGrid answered 429), and why.';
insert into private.campaign_send_state default values;
revoke all on private.campaign_send_state from public, anon, authenticated, service_role;

-- Campaigns whose work is over: nothing queued, deferred, claimed or in doubt.
create function private.finish_campaigns(campaign_ids uuid[]) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  finished uuid;
begin
  for finished in
    select k.id from public.campaigns k
    where k.id = any(campaign_ids) and k.status in ('scheduled', 'sending')
      and not exists (select 1 from public.campaign_recipients r
                      where r.campaign_id = k.id and r.state in ('queued', 'deferred', 'claimed', 'in_doubt'))
  loop
    perform private.set_campaign_status(finished, 'done', null);
  end loop;
end;
$$;
comment on function private.finish_campaigns(uuid[]) is 'Marks done the given campaigns that have nothing left to send or settle.';
revoke execute on function private.finish_campaigns(uuid[]) from public, anon, authenticated;

create function public.claim_campaign_sends(batch_size integer default 200, now timestamptz default now(), lease_seconds integer default 120)
returns table (
  recipient_id bigint, campaign_id uuid, customer_id uuid, send_key text, email text, name text, language text,
  subject text, body_html text, body_text text, shop_name text, postal_address text
)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  throttle timestamptz;
  started uuid[];
begin
  if batch_size is null or batch_size < 1 or batch_size > 1000 then
    raise exception 'batch_size must be between 1 and 1000' using errcode = '22023';
  end if;
  if lease_seconds is null or lease_seconds < 10 or lease_seconds > 3600 then
    raise exception 'lease_seconds must be between 10 and 3600' using errcode = '22023';
  end if;
  -- One claim at a time: the daily cap counts claimed rows, so two claims must not both see it free.
  perform pg_advisory_xact_lock(hashtext('cairn.claim_campaign_sends'));

  -- A lease that ran out: its sender may have handed the email to SendGrid and died before
  -- recording it. Never handed out again as is: resolved by looking it up (in_doubt).
  update public.campaign_recipients r
  set state = 'in_doubt', reason = 'the sender stopped before recording SendGrid''s answer; checking whether it was sent',
      updated_at = claim_campaign_sends.now
  where r.state = 'claimed' and r.claimed_until <= claim_campaign_sends.now;

  select s.throttled_until into throttle from private.campaign_send_state s;
  if throttle > claim_campaign_sends.now then
    return;
  end if;

  create temporary table if not exists pg_temp.campaign_claim (
    id bigint primary key, campaign_id uuid, customer_id uuid, verdict text, reason text, until timestamptz, nth integer
  ) on commit drop;
  truncate pg_temp.campaign_claim;

  insert into pg_temp.campaign_claim (id, campaign_id, customer_id, verdict, reason, until, nth)
  select d.id, d.campaign_id, d.customer_id, k.verdict, k.reason, k.not_before,
         row_number() over (partition by d.customer_id order by d.not_before, d.id)
  from (
    select r.id, r.campaign_id, r.customer_id, r.not_before
    from public.campaign_recipients r
    join public.campaigns c on c.id = r.campaign_id and c.status in ('scheduled', 'sending')
    where r.state in ('queued', 'deferred') and r.not_before <= claim_campaign_sends.now
    order by r.not_before, r.id
    limit batch_size
    for update of r skip locked
  ) d
  cross join lateral private.marketing_mail_check(d.customer_id, claim_campaign_sends.now) k;

  -- Two campaigns reaching one customer in one batch: only the first counts as free under the cap.
  update pg_temp.campaign_claim x set verdict = 'defer', reason = 'daily_cap',
    until = private.local_day_start(claim_campaign_sends.now, r.zone) + interval '1 day'
  from public.campaign_recipients r
  where r.id = x.id and x.verdict = 'send' and x.nth > 1;

  update public.campaign_recipients r set
    state = case x.verdict when 'send' then 'claimed' when 'defer' then 'deferred' else 'excluded' end::public.campaign_recipient_state,
    reason = x.reason,
    not_before = case when x.verdict = 'defer' then x.until else r.not_before end,
    claimed_until = case when x.verdict = 'send' then claim_campaign_sends.now + make_interval(secs => lease_seconds) end,
    attempts = r.attempts + case when x.verdict = 'send' then 1 else 0 end,
    updated_at = claim_campaign_sends.now
  from pg_temp.campaign_claim x
  where r.id = x.id;

  started := array(select distinct x.campaign_id from pg_temp.campaign_claim x);
  perform set_config('cairn.campaign_transition', 'on', true);
  update public.campaigns k set status = 'sending'
  where k.id = any(started) and k.status = 'scheduled'
    and exists (select 1 from pg_temp.campaign_claim x where x.campaign_id = k.id and x.verdict = 'send');
  perform set_config('cairn.campaign_transition', 'off', true);
  perform private.finish_campaigns(started);

  return query
  with ws as (select s.postal_address, s.default_language from public.workspace_settings s),
  shop as (select coalesce((select s.name from public.shops s where s.active order by s.created_at, s.id limit 1), 'Cairn') as name),
  picked as (
    select r.id, r.campaign_id, r.customer_id, cu, c.template_id, c.variables as fallbacks,
           coalesce(r.language, private.template_language(c.template_id, coalesce(cu.language, (select default_language from ws)))) as language
    from pg_temp.campaign_claim x
    join public.campaign_recipients r on r.id = x.id
    join public.campaigns c on c.id = r.campaign_id
    join public.customers cu on cu.id = r.customer_id
    where x.verdict = 'send'
  ),
  rendered as (
    select p.*, v.subject as s_subject, v.body_html as s_html, v.body_text as s_text,
           private.campaign_variables(p.cu, p.fallbacks, (select name from shop), (select postal_address from ws)) as vars
    from picked p
    join public.email_template_variants v on v.template_id = p.template_id and v.language = p.language
  )
  select r.id, r.campaign_id, r.customer_id, r.campaign_id::text || ':' || r.customer_id::text,
         (r.cu).email, (r.cu).full_name, r.language,
         private.fill_placeholders(r.s_subject, r.vars, false),
         private.fill_placeholders(r.s_html, r.vars, true),
         private.fill_placeholders(r.s_text, r.vars, false),
         (select name from shop), (select postal_address from ws)
  from rendered r
  order by r.id;
end;
$$;
comment on function public.claim_campaign_sends(integer, timestamptz, integer) is 'Hands out up to batch_size due campaign sends under a lease, re-checking consent, suppression, quiet hours and the shared daily cap at `now` (deferring or excluding the rest), and returns each rendered email with its idempotency key (campaign:customer). Expired leases become in_doubt first; nothing is handed out while SendGrid asked to slow down. Service role only.';

create function public.record_campaign_sends(results jsonb, now timestamptz default now())
returns integer
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  recorded integer;
  touched uuid[];
  paused record;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  create temporary table if not exists pg_temp.campaign_results (
    id bigint primary key, ok boolean, message_id text, error text, retryable boolean, status integer,
    retry_after_seconds integer, not_sent boolean
  ) on commit drop;
  truncate pg_temp.campaign_results;
  insert into pg_temp.campaign_results
  select distinct on (x.id) x.id, coalesce(x.ok, false), left(x.message_id, 300), left(x.error, 900),
         coalesce(x.retryable, false), x.status, least(greatest(coalesce(x.retry_after_seconds, 0), 0), 3600),
         coalesce(x.not_sent, false) and not coalesce(x.ok, false)
  from jsonb_to_recordset(results) as x (id bigint, ok boolean, message_id text, error text, retryable boolean,
                                          status integer, retry_after_seconds integer, not_sent boolean)
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

  update public.campaign_recipients r set
    state = case
      when x.ok then 'sent'
      when x.not_sent or x.status in (401, 403) then 'queued'
      when x.retryable and r.attempts < 5 then 'queued'
      else 'failed' end::public.campaign_recipient_state,
    reason = case when x.ok then null else x.error end,
    provider_message_id = case when x.ok then x.message_id else r.provider_message_id end,
    sent_at = case when x.ok then record_campaign_sends.now end,
    attempts = case when x.not_sent or x.status in (401, 403) then greatest(r.attempts - 1, 0) else r.attempts end,
    not_before = case
      when x.ok then r.not_before
      when x.not_sent or x.status in (401, 403) then record_campaign_sends.now
      else record_campaign_sends.now + greatest(make_interval(secs => x.retry_after_seconds),
                                                 make_interval(secs => 30 * power(2, r.attempts)::integer)) end,
    claimed_until = null,
    updated_at = record_campaign_sends.now
  from pg_temp.campaign_results x
  -- A late answer for a row already in doubt still settles it: the answer is the truth.
  where r.id = x.id and r.state in ('claimed', 'in_doubt');
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
comment on function public.record_campaign_sends(jsonb, timestamptz) is 'Records SendGrid''s answers for claimed campaign sends: sent (message id), retry later with backoff (429 / 5xx / network, up to 5 attempts; a 429 holds every sender back), failed, not_sent (never handed over: its lease was ending; queued again, no attempt counted), or — for 401 / 403 — pauses the campaign with the reason and puts the send back. Service role only.';

create function public.in_doubt_campaign_sends(batch_size integer default 100, now timestamptz default now(),
                                               settle_seconds integer default 120)
returns table (recipient_id bigint, send_key text, email text, since timestamptz)
language sql stable security definer set search_path = '' as $$
  select r.id, r.campaign_id::text || ':' || r.customer_id::text, r.email, r.claimed_until
  from public.campaign_recipients r
  where r.state = 'in_doubt' and r.claimed_until <= now - make_interval(secs => settle_seconds)
  order by r.claimed_until, r.id
  limit least(greatest(batch_size, 1), 1000)
$$;
comment on function public.in_doubt_campaign_sends(integer, timestamptz, integer) is 'Sends whose sender stopped before recording the answer, once their lease ended settle_seconds ago (time for SendGrid''s activity to show them). Service role only.';

create function public.resolve_campaign_sends(results jsonb, now timestamptz default now()) returns integer
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  resolved integer;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  with x as (
    select distinct on (x.id) x.* from jsonb_to_recordset(results) as x (id bigint, found text, message_id text)
    where x.id is not null and x.found in ('yes', 'no', 'unknown') order by x.id
  ),
  changed as (
    update public.campaign_recipients r set
      state = case
        when x.found = 'yes' then 'sent'
        when x.found = 'no' then 'queued'
        when r.claimed_until < resolve_campaign_sends.now - interval '1 day' then 'failed'
        else 'in_doubt' end::public.campaign_recipient_state,
      reason = case
        when x.found = 'yes' then null
        when x.found = 'no' then 'not found at SendGrid after the sender stopped: sent again'
        when r.claimed_until < resolve_campaign_sends.now - interval '1 day'
          then 'could not confirm whether SendGrid accepted it; not repeated'
        else r.reason end,
      provider_message_id = case when x.found = 'yes' then coalesce(left(x.message_id, 300), r.provider_message_id) else r.provider_message_id end,
      sent_at = case when x.found = 'yes' then coalesce(r.sent_at, r.claimed_until, resolve_campaign_sends.now) end,
      not_before = case when x.found = 'no' then resolve_campaign_sends.now else r.not_before end,
      -- Unknown: look again after another settle period.
      claimed_until = case when x.found = 'unknown' and r.claimed_until >= resolve_campaign_sends.now - interval '1 day'
                           then resolve_campaign_sends.now else null end,
      updated_at = resolve_campaign_sends.now
    from x
    where r.id = x.id and r.state = 'in_doubt'
    returning r.campaign_id
  )
  select count(*) into resolved from changed;
  perform private.finish_campaigns(array(
    select distinct r.campaign_id from public.campaign_recipients r
    where r.id in (select (e ->> 'id')::bigint from jsonb_array_elements(results) e where (e ->> 'id') ~ '^[0-9]{1,18}$')));
  return resolved;
end;
$$;
comment on function public.resolve_campaign_sends(jsonb, timestamptz) is 'Settles in-doubt sends from a lookup at SendGrid by their idempotency key: found (yes) → sent, not found (no) → queued again, unknown → asked again later, and failed ("not repeated") once a day has passed. Service role only.';

revoke execute on function public.claim_campaign_sends(integer, timestamptz, integer),
  public.record_campaign_sends(jsonb, timestamptz),
  public.in_doubt_campaign_sends(integer, timestamptz, integer),
  public.resolve_campaign_sends(jsonb, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_campaign_sends(integer, timestamptz, integer),
  public.record_campaign_sends(jsonb, timestamptz),
  public.in_doubt_campaign_sends(integer, timestamptz, integer),
  public.resolve_campaign_sends(jsonb, timestamptz) to service_role;

-- ─── SendGrid events find their campaign recipient ───────────────────────────────────────────

alter table public.email_events add column campaign_recipient_id bigint
  references public.campaign_recipients (id) on delete set null;
comment on column public.email_events.campaign_recipient_id is 'The campaign send the event is about (custom arg cairn_send = campaign:customer, else the message id).';
create index email_events_campaign_recipient_idx on public.email_events (campaign_recipient_id, event)
  where campaign_recipient_id is not null;

create function private.link_campaign_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  send_key text := new.payload ->> 'cairn_send';
  found_id bigint;
begin
  if send_key ~ '^[0-9a-f-]{36}:[0-9a-f-]{36}$' then
    select r.id into found_id from public.campaign_recipients r
    where r.campaign_id = split_part(send_key, ':', 1)::uuid and r.customer_id = split_part(send_key, ':', 2)::uuid;
  elsif new.message_id is not null then
    select r.id into found_id from public.campaign_recipients r
    where r.provider_message_id = split_part(new.message_id, '.', 1) limit 1;
  end if;
  new.campaign_recipient_id := found_id;
  -- Any event about a send proves SendGrid accepted it: an in-doubt (or still claimed) send is sent.
  if found_id is not null then
    update public.campaign_recipients r set state = 'sent', sent_at = coalesce(r.sent_at, new.occurred_at), reason = null,
      provider_message_id = coalesce(r.provider_message_id, split_part(new.message_id, '.', 1)), claimed_until = null,
      updated_at = now()
    where r.id = found_id and r.state in ('claimed', 'in_doubt');
  end if;
  return new;
end;
$$;
comment on function private.link_campaign_event() is 'Before an email event is stored: links it to its campaign send (custom arg cairn_send, else the message id) and settles that send as sent when it was claimed or in doubt.';
revoke execute on function private.link_campaign_event() from public, anon, authenticated;
create trigger link_campaign_event before insert on public.email_events
  for each row execute function private.link_campaign_event();

-- ─── The schedule ────────────────────────────────────────────────────────────────────────────

select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'send-campaigns';
select cron.schedule(
  'send-campaigns',
  '* * * * *',
  $$select private.call_scheduled_function('send-campaigns', 'send-campaigns', '{"source":"cron"}')$$
);
