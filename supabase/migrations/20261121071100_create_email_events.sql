-- Email events, unsubscribes and revenue from alerts
--
-- Owns: the SendGrid event log (`email_events`, one row per sg_event_id: SendGrid delivers at
-- least once), `record_email_events()` which the sendgrid-events function calls with a verified
-- batch (delivered / open / click / bounce / spamreport / unsubscribe … update the alert's
-- opened_at / clicked_at, the message's status, the suppression list and the consent ledger in
-- one transaction), `record_unsubscribe()` for the one-click unsubscribe link, and "revenue from
-- alerts": orders a shopper placed within 7 days after clicking an alert email.
--
-- Access: staff read the events of the customers they may see; only the service role writes
-- (through the functions below). The revenue view and function run with the caller's rights,
-- so an agent sees the revenue of their own customers.

create table public.email_events (
  id bigint generated always as identity primary key,
  sg_event_id text not null constraint email_events_sg_event_id_key unique
    constraint email_events_sg_event_id_length check (length(sg_event_id) between 1 and 200),
  event text not null constraint email_events_event_length check (length(event) between 1 and 50),
  email text not null constraint email_events_email_length check (length(email) <= 320),
  occurred_at timestamptz not null,
  message_id text constraint email_events_message_id_length check (length(message_id) <= 300),
  alert_id bigint references public.alert_log (id) on delete set null,
  customer_id uuid references public.customers (id) on delete cascade,
  url text constraint email_events_url_length check (length(url) <= 4000),
  reason text constraint email_events_reason_length check (length(reason) <= 2000),
  payload jsonb not null constraint email_events_payload_is_an_object check (jsonb_typeof(payload) = 'object'),
  received_at timestamptz not null default now()
);
comment on table public.email_events is 'SendGrid Event Webhook events (delivered, open, click, bounce, spamreport, unsubscribe…), once each (sg_event_id is unique). alert_id comes from the email''s custom_args, else from the message id.';
create index email_events_alert_idx on public.email_events (alert_id, event) where alert_id is not null;
create index email_events_customer_idx on public.email_events (customer_id, occurred_at desc) where customer_id is not null;
create index email_events_message_idx on public.email_events (message_id) where message_id is not null;

alter table public.email_events enable row level security;
create policy "staff read email events of customers they may see" on public.email_events for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
revoke all on public.email_events from anon;
revoke insert, update, delete, truncate on public.email_events from authenticated;
-- The events are themselves a log: no audit trigger.

-- ─── Recording a verified batch ──────────────────────────────────────────────────────────────

