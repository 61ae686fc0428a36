-- The automation engine (issue 16): a resumable job in bounded chunks that the database
-- schedules, every step exactly once per passage.
--
-- Owns:
--   - public.run_flows(batch_size, now): one chunk. Sweeps the scheduled triggers
--     (private.enrol_scheduled_triggers), then takes up to batch_size due passages of active
--     flows (`for update skip locked`: two runs at once never take the same passage) and moves
--     each through its steps until a wait, a deferral or the end (at most 25 steps a passage a
--     chunk). Each step is claimed by inserting its row on the path (unique (enrolment_id,
--     step_key)) in the same transaction as its effect, so a run that dies mid-chunk rolls back
--     both and the next run does the step once. A step that fails is retried with backoff
--     (1, 4, 16 minutes), then recorded as failed for that customer (passage failed) without
--     stopping the others (each passage in its own subtransaction);
--   - private.advance_enrolment / private.flow_matches / private.flow_local_time: the steps;
--   - send_template: the conversations issue's rule (public.email_permission with the template's
--     purpose: consent for marketing, never a suppressed address), the alerts' quiet hours and
--     shared daily cap (alert_settings / alert_preferences; alerts sent today and automation
--     emails sent today count together) — a send that must wait is deferred, not skipped; the
--     message is written (public.render_template, a new thread, status queued) and handed to
--     the sender (public.claim_flow_emails, used by the send-email function's scheduled mode);
--   - public.claim_flow_emails / public.record_flow_email: the sender's side (service role);
--   - pg_cron jobs run-automation-flows (every minute: one chunk) and send-automation-emails
--     (every minute, a call to send-email when automation emails wait).
-- ADR 0006 records why a table queue with skip locked rather than pgmq.

alter table public.flow_step_runs add column message_id uuid references public.messages (id) on delete set null;
alter table public.flow_step_runs add column send_claimed_until timestamptz;
create index flow_step_runs_unsent_idx on public.flow_step_runs (occurred_at) where outcome = 'queued';
comment on column public.flow_step_runs.message_id is 'send_template: the message written for the customer (queued until the sender sends it).';
comment on column public.flow_step_runs.send_claimed_until is 'send_template: a sender holds this email until then (lease), so two senders never send it both.';

create table private.flow_round_robin (
  flow_id uuid not null references public.flows (id) on delete cascade,
  step_key text not null,
  turns bigint not null default 0,
  primary key (flow_id, step_key)
);
comment on table private.flow_round_robin is 'How many customers each round-robin step has assigned, so the next goes to the next member.';
revoke all on private.flow_round_robin from public, anon, authenticated, service_role;

create function private.flow_matches(customer uuid, rules jsonb) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  matched boolean;
begin
  execute format('select exists (select 1 from public.customers c where c.id = $1 and (%s))', private.segment_rules_sql(rules))
    into matched using customer;
  return matched;
end;
$$;
comment on function private.flow_matches(uuid, jsonb) is 'Whether a customer matches segment rules, compiled by the segment compiler (private.segment_rules_sql), over every customer (the system''s view).';
revoke execute on function private.flow_matches(uuid, jsonb) from public, anon, authenticated;

create function private.flow_local_time(at timestamptz, zone text, local_time time) returns timestamptz
language sql stable set search_path = '' as $$
  -- The next moment at or after `at` when the clock in `zone` shows `local_time` (DST-safe: the
  -- local date and time are converted, not an interval added).
  select case when candidate > at then candidate
              else pg_catalog.timezone(zone, (pg_catalog.timezone(zone, at)::date + 1) + local_time) end
  from (select pg_catalog.timezone(zone, pg_catalog.timezone(zone, at)::date + local_time) as candidate) c
$$;
comment on function private.flow_local_time(timestamptz, text, time) is 'The next moment after `at` when the local clock in `zone` reads `local_time`.';

create function private.advance_enrolment(enrolment_id uuid, now timestamptz) returns integer
language plpgsql volatile security definer set search_path = '' as $$
<<engine>>
declare
  e public.flow_enrolments;
  f public.flows;
  c public.customers;
  entry jsonb;
  step jsonb;
  kind text;
  outcome text;
  detail text;
  data jsonb;
  next_id text;
  wait_until timestamptz;
  ran integer := 0;
  claimed integer;
  zone text;
  settings public.alert_settings;
  pref public.alert_preferences;
  quiet_until timestamptz;
  cap integer;
  used integer;
  template public.email_templates;
  permission record;
  rendered record;
  thread uuid;
  message uuid;
  member uuid;
  members jsonb;
  turn bigint;
  task uuid;
begin
  select * into e from public.flow_enrolments en where en.id = enrolment_id;
  select * into f from public.flows fl where fl.id = e.flow_id;
  loop
    exit when ran >= 25;
    select * into c from public.customers cu where cu.id = e.customer_id;

    -- The goal ends the passage before any further step.
    if f.goal is not null and (
         (f.goal ->> 'kind' = 'placed_order' and exists (
            select 1 from public.orders o where o.customer_id = e.customer_id and o.placed_at >= e.entered_at and o.cancelled_at is null))
      or (f.goal ->> 'kind' = 'rules' and private.flow_matches(e.customer_id, f.goal -> 'rules'))) then
      insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, occurred_at)
      values (e.id, e.flow_id, e.customer_id, 'exited', 'exit', 'goal_met', now) on conflict do nothing;
      update public.flow_enrolments en set state = 'exited', exit_reason = 'goal_met', finished_at = now, attempts = 0, last_error = null
      where en.id = e.id;
      return ran;
    end if;

    if e.current_step is null then
      insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, occurred_at)
      values (e.id, e.flow_id, e.customer_id, 'exited', 'exit', 'completed', now) on conflict do nothing;
      update public.flow_enrolments en set state = 'completed', exit_reason = 'completed', finished_at = now, attempts = 0, last_error = null
      where en.id = e.id;
      return ran;
    end if;

    entry := f.step_index -> e.current_step;
    if entry is null then
      -- The flow was edited and this step is gone: the passage ends rather than guessing.
      insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, occurred_at)
      values (e.id, e.flow_id, e.customer_id, 'exited', 'exit', 'step_removed', format('step "%s" no longer exists', e.current_step), now)
      on conflict do nothing;
      update public.flow_enrolments en set state = 'exited', exit_reason = 'step_removed', finished_at = now where en.id = e.id;
      return ran;
    end if;
    step := entry -> 'step';
    kind := step ->> 'kind';
    next_id := entry ->> 'next';
    outcome := 'done';
    detail := null;
    data := '{}';
    wait_until := null;
    zone := coalesce(c.timezone, 'UTC');

    -- Deferrals first: nothing is recorded, the passage is looked at again later.
    if kind = 'send_template' then
      select * into template from public.email_templates t where t.key = step ->> 'template_key';
      if not found then
        raise exception 'the email template "%" no longer exists', step ->> 'template_key';
      end if;
      select * into permission from public.email_permission(e.customer_id, template.purpose);
      if permission.allowed then
        select * into settings from public.alert_settings limit 1;
        select * into pref from public.alert_preferences p where p.customer_id = e.customer_id;
        quiet_until := private.quiet_hours_end(now, zone,
          coalesce(pref.quiet_hours_start, settings.quiet_hours_start), coalesce(pref.quiet_hours_end, settings.quiet_hours_end));
        if quiet_until is not null then
          update public.flow_enrolments en set next_run_at = quiet_until, last_error = 'waiting: quiet hours' where en.id = e.id;
          return ran;
        end if;
        if template.purpose <> 'transactional' and settings.daily_cap_per_shopper is not null then
          cap := least(coalesce(pref.max_per_day, settings.daily_cap_per_shopper), settings.daily_cap_per_shopper);
          select (select count(*) from public.alert_log a
                  where a.customer_id = e.customer_id and a.state = 'sent' and a.sent_at >= private.local_day_start(now, zone))
               + (select count(*) from public.flow_step_runs r
                  where r.customer_id = e.customer_id and r.step_kind = 'send_template' and r.outcome in ('queued', 'sent')
                    and r.occurred_at >= private.local_day_start(now, zone))
            into used;
          if used >= cap then
            update public.flow_enrolments en
            set next_run_at = private.local_day_start(now, zone) + interval '1 day', last_error = format('waiting: daily cap reached (%s per day)', cap)
            where en.id = e.id;
            return ran;
          end if;
        end if;
      end if;
    end if;

    -- Claim the step: its row on the path, in this transaction with its effect.
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, occurred_at)
    values (e.id, e.flow_id, e.customer_id, e.current_step, kind, 'running', now)
    on conflict do nothing;
    get diagnostics claimed = row_count;

    if claimed = 1 then
      case kind
      when 'wait' then
        if step ? 'until_local' then
          wait_until := private.flow_local_time(
            now + make_interval(days => coalesce((step ->> 'days')::integer, 0)), zone, (step ->> 'until_local')::time);
        else
          wait_until := now + make_interval(days => coalesce((step ->> 'days')::integer, 0),
            hours => coalesce((step ->> 'hours')::integer, 0), mins => coalesce((step ->> 'minutes')::integer, 0));
        end if;
        outcome := 'waited';
        data := jsonb_build_object('until', wait_until);
      when 'condition' then
        if private.flow_matches(e.customer_id, step -> 'rules') then
          outcome := 'yes';
          next_id := step ->> 'then_first';
        else
          outcome := 'no';
          next_id := step ->> 'else_first';
        end if;
      when 'send_template' then
        if not permission.allowed then
          outcome := 'skipped';
          detail := permission.reason;
        else
          select * into rendered from public.render_template(template.key, c.language,
            jsonb_build_object('first_name', coalesce(c.first_name, ''), 'last_name', coalesce(c.last_name, ''),
              'full_name', coalesce(c.full_name, ''), 'email', permission.email, 'company', coalesce(c.company, ''),
              'shop_name', coalesce((select s.name from public.shops s order by s.created_at limit 1), ''),
              -- The customer's latest favourite, for cross-sell emails.
              'product_name', coalesce((select p.title from public.favorites fav
                                        join public.product_variants v on v.id = fav.variant_id
                                        join public.products p on p.id = v.product_id
                                        where fav.customer_id = e.customer_id order by fav.created_at desc limit 1), ''))
            || coalesce(step -> 'variables', '{}'));
          insert into public.message_threads (customer_id, subject, created_by)
          values (e.customer_id, left(rendered.subject, 300), null) returning id into thread;
          insert into public.messages (thread_id, direction, from_address, to_address, subject, body_text, body_html, status,
            template_id, sent_by, template_version_id)
          values (thread, 'outbound', 'automation@cairn.invalid', permission.email, left(rendered.subject, 300),
            rendered.body_text, rendered.body_html, 'queued', template.id, null, null)
          returning id into message;
          outcome := 'queued';
          data := jsonb_build_object('template_key', template.key, 'thread_id', thread);
        end if;
      when 'create_task' then
        member := case when step ->> 'assignee' = 'owner' or step ->> 'assignee' is null then c.owner_id
                       else (step ->> 'assignee')::uuid end;
        insert into public.activities (customer_id, kind, subject, body, due_at, assignee_id, metadata)
        values (e.customer_id, 'task', step ->> 'subject', step ->> 'body',
          now + make_interval(days => coalesce((step ->> 'due_in_days')::integer, 0)),
          member, jsonb_build_object('flow_id', f.id, 'step', e.current_step))
        returning id into task;
        data := jsonb_build_object('activity_id', task, 'assignee_id', member);
      when 'assign_owner' then
        if coalesce((step ->> 'only_if_unassigned')::boolean, false) and c.owner_id is not null then
          outcome := 'skipped';
          detail := 'already has an owner';
        else
          if step ->> 'mode' = 'round_robin' then
            select coalesce(jsonb_agg(m.value order by m.ordinality), '[]') into members
            from jsonb_array_elements(step -> 'members') with ordinality m
            join public.team_members tm on tm.user_id = (m.value #>> '{}')::uuid and tm.active;
            if jsonb_array_length(members) = 0 then
              raise exception 'none of the round robin''s members is active';
            end if;
            insert into private.flow_round_robin as rr (flow_id, step_key, turns) values (f.id, e.current_step, 1)
            on conflict (flow_id, step_key) do update set turns = rr.turns + 1
            returning rr.turns into turn;
            member := (members ->> (((turn - 1) % jsonb_array_length(members))::integer))::uuid;
          else
            member := coalesce(
              (step -> 'map' ->> case step ->> 'mode' when 'by_country' then c.country else c.language end)::uuid,
              (step ->> 'fallback')::uuid);
          end if;
          if member is null then
            outcome := 'skipped';
            detail := 'no member for this customer';
          elsif not exists (select 1 from public.team_members tm where tm.user_id = member and tm.active) then
            raise exception 'the member chosen is no longer active';
          else
            update public.customers cu set owner_id = member where cu.id = e.customer_id;
            data := jsonb_build_object('owner_id', member);
          end if;
        end if;
      when 'add_tag' then
        insert into public.customer_tags (customer_id, tag_id, created_by)
        values (e.customer_id, (step ->> 'tag_id')::uuid, null) on conflict do nothing;
        data := jsonb_build_object('tag_id', step ->> 'tag_id');
      when 'remove_tag' then
        delete from public.customer_tags t where t.customer_id = e.customer_id and t.tag_id = (step ->> 'tag_id')::uuid;
        data := jsonb_build_object('tag_id', step ->> 'tag_id');
      when 'set_stage' then
        update public.customers cu set lifecycle_stage = step ->> 'stage' where cu.id = e.customer_id;
        data := jsonb_build_object('from', c.lifecycle_stage, 'to', step ->> 'stage');
      when 'notify' then
        member := case when step ->> 'member' = 'owner' then c.owner_id else (step ->> 'member')::uuid end;
        if member is null then
          outcome := 'skipped';
          detail := 'the customer has no owner';
        else
          perform private.notify(member, 'system', step ->> 'title', step ->> 'body', '/customers/' || e.customer_id,
            jsonb_build_object('flow_id', f.id, 'customer_id', e.customer_id));
          data := jsonb_build_object('member_id', member);
        end if;
      end case;

      update public.flow_step_runs r set outcome = engine.outcome, detail = engine.detail,
        data = engine.data, message_id = engine.message
      where r.enrolment_id = e.id and r.step_key = e.current_step;
      ran := ran + 1;
    end if;

    update public.flow_enrolments en
    set current_step = next_id, next_run_at = coalesce(wait_until, now), attempts = 0, last_error = null
    where en.id = e.id
    returning * into e;
    message := null;
    if wait_until is not null and wait_until > now then
      return ran;
    end if;
  end loop;
  return ran;
end;
$$;
comment on function private.advance_enrolment(uuid, timestamptz) is 'Moves one passage through its steps at `now` until a wait, a deferral (quiet hours, daily cap), the goal or the end (at most 25 steps). Each step claims its row on the path first (unique (enrolment, step)), in the same transaction as its effect. Raises when a step fails; run_flows retries.';
revoke execute on function private.advance_enrolment(uuid, timestamptz) from public, anon, authenticated;

create function public.run_flows(batch_size integer default 200, now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  enrolled integer;
  e record;
  passages integer := 0;
  steps integer := 0;
  failed integer := 0;
begin
  if batch_size is null or batch_size < 1 or batch_size > 5000 then
    raise exception 'batch_size must be between 1 and 5000' using errcode = '22023';
  end if;
  if now is null then
    raise exception 'now must be a time' using errcode = '22023';
  end if;
  enrolled := private.enrol_scheduled_triggers(now, batch_size);

  for e in
    select en.id, en.attempts, en.current_step, en.flow_id, en.customer_id
    from public.flow_enrolments en
    join public.flows f on f.id = en.flow_id and f.status = 'active'
    where en.state = 'active' and en.next_run_at <= now
    order by en.next_run_at
    limit batch_size
    for update of en skip locked
  loop
    passages := passages + 1;
    begin
      steps := steps + private.advance_enrolment(e.id, now);
    exception when others then
      -- The step's effect and its row on the path are rolled back together; retry with backoff,
      -- then give up on this customer only.
      if e.attempts >= 2 then
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, occurred_at)
        values (e.id, e.flow_id, e.customer_id, coalesce(e.current_step, 'exited'), 'failed', 'failed', left(sqlerrm, 2000), now)
        on conflict do nothing;
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, occurred_at)
        values (e.id, e.flow_id, e.customer_id, 'exited', 'exit', 'step_failed', left(sqlerrm, 2000), now)
        on conflict do nothing;
        update public.flow_enrolments en set state = 'failed', exit_reason = 'step_failed', finished_at = now,
          attempts = e.attempts + 1, last_error = left(sqlerrm, 2000)
        where en.id = e.id;
        failed := failed + 1;
      else
        update public.flow_enrolments en set attempts = e.attempts + 1, last_error = left(sqlerrm, 2000),
          next_run_at = now + make_interval(mins => power(4, e.attempts)::integer)
        where en.id = e.id;
      end if;
    end;
  end loop;
  return jsonb_build_object('enrolled', enrolled, 'passages', passages, 'steps', steps, 'failed', failed);
