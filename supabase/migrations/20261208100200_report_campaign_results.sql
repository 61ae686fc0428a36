-- Campaign progress and results (issue 16).
--
-- Owns public.campaign_results(campaign_id): live progress (sent / deferred / failed / remaining,
-- rate over the last 5 minutes, ETA) and results from SendGrid's events (delivered, opened,
-- clicked, unsubscribed, bounced, complained — each counted once per recipient), unsubscribes
-- through the email's own one-click link (the consent ledger), revenue from orders placed within
-- the campaign's attribution window after the recipient's first click, and breakdowns per
-- language and per link. Caller's rights: recipients, events, consent and orders are read
-- through their policies, so an agent's figures are those of their own customers.

create function public.campaign_results(campaign_id uuid, now timestamptz default now()) returns jsonb
language sql stable security invoker set search_path = '' as $$
  with c as (select * from public.campaigns k where k.id = campaign_results.campaign_id),
  r as (select * from public.campaign_recipients x where x.campaign_id = campaign_results.campaign_id),
  ev as (
    select e.campaign_recipient_id as rid, e.event, e.url, e.occurred_at
    from public.email_events e
    where e.campaign_recipient_id in (select r.id from r)
  ),
  per as (
    select r.id, r.customer_id, r.language, r.state, r.sent_at,
      exists (select 1 from ev where ev.rid = r.id and ev.event = 'delivered') as delivered,
      exists (select 1 from ev where ev.rid = r.id and ev.event in ('open', 'click')) as opened,
      (select min(ev.occurred_at) from ev where ev.rid = r.id and ev.event = 'click') as first_click,
      exists (select 1 from ev where ev.rid = r.id and ev.event = 'bounce') as bounced,
      exists (select 1 from ev where ev.rid = r.id and ev.event = 'spamreport') as complained,
      exists (select 1 from ev where ev.rid = r.id and ev.event in ('unsubscribe', 'group_unsubscribe'))
        or exists (select 1 from public.consent_events ce
                   where ce.customer_id = r.customer_id and ce.channel = 'email' and ce.purpose = 'marketing'
                     and ce.status = 'withdrawn' and ce.source in ('unsubscribe_link', 'email_provider')
                     and ce.occurred_at >= r.sent_at) as unsubscribed
    from r
  ),
  attributed as (
    select distinct on (o.id) o.id, p.id as rid, o.net_total_base
    from per p
    join public.orders o on o.customer_id = p.customer_id and o.counts_as_purchase
     and o.placed_at >= p.first_click
     and o.placed_at < p.first_click + make_interval(days => (select attribution_days from c))
    where p.first_click is not null
    order by o.id, p.first_click desc
  ),
  counts as (
    select
      count(*) as recipients,
      count(*) filter (where state = 'sent') as sent,
      count(*) filter (where state = 'queued') as queued,
      count(*) filter (where state = 'deferred') as deferred,
      count(*) filter (where state in ('claimed', 'in_doubt')) as in_flight,
      count(*) filter (where state = 'failed') as failed,
      count(*) filter (where state = 'excluded') as excluded,
      count(*) filter (where state = 'cancelled') as cancelled,
      count(*) filter (where state = 'sent' and sent_at > campaign_results.now - interval '5 minutes') as sent_last_5_minutes
    from r
  )
  select jsonb_build_object(
    'status', (select status from c),
    'status_reason', (select status_reason from c),
    'started_at', (select started_at from c),
    'finished_at', (select finished_at from c),
    'attribution_days', (select attribution_days from c),
    'recipients', k.recipients, 'sent', k.sent, 'queued', k.queued, 'deferred', k.deferred,
    'in_flight', k.in_flight, 'failed', k.failed, 'excluded', k.excluded, 'cancelled', k.cancelled,
    'remaining', k.queued + k.deferred + k.in_flight,
    'rate_per_minute', round(k.sent_last_5_minutes / 5.0, 1),
    'eta_seconds', case when k.sent_last_5_minutes > 0 and (select status from c) = 'sending'
                        then ceil((k.queued + k.in_flight) / (k.sent_last_5_minutes / 300.0)) end,
    'next_send_at', (select min(r.not_before) from r where r.state in ('queued', 'deferred')),
    'delivered', (select count(*) filter (where delivered) from per),
    'opened', (select count(*) filter (where opened) from per),
    'clicked', (select count(*) filter (where first_click is not null) from per),
    'bounced', (select count(*) filter (where bounced) from per),
    'complained', (select count(*) filter (where complained) from per),
    'unsubscribed', (select count(*) filter (where unsubscribed) from per),
    'orders', (select count(*) from attributed),
    'revenue_base', (select coalesce(sum(net_total_base), 0) from attributed),
    'base_currency', (select s.base_currency from public.workspace_settings s),
    'by_language', coalesce((select jsonb_agg(jsonb_build_object(
        'language', l.language, 'sent', l.sent, 'opened', l.opened, 'clicked', l.clicked) order by l.sent desc, l.language)
      from (select coalesce(p.language, '—') as language, count(*) filter (where p.state = 'sent') as sent,
                   count(*) filter (where p.opened) as opened, count(*) filter (where p.first_click is not null) as clicked
            from per p group by 1) l), '[]'),
    'links', coalesce((select jsonb_agg(jsonb_build_object('url', x.url, 'clicks', x.clicks, 'recipients', x.recipients)
                                        order by x.clicks desc, x.url)
      from (select ev.url, count(*) as clicks, count(distinct ev.rid) as recipients
            from ev where ev.event = 'click' and ev.url is not null group by ev.url limit 50) x), '[]')
  )
  from counts k
  where exists (select 1 from c)
$$;
comment on function public.campaign_results(uuid, timestamptz) is 'A campaign''s live progress (sent, queued, deferred, in flight, failed, remaining, rate per minute over the last 5 minutes, ETA) and results (delivered, opened, clicked, bounced, complained, unsubscribed — once per recipient —, orders and revenue in the base currency within attribution_days after the first click; per language; per link). Null for a campaign the caller may not read. Caller''s rights.';
revoke execute on function public.campaign_results(uuid, timestamptz) from public, anon;
grant execute on function public.campaign_results(uuid, timestamptz) to authenticated, service_role;