create function public.record_email_events(events jsonb)
returns table (received integer, recorded integer)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if events is null or jsonb_typeof(events) <> 'array' then
    raise exception 'events must be a JSON array' using errcode = '22023';
  end if;
  return query
  with input as (
    select e.*
    from jsonb_to_recordset(events) as e (
      sg_event_id text, event text, email text, occurred_at timestamptz, message_id text, alert_id bigint,
      url text, reason text, suppress boolean, payload jsonb
    )
  ),
  resolved as (
    select distinct on (i.sg_event_id) i.*,
      coalesce(by_id.id, by_message.id) as matched_alert_id,
      coalesce(by_id.customer_id, by_message.customer_id, message.customer_id, by_email.id) as matched_customer_id,
      message.id as matched_message_id
    from input i
    left join public.alert_log by_id on by_id.id = i.alert_id
    left join lateral (select a.id, a.customer_id from public.alert_log a
                       where i.alert_id is null and a.message_id = i.message_id limit 1) by_message on true
    left join lateral (select m.id, m.customer_id from public.messages m where m.provider_message_id = i.message_id limit 1) message on true
    left join lateral (select c.id from public.customers c where lower(c.email) = lower(i.email) limit 1) by_email on true
    order by i.sg_event_id
  ),
  inserted as (
    insert into public.email_events (sg_event_id, event, email, occurred_at, message_id, alert_id, customer_id, url, reason, payload)
    select r.sg_event_id, r.event, r.email, r.occurred_at, r.message_id, r.matched_alert_id, r.matched_customer_id,
           left(r.url, 4000), left(r.reason, 2000), r.payload
    from resolved r
    on conflict (sg_event_id) do nothing
    returning sg_event_id
  ),
  fresh as (
    -- Only events seen for the first time act (a redelivered batch changes nothing).
    select r.* from resolved r join inserted using (sg_event_id)
  ),
  alert_updates as (
    update public.alert_log a set
      opened_at = least(a.opened_at, x.opened),
      clicked_at = least(a.clicked_at, x.clicked)
    from (
      select f.matched_alert_id as id,
             min(f.occurred_at) filter (where f.event in ('open', 'click')) as opened,
             min(f.occurred_at) filter (where f.event = 'click') as clicked
      from fresh f where f.matched_alert_id is not null and f.event in ('open', 'click')
      group by f.matched_alert_id
    ) x
    where a.id = x.id
    returning a.id
  ),
  message_updates as (
    update public.messages m set status = x.status
    from (
      select distinct on (f.matched_message_id) f.matched_message_id as id,
        (case f.event when 'delivered' then 'delivered' when 'open' then 'opened' when 'click' then 'clicked'
                      when 'bounce' then 'bounced' when 'dropped' then 'failed' end)::public.message_status as status,
        case f.event when 'delivered' then 2 when 'open' then 3 when 'click' then 4 else 9 end as rank
      from fresh f
      where f.matched_message_id is not null and f.event in ('delivered', 'open', 'click', 'bounce', 'dropped')
      order by f.matched_message_id, case f.event when 'delivered' then 2 when 'open' then 3 when 'click' then 4 else 9 end desc
    ) x
    -- Statuses only move forward (events arrive out of order); bounced / failed are final.
    where m.id = x.id and m.status not in ('bounced', 'failed')
      and x.rank > case m.status when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'opened' then 3 when 'clicked' then 4 else 9 end
    returning m.id
  ),
  suppressed as (
    insert into public.email_suppressions (email, reason, source_event_id)
    select distinct on (lower(f.email)) lower(f.email), f.event, f.sg_event_id
    from fresh f
    where f.suppress and f.event in ('bounce', 'spamreport', 'unsubscribe', 'group_unsubscribe')
    order by lower(f.email), f.occurred_at
    on conflict (email) do nothing
    returning email
  ),
  withdrawn as (
    -- A spam report or an unsubscribe at SendGrid is the shopper saying stop: every email consent
    -- they had granted is withdrawn, with the event as evidence.
    insert into public.consent_events (customer_id, channel, purpose, status, source, actor_id, occurred_at, evidence)
    select f.matched_customer_id, 'email', cc.purpose, 'withdrawn', 'email_provider', null, least(f.occurred_at, now()),
           jsonb_build_object('sendgrid_event', f.event, 'sg_event_id', f.sg_event_id)
    from fresh f
    join public.customer_consents cc on cc.customer_id = f.matched_customer_id and cc.channel = 'email' and cc.granted
    where f.event in ('spamreport', 'unsubscribe') and f.matched_customer_id is not null
    returning id
  )
  -- The updating CTEs above run to completion whether or not this select reads them.
  select (select count(*) from input)::integer, (select count(*) from inserted)::integer;
end;
$$;
comment on function public.record_email_events(jsonb) is 'Records a verified SendGrid event batch once per sg_event_id: alert opened_at / clicked_at, message status, suppression of bounced / spam-reporting addresses, consent withdrawn on spam reports and unsubscribes. Service role only (the sendgrid-events function).';

-- ─── One-click unsubscribe ───────────────────────────────────────────────────────────────────

create function public.record_unsubscribe(customer_id uuid, channel public.consent_channel, purpose public.consent_purpose, evidence jsonb default '{}')
returns boolean
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_variable
begin
  if evidence is null or jsonb_typeof(evidence) <> 'object' then
    raise exception 'evidence must be a JSON object' using errcode = '22023';
  end if;
  if not exists (select 1 from public.customers c where c.id = record_unsubscribe.customer_id) then
    raise exception 'no such customer' using errcode = 'P0002';
  end if;
  -- Mail providers may POST the one-click URL more than once, concurrently: one event only.
  perform pg_advisory_xact_lock(hashtext('cairn.unsubscribe:' || record_unsubscribe.customer_id::text));
  if exists (
    select 1 from public.customer_consents cc
    where cc.customer_id = record_unsubscribe.customer_id and cc.channel = record_unsubscribe.channel
      and cc.purpose = record_unsubscribe.purpose and cc.status = 'withdrawn'
  ) then
    return false;
  end if;
  insert into public.consent_events (customer_id, channel, purpose, status, source, actor_id, evidence)
  values (record_unsubscribe.customer_id, record_unsubscribe.channel, record_unsubscribe.purpose, 'withdrawn', 'unsubscribe_link', null, evidence);
  return true;
end;
$$;
comment on function public.record_unsubscribe(uuid, public.consent_channel, public.consent_purpose, jsonb) is 'Records that a customer withdrew consent through an unsubscribe link (source unsubscribe_link); true when recorded, false when it was already withdrawn (idempotent). Service role only (the unsubscribe function, after verifying the signed token).';

-- ─── Revenue from alerts ─────────────────────────────────────────────────────────────────────

create view public.alert_attributed_orders with (security_invoker = on) as
select distinct on (o.id)
  o.id as order_id, al.id as alert_id, o.customer_id, al.kind, al.clicked_at, o.placed_at, o.currency, o.total,
  o.net_total_base as revenue_base
