-- Automation flows: what happens to a customer enrols them in the active flows it triggers
-- (issue 16). The events are captured by the database itself, so every writer — the app, the
-- Shopify webhook, an import, the portal — starts the same flows.
--
-- Owns:
--   - private.enrol_in_flows(trigger, customer, entry_key, event): one enrolment per active flow
--     of that trigger whose parameters match, idempotent (unique (flow, customer, entry_key);
--     at most one active passage per customer and flow), with its "entered" row on the path;
--   - the row triggers that call it: customers (created, portal sign-up, stage changed), orders
--     (created, paid, fulfilled), segment_membership_events (entered, left), customer_tags (tag
--     added), favorites (favourite added);
--   - private.enrol_scheduled_triggers(now, batch): the two triggers that are the absence of an
--     event — inactive for N days, an alert clicked without an order within N hours — swept by
--     the engine's schedule (20261208110200), each spell / click once.
-- Each trigger costs one indexed look-up of the active flows when no flow listens.

create function private.enrol_in_flows(trigger_type text, customer uuid, entry_key text, event jsonb default '{}')
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  enrolled integer;
begin
  if customer is null then
    return 0;
  end if;
  with candidates as (
    select f.id, f.first_step
    from public.flows f
    where f.status = 'active' and f.trigger ->> 'type' = trigger_type
      and (not f.trigger ? 'to' or f.trigger ->> 'to' = event ->> 'to')
      and (not f.trigger ? 'segment_id' or f.trigger ->> 'segment_id' = event ->> 'segment_id')
      and (not f.trigger ? 'tag_id' or f.trigger ->> 'tag_id' = event ->> 'tag_id')
  ), entered as (
    insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
    select c.id, customer, entry_key, jsonb_build_object('type', trigger_type) || coalesce(event, '{}'), c.first_step
    from candidates c
    on conflict do nothing
    returning id, flow_id, customer_id, trigger_event
  ), logged as (
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
    select e.id, e.flow_id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e
    returning 1
  )
  select count(*)::integer into enrolled from logged;
  return enrolled;
end;
$$;
comment on function private.enrol_in_flows(text, uuid, text, jsonb) is 'Enrols a customer in every active flow of the trigger whose parameters (to, segment_id, tag_id) match the event, once per entry_key and never twice at the same time; logs "entered" on the path. Returns how many enrolments were made.';
revoke execute on function private.enrol_in_flows(text, uuid, text, jsonb) from public, anon, authenticated;
grant execute on function private.enrol_in_flows(text, uuid, text, jsonb) to service_role;

create function private.flows_listen(trigger_type text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.flows f where f.status = 'active' and f.trigger ->> 'type' = trigger_type)
$$;
comment on function private.flows_listen(text) is 'Whether any active flow starts on this trigger (one look-up of flows_active_trigger_idx).';

create function private.capture_customer_flow_events() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    if private.flows_listen('customer_created') then
      perform private.enrol_in_flows('customer_created', new.id, 'customer_created', '{}');
    end if;
    if new.auth_user_id is not null and private.flows_listen('portal_signup') then
      perform private.enrol_in_flows('portal_signup', new.id, 'portal_signup', '{}');
    end if;
    return null;
  end if;
  if new.auth_user_id is not null and old.auth_user_id is null and private.flows_listen('portal_signup') then
    perform private.enrol_in_flows('portal_signup', new.id, 'portal_signup', '{}');
  end if;
  if new.lifecycle_stage is distinct from old.lifecycle_stage and private.flows_listen('stage_changed') then
    perform private.enrol_in_flows('stage_changed', new.id,
      'stage_changed:' || new.lifecycle_stage || ':' || (extract(epoch from clock_timestamp()))::text,
      jsonb_build_object('from', old.lifecycle_stage, 'to', new.lifecycle_stage));
  end if;
  return null;
end;
$$;
comment on function private.capture_customer_flow_events() is 'Customer created, signed up in the portal (a portal account linked), lifecycle stage changed → private.enrol_in_flows.';
create trigger capture_flow_events after insert or update of auth_user_id, lifecycle_stage on public.customers
  for each row execute function private.capture_customer_flow_events();

create function private.capture_order_flow_events() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event jsonb := jsonb_build_object('order_id', new.id, 'order_number', new.order_number);
begin
  if new.customer_id is null then
    return null;
  end if;
  -- A webhook replay, or an order moved between customers, never enrols the same order twice.
  if tg_op = 'INSERT' or new.customer_id is distinct from old.customer_id then
    if private.flows_listen('order_created') then
      perform private.enrol_in_flows('order_created', new.customer_id, 'order_created:' || new.id, event);
    end if;
  end if;
  if new.financial_status = 'paid' and (tg_op = 'INSERT' or old.financial_status is distinct from 'paid' or new.customer_id is distinct from old.customer_id)
     and private.flows_listen('order_paid') then
    perform private.enrol_in_flows('order_paid', new.customer_id, 'order_paid:' || new.id, event);
  end if;
  if new.fulfillment_status = 'fulfilled' and (tg_op = 'INSERT' or old.fulfillment_status is distinct from 'fulfilled' or new.customer_id is distinct from old.customer_id)
     and private.flows_listen('order_fulfilled') then
    perform private.enrol_in_flows('order_fulfilled', new.customer_id, 'order_fulfilled:' || new.id, event);
  end if;
  return null;
