-- Notification centre: preferences, one helper to notify, the new kinds' triggers, retention
-- (issue 15)
--
-- Owns: `notification_preferences` (per member and kind: in_app, email_digest or off), the
-- columns of `notifications` the digest needs (`email_pending`, `emailed_at`), the trigger that
-- applies a member's preference to every notification whoever creates it, `private.notify` /
-- `private.notify_admins` / `private.notify_integration_failure` (the helpers other code calls:
-- inbox, Shopify sync…), the triggers for deal won / lost, customer assigned, customer reply and
-- email bounced, `public.mark_all_notifications_read`, the retention setting
-- (`workspace_settings.notification_retention_days`) and the purge job.
--
-- Who may do what:
--   notification_preferences  each active team member reads and sets their own rows; nobody
--                             else's (admins included). Service role: everything.
--   notify helpers            private (triggers, functions, cron); not callable by users.
--   retention                 admins change it (workspace_settings policy); purge runs by cron.

create type public.notification_delivery as enum ('in_app', 'email_digest', 'off');
comment on type public.notification_delivery is 'How a member hears about a kind of notification: in_app (the bell, the default), email_digest (the bell and the daily email digest), off (not at all).';

create table public.notification_preferences (
  user_id uuid not null default auth.uid() references public.team_members (user_id) on delete cascade,
  kind public.notification_kind not null,
  delivery public.notification_delivery not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);
comment on table public.notification_preferences is 'A member''s choice per notification kind; no row means in_app.';

create trigger touch_updated_at before update on public.notification_preferences
  for each row execute function private.touch_updated_at();

alter table public.notification_preferences enable row level security;
create policy "members read their own notification preferences" on public.notification_preferences
  for select to authenticated
  using (user_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members add their own notification preferences" on public.notification_preferences
  for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members change their own notification preferences" on public.notification_preferences
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_team_member()))
  with check (user_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members remove their own notification preferences" on public.notification_preferences
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_team_member()));
revoke all on public.notification_preferences from anon;
revoke insert, update on public.notification_preferences from authenticated;
grant insert (user_id, kind, delivery) on public.notification_preferences to authenticated;
grant update (delivery) on public.notification_preferences to authenticated;
-- Not audited: a personal setting, like marking a notification read.

-- ─── Every notification honours the recipient's preference ───────────────────────────────────

alter table public.notifications
  add column email_pending boolean not null default false,
  add column emailed_at timestamptz;
comment on column public.notifications.email_pending is 'True while the notification waits for the recipient''s next email digest (their preference for the kind is email_digest).';
comment on column public.notifications.emailed_at is 'When the notification went out in an email digest.';
create index notifications_digest_idx on public.notifications (recipient_id, created_at) where email_pending;
create index notifications_created_idx on public.notifications (created_at);

create function private.apply_notification_preference() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  chosen public.notification_delivery;
begin
  select p.delivery into chosen from public.notification_preferences p
  where p.user_id = new.recipient_id and p.kind = new.kind;
  if chosen = 'off' then
    return null;
  end if;
  new.email_pending := coalesce(chosen = 'email_digest', false);
  return new;
end;
$$;
comment on function private.apply_notification_preference() is 'Drops a notification the recipient turned off for its kind, and marks it for the email digest when they chose email_digest.';
create trigger apply_preference before insert on public.notifications
  for each row execute function private.apply_notification_preference();

-- ─── Helpers other code calls ────────────────────────────────────────────────────────────────

