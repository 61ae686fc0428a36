-- Two-letter customer search at scale. A trigram index cannot serve a two-character fragment
-- (trigrams need three), so `search_customers('sa')` read every customer: 0.6 to 1.3 s at
-- 100 000 customers — and global search sends exactly that on the way to a longer query.
-- Below three characters the search now matches the start of the email, first name or last
-- name, each through its own prefix index; from three characters on it is unchanged.

create index customers_first_name_prefix_idx on public.customers (lower(first_name) text_pattern_ops);
create index customers_last_name_prefix_idx on public.customers (lower(last_name) text_pattern_ops);

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
comment on function public.search_customers(text, integer) is 'Customers the caller may see, best first (email-prefix matches, then by lifetime value). Two characters: email, first name or last name starting with them. Three or more: email starting with, or name, email, phone or company containing, the query.';
