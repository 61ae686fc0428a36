-- Orders converted with a stale exchange rate say so (issue 11, "Exchange rates").
--
-- An order's base-currency amounts use the newest rate on or before the order's day
-- (private.rate_on). When the rates stopped coming (before the ECB import, or a day it failed),
-- that rate can be weeks old and the converted amount silently wrong. public.orders_with_stale_rates
-- found such orders at read time; nothing on the order itself said so, so the screens showing base
-- amounts could not.
--
-- Owns:
--   - orders.exchange_rate_date: the day of the rate the order's base amounts were converted with
--     (the newest rate on or before the order's UTC day), null for the base currency;
--     orders.exchange_rate_stale: true when that rate is more than 3 days older than the order's
--     day, or there is none. Kept by private.prepare_order (re-created: the same, plus these two,
--     set on insert and whenever the currency, the rate or the day changes), so every writer —
--     webhooks, imports, staff — gets them.
--   - Existing orders filled once (audit and updated_at triggers off for it: nothing a person did).
--   - public.orders_with_stale_rates(since), re-created on the stored flag (same signature).
--   - An index for the stale ones (few), for reports and the dashboard.

alter table public.orders
  add column exchange_rate_date date,
  add column exchange_rate_stale boolean not null default false;
comment on column public.orders.exchange_rate_date is 'Day of the exchange rate the base amounts were converted with (newest rate on or before the order''s UTC day); null for the base currency.';
comment on column public.orders.exchange_rate_stale is 'True when the order''s rate was more than 3 days older than the order (or missing): its base amounts are approximate. Reports and screens mark it.';

create function private.rate_day_on(currency_code text, on_date date) returns date
language plpgsql stable security definer set search_path = '' as $$
begin
  if currency_code = (select private.base_currency()) then
    return null;
  end if;
  return (
    select r.rate_date from public.exchange_rates r
    where r.currency = currency_code and r.rate_date <= on_date
    order by r.rate_date desc
    limit 1
  );
end;
$$;
comment on function private.rate_day_on(text, date) is 'The day of the rate private.rate_on uses for currency_code on on_date (the newest on or before it); null for the base currency or when there is none.';
revoke execute on function private.rate_day_on(text, date) from public, anon;
grant execute on function private.rate_day_on(text, date) to authenticated, service_role;

create or replace function private.prepare_order() returns trigger
language plpgsql set search_path = '' as $$
declare
  order_day date := (new.placed_at at time zone 'UTC')::date;
begin
  -- Said before the base amounts derived from it fail their own checks less clearly.
  if new.total < 0 then
    raise exception 'an order total cannot be negative (% %)', new.total, new.currency
      using errcode = '23514', constraint = 'orders_total_not_negative';
  end if;
  if tg_op = 'INSERT' then
    new.exchange_rate := coalesce(new.exchange_rate, private.rate_on(new.currency, order_day));
    new.total_base := coalesce(new.total_base, round(new.total * new.exchange_rate, 2));
  else
    -- A new currency without a new rate means a new rate; a new amount or rate without a new
    -- total_base means a new total_base.
    if new.currency is distinct from old.currency and new.exchange_rate is not distinct from old.exchange_rate then
      new.exchange_rate := private.rate_on(new.currency, order_day);
    end if;
    if (new.total, new.exchange_rate) is distinct from (old.total, old.exchange_rate)
       and new.total_base is not distinct from old.total_base then
      new.total_base := round(new.total * new.exchange_rate, 2);
    end if;
  end if;
  -- The day of the rate used, and whether it was stale (more than 3 days before the order).
  if tg_op = 'INSERT'
     or (new.currency, new.exchange_rate, new.placed_at) is distinct from (old.currency, old.exchange_rate, old.placed_at) then
    new.exchange_rate_date := private.rate_day_on(new.currency, order_day);
    new.exchange_rate_stale := case
      when new.exchange_rate_date is not null then order_day - new.exchange_rate_date > 3
      else new.currency <> private.base_currency()
    end;
  end if;
  if new.refunded_total > new.total then
    raise exception 'refunds (% %) cannot exceed the order total (% %)', new.refunded_total, new.currency, new.total, new.currency
      using errcode = '23514', constraint = 'orders_refunds_within_total';
  end if;
  -- Converted once at the order level (not summed per refund), so a full refund in several
  -- parts takes back exactly total_base, with no rounding cent left over.
  new.refunded_base := case
    when new.refunded_total >= new.total then new.total_base
    else least(round(new.refunded_total * new.exchange_rate, 2), new.total_base)
  end;
  return new;
end;
$$;
comment on function private.prepare_order() is 'Fills exchange_rate and total_base when not given, keeps them consistent on updates, records the rate''s day and whether it was stale (> 3 days before the order), converts refunded_total to refunded_base, refuses refunds above the total.';

-- Existing orders, once. Not an edit anyone made: no audit entries, updated_at kept.
alter table public.orders disable trigger record_audit;
alter table public.orders disable trigger touch_updated_at;
update public.orders o
set exchange_rate_date = d.rate_date,
    exchange_rate_stale = d.rate_date is null or (o.placed_at at time zone 'UTC')::date - d.rate_date > 3
from (
  select x.id, (
    select r.rate_date from public.exchange_rates r
    where r.currency = x.currency and r.rate_date <= (x.placed_at at time zone 'UTC')::date
    order by r.rate_date desc limit 1
  ) as rate_date
  from public.orders x
  where x.currency <> (select s.base_currency from public.workspace_settings s)
) as d
where o.id = d.id;
alter table public.orders enable trigger touch_updated_at;
alter table public.orders enable trigger record_audit;

create index orders_stale_rate_idx on public.orders (placed_at) where exchange_rate_stale;

create or replace function public.orders_with_stale_rates(since timestamptz)
returns table (order_id uuid, currency text, placed_at timestamptz, rate_date date)
language sql stable security invoker set search_path = '' as $$
  select o.id, o.currency, o.placed_at, o.exchange_rate_date
  from public.orders o
  where o.placed_at >= since and o.exchange_rate_stale
$$;
comment on function public.orders_with_stale_rates(timestamptz) is 'Orders placed since `since` converted with a rate more than 3 days older than the order (or none), from orders.exchange_rate_stale: what reports mark. Runs as the caller (RLS on orders).';
