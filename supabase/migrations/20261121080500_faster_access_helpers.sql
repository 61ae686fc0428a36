-- The access helpers every policy calls, made cheaper (ADR 0002, docs/benchmarks.md).
--
-- They were `language sql`. A SQL function that is `security definer` with its own
-- search_path is never inlined, and on Postgres 17 each call plans its body afresh; a policy's
-- helper chain (sees_all_customers → team_role) was planned again in every statement, for every
-- table a query touches — 0.3 to 1.5 ms of a 1 to 4 ms request. PL/pgSQL keeps the plan of each
-- statement it runs for the life of the connection, and each helper now reads team_members
-- itself instead of through team_role(), so one security-definer call answers one question.
-- Behaviour is unchanged: the same rows, the same active-member rule, still evaluated on every
-- statement (a role change or a deactivation applies to the next request).

create or replace function private.team_role() returns public.team_role
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select role from public.team_members where user_id = auth.uid() and active);
end
$$;

create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select from public.team_members where user_id = auth.uid() and active and role = 'admin');
end
$$;

create or replace function private.sees_all_customers() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select from public.team_members
    where user_id = auth.uid() and active and role in ('admin', 'manager', 'readonly')
  );
end
$$;

create or replace function private.edits_all_customers() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select from public.team_members where user_id = auth.uid() and active and role in ('admin', 'manager')
  );
end
$$;

create or replace function private.is_agent() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select from public.team_members where user_id = auth.uid() and active and role = 'agent');
end
$$;

create or replace function private.is_team_member() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select from public.team_members where user_id = auth.uid() and active);
end
$$;

create or replace function private.shopper_customer_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select id from public.customers where auth_user_id = auth.uid());
end
$$;
