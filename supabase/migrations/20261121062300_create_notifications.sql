-- Notifications: the in-app notification centre
--
-- Owns: `notifications` (one row per recipient: new order for my customer, task assigned or
-- due, mention, failed delivery…), the trigger that tells a team member when someone else
-- assigns them a task, and the notifications entry in the realtime publication.
--
-- Who may do what:
--   read / mark read   the recipient only (an active team member), and only read_at changes.
--   create             the service role (edge functions, cron) and database triggers only.
--   remove             the service role only (retention); users mark notifications read.
--   Everyone else (other team members, shoppers, strangers, anon): nothing.
--
-- Not audited on purpose: a notification is a copy of an event already audited where it
-- happened (the task, the order…), and logging every "mark read" would only add noise.

create type public.notification_kind as enum (
  'new_order', 'task_assigned', 'task_due', 'mention', 'delivery_failed', 'deal_won', 'system'
);
comment on type public.notification_kind is 'What happened: new_order (for my customer), task_assigned, task_due, mention, delivery_failed (an email bounced or failed), deal_won, system.';

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  recipient_id uuid not null references public.team_members (user_id) on delete cascade,
  kind public.notification_kind not null,
  title text not null,
  body text,
  link text,
  data jsonb not null default '{}',
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_title_length check (length(btrim(title)) between 1 and 200),
  constraint notifications_body_length check (length(body) <= 2000),
  constraint notifications_link_is_an_app_path check (link ~ '^/[^/]' and length(link) <= 2000),
  constraint notifications_data_is_an_object check (jsonb_typeof(data) = 'object')
);
comment on table public.notifications is 'In-app notifications for one team member. Created by Cairn (service role, triggers); the recipient reads them and marks them read.';
comment on column public.notifications.link is 'Where the notification leads inside the app, as a path such as /customers/<id>.';
comment on column public.notifications.data is 'Ids the app needs (customer_id, activity_id, order_id…).';

create index notifications_inbox_idx on public.notifications (recipient_id, read_at, created_at desc);

alter table public.notifications enable row level security;
create policy "members read their own notifications" on public.notifications for select to authenticated
  using (recipient_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members mark their own notifications read" on public.notifications for update to authenticated
  using (recipient_id = (select auth.uid()) and (select private.is_team_member()))
  with check (recipient_id = (select auth.uid()) and (select private.is_team_member()));

revoke all on public.notifications from anon;
revoke insert, update, delete, truncate on public.notifications from authenticated;
grant update (read_at) on public.notifications to authenticated;

-- ─── Task assigned ───────────────────────────────────────────────────────────────────────────

create function private.notify_task_assignee() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  assigner text;
begin
  -- Only when the task lands on someone other than the person assigning it (the service role
  -- and automations count as someone else).
  if new.kind <> 'task' or new.assignee_id is null or new.completed_at is not null
     or new.assignee_id = (select auth.uid())
     or (tg_op = 'UPDATE' and new.assignee_id is not distinct from old.assignee_id) then
    return null;
  end if;
  select full_name into assigner from public.team_members where user_id = (select auth.uid());
  insert into public.notifications (recipient_id, kind, title, body, link, data)
  values (
    new.assignee_id,
    'task_assigned',
    left('New task: ' || coalesce(new.subject, left(new.body, 80)), 200),
    case when assigner is not null then 'Assigned by ' || assigner end,
    '/customers/' || new.customer_id || '?activity=' || new.id,
    jsonb_build_object('activity_id', new.id, 'customer_id', new.customer_id, 'assigned_by', (select auth.uid()), 'due_at', new.due_at)
  );
  return null;
end;
$$;
comment on function private.notify_task_assignee() is 'Notifies a task''s assignee when someone else assigns it to them (on creation or reassignment).';
create trigger notify_task_assignee after insert or update of assignee_id on public.activities
  for each row execute function private.notify_task_assignee();

-- ─── Realtime ────────────────────────────────────────────────────────────────────────────────

alter publication supabase_realtime add table public.notifications;
