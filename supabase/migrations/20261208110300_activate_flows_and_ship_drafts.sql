-- Turning a flow on, and the three shipped flows (issue 16).
--
-- Owns:
--   - flows.enrols_since: when a flow was switched on without enrolling the customers who already
--     matched, the scheduled triggers (inactive for N days, alert clicked without an order) only
--     enrol customers who cross the threshold from then on;
--   - public.preview_flow_activation(flow_id) → how many existing customers match the flow's
--     trigger now (the question "enrol N existing customers?");
--   - public.activate_flow(flow_id, enrol_existing) → switches the flow on and, when asked,
--     enrols those customers (entry key "existing", so asking twice enrols once). Admins and
--     managers (42501 otherwise), P0002 for an unknown flow;
--   - the shipped drafts (off, editable): welcome series, win-back, post-purchase (thank you after
--     payment; review request and cross-sell from favourites after fulfilment), with their
--     English templates (purpose marketing, the thank-you transactional) and the variable
--     offer_code.

alter table public.flows add column enrols_since timestamptz;
comment on column public.flows.enrols_since is 'Set when the flow was switched on without enrolling customers who already matched: scheduled triggers enrol only those who cross the threshold after it. Null: everyone who matches.';

-- The scheduled triggers honour enrols_since (restated whole from 20261208110100).
create or replace function private.enrol_scheduled_triggers(now timestamptz default now(), batch_size integer default 1000)
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  f record;
  total integer := 0;
  n integer;
