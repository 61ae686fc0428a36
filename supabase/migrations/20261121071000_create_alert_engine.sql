-- Alert engine: back-in-stock and price-drop decisions, in SQL
--
-- Owns: the queue of catalogue changes the engine has not looked at yet, the engine's
-- checkpoint row, and the three functions the check-alerts edge function calls (service role
-- only):
--   run_alert_check(now)        turns new changes into alert decisions in alert_log (one set-based
--                               statement per batch: queued, or suppressed and why);
--   claim_due_alerts(n, now)    takes a batch of due alerts, re-checks each one just before it is
--                               sent (consent, suppression list, stock, price, quiet hours, the
--                               daily cap) and hands back the ones to send, with what the email
--                               needs; the rest become deferred (with not_before) or suppressed;
--   record_alert_sends(results) writes what the mail API answered (sent + message id, or a retry
--                               later, or failed).
--
-- "Since the last check": every restock written to stock_history and every price decrease written
-- to price_history is also put in private.alert_check_events by a trigger, in the same
-- transaction, so the engine sees a change exactly when it commits. A check consumes events with
-- `delete … for update skip locked` in the transaction that writes the decisions: re-runs find
-- nothing left (cheap), concurrent runs take disjoint events, a crash rolls the events back
-- (never skipped). A plain id or time watermark over the histories would skip rows whose
-- transaction commits after a later one (identity ids are handed out before commit).
--
-- Exactly one alert per (shopper, variant, kind, triggering event): alert_log.dedup_key is
--   back_in_stock:<customer>:<stock_history id> / price_drop:<customer>:<price_history id>
-- and every insert is `on conflict (dedup_key) do nothing`. A price drop event is a price_history
-- row that CROSSES the shopper's threshold (old price above it, new price at or below it), so a
-- price that stays low alerts once, and a new alert needs the price to have recovered above the
-- threshold first (re-armed); a shopper's threshold is their own (alert_preferences), else the
-- variant's, else the product's (product_alert_overrides), else alert_settings' (10 %).
--
-- Who gets one: shoppers whose latest consent for email × alerts is a grant (product brief: "only
-- to shoppers who consented" — no consent row means no), with the kind switched on in
-- alert_settings and in their alert_preferences (no preferences row: on), not blocked, with an
-- email address that is not on the suppression list (bounces, spam reports). Everyone else gets a
-- `suppressed` row saying why. Quiet hours (the shopper's, else the workspace's, in the shopper's
-- time zone) and the daily cap (alert_settings, per shopper, per local calendar day, across kinds)
-- defer, never drop: state deferred with not_before.

-- ─── alert_log: what the engine needs to schedule, lease and follow up ──────────────────────

alter table public.alert_log
  add column not_before timestamptz not null default now(),
  add column claimed_until timestamptz,
  add column attempts smallint not null default 0 constraint alert_log_attempts_not_negative check (attempts >= 0),
  add column opened_at timestamptz,
  add column clicked_at timestamptz;
comment on column public.alert_log.not_before is 'A queued or deferred alert is not sent before this time (end of quiet hours, next local day after the daily cap, a retry''s backoff).';
comment on column public.alert_log.claimed_until is 'Lease of a check-alerts run that is sending this alert; when it lapses (the run crashed) the alert is due again.';
comment on column public.alert_log.attempts is 'Times a run tried to send it.';
comment on column public.alert_log.opened_at is 'First open reported by SendGrid''s event webhook.';
comment on column public.alert_log.clicked_at is 'First click reported by SendGrid''s event webhook; orders within 7 days after it count as revenue from alerts.';

-- The key is opaque: byte order (C) makes the unique index cheaper to maintain than a
-- language-aware collation, and a check inserts hundreds of thousands of keys.
alter table public.alert_log alter column dedup_key type text collate "C";

-- Due alerts by not_before (what claim_due_alerts reads) replaces the pending-by-created_at
-- index; per-shopper questions (pending for this variant? sent today?) use alert_log_customer_idx
-- (a shopper has few alerts). Every index here is paid for on each of a big check's inserts.
drop index public.alert_log_pending_idx;
create index alert_log_due_idx on public.alert_log (not_before, id) where state in ('queued', 'deferred');
create index alert_log_clicked_idx on public.alert_log (customer_id, clicked_at) where clicked_at is not null;

-- ─── Email suppression list (consulted before every send) ────────────────────────────────────

create table public.email_suppressions (
  email text primary key constraint email_suppressions_email_is_lower_case check (email = lower(email)),
  reason text not null constraint email_suppressions_reason_check check (reason in ('bounce', 'spamreport', 'unsubscribe', 'group_unsubscribe', 'manual')),
  source_event_id text,
  created_at timestamptz not null default now()
);
comment on table public.email_suppressions is 'Addresses Cairn never emails again: hard bounces and spam reports from SendGrid''s event webhook (and unsubscribes there). Checked before every alert and every templated email.';
alter table public.email_suppressions enable row level security;
create policy "team members read suppressed addresses" on public.email_suppressions for select to authenticated
  using ((select private.is_team_member()));
create policy "managers remove suppressed addresses" on public.email_suppressions for delete to authenticated
  using ((select private.edits_all_customers()));
revoke all on public.email_suppressions from anon;
revoke insert, update, truncate on public.email_suppressions from authenticated;
create trigger record_audit after insert or update or delete on public.email_suppressions
  for each row execute function private.record_audit('email');

-- ─── Changes waiting for the engine ──────────────────────────────────────────────────────────

create table private.alert_check_events (
  id bigint generated always as identity primary key,
  kind public.alert_kind not null,
  history_id bigint not null,
  variant_id uuid not null,
  changed_at timestamptz not null
);
comment on table private.alert_check_events is 'Restocks and price decreases not yet looked at by the alert engine (an outbox filled by triggers on the histories, emptied by run_alert_check).';

create function private.enqueue_alert_check_event() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'stock_history' then
    if new.new_quantity > 0 and coalesce(new.old_quantity, 0) <= 0 and new.old_quantity is not null then
      insert into private.alert_check_events (kind, history_id, variant_id, changed_at)
      values ('back_in_stock', new.id, new.variant_id, new.changed_at);
    end if;
  elsif new.old_price is not null and new.new_price < new.old_price and new.currency = new.old_currency then
    insert into private.alert_check_events (kind, history_id, variant_id, changed_at)
    values ('price_drop', new.id, new.variant_id, new.changed_at);
  end if;
  return null;
end;
$$;
comment on function private.enqueue_alert_check_event() is 'AFTER INSERT on stock_history / price_history: queues restocks (0 or less → more than 0; a new variant is not a restock) and same-currency price decreases for the alert engine.';
create trigger enqueue_alert_check_event after insert on public.stock_history
  for each row execute function private.enqueue_alert_check_event();
create trigger enqueue_alert_check_event after insert on public.price_history
  for each row execute function private.enqueue_alert_check_event();

create table private.alert_check_state (
  id boolean primary key default true constraint alert_check_state_single_row check (id),
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_events integer not null default 0,
  last_queued integer not null default 0,
  last_suppressed integer not null default 0,
  total_events bigint not null default 0
);
comment on table private.alert_check_state is 'The engine''s checkpoint: when the last check ran and what it did (the outbox itself is the position).';
insert into private.alert_check_state default values;

-- ─── Helpers ─────────────────────────────────────────────────────────────────────────────────

-- Plain SQL without `set search_path` so the planner inlines them into the set-based queries
-- (a function with a SET clause is never inlined); every name is schema-qualified.
create function private.local_day_start(at timestamptz, zone text) returns timestamptz
language sql stable parallel safe as $$
  select pg_catalog.timezone(zone, pg_catalog.date_trunc('day', pg_catalog.timezone(zone, at)))
$$;
comment on function private.local_day_start(timestamptz, text) is 'Midnight of `at`''s calendar day in time zone `zone`.';

create function private.quiet_hours_end(at timestamptz, zone text, starts time, ends time) returns timestamptz
language sql stable parallel safe as $$
  -- null when `at` is outside the quiet hours [starts, ends) in `zone` (which may wrap midnight).
  select case
    when starts is null or ends is null or starts = ends then null
    when (starts < ends and local_time >= starts and local_time < ends)
      or (starts > ends and (local_time >= starts or local_time < ends))
      then pg_catalog.timezone(zone, local_day + ends + case when local_time >= ends then interval '1 day' else interval '0' end)
  end
  from (select pg_catalog.timezone(zone, at)::time as local_time, pg_catalog.timezone(zone, at)::date as local_day) as l
$$;
comment on function private.quiet_hours_end(timestamptz, text, time, time) is 'When the quiet hours that contain `at` end (local time `ends` in `zone`), or null when `at` is not in quiet hours.';

create function private.price_drop_threshold(customer_id uuid, variant_id uuid) returns numeric
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select ap.price_drop_threshold_percent from public.alert_preferences ap where ap.customer_id = price_drop_threshold.customer_id),
    (select o.price_drop_threshold_percent from public.product_alert_overrides o where o.variant_id = price_drop_threshold.variant_id),
    (select o.price_drop_threshold_percent from public.product_alert_overrides o
       join public.product_variants v on v.product_id = o.product_id where v.id = price_drop_threshold.variant_id),
    (select s.price_drop_threshold_percent from public.alert_settings s)
  )