create function private.notify(
  recipient uuid,
  kind public.notification_kind,
  title text,
  body text default null,
  link text default null,
  data jsonb default '{}'
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  created uuid;
begin
  -- Only active team members hear anything; an unknown or inactive recipient is not an error
  -- (the caller's event happened regardless).
  if recipient is null or not exists (
    select 1 from public.team_members tm where tm.user_id = recipient and tm.active
  ) then
    return null;
  end if;
  insert into public.notifications (recipient_id, kind, title, body, link, data)
  values (recipient, kind, left(btrim(title), 200), left(body, 2000), link, coalesce(data, '{}'))
  returning id into created;
  return created; -- null when the recipient turned this kind off
end;
$$;
comment on function private.notify(uuid, public.notification_kind, text, text, text, jsonb) is
  'Notifies one team member (if active), honouring their preference for the kind (off: nothing; email_digest: also in the next digest). link is an in-app path such as /customers/<id>. Returns the notification id, or null when nothing was created.';

create function private.notify_admins(
  kind public.notification_kind,
  title text,
  body text default null,
  link text default null,
  data jsonb default '{}'
) returns integer
language sql security definer set search_path = '' as $$
  select count(private.notify(tm.user_id, kind, title, body, link, data))::integer
  from public.team_members tm
  where tm.active and tm.role = 'admin'
$$;
comment on function private.notify_admins(public.notification_kind, text, text, text, jsonb) is
  'Notifies every active admin (each per their preferences). Returns how many notifications were created.';

create function private.notify_integration_failure(
  integration text,
  job_ref text,
  error text,
  link text default '/settings'
) returns integer
language plpgsql security definer set search_path = '' as $$
begin
  -- One unread notification per failing job: a job retried every minute must not bury the bell.
  if exists (
    select 1 from public.notifications n
    where n.kind = 'integration_failed' and n.read_at is null
      and n.data ->> 'integration' = integration and n.data ->> 'job' = job_ref
  ) then
    return 0;
  end if;
  return private.notify_admins(
    'integration_failed',
    left(integration || ': a job failed', 200),
    left(error, 2000),
    link,
    jsonb_build_object('integration', integration, 'job', job_ref)
  );
end;
$$;
comment on function private.notify_integration_failure(text, text, text, text) is
  'Tells the admins that an integration job failed (e.g. integration ''shopify'', job_ref a sync or delivery id), once while an earlier notification for the same job is unread. Call it from the job''s failure path.';

revoke execute on function private.notify(uuid, public.notification_kind, text, text, text, jsonb),
  private.notify_admins(public.notification_kind, text, text, text, jsonb),
  private.notify_integration_failure(text, text, text, text)
  from public, anon, authenticated;
grant execute on function private.notify(uuid, public.notification_kind, text, text, text, jsonb),
  private.notify_admins(public.notification_kind, text, text, text, jsonb),
  private.notify_integration_failure(text, text, text, text)
  to service_role;

-- ─── Deal won / lost → its owner ─────────────────────────────────────────────────────────────

create function private.notify_deal_closed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage public.deal_stages;
begin
  if new.closed_at is null or old.closed_at is not null or new.owner_id is null
     or new.owner_id is not distinct from (select auth.uid()) then
    return null;
  end if;
  select * into stage from public.deal_stages where id = new.stage_id;
  perform private.notify(
    new.owner_id,
    case when stage.is_won then 'deal_won' else 'deal_lost' end::public.notification_kind,
    left(case when stage.is_won then 'Deal won: ' else 'Deal lost: ' end || new.title, 200),
    new.close_reason,
    '/pipeline?deal=' || new.id,
    jsonb_build_object('deal_id', new.id, 'customer_id', new.customer_id, 'stage_id', new.stage_id)
  );
  return null;
end;
$$;
comment on function private.notify_deal_closed() is 'Tells a deal''s owner when someone else closes it as won or lost.';
create trigger notify_deal_closed after update of stage_id on public.deals
  for each row execute function private.notify_deal_closed();

-- ─── Customer assigned → the new owner ───────────────────────────────────────────────────────

create function private.notify_customer_assigned() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.owner_id is null or new.owner_id is not distinct from (select auth.uid())
     or (tg_op = 'UPDATE' and new.owner_id is not distinct from old.owner_id) then
    return null;
  end if;
  perform private.notify(
    new.owner_id,
    'customer_assigned',
    left('New customer for you: ' || coalesce(new.full_name, new.email, 'a customer'), 200),
    null,
    '/customers/' || new.id,
    jsonb_build_object('customer_id', new.id, 'assigned_by', (select auth.uid()))
  );
  return null;
end;
$$;
comment on function private.notify_customer_assigned() is 'Tells a team member when someone else (or an import) makes them a customer''s owner.';
create trigger notify_customer_assigned after insert or update of owner_id on public.customers
  for each row execute function private.notify_customer_assigned();

-- ─── A customer's reply → the thread's assignee, else the customer's owner ───────────────────

create function private.notify_customer_reply() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  thread jsonb;
  recipient uuid;
begin
  if new.direction <> 'inbound' then
    return null;
  end if;
  -- to_jsonb: the thread's assignee_id column arrives with the inbox (issue 14); until then the
  -- customer's owner hears about replies.
  select to_jsonb(t) into thread from public.message_threads t where t.id = new.thread_id;
  recipient := coalesce(
    (thread ->> 'assignee_id')::uuid,
    (select c.owner_id from public.customers c where c.id = new.customer_id)
  );
  perform private.notify(
    recipient,
    'customer_reply',
    left('Reply: ' || new.subject, 200),
    left(new.body_text, 280),
    '/customers/' || new.customer_id || '?thread=' || new.thread_id,
    jsonb_build_object('customer_id', new.customer_id, 'thread_id', new.thread_id, 'message_id', new.id)
  );
  return null;
end;
$$;
comment on function private.notify_customer_reply() is 'Tells the thread''s assignee (when threads have one), else the customer''s owner, about an inbound message.';
create trigger notify_customer_reply after insert on public.messages
  for each row execute function private.notify_customer_reply();

-- ─── An email bounced → the customer's owner ─────────────────────────────────────────────────

create function private.notify_email_bounced() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.notify(
    c.owner_id,
    'email_bounced',
    left('Email bounced: ' || e.email, 200),
    e.reason,
    '/customers/' || c.id,
    jsonb_build_object('customer_id', c.id, 'email_event_id', e.id, 'event', e.event)
  )
  from new_events e
  join public.customers c on c.id = e.customer_id
  where e.event in ('bounce', 'dropped') and c.owner_id is not null;
  return null;
end;
$$;
comment on function private.notify_email_bounced() is 'Tells a customer''s owner when an email to the customer bounced or was dropped (SendGrid events).';
create trigger notify_email_bounced after insert on public.email_events
  referencing new table as new_events
  for each statement execute function private.notify_email_bounced();

-- ─── Mark all read ───────────────────────────────────────────────────────────────────────────

create function public.mark_all_notifications_read() returns integer
language sql set search_path = '' as $$
  with marked as (
    update public.notifications n set read_at = now()
    where n.recipient_id = (select auth.uid()) and n.read_at is null
    returning 1
  )
  select count(*)::integer from marked
$$;
comment on function public.mark_all_notifications_read() is 'Marks every unread notification of the caller read; returns how many. Caller''s rights.';
revoke execute on function public.mark_all_notifications_read() from public, anon;
grant execute on function public.mark_all_notifications_read() to authenticated;

-- ─── Retention ───────────────────────────────────────────────────────────────────────────────

alter table public.workspace_settings
  add column notification_retention_days integer not null default 90
    constraint workspace_settings_notification_retention_days_between_7_and_3650
    check (notification_retention_days between 7 and 3650);
comment on column public.workspace_settings.notification_retention_days is 'Notifications older than this many days are removed (daily job). Admins set it.';

create function private.purge_notifications(batch integer default 10000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  removed integer;
  total integer := 0;
  cutoff timestamptz := now() - make_interval(days => (select s.notification_retention_days from public.workspace_settings s));
begin
  -- Bounded chunks so one run never holds a long lock; the next day's run picks up the rest.
  for i in 1..50 loop
    delete from public.notifications n
    where n.id in (select id from public.notifications where created_at < cutoff limit batch);
    get diagnostics removed = row_count;
    total := total + removed;
    exit when removed < batch;
  end loop;
  return total;
end;
$$;
comment on function private.purge_notifications(integer) is 'Removes notifications older than workspace_settings.notification_retention_days, in chunks (at most 50 × batch per run). Returns how many.';
revoke execute on function private.purge_notifications(integer) from public, anon, authenticated;
grant execute on function private.purge_notifications(integer) to service_role;

select cron.schedule('purge-notifications', '41 3 * * *', $$select private.purge_notifications()$$);

-- ─── The bell's realtime channel ─────────────────────────────────────────────────────────────

-- The app listens on the private channel `notifications:<own user id>` (postgres_changes on
-- notifications, which Realtime filters by the notifications policies as well): only the member
-- themselves may join it.
create policy "members join their own notifications channel" on realtime.messages
  for select to authenticated
  using (
    (select private.is_team_member())
    and (select realtime.topic()) = 'notifications:' || (select auth.uid())::text
  );
