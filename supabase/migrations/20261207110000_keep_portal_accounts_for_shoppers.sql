-- A portal account is a shopper's, never a team member's (security review M-1 and L-2).
--
-- Owns: the rule that an account with a team row is never a customer's portal account, who may
-- link a portal account to a customer, the shopper policies, and the shopper-edit guard.
--
-- Why: the shopper policies matched any account whose id was a customer's `auth_user_id`, and the
-- shopper-edit guard let any team member through. So a staff account linked to a customer (a
-- colleague who shops at the store, or a link an agent set, L-2) could rewrite status, stage,
-- email and owner through the shopper policy whatever its role: readonly wrote, an agent handed
-- another agent's customer to themselves. Now:
--   - `private.portal_customer_id()` is the shopper's customer only when the account has no team
--     row at all (active, pending or deactivated); every shopper policy goes through it, so staff
--     reach customer data only through the staff policies;
--   - the shopper-edit guard asks how the row was reached, not who the caller is: status, stage,
--     owner, account and email change only for those whose staff policies let them edit the row;
--   - only admins and managers set or change `customers.auth_user_id` (agents used to link any
--     account to their customers), and no writer, the service role included, may link an
--     account that has a team row (the reverse rule, no team row for a linked account, lives
--     with the team access rules).

-- ─── Links made before this rule ─────────────────────────────────────────────────────────────
-- A team member's account linked to a customer loses the link: it was never a shopper's. A
-- system change, recorded by the audit trigger.
update public.customers c set auth_user_id = null
where c.auth_user_id is not null and exists (select from public.team_members t where t.user_id = c.auth_user_id);

-- ─── The shopper's customer, for shoppers only ───────────────────────────────────────────────

create function private.portal_customer_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  -- One indexed lookup each: the customer linked to the account, unless the account has a team
  -- row (whatever its state: a deactivated or pending member is not a shopper either).
  return (
    select c.id from public.customers c
    where c.auth_user_id = auth.uid()
      and not exists (select from public.team_members t where t.user_id = auth.uid())
  );
end
$$;
comment on function private.portal_customer_id() is 'The customer record of the calling shopper (portal account), or null — also null for any account with a team row, so staff never get shopper powers. Use in shopper policies as customer_id = (select private.portal_customer_id()).';
revoke execute on function private.portal_customer_id() from public, anon;
grant execute on function private.portal_customer_id() to authenticated, service_role;

-- ─── Shopper policies ────────────────────────────────────────────────────────────────────────

alter policy "shoppers read their own profile" on public.customers
  using (id = (select private.portal_customer_id()));
alter policy "shoppers edit their own profile" on public.customers
  using (id = (select private.portal_customer_id()))
  with check (id = (select private.portal_customer_id()));

alter policy "shoppers read their own favourites" on public.favorites
  using (customer_id = (select private.portal_customer_id()));
alter policy "shoppers add their own favourites" on public.favorites
  with check (customer_id = (select private.portal_customer_id()));
alter policy "shoppers remove their own favourites" on public.favorites
  using (customer_id = (select private.portal_customer_id()));

alter policy "shoppers read their own alerts" on public.alert_log
  using (customer_id = (select private.portal_customer_id()));

alter policy "shoppers read their own alert preferences" on public.alert_preferences
  using (customer_id = (select private.portal_customer_id()));
alter policy "staff and shoppers add alert preferences" on public.alert_preferences
  with check ((select private.edits_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()));
alter policy "staff and shoppers edit alert preferences" on public.alert_preferences
  using ((select private.edits_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()))
  with check ((select private.edits_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()));
alter policy "staff and shoppers remove alert preferences" on public.alert_preferences
  using ((select private.edits_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()));

alter policy "staff and the shopper read consent" on public.consent_events
  using ((select private.sees_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()));
alter policy "managers, owning agents and the shopper record consent" on public.consent_events
  with check ((select private.edits_all_customers()) or ((select private.is_agent()) and customer_owner_id = (select auth.uid()))
    or customer_id = (select private.portal_customer_id()));

-- ─── The shopper-edit guard: how the row was reached ─────────────────────────────────────────
-- Restated from 20261121050442; its trigger (and WHEN clause, 20261121090100) is unchanged: it
-- still fires only when status, stage, owner, account or email changes, so metric updates never
-- pay for it.

create or replace function private.guard_shopper_profile_edit() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- The system (service role, jobs, migrations) classifies customers.
  if (select auth.role()) is distinct from 'authenticated' then
    return new;
  end if;
  -- Reached through the staff policies: managers and admins, or the agent who owns the record.
  -- Anyone else got here through the shopper policy, whatever team row they may also have.
  if (select private.edits_all_customers()) or ((select private.is_agent()) and old.owner_id = (select auth.uid())) then
    return new;
  end if;
  raise exception 'shoppers may change their personal details only (not status, stage, owner, account or email)'
    using errcode = '42501';
end;
$$;
comment on function private.guard_shopper_profile_edit() is 'BEFORE UPDATE on customers (when status, stage, owner, account or email changes): refused unless the caller may edit the row as staff (manager, admin, or the owning agent) or is the system.';

-- ─── Who links a portal account ──────────────────────────────────────────────────────────────

create function private.guard_portal_account() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Security definer: the team rows must be read whoever writes (a shopper sees none).
  if (select auth.role()) = 'authenticated' and not (select private.edits_all_customers()) then
    raise exception 'only managers and admins link a portal account to a customer'
      using errcode = '42501', hint = 'Ask a manager to invite the customer to the portal.';
  end if;
  if new.auth_user_id is not null and exists (select from public.team_members t where t.user_id = new.auth_user_id) then
    raise exception 'a team member''s account cannot be a customer''s portal account'
      using errcode = '23514', table = 'customers', column = 'auth_user_id';
  end if;
  return new;
end;
$$;
comment on function private.guard_portal_account() is 'BEFORE INSERT / UPDATE of customers.auth_user_id: only managers and admins (or the system) set or change the link, and never to an account that has a team row.';
revoke execute on function private.guard_portal_account() from public, anon, authenticated;

create trigger guard_portal_account_on_insert before insert on public.customers
  for each row when (new.auth_user_id is not null) execute function private.guard_portal_account();
create trigger guard_portal_account_on_update before update of auth_user_id on public.customers
  for each row when (new.auth_user_id is distinct from old.auth_user_id) execute function private.guard_portal_account();
