-- Automation flows (issue 16, the automation half): the data model and who may do what.
--
-- Owns:
--   - type public.flow_status (draft / active / paused);
--   - public.flows: a trigger, an ordered list of steps with condition branches, an optional
--     goal (exit condition), a status. Steps and trigger are JSON checked by the database
--     (private.check_flow, trigger check_flow): a flow that does not validate, or that would
--     loop (a step re-triggering its own trigger), is refused when saved with 22023. The
--     database keeps an index of the steps (step_index: id → step and the id that follows), so
--     the engine moves an enrolment by step id;
--   - public.flow_enrolments: a customer's passage through a flow (customer × flow × entry
--     key; at most one active passage per customer and flow);
--   - public.flow_step_runs: the path, one row per thing that happened — entered, each step with
--     its time and result, exited and why — unique per (enrolment, step_key), so a customer never
--     gets the same step twice whatever retries happen.
-- Roles: admins and managers create, edit, activate and delete flows; agents and readonly
-- members read them (the flow is configuration, no customer data). Enrolments and the path are
-- customer data: read like the customer (agents: their own customers); nobody writes them
-- through the API — triggers and the engine (20261208110100, 20261208110200) do.

create type public.flow_status as enum ('draft', 'active', 'paused');
comment on type public.flow_status is 'draft: being written, never runs; active: triggers enrol and the engine runs it; paused: no new entries and nobody moves until it is active again.';

create table public.flows (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  trigger jsonb not null,
  steps jsonb not null default '[]',
  goal jsonb,
  status public.flow_status not null default 'draft',
  preset text,
  step_index jsonb not null default '{}',
  first_step text,
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  activated_at timestamptz,
  constraint flows_name_length check (length(btrim(name)) between 1 and 80),
  constraint flows_description_length check (length(description) <= 500),
  constraint flows_preset_is_a_slug check (preset ~ '^[a-z][a-z0-9_]{0,39}$')
);
create unique index flows_name_key on public.flows (lower(btrim(name)));
create index flows_active_trigger_idx on public.flows ((trigger ->> 'type')) where status = 'active';
alter table public.flows enable row level security;

comment on table public.flows is 'An automation flow: trigger → ordered steps (with condition branches) → optional goal. Admins and managers write; every team member reads. Checked and indexed by trigger check_flow.';
comment on column public.flows.trigger is '{"type": customer_created | portal_signup | stage_changed (+ optional "to": stage key) | order_created | order_paid | order_fulfilled | segment_entered | segment_left (+ "segment_id") | tag_added (+ "tag_id") | favourite_added | inactive_days (+ "days") | alert_clicked_no_order (+ optional "hours", default 24)}.';
comment on column public.flows.steps is 'Ordered steps, each {"id": unique slug, "kind", …}: wait (days/hours/minutes, or until_local "HH:MM" in the customer''s zone), condition (rules: segment rules; then / else: step lists), send_template (template_key, variables), create_task (subject, due_in_days, assignee: "owner" or a member id), assign_owner (mode round_robin + members, or by_country / by_language + map and fallback), add_tag / remove_tag (tag_id), set_stage (stage), notify (member: "owner" or a member id, title).';
comment on column public.flows.goal is 'Null, {"kind":"placed_order"} (an order placed after entering) or {"kind":"rules","rules": segment rules}: when met, the customer leaves the flow (exit reason goal_met).';
comment on column public.flows.step_index is 'Written by the database: step id → {"step": the step, "next": the id that follows, or null at the end}; a condition''s branches continue with the step after the condition.';
comment on column public.flows.first_step is 'Written by the database: the id of the first step (null: the flow has no steps).';
comment on column public.flows.preset is 'The shipped flow this one started from (welcome, win_back, post_purchase), or null.';

