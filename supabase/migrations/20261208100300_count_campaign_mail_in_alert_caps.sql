-- The daily cap is shared the other way too (issue 16): a shopper who got a campaign email today
-- has that much less room for alerts, as a shopper who got alerts today is deferred by a campaign
-- (private.marketing_mail_check, 20261208100000).
--
-- Restates public.claim_due_alerts (20261207181000) whole with one change: `used_today` adds the
-- customer's campaign emails sent on their calendar day (or being sent now). Everything else is
-- unchanged; create or replace keeps its grants (service role only) and comment.

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
    -- The cap counts alerts sent today (the shopper's calendar day) and alerts other runs are
    -- sending right now (leased), then admits this batch's alerts oldest first.
    select c.*,
      (select count(*) from public.alert_log x
       where x.customer_id = c.customer_id and x.id not in (select id from due)
         and ((x.state = 'sent' and x.sent_at >= private.local_day_start(claim_due_alerts.now, c.zone))
              or (x.state in ('queued', 'deferred') and x.claimed_until > claim_due_alerts.now)))
      -- Campaign emails of the same day count too (20261208100300): one cap for all marketing mail.
      + (select count(*) from public.campaign_recipients cr
         where cr.customer_id = c.customer_id and cr.state = 'sent'
           and cr.sent_at >= private.local_day_start(claim_due_alerts.now, c.zone))
      + (select count(*) from public.campaign_recipients cr
         where cr.customer_id = c.customer_id and cr.state in ('claimed', 'in_doubt')) as used_today,
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
