-- Reordering stages in one statement (issue 15, the pipelines admin screen)
--
-- Owns: `public.swap_stage_positions(first, second)`. The admin screen swapped two stages in
-- three requests (one through a free negative slot, since positions are unique per pipeline): a
-- failure halfway left a stage at a negative position, first on the board. One UPDATE swaps both
-- rows; `deal_stages_pipeline_position_key` is deferrable, so it is checked at the end of the
-- statement, not row by row.
--
-- Who may do what: caller's rights — the "admins edit deal stages" policy decides; anyone else
-- gets 42501 and nothing moves. Two stages of different pipelines, or a stage with itself: 23514.

create function public.swap_stage_positions(first uuid, second uuid) returns void
language plpgsql security invoker set search_path = '' as $$
declare
  a public.deal_stages;
  b public.deal_stages;
  changed integer;
begin
  select * into a from public.deal_stages where id = swap_stage_positions.first;
  select * into b from public.deal_stages where id = swap_stage_positions.second;
  if a.id is null or b.id is null then
    raise exception 'No such stage' using errcode = 'P0002';
  end if;
  if a.id = b.id or a.pipeline_id is distinct from b.pipeline_id then
    raise exception 'Only two different stages of one pipeline swap places' using errcode = '23514';
  end if;
  update public.deal_stages s
  set position = case when s.id = a.id then b.position else a.position end
  where s.id in (a.id, b.id);
  get diagnostics changed = row_count;
  if changed <> 2 then
    raise exception 'Only admins reorder stages' using errcode = '42501';
  end if;
end;
$$;
comment on function public.swap_stage_positions(uuid, uuid) is
  'Swaps the positions of two stages of one pipeline in one statement (admins: RLS decides; others get 42501, nothing moves).';
revoke execute on function public.swap_stage_positions(uuid, uuid) from public, anon;
grant execute on function public.swap_stage_positions(uuid, uuid) to authenticated;
