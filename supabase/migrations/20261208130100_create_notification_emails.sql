-- Notification emails: a reminder (or any kind the member chose `email_now` for) emailed at once,
-- and the daily digest of `email_digest` kinds, each exactly once (issue 15).
--
-- Owns: `notification_emails` (the outbox: one row per email to send — the unique keys are what
-- make each email go out once whether the scheduler runs twice, concurrently or late),
-- `notifications.digest_email_id` (which digest carries a notification), the trigger that queues an
-- email for `email_now`, `public.claim_notification_emails` / `public.record_notification_emails`
-- (what the `notification-emails` function calls, service role only), and the pg_cron schedule
-- `send-notification-emails` (every minute, through private.call_scheduled_function, the
-- check-alerts pattern: claim under a lease in SQL, send from the function, record the answer).
--
-- Exactly once:
--   - at once: `notification_id` is unique; the row is written in the notification's transaction;
--   - digest: `(recipient_id, digest_date)` is unique — one digest per member and local calendar day,
--     created at the first run after 08:00 in the member's time zone (a late run still sends that
--     day's; a day the scheduler missed entirely leaves its notifications for the next digest);
--     a notification joins one digest only (`digest_email_id`, set once under the claim's lock);
--   - sending: a claim takes queued rows `for update skip locked` and leases them (claimed_until),
--     so concurrent runs take disjoint rows and a run after a successful record finds nothing;
--     a run that crashed between sending and recording lets the lease lapse and the email is sent
--     again (at least once then — the mail API has no idempotency key).
--
-- Who may do what: nobody but the service role (the function) and pg_cron reads or writes the
-- outbox; members choose through notification_preferences.

create table public.notification_emails (
  id bigint generated always as identity primary key,
  recipient_id uuid not null references public.team_members (user_id) on delete cascade,
  notification_id uuid unique references public.notifications (id) on delete cascade,
  digest_date date,
  state text not null default 'queued'
    constraint notification_emails_state_check check (state in ('queued', 'sent', 'failed', 'skipped')),
  not_before timestamptz not null default now(),
  claimed_until timestamptz,
  attempts smallint not null default 0,
  sent_at timestamptz,
  message_id text,
  error text constraint notification_emails_error_length check (length(error) <= 1000),
  created_at timestamptz not null default now(),
  constraint notification_emails_one_kind check ((notification_id is null) <> (digest_date is null)),
  constraint notification_emails_one_digest_a_day unique (recipient_id, digest_date)
);
comment on table public.notification_emails is 'Outbox of notification emails: one row per email (a notification emailed at once, or a member''s daily digest), sent by the notification-emails function under a lease, exactly once per key.';
comment on column public.notification_emails.digest_date is 'A digest''s calendar day in the member''s time zone (null for an email about one notification).';
create index notification_emails_due_idx on public.notification_emails (not_before, id) where state = 'queued';

alter table public.notification_emails enable row level security;
revoke all on public.notification_emails from anon, authenticated;
-- Bookkeeping of the job: no policies for users, no audit.

alter table public.notifications
  add column digest_email_id bigint references public.notification_emails (id) on delete set null;
comment on column public.notifications.digest_email_id is 'The digest email that carries this notification (set once when the digest is made).';
create index notifications_digest_email_idx on public.notifications (digest_email_id) where digest_email_id is not null;

-- ─── email_now: queue the email with the notification ─────────────────────────────────────────

create function private.queue_notification_email() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.notification_emails (recipient_id, notification_id)
  select new.recipient_id, new.id
  from public.notification_preferences p
  where p.user_id = new.recipient_id and p.kind = new.kind and p.delivery = 'email_now'
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.queue_notification_email() is 'Queues one email for a new notification whose recipient chose email_now for its kind.';
create trigger queue_notification_email after insert on public.notifications
  for each row execute function private.queue_notification_email();

-- email_digest now reads "the bell and the digest", email_now "the bell and an email at once":
-- apply_notification_preference (20261207150200) already sets email_pending for email_digest only.

-- ─── The function's calls ───────────────────────────────────────────────────────────────────

create function public.claim_notification_emails(
  batch_size integer default 100,
  now timestamptz default now(),
  lease_seconds integer default 300
) returns table (
  email_id bigint,
  recipient_email text,
  recipient_name text,
  language text,
  timezone text,
  active boolean,
  digest_date date,
  items jsonb
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if batch_size is null or batch_size < 1 or batch_size > 500 then
    raise exception 'batch_size must be between 1 and 500' using errcode = '22023';
  end if;
  -- Claims are short and serialised: making today's digests and attaching notifications to them
  -- never races another run. Sending happens outside, under the lease.
  perform pg_advisory_xact_lock(hashtext('cairn.claim_notification_emails'));

  -- Today's digest for every active member with notifications waiting, once it is 08:00 for them.
  insert into public.notification_emails (recipient_id, digest_date)
  select tm.user_id, (claim_notification_emails.now at time zone tm.timezone)::date
  from public.team_members tm
  where tm.active
    and (claim_notification_emails.now at time zone tm.timezone)::time >= time '08:00'
    and exists (
      select 1 from public.notifications n
      where n.recipient_id = tm.user_id and n.email_pending and n.digest_email_id is null
        and n.created_at <= claim_notification_emails.now
    )
  on conflict (recipient_id, digest_date) do nothing;

  -- Waiting notifications join their member's digest that has not gone out yet.
  update public.notifications n set digest_email_id = e.id
  from public.notification_emails e
  where n.email_pending and n.digest_email_id is null and n.created_at <= claim_notification_emails.now
    and e.recipient_id = n.recipient_id and e.digest_date is not null
    and e.state = 'queued' and e.claimed_until is null;

  return query
  with due as (
    select e.id
    from public.notification_emails e
    where e.state = 'queued' and e.not_before <= claim_notification_emails.now
      and (e.claimed_until is null or e.claimed_until <= claim_notification_emails.now)
    order by e.not_before, e.id
    limit batch_size
    for update skip locked
  ),
  leased as (
    update public.notification_emails e set
      claimed_until = claim_notification_emails.now + make_interval(secs => lease_seconds),
      attempts = e.attempts + 1
    from due
    where e.id = due.id
    returning e.id, e.recipient_id, e.notification_id, e.digest_date
  )
  select l.id, tm.email, tm.full_name, tm.language, tm.timezone, tm.active, l.digest_date,
    coalesce((
      select jsonb_agg(jsonb_build_object(
          'kind', n.kind, 'title', n.title, 'body', n.body, 'link', n.link, 'created_at', n.created_at,
          -- What the notification is about, free of the English words of its title, so the email
          -- can say it in the member's language: the task's subject, the deal's title.
          'subject', case when n.kind in ('task_due', 'task_assigned') then a.subject
                          when n.kind in ('deal_won', 'deal_lost') then d.title end,
          'due_at', a.due_at,
          'customer_name', c.full_name
        ) order by n.created_at, n.id)
      from public.notifications n
      left join public.activities a on a.id = (n.data ->> 'activity_id')::uuid
      left join public.deals d on d.id = (n.data ->> 'deal_id')::uuid
      left join public.customers c on c.id = (n.data ->> 'customer_id')::uuid
      where (l.notification_id is not null and n.id = l.notification_id)
         or (l.digest_date is not null and n.digest_email_id = l.id)
    ), '[]'::jsonb)
  from leased l
  join public.team_members tm on tm.user_id = l.recipient_id
  order by l.id;
end;
$$;
comment on function public.claim_notification_emails(integer, timestamptz, integer) is 'For the notification-emails function (service role): makes today''s digests (08:00 in each member''s zone), then leases up to batch_size queued emails and returns each with its recipient (address, name, language, time zone, still active) and its notifications (items). Serialised; concurrent runs take disjoint emails.';

create function public.record_notification_emails(results jsonb, now timestamptz default now())
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  changed integer;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array of {"email_id", "ok", "message_id", "error", "retryable", "skipped"}' using errcode = '22023';
  end if;
  with outcome as (
    update public.notification_emails e set
      state = case
        when r.ok then 'sent'
        when coalesce(r.skipped, false) then 'skipped'
        when coalesce(r.retryable, false) and e.attempts < 5 then 'queued'
        else 'failed' end,
      sent_at = case when r.ok then record_notification_emails.now end,
      message_id = case when r.ok then left(r.message_id, 200) end,
      error = case when not r.ok then left(coalesce(r.error, 'unknown error'), 1000) end,
      -- Retries back off: 1, 2, 4, 8 minutes.
      not_before = case when not r.ok then record_notification_emails.now + make_interval(mins => power(2, greatest(e.attempts - 1, 0))::integer)
                        else e.not_before end,
      claimed_until = null
    from jsonb_to_recordset(results) as r (email_id bigint, ok boolean, message_id text, error text, retryable boolean, skipped boolean)
    where e.id = r.email_id and e.state = 'queued' and e.claimed_until is not null
    returning e.id, e.state
  ),
  emailed as (
    update public.notifications n set emailed_at = record_notification_emails.now, email_pending = false
    from outcome o
    join public.notification_emails e on e.id = o.id
    where o.state = 'sent' and (n.id = e.notification_id or n.digest_email_id = e.id)
    returning 1
  )
  select count(*)::integer into changed from outcome;
  return changed;
end;
$$;
comment on function public.record_notification_emails(jsonb, timestamptz) is 'For the notification-emails function (service role): records what the mail API answered per leased email — sent (its notifications get emailed_at), retried later (backoff, at most 5 attempts), failed or skipped. Returns how many rows changed.';

revoke execute on function public.claim_notification_emails(integer, timestamptz, integer),
  public.record_notification_emails(jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function public.claim_notification_emails(integer, timestamptz, integer),
  public.record_notification_emails(jsonb, timestamptz)
  to service_role;

-- Re-running the migration (or a second schedule under the same name) replaces the job.
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'send-notification-emails';
select cron.schedule(
  'send-notification-emails',
  '* * * * *',
  $$select private.call_scheduled_function('send-notification-emails', 'notification-emails', '{"source":"cron"}')$$
);
