-- The automation engine runs a chunk's steps as sets (issue 16: "handles 10 000 trigger events per
-- minute with every step exactly once"; docs/benchmarks.md, "Automation engine").
--
-- Why: a chunk moved each passage on its own (private.advance_enrolment in a subtransaction), and
-- each step was a handful of single-row statements — the path row written as running then
-- updated, the passage updated, the customer re-read — each firing its table's row triggers.
-- Measured on 500 passages of the bench's flow (add a tag, create a task, set the stage, remove
-- the tag): the chunk took 4.3 s, the same four effects done as four set statements 0.63 s.
-- And a tag added to 10 000 customers in one statement enrolled them one row trigger at a time.
--
-- Owns:
--   - public.run_flows (restated whole from 20261208110200). Same arguments, grants, locking (the
--     due passages of active flows, `for update skip locked`) and retry semantics; the result
--     gains set_steps (of the steps, those run in sets) and rounds_rolled_back. Changed: the chunk
--     moves its passages in rounds, one step per passage a round (at most 25); in a round every
--     passage whose step is add_tag, remove_tag, set_stage, create_task, wait or notify is done
--     with one statement per kind for all of them, the path row written once with its outcome,
--     in the same transaction as the effect, and the passages advanced in one statement; the
--     goal (placed an order) and the end of a flow are settled for the round in one statement
--     each (private.run_flow_round). A round is a subtransaction: if any of its statements fails,
--     the round is rolled back and its passages are handed to the one-at-a-time engine
--     (private.advance_enrolment, unchanged), which retries the failing step with backoff and
--     fails that customer only, as before. One difference: the steps a passage took in earlier
--     rounds of the chunk stay done (before, a step failing after others in the same chunk rolled
--     those back too, and the retry did them again). The one-at-a-time engine also takes the
--     steps the set path does not (send_template, condition, assign_owner, a removed step) and
--     the passages of flows whose goal is segment rules, after the rounds. A customer with
--     several passages due has them in successive layers (their first passage in the first
--     layer…), each layer run in rounds after the one before, so a set statement never touches
--     one customer twice. A step already on the path is not done again (unique (enrolment_id,
--     step_key); the set statements insert without `on conflict`, so a duplicate rolls the round
--     back rather than repeating an effect), and the round checks that every step it ran has its
--     path row before the passages move on.
--   - private.capture_tag_flow_events_rows() and the statement trigger capture_flow_events_inserts
--     on public.customer_tags (AFTER INSERT … REFERENCING the statement's rows), replacing the row
--     trigger capture_flow_events: the enrolments private.enrol_in_flows made per row (same entry
--     keys tag_added:<tag>:<epoch of created_at>, same trigger_event, same "entered" row), one
--     look-up of the active flows per statement. private.capture_tag_flow_events stays (unused) so
--     that nothing naming it breaks.

create function private.capture_tag_flow_events_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not private.flows_listen('tag_added') then
    return null;
  end if;
  with events as (
    select n.customer_id, n.tag_id,
           'tag_added:' || n.tag_id || ':' || (extract(epoch from n.created_at))::text as entry_key,
           jsonb_build_object('tag_id', n.tag_id) as event, row_number() over () as row_no
    from new_rows n
  ), entered as (
    insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
    select f.id, e.customer_id, case when cardinality(f.also_on) > 0 then 'joined' else e.entry_key end,
           jsonb_build_object('type', 'tag_added') || e.event, f.first_step
    from events e
    join public.flows f on f.status = 'active' and (f.trigger ->> 'type' = 'tag_added' or 'tag_added' = any (f.also_on))
      and not f.trigger ? 'to' and not f.trigger ? 'segment_id'
      and (not f.trigger ? 'tag_id' or f.trigger ->> 'tag_id' = e.tag_id::text)
    order by e.row_no, f.id
    on conflict do nothing
    returning id, flow_id, customer_id, trigger_event
  )
  insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
  select e.id, e.flow_id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e;
  return null;
end;
$$;
comment on function private.capture_tag_flow_events_rows() is 'Statement-level (AFTER INSERT … REFERENCING new_rows) on customer_tags: a tag added → the enrolments private.enrol_in_flows makes (entry key tag_added:<tag>:<epoch>), one look-up of the active flows per statement.';
revoke execute on function private.capture_tag_flow_events_rows() from public, anon, authenticated;

drop trigger capture_flow_events on public.customer_tags;
create trigger capture_flow_events_inserts after insert on public.customer_tags
  referencing new table as new_rows for each statement execute function private.capture_tag_flow_events_rows();

-- The step kinds a round runs as sets; the others go through private.advance_enrolment.
create function private.flow_set_step_kinds() returns text[]
language sql immutable set search_path = '' as $$
  select array['wait', 'add_tag', 'remove_tag', 'set_stage', 'create_task', 'notify']
$$;
comment on function private.flow_set_step_kinds() is 'The step kinds public.run_flows runs for many passages at once (the others run one passage at a time in private.advance_enrolment).';
revoke execute on function private.flow_set_step_kinds() from public, anon, authenticated;

-- One round of a chunk: the passages `ids` (locked by the caller, active, at most one per
-- customer) each take one step. Returns the passages that go on moving (next_run_at reached) and
-- those to hand to private.advance_enrolment; raises when a set statement fails (the caller's
-- subtransaction rolls the round back).
create function private.run_flow_round(ids uuid[], now timestamptz, out moving uuid[], out handed uuid[], out ran integer)
language plpgsql volatile security definer set search_path = '' as $$
declare
  todo uuid[];
  kinds text[];
  missing integer;
begin
  -- The goal (an order placed since entering) ends the passage before any further step.
  with met as (
    select en.id, en.flow_id, en.customer_id
    from public.flow_enrolments en
    join public.flows f on f.id = en.flow_id
    where en.id = any (ids) and f.goal ->> 'kind' = 'placed_order'
      and exists (select 1 from public.orders o
                  where o.customer_id = en.customer_id and o.placed_at >= en.entered_at and o.cancelled_at is null)
  ), logged as (
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, occurred_at)
    select m.id, m.flow_id, m.customer_id, 'exited', 'exit', 'goal_met', now from met m
    on conflict do nothing
  )
  update public.flow_enrolments en set state = 'exited', exit_reason = 'goal_met', finished_at = now, attempts = 0, last_error = null
  from met m where en.id = m.id;

  -- At the end of the flow.
  with done as (
    select en.id, en.flow_id, en.customer_id
    from public.flow_enrolments en
    where en.id = any (ids) and en.state = 'active' and en.current_step is null
  ), logged as (
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, occurred_at)
    select d.id, d.flow_id, d.customer_id, 'exited', 'exit', 'completed', now from done d
    on conflict do nothing
  )
  update public.flow_enrolments en set state = 'completed', exit_reason = 'completed', finished_at = now, attempts = 0, last_error = null
  from done d where en.id = d.id;

  -- The rest: a step the set path takes (not yet on the path: todo), or one it hands over.
  select coalesce(array_agg(r.id) filter (where r.settable and not r.ran), '{}'),
         coalesce(array_agg(r.id) filter (where not r.settable), '{}'),
         coalesce(array_agg(distinct r.kind) filter (where r.settable and not r.ran), '{}')
  into todo, handed, kinds
  from (
    select en.id, s.kind,
           s.kind is not null and s.kind = any (private.flow_set_step_kinds()) as settable,
           exists (select 1 from public.flow_step_runs pr where pr.enrolment_id = en.id and pr.step_key = en.current_step) as ran
    from public.flow_enrolments en
    join public.flows f on f.id = en.flow_id
    cross join lateral (select f.step_index -> en.current_step -> 'step' ->> 'kind' as kind) s
    where en.id = any (ids) and en.state = 'active'
  ) r;
  ran := cardinality(todo);

  if 'add_tag' = any (kinds) then
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'add_tag'
    ), tagged as (
      insert into public.customer_tags (customer_id, tag_id, created_by)
      select r.customer_id, (r.step ->> 'tag_id')::uuid, null from r order by r.customer_id
      on conflict do nothing
    )
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'add_tag', 'done', jsonb_build_object('tag_id', r.step ->> 'tag_id'), now
    from r;
  end if;

  if 'remove_tag' = any (kinds) then
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'remove_tag'
    ), untagged as (
      delete from public.customer_tags t using r
      where t.customer_id = r.customer_id and t.tag_id = (r.step ->> 'tag_id')::uuid
    )
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'remove_tag', 'done', jsonb_build_object('tag_id', r.step ->> 'tag_id'), now
    from r;
  end if;

  if 'set_stage' = any (kinds) then
    -- The path row records the stage before (this statement's snapshot of customers).
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'set_stage'
    ), staged as (
      update public.customers cu set lifecycle_stage = r.step ->> 'stage' from r where cu.id = r.customer_id
    )
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'set_stage', 'done',
           jsonb_build_object('from', c.lifecycle_stage, 'to', r.step ->> 'stage'), now
    from r join public.customers c on c.id = r.customer_id;
  end if;

  if 'create_task' = any (kinds) then
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step,
             case when f.step_index -> en.current_step -> 'step' ->> 'assignee' is null
                    or f.step_index -> en.current_step -> 'step' ->> 'assignee' = 'owner' then c.owner_id
                  else (f.step_index -> en.current_step -> 'step' ->> 'assignee')::uuid end as member
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      join public.customers c on c.id = en.customer_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'create_task'
    ), tasks as (
      insert into public.activities (customer_id, kind, subject, body, due_at, assignee_id, metadata)
      select r.customer_id, 'task', r.step ->> 'subject', r.step ->> 'body',
             now + make_interval(days => coalesce((r.step ->> 'due_in_days')::integer, 0)),
             r.member, jsonb_build_object('flow_id', r.flow_id, 'step', r.step_key)
      from r order by r.customer_id
      returning id, customer_id, metadata
    )
    -- One passage per customer in a round: the task is the passage's by customer, flow and step.
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'create_task', 'done',
           jsonb_build_object('activity_id', t.id, 'assignee_id', r.member), now
    from r join tasks t on t.customer_id = r.customer_id and t.metadata ->> 'flow_id' = r.flow_id::text
                       and t.metadata ->> 'step' = r.step_key;
  end if;

  if 'notify' = any (kinds) then
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step,
             case when f.step_index -> en.current_step -> 'step' ->> 'member' = 'owner' then c.owner_id
                  else (f.step_index -> en.current_step -> 'step' ->> 'member')::uuid end as member
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      join public.customers c on c.id = en.customer_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'notify'
    ), sent as (
      select r.id, private.notify(r.member, 'system', r.step ->> 'title', r.step ->> 'body', '/customers/' || r.customer_id,
               jsonb_build_object('flow_id', r.flow_id, 'customer_id', r.customer_id)) as notification
      from r where r.member is not null
    )
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'notify',
           case when r.member is null then 'skipped' else 'done' end,
           case when r.member is null then 'the customer has no owner' end,
           case when r.member is null then '{}'::jsonb else jsonb_build_object('member_id', r.member) end, now
    from r left join sent s on s.id = r.id;
  end if;

  if 'wait' = any (kinds) then
    with r as (
      select en.id, en.flow_id, en.customer_id, en.current_step as step_key, f.step_index -> en.current_step -> 'step' as step,
             coalesce(c.timezone, 'UTC') as zone
      from public.flow_enrolments en join public.flows f on f.id = en.flow_id
      join public.customers c on c.id = en.customer_id
      where en.id = any (todo) and f.step_index -> en.current_step -> 'step' ->> 'kind' = 'wait'
    )
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data, occurred_at)
    select r.id, r.flow_id, r.customer_id, r.step_key, 'wait', 'waited', jsonb_build_object('until', w.until), now
    from r cross join lateral (
      select case when r.step ? 'until_local' then
               private.flow_local_time(now + make_interval(days => coalesce((r.step ->> 'days')::integer, 0)), r.zone,
                 (r.step ->> 'until_local')::time)
             else now + make_interval(days => coalesce((r.step ->> 'days')::integer, 0),
               hours => coalesce((r.step ->> 'hours')::integer, 0), mins => coalesce((r.step ->> 'minutes')::integer, 0)) end as until
    ) w;
  end if;

  -- Every step the round ran is on the path (a statement that wrote fewer rows than it should
  -- rolls the round back rather than letting a passage move on without its row).
  select count(*) into missing
  from public.flow_enrolments en
  where en.id = any (todo)
    and not exists (select 1 from public.flow_step_runs pr
                    where pr.enrolment_id = en.id and pr.step_key = en.current_step and pr.occurred_at = now);
  if missing > 0 then
    raise exception '% step(s) of the round have no row on the path', missing;
  end if;

  -- Advance: the next step; a wait this round sets when the passage is looked at again.
  with moved as (
    update public.flow_enrolments en
    set current_step = x.next_id, next_run_at = coalesce(x.until, now), attempts = 0, last_error = null
    from (
      select en2.id, f.step_index -> en2.current_step ->> 'next' as next_id,
             case when en2.id = any (todo) and f.step_index -> en2.current_step -> 'step' ->> 'kind' = 'wait'
                  then (select (pr.data ->> 'until')::timestamptz from public.flow_step_runs pr
                        where pr.enrolment_id = en2.id and pr.step_key = en2.current_step) end as until
      from public.flow_enrolments en2 join public.flows f on f.id = en2.flow_id
      where en2.id = any (ids) and en2.state = 'active' and not (en2.id = any (handed))
    ) x
    where en.id = x.id
    returning en.id, x.until
  )
  select coalesce(array_agg(m.id) filter (where m.until is null or m.until <= now), '{}') into moving from moved m;