from public.orders o
join public.alert_log al
  on al.customer_id = o.customer_id and al.clicked_at is not null
 and o.placed_at >= al.clicked_at and o.placed_at < al.clicked_at + interval '7 days'
where o.counts_as_purchase
order by o.id, al.clicked_at desc;
comment on view public.alert_attributed_orders is 'Orders placed within 7 days after the customer clicked an alert email, each attributed to the latest such click (so no order counts twice). revenue_base is net of refunds, in the base currency.';

create function public.alert_revenue(start_at timestamptz, end_at timestamptz)
returns table (alerts_sent bigint, opened bigint, clicked bigint, click_through_rate numeric, orders bigint, revenue_base numeric, base_currency text)
language sql stable security invoker set search_path = '' as $$
  select
    (select count(*) from public.alert_log a where a.state = 'sent' and a.sent_at >= start_at and a.sent_at < end_at),
    (select count(*) from public.alert_log a where a.state = 'sent' and a.sent_at >= start_at and a.sent_at < end_at and a.opened_at is not null),
    (select count(*) from public.alert_log a where a.state = 'sent' and a.sent_at >= start_at and a.sent_at < end_at and a.clicked_at is not null),
    (select round(count(*) filter (where a.clicked_at is not null)::numeric / nullif(count(*), 0), 4)
       from public.alert_log a where a.state = 'sent' and a.sent_at >= start_at and a.sent_at < end_at),
    (select count(*) from public.alert_attributed_orders r where r.placed_at >= start_at and r.placed_at < end_at),
    (select coalesce(sum(r.revenue_base), 0) from public.alert_attributed_orders r where r.placed_at >= start_at and r.placed_at < end_at),
    (select s.base_currency from public.workspace_settings s)
$$;
comment on function public.alert_revenue(timestamptz, timestamptz) is 'Alert performance over [start_at, end_at): alerts sent, opened, clicked, click-through rate, and orders and revenue (base currency, net of refunds) within 7 days after a click. Runs with the caller''s rights: each sees their own customers.';

revoke all on public.alert_attributed_orders from anon;
grant select on public.alert_attributed_orders to authenticated, service_role;

-- ─── Alerts on the timeline: opened and clicked too ──────────────────────────────────────────

-- Same view as in 20261121063000_create_read_models, with the alert's opened_at / clicked_at /
-- not_before in its data.
create or replace view public.customer_timeline with (security_invoker = on) as
select a.customer_id, a.created_at as occurred_at, 'activity'::text as source, a.kind::text as kind, a.id::text as ref_id,
  a.subject as title, left(a.body, 280) as summary, a.author_id as actor_id,
  jsonb_build_object('direction', a.direction, 'due_at', a.due_at, 'completed_at', a.completed_at, 'assignee_id', a.assignee_id) as data
from public.activities a
union all
select o.customer_id, o.placed_at, 'order', 'order_placed', o.id::text,
  o.order_number, null, null,
  jsonb_build_object('total', o.total, 'currency', o.currency, 'total_base', o.total_base, 'financial_status', o.financial_status,
    'fulfillment_status', o.fulfillment_status, 'cancelled_at', o.cancelled_at)
from public.orders o
where o.customer_id is not null
union all
select m.customer_id, m.created_at, 'message', m.direction::text, m.id::text,
  m.subject, left(m.body_text, 280), m.sent_by,
  jsonb_build_object('thread_id', m.thread_id, 'status', m.status)
from public.messages m
union all
select al.customer_id, al.created_at, 'alert', al.kind::text, al.id::text,
  null, al.reason, null,
  jsonb_build_object('state', al.state, 'variant_id', al.variant_id, 'old_price', al.old_price, 'new_price', al.new_price,
    'currency', al.currency, 'sent_at', al.sent_at, 'opened_at', al.opened_at, 'clicked_at', al.clicked_at,
    'not_before', case when al.state = 'deferred' then al.not_before end)
from public.alert_log al
union all
select ce.customer_id, ce.occurred_at, 'consent', ce.status::text, ce.id::text,
  ce.purpose::text || ' · ' || ce.channel::text, ce.note, ce.actor_id,
  jsonb_build_object('channel', ce.channel, 'purpose', ce.purpose, 'source', ce.source)
from public.consent_events ce;

-- ─── Access ──────────────────────────────────────────────────────────────────────────────────

revoke execute on function public.record_email_events(jsonb),
  public.record_unsubscribe(uuid, public.consent_channel, public.consent_purpose, jsonb)
  from public, anon, authenticated;
grant execute on function public.record_email_events(jsonb),
  public.record_unsubscribe(uuid, public.consent_channel, public.consent_purpose, jsonb)
  to service_role;
revoke execute on function public.alert_revenue(timestamptz, timestamptz) from public, anon;
grant execute on function public.alert_revenue(timestamptz, timestamptz) to authenticated, service_role;
