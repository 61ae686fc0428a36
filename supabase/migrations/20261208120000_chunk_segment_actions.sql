-- Bulk actions on a segment's members as a resumable job in bounded batches (issue 13)
--
-- Owns public.segment_actions (one row per bulk action: who asked, what, progress),
-- private.segment_action_items (the members still to do), and the functions that run them:
--   public.act_on_segment(segment_id, action, value)  restated: checks the request as the caller,
--                              freezes the members the caller may see, does the first batch at
--                              once and answers the job row (a segment of up to one batch is done
--                              in the call, as before);
--   private.run_segment_action_batch(id, size)  one batch: claims up to `size` members (deleting
--                              them from the items), applies the action to them as the current
--                              user and records the progress — all in one transaction, so every
--                              member is acted on exactly once, whatever fails or is retried;
--   private.run_segment_actions(budget)  the scheduled worker (pg_cron, every 10 seconds): runs
--                              batches of the running jobs, each AS THE PERSON WHO ASKED (role
--                              authenticated, their claims), for a bounded time;
--   public.cancel_segment_action(id)  the person who asked stops it; the rest is not done.
--
-- 20261207172200 did all members in one statement, which the API's 8 s statement timeout cuts
-- off for large segments (and it held every row lock for the whole time). Row-level security and
-- the customers' triggers still decide every change, batch by batch, as for a ticked row: an agent
-- changes only their own customers; if the person is deactivated or loses the right meanwhile,
-- the next batch is refused and the job stops as failed with the reason.