create table public.flow_enrolments (
  id uuid primary key default gen_random_uuid(),
  flow_id uuid not null references public.flows (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  entry_key text not null,
  trigger_event jsonb not null default '{}',
  state text not null default 'active',
  current_step text,
  next_run_at timestamptz not null default now(),
  attempts smallint not null default 0,
  last_error text,
  entered_at timestamptz not null default now(),
  finished_at timestamptz,
  exit_reason text,
  constraint flow_enrolments_state_check check (state in ('active', 'completed', 'exited', 'failed')),
  constraint flow_enrolments_entry_key_length check (length(entry_key) between 1 and 300),
  constraint flow_enrolments_finished_when_not_active check ((state = 'active') = (finished_at is null)),
  constraint flow_enrolments_last_error_length check (length(last_error) <= 2000),
  constraint flow_enrolments_once_per_entry unique (flow_id, customer_id, entry_key)
);
create unique index flow_enrolments_one_active_idx on public.flow_enrolments (flow_id, customer_id) where state = 'active';
create index flow_enrolments_due_idx on public.flow_enrolments (next_run_at) where state = 'active';
create index flow_enrolments_customer_idx on public.flow_enrolments (customer_id);
create index flow_enrolments_flow_idx on public.flow_enrolments (flow_id, state, entered_at desc);
alter table public.flow_enrolments enable row level security;

comment on table public.flow_enrolments is 'A customer''s passage through a flow. Unique per (flow, customer, entry_key) so the same triggering event never enrols twice; at most one active passage per customer and flow. Written by the database only.';
comment on column public.flow_enrolments.entry_key is 'What enrolled the customer, e.g. customer_created, order_paid:<order id>, segment_entered:<event id>: the idempotency key of the enrolment.';
comment on column public.flow_enrolments.current_step is 'The id of the next step to run (null: at the end).';
comment on column public.flow_enrolments.next_run_at is 'When the engine next looks at this passage (after a wait, a deferral or a retry''s backoff).';
comment on column public.flow_enrolments.exit_reason is 'Why the passage ended: completed, goal_met, step_removed, flow_deleted, step_failed.';

create table public.flow_step_runs (
  id bigint generated always as identity primary key,
  enrolment_id uuid not null references public.flow_enrolments (id) on delete cascade,
  flow_id uuid not null references public.flows (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  step_key text not null,
  step_kind text not null,
  outcome text not null,
  detail text,
  data jsonb not null default '{}',
  occurred_at timestamptz not null default now(),
  constraint flow_step_runs_once unique (enrolment_id, step_key),
  constraint flow_step_runs_detail_length check (length(detail) <= 2000)
);
create index flow_step_runs_customer_idx on public.flow_step_runs (customer_id, occurred_at desc);
create index flow_step_runs_flow_idx on public.flow_step_runs (flow_id, step_key);
alter table public.flow_step_runs enable row level security;

comment on table public.flow_step_runs is 'Each customer''s path through a flow: entered, every step with its time and result, exited and why. Unique (enrolment_id, step_key): a step runs at most once per passage, whatever retries or concurrent runs happen. Written by the database only.';
comment on column public.flow_step_runs.step_key is 'The step''s id, or "entered" / "exited".';
comment on column public.flow_step_runs.outcome is 'entered; done, yes / no (condition), waited, queued (an email for the sender), skipped (e.g. no consent), failed; exited: completed, goal_met, step_removed, step_failed.';

-- Who may do what.
create policy "team members read flows" on public.flows
  for select to authenticated using ((select private.is_team_member()));
create policy "admins and managers create flows" on public.flows
  for insert to authenticated with check ((select private.edits_all_customers()));
create policy "admins and managers change flows" on public.flows
  for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "admins and managers delete flows" on public.flows
  for delete to authenticated using ((select private.edits_all_customers()));

create policy "members read the passages of customers they may see" on public.flow_enrolments
  for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "members read the paths of customers they may see" on public.flow_step_runs
  for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));

revoke all on public.flows, public.flow_enrolments, public.flow_step_runs from anon, authenticated;
grant select, delete on public.flows to authenticated;
grant insert (name, description, trigger, steps, goal, status, preset) on public.flows to authenticated;
grant update (name, description, trigger, steps, goal, status) on public.flows to authenticated;
grant select on public.flow_enrolments, public.flow_step_runs to authenticated;
grant all on public.flows, public.flow_enrolments, public.flow_step_runs to service_role;

-- Checking a flow.
create function private.flow_refuse(path text, message text) returns void
language plpgsql immutable set search_path = '' as $$
begin
  raise exception '%', case when path = '' then message else path || ': ' || message end
    using errcode = '22023', detail = path;