end;
$$;
comment on function public.run_flows(integer, timestamptz) is 'One chunk of the automation engine at `now`: enrols the scheduled triggers, then moves up to batch_size due passages of active flows (skip locked), each step exactly once. Failing steps retry after 1, 4 minutes, then the passage fails. Returns {enrolled, passages, steps, failed}. Service role only.';
revoke execute on function public.run_flows(integer, timestamptz) from public, anon, authenticated;
grant execute on function public.run_flows(integer, timestamptz) to service_role;

-- The sender's side: the send-email function's scheduled mode takes queued automation emails
-- under a lease, sends them and records the result.
create function public.claim_flow_emails(batch_size integer default 50, lease_seconds integer default 300)
returns table (message_id uuid, step_run_id bigint, customer_id uuid, to_address text, subject text, body_text text,
  body_html text, first_name text, last_name text, template_key text, purpose public.email_purpose)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if batch_size is null or batch_size < 1 or batch_size > 1000 or lease_seconds is null or lease_seconds < 10 or lease_seconds > 3600 then
    raise exception 'batch_size must be 1–1000 and lease_seconds 10–3600' using errcode = '22023';
  end if;
  return query
  with due as (
    select r.id from public.flow_step_runs r
    where r.outcome = 'queued' and r.message_id is not null
      and (r.send_claimed_until is null or r.send_claimed_until < now())
    order by r.occurred_at
    limit batch_size
    for update skip locked
  ), leased as (
    update public.flow_step_runs r set send_claimed_until = now() + make_interval(secs => lease_seconds)
    from due where r.id = due.id
    returning r.id, r.message_id, r.customer_id, r.data
  )
  select m.id, l.id, l.customer_id, m.to_address, m.subject, m.body_text, m.body_html, cu.first_name, cu.last_name,
         t.key, coalesce(t.purpose, 'marketing'::public.email_purpose)
  from leased l
  join public.messages m on m.id = l.message_id
  join public.customers cu on cu.id = l.customer_id
  left join public.email_templates t on t.id = m.template_id;
