-- The reminder job as one set-based statement (issue 15: the job over 200 000 tasks in < 5 s).
--
-- Owns: `private.send_task_reminders`, restated whole (from 20261207150300). It called
-- private.notify once per due task — a PL/pgSQL call, a membership look-up and a one-row insert
-- each; it now claims the due reminders and inserts all their notifications in one statement.
-- The notifications' BEFORE trigger still applies each recipient's preference (off, digest) per
-- row, as for every notification.
--
-- Also owns the statement-level trigger `queue_notification_emails` on notifications, which
-- replaces the row-level `queue_notification_email` (20261208130100): the emails of `email_now`
-- notifications are queued with one insert per statement (from the statement's new rows) instead
-- of one per notification — the same rows, in the same transaction. With 20 000 reminders at once
-- the row trigger was about a quarter of the job's time.
--
-- Exactly once, as before: a reminder is claimed by inserting its (task, time) key into
-- task_reminders; a concurrent run waits on the other's uncommitted key and then skips it, and a
-- second run finds it. An inactive assignee's reminder is claimed and not sent (as notify did).

create or replace function private.send_task_reminders(batch integer default 50000, grace interval default '1 day')
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  sent integer;
begin
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
  ),
  notified as (
    insert into public.notifications (recipient_id, kind, title, body, link, data)
    select d.assignee_id, 'task_due',
      left(btrim('Task due: ' || coalesce(d.subject, left(d.body, 80), 'a task')), 200),
      null,
      '/tasks?task=' || d.id,
      jsonb_build_object('activity_id', d.id, 'customer_id', d.customer_id, 'due_at', d.due_at)
    from due d
    join claimed c on c.activity_id = d.id
    join public.team_members tm on tm.user_id = d.assignee_id and tm.active
    returning 1
  )
  select count(*)::integer into sent from notified;
  return sent;
end;
$$;
comment on function private.send_task_reminders(integer, interval) is 'Sends the task_due notification of every open task whose reminder time (remind_at, else due_at) has come — within grace, at most batch per run — exactly once per task and time, in one statement. Returns how many were sent (a kind the assignee turned off counts none).';
revoke execute on function private.send_task_reminders(integer, interval) from public, anon, authenticated;
grant execute on function private.send_task_reminders(integer, interval) to service_role;

-- ─── email_now: one insert per statement ─────────────────────────────────────────────────────

drop trigger queue_notification_email on public.notifications;
drop function private.queue_notification_email();

create function private.queue_notification_emails() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notification_emails (recipient_id, notification_id)
  select n.recipient_id, n.id
  from created n
  join public.notification_preferences p
    on p.user_id = n.recipient_id and p.kind = n.kind and p.delivery = 'email_now'
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.queue_notification_emails() is 'Queues one email for each new notification whose recipient chose email_now for its kind: one insert for the whole statement''s notifications.';
create trigger queue_notification_emails after insert on public.notifications
  referencing new table as created
  for each statement execute function private.queue_notification_emails();