end;
$$;
comment on function private.flow_refuse(text, text) is 'Raises 22023 with the message prefixed by the place in the flow (e.g. "steps.2.then.1: …"), the place also in DETAIL for the editor.';

create function private.flow_is_uuid(value jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(value) = 'string'
     and (value #>> '{}') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
$$;
comment on function private.flow_is_uuid(jsonb) is 'Whether a JSON value is a string holding a uuid.';

create function private.flow_whole(value jsonb, low integer, high integer) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(value) = 'number' and (value #>> '{}')::numeric = trunc((value #>> '{}')::numeric)
     and (value #>> '{}')::numeric between low and high
$$;
comment on function private.flow_whole(jsonb, integer, integer) is 'Whether a JSON value is a whole number in [low, high].';

create function private.flow_member_exists(value jsonb) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.flow_is_uuid(value)
     and exists (select 1 from public.team_members m where m.user_id = (value #>> '{}')::uuid and m.active)
$$;
comment on function private.flow_member_exists(jsonb) is 'Whether a JSON value names an active team member (read whatever the caller sees: the flow checker asks).';

-- Checks a list of steps (recursively) and returns the index entries for it. `after` is the id
-- that follows the list (the step after the enclosing condition; null at the end of the flow).
create function private.flow_index_steps(steps jsonb, path text, after text, depth integer, seen text[])
returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  idx jsonb := '{}';
  n integer;
  i integer;
  step jsonb;
  here text;
  id text;
  kind text;
  next_id text;
  keys text[];
  allowed text[];
  extra text;
  value jsonb;
begin
  if steps is null or jsonb_typeof(steps) <> 'array' then
    perform private.flow_refuse(path, 'steps must be a list');
  end if;
  if depth > 3 then
    perform private.flow_refuse(path, 'conditions nest at most 3 deep');
  end if;
  n := jsonb_array_length(steps);
  for i in 0 .. n - 1 loop
    step := steps -> i;
    here := path || '.' || (i + 1);
    if jsonb_typeof(step) <> 'object' then
      perform private.flow_refuse(here, 'a step must be an object {id, kind, …}');
    end if;
    id := step ->> 'id';
    if id is null or id !~ '^[a-z0-9][a-z0-9_-]{0,39}$' or id in ('entered', 'exited') then
      perform private.flow_refuse(here, 'id must be a slug of 1–40 lowercase letters, digits, _ or - (not entered / exited)');
    end if;
    if id = any (seen) or idx ? id then
      perform private.flow_refuse(here, format('step id "%s" is used twice', id));
    end if;
    kind := step ->> 'kind';
    allowed := case kind
      when 'wait' then array['days', 'hours', 'minutes', 'until_local']
      when 'condition' then array['rules', 'then', 'else']
      when 'send_template' then array['template_key', 'variables']
      when 'create_task' then array['subject', 'body', 'due_in_days', 'assignee']
      when 'assign_owner' then array['mode', 'members', 'map', 'fallback', 'only_if_unassigned']
      when 'add_tag' then array['tag_id']
      when 'remove_tag' then array['tag_id']
      when 'set_stage' then array['stage']
      when 'notify' then array['member', 'title', 'body']
    end;
    if allowed is null then
      perform private.flow_refuse(here, format('unknown step kind %s (wait, condition, send_template, create_task, assign_owner, add_tag, remove_tag, set_stage, notify)', coalesce('"' || kind || '"', 'missing')));
    end if;
    select string_agg(k, ', ') into extra from jsonb_object_keys(step) k where k <> all (allowed || array['id', 'kind']);
    if extra is not null then
      perform private.flow_refuse(here, format('a %s step has no field %s', kind, extra));
    end if;
    next_id := coalesce(steps -> (i + 1) ->> 'id', after);

    case kind
    when 'wait' then
      if step ? 'until_local' then
        if jsonb_typeof(step -> 'until_local') <> 'string' or (step ->> 'until_local') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' then
          perform private.flow_refuse(here, 'until_local must be a local time HH:MM');
        end if;
      end if;
      if step ? 'days' and not private.flow_whole(step -> 'days', 0, 365) then
        perform private.flow_refuse(here, 'days must be a whole number from 0 to 365');
      end if;
      if step ? 'hours' and not private.flow_whole(step -> 'hours', 0, 1000) then
        perform private.flow_refuse(here, 'hours must be a whole number from 0 to 1000');
      end if;
      if step ? 'minutes' and not private.flow_whole(step -> 'minutes', 0, 100000) then
        perform private.flow_refuse(here, 'minutes must be a whole number from 0 to 100000');
      end if;
      if not (step ?| array['days', 'hours', 'minutes', 'until_local']) then
        perform private.flow_refuse(here, 'a wait needs days, hours, minutes or until_local');
      end if;
    when 'condition' then
      begin
        perform private.segment_rules_sql(step -> 'rules');
      exception when sqlstate '22023' then
        perform private.flow_refuse(here || '.rules', sqlerrm);
      end;
      idx := idx || private.flow_index_steps(coalesce(step -> 'then', '[]'), here || '.then', next_id, depth + 1, seen || array(select jsonb_object_keys(idx)) || id);
      idx := idx || private.flow_index_steps(coalesce(step -> 'else', '[]'), here || '.else', next_id, depth + 1, seen || array(select jsonb_object_keys(idx)) || id);
      step := step || jsonb_build_object(
        'then_first', coalesce(step -> 'then' -> 0 ->> 'id', next_id),
        'else_first', coalesce(step -> 'else' -> 0 ->> 'id', next_id));
      step := step - 'then' - 'else';
    when 'send_template' then
      if jsonb_typeof(step -> 'template_key') <> 'string'
         or not exists (select 1 from public.email_templates t where t.key = step ->> 'template_key') then
        perform private.flow_refuse(here, format('no email template %s', coalesce(step ->> 'template_key', '(template_key missing)')));
      end if;
      if step ? 'variables' then
        if jsonb_typeof(step -> 'variables') <> 'object' then
          perform private.flow_refuse(here, 'variables must be an object of names to texts');
        end if;
        for extra, value in select * from jsonb_each(step -> 'variables') loop
          if extra !~ '^[a-z][a-z0-9_]{0,59}$' or jsonb_typeof(value) not in ('string', 'number') or length(value #>> '{}') > 2000 then
            perform private.flow_refuse(here, format('variable %s must be a name with a text or number of at most 2000 characters', extra));
          end if;
        end loop;
      end if;
    when 'create_task' then
      if jsonb_typeof(step -> 'subject') <> 'string' or length(btrim(step ->> 'subject')) not between 1 and 300 then
        perform private.flow_refuse(here, 'subject must be a text of 1–300 characters');
      end if;
      if step ? 'body' and (jsonb_typeof(step -> 'body') <> 'string' or length(step ->> 'body') > 20000) then
        perform private.flow_refuse(here, 'body must be a text of at most 20 000 characters');
      end if;
      if step ? 'due_in_days' and not private.flow_whole(step -> 'due_in_days', 0, 365) then
        perform private.flow_refuse(here, 'due_in_days must be a whole number from 0 to 365');
      end if;
      if step ? 'assignee' and step ->> 'assignee' is distinct from 'owner' and not private.flow_member_exists(step -> 'assignee') then
        perform private.flow_refuse(here, 'assignee must be "owner" or an active team member');
      end if;
    when 'assign_owner' then
      if step ->> 'mode' = 'round_robin' then
        if jsonb_typeof(step -> 'members') <> 'array' or jsonb_array_length(step -> 'members') not between 1 and 50 then
          perform private.flow_refuse(here, 'round robin needs members: a list of 1–50 team members');
        end if;
        for value in select * from jsonb_array_elements(step -> 'members') loop
          if not private.flow_member_exists(value) then
            perform private.flow_refuse(here, format('%s is not an active team member', value));
          end if;
        end loop;
      elsif step ->> 'mode' in ('by_country', 'by_language') then
        if jsonb_typeof(step -> 'map') <> 'object' then
          perform private.flow_refuse(here, 'map must be an object of codes to team members');
        end if;
        for extra, value in select * from jsonb_each(step -> 'map') loop
          if (step ->> 'mode' = 'by_country' and extra !~ '^[A-Z]{2}$') or (step ->> 'mode' = 'by_language' and extra !~ '^[a-z]{2}$') then
            perform private.flow_refuse(here, format('%s is not a %s code', extra, case step ->> 'mode' when 'by_country' then 'country (DE)' else 'language (de)' end));
          end if;
          if not private.flow_member_exists(value) then
            perform private.flow_refuse(here, format('%s is not an active team member', value));
          end if;
        end loop;
        if step ? 'fallback' and step -> 'fallback' <> 'null' and not private.flow_member_exists(step -> 'fallback') then
          perform private.flow_refuse(here, 'fallback must be an active team member or null');
        end if;
      else
        perform private.flow_refuse(here, 'mode must be round_robin, by_country or by_language');
      end if;
      if step ? 'only_if_unassigned' and jsonb_typeof(step -> 'only_if_unassigned') <> 'boolean' then
        perform private.flow_refuse(here, 'only_if_unassigned must be true or false');
      end if;
    when 'add_tag', 'remove_tag' then
      if not private.flow_is_uuid(step -> 'tag_id') or not exists (select 1 from public.tags t where t.id = (step ->> 'tag_id')::uuid) then
        perform private.flow_refuse(here, 'tag_id must name a tag');
      end if;
    when 'set_stage' then
      if jsonb_typeof(step -> 'stage') <> 'string' or not exists (select 1 from public.lifecycle_stages s where s.key = step ->> 'stage') then
        perform private.flow_refuse(here, format('no lifecycle stage %s', coalesce(step ->> 'stage', '(stage missing)')));
      end if;
    when 'notify' then
      if step ->> 'member' is distinct from 'owner' and not private.flow_member_exists(step -> 'member') then
        perform private.flow_refuse(here, 'member must be "owner" or an active team member');
      end if;
      if jsonb_typeof(step -> 'title') <> 'string' or length(btrim(step ->> 'title')) not between 1 and 200 then
        perform private.flow_refuse(here, 'title must be a text of 1–200 characters');
      end if;
      if step ? 'body' and (jsonb_typeof(step -> 'body') <> 'string' or length(step ->> 'body') > 2000) then
        perform private.flow_refuse(here, 'body must be a text of at most 2000 characters');
      end if;
    end case;

    idx := idx || jsonb_build_object(id, jsonb_build_object('step', step, 'next', next_id));
  end loop;
  return idx;
end;
$$;
comment on function private.flow_index_steps(jsonb, text, text, integer, text[]) is 'Checks a list of flow steps (recursively into condition branches) and returns step id → {step, next}. Refuses with 22023 naming the place (steps.2.then.1).';

create function private.check_flow() returns trigger
language plpgsql set search_path = '' as $$
declare
  t jsonb := new.trigger;
  kind text := new.trigger ->> 'type';
  allowed text[];
  extra text;
  step jsonb;
begin
  new.name := btrim(new.name);
  if t is null or jsonb_typeof(t) <> 'object' then
    perform private.flow_refuse('trigger', 'the trigger must be an object {type, …}');
  end if;
  allowed := case kind
    when 'customer_created' then array[]::text[]
    when 'portal_signup' then array[]::text[]
    when 'stage_changed' then array['to']
    when 'order_created' then array[]::text[]
    when 'order_paid' then array[]::text[]
    when 'order_fulfilled' then array[]::text[]
    when 'segment_entered' then array['segment_id']
    when 'segment_left' then array['segment_id']
    when 'tag_added' then array['tag_id']
    when 'favourite_added' then array[]::text[]
    when 'inactive_days' then array['days']
    when 'alert_clicked_no_order' then array['hours']
  end;
  if allowed is null then
    perform private.flow_refuse('trigger', format('unknown trigger %s', coalesce('"' || kind || '"', '(type missing)')));
  end if;
  select string_agg(k, ', ') into extra from jsonb_object_keys(t) k where k <> all (allowed || array['type']);
  if extra is not null then
    perform private.flow_refuse('trigger', format('a %s trigger has no field %s', kind, extra));
  end if;
  if kind = 'stage_changed' and t ? 'to' and (jsonb_typeof(t -> 'to') <> 'string'
     or not exists (select 1 from public.lifecycle_stages s where s.key = t ->> 'to')) then
    perform private.flow_refuse('trigger', format('no lifecycle stage %s', t -> 'to'));
  end if;
  -- As the caller: a flow may start from a segment its writer may see (their own or a shared one).
  if kind in ('segment_entered', 'segment_left') and (not private.flow_is_uuid(t -> 'segment_id')
     or not exists (select 1 from public.segments s where s.id = (t ->> 'segment_id')::uuid)) then
    perform private.flow_refuse('trigger', 'segment_id must name a segment you may see');
  end if;
  if kind = 'tag_added' and (not private.flow_is_uuid(t -> 'tag_id')
     or not exists (select 1 from public.tags g where g.id = (t ->> 'tag_id')::uuid)) then
    perform private.flow_refuse('trigger', 'tag_id must name a tag');
  end if;
  if kind = 'inactive_days' and not private.flow_whole(t -> 'days', 1, 3650) then
    perform private.flow_refuse('trigger', 'days must be a whole number from 1 to 3650');
  end if;
  if kind = 'alert_clicked_no_order' and t ? 'hours' and not private.flow_whole(t -> 'hours', 1, 720) then
    perform private.flow_refuse('trigger', 'hours must be a whole number from 1 to 720');
  end if;

  if jsonb_typeof(new.steps) <> 'array' then
    perform private.flow_refuse('steps', 'steps must be a list');
  end if;
  if pg_column_size(new.steps) > 65536 then
    perform private.flow_refuse('steps', 'a flow''s steps are limited to 64 kB');
  end if;
  new.step_index := private.flow_index_steps(new.steps, 'steps', null, 1, array[]::text[]);
  if (select count(*) from jsonb_object_keys(new.step_index)) > 50 then
    perform private.flow_refuse('steps', 'a flow has at most 50 steps');
  end if;
  new.first_step := new.steps -> 0 ->> 'id';

  if new.goal is not null and new.goal <> 'null' then
    if new.goal ->> 'kind' = 'placed_order' and (select count(*) from jsonb_object_keys(new.goal)) = 1 then
      null;
    elsif new.goal ->> 'kind' = 'rules' and (select count(*) from jsonb_object_keys(new.goal)) = 2 then
      begin
        perform private.segment_rules_sql(new.goal -> 'rules');
      exception when sqlstate '22023' then
        perform private.flow_refuse('goal.rules', sqlerrm);
      end;
    else
      perform private.flow_refuse('goal', 'the goal must be {"kind":"placed_order"} or {"kind":"rules","rules":…}');
    end if;
  else
    new.goal := null;
  end if;

  -- A flow that would loop: a step re-triggering the flow's own trigger.
  for step in select value -> 'step' from jsonb_each(new.step_index) loop
    if kind = 'tag_added' and step ->> 'kind' = 'add_tag' and step ->> 'tag_id' = t ->> 'tag_id' then
      perform private.flow_refuse('steps', format('step "%s" adds the tag that starts this flow: the flow would loop', step ->> 'id'));
    end if;
    if kind = 'stage_changed' and step ->> 'kind' = 'set_stage' and (t ->> 'to' is null or step ->> 'stage' = t ->> 'to') then
      perform private.flow_refuse('steps', format('step "%s" sets a stage that starts this flow: the flow would loop', step ->> 'id'));
    end if;
  end loop;

  if tg_op = 'UPDATE' and new.status = 'active' and old.status <> 'active' or tg_op = 'INSERT' and new.status = 'active' then
    new.activated_at := now();
  end if;
  return new;
end;
$$;
comment on function private.check_flow() is 'Checks a flow''s trigger, steps and goal (22023 naming the place), refuses a flow that would loop (a step re-triggering its own trigger), writes step_index and first_step, stamps activated_at.';

create trigger check_flow before insert or update of trigger, steps, goal, status, name on public.flows
  for each row execute function private.check_flow();
create trigger touch_updated_at before update on public.flows
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or delete or update on public.flows
  for each row execute function private.record_audit();

-- The checker runs as the writer (so segments are read through their policies): its helpers
-- are callable by signed-in members, and grant nothing (they only check JSON and raise).
grant execute on function private.flow_refuse(text, text), private.flow_is_uuid(jsonb), private.flow_whole(jsonb, integer, integer),
  private.flow_member_exists(jsonb), private.flow_index_steps(jsonb, text, text, integer, text[]) to authenticated, service_role;