end;
$$;
comment on function private.capture_order_flow_events() is 'Order created, paid, fulfilled → private.enrol_in_flows, keyed by the order so replays enrol once.';
create trigger capture_flow_events after insert or update of financial_status, fulfillment_status, customer_id on public.orders
  for each row execute function private.capture_order_flow_events();

create function private.capture_segment_flow_events() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  trigger_type text := case new.event when 'joined' then 'segment_entered' else 'segment_left' end;
begin
  if private.flows_listen(trigger_type) then
    perform private.enrol_in_flows(trigger_type, new.customer_id, trigger_type || ':' || new.id,
      jsonb_build_object('segment_id', new.segment_id));
  end if;
  return null;
end;
$$;
comment on function private.capture_segment_flow_events() is 'A customer joined or left a segment (segment_membership_events, written at each refresh) → private.enrol_in_flows.';
create trigger capture_flow_events after insert on public.segment_membership_events
  for each row execute function private.capture_segment_flow_events();

create function private.capture_tag_flow_events() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if private.flows_listen('tag_added') then
    perform private.enrol_in_flows('tag_added', new.customer_id,
      'tag_added:' || new.tag_id || ':' || (extract(epoch from new.created_at))::text,
      jsonb_build_object('tag_id', new.tag_id));
  end if;
  return null;
end;
$$;
comment on function private.capture_tag_flow_events() is 'A tag added to a customer → private.enrol_in_flows.';
create trigger capture_flow_events after insert on public.customer_tags
  for each row execute function private.capture_tag_flow_events();

create function private.capture_favorite_flow_events() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if private.flows_listen('favourite_added') then
    perform private.enrol_in_flows('favourite_added', new.customer_id, 'favourite_added:' || new.id,
      jsonb_build_object('variant_id', new.variant_id));
  end if;
  return null;
end;
$$;
comment on function private.capture_favorite_flow_events() is 'A favourite added (portal, storefront, staff) → private.enrol_in_flows.';
create trigger capture_flow_events after insert on public.favorites
  for each row execute function private.capture_favorite_flow_events();

create function private.enrol_scheduled_triggers(now timestamptz default now(), batch_size integer default 1000)
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  f record;
  total integer := 0;
  n integer;
begin
  for f in select fl.id, fl.trigger, fl.first_step from public.flows fl
           where fl.status = 'active' and fl.trigger ->> 'type' in ('inactive_days', 'alert_clicked_no_order') loop
    if f.trigger ->> 'type' = 'inactive_days' then
      -- One passage per spell of inactivity: the key is the last order (or the sign-up).
      with due as (
        select c.id as customer_id, 'inactive_days:' || coalesce(c.last_order_at, c.created_at)::text as entry_key,
               coalesce(c.last_order_at, c.created_at) as since
        from public.customers c
        where coalesce(c.last_order_at, c.created_at) <= now - make_interval(days => (f.trigger ->> 'days')::integer)
          and not exists (select 1 from public.flow_enrolments e
                          where e.flow_id = f.id and e.customer_id = c.id
                            and (e.state = 'active' or e.entry_key = 'inactive_days:' || coalesce(c.last_order_at, c.created_at)::text))
        limit batch_size
      ), entered as (
        insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
        select f.id, d.customer_id, d.entry_key, jsonb_build_object('type', 'inactive_days', 'since', d.since), f.first_step
        from due d
        on conflict do nothing
        returning id, customer_id, trigger_event
      ), logged as (
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
        select e.id, f.id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e
        returning 1
      )
      select count(*)::integer into n from logged;
    else
      -- A click on an alert, with no order placed since, once the grace period has passed.
      with due as (
        select distinct on (a.customer_id) a.customer_id, 'alert_clicked_no_order:' || a.id as entry_key, a.id as alert_id
        from public.alert_log a
        where a.clicked_at is not null
          and a.clicked_at <= now - make_interval(hours => coalesce((f.trigger ->> 'hours')::integer, 24))
          and a.clicked_at > now - interval '30 days'
          and not exists (select 1 from public.orders o where o.customer_id = a.customer_id and o.placed_at >= a.clicked_at)
          and not exists (select 1 from public.flow_enrolments e
                          where e.flow_id = f.id and e.customer_id = a.customer_id
                            and (e.state = 'active' or e.entry_key = 'alert_clicked_no_order:' || a.id))
        order by a.customer_id, a.clicked_at desc
        limit batch_size
      ), entered as (
        insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
        select f.id, d.customer_id, d.entry_key, jsonb_build_object('type', 'alert_clicked_no_order', 'alert_id', d.alert_id), f.first_step
        from due d
        on conflict do nothing
        returning id, customer_id, trigger_event
      ), logged as (
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
        select e.id, f.id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e
        returning 1
      )
      select count(*)::integer into n from logged;
    end if;
    total := total + n;
  end loop;
  return total;
end;
$$;
comment on function private.enrol_scheduled_triggers(timestamptz, integer) is 'Enrols, per active flow, up to batch_size customers inactive for the flow''s N days (once per spell: keyed by the last order or sign-up) or who clicked an alert N hours ago without ordering since (once per click). Run by the engine''s schedule.';
revoke execute on function private.enrol_scheduled_triggers(timestamptz, integer) from public, anon, authenticated;
grant execute on function private.enrol_scheduled_triggers(timestamptz, integer) to service_role;
