-- European Central Bank reference rates fill exchange_rates (issue 11).
--
-- Owns:
--   - public.import_ecb_rates(days jsonb): for every day the ECB published (`[{date, rates: {USD:
--     1.08, …}}]`, rates per EUR), the rate of every Cairn currency in the workspace base currency,
--     cross-rated through EUR (1 X = rate_base / rate_X base units; EUR itself = rate_base). Only
--     rows it wrote itself (source `ecb`) are updated; a rate someone else set (manual, demo, another
--     provider) is never overwritten. Service role only (the ecb-rates function); answers how many
--     rows it wrote.
--   - public.exchange_rate_status(): per currency in use, the newest rate's day and whether it is
--     stale (older than 3 days: reports converting today's orders reuse it). Team members read it.
--   - public.orders_with_stale_rates(since): orders placed since `since` whose currency's rate on
--     their day is more than 3 days older than the order — what reports mark. Team members.
--   - Schedule `ecb-rates`: weekdays at 15:30 UTC (the ECB publishes around 16:00 CET).
create function public.import_ecb_rates(days jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  base text := private.base_currency();
  written integer;
begin
  if jsonb_typeof(days) <> 'array' then
    raise exception 'days must be an array of {date, rates}' using errcode = '22023';
  end if;
  with published as (
    select (d ->> 'date')::date as rate_date, r.key as currency, r.value::numeric as per_eur
    from jsonb_array_elements(days) d, jsonb_each_text(d -> 'rates') r
    union all
    select (d ->> 'date')::date, 'EUR', 1 from jsonb_array_elements(days) d
  ),
  based as (
    select p.rate_date, p.currency, round(b.per_eur / p.per_eur, 10) as rate_to_base
    from published p
    join published b on b.rate_date = p.rate_date and b.currency = base
    join public.currencies c on c.code = p.currency
    where p.currency <> base and p.per_eur > 0
  )
  insert into public.exchange_rates as e (rate_date, currency, rate_to_base, source)
  select rate_date, currency, rate_to_base, 'ecb' from based
  on conflict (rate_date, currency) do update
    set rate_to_base = excluded.rate_to_base
    where e.source = 'ecb' and e.rate_to_base is distinct from excluded.rate_to_base;
  get diagnostics written = row_count;
  return written;
end;
$$;
comment on function public.import_ecb_rates(jsonb) is 'Writes ECB reference rates (per EUR) as rates to the workspace base currency, cross-rated through EUR; updates only rows it wrote (source ecb), never a manual or other rate. Service role only (ecb-rates function).';
revoke execute on function public.import_ecb_rates(jsonb) from public, anon, authenticated;
grant execute on function public.import_ecb_rates(jsonb) to service_role;

create function public.exchange_rate_status()
returns table (currency text, latest_rate_date date, age_days integer, stale boolean)
language sql stable security definer set search_path = '' as $$
  select c.currency, max(r.rate_date), (current_date - max(r.rate_date))::integer,
         coalesce(current_date - max(r.rate_date) > 3, true)
  from (select distinct o.currency from public.orders o where o.currency <> private.base_currency()) c
  left join public.exchange_rates r on r.currency = c.currency
  where (select private.is_team_member())
  group by c.currency
$$;
comment on function public.exchange_rate_status() is 'Per order currency other than the base: the newest rate''s day, its age, and stale when older than 3 days (the dashboard warns admins). Team members only.';
revoke execute on function public.exchange_rate_status() from public, anon;
grant execute on function public.exchange_rate_status() to authenticated, service_role;

create function public.orders_with_stale_rates(since timestamptz)
returns table (order_id uuid, currency text, placed_at timestamptz, rate_date date)
language sql stable security invoker set search_path = '' as $$
  select o.id, o.currency, o.placed_at, r.rate_date
  from public.orders o
  left join lateral (
    select x.rate_date from public.exchange_rates x
    where x.currency = o.currency and x.rate_date <= o.placed_at::date
    order by x.rate_date desc limit 1
  ) r on true
  where o.placed_at >= since and o.currency <> private.base_currency()
    and (r.rate_date is null or o.placed_at::date - r.rate_date > 3)
$$;
comment on function public.orders_with_stale_rates(timestamptz) is 'Orders placed since `since` converted with a rate more than 3 days older than the order (or none): what reports mark. Runs as the caller (RLS on orders).';
revoke execute on function public.orders_with_stale_rates(timestamptz) from public, anon;
grant execute on function public.orders_with_stale_rates(timestamptz) to authenticated, service_role;

select cron.schedule(
  'ecb-rates',
  '30 15 * * 1-5',
  $$select private.call_scheduled_function('ecb-rates', 'ecb-rates', '{}')$$
);