create table public.segment_actions (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid references public.segments (id) on delete set null,
  actor_id uuid not null references auth.users (id) on delete cascade,
  action text not null check (action in ('tag', 'assign', 'stage')),
  value text,
  status text not null default 'running' check (status in ('running', 'done', 'failed', 'cancelled')),
  total integer not null check (total >= 0),
  processed integer not null default 0 check (processed >= 0 and processed <= total),
  changed integer not null default 0 check (changed >= 0 and changed <= processed),
  batches integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
comment on table public.segment_actions is 'Bulk actions on every member of a segment (act_on_segment), run in batches as the person who asked: total members frozen at the start, processed and changed so far, status. Read by the person who asked and by admins; written only by the database.';
comment on column public.segment_actions.changed is 'Members the action actually changed (already tagged, already at the stage or already the owner: not counted).';
comment on column public.segment_actions.error is 'Why the job stopped (status failed), in the database''s words.';
create index segment_actions_actor_idx on public.segment_actions (actor_id, created_at desc);
create index segment_actions_running_idx on public.segment_actions (created_at) where status = 'running';

alter table public.segment_actions enable row level security;
create policy "the person who asked and admins read a bulk action" on public.segment_actions
  for select to authenticated
  using (actor_id = (select auth.uid()) or (select private.is_admin()));
revoke all on public.segment_actions from anon, authenticated;
grant select on public.segment_actions to authenticated;

create table private.segment_action_items (
  action_id uuid not null references public.segment_actions (id) on delete cascade,
  customer_id uuid not null,
  primary key (action_id, customer_id)
);
comment on table private.segment_action_items is 'The members a running bulk action has still to do; a batch deletes the ones it does in the same transaction as the change.';

-- ─── One batch, as the current user ──────────────────────────────────────────────────────────

create function private.claim_segment_action_batch(action_id uuid, size integer) returns uuid[]
language plpgsql volatile security definer set search_path = '' as $$
declare
  job public.segment_actions;
  claimed uuid[];
begin
  select * into job from public.segment_actions a where a.id = claim_segment_action_batch.action_id for update;
  if not found then
    return null;
  end if;
  -- Only the person who asked (or the system, which then acts as that person).
  if (select auth.uid()) is distinct from job.actor_id then
    raise exception 'only the person who asked runs a bulk action' using errcode = '42501';
  end if;
  if job.status <> 'running' then
    return null;
  end if;
  with picked as (
    select i.customer_id from private.segment_action_items i
    where i.action_id = job.id
    order by i.customer_id
    limit greatest(1, least(size, 5000))
  ), gone as (
    delete from private.segment_action_items i using picked p
    where i.action_id = job.id and i.customer_id = p.customer_id
    returning i.customer_id
  )
  select coalesce(array_agg(g.customer_id), '{}') into claimed from gone g;
  return claimed;
end;
$$;
comment on function private.claim_segment_action_batch(uuid, integer) is 'Takes up to size members off a running bulk action (locking its row) for the person who asked; null when the job is not running.';
revoke execute on function private.claim_segment_action_batch(uuid, integer) from public, anon;
grant execute on function private.claim_segment_action_batch(uuid, integer) to authenticated, service_role;

create function private.record_segment_action_batch(action_id uuid, done integer, changed integer) returns public.segment_actions
language plpgsql volatile security definer set search_path = '' as $$
declare
  job public.segment_actions;
  left_over boolean;
begin
  left_over := exists (select 1 from private.segment_action_items i where i.action_id = record_segment_action_batch.action_id);
  update public.segment_actions a set
    processed = a.processed + done,
    changed = a.changed + record_segment_action_batch.changed,
    batches = a.batches + 1,
    status = case when left_over then a.status else 'done' end,
    finished_at = case when left_over then null else clock_timestamp() end,
    updated_at = clock_timestamp()
  where a.id = record_segment_action_batch.action_id and a.actor_id = (select auth.uid())
  returning * into job;
  return job;
end;
$$;
comment on function private.record_segment_action_batch(uuid, integer, integer) is 'Adds one batch''s counts to a bulk action (the person who asked only) and marks it done when no member is left.';
revoke execute on function private.record_segment_action_batch(uuid, integer, integer) from public, anon;
grant execute on function private.record_segment_action_batch(uuid, integer, integer) to authenticated, service_role;

-- The change itself: security invoker, so the current user's row-level security and the
-- customers' triggers decide, exactly as for a ticked row.
create function private.apply_segment_action(action text, value text, ids uuid[]) returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  changed integer;
begin
  if action = 'tag' then
    insert into public.customer_tags (customer_id, tag_id)
    select c.id, value::uuid from public.customers c where c.id = any (ids)
    on conflict (customer_id, tag_id) do nothing;
  elsif action = 'assign' then
    update public.customers c set owner_id = value::uuid
    where c.id = any (ids) and c.owner_id is distinct from value::uuid;
  else
    update public.customers c set lifecycle_stage = value
    where c.id = any (ids) and c.lifecycle_stage is distinct from value;
  end if;
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function private.apply_segment_action(text, text, uuid[]) is 'Tags, assigns or moves the stage of the given customers as the current user (row-level security and triggers apply); returns how many changed. A customer the user may no longer see is skipped.';
revoke execute on function private.apply_segment_action(text, text, uuid[]) from public, anon;
grant execute on function private.apply_segment_action(text, text, uuid[]) to authenticated, service_role;

create function private.run_segment_action_batch(action_id uuid, size integer default 500) returns public.segment_actions
language plpgsql volatile security invoker set search_path = '' as $$
declare
  job public.segment_actions;
  ids uuid[];
  changed integer;
begin
  -- The person's rights now, not when they asked: a member made readonly meanwhile is refused.
  if not (select private.edits_all_customers()) and not (select private.is_agent()) then
    raise exception 'only admins, managers and agents change customers' using errcode = '42501';
  end if;
  ids := private.claim_segment_action_batch(action_id, size);
  select * into job from public.segment_actions a where a.id = run_segment_action_batch.action_id;
  if ids is null then
    return job;
  end if;
  changed := private.apply_segment_action(job.action, job.value, ids);
  return private.record_segment_action_batch(action_id, cardinality(ids), changed);
end;
$$;
comment on function private.run_segment_action_batch(uuid, integer) is 'One batch of a bulk action as the current user (the person who asked): claim, change, record — one transaction, so each member is done exactly once.';
revoke execute on function private.run_segment_action_batch(uuid, integer) from public, anon;
grant execute on function private.run_segment_action_batch(uuid, integer) to authenticated, service_role;

-- ─── Starting one ────────────────────────────────────────────────────────────────────────────

create function private.queue_segment_action(segment_id uuid, action text, value text, members uuid[])
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  job_id uuid;
begin
  insert into public.segment_actions (segment_id, actor_id, action, value, total)
  values (segment_id, (select auth.uid()), action, value, cardinality(members))
  returning id into job_id;
  insert into private.segment_action_items (action_id, customer_id)
  select job_id, m from unnest(members) m
  on conflict do nothing;
  return job_id;
end;
$$;
comment on function private.queue_segment_action(uuid, text, text, uuid[]) is 'Records a bulk action for the caller with the members they could see when they asked.';
revoke execute on function private.queue_segment_action(uuid, text, text, uuid[]) from public, anon;
grant execute on function private.queue_segment_action(uuid, text, text, uuid[]) to authenticated, service_role;

drop function public.act_on_segment(uuid, text, text);
create function public.act_on_segment(segment_id uuid, action text, value text default null)
returns public.segment_actions
language plpgsql volatile security invoker set search_path = '' as $$
declare
  tag uuid;
  owner uuid;
  members uuid[];
  job_id uuid;
begin
  if not (select private.edits_all_customers()) and not (select private.is_agent()) then
    raise exception 'only admins, managers and agents change customers' using errcode = '42501';
  end if;
  if action is null or action not in ('tag', 'assign', 'stage') then
    raise exception 'unknown action %: use tag, assign or stage', coalesce(left(action, 40), 'null') using errcode = '22023';
  end if;
  if action <> 'assign' and value is null then
    raise exception 'the % action needs a value', action using errcode = '22023';
  end if;
  perform 1 from public.segments s where s.id = act_on_segment.segment_id;
  if not found then
    raise exception 'no such segment' using errcode = 'P0002';
  end if;
  if action = 'tag' then
    begin
      tag := value::uuid;
    exception when invalid_text_representation then
      raise exception 'the tag must be a tag''s id' using errcode = '22023';
    end;
    if not exists (select 1 from public.tags t where t.id = tag) then
      raise exception 'no such tag' using errcode = '22023';
    end if;
  elsif action = 'assign' then
    begin
      owner := value::uuid;
    exception when invalid_text_representation then
      raise exception 'the owner must be a team member''s id' using errcode = '22023';
    end;
    if owner is not null and not exists (select 1 from public.team_members t where t.user_id = owner) then
      raise exception 'no such team member' using errcode = '22023';
    end if;
  elsif not exists (select 1 from public.lifecycle_stages s where s.key = value) then
    raise exception 'no such lifecycle stage: %', left(value, 40) using errcode = '22023';
  end if;

  -- The members as the caller sees them now (an agent: their own), frozen for the job.
  select coalesce(array_agg(m.id), '{}') into members from public.segment_member_ids(act_on_segment.segment_id) m (id);
  job_id := private.queue_segment_action(act_on_segment.segment_id, action, value, members);
  -- The first batch at once, in this transaction: a refusal (an agent handing customers to
  -- someone else) undoes everything, and a small segment is done when the call returns.
  return private.run_segment_action_batch(job_id, 500);
end;
$$;
comment on function public.act_on_segment(uuid, text, text) is 'Starts a bulk action on every member of a segment the caller may read: tag (value: a tag id), assign (a team member''s id, or null for nobody) or stage (a stage key). The members the caller sees are frozen; the first 500 are done in the call, the rest in batches of 500 by the scheduled worker as the caller (RLS and triggers apply); answers the segment_actions row (status, total, processed, changed). 22023 for an unknown action or value, 42501 for readonly members (or a refused first batch, then nothing is written), P0002 for a segment the caller may not read.';
revoke execute on function public.act_on_segment(uuid, text, text) from public, anon;
grant execute on function public.act_on_segment(uuid, text, text) to authenticated, service_role;

create function public.cancel_segment_action(action_id uuid) returns public.segment_actions
language plpgsql volatile security definer set search_path = '' as $$
declare
  job public.segment_actions;
begin
  select * into job from public.segment_actions a
  where a.id = cancel_segment_action.action_id and a.actor_id = (select auth.uid()) for update;
  if not found then
    raise exception 'no such bulk action' using errcode = 'P0002';
  end if;
  if job.status <> 'running' then
    return job;
  end if;
  delete from private.segment_action_items i where i.action_id = job.id;
  update public.segment_actions a set status = 'cancelled', finished_at = clock_timestamp(), updated_at = clock_timestamp()
  where a.id = job.id returning * into job;
  return job;
end;
$$;
comment on function public.cancel_segment_action(uuid) is 'The person who asked stops a running bulk action: what is done stays done, the rest is not done. P0002 for anyone else''s.';
revoke execute on function public.cancel_segment_action(uuid) from public, anon;
grant execute on function public.cancel_segment_action(uuid) to authenticated, service_role;

-- ─── The scheduled worker ────────────────────────────────────────────────────────────────────

create function private.run_segment_actions(budget interval default interval '5 seconds', size integer default 500)
returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  started timestamptz := clock_timestamp();
  job public.segment_actions;
  done_batches integer := 0;
  progressed boolean := true;
begin
  -- Not for API callers: the worker switches to each job's person, which only the database's own
  -- login may do (pg_cron runs as postgres).
  if coalesce((select auth.role()), 'none') in ('anon', 'authenticated', 'service_role') then
    raise exception 'only the scheduler runs bulk actions' using errcode = '42501';
  end if;
  while progressed and clock_timestamp() - started < budget loop
    progressed := false;
    for job in
      select * from public.segment_actions a where a.status = 'running' order by a.created_at
      for update skip locked
    loop
      exit when clock_timestamp() - started >= budget;
      begin
        -- As the person who asked: their role-level security and triggers decide the batch.
        perform set_config('request.jwt.claims',
          json_build_object('sub', job.actor_id, 'role', 'authenticated')::text, true);
        perform set_config('role', 'authenticated', true);
        job := private.run_segment_action_batch(job.id, size);
        perform set_config('role', 'none', true);
        perform set_config('request.jwt.claims', '', true);
        done_batches := done_batches + 1;
        progressed := progressed or job.status = 'running';
      exception when others then
        -- The batch is undone (and the role with it); the job stops with the reason.
        update public.segment_actions a set status = 'failed', error = left(sqlerrm, 500),
          finished_at = clock_timestamp(), updated_at = clock_timestamp()
        where a.id = job.id;
      end;
    end loop;
  end loop;
  return done_batches;
end;
$$;
comment on function private.run_segment_actions(interval, integer) is 'Runs batches of every running bulk action, oldest first, each as the person who asked, for about budget; a refused batch stops its job as failed with the reason. Run every 10 seconds by pg_cron.';
revoke execute on function private.run_segment_actions(interval, integer) from public, anon, authenticated, service_role;

select cron.schedule('segment-actions', '10 seconds',
  $$select private.run_segment_actions() where exists (select from public.segment_actions where status = 'running')$$);
