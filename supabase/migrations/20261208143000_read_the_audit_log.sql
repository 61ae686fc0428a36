-- The admins' audit viewer (issue 12: "an audit viewer for admins: filter by actor, table,
-- customer and time; exports listed; each entry shows what changed").
--
-- Owns:
--   - public.audit_entries(...): a page of the audit log, newest first, filtered by actor,
--     action, table, customer and time, each entry with its actor's name and only what changed
--     (an update: the columns whose value moved, before and after; an insert or delete: the row);
--     keyset paging by id. Admins only: anyone else gets 42501 (the table's policy would give
--     them an empty page, which reads like "nothing happened");
--   - audit_log_customer_idx: the customer filter (an entry is about a customer when it is the
--     customer row or its image names the customer) and the actor filter read indexes.
-- Exports are read from export_log, whose policy already lets only admins read it.

create index audit_log_customer_idx on public.audit_log
  ((coalesce(after ->> 'customer_id', before ->> 'customer_id')), id desc)
  where coalesce(after ->> 'customer_id', before ->> 'customer_id') is not null;
create index audit_log_actor_id_idx on public.audit_log (actor_id, id desc) where actor_id is not null;

create function private.audit_changes(action text, before jsonb, after jsonb) returns jsonb
language sql immutable set search_path = '' as $$
  select case
    when action = 'UPDATE' and jsonb_typeof(before) = 'object' and jsonb_typeof(after) = 'object' then
      coalesce((
        select jsonb_object_agg(k.key, jsonb_build_object('before', before -> k.key, 'after', after -> k.key))
        from (select jsonb_object_keys(before) as key union select jsonb_object_keys(after)) k
        where (before -> k.key) is distinct from (after -> k.key) and k.key not in ('updated_at')
      ), '{}')
    when action = 'DELETE' then coalesce(before, '{}')
    else coalesce(after, '{}')
  end
$$;
comment on function private.audit_changes(text, jsonb, jsonb) is 'What an audit entry changed: for an update, {column: {before, after}} of the columns whose value moved (updated_at left out); for an insert the new row, for a delete the old one.';
revoke execute on function private.audit_changes(text, jsonb, jsonb) from public, anon, authenticated, service_role;

create function public.audit_entries(
  actor uuid default null,
  action_filter text default null,
  table_filter text default null,
  customer uuid default null,
  since timestamptz default null,
  until timestamptz default null,
  before_id bigint default null,
  page_size integer default 50
)
returns table (
  id bigint, occurred_at timestamptz, actor_id uuid, actor_name text, actor_role text,
  action text, table_name text, row_id text, changes jsonb
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (select private.is_admin()) then
    raise exception 'only admins read the audit log' using errcode = '42501';
  end if;
  if page_size is null or page_size < 1 or page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  if action_filter is not null and action_filter not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'action must be INSERT, UPDATE or DELETE' using errcode = '22023';
  end if;
  if table_filter is not null and (length(table_filter) > 100 or table_filter !~ '^[a-z_.]+$') then
    raise exception 'table must be a table name' using errcode = '22023';
  end if;
  if since is not null and until is not null and since > until then
    raise exception 'since must not be after until' using errcode = '22023';
  end if;
  return query
  select a.id, a.occurred_at, a.actor_id, m.full_name, a.actor_role, a.action, a.table_name, a.row_id,
    private.audit_changes(a.action, a.before, a.after)
  from public.audit_log a
  left join public.team_members m on m.user_id = a.actor_id
  where (audit_entries.actor is null or a.actor_id = audit_entries.actor)
    and (action_filter is null or a.action = action_filter)
    and (table_filter is null or a.table_name = table_filter)
    and (audit_entries.customer is null
      or coalesce(a.after ->> 'customer_id', a.before ->> 'customer_id') = audit_entries.customer::text
      or (a.table_name = 'customers' and a.row_id = audit_entries.customer::text))
    and (since is null or a.occurred_at >= since)
    and (until is null or a.occurred_at < until)
    and (before_id is null or a.id < before_id)
  order by a.id desc
  limit page_size;
end;
$$;
comment on function public.audit_entries(uuid, text, text, uuid, timestamptz, timestamptz, bigint, integer) is 'Admins only (42501 otherwise): a page (1–200, default 50) of the audit log, newest first, after before_id (keyset), filtered by actor, action (INSERT/UPDATE/DELETE), table, customer (the customer row or rows naming it) and time [since, until); each entry with its actor''s name and what changed (private.audit_changes). Bad filters: 22023.';
revoke execute on function public.audit_entries(uuid, text, text, uuid, timestamptz, timestamptz, bigint, integer) from public, anon;
grant execute on function public.audit_entries(uuid, text, text, uuid, timestamptz, timestamptz, bigint, integer) to authenticated;