end;
$$;
comment on function private.run_flow_round(uuid[], timestamptz) is 'One round of public.run_flows: the passages ids (locked, active, one per customer) each take one step — goal and end settled, add_tag / remove_tag / set_stage / create_task / wait / notify done as one statement per kind with their path rows — and advance. Returns the passages still moving, those to hand to private.advance_enrolment (other step kinds, a removed step) and how many steps ran. Raises when a statement fails.';
revoke execute on function private.run_flow_round(uuid[], timestamptz) from public, anon, authenticated;

create or replace function public.run_flows(batch_size integer default 200, now timestamptz default now())
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  enrolled integer;
  e record;
  moving uuid[];
  single uuid[];
  round_ids uuid[];
  result record;
  chunk uuid[];
  layers integer[];
  nth integer;
  rounds integer := 0;
  passages integer := 0;
  steps integer := 0;
  failed integer := 0;
  set_steps integer := 0;
  rolled_back integer := 0;
  one uuid;
begin
  if batch_size is null or batch_size < 1 or batch_size > 5000 then
    raise exception 'batch_size must be between 1 and 5000' using errcode = '22023';
  end if;
  if now is null then
    raise exception 'now must be a time' using errcode = '22023';
  end if;
  enrolled := private.enrol_scheduled_triggers(now, batch_size);

  -- The chunk: due passages of active flows, locked (skip locked: two runs never share one).
  -- Layer n holds each customer's n-th passage (so a set statement never touches a customer
  -- twice); the layers run one after the other, in rounds. Passages of flows whose goal is
  -- segment rules run one at a time afterwards.
  with due as (
    select en.id, en.customer_id, en.next_run_at, coalesce(f.goal ->> 'kind' = 'rules', false) as rules_goal
    from public.flow_enrolments en
    join public.flows f on f.id = en.flow_id and f.status = 'active'
    where en.state = 'active' and en.next_run_at <= now
    order by en.next_run_at
    limit batch_size
    for update of en skip locked
  ), layered as (
    select d.id, d.next_run_at, d.rules_goal,
           row_number() over (partition by d.customer_id order by d.next_run_at, d.id)::integer as layer
    from due d
  )
  select coalesce(array_agg(l.id order by l.next_run_at, l.id) filter (where not l.rules_goal), '{}'),
         coalesce(array_agg(l.layer order by l.next_run_at, l.id) filter (where not l.rules_goal), '{}'),
         coalesce(array_agg(l.id order by l.next_run_at, l.id) filter (where l.rules_goal), '{}'),
         count(*)::integer
  into chunk, layers, single, passages
  from layered l;

  for nth in 1 .. coalesce((select max(x) from unnest(layers) x), 0) loop
    select coalesce(array_agg(u.id), '{}') into moving from unnest(chunk, layers) as u (id, layer) where u.layer = nth;
    rounds := 0;
    while cardinality(moving) > 0 and rounds < 25 loop
      rounds := rounds + 1;
      round_ids := moving;
      begin
        select * into result from private.run_flow_round(round_ids, now);
        steps := steps + result.ran;
        set_steps := set_steps + result.ran;
        single := single || result.handed;
        moving := result.moving;
      exception when others then
        -- Rolled back whole (effects and path rows): these passages take this step one at a time,
        -- where a failing step is retried with backoff for its customer only.
        single := single || round_ids;
        moving := '{}';
        rolled_back := rolled_back + 1;
      end;
    end loop;
    -- Passages still moving after 25 steps stay due: the next chunk goes on with them.
  end loop;

  foreach one in array single loop
    select en.id, en.attempts, en.current_step, en.flow_id, en.customer_id into e
    from public.flow_enrolments en where en.id = one and en.state = 'active';
    continue when not found;
    begin
      steps := steps + private.advance_enrolment(e.id, now);
    exception when others then
      -- The step's effect and its row on the path are rolled back together; retry with backoff,
      -- then give up on this customer only.
      if e.attempts >= 2 then
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, occurred_at)
        values (e.id, e.flow_id, e.customer_id, coalesce(e.current_step, 'exited'), 'failed', 'failed', left(sqlerrm, 2000), now)
        on conflict do nothing;
        insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, detail, occurred_at)
        values (e.id, e.flow_id, e.customer_id, 'exited', 'exit', 'step_failed', left(sqlerrm, 2000), now)
        on conflict do nothing;
        update public.flow_enrolments en set state = 'failed', exit_reason = 'step_failed', finished_at = now,
          attempts = e.attempts + 1, last_error = left(sqlerrm, 2000)
        where en.id = e.id;
        failed := failed + 1;
      else
        update public.flow_enrolments en set attempts = e.attempts + 1, last_error = left(sqlerrm, 2000),
          next_run_at = now + make_interval(mins => power(4, e.attempts)::integer)
        where en.id = e.id;
      end if;
    end;
  end loop;
  return jsonb_build_object('enrolled', enrolled, 'passages', passages, 'steps', steps, 'failed', failed,
    'set_steps', set_steps, 'rounds_rolled_back', rolled_back);
end;
$$;
comment on function public.run_flows(integer, timestamptz) is 'One chunk of the automation engine at `now`: enrols the scheduled triggers, then moves up to batch_size due passages of active flows (skip locked), each step exactly once — in rounds, the simple step kinds as one statement per kind for all passages (private.run_flow_round), the others and any round that fails one passage at a time (private.advance_enrolment). Failing steps retry after 1, 4 minutes, then the passage fails. Returns {enrolled, passages, steps, failed, set_steps (of steps, those run in sets), rounds_rolled_back}. Service role only.';
