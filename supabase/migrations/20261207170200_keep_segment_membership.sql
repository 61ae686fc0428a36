-- Segment membership kept current, with join/leave history, and snapshots (issue 13)
--
-- Owns:
--   segment_memberships        who is in each segment now (the shop's truth, kept by the database);
--   segment_membership_events  every join and leave, with its time (the history);
--   private.refresh_segment(id) / public.refresh_segments(max)  recompute membership: a segment at
--                              once when it is created or its rules change, and every segment on a
--                              pg_cron schedule (oldest first, at most 20 per run: bounded chunks,
--                              each segment once per run);
--   segment_size_history(id, from, to, zone)  members per day from the history, as the caller may
--                              see them (an agent: their customers' joins and leaves);
--   segment_snapshots, segment_snapshot_members, take_segment_snapshot(id, name),
--   compare_segment_snapshots(a, b)  frozen member lists for campaigns and exports, and their diff.
--
-- Membership is computed as the system (security definer: every customer), so the history is
-- the same for everyone; every read goes through row-level security: a member row, an event or
-- a snapshot member is visible only when its segment is (own or shared) and its customer is
-- (agents: their own). Snapshots are taken as the caller (segment_member_ids), so an agent's
-- snapshot holds their part of the segment. Campaigns read segment_member_ids() or a snapshot.

-- The VIP threshold must also answer the database itself (pg_cron, refreshes), not only API
-- callers: restated from 20261207170000 with "no API role" counted as the system.
create or replace function private.lifetime_value_at_top_percent(percent numeric) returns numeric
language sql stable security definer set search_path = '' as $$
  select case when (select private.is_team_member()) or coalesce((select auth.role()), 'service_role') = 'service_role' then (
    select percentile_disc(1 - percent / 100) within group (order by c.lifetime_value)
    from public.customers c
    where c.order_count > 0
  ) end
$$;
comment on function private.lifetime_value_at_top_percent(numeric) is 'The lowest lifetime value among the shop''s top percent of buyers (customers with an order). Shop-wide on purpose, so a VIP rule means the same customers for every reader; team members, the service role and the database itself (null for anyone else).';
revoke execute on function private.lifetime_value_at_top_percent(numeric) from public, anon;
grant execute on function private.lifetime_value_at_top_percent(numeric) to authenticated, service_role;

alter table public.segments add column refreshed_at timestamptz;
comment on column public.segments.refreshed_at is 'When the database last recomputed the members (segment_memberships); null before the first time.';

-- ─── Members and their history ───────────────────────────────────────────────────────────────

create table public.segment_memberships (
  segment_id uuid not null references public.segments (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  joined_at timestamptz not null default now(),
  primary key (segment_id, customer_id)
);
comment on table public.segment_memberships is 'Who is in each segment now, as of segments.refreshed_at; written only by the database (private.refresh_segment).';
create index segment_memberships_customer_idx on public.segment_memberships (customer_id);

create table public.segment_membership_events (
  id bigint generated always as identity primary key,
  segment_id uuid not null references public.segments (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  event text not null check (event in ('joined', 'left')),
  occurred_at timestamptz not null default now()
);
comment on table public.segment_membership_events is 'Every time a customer joined or left a segment (at a refresh); the source of the size-over-time chart. Written only by the database.';
create index segment_membership_events_segment_idx on public.segment_membership_events (segment_id, occurred_at);
create index segment_membership_events_customer_idx on public.segment_membership_events (customer_id);

create function private.refresh_segment(segment_id uuid) returns table (joined integer, "left" integer)
language plpgsql volatile security definer set search_path = '' as $$
declare
  found_rules jsonb;
  now_ timestamptz := clock_timestamp();
begin
  select s.rules into found_rules from public.segments s where s.id = refresh_segment.segment_id for update;
  if not found then
    return;
  end if;
  create temporary table if not exists segment_refresh_current (customer_id uuid primary key) on commit drop;
  truncate pg_temp.segment_refresh_current;
  execute format('insert into pg_temp.segment_refresh_current select c.id from public.customers c where %s',
    private.segment_rules_sql(found_rules));

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
comment on function private.refresh_segment(uuid) is 'Recomputes one segment''s members over every customer (as the system), recording each join and leave in segment_membership_events, and stamps segments.refreshed_at. Locks the segment row, so two refreshes of one segment never interleave.';
revoke execute on function private.refresh_segment(uuid) from public, anon, authenticated;
grant execute on function private.refresh_segment(uuid) to service_role;

-- A refresh stamps refreshed_at: that is the database's bookkeeping, not an edit, so updated_at
-- and the audit trail follow only the columns people change.
drop trigger touch_updated_at on public.segments;
create trigger touch_updated_at before update of name, description, rules, shared on public.segments
  for each row execute function private.touch_updated_at();
drop trigger record_audit on public.segments;
create trigger record_audit after insert or delete or update of name, description, rules, shared on public.segments
  for each row execute function private.record_audit();

create function private.refresh_segment_after_write() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.refresh_segment(new.id);
  return null;
end;
$$;
comment on function private.refresh_segment_after_write() is 'A new segment, or one whose rules changed, gets its members at once.';

create trigger refresh_after_write after insert or update of rules on public.segments
  for each row execute function private.refresh_segment_after_write();

create function public.refresh_segments(max_segments integer default 20) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  picked uuid;
  done integer := 0;
begin
  if coalesce((select auth.role()), 'service_role') <> 'service_role' then
    raise exception 'only the system refreshes every segment' using errcode = '42501';
  end if;
  for picked in
    select s.id from public.segments s
    order by s.refreshed_at nulls first, s.id
    limit greatest(1, least(coalesce(max_segments, 20), 200))
    for update skip locked
  loop
    perform private.refresh_segment(picked);
    done := done + 1;
  end loop;
  return done;
end;
$$;
comment on function public.refresh_segments(integer) is 'Recomputes the members of up to max_segments segments (at most 200), least recently refreshed first, skipping any another refresh holds. Run every 15 minutes by pg_cron; the service role may call it. Returns how many it refreshed.';
revoke execute on function public.refresh_segments(integer) from public, anon, authenticated;
grant execute on function public.refresh_segments(integer) to service_role;

create extension if not exists pg_cron with schema pg_catalog;
select cron.schedule('refresh-segments', '*/15 * * * *', $$select public.refresh_segments(20)$$);

-- ─── Reading members and history ─────────────────────────────────────────────────────────────

alter table public.segment_memberships enable row level security;
alter table public.segment_membership_events enable row level security;

create policy "members read who is in the segments they may see" on public.segment_memberships
  for select to authenticated
  using (
    segment_id in (select s.id from public.segments s)
    and ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()))
  );
create policy "members read the history of the segments they may see" on public.segment_membership_events
  for select to authenticated
  using (
    segment_id in (select s.id from public.segments s)
    and ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()))
  );

