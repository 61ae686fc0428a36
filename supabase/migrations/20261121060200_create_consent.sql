-- Consent
--
-- Owns: the consent ledger (`consent_events`), an append-only record of every time a customer
-- granted or withdrew consent for a purpose on a channel — with where it happened, who recorded
-- it, when, and the evidence (IP address, user agent, the wording shown); the current-state view
-- (`customer_consents`, latest event wins); and `private.has_consent(…)`, the one question the
-- alert engine and segments ask before contacting anyone.
--
-- Append-only means for everyone: no client, not even the service role, may update or delete
-- an event (privileges are revoked and a trigger refuses it for the tables' owner too). A change
-- of mind is a new event. The only way events leave the ledger is with their customer (deleting
-- a customer record takes its ledger with it; GDPR erasure anonymises the customer instead and
-- keeps the ledger as proof).
--
-- Who may do what:
--   staff     read the ledger of the customers they may see (admin, manager, readonly: all;
--             agent: their own customers); admins, managers and the owning agent record
--             consent given to them (source staff, or import for a CSV import they run).
--   shopper   reads their own ledger and records their own choices: the source is always
--             'portal', the actor is themselves, the time is now, and the request's IP address
--             and user agent are written into the evidence by the database.
--   system    (service role: Shopify sync, unsubscribe links, signup forms, SendGrid events)
--             records events with any source and time; the actor is null unless it acts for
--             someone.
--   anon, strangers: nothing.

create type public.consent_channel as enum ('email', 'sms', 'phone', 'post', 'push');
comment on type public.consent_channel is 'How a customer may be contacted.';

create type public.consent_purpose as enum ('marketing', 'newsletter', 'alerts', 'profiling');
comment on type public.consent_purpose is 'marketing: promotions and campaigns; newsletter: editorial newsletter; alerts: back-in-stock and price-drop alerts about their favourites; profiling: personalisation and segmentation from their behaviour.';

create type public.consent_status as enum ('granted', 'withdrawn');

create type public.consent_source as enum (
  'signup_form', 'portal', 'staff', 'import', 'shopify', 'unsubscribe_link', 'email_provider', 'api'
);
comment on type public.consent_source is 'Where the choice was made: signup_form (store website form), portal (the shopper in their account), staff (told to a team member), import (CSV import), shopify (Shopify customer marketing state), unsubscribe_link (one-click unsubscribe), email_provider (e.g. a SendGrid spam report or unsubscribe), api (an integrator).';

create table public.consent_events (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (id) on delete cascade,
  channel public.consent_channel not null,
  purpose public.consent_purpose not null,
  status public.consent_status not null,
  source public.consent_source not null,
  actor_id uuid default auth.uid(),
  occurred_at timestamptz not null default now(),
  recorded_at timestamptz not null default now(),
  evidence jsonb not null default '{}',
  note text,
  constraint consent_events_evidence_is_an_object check (jsonb_typeof(evidence) = 'object'),
  constraint consent_events_evidence_is_small check (octet_length(evidence::text) <= 10000),
  constraint consent_events_note_is_short check (length(note) <= 1000)
);
comment on table public.consent_events is 'Append-only consent ledger: each row is a customer granting or withdrawing consent for a purpose on a channel. The latest event per customer × channel × purpose is the current state (view customer_consents).';
comment on column public.consent_events.actor_id is 'Who recorded the event: the team member, the shopper themselves, or null for the system. Kept as a plain id (no foreign key): the ledger outlives accounts.';
comment on column public.consent_events.occurred_at is 'When the customer made the choice (the system may backdate, e.g. from Shopify; never in the future). For shoppers always the time of recording.';
comment on column public.consent_events.recorded_at is 'When the row was written.';
comment on column public.consent_events.evidence is 'Proof of the choice, e.g. {"ip": "…", "user_agent": "…", "text_shown": "Yes, email me offers", "form": "checkout"}.';

create index consent_events_current_idx on public.consent_events (customer_id, channel, purpose, occurred_at desc, id desc);

-- ─── Filling in and checking a new event ─────────────────────────────────────────────────────

create function private.prepare_consent_event() returns trigger
language plpgsql set search_path = '' as $$
declare
  headers jsonb;
begin
  new.recorded_at := now();
  if (select auth.role()) = 'authenticated' then
    -- Whoever records through the API is the actor; it is not theirs to choose.
    new.actor_id := (select auth.uid());
    if (select private.is_team_member()) then
      new.source := coalesce(new.source, 'staff');
      if new.source not in ('staff', 'import') then
        raise exception 'team members record consent with source staff or import, not %', new.source
          using errcode = '23514', column = 'source', table = 'consent_events',
                hint = 'The other sources are recorded by the system, where the customer made the choice.';
      end if;
    else
      -- A shopper about themselves (the insert policy checks it is their own record).
      new.source := 'portal';
      new.occurred_at := now();
      headers := nullif(current_setting('request.headers', true), '')::jsonb;
      new.evidence := (coalesce(new.evidence, '{}') - 'ip' - 'user_agent') || jsonb_strip_nulls(jsonb_build_object(
        'ip', nullif(btrim(split_part(coalesce(headers ->> 'x-forwarded-for', headers ->> 'x-real-ip', ''), ',', 1)), ''),
        'user_agent', headers ->> 'user-agent'
      ));
    end if;
  end if;
  new.occurred_at := coalesce(new.occurred_at, now());
  if new.occurred_at > now() + interval '5 minutes' then
    raise exception 'a consent event cannot happen in the future (occurred_at %)', new.occurred_at
      using errcode = '23514', column = 'occurred_at', table = 'consent_events';
  end if;
  return new;
end;
$$;
comment on function private.prepare_consent_event() is 'BEFORE INSERT on consent_events: sets the actor from the session, limits staff to sources staff/import, forces portal/now/request evidence for shoppers, refuses future events.';

create trigger prepare_event before insert on public.consent_events
  for each row execute function private.prepare_consent_event();

create function private.refuse_consent_event_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Deleting a customer cascades here: by then the customer row is gone, and its ledger goes
  -- with it. Any other delete (or update, or truncate) would rewrite history.
  if tg_op = 'DELETE' and not exists (select 1 from public.customers where id = old.customer_id) then
    return old;
  end if;
  raise exception 'consent_events is append-only: record a new event instead of changing or deleting one'
    using errcode = '42501', table = 'consent_events';
end;
$$;
comment on function private.refuse_consent_event_change() is 'Keeps consent_events append-only, also for the service role and the table owner; lets rows go only with their deleted customer.';

create trigger append_only before update or delete on public.consent_events
  for each row execute function private.refuse_consent_event_change();
create trigger append_only_truncate before truncate on public.consent_events
  for each statement execute function private.refuse_consent_event_change();
create trigger record_audit after insert or update or delete on public.consent_events
  for each row execute function private.record_audit();

-- ─── Access ──────────────────────────────────────────────────────────────────────────────────

alter table public.consent_events enable row level security;
create policy "staff and the shopper read consent" on public.consent_events for select to authenticated
  using (
    (select private.sees_all_customers())
    or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id())
  );
