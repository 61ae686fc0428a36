-- Activities: the customer timeline
--
-- Owns: the `activities` table (notes, calls, meetings, emails, tasks and system events on a
-- customer's timeline), its rules, the `communication_direction` type shared with messaging, the
-- Storage bucket `attachments` where activity files live and the storage.objects policies that
-- guard it, and the activities entry in the realtime publication.
--
-- Who may do what (customer-owned pattern, see 20261121050442_create_customers.sql):
--   read    admins, managers, readonly: every activity; agents: activities of the customers they
--           own, plus tasks assigned to them; shoppers, strangers, anon: nothing (staff table).
--   add     admins, managers: on any customer; agents: on the customers they own. Always as
--           themselves (author_id is the caller), never a system event.
--   change  admins, managers: any activity but system events; agents: the activities they wrote
--           on their customers; the assignee of a task may mark it complete (nothing else).
--   remove  admins, managers: any but system events; agents: what they wrote on their customers.
--   system  events (`kind = 'system'`, e.g. order placed, alert sent) are written by the service
--           role only and are immutable for every signed-in user.
--
-- Attachments: files live in the private bucket `attachments` under `<customer_id>/…`; the
-- activity lists them in `attachments` as [{path, name, size, mime}] and every path must sit in
-- that customer's folder. Whoever may see a customer's activities may read those files; whoever
-- may edit them may upload, replace and remove them.

-- ─── Types ───────────────────────────────────────────────────────────────────────────────────

create type public.activity_kind as enum ('note', 'call', 'meeting', 'email', 'task', 'system');
comment on type public.activity_kind is 'note, call, meeting, email, task, or system (an event Cairn recorded: order placed, alert sent, stage changed…).';

create type public.communication_direction as enum ('inbound', 'outbound');
comment on type public.communication_direction is 'inbound: from the customer to the team; outbound: from the team to the customer.';

-- ─── Validation helpers ──────────────────────────────────────────────────────────────────────

create function private.attachments_are_valid(attachments jsonb, customer_id uuid) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  -- An array of at most 20 objects {path, name, size, mime}, each path inside the customer's folder.
  select jsonb_typeof(attachments) = 'array'
    and jsonb_array_length(attachments) <= 20
    and not exists (
      select 1
      from jsonb_array_elements(attachments) as item
      where jsonb_typeof(item) <> 'object'
         or jsonb_typeof(item -> 'path') is distinct from 'string'
         or jsonb_typeof(item -> 'name') is distinct from 'string'
         or jsonb_typeof(item -> 'size') is distinct from 'number'
         or jsonb_typeof(item -> 'mime') is distinct from 'string'
         or (item ->> 'size')::numeric < 0
         or length(item ->> 'name') not between 1 and 255
         or item ->> 'mime' !~ '^[a-z0-9.+-]+/[a-zA-Z0-9.+-]+$'
         or not starts_with(item ->> 'path', customer_id::text || '/')
         or length(item ->> 'path') > 1024
         or item ->> 'path' like '%/../%'
         or (select count(*) from jsonb_object_keys(item)) <> 4
    )
$$;
comment on function private.attachments_are_valid(jsonb, uuid) is 'True when attachments is an array (≤ 20) of {path, name, size, mime} with every path under <customer_id>/ in the attachments bucket.';

create function private.attachment_customer_id(object_name text) returns uuid
language sql immutable parallel safe set search_path = '' as $$
  -- The customer whose folder holds a Storage object (`<customer_id>/…`), or null when the first
  -- folder is not a uuid (a cast error inside a policy would fail the whole request instead).
  select case when folder ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then folder::uuid end
  from (select (storage.foldername(object_name))[1] as folder) as path
$$;
comment on function private.attachment_customer_id(text) is 'The customer id a Storage object in the attachments bucket belongs to: its first folder, when that is a uuid; else null.';

-- ─── Activities ──────────────────────────────────────────────────────────────────────────────

create table public.activities (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  kind public.activity_kind not null,
  subject text,
  body text,
  direction public.communication_direction,
  due_at timestamptz,
  completed_at timestamptz,
  assignee_id uuid references public.team_members (user_id) on delete set null,
  author_id uuid default auth.uid() references public.team_members (user_id) on delete set null,
  attachments jsonb not null default '[]',
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint activities_subject_length check (length(btrim(subject)) between 1 and 300),
  constraint activities_body_at_most_20000_characters check (length(body) <= 20000),
  constraint activities_need_a_subject_or_body check (kind = 'system' or coalesce(subject, body) is not null),
  constraint activities_direction_only_for_calls_and_emails check (direction is null or kind in ('call', 'email')),
  constraint activities_assignee_and_completion_only_for_tasks check (kind = 'task' or (assignee_id is null and completed_at is null)),
  constraint activities_due_only_for_tasks_and_meetings check (due_at is null or kind in ('task', 'meeting')),
  constraint activities_attachments_are_path_name_size_mime_in_the_customer_folder
    check (private.attachments_are_valid(attachments, customer_id)),
  constraint activities_metadata_is_an_object check (jsonb_typeof(metadata) = 'object'),
  constraint activities_system_events_name_their_event check (kind <> 'system' or metadata ? 'event')
);
comment on table public.activities is 'The customer timeline: notes, calls, meetings, emails, tasks and system events. System events are written by Cairn (service role) and never change.';
comment on column public.activities.direction is 'inbound or outbound; calls and emails only.';
comment on column public.activities.due_at is 'When a task is due, or when a meeting takes place.';
comment on column public.activities.completed_at is 'When a task was done; null while it is open. The assignee may set it.';
comment on column public.activities.assignee_id is 'Who must do the task. Assignees see their tasks even on customers they do not own, and are notified when someone else assigns one to them.';
comment on column public.activities.author_id is 'The team member who wrote it (the caller, always); null for system events.';
comment on column public.activities.attachments is 'Files in the Storage bucket `attachments`: [{path, name, size, mime}], each path under <customer_id>/.';
comment on column public.activities.metadata is 'Details of a system event, such as {"event": "order_placed", "order_id": "…"}.';

-- The 360 timeline (newest first, keyset pagination), open tasks per assignee, policy filters.
create index activities_timeline_idx on public.activities (customer_id, created_at desc, id);
create index activities_open_tasks_idx on public.activities (assignee_id, due_at)
  where kind = 'task' and completed_at is null;
create index activities_assignee_idx on public.activities (assignee_id) where assignee_id is not null;
create index activities_author_idx on public.activities (author_id);

create trigger touch_updated_at before update on public.activities
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.activities
  for each row execute function private.record_audit();

create function private.guard_activity_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- The service role (functions, webhooks) writes system events and may correct anything.
  if (select auth.role()) is distinct from 'authenticated' then
    return new;
  end if;

  if tg_op = 'INSERT' then
    if new.kind = 'system' then
      raise exception 'system activities are recorded by Cairn itself; add a note, call, meeting, email or task instead'
        using errcode = '42501';
    end if;
    return new;
  end if;

  if old.kind = 'system' then
    raise exception 'system activities cannot be changed' using errcode = '42501';
  end if;

  if (new.customer_id, new.kind, new.author_id, new.created_at)
     is distinct from (old.customer_id, old.kind, old.author_id, old.created_at) then
    raise exception 'an activity''s customer, kind, author and creation time cannot change; add a new activity instead'
      using errcode = '42501';
  end if;
  -- Someone who may not edit the activity reached it as the task's assignee: they may tick it
  -- off (or reopen it), nothing more.
  if not (select private.edits_all_customers())
     and old.author_id is distinct from (select auth.uid())
     and (new.subject, new.body, new.direction, new.due_at, new.assignee_id, new.attachments, new.metadata)
         is distinct from (old.subject, old.body, old.direction, old.due_at, old.assignee_id, old.attachments, old.metadata) then
    raise exception 'only the author or a manager can edit this activity; the assignee may only mark the task complete'
      using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.guard_activity_write() is 'Keeps system events immutable for users, customer/kind/author fixed, and limits a task''s assignee to completing it.';
-- Not on delete: the delete policy already hides system events from users, and a customer's
-- removal must cascade to all of its activities.
create trigger guard_write before insert or update on public.activities
  for each row execute function private.guard_activity_write();

-- ─── Access ──────────────────────────────────────────────────────────────────────────────────

alter table public.activities enable row level security;

create policy "staff read activities of the customers they may see, and their tasks" on public.activities
  for select to authenticated
  using (
    (select private.sees_all_customers())
    or customer_id in (select private.owned_customer_ids())
    or (assignee_id = (select auth.uid()) and (select private.is_team_member()))
  );

create policy "managers and owning agents add activities as themselves" on public.activities
  for insert to authenticated
  with check (
    ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
    and author_id = (select auth.uid())
    and kind <> 'system'
  );

create policy "authors, managers and assignees edit activities" on public.activities
  for update to authenticated
  using (
    kind <> 'system'
    and (
      (select private.edits_all_customers())
      or (customer_id in (select private.owned_customer_ids()) and author_id = (select auth.uid()))
      or (kind = 'task' and assignee_id = (select auth.uid()) and (select private.is_team_member()))
    )
  )
  with check (
    kind <> 'system'
    and (
      (select private.edits_all_customers())
      or customer_id in (select private.owned_customer_ids())
      or (kind = 'task' and assignee_id = (select auth.uid()) and (select private.is_team_member()))
    )
  );

create policy "authors and managers remove activities" on public.activities
  for delete to authenticated
  using (
    kind <> 'system'
    and (
      (select private.edits_all_customers())
      or (customer_id in (select private.owned_customer_ids()) and author_id = (select auth.uid()))
    )
  );

-- Clients never choose the author or the timestamps; anon has nothing at all.
revoke all on public.activities from anon;
revoke insert, update on public.activities from authenticated;
grant insert (id, customer_id, kind, subject, body, direction, due_at, completed_at, assignee_id, attachments, metadata)
  on public.activities to authenticated;
grant update (subject, body, direction, due_at, completed_at, assignee_id, attachments, metadata, customer_id, kind)
  on public.activities to authenticated;

-- ─── Attachments bucket ──────────────────────────────────────────────────────────────────────

insert into storage.buckets (id, name, public)
values ('attachments', 'attachments', false)
on conflict (id) do nothing;

create policy "staff read attachments of the customers they may see" on storage.objects
  for select to authenticated
  using (
    bucket_id = 'attachments'
    and (
      (select private.sees_all_customers())
      or private.attachment_customer_id(name) in (select private.owned_customer_ids())
    )
  );

create policy "managers and owning agents upload attachments" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'attachments'
    and private.attachment_customer_id(name) is not null
    and (
      (select private.edits_all_customers())
      or private.attachment_customer_id(name) in (select private.owned_customer_ids())
    )
  );

create policy "managers and owning agents replace attachments" on storage.objects
  for update to authenticated
  using (
    bucket_id = 'attachments'
    and (
      (select private.edits_all_customers())
      or private.attachment_customer_id(name) in (select private.owned_customer_ids())
    )
  )
  with check (
    bucket_id = 'attachments'
    and private.attachment_customer_id(name) is not null
    and (
      (select private.edits_all_customers())
      or private.attachment_customer_id(name) in (select private.owned_customer_ids())
    )
  );

create policy "managers and owning agents remove attachments" on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'attachments'
    and (
      (select private.edits_all_customers())
      or private.attachment_customer_id(name) in (select private.owned_customer_ids())
    )
  );

grant execute on function private.attachments_are_valid(jsonb, uuid), private.attachment_customer_id(text)
  to authenticated, service_role;

-- ─── Realtime ────────────────────────────────────────────────────────────────────────────────

-- The customer 360 and "my tasks" update live; realtime checks each change against the
-- subscriber's select policy before sending it.
alter publication supabase_realtime add table public.activities;