$$;
comment on function private.price_drop_threshold(uuid, uuid) is 'The price-drop threshold in percent for a shopper and variant: theirs, else the variant''s, else the product''s, else the workspace default.';

-- ─── The check ───────────────────────────────────────────────────────────────────────────────

create function public.run_alert_check(now timestamptz default now(), max_events integer default 200000)
returns table (events integer, queued integer, suppressed integer)
-- work_mem: a big check sorts hundreds of thousands of decisions (the per-pair window below);
-- in memory that is seconds faster than on disk.
language plpgsql security definer set search_path = '' set work_mem = '64MB' set client_min_messages = warning as $$
#variable_conflict use_column
declare
  started timestamptz := clock_timestamp();
  taken integer;
  queued_count integer;
  suppressed_count integer;
begin
  if max_events is null or max_events < 1 then
    raise exception 'max_events must be at least 1' using errcode = '22023';
  end if;

  -- Temporary tables (analyzed) rather than one big statement: the planner sees the real batch
  -- size. The check never reads alert_log (a statement that read it while inserting into it
  -- could rescan its own new rows once per candidate): whether an earlier alert for the same
  -- variant is still waiting is asked when alerts are claimed, a small batch at a time.
  drop table if exists pg_temp.alert_events_batch, pg_temp.alert_decisions;
  create temporary table alert_events_batch (
    kind public.alert_kind, history_id bigint, variant_id uuid, changed_at timestamptz
  ) on commit drop;
  with taken_events as (
    delete from private.alert_check_events e
    where e.id in (select q.id from private.alert_check_events q order by q.id limit max_events for update skip locked)
    returning e.kind, e.history_id, e.variant_id, e.changed_at
  )
  insert into pg_temp.alert_events_batch select * from taken_events;
  get diagnostics taken = row_count;
  analyze pg_temp.alert_events_batch;

  create temporary table alert_decisions on commit drop as
  with settings as (select * from public.alert_settings limit 1),
  candidates as (
    -- Favourites of changed variants, favourited before the change; price drops only where the
    -- change crossed this shopper's threshold (in the favourite's currency).
    select e.kind, e.history_id, e.variant_id, e.changed_at, f.customer_id, f.price_at_favorite, f.currency,
           ph.new_price
    from pg_temp.alert_events_batch e
    -- Lateral: one favorites_variant_idx probe per change (a merge join would walk the index).
    cross join lateral (
      select fv.customer_id, fv.price_at_favorite, fv.currency
      from public.favorites fv
      where fv.variant_id = e.variant_id and fv.created_at <= e.changed_at
      offset 0 -- keeps the subquery from being flattened into a merge join
    ) f
    left join public.price_history ph on e.kind = 'price_drop' and ph.id = e.history_id
    left join public.alert_preferences ap on e.kind = 'price_drop' and ap.customer_id = f.customer_id
    left join public.product_alert_overrides vo on e.kind = 'price_drop' and vo.variant_id = e.variant_id
    left join public.product_variants pv on e.kind = 'price_drop' and pv.id = e.variant_id
    left join public.product_alert_overrides po on e.kind = 'price_drop' and po.product_id = pv.product_id
    cross join settings s
    where e.kind = 'back_in_stock'
       or (ph.currency = f.currency
           and ph.new_price <= f.price_at_favorite * (1 - coalesce(ap.price_drop_threshold_percent, vo.price_drop_threshold_percent,
                                                                     po.price_drop_threshold_percent, s.price_drop_threshold_percent) / 100)
           and ph.old_price > f.price_at_favorite * (1 - coalesce(ap.price_drop_threshold_percent, vo.price_drop_threshold_percent,
                                                                    po.price_drop_threshold_percent, s.price_drop_threshold_percent) / 100))
  ),
  decided as (
    select c.*,
      case
        when cu.email is null then 'no email address'
        when cu.status = 'blocked' then 'customer is blocked'
        when not coalesce(consent.granted, false) then 'no email consent for alerts'
        when c.kind = 'back_in_stock' and not s.back_in_stock_enabled then 'back-in-stock alerts are switched off'
        when c.kind = 'price_drop' and not s.price_drop_enabled then 'price-drop alerts are switched off'
        when c.kind = 'back_in_stock' and not coalesce(pref.back_in_stock, true) then 'the shopper turned off back-in-stock alerts'
        when c.kind = 'price_drop' and not coalesce(pref.price_drop, true) then 'the shopper turned off price-drop alerts'
        when exists (select 1 from public.email_suppressions x where x.email = lower(cu.email)) then 'address is suppressed (bounce or spam report)'
        when row_number() over (partition by c.customer_id, c.variant_id, c.kind order by c.history_id desc) > 1
          then 'superseded by a later change in the same check'
      end as suppressed_because
    from candidates c
    cross join settings s
    join public.customers cu on cu.id = c.customer_id
    left join public.alert_preferences pref on pref.customer_id = c.customer_id
    -- The same question private.has_consent() answers (latest email × alerts event wins), asked
    -- as a join so a check over hundreds of thousands of favourites stays one index probe each.
    left join lateral (
      select ev.status = 'granted' as granted
      from public.consent_events ev
      where ev.customer_id = c.customer_id and ev.channel = 'email' and ev.purpose = 'alerts'
      order by ev.occurred_at desc, ev.id desc
      limit 1
    ) consent on true
  )
  select * from decided;

  -- A plain statement, not RETURN QUERY: that runs through a cursor, planned for the first rows.
  with inserted as (
    insert into public.alert_log (customer_id, variant_id, kind, price_history_id, stock_history_id, dedup_key, state, reason,
                                  old_price, new_price, currency, not_before)
    select d.customer_id, d.variant_id, d.kind,
           case when d.kind = 'price_drop' then d.history_id end,
           case when d.kind = 'back_in_stock' then d.history_id end,
           d.kind::text || ':' || d.customer_id || ':' || d.history_id,
           case when d.suppressed_because is null then 'queued' else 'suppressed' end::public.alert_state,
           d.suppressed_because,
           case when d.kind = 'price_drop' then d.price_at_favorite end,
           d.new_price,
           case when d.kind = 'price_drop' then d.currency end,
           run_alert_check.now
    from pg_temp.alert_decisions d
    on conflict (dedup_key) do nothing
    returning state
  )
  select (count(*) filter (where i.state = 'queued'))::integer,
         (count(*) filter (where i.state = 'suppressed'))::integer
  into queued_count, suppressed_count
  from inserted i;

  update private.alert_check_state
  set last_started_at = started, last_finished_at = clock_timestamp(), last_events = taken, last_queued = queued_count,
      last_suppressed = suppressed_count, total_events = total_events + taken;
  return query select taken, queued_count, suppressed_count;
