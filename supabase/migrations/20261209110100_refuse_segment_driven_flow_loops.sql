-- Automation flows (issue 16, "a flow that would loop is refused when saved"): the loops that go
-- through a segment. check_flow (20261208110000) refuses a step that re-triggers its own trigger
-- directly (a tag step in a "tag added" flow, a stage step in a "stage changed" flow); a flow
-- started by entering or leaving a segment loops just the same when one of its steps changes
-- something the segment's rules read — a tag step when the rules test tags, a stage step when they
-- test the lifecycle stage, an owner step when they test the owner: the step moves the customer
-- into (or out of) the segment, which starts the flow again.
--
-- Owns private.check_flow_segment_loop() and its trigger on flows. It runs after check_flow
-- (triggers fire in name order), so the steps are already checked and indexed (step_index).

create function private.segment_rule_conditions(rules jsonb) returns setof jsonb
language sql immutable set search_path = '' as $$
  select c from jsonb_path_query(coalesce(rules, '{}'), 'strict $.**') c
  where jsonb_typeof(c) = 'object' and c ? 'field'
$$;
comment on function private.segment_rule_conditions(jsonb) is 'Every condition ({field, op, value…}) of segment rules, at any depth of groups.';
revoke execute on function private.segment_rule_conditions(jsonb) from public, anon;

create function private.check_flow_segment_loop() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  segment public.segments;
  step jsonb;
  tag_name text;
  culprit text;
begin
  if new.trigger ->> 'type' not in ('segment_entered', 'segment_left') then
    return new;
  end if;
  -- check_flow has made sure the writer may see this segment; its rules are read whoever owns it.
  select * into segment from public.segments s where s.id = (new.trigger ->> 'segment_id')::uuid;
  if not found then
    return new;
  end if;
  for step in select value -> 'step' from jsonb_each(new.step_index) loop
    culprit := null;
    if step ->> 'kind' in ('add_tag', 'remove_tag') then
      select t.name into tag_name from public.tags t where t.id = (step ->> 'tag_id')::uuid;
      -- Tags match by name ignoring case; "has no tags" / "has tags" change with any tag.
      if exists (select 1 from private.segment_rule_conditions(segment.rules) c
                 where c ->> 'field' = 'tags'
                   and (not c ? 'value'
                        or exists (select 1 from jsonb_array_elements_text(case jsonb_typeof(c -> 'value') when 'array' then c -> 'value' else jsonb_build_array(c -> 'value') end) v
                                   where lower(v) = lower(tag_name)))) then
        culprit := format('the tag "%s"', tag_name);
      end if;
    elsif step ->> 'kind' = 'set_stage' then
      if exists (select 1 from private.segment_rule_conditions(segment.rules) c
                 where c ->> 'field' = 'lifecycle_stage'
                   and (not c ? 'value'
                        or exists (select 1 from jsonb_array_elements_text(case jsonb_typeof(c -> 'value') when 'array' then c -> 'value' else jsonb_build_array(c -> 'value') end) v
                                   where v = step ->> 'stage'))) then
        culprit := format('the stage "%s"', step ->> 'stage');
      end if;
    elsif step ->> 'kind' = 'assign_owner' then
      if exists (select 1 from private.segment_rule_conditions(segment.rules) c where c ->> 'field' = 'owner') then
        culprit := 'the owner';
      end if;
    end if;
    if culprit is not null then
      perform private.flow_refuse('steps', format(
        'step "%s" changes %s, which the rules of segment "%s" read: the customer would %s the segment that starts this flow again and the flow would loop',
        step ->> 'id', culprit, segment.name,
        case new.trigger ->> 'type' when 'segment_entered' then 'enter' else 'leave' end));
    end if;
  end loop;
  return new;
end;
$$;
comment on function private.check_flow_segment_loop() is 'Refuses (22023) a flow started by entering or leaving a segment when one of its steps changes what that segment''s rules read (a tag, the stage, the owner): the step would move the customer through the segment again and the flow would loop.';

create trigger check_flow_segment_loop before insert or update of trigger, steps, status on public.flows
  for each row execute function private.check_flow_segment_loop();

revoke execute on function private.check_flow_segment_loop() from public, anon, authenticated;
