-- The customer timeline gains each customer's path through automation flows (issue 16): every
-- row of flow_step_runs (entered, each step with its result, exited and why) as source 'flow',
-- kind = the outcome, title = the flow's name, summary = the detail (e.g. why an email was
-- skipped), data = flow, passage, step id and kind. Restated from 20261207200000 (deal events,
-- activity files and every earlier branch kept); this migration owns the view's definition from
-- here on. Still security_invoker: the path is read through its own policies (agents: their own
-- customers) and the flow's name through flows' (team members).
create or replace view public.customer_timeline with (security_invoker = on) as
select a.customer_id, a.created_at as occurred_at, 'activity'::text as source, a.kind::text as kind, a.id::text as ref_id,
  a.subject as title, left(a.body, 280) as summary, a.author_id as actor_id,
  jsonb_build_object('direction', a.direction, 'due_at', a.due_at, 'completed_at', a.completed_at, 'assignee_id', a.assignee_id,
    'attachments', a.attachments) as data
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
from public.consent_events ce
union all
select de.customer_id, de.occurred_at, 'deal', de.event, de.id::text,
  de.title, de.reason, de.actor_id,
  jsonb_build_object('deal_id', de.deal_id, 'from_stage_id', de.from_stage_id, 'to_stage_id', de.to_stage_id)
from public.deal_events de
union all
select r.customer_id, r.occurred_at, 'flow', r.outcome, r.id::text,
  f.name, r.detail, null,
  jsonb_build_object('flow_id', r.flow_id, 'enrolment_id', r.enrolment_id, 'step_key', r.step_key, 'step_kind', r.step_kind)
from public.flow_step_runs r
join public.flows f on f.id = r.flow_id;


comment on view public.customer_timeline is 'Everything that happened to a customer, newest first when ordered by occurred_at desc: activities (with their files), orders, messages, alerts, consent changes, deal events, automation flow steps. Keyset: (occurred_at, source, ref_id). Each source keeps its own access rules.';
