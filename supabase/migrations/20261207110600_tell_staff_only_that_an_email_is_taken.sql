-- What a caller learns about a customer email that already exists (security review L-7).
--
-- Owns: `private.refuse_taken_customer_email()` and its triggers on customers.
--
-- Decision (docs/database.md, "What a caller learns about an email"): customer emails are unique
-- (Shopify orders find their buyer by email), so someone who may add or edit customers learns
-- one bit when they type an address that is taken: that a customer with it exists. Nothing
-- more — not whose record it is, its id, owner or any field — and nobody else learns even that
-- bit: callers who may not write customers are refused by row-level security whatever the
-- address. Before, an agent got Postgres's raw unique violation on `customers_email_key`; now
-- the same 409 (`23505`) says in words what happened and what to do: ask a manager, who sees
-- every customer.
--
-- BEFORE triggers run ahead of the policies' WITH CHECK, so the trigger answers only callers
-- who may write customers at all (managers, admins, agents); everyone else still meets the
-- policy's 42501, exactly as for an unused address. The system (service role, webhooks, imports)
-- keeps the plain unique violation. The unique index stays the guarantee under concurrency.

create function private.refuse_taken_customer_email() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Security definer: the other record is usually one the caller cannot see.
  if (select auth.role()) = 'authenticated'
     and ((select private.edits_all_customers()) or (select private.is_agent()))
     and exists (select from public.customers c where lower(c.email) = lower(new.email) and c.id <> new.id) then
    raise exception 'a customer with this email address already exists'
      using errcode = '23505', table = 'customers', column = 'email', constraint = 'customers_email_key',
        hint = 'Ask a manager to find that customer or to share it with you.';
  end if;
  return new;
end;
$$;
comment on function private.refuse_taken_customer_email() is 'BEFORE INSERT / UPDATE of customers.email, for team members who may write customers: a taken address is refused with 23505 "a customer with this email address already exists" and a hint to ask a manager, revealing nothing about the existing record.';
revoke execute on function private.refuse_taken_customer_email() from public, anon, authenticated;

create trigger refuse_taken_email_on_insert before insert on public.customers
  for each row when (new.email is not null) execute function private.refuse_taken_customer_email();
create trigger refuse_taken_email_on_update before update of email on public.customers
  for each row when (new.email is not null and lower(new.email) is distinct from lower(old.email))
  execute function private.refuse_taken_customer_email();