revoke all on public.segment_memberships, public.segment_membership_events from anon, authenticated;
grant select on public.segment_memberships, public.segment_membership_events to authenticated;

create function public.segment_size_history(segment_id uuid, from_day date, to_day date, timezone text default 'UTC')
returns table (day date, members integer, joined integer, "left" integer)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
begin
  if not private.is_time_zone(timezone) then
    raise exception 'unknown time zone "%"', timezone using errcode = '22023', hint = 'Use an IANA name such as Europe/Madrid.';
  end if;
  if from_day is null or to_day is null or to_day < from_day then
    raise exception 'the range ends before it starts' using errcode = '22023';
  end if;
  if to_day - from_day > 366 * 5 then
    raise exception 'a range is at most 5 years' using errcode = '22023';
  end if;
  if not exists (select 1 from public.segments s where s.id = segment_size_history.segment_id) then
    raise exception 'no such segment' using errcode = 'P0002';
  end if;
  return query
  with changes as (
    select (e.occurred_at at time zone timezone)::date as on_day,
      count(*) filter (where e.event = 'joined')::integer as came,
      count(*) filter (where e.event = 'left')::integer as went
    from public.segment_membership_events e
    where e.segment_id = segment_size_history.segment_id
      and e.occurred_at < ((to_day + 1)::timestamp at time zone timezone)
    group by 1
  ),
  before_range as (
    select coalesce(sum(c.came - c.went), 0)::integer as base from changes c where c.on_day < from_day
  )
  select d::date,
    ((select b.base from before_range b) + coalesce(sum(coalesce(c.came, 0) - coalesce(c.went, 0)) over (order by d), 0))::integer,
    coalesce(c.came, 0),
    coalesce(c.went, 0)
  from generate_series(from_day, to_day, interval '1 day') as d
  left join changes c on c.on_day = d::date
  order by d;
end;
$$;
comment on function public.segment_size_history(uuid, date, date, text) is 'Members of a segment at the end of each day of a range (days in the given zone), with that day''s joins and leaves, from segment_membership_events as the caller may see them (an agent: their customers). At most 5 years; 22023 for an impossible range, P0002 for a segment the caller may not read.';
revoke execute on function public.segment_size_history(uuid, date, date, text) from public, anon;
grant execute on function public.segment_size_history(uuid, date, date, text) to authenticated, service_role;

-- ─── Snapshots ───────────────────────────────────────────────────────────────────────────────

