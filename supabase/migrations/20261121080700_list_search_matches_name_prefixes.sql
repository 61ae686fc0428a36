-- The customers list's search (`search_customer_list`, through private.customer_search_ids)
-- answers two characters as global search does since 20261121080600: the start of the email,
-- the first name or the last name, each through its prefix index — not the email alone.

create or replace function private.customer_search_ids(query text) returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  needle text := btrim(query);
  prefix text := lower(btrim(query));
  prefix_end text := lower(btrim(query)) || chr(1114111);
  fragment text := '%' || replace(replace(replace(btrim(query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
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
comment on function private.customer_search_ids(text) is 'Ids of the customers the caller may see whose email starts with the query; with 2 characters, also whose first or last name starts with it; with 3 or more, whose name, email, phone or company contains it. Uses the prefix indexes and customers_search_idx.';
comment on function public.search_customer_list(text) is 'The customer_list rows matching a search (email, first or last name starting with 2 characters; from 3, an email prefix or a fragment of name, email, phone or company), for the list screen: filter, order, page and count it like customer_list.';
