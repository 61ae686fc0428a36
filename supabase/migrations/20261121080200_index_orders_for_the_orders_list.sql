-- Orders list indexes
--
-- Owns: the indexes behind the CRM's orders list (`/orders`) beyond the newest-first default,
-- which orders_placed_at_idx already serves:
--   · sorting by amount in the base currency, with the id as the keyset tie-breaker;
--   · finding an order by its number.
--
-- Both serve queries that run under row-level security. Postgres only uses an index under RLS
-- for leakproof operators, so the list matches order numbers by equality (texteq is leakproof)
-- rather than LIKE; a customer's name is matched through search_customers() and then
-- customer_id in (…), which orders_customer_idx serves. scripts/tests/db/orders-list.test.ts
-- checks that each index is usable as an agent and as a manager.

create index orders_total_base_idx on public.orders (total_base desc, id desc);
comment on index public.orders_total_base_idx is 'Orders list sorted by amount (base currency), keyset on (total_base, id), both directions.';

create index orders_order_number_idx on public.orders (order_number);
comment on index public.orders_order_number_idx is 'Finding an order by its number (equality: usable under RLS). Numbers are unique per shop, not overall.';
