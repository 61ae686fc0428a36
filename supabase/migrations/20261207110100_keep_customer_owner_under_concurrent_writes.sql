-- The owner kept on customer rows stays right when a reassignment and a write meet (security
-- review M-2).
--
-- Owns: the locks that order a customer's reassignment against writes of its rows, and
-- `public.customer_owner_drift()`, the consistency check an admin or a job can run.
--
-- Why: `set_customer_owner()` read the customer's owner with a plain read, and a reassignment
-- holds the customer `FOR NO KEY UPDATE`, which does not conflict with the `FOR KEY SHARE` a
-- child insert's foreign key takes. An insert could read the old owner while the reassignment's
-- carry-over (`carry_customer_owner`) was already past it, and keep the old owner for ever;
-- agents' policies trust that column alone. Same for a line item or refund and its order.
--
-- The fix, chosen for its cost on the hot path (every webhook order inserts or upserts an order
-- and its lines):
--   - A new row reads the owner `FOR KEY SHARE`. That is the very lock its foreign-key check
--     takes a moment later, so the check then finds it held and writes nothing: no extra lock
--     write, no extra WAL, no new conflict. (`FOR SHARE`, the review's first suggestion, would
--     conflict with the `FOR NO KEY UPDATE` that the metrics recompute takes after every counted
--     order: two concurrent orders of one customer would each hold SHARE and wait for the
--     other — a deadlock on the commonest path.) An update that keeps its customer reads as
--     before: the row itself is locked, so the carry-over waits for it or it waits for the
--     carry-over.
--   - Changing a customer's owner first locks the customer `FOR UPDATE` (BEFORE trigger), which
--     conflicts with KEY SHARE: the reassignment waits until every insert that already read the
--     old owner has committed, and its carry-over (new statements, new snapshots) then sees and
--     fixes those rows; an insert arriving after waits for the reassignment and reads the new
--     owner. Orders do the same for their lines and refunds when their owner changes.
-- Only reassignments pay (they are rare and made by people). A reassignment meeting a webhook
-- order for the same customer in the same instant can deadlock (the order's metrics recompute
-- waits for the customer, the reassignment for the order's lock); Postgres detects it, the
-- webhook's delivery is retried, and no row keeps a stale owner either way. That pair could
-- already deadlock before (the carry-over waiting for an order the webhook was updating).

-- ─── Reading the owner ───────────────────────────────────────────────────────────────────────
-- Restated from 20261121063500 (same signature, owner and grants).

create or replace function private.set_customer_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.customer_id is distinct from old.customer_id then
    -- KEY SHARE: the foreign key's own lock, taken now so that a reassignment in progress is
    -- waited for (it holds the customer FOR UPDATE) and one starting later waits for this row.
    select c.owner_id into new.customer_owner_id from public.customers c where c.id = new.customer_id for key share;
  else
    new.customer_owner_id := (select c.owner_id from public.customers c where c.id = new.customer_id);
  end if;
  -- An order whose owner changes waits for the lines and refunds being added to it (they hold
  -- the order FOR KEY SHARE), so that carry_order_owner sees them.
  if tg_op = 'UPDATE' and tg_table_name = 'orders' and new.customer_owner_id is distinct from old.customer_owner_id then
    perform from public.orders o where o.id = old.id for update;
  end if;
  return new;
end;
$$;
comment on function private.set_customer_owner() is 'BEFORE INSERT OR UPDATE: copies the customer''s owner onto the row (read FOR KEY SHARE for a new row or a new customer, so a reassignment in progress is waited for); whatever a client sent is replaced.';

create or replace function private.set_order_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.order_id is distinct from old.order_id then
    select o.customer_owner_id into new.customer_owner_id from public.orders o where o.id = new.order_id for key share;
  else
    new.customer_owner_id := (select o.customer_owner_id from public.orders o where o.id = new.order_id);
  end if;
  return new;
end;
$$;
comment on function private.set_order_owner() is 'BEFORE INSERT OR UPDATE on order items and refunds: copies the order''s customer owner (read FOR KEY SHARE for a new row, so an owner change in progress is waited for).';

-- ─── Changing the owner waits for writes in flight ───────────────────────────────────────────

create function private.hold_customer_for_owner_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- FOR UPDATE conflicts with the KEY SHARE every insert of a customer row holds (see
  -- set_customer_owner): wait for those in flight, and make new ones wait for this change.
  perform from public.customers c where c.id = old.id for update;
  return new;
end;
$$;
comment on function private.hold_customer_for_owner_change() is 'BEFORE UPDATE of customers.owner_id: locks the customer FOR UPDATE, so rows being written to it are committed (and carried to the new owner) before the owner changes, and rows written after read the new owner.';
revoke execute on function private.set_customer_owner(), private.set_order_owner(), private.hold_customer_for_owner_change()
  from public, anon, authenticated;

create trigger hold_for_owner_change before update of owner_id on public.customers
  for each row when (old.owner_id is distinct from new.owner_id) execute function private.hold_customer_for_owner_change();

-- ─── The consistency check ───────────────────────────────────────────────────────────────────

create function public.customer_owner_drift()
returns table (table_name text, row_id text, customer_id uuid, customer_owner_id uuid, owner_id uuid)
language plpgsql stable security definer set search_path = '' as $$
begin
  if (select auth.role()) = 'authenticated' and not (select private.is_admin()) then
    raise exception 'only admins check customer owners' using errcode = '42501';
  end if;
  -- Reads every customer-owned table: for an admin or a nightly job, not for a screen.
  return query
  select 'customer_tags', t.customer_id || '/' || t.tag_id, c.id, t.customer_owner_id, c.owner_id
    from public.customer_tags t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'consent_events', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.consent_events t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'orders', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.orders t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'order_items', t.id::text, o.customer_id, t.customer_owner_id, o.customer_owner_id
    from public.order_items t join public.orders o on o.id = t.order_id where t.customer_owner_id is distinct from o.customer_owner_id
  union all
  select 'refunds', t.id::text, o.customer_id, t.customer_owner_id, o.customer_owner_id
    from public.refunds t join public.orders o on o.id = t.order_id where t.customer_owner_id is distinct from o.customer_owner_id
  union all
  select 'favorites', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.favorites t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'alert_preferences', t.customer_id::text, c.id, t.customer_owner_id, c.owner_id
    from public.alert_preferences t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'alert_log', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.alert_log t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'activities', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.activities t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'message_threads', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.message_threads t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'messages', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.messages t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id
  union all
  select 'deals', t.id::text, c.id, t.customer_owner_id, c.owner_id
    from public.deals t join public.customers c on c.id = t.customer_id where t.customer_owner_id is distinct from c.owner_id;
end;
$$;
comment on function public.customer_owner_drift() is 'Consistency check (admins and the service role): every customer-owned row whose kept customer_owner_id differs from its customer''s owner (items and refunds: from their order''s). Empty when all is well. Reads every customer-owned table.';
revoke execute on function public.customer_owner_drift() from public, anon;
grant execute on function public.customer_owner_drift() to authenticated, service_role;
