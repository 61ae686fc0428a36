-- Automation emails exactly once at SendGrid (issue 16), with the mechanism campaigns use
-- (20261208100100): each email carries its idempotency key as the custom arg `cairn_send`
-- (`flow:<message id>`); an email whose sender's lease ran out before it recorded SendGrid's
-- answer is `in_doubt` — never handed out again as such — and is settled by looking the key up in
-- SendGrid's Email Activity (found → sent, not found → queued again, unknown → asked again, after
-- a day failed and not repeated) or by any SendGrid event carrying the key. Before this, such an
-- email was handed out again after the 5-minute lease and could go twice.
--
-- Owns:
--   * flow_step_runs.outcome `in_doubt` (a send_template email whose sender stopped);
--   * public.claim_flow_emails (dropped and created again: it also returns `send_key`). Changed:
--     expired leases of queued emails first become in_doubt; only emails never handed out (or
--     queued again by a lookup) are leased. Grants as before (service role only);
--   * public.record_flow_email (dropped and created again with `from_address`): records an email
--     that is queued or in doubt (a late answer still counts) and stores the real sender's address
--     on the message (the engine wrote the placeholder automation@cairn.invalid). Service role;
--   * public.in_doubt_flow_emails / public.resolve_flow_emails: the sender's lookups (service role;
--     a message settled by a lookup gets the sender's from_address too);
--   * private.link_flow_event + trigger link_flow_event on email_events: an event carrying
--     `cairn_send` = flow:<message id> settles that email as sent.

comment on column public.flow_step_runs.outcome is 'entered; done, yes / no (condition), waited, queued (an email for the sender), in_doubt (its sender stopped before recording SendGrid''s answer: looked up, never resent blindly), sent, skipped (e.g. no consent), failed; exited: completed, goal_met, step_removed, step_failed.';
create index flow_step_runs_in_doubt_idx on public.flow_step_runs (send_claimed_until) where outcome = 'in_doubt';

drop function public.claim_flow_emails(integer, integer);
create function public.claim_flow_emails(batch_size integer default 50, lease_seconds integer default 300)
returns table (message_id uuid, step_run_id bigint, customer_id uuid, to_address text, subject text, body_text text,
  body_html text, first_name text, last_name text, template_key text, purpose public.email_purpose, send_key text)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if batch_size is null or batch_size < 1 or batch_size > 1000 or lease_seconds is null or lease_seconds < 10 or lease_seconds > 3600 then
    raise exception 'batch_size must be 1–1000 and lease_seconds 10–3600' using errcode = '22023';
  end if;
  -- A lease that ran out: its sender may have handed the email to SendGrid and died before
  -- recording the answer. Never handed out again as is: looked up (in_doubt_flow_emails).
  update public.flow_step_runs r set outcome = 'in_doubt'
  where r.outcome = 'queued' and r.message_id is not null and r.send_claimed_until < now();
  return query
  with due as (
    select r.id from public.flow_step_runs r
    where r.outcome = 'queued' and r.message_id is not null and r.send_claimed_until is null
    order by r.occurred_at
    limit batch_size
    for update skip locked
  ), leased as (
    update public.flow_step_runs r set send_claimed_until = now() + make_interval(secs => lease_seconds)
    from due where r.id = due.id
    returning r.id, r.message_id, r.customer_id, r.data
  )
  select m.id, l.id, l.customer_id, m.to_address, m.subject, m.body_text, m.body_html, cu.first_name, cu.last_name,
         t.key, coalesce(t.purpose, 'marketing'::public.email_purpose), 'flow:' || m.id::text
  from leased l
  join public.messages m on m.id = l.message_id
  join public.customers cu on cu.id = l.customer_id
  left join public.email_templates t on t.id = m.template_id;