create table public.segment_snapshots (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references public.segments (id) on delete cascade,
  name text not null,
  taken_by uuid references public.team_members (user_id) on delete set null,
  taken_at timestamptz not null default now(),
  member_count integer not null check (member_count >= 0),
  constraint segment_snapshots_name_is_trimmed_and_short check (name = btrim(name) and length(name) between 1 and 80)
);
comment on table public.segment_snapshots is 'A segment''s members frozen at a moment (for a campaign or an export), as the member who took it could see them. Made only by take_segment_snapshot().';
create index segment_snapshots_segment_idx on public.segment_snapshots (segment_id, taken_at desc);

create table public.segment_snapshot_members (
  snapshot_id uuid not null references public.segment_snapshots (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  primary key (snapshot_id, customer_id)
);
comment on table public.segment_snapshot_members is 'The customers of a snapshot.';
create index segment_snapshot_members_customer_idx on public.segment_snapshot_members (customer_id);

alter table public.segment_snapshots enable row level security;
alter table public.segment_snapshot_members enable row level security;
create policy "members read the snapshots of the segments they may see" on public.segment_snapshots
  for select to authenticated
  using (segment_id in (select s.id from public.segments s));
create policy "members who took a snapshot delete it" on public.segment_snapshots
  for delete to authenticated
  using (taken_by = (select auth.uid()) and ((select private.edits_all_customers()) or (select private.is_agent())));
create policy "members read snapshot members they may see" on public.segment_snapshot_members
  for select to authenticated
  using (
    snapshot_id in (select s.id from public.segment_snapshots s)
    and ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()))
  );
revoke all on public.segment_snapshots, public.segment_snapshot_members from anon, authenticated;
grant select, delete on public.segment_snapshots to authenticated;
grant select on public.segment_snapshot_members to authenticated;
create trigger record_audit after insert or delete on public.segment_snapshots
  for each row execute function private.record_audit();

-- Writes the snapshot rows with the definer's rights (nobody inserts them directly), but reads
-- the members through segment_member_ids(), which runs as the caller.
create function private.store_segment_snapshot(segment_id uuid, name text, members uuid[]) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  snapshot uuid;
begin
  insert into public.segment_snapshots (segment_id, name, taken_by, member_count)
  values (store_segment_snapshot.segment_id, store_segment_snapshot.name, (select auth.uid()), cardinality(members))
  returning id into snapshot;
  insert into public.segment_snapshot_members (snapshot_id, customer_id)
  select snapshot, m from unnest(members) m;
  return snapshot;
end;
$$;
comment on function private.store_segment_snapshot(uuid, text, uuid[]) is 'Writes a snapshot and its members; only take_segment_snapshot calls it.';
revoke execute on function private.store_segment_snapshot(uuid, text, uuid[]) from public, anon;
grant execute on function private.store_segment_snapshot(uuid, text, uuid[]) to authenticated, service_role;

create function public.take_segment_snapshot(segment_id uuid, name text) returns uuid
language plpgsql volatile security invoker set search_path = '' as $$
begin
  if not ((select private.edits_all_customers()) or (select private.is_agent()))
     and (select auth.role()) is distinct from 'service_role' then
    raise exception 'only admins, managers and agents take snapshots' using errcode = '42501';
  end if;
  if name is null or name <> btrim(name) or length(name) not between 1 and 80 then
    raise exception 'a snapshot needs a name of 1–80 characters, without spaces around it' using errcode = '22023';
  end if;
  return private.store_segment_snapshot(segment_id, name,
    array(select public.segment_member_ids(take_segment_snapshot.segment_id)));
end;
$$;
comment on function public.take_segment_snapshot(uuid, text) is 'Freezes the segment''s members as the caller may see them (segment_member_ids) under a name; returns the snapshot id. Admins, managers, agents and the service role; P0002 for a segment the caller may not read.';
revoke execute on function public.take_segment_snapshot(uuid, text) from public, anon;
grant execute on function public.take_segment_snapshot(uuid, text) to authenticated, service_role;

create function public.compare_segment_snapshots(earlier uuid, later uuid)
returns table (customer_id uuid, change text)
language sql stable security invoker set search_path = '' as $$
  select coalesce(b.customer_id, a.customer_id),
    case when a.customer_id is null then 'added' else 'removed' end
  from (select m.customer_id from public.segment_snapshot_members m where m.snapshot_id = earlier) a
  full join (select m.customer_id from public.segment_snapshot_members m where m.snapshot_id = later) b
    on a.customer_id = b.customer_id
  where a.customer_id is null or b.customer_id is null
$$;
comment on function public.compare_segment_snapshots(uuid, uuid) is 'Who is in the later snapshot and not the earlier (added), and the reverse (removed), as the caller may see them.';
revoke execute on function public.compare_segment_snapshots(uuid, uuid) from public, anon;
grant execute on function public.compare_segment_snapshots(uuid, uuid) to authenticated, service_role;
