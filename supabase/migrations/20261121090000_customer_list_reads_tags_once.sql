-- The customer list row reads customer_tags once (docs/benchmarks.md, ADR 0002).
--
-- `customer_list` carried `tag_ids` as well as `tag_names`, each its own subquery on
-- customer_tags. Nothing reads `tag_ids` (the list filters by tag through a customer_tags embed,
-- the customer screen edits tags through customer_tags), yet every read of the view paid for the
-- second subquery: another index lookup and, under row-level security, another copy of
-- customer_tags' policy to plan and run — for an agent, two more access-helper calls. On the
-- customer profile that was the larger part of what row-level security added over service_role.
--
-- A view cannot drop a column in place, so the view is made again without it, and with it the
-- two functions that return its rows (unchanged; restated from 20261121080600 and
-- 20261121080000/20261121080700). Grants come from the schema's default privileges, as before.

drop function public.search_customer_list(text);
drop function public.search_customers(text, integer);
drop view public.customer_list;

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
  ), '{}') as tag_names
from public.customers c
left join public.team_members owner on owner.user_id = c.owner_id;
comment on view public.customer_list is 'One row per customer for list screens: profile, metrics in the base currency, owner name and tag names. Sort by lifetime_value/created_at with id as the keyset tie-breaker. For text search use search_customer_list() (list) or search_customers() (best matches). Tag ids are in customer_tags.';

create function public.search_customers(query text, result_limit integer default 20)
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
revoke execute on function public.search_customers(text, integer) from public, anon;
grant execute on function public.search_customers(text, integer) to authenticated, service_role;

-- SQL, security invoker and without SET clauses so Postgres inlines it into PostgREST's query:
-- filters, order, limit and count on /rpc/search_customer_list work as on /customer_list, and the
-- view's row-level security applies to the caller.
create function public.search_customer_list(query text) returns setof public.customer_list
language sql stable security invoker as $$
  select l.* from unnest(private.customer_search_ids(query)) as match (id) join public.customer_list l on l.id = match.id
$$;
comment on function public.search_customer_list(text) is 'The customer_list rows matching a search (email, first or last name starting with 2 characters; from 3, an email prefix or a fragment of name, email, phone or company), for the list screen: filter, order, page and count it like customer_list.';
revoke execute on function public.search_customer_list(text) from public, anon;
grant execute on function public.search_customer_list(text) to authenticated, service_role;
