-- Keep each customer's owner on the rows that belong to the customer
--
-- Owns: `customer_owner_id` on every customer-owned table, the triggers that keep it equal to
-- the customer's owner, and the agents' policies rewritten to use it.
--
-- Why: an agent's policy used to test `customer_id in (select private.owned_customer_ids())`,
-- which builds the set of the agent's customers once per table per statement — 3 to 10 ms for
-- an agent with thousands of customers, on every table of a customer 360. With the owner on the
-- row the same rule is a per-row equality: `(select private.is_agent()) and customer_owner_id =
-- (select auth.uid())`. See docs/adr/0002-roles-in-policies.md and docs/benchmarks.md.
--
-- The column is never trusted from a client: a BEFORE trigger sets it from the customer (or the
-- order, for items and refunds) on every insert and update, and a change of owner on a customer
-- is carried to its rows by the database. The audit trail leaves it out (it is derived).

-- ─── The column, filled for existing rows ───────────────────────────────────────────────────

alter table public.customer_tags add column customer_owner_id uuid;
alter table public.consent_events add column customer_owner_id uuid;
alter table public.orders add column customer_owner_id uuid;
alter table public.order_items add column customer_owner_id uuid;
alter table public.refunds add column customer_owner_id uuid;
alter table public.favorites add column customer_owner_id uuid;
alter table public.alert_preferences add column customer_owner_id uuid;
alter table public.alert_log add column customer_owner_id uuid;
alter table public.activities add column customer_owner_id uuid;
alter table public.message_threads add column customer_owner_id uuid;
alter table public.messages add column customer_owner_id uuid;
alter table public.deals add column customer_owner_id uuid;

comment on column public.orders.customer_owner_id is 'The customer''s owner, kept by the database so agents'' policies are a per-row equality. Never written by clients.';

-- Backfill as a system change (the consent ledger is append-only for everyone else).
select set_config('cairn.syncing_customer_owner', 'on', true);
update public.customer_tags t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.consent_events t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.orders t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.order_items t set customer_owner_id = o.customer_owner_id from public.orders o where o.id = t.order_id;
update public.refunds t set customer_owner_id = o.customer_owner_id from public.orders o where o.id = t.order_id;
update public.favorites t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.alert_preferences t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.alert_log t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.activities t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.message_threads t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.messages t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
update public.deals t set customer_owner_id = c.owner_id from public.customers c where c.id = t.customer_id;
select set_config('cairn.syncing_customer_owner', '', true);

create index customer_tags_customer_owner_idx on public.customer_tags (customer_owner_id);
create index consent_events_customer_owner_idx on public.consent_events (customer_owner_id);
create index orders_customer_owner_idx on public.orders (customer_owner_id, placed_at desc);
create index order_items_customer_owner_idx on public.order_items (customer_owner_id);
create index refunds_customer_owner_idx on public.refunds (customer_owner_id);
create index favorites_customer_owner_idx on public.favorites (customer_owner_id);
create index alert_preferences_customer_owner_idx on public.alert_preferences (customer_owner_id);
create index alert_log_customer_owner_idx on public.alert_log (customer_owner_id);
create index activities_customer_owner_idx on public.activities (customer_owner_id);
create index message_threads_customer_owner_idx on public.message_threads (customer_owner_id);
create index messages_customer_owner_idx on public.messages (customer_owner_id);
create index deals_customer_owner_idx on public.deals (customer_owner_id);

-- ─── Keeping it right ───────────────────────────────────────────────────────────────────────

create function private.set_customer_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.customer_owner_id := (select c.owner_id from public.customers c where c.id = new.customer_id);
  return new;
end;
$$;
comment on function private.set_customer_owner() is 'BEFORE INSERT OR UPDATE: copies the customer''s owner onto the row; whatever a client sent is replaced.';

create function private.set_order_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.customer_owner_id := (select o.customer_owner_id from public.orders o where o.id = new.order_id);
  return new;
end;
$$;
comment on function private.set_order_owner() is 'BEFORE INSERT OR UPDATE on order items and refunds: copies the order''s customer owner.';

create trigger set_customer_owner before insert or update on public.customer_tags for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.consent_events for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.orders for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.order_items for each row execute function private.set_order_owner();
create trigger set_customer_owner before insert or update on public.refunds for each row execute function private.set_order_owner();
create trigger set_customer_owner before insert or update on public.favorites for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.alert_preferences for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.alert_log for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.activities for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.message_threads for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.messages for each row execute function private.set_customer_owner();
create trigger set_customer_owner before insert or update on public.deals for each row execute function private.set_customer_owner();

create function private.carry_customer_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  caller_claims text := current_setting('request.jwt.claims', true);
begin
  -- A system change, not the caller's: the guards that restrict what people may edit on these
  -- rows (messages, activities, the append-only consent ledger) see the service role and the
  -- sync flag for the length of it, then the caller's claims come back.
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
  perform set_config('cairn.syncing_customer_owner', 'on', true);
  update public.customer_tags set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.consent_events set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.orders set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.order_items set customer_owner_id = new.owner_id where order_id in (select id from public.orders where customer_id = new.id);
  update public.refunds set customer_owner_id = new.owner_id where order_id in (select id from public.orders where customer_id = new.id);
  update public.favorites set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.alert_preferences set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.alert_log set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.activities set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.message_threads set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.messages set customer_owner_id = new.owner_id where customer_id = new.id;
  update public.deals set customer_owner_id = new.owner_id where customer_id = new.id;
  perform set_config('cairn.syncing_customer_owner', '', true);
  perform set_config('request.jwt.claims', coalesce(caller_claims, ''), true);
  return null;