begin
  for f in select fl.id, fl.trigger, fl.first_step, fl.enrols_since from public.flows fl
           where fl.status = 'active' and fl.trigger ->> 'type' in ('inactive_days', 'alert_clicked_no_order') loop
    if f.trigger ->> 'type' = 'inactive_days' then
      -- One passage per spell of inactivity: the key is the last order (or the sign-up).
      with due as (
        select c.id as customer_id, 'inactive_days:' || coalesce(c.last_order_at, c.created_at)::text as entry_key,
               coalesce(c.last_order_at, c.created_at) as since
        from public.customers c
        where coalesce(c.last_order_at, c.created_at) <= now - make_interval(days => (f.trigger ->> 'days')::integer)
          and (f.enrols_since is null
               or coalesce(c.last_order_at, c.created_at) + make_interval(days => (f.trigger ->> 'days')::integer) >= f.enrols_since)
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
          and (f.enrols_since is null
               or a.clicked_at + make_interval(hours => coalesce((f.trigger ->> 'hours')::integer, 24)) >= f.enrols_since)
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
comment on function private.enrol_scheduled_triggers(timestamptz, integer) is 'Enrols, per active flow, up to batch_size customers inactive for the flow''s N days (once per spell: keyed by the last order or sign-up) or who clicked an alert N hours ago without ordering since (once per click); after enrols_since only those who cross the threshold from then on. Run by the engine''s schedule.';
revoke execute on function private.enrol_scheduled_triggers(timestamptz, integer) from public, anon, authenticated;
grant execute on function private.enrol_scheduled_triggers(timestamptz, integer) to service_role;

create function private.flow_existing_customers(flow_id uuid) returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  t jsonb;
begin
  select f.trigger into t from public.flows f where f.id = flow_id;
  return query
  select c.id from public.customers c
  where case t ->> 'type'
    when 'customer_created' then true
    when 'portal_signup' then c.auth_user_id is not null
    when 'stage_changed' then c.lifecycle_stage = coalesce(t ->> 'to', c.lifecycle_stage)
    when 'order_created' then exists (select 1 from public.orders o where o.customer_id = c.id)
    when 'order_paid' then exists (select 1 from public.orders o where o.customer_id = c.id and o.financial_status = 'paid')
    when 'order_fulfilled' then exists (select 1 from public.orders o where o.customer_id = c.id and o.fulfillment_status = 'fulfilled')
    when 'segment_entered' then exists (select 1 from public.segment_memberships m
                                        where m.segment_id = (t ->> 'segment_id')::uuid and m.customer_id = c.id)
    when 'segment_left' then false
    when 'tag_added' then exists (select 1 from public.customer_tags g where g.customer_id = c.id and g.tag_id = (t ->> 'tag_id')::uuid)
    when 'favourite_added' then exists (select 1 from public.favorites v where v.customer_id = c.id)
    when 'inactive_days' then coalesce(c.last_order_at, c.created_at) <= now() - make_interval(days => (t ->> 'days')::integer)
    when 'alert_clicked_no_order' then exists (
      select 1 from public.alert_log a where a.customer_id = c.id and a.clicked_at > now() - interval '30 days'
        and not exists (select 1 from public.orders o where o.customer_id = c.id and o.placed_at >= a.clicked_at))
    else false
  end;
end;
$$;
comment on function private.flow_existing_customers(uuid) is 'The customers who already match a flow''s trigger (in a segment, holding the tag, at the stage, inactive…): whom "enrol existing customers" would enrol. segment_left: nobody (leaving is an event, not a state).';
revoke execute on function private.flow_existing_customers(uuid) from public, anon, authenticated;

create function private.flow_activation_check(flow_id uuid) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (select private.edits_all_customers()) and coalesce((select auth.role()), 'service_role') <> 'service_role' then
    raise exception 'only admins and managers switch flows on' using errcode = '42501';
  end if;
  if flow_id is null or not exists (select 1 from public.flows f where f.id = flow_id) then
    raise exception 'no such flow' using errcode = 'P0002';
  end if;
end;
$$;
comment on function private.flow_activation_check(uuid) is 'Refuses anyone but admins, managers and the system (42501) and an unknown flow (P0002).';
revoke execute on function private.flow_activation_check(uuid) from public, anon, authenticated;

create function public.preview_flow_activation(flow_id uuid) returns integer
language plpgsql stable security definer set search_path = '' as $$
begin
  perform private.flow_activation_check(flow_id);
  return (select count(*)::integer from private.flow_existing_customers(flow_id) c
          where not exists (select 1 from public.flow_enrolments e
                            where e.flow_id = preview_flow_activation.flow_id and e.customer_id = c
                              and (e.state = 'active' or e.entry_key = 'existing')));
end;
$$;
comment on function public.preview_flow_activation(uuid) is 'How many existing customers match the flow''s trigger now and would enter if it is switched on with enrol_existing (not counting those already in it). Admins and managers.';
revoke execute on function public.preview_flow_activation(uuid) from public, anon;
grant execute on function public.preview_flow_activation(uuid) to authenticated, service_role;

create function public.activate_flow(flow_id uuid, enrol_existing boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  f public.flows;
  enrolled integer := 0;
begin
  perform private.flow_activation_check(flow_id);
  if enrol_existing is null then
    raise exception 'say whether customers who already match should enter (enrol_existing true or false)' using errcode = '22023';
  end if;
  update public.flows fl
  set status = 'active',
      enrols_since = case when enrol_existing then null else coalesce(case when fl.status = 'active' then fl.enrols_since end, now()) end
  where fl.id = flow_id
  returning * into f;
  if enrol_existing then
    with entered as (
      insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
      select f.id, c, 'existing', jsonb_build_object('type', 'existing', 'trigger', f.trigger ->> 'type'), f.first_step
      from private.flow_existing_customers(f.id) c
      on conflict do nothing
      returning id, customer_id, trigger_event
    ), logged as (
      insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
      select e.id, f.id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e
      returning 1
    )
    select count(*)::integer into enrolled from logged;
  end if;
  return jsonb_build_object('status', f.status, 'enrolled', enrolled);
end;
$$;
comment on function public.activate_flow(uuid, boolean) is 'Switches a flow on. enrol_existing: the customers who already match its trigger enter now (once: entry key "existing"); false: only new events enrol (and the scheduled triggers only from now on). Admins and managers; 42501 / P0002 / 22023.';
revoke execute on function public.activate_flow(uuid, boolean) from public, anon;
grant execute on function public.activate_flow(uuid, boolean) to authenticated, service_role;

-- The shipped drafts and their templates.
insert into public.email_template_variables (name, description, example)
values ('offer_code', 'A discount code offered in a win-back email', 'COMEBACK10')
on conflict (name) do nothing;

insert into public.email_templates (key, name, category, description, purpose, created_by)
values
  ('flow_welcome_1', 'Welcome 1 — hello', 'automation', 'Welcome series, first email (day 0).', 'marketing', null),
  ('flow_welcome_2', 'Welcome 2 — our favourites', 'automation', 'Welcome series, second email (day 3).', 'marketing', null),
  ('flow_welcome_3', 'Welcome 3 — a little nudge', 'automation', 'Welcome series, third email (day 7).', 'marketing', null),
  ('flow_winback_1', 'Win-back 1 — we miss you', 'automation', 'Win-back, after 90 days without an order.', 'marketing', null),
  ('flow_winback_2', 'Win-back 2 — an offer', 'automation', 'Win-back, 14 days later, with {{offer_code}}.', 'marketing', null),
  ('flow_thank_you', 'Thank you for your order', 'automation', 'Post-purchase, after payment.', 'transactional', null),
  ('flow_review_request', 'How was it?', 'automation', 'Post-purchase, after fulfilment: a review request.', 'marketing', null),
  ('flow_cross_sell', 'Still thinking about it?', 'automation', 'Post-purchase: a favourite of theirs.', 'marketing', null)
on conflict (key) do nothing;

insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
select t.id, 'en', v.subject, v.html, v.text
from (values
  ('flow_welcome_1', 'Welcome to {{shop_name}}, {{first_name}}', '<p>Hi {{first_name}},</p><p>Welcome! We are glad you are here.</p>', 'Hi {{first_name}}, welcome! We are glad you are here.'),
  ('flow_welcome_2', 'A few favourites to start with', '<p>Hi {{first_name}},</p><p>Here is what other customers love most.</p>', 'Hi {{first_name}}, here is what other customers love most.'),
  ('flow_welcome_3', 'Anything we can help with?', '<p>Hi {{first_name}},</p><p>Questions about sizes or delivery? Just reply.</p>', 'Hi {{first_name}}, questions about sizes or delivery? Just reply.'),
  ('flow_winback_1', 'We miss you, {{first_name}}', '<p>Hi {{first_name}},</p><p>It has been a while. Here is what is new.</p>', 'Hi {{first_name}}, it has been a while. Here is what is new.'),
  ('flow_winback_2', 'A little something to come back: {{offer_code}}', '<p>Hi {{first_name}},</p><p>Use <strong>{{offer_code}}</strong> on your next order.</p>', 'Hi {{first_name}}, use {{offer_code}} on your next order.'),
  ('flow_thank_you', 'Thank you for your order, {{first_name}}', '<p>Hi {{first_name}},</p><p>Thank you for your order. We will let you know when it ships.</p>', 'Hi {{first_name}}, thank you for your order. We will let you know when it ships.'),
  ('flow_review_request', 'How do you like it?', '<p>Hi {{first_name}},</p><p>Your order arrived: tell us what you think.</p>', 'Hi {{first_name}}, your order arrived: tell us what you think.'),
  ('flow_cross_sell', '{{product_name}} is still waiting for you', '<p>Hi {{first_name}},</p><p>You saved {{product_name}}. It goes well with your last order.</p>', 'Hi {{first_name}}, you saved {{product_name}}. It goes well with your last order.')
) as v (key, subject, html, text)
join public.email_templates t on t.key = v.key
on conflict do nothing;

insert into public.flows (name, description, preset, status, trigger, goal, steps, created_by)
values
  ('Welcome series', 'Three emails over 7 days after sign-up; stops when they order.', 'welcome', 'draft',
   '{"type": "customer_created"}', '{"kind": "placed_order"}',
   '[{"id": "welcome-1", "kind": "send_template", "template_key": "flow_welcome_1"},
     {"id": "wait-3-days", "kind": "wait", "days": 3},
     {"id": "welcome-2", "kind": "send_template", "template_key": "flow_welcome_2"},
     {"id": "wait-4-days", "kind": "wait", "days": 4},
     {"id": "welcome-3", "kind": "send_template", "template_key": "flow_welcome_3"}]', null),
  ('Win-back', '90 days without an order: an email, 14 days later an offer, then stage "churned" if nothing.', 'win_back', 'draft',
   '{"type": "inactive_days", "days": 90}', '{"kind": "placed_order"}',
   '[{"id": "miss-you", "kind": "send_template", "template_key": "flow_winback_1"},
     {"id": "wait-14-days", "kind": "wait", "days": 14},
     {"id": "offer", "kind": "send_template", "template_key": "flow_winback_2", "variables": {"offer_code": "COMEBACK10"}},
     {"id": "wait-14-more", "kind": "wait", "days": 14},
     {"id": "churned", "kind": "set_stage", "stage": "churned"}]', null),
  ('Post-purchase: thank you', 'A thank-you after payment.', 'post_purchase', 'draft',
   '{"type": "order_paid"}', null,
   '[{"id": "thank-you", "kind": "send_template", "template_key": "flow_thank_you"}]', null),
  ('Post-purchase: review and cross-sell', 'After fulfilment: a review request, then a favourite of theirs a week later.', 'post_purchase', 'draft',
   '{"type": "order_fulfilled"}', null,
   '[{"id": "wait-2-days", "kind": "wait", "days": 2},
     {"id": "review", "kind": "send_template", "template_key": "flow_review_request"},
     {"id": "wait-a-week", "kind": "wait", "days": 7},
     {"id": "has-favourites", "kind": "condition",
      "rules": {"match": "all", "conditions": [{"field": "has_favourites", "op": "is", "value": true}]},
      "then": [{"id": "cross-sell", "kind": "send_template", "template_key": "flow_cross_sell"}]}]', null)
on conflict do nothing;