end;
$$;
comment on function public.claim_flow_emails(integer, integer) is 'Turns queued automation emails whose lease ran out into in_doubt, then leases up to batch_size never-handed-out ones (skip locked) to a sender for lease_seconds and returns what the mail needs, with the idempotency key send_key (flow:<message id>, custom arg cairn_send). Service role only.';
revoke execute on function public.claim_flow_emails(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_flow_emails(integer, integer) to service_role;

drop function public.record_flow_email(bigint, boolean, text, text);
create function public.record_flow_email(step_run_id bigint, sent boolean, provider_message_id text default null,
  error text default null, from_address text default null)
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  run public.flow_step_runs;
begin
  select * into run from public.flow_step_runs r
  where r.id = step_run_id and r.outcome in ('queued', 'in_doubt') for update;
  if not found then
    raise exception 'no automation email % waiting to be recorded', step_run_id using errcode = 'P0002';
  end if;
  if from_address is not null and (length(from_address) > 320 or from_address !~ '^[^@\s]+@[^@\s]+$') then
    raise exception 'from_address must be an email address' using errcode = '22023';
  end if;
  if sent then
    update public.messages m set status = 'sent', sent_at = now(), provider_message_id = record_flow_email.provider_message_id,
      from_address = coalesce(record_flow_email.from_address, m.from_address)
    where m.id = run.message_id;
    update public.flow_step_runs r set outcome = 'sent', send_claimed_until = null where r.id = run.id;
  else
    update public.messages m set status = 'failed', error = left(coalesce(record_flow_email.error, 'not sent'), 2000),
      from_address = coalesce(record_flow_email.from_address, m.from_address)
    where m.id = run.message_id;
    update public.flow_step_runs r set outcome = 'failed', detail = left(coalesce(record_flow_email.error, 'not sent'), 2000),
      send_claimed_until = null
    where r.id = run.id;
  end if;
end;
$$;
comment on function public.record_flow_email(bigint, boolean, text, text, text) is 'The sender records an automation email (queued or in doubt) as sent (with the provider''s id) or failed (with the reason), on the message and on the path, and stores the address it was sent from. Service role only.';
revoke execute on function public.record_flow_email(bigint, boolean, text, text, text) from public, anon, authenticated;
grant execute on function public.record_flow_email(bigint, boolean, text, text, text) to service_role;

create function public.in_doubt_flow_emails(batch_size integer default 100, settle_seconds integer default 120)
returns table (step_run_id bigint, send_key text)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
begin
  -- Leases that ran out since the last claim are in doubt from now on (as claim_flow_emails does).
  update public.flow_step_runs r set outcome = 'in_doubt'
  where r.outcome = 'queued' and r.message_id is not null and r.send_claimed_until < now();
  return query
  select r.id, 'flow:' || r.message_id::text
  from public.flow_step_runs r
  where r.outcome = 'in_doubt' and r.send_claimed_until <= now() - make_interval(secs => greatest(coalesce(settle_seconds, 120), 0))
  order by r.send_claimed_until, r.id
  limit least(greatest(coalesce(batch_size, 100), 1), 1000);
end;
$$;
comment on function public.in_doubt_flow_emails(integer, integer) is 'Marks queued automation emails whose lease ran out as in doubt, then returns the automation emails whose sender stopped before recording the answer, once their lease ended settle_seconds ago (time for SendGrid''s activity to show them), with their idempotency key. Service role only.';

create function public.resolve_flow_emails(results jsonb, from_address text default null) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  resolved integer;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  if from_address is not null and (length(from_address) > 320 or from_address !~ '^[^@\s]+@[^@\s]+$') then
    raise exception 'from_address must be an email address' using errcode = '22023';
  end if;
  with x as (
    select distinct on (x.id) x.* from jsonb_to_recordset(results) as x (id bigint, found text, message_id text)
    where x.id is not null and x.found in ('yes', 'no', 'unknown') order by x.id
  ),
  changed as (
    update public.flow_step_runs r set
      outcome = case
        when x.found = 'yes' then 'sent'
        when x.found = 'no' then 'queued'
        when r.send_claimed_until < now() - interval '1 day' then 'failed'
        else 'in_doubt' end,
      detail = case
        when x.found = 'no' then 'not found at SendGrid after the sender stopped: sent again'
        when x.found = 'unknown' and r.send_claimed_until < now() - interval '1 day'
          then 'could not confirm whether SendGrid accepted it; not repeated'
        else r.detail end,
      -- Not found: leased again from scratch. Unknown: looked up again after another settle period.
      send_claimed_until = case
        when x.found = 'unknown' and r.send_claimed_until >= now() - interval '1 day' then now() end
    from x
    where r.id = x.id and r.outcome = 'in_doubt'
    returning r.id, r.message_id, r.outcome, x.message_id as provider_id
  ),
  messages as (
    update public.messages m set
      status = case c.outcome when 'sent' then 'sent' when 'failed' then 'failed' else m.status end,
      sent_at = case when c.outcome = 'sent' then coalesce(m.sent_at, now()) else m.sent_at end,
      provider_message_id = case when c.outcome = 'sent' then coalesce(left(c.provider_id, 300), m.provider_message_id)
                                 else m.provider_message_id end,
      error = case when c.outcome = 'failed' then 'could not confirm whether SendGrid accepted it; not repeated' else m.error end,
      from_address = coalesce(resolve_flow_emails.from_address, m.from_address)
    from changed c
    where m.id = c.message_id and c.outcome in ('sent', 'failed')
    returning m.id
  )
  select count(*) into resolved from changed;
  return resolved;
end;
$$;
comment on function public.resolve_flow_emails(jsonb, text) is 'Settles in-doubt automation emails from a lookup at SendGrid by their idempotency key ([{id: step run, found: yes|no|unknown, message_id}]): yes → sent, no → queued again, unknown → asked again later, failed ("not repeated") once a day has passed; a settled message gets the sender''s from_address. Service role only.';
revoke execute on function public.in_doubt_flow_emails(integer, integer), public.resolve_flow_emails(jsonb, text)
  from public, anon, authenticated;
grant execute on function public.in_doubt_flow_emails(integer, integer), public.resolve_flow_emails(jsonb, text) to service_role;

create function private.link_flow_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  send_key text := new.payload ->> 'cairn_send';
begin
  if send_key ~ '^flow:[0-9a-f-]{36}$' then
    -- Any event about the email proves SendGrid accepted it: a leased or in-doubt email is sent.
    with settled as (
      update public.flow_step_runs r set outcome = 'sent', send_claimed_until = null
      where r.message_id = substr(send_key, 6)::uuid and r.outcome in ('in_doubt', 'queued')
        and r.send_claimed_until is not null
      returning r.message_id
    )
    update public.messages m set status = 'sent', sent_at = coalesce(m.sent_at, new.occurred_at),
      provider_message_id = coalesce(m.provider_message_id, split_part(new.message_id, '.', 1))
    from settled s where m.id = s.message_id;
  end if;
  return new;
end;
$$;
comment on function private.link_flow_event() is 'Before an email event is stored: an event carrying cairn_send = flow:<message id> settles that automation email as sent when it was leased or in doubt.';
revoke execute on function private.link_flow_event() from public, anon, authenticated;
create trigger link_flow_event before insert on public.email_events
  for each row execute function private.link_flow_event();
