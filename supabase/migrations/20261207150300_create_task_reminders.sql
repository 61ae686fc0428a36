-- Task reminders: a due task reminds its assignee exactly once (issue 15)
--
-- Owns: `activities.remind_at` (snooze: remind me later), `task_reminders` (one row per task and
-- reminder time already sent — the unique key is what makes a reminder fire exactly once, even
-- when the job runs twice, concurrently or late), `private.send_task_reminders` and its pg_cron
-- schedule (every minute), `public.snooze_task`, and the index the job and My tasks read.
--
-- Who may do what:
--   remind_at        whoever may change the task (author, managers) and its assignee (snooze).
--   task_reminders   read: nobody through the API but the service role (bookkeeping of the job).
--   the job          pg_cron (postgres) / service role only.

alter table public.activities
  add column remind_at timestamptz;
comment on column public.activities.remind_at is 'When the task''s reminder fires if not at due_at (snoozed, or set earlier). Null: at due_at.';
grant insert (remind_at) on public.activities to authenticated;
grant update (remind_at) on public.activities to authenticated;

create index activities_reminders_idx on public.activities ((coalesce(remind_at, due_at)))
  where kind = 'task' and completed_at is null and assignee_id is not null;
create index activities_my_tasks_idx on public.activities (assignee_id, completed_at, due_at, id)
  where kind = 'task';

create table public.task_reminders (
  activity_id uuid not null references public.activities (id) on delete cascade,
  remind_at timestamptz not null,
  sent_at timestamptz not null default now(),
  primary key (activity_id, remind_at)
);
comment on table public.task_reminders is 'Reminders already sent, one per task and reminder time: a reminder fires once; snoozing to a new time fires once more.';

alter table public.task_reminders enable row level security;
revoke all on public.task_reminders from anon, authenticated;
-- Bookkeeping of the job: no policies for users, no audit.

create function private.send_task_reminders(batch integer default 50000, grace interval default '1 day')
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  sent integer;
begin
  -- Claim due reminders by inserting their (task, time) key: a concurrent run waits on the other's
  -- uncommitted key and then skips it, a second run finds it, so each reminder goes out once.
  -- A run that comes late still sends what fell due within `grace`.
  with due as (
    select a.id, coalesce(a.remind_at, a.due_at) as at, a.assignee_id, a.customer_id, a.subject, a.body, a.due_at
    from public.activities a
    where a.kind = 'task' and a.completed_at is null and a.assignee_id is not null
      and coalesce(a.remind_at, a.due_at) <= now()
      and coalesce(a.remind_at, a.due_at) > now() - grace
      and not exists (
        select 1 from public.task_reminders r
        where r.activity_id = a.id and r.remind_at = coalesce(a.remind_at, a.due_at)
      )
    order by coalesce(a.remind_at, a.due_at)
    limit batch
  ),
  claimed as (
    insert into public.task_reminders (activity_id, remind_at)
    select id, at from due
    on conflict do nothing
    returning activity_id
  )
  select count(private.notify(
      d.assignee_id,
      'task_due',
      left('Task due: ' || coalesce(d.subject, left(d.body, 80), 'a task'), 200),
      null,
      '/tasks?task=' || d.id,
      jsonb_build_object('activity_id', d.id, 'customer_id', d.customer_id, 'due_at', d.due_at)
    ))::integer into sent
  from due d join claimed c on c.activity_id = d.id;
  return sent;
end;
$$;
comment on function private.send_task_reminders(integer, interval) is 'Sends the task_due notification of every open task whose reminder time (remind_at, else due_at) has come — within grace, at most batch per run — exactly once per task and time. Returns how many were sent.';
revoke execute on function private.send_task_reminders(integer, interval) from public, anon, authenticated;
grant execute on function private.send_task_reminders(integer, interval) to service_role;

create function public.snooze_task(task_id uuid, until timestamptz) returns public.activities
language plpgsql set search_path = '' as $$
declare
  task public.activities;
begin
  if until is null or until <= now() then
    raise exception 'snooze until a time in the future' using errcode = '22023';
  end if;
  if until > now() + interval '1 year' then
    raise exception 'snooze for at most a year' using errcode = '22023';
  end if;
  update public.activities a set remind_at = until
  where a.id = task_id and a.kind = 'task' and a.completed_at is null
  returning * into task;
  if not found then
    raise exception 'no such open task, or you may not change it' using errcode = 'P0002';
  end if;
  return task;
end;
$$;
comment on function public.snooze_task(uuid, timestamptz) is 'Moves an open task''s reminder to a later time (within a year); the reminder then fires once more. Caller''s rights: the author, managers and the assignee.';
revoke execute on function public.snooze_task(uuid, timestamptz) from public, anon;
grant execute on function public.snooze_task(uuid, timestamptz) to authenticated, service_role;

select cron.schedule('send-task-reminders', '* * * * *', $$select private.send_task_reminders()$$);
