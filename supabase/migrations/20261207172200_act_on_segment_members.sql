-- Bulk actions on every member of a segment, in the database (issue 13: "bulk actions on all its
-- members, server-side, not only the visible page")
--
-- Owns public.act_on_segment. The customers list's bulk bar tags, assigns or moves the stage of
-- the rows a person ticked; with a segment open it can now do the same to all the segment's
-- members, however many pages they fill, in one statement (all or nothing). It is security
-- invoker over segment_member_ids: the caller's row-level security and the customers' triggers
-- decide exactly as for a ticked row — an agent acts only on their own customers and cannot
-- hand them to someone else; readonly members are refused. It answers how many customers
-- actually changed (a customer already tagged or already at the stage is not counted).

create function public.act_on_segment(segment_id uuid, action text, value text default null)
returns integer
language plpgsql volatile security invoker set search_path = '' as $$
declare
  changed integer;
  tag uuid;
  owner uuid;
begin
  if not (select private.edits_all_customers()) and not (select private.is_agent()) then
    raise exception 'only admins, managers and agents change customers' using errcode = '42501';
  end if;
  if action is null or action not in ('tag', 'assign', 'stage') then
    raise exception 'unknown action %: use tag, assign or stage', coalesce(action, 'null') using errcode = '22023';
  end if;
  if action <> 'assign' and value is null then
    raise exception 'the % action needs a value', action using errcode = '22023';
  end if;
  -- The members, as the caller sees them (P0002 for a segment the caller may not read).
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
    insert into public.customer_tags (customer_id, tag_id)
    select m.id, tag from public.segment_member_ids(act_on_segment.segment_id) m (id)
    on conflict (customer_id, tag_id) do nothing;
    get diagnostics changed = row_count;
  elsif action = 'assign' then
    begin
      owner := value::uuid;
    exception when invalid_text_representation then
      raise exception 'the owner must be a team member''s id' using errcode = '22023';
    end;
    if owner is not null and not exists (select 1 from public.team_members t where t.user_id = owner) then
      raise exception 'no such team member' using errcode = '22023';
    end if;
    update public.customers c set owner_id = owner
    from public.segment_member_ids(act_on_segment.segment_id) m (id)
    where c.id = m.id and c.owner_id is distinct from owner;
    get diagnostics changed = row_count;
  else
    if not exists (select 1 from public.lifecycle_stages s where s.key = value) then
      raise exception 'no such lifecycle stage: %', value using errcode = '22023';
    end if;
    update public.customers c set lifecycle_stage = value
    from public.segment_member_ids(act_on_segment.segment_id) m (id)
    where c.id = m.id and c.lifecycle_stage is distinct from value;
    get diagnostics changed = row_count;
  end if;
  return changed;
end;
$$;
comment on function public.act_on_segment(uuid, text, text) is 'Tags (value: a tag id), assigns (value: a team member''s id, or null for nobody) or moves the lifecycle stage (value: a stage key) of every member of a segment the caller may read, as the caller may change them (RLS and the customers'' triggers: an agent only their own customers). One statement, all or nothing; returns how many customers changed. 22023 for an unknown action or value, 42501 for readonly members, P0002 for a segment the caller may not read.';
revoke execute on function public.act_on_segment(uuid, text, text) from public, anon;
grant execute on function public.act_on_segment(uuid, text, text) to authenticated, service_role;
