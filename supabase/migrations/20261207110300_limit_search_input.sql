-- Search input has a length limit (security review L-6).
--
-- Owns: the 200-character limit of `search_customers`, `private.customer_search_ids` (and so
-- `search_customer_list`, which calls it) and `search_orders`.
--
-- Why: a 1 MB query was accepted and took 1.5 to 2.3 s against 200 customers (trigram and
-- ILIKE work grows with the pattern), 0.3 s at 200 KB: an easy way for any signed-in caller to
-- keep the database busy. No email, name, phone, company or order number is longer than 200
-- characters in practice (emails ≤ 320 by the standard, but nobody types one that long), so a
-- longer query is refused with `22023 search is limited to 200 characters` before searching;
-- the app's search boxes cannot send more (maxLength) and show the message if one ever does.
--
-- The three functions are restated unchanged otherwise, from 20261121090000, 20261121080700
-- and 20261121080300 (`create or replace` keeps their owners and grants).

create or replace function public.search_customers(query text, result_limit integer default 20)
returns setof public.customer_list
language plpgsql stable security definer set search_path = '' as $$
declare
  needle text := btrim(query);
  -- Prefixes as ranges on the text_pattern_ops indexes; they work with a cached (generic) plan.
  prefix text := lower(btrim(query));
  prefix_end text := lower(btrim(query)) || chr(1114111);
  -- Name fragment for the trigram index, with the user's % and _ taken literally.
  fragment text := '%' || replace(replace(replace(btrim(query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  -- Why security definer: under row-level security Postgres may not use an index for LIKE or
  -- trigram conditions (they are not leakproof), so a search through the policies scans every
  -- customer. This function applies the customers' select rule itself — the same predicate as
  -- the policies, kept in step by the role-matrix tests — and lets the planner use the indexes.
  if length(query) > 200 then
    raise exception 'search is limited to 200 characters' using errcode = '22023',
      hint = 'Search by the start of an email, a name, a phone number or a company.';
  end if;
  if needle is null or length(needle) < 2 then
    raise exception 'search needs at least 2 characters' using errcode = '22023';
  end if;
  if result_limit is null or result_limit not between 1 and 100 then
    raise exception 'result_limit must be between 1 and 100' using errcode = '22023';
  end if;
  if length(needle) < 3 then
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
        or (lower(c.first_name) ~>=~ prefix and lower(c.first_name) ~<~ prefix_end)
        or (lower(c.last_name) ~>=~ prefix and lower(c.last_name) ~<~ prefix_end)
      )
    order by (lower(c.email) ~>=~ prefix and lower(c.email) ~<~ prefix_end) desc, c.lifetime_value desc, c.id
    limit result_limit;
    return;
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

create or replace function private.customer_search_ids(query text) returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  needle text := btrim(query);
  prefix text := lower(btrim(query));
  prefix_end text := lower(btrim(query)) || chr(1114111);
  fragment text := '%' || replace(replace(replace(btrim(query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  if length(query) > 200 then
    raise exception 'search is limited to 200 characters' using errcode = '22023',
      hint = 'Search by the start of an email, a name, a phone number or a company.';
  end if;
  if needle is null or length(needle) < 2 then
    raise exception 'search needs at least 2 characters' using errcode = '22023';
  end if;
  return array(
    select c.id
    from public.customers c
    where (
        (select private.sees_all_customers())
        or (select auth.role()) = 'service_role'
        or ((select private.is_agent()) and c.owner_id = (select auth.uid()))
      )
      and (
        (lower(c.email) ~>=~ prefix and lower(c.email) ~<~ prefix_end)
        -- Two characters: name prefixes (a trigram needs three, and two letters anywhere in a
        -- name would match most customers). Three or more: a fragment through the trigram index.
        or (length(needle) < 3 and lower(c.first_name) ~>=~ prefix and lower(c.first_name) ~<~ prefix_end)
        or (length(needle) < 3 and lower(c.last_name) ~>=~ prefix and lower(c.last_name) ~<~ prefix_end)
        or (length(needle) >= 3
            and (coalesce(c.full_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' || coalesce(c.company, ''))
                ilike fragment)
      )
  );
end;
$$;

create or replace function public.search_orders(query text, result_limit integer default 10)
returns table (
  id uuid,
  order_number text,
  placed_at timestamptz,
  total numeric,
  currency text,
  financial_status public.order_financial_status,
  fulfillment_status public.order_fulfillment_status,
  customer_id uuid,
  customer_name text
)
language plpgsql stable security definer set search_path = '' as $$
declare
  prefix text := lower(ltrim(btrim(query), '#')) collate "C";
  -- The largest code point: every key that starts with the prefix sorts below prefix || it.
  prefix_end text := (lower(ltrim(btrim(query), '#')) || chr(1114111)) collate "C";
  sees_all boolean := (select private.sees_all_customers()) or (select auth.role()) = 'service_role';
  is_agent boolean := (select private.is_agent());
begin
  -- Why security definer: under row-level security Postgres does not use an index for a range
  -- on a text expression (the comparison is not leakproof), so a search through the policies
  -- reads every order. This function applies the orders' select rule itself — the same
  -- predicate as "staff read the orders of customers they may see" — and the tests keep the two
  -- in step. Guests' orders (no customer) are seen only by those who see all customers.
  if length(query) > 200 then
    raise exception 'search is limited to 200 characters' using errcode = '22023',
      hint = 'Search by the start of the order number.';
  end if;
  if prefix is null or length(prefix) < 1 then
    raise exception 'search needs at least 1 character besides #' using errcode = '22023';
  end if;
  if result_limit is null or result_limit not between 1 and 50 then
    raise exception 'result_limit must be between 1 and 50' using errcode = '22023';
  end if;
  if not (sees_all or is_agent) then
    return;
  end if;
  return query
  select o.id, o.order_number, o.placed_at, o.total, o.currency, o.financial_status, o.fulfillment_status,
    o.customer_id, coalesce(c.full_name, c.email, o.shipping_name)
  from public.orders o
  left join public.customers c on c.id = o.customer_id
  where (lower(ltrim(o.order_number, '#')) collate "C") >= prefix
    and (lower(ltrim(o.order_number, '#')) collate "C") < prefix_end
    and (sees_all or o.customer_owner_id = (select auth.uid()))
  order by (lower(ltrim(o.order_number, '#')) collate "C"), o.placed_at desc, o.id
  limit result_limit;
end;
$$;