end;
$$;
comment on function private.carry_customer_owner() is 'AFTER UPDATE OF owner_id on customers: carries the new owner to every row of the customer.';
create trigger carry_customer_owner after update of owner_id on public.customers
  for each row when (old.owner_id is distinct from new.owner_id) execute function private.carry_customer_owner();

-- An order moved to another customer takes its items and refunds along.
create function private.carry_order_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.order_items set customer_owner_id = new.customer_owner_id where order_id = new.id;
  update public.refunds set customer_owner_id = new.customer_owner_id where order_id = new.id;
  return null;
end;
$$;
create trigger carry_order_owner after update of customer_id, customer_owner_id on public.orders
  for each row when (old.customer_owner_id is distinct from new.customer_owner_id) execute function private.carry_order_owner();

-- The consent ledger stays append-only, except for this one derived column during a sync.
create or replace function private.refuse_consent_event_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Deleting a customer cascades here: by then the customer row is gone, and its ledger goes
  -- with it. Any other delete (or update, or truncate) would rewrite history.
  if tg_op = 'DELETE' and not exists (select 1 from public.customers where id = old.customer_id) then
    return old;
  end if;
  -- The database carrying a new owner onto the ledger changes no recorded fact.
  if tg_op = 'UPDATE' and current_setting('cairn.syncing_customer_owner', true) = 'on'
     and (to_jsonb(new) - 'customer_owner_id') = (to_jsonb(old) - 'customer_owner_id') then
    return new;
  end if;
  raise exception 'consent_events is append-only: record a new event instead of changing or deleting one'
    using errcode = '42501', table = 'consent_events';
end;
$$;

revoke execute on function private.set_customer_owner(), private.set_order_owner(), private.carry_customer_owner(),
  private.carry_order_owner(), private.refuse_consent_event_change() from public, anon, authenticated;

-- ─── Agents' policies: the owner on the row instead of the set of owned customers ───────────

alter policy "authors and managers remove activities" on public.activities
  using ((kind <> 'system'::public.activity_kind) AND ((select private.edits_all_customers()) OR (((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) AND (author_id = (select auth.uid())))));
alter policy "authors, managers and assignees edit activities" on public.activities
  using ((kind <> 'system'::public.activity_kind) AND ((select private.edits_all_customers()) OR (((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) AND (author_id = (select auth.uid()))) OR ((kind = 'task'::public.activity_kind) AND (assignee_id = (select auth.uid())) AND (select private.is_team_member()))))
  with check ((kind <> 'system'::public.activity_kind) AND ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR ((kind = 'task'::public.activity_kind) AND (assignee_id = (select auth.uid())) AND (select private.is_team_member()))));
alter policy "managers and owning agents add activities as themselves" on public.activities
  with check (((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid())))) AND (author_id = (select auth.uid())) AND (kind <> 'system'::public.activity_kind));
alter policy "staff read activities of the customers they may see, and their " on public.activities
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR ((assignee_id = (select auth.uid())) AND (select private.is_team_member())));
alter policy "staff read the alerts of customers they may see" on public.alert_log
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff and shoppers add alert preferences" on public.alert_preferences
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())));
alter policy "staff and shoppers edit alert preferences" on public.alert_preferences
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())))
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())));
alter policy "staff and shoppers remove alert preferences" on public.alert_preferences
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())));
alter policy "staff read the alert preferences of customers they may see" on public.alert_preferences
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers, owning agents and the shopper record consent" on public.consent_events
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())));
alter policy "staff and the shopper read consent" on public.consent_events
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))) OR (customer_id = (select private.shopper_customer_id())));
alter policy "managers and owning agents tag customers" on public.customer_tags
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents untag customers" on public.customer_tags
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read the tags of customers they may see" on public.customer_tags
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents add deals" on public.deals
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents edit deals" on public.deals
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))))
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read deals of the customers they may see" on public.deals
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read the favourites of customers they may see" on public.favorites
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents edit threads" on public.message_threads
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))))
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents open threads" on public.message_threads
  with check (((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid())))) AND (created_by = (select auth.uid())));
alter policy "staff read threads of the customers they may see" on public.message_threads
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents mark messages read" on public.messages
  using ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))))
  with check ((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "managers and owning agents write messages as themselves" on public.messages
  with check (((select private.edits_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid())))) AND (sent_by = (select auth.uid())));
alter policy "staff read messages of the customers they may see" on public.messages
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read the items of orders they may see" on public.order_items
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read the orders of customers they may see" on public.orders
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
alter policy "staff read the refunds of orders they may see" on public.refunds
  using ((select private.sees_all_customers()) OR ((select private.is_agent()) AND (customer_owner_id = (select auth.uid()))));