create policy "managers, owning agents and the shopper record consent" on public.consent_events for insert to authenticated
  with check (
    (select private.edits_all_customers())
    or customer_id in (select private.owned_customer_ids())
    or customer_id = (select private.shopper_customer_id())
  );
-- No update or delete policy, and no privilege either: the ledger is append-only.

revoke all on public.consent_events from anon;
revoke insert, update, delete, truncate on public.consent_events from authenticated, service_role;
grant insert (customer_id, channel, purpose, status, source, occurred_at, evidence, note)
  on public.consent_events to authenticated;
grant insert on public.consent_events to service_role;

-- ─── Current state ───────────────────────────────────────────────────────────────────────────

create view public.customer_consents with (security_invoker = on) as
select distinct on (event.customer_id, event.channel, event.purpose)
  event.customer_id,
  event.channel,
  event.purpose,
  event.status,
  event.status = 'granted' as granted,
  event.occurred_at as since,
  event.source,
  event.actor_id,
  event.id as event_id
from public.consent_events as event
order by event.customer_id, event.channel, event.purpose, event.occurred_at desc, event.id desc;
comment on view public.customer_consents is 'Current consent per customer × channel × purpose: the latest event wins (by occurred_at, then id). No row means never asked, i.e. no consent. Rows follow consent_events'' access rules.';
comment on column public.customer_consents.since is 'When the current state began (occurred_at of the latest event).';

revoke all on public.customer_consents from anon;
revoke insert, update, delete, truncate on public.customer_consents from authenticated, service_role;
grant select on public.customer_consents to authenticated, service_role;

create function private.has_consent(
  customer_id uuid,
  channel public.consent_channel,
  purpose public.consent_purpose
) returns boolean
language sql stable security definer set search_path = '' as $$
  select case
    -- Only the system (service role, or the database itself with no API role) asks about anyone;
    -- an API caller learns only about customers they may see, for others the answer is no.
    when coalesce((select auth.role()), 'service_role') <> 'service_role'
         and not (select private.sees_all_customers())
         and has_consent.customer_id is distinct from (select private.shopper_customer_id())
         and has_consent.customer_id not in (select private.owned_customer_ids())
      then false
    else coalesce((
      select event.status = 'granted'
      from public.consent_events as event
      where event.customer_id = has_consent.customer_id
        and event.channel = has_consent.channel
        and event.purpose = has_consent.purpose
      order by event.occurred_at desc, event.id desc
      limit 1
    ), false)
  end
$$;
comment on function private.has_consent(uuid, public.consent_channel, public.consent_purpose) is 'True when the customer''s latest consent event for this channel and purpose is a grant. Never asked means false. API callers other than the service role get false for customers they may not see.';
-- Per-schema default privileges cannot take away PUBLIC's execute on new functions, so each
-- function here says explicitly who may call it.
revoke execute on function private.prepare_consent_event(), private.refuse_consent_event_change(),
  private.has_consent(uuid, public.consent_channel, public.consent_purpose) from public, anon;
grant execute on function private.has_consent(uuid, public.consent_channel, public.consent_purpose) to authenticated, service_role;
