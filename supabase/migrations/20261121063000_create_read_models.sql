-- Read models
--
-- Owns: the views and functions the CRM screens read — the customer list row, the customer
-- timeline (activities, orders, messages, alerts and consent changes in one feed), the
-- dashboard KPIs and revenue series in the viewer's time zone — plus the new-order
-- notification for a customer's owner and the realtime publication of customers.
--
-- Every view is `security_invoker`, every function `security invoker`: they read through the
-- caller's row-level security, so an agent's dashboard counts only the agent's customers.

-- ─── Customer list ───────────────────────────────────────────────────────────────────────────

create view public.customer_list with (security_invoker = on) as
select
  c.id,
  c.full_name,
  c.first_name,
  c.last_name,
  c.email,
  lower(c.email) as email_lower,
  c.phone,
  c.company,
  c.country,
  c.region,
  c.city,
  c.language,
  c.currency,
  c.timezone,
  c.status,
  c.lifecycle_stage,
  c.owner_id,
  owner.full_name as owner_name,
  c.lifetime_value,
  c.order_count,
  c.average_order_value,
  c.first_order_at,
  c.last_order_at,
  c.style_interests,
  c.custom_fields,
  c.source,
  c.created_at,
  c.updated_at,
  coalesce((
    select array_agg(t.name order by t.name)
    from public.customer_tags ct join public.tags t on t.id = ct.tag_id
    where ct.customer_id = c.id
  ), '{}') as tag_names,
  coalesce((select array_agg(ct.tag_id) from public.customer_tags ct where ct.customer_id = c.id), '{}') as tag_ids
from public.customers c
left join public.team_members owner on owner.user_id = c.owner_id;
comment on view public.customer_list is 'One row per customer for list screens: profile, metrics in the base currency, owner name and tag names. Sort by lifetime_value/created_at with id as the keyset tie-breaker. For text search use search_customers().';

-- ─── Customer search ─────────────────────────────────────────────────────────────────────────

