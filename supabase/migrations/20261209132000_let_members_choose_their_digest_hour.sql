-- The daily digest at the hour each member chooses (issue 15): it was fixed at 08:00.
--
-- Owns: `team_members.digest_hour` (0–23, default 8: the hour of the member's day, in their own
-- time zone, from which their digest goes out) and `public.claim_notification_emails`, restated
-- whole (from 20261208130100) to make each member's digest at that hour instead of 08:00.
--
-- Exactly once per day, as before: the digest's key is (member, calendar day in the member's zone)
-- (`notification_emails_one_digest_a_day`), and it is made at the first run at or after the chosen
-- hour that day. In a zone with a half-hour offset (Asia/Kolkata) the hour is local: 09:00 there
-- is 03:30 UTC. On the day clocks go forward an hour that does not exist (02:00 in New York) is
-- passed at the first run after it (03:00 EDT); on the day they go back an hour that happens twice
-- (01:00 in New York) sends at its first occurrence, and the second finds that day's digest made.
-- Changing the hour later the same day gives no second digest that day.
--
-- Who may do what: a member sets their own digest_hour like their zone and language (the policy
-- "members edit their own profile"; guard_team_member_self_edit leaves it free); admins may set
-- anyone's, as they may the zone.

alter table public.team_members
  add column digest_hour smallint not null default 8
    constraint team_members_digest_hour_check check (digest_hour between 0 and 23);
comment on column public.team_members.digest_hour is 'The hour (0–23, in the member''s time zone) from which their daily notification digest goes out; 8 unless they chose.';

create or replace function public.claim_notification_emails(
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

  -- Today's digest for every active member with notifications waiting, once their chosen hour
  -- has come in their zone (a local time: a :30 zone's hour is at :30 UTC).
  insert into public.notification_emails (recipient_id, digest_date)
  select tm.user_id, (claim_notification_emails.now at time zone tm.timezone)::date
  from public.team_members tm
  where tm.active
    and (claim_notification_emails.now at time zone tm.timezone)::time >= make_time(tm.digest_hour, 0, 0)
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
comment on function public.claim_notification_emails(integer, timestamptz, integer) is 'For the notification-emails function (service role): makes today''s digests (at each member''s digest_hour in their zone, once per local day), then leases up to batch_size queued emails and returns each with its recipient (address, name, language, time zone, still active) and its notifications (items). Serialised; concurrent runs take disjoint emails.';
revoke execute on function public.claim_notification_emails(integer, timestamptz, integer) from public, anon, authenticated;
grant execute on function public.claim_notification_emails(integer, timestamptz, integer) to service_role;
