-- Order search
--
-- Owns: search_orders(), what global search (Ctrl/Cmd+K) calls to find orders by their number
-- ("#1001", "1001", "M-000042"), and the index that keeps it fast at a million orders.
--
-- Order numbers are matched by prefix, with a leading "#" ignored on both sides: people type
-- "1001" for Shopify's "#1001". Results come in the index's order (shortest, then byte order:
-- "1001" before "10010"), so the exact number is first and a one-digit query reads at most
-- `result_limit` index entries instead of sorting every match.

create index orders_order_number_search_idx
  on public.orders ((lower(ltrim(order_number, '#')) collate "C"));
comment on index public.orders_order_number_search_idx is
  'Prefix search on the order number without its leading #, in byte order (search_orders).';

create function public.search_orders(query text, result_limit integer default 10)
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
comment on function public.search_orders(text, integer) is 'Orders whose number starts with the query (a leading # ignored), only those the caller may see, exact number first; with the buyer''s name.';
revoke execute on function public.search_orders(text, integer) from public, anon;
grant execute on function public.search_orders(text, integer) to authenticated, service_role;
