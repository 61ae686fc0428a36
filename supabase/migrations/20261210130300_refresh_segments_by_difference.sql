-- A segment refresh inserts only its newcomers (issue 13: full refresh of 20 segments < 10 s at
-- 100 000 customers)
--
-- Owns: private.refresh_segment, restated whole from 20261207170200 (same signature, answer, lock,
-- events, grants). It offered every current member to segment_memberships with `on conflict do
-- nothing`: one speculative insertion and unique-index probe per member, on every refresh, though
-- nearly all of them are members already. Now the newcomers are found first by an anti-join
-- (hashed) against the segment's memberships and only they are inserted (still `on conflict do
-- nothing`, so a concurrent writer of the same membership is harmless and logs no second join).
-- The leavers are removed as before. The temporary table of current members has no primary key
-- any more (filling its index took about as long as evaluating the rule) and is analysed, so both
-- anti-joins are planned with its real size.

create or replace function private.refresh_segment(segment_id uuid) returns table (joined integer, "left" integer)
language plpgsql volatile security definer set search_path = '' as $$
declare
  found_rules jsonb;
  now_ timestamptz := clock_timestamp();
begin
  select s.rules into found_rules from public.segments s where s.id = refresh_segment.segment_id for update;
  if not found then
    return;
  end if;
  -- No index on the current members: both anti-joins below hash them, and an index cost a second
  -- per 100 000 members to fill (the rule yields each customer once).
  create temporary table if not exists segment_refresh_current (customer_id uuid not null) on commit drop;
  truncate pg_temp.segment_refresh_current;
  execute format('insert into pg_temp.segment_refresh_current select c.id from public.customers c where %s',
    private.segment_rules_sql(found_rules));
  analyze pg_temp.segment_refresh_current;

  with gone as (
    delete from public.segment_memberships m
    where m.segment_id = refresh_segment.segment_id
      and not exists (select 1 from pg_temp.segment_refresh_current cur where cur.customer_id = m.customer_id)
    returning m.customer_id
  ), logged as (
    insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at)
    select refresh_segment.segment_id, g.customer_id, 'left', now_ from gone g
    returning 1
  )
  select count(*)::integer into "left" from logged;

  with came as (
    insert into public.segment_memberships (segment_id, customer_id, joined_at)
    select refresh_segment.segment_id, cur.customer_id, now_ from pg_temp.segment_refresh_current cur
    where not exists (
      select 1 from public.segment_memberships m
      where m.segment_id = refresh_segment.segment_id and m.customer_id = cur.customer_id
    )
    on conflict do nothing
    returning customer_id
  ), logged as (
    insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at)
    select refresh_segment.segment_id, c.customer_id, 'joined', now_ from came c
    returning 1
  )
  select count(*)::integer into joined from logged;

  update public.segments s set refreshed_at = now_ where s.id = refresh_segment.segment_id;
  return next;
end;
$$;
comment on function private.refresh_segment(uuid) is 'Recomputes one segment''s members over every customer (as the system), recording each join and leave in segment_membership_events, and stamps segments.refreshed_at. Locks the segment row, so two refreshes of one segment never interleave. Inserts only the newcomers (found by an anti-join), not every current member.';
revoke execute on function private.refresh_segment(uuid) from public, anon, authenticated;
grant execute on function private.refresh_segment(uuid) to service_role;
