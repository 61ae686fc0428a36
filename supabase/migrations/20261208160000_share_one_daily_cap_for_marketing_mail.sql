-- One daily cap for all marketing mail (issue 16, integration of campaigns and automation).
--
-- Campaigns (20261208100000), the alert engine (20261208100300) and the flow engine
-- (20261208110200) each counted "mail this shopper got today" their own way: campaigns and
-- alerts counted alerts + campaign emails, the flow engine alerts + automation emails. Now all
-- three count alerts + campaign + automation emails, through one function, and the flow engine
-- decides marketing mail with the same rule as campaigns.
--
-- Owns:
--   * public.flow_step_runs.purpose: the template's purpose of an automation email (set when
--     the step queues it; existing rows filled from their message's template), and the partial
--     index the cap counts through;
--   * private.emails_sent_today (restated whole from 20261208100000). Changed: a third count,
--     the customer's automation emails that are not transactional (purpose marketing or alert)
--     queued, in doubt or sent on their calendar day of `at` (by the step's time, as the flow
--     engine counted them). Nothing else changed;
--   * public.claim_due_alerts (restated whole from 20261208100300). Changed: `used_today` is
--     private.emails_sent_today(customer, now, zone) instead of the inline alert and campaign
--     counts (the same alerts: this batch's are neither sent nor leased, so never in it), so
--     automation emails now count too. Nothing else changed;
--   * private.advance_enrolment (restated whole from 20261208110200). Changed, send_template
--     only: a marketing template is decided by private.marketing_mail_check (consent,
--     unsubscribed, bounced, complained, blocked, quiet hours, the shared cap — its exclusion
--     reason becomes the skipped step's detail; its deferral sets next_run_at, with the same
--     last_error texts as before); quiet hours and the cap are therefore now in the recipient's
--     zone as campaigns reckon it (private.recipient_zone: theirs, else the shop's, else UTC).
--     Alert-purpose templates keep public.email_permission and the quiet-hours check but count
--     the cap with private.emails_sent_today; transactional templates are unchanged (no cap,
--     not counted). The queued step records the template's purpose. Nothing else changed.
-- create or replace keeps each function's grants; comments are restated where they changed.

alter table public.flow_step_runs add column purpose public.email_purpose;
comment on column public.flow_step_runs.purpose is 'send_template: the template''s purpose (transactional, marketing, alert). Marketing and alert emails count toward the shared daily cap.';
update public.flow_step_runs r set purpose = t.purpose
from public.messages m join public.email_templates t on t.id = m.template_id
where r.message_id = m.id and r.step_kind = 'send_template';
create index flow_step_runs_capped_mail_idx on public.flow_step_runs (customer_id, occurred_at)
  where step_kind = 'send_template' and outcome in ('queued', 'in_doubt', 'sent') and purpose <> 'transactional';

create or replace function private.emails_sent_today(customer_id uuid, at timestamptz, zone text) returns bigint
language sql stable security definer set search_path = '' as $$
  select
    (select count(*) from public.alert_log x
      where x.customer_id = emails_sent_today.customer_id
        and ((x.state = 'sent' and x.sent_at >= private.local_day_start(at, zone))
             or (x.state in ('queued', 'deferred') and x.claimed_until > at)))
  -- Two counts, each served by its own partial index (an OR of the two would read every row).
  + (select count(*) from public.campaign_recipients r
      where r.customer_id = emails_sent_today.customer_id and r.state = 'sent'
        and r.sent_at >= private.local_day_start(at, zone))
  + (select count(*) from public.campaign_recipients r
      where r.customer_id = emails_sent_today.customer_id and r.state in ('claimed', 'in_doubt'))
  -- Automation emails (20261208160000): queued, in doubt or sent, by the step's time.
  + (select count(*) from public.flow_step_runs f
      where f.customer_id = emails_sent_today.customer_id and f.step_kind = 'send_template'
        and f.outcome in ('queued', 'in_doubt', 'sent') and f.purpose <> 'transactional'
        and f.occurred_at >= private.local_day_start(at, zone))
$$;
comment on function private.emails_sent_today(uuid, timestamptz, text) is 'Alerts, campaign emails and (non-transactional) automation emails a customer got on their calendar day of `at` (or that are being sent right now): what the one shared daily cap counts — campaigns, alerts and flows all use it.';
comment on function private.marketing_mail_check(uuid, timestamptz) is 'May this customer get marketing mail at `at`, and if not why: verdict send / defer (quiet_hours, daily_cap: until not_before) / exclude (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent). Quiet hours and the daily cap are the alert engine''s; the cap counts alerts, campaign and automation emails together (private.emails_sent_today). Used by campaigns and the flow engine. No row: no such customer.';

create or replace function public.claim_due_alerts(batch_size integer default 100, now timestamptz default now(), lease_seconds integer default 300)
returns table (
  alert_id bigint, customer_id uuid, kind public.alert_kind, email text, first_name text, last_name text, language text,
  product_title text, variant_title text, brand text, image_url text, product_url text, shop_name text,
  old_price numeric, new_price numeric, currency text, stock_quantity integer
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if batch_size is null or batch_size < 1 or batch_size > 5000 then
    raise exception 'batch_size must be between 1 and 5000' using errcode = '22023';
  end if;
  -- Claims are short and serialised, so two runs never both count the same shopper's cap as free.
  -- Sending happens outside, under a lease (claimed_until).
  perform pg_advisory_xact_lock(hashtext('cairn.claim_due_alerts'));

  return query
  with settings as (select * from public.alert_settings limit 1),
  due as (
    select a.id
    from public.alert_log a
    where a.state in ('queued', 'deferred') and a.not_before <= claim_due_alerts.now
      and (a.claimed_until is null or a.claimed_until <= claim_due_alerts.now)
    order by a.not_before, a.id
    limit batch_size
    for update skip locked
  ),
  facts as (
    select a.id, a.customer_id, a.kind, a.variant_id, a.old_price,
           cu.email, cu.first_name, cu.last_name, cu.language, cu.status as customer_status,
           coalesce(cu.timezone, sh.timezone, 'UTC') as zone,
           v.price as current_price, v.currency as current_currency, v.inventory_quantity, v.title as variant_title,
           p.title as product_title, p.vendor, p.status as product_status, coalesce(v.image_url, p.image_url) as image_url,
           case when sh.domain is not null and p.handle is not null then 'https://' || sh.domain || '/products/' || p.handle
                else p.affiliate_url end as product_url,
           sh.name as shop_name,
           coalesce(pref.quiet_hours_start, s.quiet_hours_start) as quiet_start,
           coalesce(pref.quiet_hours_end, s.quiet_hours_end) as quiet_end,
           -- The shopper's own cap may be lower than the workspace's, never higher (20261207181000).
           least(coalesce(pref.max_per_day, s.daily_cap_per_shopper), s.daily_cap_per_shopper) as cap,
           coalesce((select ev.status = 'granted' from public.consent_events ev
                     where ev.customer_id = a.customer_id and ev.channel = 'email' and ev.purpose = 'alerts'
                     order by ev.occurred_at desc, ev.id desc limit 1), false) as consented,
           case a.kind when 'back_in_stock' then s.back_in_stock_enabled and coalesce(pref.back_in_stock, true)
                       else s.price_drop_enabled and coalesce(pref.price_drop, true) end as wanted,
           a.currency as alert_currency
    from due
    join public.alert_log a on a.id = due.id
    cross join settings s
    join public.customers cu on cu.id = a.customer_id
    left join public.alert_preferences pref on pref.customer_id = a.customer_id
    left join public.product_variants v on v.id = a.variant_id
    left join public.products p on p.id = v.product_id
    left join public.shops sh on sh.id = p.shop_id
  ),
  checked as (
    select f.*,
      case
        when f.email is null then 'no email address'
        when f.customer_status = 'blocked' then 'customer is blocked'
        when not f.consented then 'no email consent for alerts'
        when not f.wanted then 'the shopper or the workspace turned this alert off'
        when exists (select 1 from public.email_suppressions x where x.email = lower(f.email)) then 'address is suppressed (bounce or spam report)'
        when f.current_price is null then 'the variant no longer exists'
        when f.product_status <> 'active' then 'the product is no longer available'
        when f.kind = 'back_in_stock' and coalesce(f.inventory_quantity, 0) <= 0 then 'out of stock again before sending'
        when f.kind = 'price_drop' and (f.current_currency is distinct from f.alert_currency
               or f.current_price > f.old_price * (1 - private.price_drop_threshold(f.customer_id, f.variant_id) / 100))
          then 'the price recovered before sending'
        when exists (select 1 from public.alert_log x
                     where x.customer_id = f.customer_id and x.variant_id = f.variant_id and x.kind = f.kind
                       and x.state in ('queued', 'deferred') and x.id < f.id)
          then 'an earlier alert for this variant is still waiting to be sent'
      end as suppressed_because,
      private.quiet_hours_end(claim_due_alerts.now, f.zone, f.quiet_start, f.quiet_end) as quiet_until
    from facts f
  ),
  ranked as (
    -- The cap counts what private.emails_sent_today counts (this batch's alerts are neither sent
    -- nor leased, so none of them is in it), then admits this batch's alerts oldest first.
    select c.*,
      -- One count for all marketing mail (20261208160000): alerts, campaign and automation emails.
      private.emails_sent_today(c.customer_id, claim_due_alerts.now, c.zone) as used_today,
      row_number() over (partition by c.customer_id, (c.suppressed_because is null and c.quiet_until is null) order by c.id) as nth
    from checked c
  ),
  decided as (
    select r.*,
      case
        when r.suppressed_because is not null then 'suppressed'
        when r.quiet_until is not null then 'deferred'
        when r.used_today + r.nth > r.cap then 'capped'
        else 'send'
      end as verdict
    from ranked r
  ),
  updated as (
    update public.alert_log a set
      state = case d.verdict when 'suppressed' then 'suppressed' when 'send' then a.state else 'deferred' end::public.alert_state,
      reason = case d.verdict
        when 'suppressed' then d.suppressed_because
        when 'deferred' then 'deferred: quiet hours (' || to_char(d.quiet_start, 'HH24:MI') || '–' || to_char(d.quiet_end, 'HH24:MI') || ' ' || d.zone || ')'
        when 'capped' then 'deferred: daily cap reached (' || d.cap || ' per day)'
        else a.reason end,
      not_before = case d.verdict
        when 'deferred' then d.quiet_until
        when 'capped' then private.local_day_start(claim_due_alerts.now, d.zone) + interval '1 day'
        else a.not_before end,
      claimed_until = case when d.verdict = 'send' then claim_due_alerts.now + make_interval(secs => lease_seconds) end,
      attempts = a.attempts + case when d.verdict = 'send' then 1 else 0 end,
      new_price = case when d.verdict = 'send' and d.kind = 'price_drop' then d.current_price else a.new_price end
    from decided d
    where a.id = d.id
    returning a.id
  )
  select d.id, d.customer_id, d.kind, d.email, d.first_name, d.last_name, d.language,
         d.product_title, d.variant_title, d.vendor, d.image_url, d.product_url, d.shop_name,
         d.old_price, d.current_price, d.current_currency, d.inventory_quantity
  from decided d
  join updated u on u.id = d.id
  where d.verdict = 'send'
  order by d.id;
end;
$$;

create or replace function private.advance_enrolment(enrolment_id uuid, now timestamptz) returns integer
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
  check_result record;
  mail_purpose public.email_purpose;
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
      if template.purpose = 'marketing' then
        -- Marketing mail: the one rule campaigns use (20261208160000) — consent, unsubscribes,
        -- bounces and complaints, quiet hours and the shared daily cap.
        select * into check_result from private.marketing_mail_check(e.customer_id, now);
        if check_result.verdict = 'defer' then
          if check_result.reason = 'quiet_hours' then
            update public.flow_enrolments en set next_run_at = check_result.not_before, last_error = 'waiting: quiet hours'
            where en.id = e.id;
          else
            select * into settings from public.alert_settings limit 1;
            select * into pref from public.alert_preferences p where p.customer_id = e.customer_id;
            cap := least(coalesce(pref.max_per_day, settings.daily_cap_per_shopper), settings.daily_cap_per_shopper);
            update public.flow_enrolments en
            set next_run_at = check_result.not_before, last_error = format('waiting: daily cap reached (%s per day)', cap)
            where en.id = e.id;
          end if;
          return ran;
        end if;
        select check_result.verdict = 'send' as allowed, check_result.reason as reason, c.email as email into permission;
      else
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
            -- The shared count (20261208160000): alerts, campaign and automation emails.
            if private.emails_sent_today(e.customer_id, now, zone) >= cap then
              update public.flow_enrolments en
              set next_run_at = private.local_day_start(now, zone) + interval '1 day', last_error = format('waiting: daily cap reached (%s per day)', cap)
              where en.id = e.id;
              return ran;
            end if;
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
          mail_purpose := template.purpose;
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
        data = engine.data, message_id = engine.message, purpose = engine.mail_purpose
      where r.enrolment_id = e.id and r.step_key = e.current_step;
      ran := ran + 1;
    end if;

    update public.flow_enrolments en
    set current_step = next_id, next_run_at = coalesce(wait_until, now), attempts = 0, last_error = null
    where en.id = e.id
    returning * into e;
    message := null;
    mail_purpose := null;
    if wait_until is not null and wait_until > now then
      return ran;
    end if;
  end loop;
  return ran;
end;
$$;
comment on function private.advance_enrolment(uuid, timestamptz) is 'Moves one passage through its steps at `now` until a wait, a deferral (quiet hours, daily cap), the goal or the end (at most 25 steps). Each step claims its row on the path first (unique (enrolment, step)), in the same transaction as its effect. Raises when a step fails; run_flows retries.';
comment on function private.advance_enrolment(uuid, timestamptz) is 'Moves one passage through its steps at `now` until a wait, a deferral (quiet hours, daily cap), the goal or the end (at most 25 steps). Marketing emails are decided by private.marketing_mail_check, the cap is the shared one (private.emails_sent_today). Each step claims its row on the path first (unique (enrolment, step)), in the same transaction as its effect. Raises when a step fails; run_flows retries.';