create function public.search_customers(query text, result_limit integer default 20)
returns setof public.customer_list
language plpgsql stable security definer set search_path = '' as $$
declare
  needle text := btrim(query);
  -- Email prefix as a range on the text_pattern_ops index; works with a cached (generic) plan.
  prefix text := lower(btrim(query));
  prefix_end text := lower(btrim(query)) || chr(1114111);
  -- Name fragment for the trigram index, with the user's % and _ taken literally.
  fragment text := '%' || replace(replace(replace(btrim(query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  -- Why security definer: under row-level security Postgres may not use an index for LIKE or
  -- trigram conditions (they are not leakproof), so a search through the policies scans every
  -- customer. This function applies the customers' select rule itself — the same predicate as
  -- the policies, kept in step by the role-matrix tests — and lets the planner use the indexes.
  if needle is null or length(needle) < 2 then
    raise exception 'search needs at least 2 characters' using errcode = '22023';
  end if;
  if result_limit is null or result_limit not between 1 and 100 then
    raise exception 'result_limit must be between 1 and 100' using errcode = '22023';
  end if;
  return query
  select l.*
  from public.customers c
  join public.customer_list l on l.id = c.id
  where (
      (select private.sees_all_customers())
      or (select auth.role()) = 'service_role'
      or ((select private.is_agent()) and c.owner_id = (select auth.uid()))
    )
    and (
      (lower(c.email) ~>=~ prefix and lower(c.email) ~<~ prefix_end)
      or (coalesce(c.full_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' || coalesce(c.company, ''))
         ilike fragment
    )
  order by (lower(c.email) ~>=~ prefix and lower(c.email) ~<~ prefix_end) desc, c.lifetime_value desc, c.id
  limit result_limit;
end;
$$;
comment on function public.search_customers(text, integer) is 'Customers whose email starts with, or whose name, email, phone or company contains, the query (at least 2 characters); only those the caller may see; email-prefix matches first, then by lifetime value.';
revoke execute on function public.search_customers(text, integer) from public, anon;
grant execute on function public.search_customers(text, integer) to authenticated, service_role;

-- ─── Customer timeline ───────────────────────────────────────────────────────────────────────

create view public.customer_timeline with (security_invoker = on) as
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
    'currency', al.currency, 'sent_at', al.sent_at)
from public.alert_log al
union all
select ce.customer_id, ce.occurred_at, 'consent', ce.status::text, ce.id::text,
  ce.purpose::text || ' · ' || ce.channel::text, ce.note, ce.actor_id,
  jsonb_build_object('channel', ce.channel, 'purpose', ce.purpose, 'source', ce.source)
from public.consent_events ce;
comment on view public.customer_timeline is 'Everything that happened to a customer, newest first when ordered by occurred_at desc: activities, orders, messages, alerts, consent changes. Keyset: (occurred_at, source, ref_id). Each source keeps its own access rules.';

-- ─── Dashboard ───────────────────────────────────────────────────────────────────────────────

create function public.dashboard_kpis(timezone text default 'UTC')
returns table (
  base_currency text,
  customers bigint,
  new_customers_this_month bigint,
  new_customers_last_month bigint,
  orders_this_month bigint,
  orders_last_month bigint,
  revenue_this_month numeric,
  revenue_last_month numeric,
  average_order_value_this_month numeric
)
language plpgsql stable security invoker set search_path = '' as $$
declare
  this_month timestamptz;
  last_month timestamptz;
begin
  if not private.is_time_zone(timezone) then
    raise exception 'unknown time zone "%"', timezone using errcode = '22023', hint = 'Use an IANA name such as Europe/Madrid.';
  end if;
  -- Month boundaries as the viewer sees them, turned back into instants.
  this_month := date_trunc('month', now() at time zone timezone) at time zone timezone;
  last_month := (date_trunc('month', now() at time zone timezone) - interval '1 month') at time zone timezone;
  return query
  with purchases as (
    select o.placed_at, o.net_total_base
    from public.orders o
    where o.counts_as_purchase and o.placed_at >= last_month
  )
  select
    (select ws.base_currency from public.workspace_settings ws),
    (select count(*) from public.customers),
    (select count(*) from public.customers c where c.created_at >= this_month),
    (select count(*) from public.customers c where c.created_at >= last_month and c.created_at < this_month),
    (select count(*) from purchases p where p.placed_at >= this_month),
    (select count(*) from purchases p where p.placed_at < this_month),
    (select coalesce(sum(p.net_total_base), 0) from purchases p where p.placed_at >= this_month),
    (select coalesce(sum(p.net_total_base), 0) from purchases p where p.placed_at < this_month),
    (select coalesce(round(avg(p.net_total_base), 2), 0) from purchases p where p.placed_at >= this_month);
end;
$$;
comment on function public.dashboard_kpis(text) is 'Dashboard cards in the base currency, months as seen in the given IANA time zone. Counts only what the caller may see.';

create function public.revenue_by_day(from_date date, to_date date, timezone text default 'UTC')
returns table (day date, revenue numeric, orders bigint)
language plpgsql stable security invoker set search_path = '' as $$
begin
  if not private.is_time_zone(timezone) then
    raise exception 'unknown time zone "%"', timezone using errcode = '22023', hint = 'Use an IANA name such as Europe/Madrid.';
  end if;
  if to_date < from_date or to_date - from_date > 731 then
    raise exception 'the range must run forwards and span at most two years' using errcode = '22023';
  end if;
  return query
  select d::date, coalesce(sum(o.net_total_base), 0), count(o.id)
  from generate_series(from_date, to_date, interval '1 day') d
  left join public.orders o
    on o.counts_as_purchase
   and o.placed_at >= (d::date::timestamp at time zone timezone)
   and o.placed_at < ((d::date + 1)::timestamp at time zone timezone)
  group by d
  order by d;
end;
$$;
comment on function public.revenue_by_day(date, date, text) is 'Revenue (base currency, net of refunds) and purchase count per day, days as seen in the given time zone.';

grant execute on function public.dashboard_kpis(text), public.revenue_by_day(date, date, text) to authenticated, service_role;
revoke execute on function public.dashboard_kpis(text), public.revenue_by_day(date, date, text) from anon;
grant execute on function private.is_time_zone(text) to authenticated;

-- ─── New order → the owner hears about it ────────────────────────────────────────────────────

create function private.notify_owner_of_new_order() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notifications (recipient_id, kind, title, body, link, data)
  select c.owner_id, 'new_order',
    'New order ' || coalesce(n.order_number, ''),
    coalesce(c.full_name, c.email, 'A customer') || ' placed an order of ' || n.total || ' ' || n.currency,
    '/customers/' || c.id,
    jsonb_build_object('order_id', n.id, 'customer_id', c.id, 'total', n.total, 'currency', n.currency)
  from new_orders n
  join public.customers c on c.id = n.customer_id
  join public.team_members tm on tm.user_id = c.owner_id and tm.active;
  return null;
end;
$$;
comment on function private.notify_owner_of_new_order() is 'Tells each customer''s active owner about the customer''s new orders (in-app notification).';
create trigger notify_owner_of_new_order after insert on public.orders
  referencing new table as new_orders
  for each statement execute function private.notify_owner_of_new_order();

-- ─── Realtime ────────────────────────────────────────────────────────────────────────────────

alter publication supabase_realtime add table public.customers;
