-- The customer-360 realtime channel is private (security review L-12).
--
-- The open customer screen joins `customer-360:<customer id>` to hear about changes to that
-- customer. As a public channel anyone with the anon key could join it and broadcast on it. The
-- app now joins it with `private: true`, and Realtime lets a caller join a private channel only
-- when a policy on realtime.messages allows them to read it (with realtime.topic() set to the
-- channel name). This migration owns that policy: a team member may join the channel of a
-- customer they may see, decided by the customers row-level security evaluated as the caller.
-- Nothing is broadcast or tracked on the channel (the screen listens to postgres_changes only),
-- so there is no insert policy: nobody may write to it.
--
-- On hosted Supabase `postgres` is a member of supabase_realtime_admin, the owner of
-- realtime.messages, so a migration may create policies on it; the local stack grants the same.

create function private.customer_360_topic_customer(topic text) returns uuid
language plpgsql immutable set search_path = '' as $$
begin
  if topic is null or topic not like 'customer-360:%' then
    return null;
  end if;
  return substr(topic, length('customer-360:') + 1)::uuid;
exception when invalid_text_representation then
  -- A malformed topic names no customer: refused, never an error.
  return null;
end;
$$;
comment on function private.customer_360_topic_customer(text) is 'The customer id in a realtime topic `customer-360:<uuid>`, or null for any other or malformed topic. Parsing only: whether the caller may see that customer is for the customers policies.';
revoke execute on function private.customer_360_topic_customer(text) from public, anon;
grant execute on function private.customer_360_topic_customer(text) to authenticated, service_role;

-- The subquery on customers runs as the caller, so its row-level security decides: an agent sees
-- their own customers, managers, admins and read-only members every customer. A shopper may see
-- their own record but is no team member, so the channel stays closed to them.
create policy "team members who see the customer join its customer-360 channel" on realtime.messages
  for select to authenticated
  using (
    (select private.is_team_member())
    and exists (
      select 1 from public.customers c
      where c.id = (select private.customer_360_topic_customer(realtime.topic()))
    )
  );