end;
$$;
comment on function public.claim_flow_emails(integer, integer) is 'Leases up to batch_size queued automation emails (skip locked) to a sender for lease_seconds and returns what the mail needs. Service role only.';
revoke execute on function public.claim_flow_emails(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_flow_emails(integer, integer) to service_role;

create function public.record_flow_email(step_run_id bigint, sent boolean, provider_message_id text default null, error text default null)
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  run public.flow_step_runs;
begin
  select * into run from public.flow_step_runs r where r.id = step_run_id and r.outcome = 'queued' for update;
  if not found then
    raise exception 'no automation email % waiting to be recorded', step_run_id using errcode = 'P0002';
  end if;
  if sent then
    update public.messages m set status = 'sent', sent_at = now(), provider_message_id = record_flow_email.provider_message_id
    where m.id = run.message_id;
    update public.flow_step_runs r set outcome = 'sent', send_claimed_until = null where r.id = run.id;
  else
    update public.messages m set status = 'failed', error = left(coalesce(record_flow_email.error, 'not sent'), 2000)
    where m.id = run.message_id;
    update public.flow_step_runs r set outcome = 'failed', detail = left(coalesce(record_flow_email.error, 'not sent'), 2000),
      send_claimed_until = null
    where r.id = run.id;
  end if;
end;
$$;
comment on function public.record_flow_email(bigint, boolean, text, text) is 'The sender records an automation email as sent (with the provider''s id) or failed (with the reason), on the message and on the path. Service role only.';
revoke execute on function public.record_flow_email(bigint, boolean, text, text) from public, anon, authenticated;
grant execute on function public.record_flow_email(bigint, boolean, text, text) to service_role;

select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'run-automation-flows';
select cron.schedule(
  'run-automation-flows',
  '* * * * *',
  $$select public.run_flows(500)$$
);
-- A job of its own: a missing Vault secret fails this one visibly (job_health) and never rolls
-- back the engine's chunk.
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'send-automation-emails';
select cron.schedule(
  'send-automation-emails',
  '* * * * *',
  $$select private.call_scheduled_function('send-automation-emails', 'send-email', '{"source":"automation"}')
    where exists (select 1 from public.flow_step_runs r where r.outcome = 'queued' and r.message_id is not null)$$
);