end;
$$;
comment on function public.run_alert_check(timestamptz, integer) is 'Turns restocks and price drops since the last check into alert decisions (queued, or suppressed and why) for the shoppers who favourited the variants. Idempotent and safe to run concurrently. `now` is for tests (quiet hours, caps). Service role only.';

-- ─── Claiming due alerts, with the last-moment checks ────────────────────────────────────────

create function public.claim_due_alerts(batch_size integer default 100, now timestamptz default now(), lease_seconds integer default 300)
returns table (
  alert_id bigint, customer_id uuid, kind public.alert_kind, email text, first_name text, last_name text, language text,
  product_title text, variant_title text, brand text, image_url text, product_url text, shop_name text,
  old_price numeric, new_price numeric, currency text, stock_quantity integer
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if batch_size is null or batch_size < 1 or batch_size > 5000 then
    raise exception 'batch_size must be between 1 and 5000' using errcode = '22023';
  end if;
  -- Claims are short and serialised, so two runs never both count the same shopper's cap as free.
  -- Sending happens outside, under a lease (claimed_until).
  perform pg_advisory_xact_lock(hashtext('cairn.claim_due_alerts'));

  return query
  with settings as (select * from public.alert_settings limit 1),
  due as (
    select a.id
    from public.alert_log a
    where a.state in ('queued', 'deferred') and a.not_before <= claim_due_alerts.now
      and (a.claimed_until is null or a.claimed_until <= claim_due_alerts.now)
    order by a.not_before, a.id
    limit batch_size
    for update skip locked
  ),
  facts as (
    select a.id, a.customer_id, a.kind, a.variant_id, a.old_price,
           cu.email, cu.first_name, cu.last_name, cu.language, cu.status as customer_status,
           coalesce(cu.timezone, sh.timezone, 'UTC') as zone,
           v.price as current_price, v.currency as current_currency, v.inventory_quantity, v.title as variant_title,
           p.title as product_title, p.vendor, p.status as product_status, coalesce(v.image_url, p.image_url) as image_url,
           case when sh.domain is not null and p.handle is not null then 'https://' || sh.domain || '/products/' || p.handle
                else p.affiliate_url end as product_url,
           sh.name as shop_name,
           coalesce(pref.quiet_hours_start, s.quiet_hours_start) as quiet_start,
           coalesce(pref.quiet_hours_end, s.quiet_hours_end) as quiet_end,
           s.daily_cap_per_shopper as cap,
           coalesce((select ev.status = 'granted' from public.consent_events ev
                     where ev.customer_id = a.customer_id and ev.channel = 'email' and ev.purpose = 'alerts'
                     order by ev.occurred_at desc, ev.id desc limit 1), false) as consented,
           case a.kind when 'back_in_stock' then s.back_in_stock_enabled and coalesce(pref.back_in_stock, true)
                       else s.price_drop_enabled and coalesce(pref.price_drop, true) end as wanted,
           a.currency as alert_currency
    from due
    join public.alert_log a on a.id = due.id
    cross join settings s
    join public.customers cu on cu.id = a.customer_id
    left join public.alert_preferences pref on pref.customer_id = a.customer_id
    left join public.product_variants v on v.id = a.variant_id
    left join public.products p on p.id = v.product_id
    left join public.shops sh on sh.id = p.shop_id
  ),
  checked as (
    select f.*,
      case
        when f.email is null then 'no email address'
        when f.customer_status = 'blocked' then 'customer is blocked'
        when not f.consented then 'no email consent for alerts'
        when not f.wanted then 'the shopper or the workspace turned this alert off'
        when exists (select 1 from public.email_suppressions x where x.email = lower(f.email)) then 'address is suppressed (bounce or spam report)'
        when f.current_price is null then 'the variant no longer exists'
        when f.product_status <> 'active' then 'the product is no longer available'
        when f.kind = 'back_in_stock' and coalesce(f.inventory_quantity, 0) <= 0 then 'out of stock again before sending'
        when f.kind = 'price_drop' and (f.current_currency is distinct from f.alert_currency
               or f.current_price > f.old_price * (1 - private.price_drop_threshold(f.customer_id, f.variant_id) / 100))
          then 'the price recovered before sending'
        when exists (select 1 from public.alert_log x
                     where x.customer_id = f.customer_id and x.variant_id = f.variant_id and x.kind = f.kind
                       and x.state in ('queued', 'deferred') and x.id < f.id)
          then 'an earlier alert for this variant is still waiting to be sent'
      end as suppressed_because,
      private.quiet_hours_end(claim_due_alerts.now, f.zone, f.quiet_start, f.quiet_end) as quiet_until
    from facts f
  ),
  ranked as (
    -- The cap counts alerts sent today (the shopper's calendar day) and alerts other runs are
    -- sending right now (leased), then admits this batch's alerts oldest first.
    select c.*,
      (select count(*) from public.alert_log x
       where x.customer_id = c.customer_id and x.id not in (select id from due)
         and ((x.state = 'sent' and x.sent_at >= private.local_day_start(claim_due_alerts.now, c.zone))
              or (x.state in ('queued', 'deferred') and x.claimed_until > claim_due_alerts.now))) as used_today,
      row_number() over (partition by c.customer_id, (c.suppressed_because is null and c.quiet_until is null) order by c.id) as nth
    from checked c
  ),
  decided as (
    select r.*,
      case
        when r.suppressed_because is not null then 'suppressed'
        when r.quiet_until is not null then 'deferred'
        when r.used_today + r.nth > r.cap then 'capped'
        else 'send'
      end as verdict
    from ranked r
  ),
  updated as (
    update public.alert_log a set
      state = case d.verdict when 'suppressed' then 'suppressed' when 'send' then a.state else 'deferred' end::public.alert_state,
      reason = case d.verdict
        when 'suppressed' then d.suppressed_because
        when 'deferred' then 'deferred: quiet hours (' || to_char(d.quiet_start, 'HH24:MI') || '–' || to_char(d.quiet_end, 'HH24:MI') || ' ' || d.zone || ')'
        when 'capped' then 'deferred: daily cap reached (' || d.cap || ' per day)'
        else a.reason end,
      not_before = case d.verdict
        when 'deferred' then d.quiet_until
        when 'capped' then private.local_day_start(claim_due_alerts.now, d.zone) + interval '1 day'
        else a.not_before end,
      claimed_until = case when d.verdict = 'send' then claim_due_alerts.now + make_interval(secs => lease_seconds) end,
      attempts = a.attempts + case when d.verdict = 'send' then 1 else 0 end,
      new_price = case when d.verdict = 'send' and d.kind = 'price_drop' then d.current_price else a.new_price end
    from decided d
    where a.id = d.id
    returning a.id
  )
  select d.id, d.customer_id, d.kind, d.email, d.first_name, d.last_name, d.language,
         d.product_title, d.variant_title, d.vendor, d.image_url, d.product_url, d.shop_name,
         d.old_price, d.current_price, d.current_currency, d.inventory_quantity
  from decided d
  join updated u on u.id = d.id
  where d.verdict = 'send'
  order by d.id;
end;
$$;
comment on function public.claim_due_alerts(integer, timestamptz, integer) is 'Takes up to batch_size due alerts (skip locked), re-checks consent, suppression, stock, price, quiet hours and the daily cap at `now`, defers or suppresses the ones that must not go now, leases the rest to the caller and returns them with what the email needs. Service role only.';

create function public.record_alert_sends(results jsonb, now timestamptz default now())
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  changed integer;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array of {"alert_id", "ok", "message_id", "error", "retryable"}' using errcode = '22023';
  end if;
  update public.alert_log a set
    state = case
      when r.ok then 'sent'
      when coalesce(r.retryable, false) and a.attempts < 5 then a.state
      else 'failed' end::public.alert_state,
    sent_at = case when r.ok then record_alert_sends.now else a.sent_at end,
    message_id = case when r.ok then r.message_id else a.message_id end,
    reason = case
      when r.ok then a.reason
      when coalesce(r.retryable, false) and a.attempts < 5 then left('send failed, retrying: ' || coalesce(r.error, 'unknown error'), 1000)
      else left('send failed: ' || coalesce(r.error, 'unknown error'), 1000) end,
    -- Retries back off: 1, 2, 4, 8 minutes.
    not_before = case when not r.ok then record_alert_sends.now + make_interval(mins => power(2, greatest(a.attempts - 1, 0))::integer)
                      else a.not_before end,
    claimed_until = null
  from jsonb_to_recordset(results) as r (alert_id bigint, ok boolean, message_id text, error text, retryable boolean)
  where a.id = r.alert_id and a.state in ('queued', 'deferred') and a.claimed_until is not null;
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function public.record_alert_sends(jsonb, timestamptz) is 'Records what the mail API answered for claimed alerts: sent (time, SendGrid message id), a retry later with backoff (429/5xx, up to 5 attempts), or failed. Service role only.';

-- ─── Access ──────────────────────────────────────────────────────────────────────────────────

alter table private.alert_check_events enable row level security;
alter table private.alert_check_state enable row level security;
revoke all on private.alert_check_events, private.alert_check_state from public, anon, authenticated;

-- Per-schema default privileges cannot take away PUBLIC's execute on new functions, so each
-- function says explicitly who may call it.
revoke execute on function private.enqueue_alert_check_event(),
  private.local_day_start(timestamptz, text),
  private.quiet_hours_end(timestamptz, text, time, time),
  private.price_drop_threshold(uuid, uuid),
  public.run_alert_check(timestamptz, integer),
  public.claim_due_alerts(integer, timestamptz, integer),
  public.record_alert_sends(jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function private.local_day_start(timestamptz, text),
  private.quiet_hours_end(timestamptz, text, time, time),
  private.price_drop_threshold(uuid, uuid),
  public.run_alert_check(timestamptz, integer),
  public.claim_due_alerts(integer, timestamptz, integer),
  public.record_alert_sends(jsonb, timestamptz)
  to service_role;
