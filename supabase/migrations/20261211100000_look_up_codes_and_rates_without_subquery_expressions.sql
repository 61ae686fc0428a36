-- The small look-ups every webhook delivery (and every imported order) calls several times read
-- their row with SELECT … INTO instead of returning a scalar subquery (issue 13: the webhook path
-- must reach ≥ 200 orders/s; docs/benchmarks.md, "Shopify webhook ingestion", session hook).
--
-- Why: PL/pgSQL runs `return (select …)` and `if x = (select …)` as expressions holding a
-- sub-select: no fast path for simple expressions, and the sub-select's plan filtered the small
-- code tables row by row, computing upper(btrim(code)) again for every row read. Backend CPU in
-- one connection on the local stack (load 11–16), calls from a PL/pgSQL loop:
-- private.shopify_country 0.09 ms a call before (5 000 calls: 0.40–0.47 s), 0.023 ms with
-- SELECT … INTO, 0.011 ms with the code normalised once before the look-up (10 000 calls:
-- 0.10–0.11 s). Replaying 1 000 deliveries of the simulator's stream called shopify_country
-- 1 424 times, shopify_currency 722, base_currency 784 and rate_on and rate_day_on 392 each
-- (orders, their buyers, customers/*, products); they were 7 % of the database's time in that
-- replay (private.shopify_country alone 5 %).
--
-- Same results: each look-up is by a primary key (countries.code, currencies.code, the single
-- row of workspace_settings, exchange_rates (rate_date, currency) with LIMIT 1), so SELECT … INTO
-- gets the same one row or none (null), as the subquery did. Same signatures, volatility,
-- security, search_path, grants and comments.
--
-- Restated (create or replace, whole): private.base_currency, private.shopify_country,
-- private.shopify_currency, private.rate_day_on, private.rate_on. The import calls them too
-- (through private.prepare_order and the shared apply functions) and gains the same.

create or replace function private.base_currency() returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  code text;
begin
  select s.base_currency into code from public.workspace_settings s;
  return code;
end;
$$;
revoke execute on function private.base_currency() from public, anon;
grant execute on function private.base_currency() to authenticated, service_role;

create or replace function private.shopify_country(code text) returns text
language plpgsql stable set search_path = '' as $$
declare
  -- Normalised once: in the statement, a generic plan evaluated it for every row it read.
  wanted text := upper(btrim(shopify_country.code));
  known text;
begin
  select c.code into known from public.countries c where c.code = wanted;
  return known;
end;
$$;
comment on function private.shopify_country(text) is 'The country code when Cairn knows it, else null (an unknown code must not fail the whole delivery).';
revoke execute on function private.shopify_country(text) from public, anon, authenticated, service_role;

create or replace function private.shopify_currency(code text) returns text
language plpgsql stable set search_path = '' as $$
declare
  -- Normalised once: in the statement, a generic plan evaluated it for every row it read.
  wanted text := upper(btrim(shopify_currency.code));
  known text;
begin
  select c.code into known from public.currencies c where c.code = wanted;
  return known;
end;
$$;
revoke execute on function private.shopify_currency(text) from public, anon, authenticated, service_role;

create or replace function private.rate_day_on(currency_code text, on_date date) returns date
language plpgsql stable security definer set search_path = '' as $$
declare
  found_day date;
begin
  if currency_code = private.base_currency() then
    return null;
  end if;
  select r.rate_date into found_day
  from public.exchange_rates r
  where r.currency = currency_code and r.rate_date <= on_date
  order by r.rate_date desc
  limit 1;
  return found_day;
end;
$$;
comment on function private.rate_day_on(text, date) is 'The day of the rate private.rate_on uses for currency_code on on_date (the newest on or before it); null for the base currency or when there is none.';
revoke execute on function private.rate_day_on(text, date) from public, anon;
grant execute on function private.rate_day_on(text, date) to authenticated, service_role;

create or replace function private.rate_on(currency_code text, on_date date) returns numeric
language plpgsql stable security definer set search_path = '' as $$
declare
  found_rate numeric;
begin
  if currency_code = private.base_currency() then
    return 1;
  end if;
  select r.rate_to_base into found_rate
  from public.exchange_rates r
  where r.currency = currency_code and r.rate_date <= on_date
  order by r.rate_date desc
  limit 1;
  if found_rate is null then
    raise exception 'no exchange rate for % on or before %', currency_code, on_date
      using errcode = '22023',
            hint = 'Import exchange rates for that day, or give the order''s exchange_rate explicitly.';
  end if;
  return found_rate;
end;
$$;
comment on function private.rate_on(text, date) is 'Base-currency value of one unit of currency_code on on_date: the latest rate on or before that day; 1 for the base currency; an error when none is known.';
revoke execute on function private.rate_on(text, date) from public, anon;
grant execute on function private.rate_on(text, date) to authenticated, service_role;
