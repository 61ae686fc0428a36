-- Campaign results in Analytics (issue 16: "results also in Analytics").
--
-- Owns public.report_campaign_performance(from_day, to_day, timezone): one row per campaign with
-- emails sent in the range (the viewer's days) — sent, delivered, opened (an open or a click),
-- clicked, and the purchases placed within the campaign's own attribution window
-- (campaigns.attribution_days) after the recipient's first click, each order once per campaign,
-- with their revenue (net, base currency at the order's rate). The same definitions as
-- public.campaign_results (20261208100200), over a range of days instead of one campaign.
-- Security invoker like every report_* function (20261207172000): campaigns, recipients, events
-- and orders are read through the caller's row-level security, so an agent's report is the
-- admin's restricted to the agent's customers; private.report_range refuses bad ranges and
-- callers without a team role.

create function public.report_campaign_performance(from_day date, to_day date, timezone text default 'UTC')
returns table (campaign_id uuid, campaign text, sent bigint, delivered bigint, opened bigint, clicked bigint,
  attributed_orders bigint, attributed_revenue numeric)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
declare
  r record := private.report_range(from_day, to_day, timezone);
begin
  return query
  with sent as (
    select x.id, x.campaign_id, x.customer_id, k.attribution_days
    from public.campaign_recipients x
    join public.campaigns k on k.id = x.campaign_id
    where x.state = 'sent' and x.sent_at >= r.starts and x.sent_at < r.ends
  ),
  per as (
    select s.*,
      exists (select 1 from public.email_events e where e.campaign_recipient_id = s.id and e.event = 'delivered') as was_delivered,
      exists (select 1 from public.email_events e where e.campaign_recipient_id = s.id and e.event in ('open', 'click')) as was_opened,
      (select min(e.occurred_at) from public.email_events e where e.campaign_recipient_id = s.id and e.event = 'click') as first_click
    from sent s
  ),
  attributed as (
    select distinct on (p.campaign_id, o.id) p.campaign_id, o.id as order_id, o.net_total_base
    from per p
    join public.orders o on o.customer_id = p.customer_id and o.counts_as_purchase
      and o.placed_at >= p.first_click and o.placed_at < p.first_click + make_interval(days => p.attribution_days)
    where p.first_click is not null
    order by p.campaign_id, o.id
  )
  select p.campaign_id, min(k.name), count(*), count(*) filter (where p.was_delivered),
    count(*) filter (where p.was_opened), count(*) filter (where p.first_click is not null),
    coalesce((select count(*) from attributed a where a.campaign_id = p.campaign_id), 0),
    coalesce((select sum(a.net_total_base) from attributed a where a.campaign_id = p.campaign_id), 0)
  from per p
  join public.campaigns k on k.id = p.campaign_id
  group by p.campaign_id
  order by 3 desc, 2, 1;
end;
$$;
comment on function public.report_campaign_performance(date, date, text) is 'Campaign emails sent in the range (viewer''s days), per campaign: sent, delivered, opened (open or click), clicked (once per recipient), and purchases within the campaign''s attribution_days after the first click (each order once per campaign) with their revenue in the base currency. Caller''s rights.';
revoke execute on function public.report_campaign_performance(date, date, text) from public, anon;
grant execute on function public.report_campaign_performance(date, date, text) to authenticated, service_role;
