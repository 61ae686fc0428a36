-- Campaigns (issue 16): one marketing email to a segment, sent safely.
--
-- Owns:
--   * `campaigns`: an audience (a segment), a template of purpose marketing (its language variants
--     fall back like every send), a schedule (now, at a time, or at a local time in each
--     recipient's time zone), fallback values for template variables, the revenue attribution
--     window, and a status (draft → scheduled → sending → done; paused, cancelled);
--   * `campaign_recipients`: the audience frozen when the sender confirms the send, as THEY may see
--     it (segment_member_ids runs with the sender's rights), one row per campaign + customer —
--     that pair is the send's idempotency key — with its state (queued, deferred, claimed,
--     in_doubt, sent, failed, excluded, cancelled), why, and SendGrid's message id;
--   * `workspace_settings.postal_address`: the shop's postal address, printed in every marketing
--     email (required before a campaign is sent);
--   * `private.marketing_mail_check(customer, at)`: the one answer to "may this customer get
--     marketing mail now, and if not, why" — no address, blocked, bounced, complained,
--     unsubscribed, no marketing consent (excluded), quiet hours or the daily cap (deferred). The
--     quiet hours and the daily cap are the alert engine's (alert_settings, alert_preferences),
--     and the cap counts alerts and campaign emails sent that day together;
--   * `send_campaign()`, `pause_campaign()`, `resume_campaign()`, `cancel_campaign()`: managers
--     and admins only (42501 for everyone else); the sending itself is 20261208100100.
--
-- Who may do what: team members read campaigns; managers and admins create, change (drafts
-- only), delete (drafts only) and send them; recipients are read by those who read the campaign
-- AND see the customer (agents: their own), and written only by the database.

alter table public.workspace_settings add column postal_address text
  constraint workspace_settings_postal_address_length check (length(btrim(postal_address)) between 1 and 500);
comment on column public.workspace_settings.postal_address is 'The shop''s postal address, printed in the footer of every marketing email (anti-spam law); campaigns cannot be sent without it.';

-- Variables campaign templates use besides the customer's own (a campaign gives offer_code a value).
insert into public.email_template_variables (name, description, example) values
  ('postal_address', 'The shop''s postal address (marketing email footer)', 'Cairn Outdoor, 1 Harbour Road, Leith'),
  ('offer_code', 'A campaign''s offer or discount code', 'WINTER15')
on conflict (name) do nothing;

create type public.campaign_status as enum ('draft', 'scheduled', 'sending', 'paused', 'cancelled', 'done');
comment on type public.campaign_status is 'draft (editable) → scheduled (recipients frozen, waiting for their time) → sending → done; paused (by a person or by a provider fault, resumable) and cancelled (final).';
create type public.campaign_schedule as enum ('now', 'at', 'local_time');
comment on type public.campaign_schedule is 'now; at (one instant, send_at); local_time (local_date at local_time in each recipient''s time zone).';
create type public.campaign_recipient_state as enum ('queued', 'deferred', 'claimed', 'in_doubt', 'sent', 'failed', 'excluded', 'cancelled');
comment on type public.campaign_recipient_state is 'queued (waiting for not_before), deferred (quiet hours or daily cap: waits for not_before), claimed (a sender holds it until claimed_until), in_doubt (its sender stopped before recording SendGrid''s answer: resolved by looking it up, never resent blindly), sent, failed, excluded (not allowed: reason), cancelled.';

-- ─── Campaigns ───────────────────────────────────────────────────────────────────────────────

create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint campaigns_name_length check (name = btrim(name) and length(name) between 1 and 120),
  segment_id uuid not null references public.segments (id) on delete restrict,
  template_id uuid not null references public.email_templates (id) on delete restrict,
  schedule public.campaign_schedule not null default 'now',
  send_at timestamptz,
  local_date date,
  local_time time,
  variables jsonb not null default '{}'
    constraint campaigns_variables_shape check (jsonb_typeof(variables) = 'object' and length(variables::text) <= 10000),
  skip_empty_variables boolean not null default false,
  attribution_days smallint not null default 5 constraint campaigns_attribution_days_range check (attribution_days between 1 and 90),
  status public.campaign_status not null default 'draft',
  status_reason text constraint campaigns_status_reason_length check (length(status_reason) <= 500),
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  started_by uuid references public.team_members (user_id) on delete set null,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaigns_schedule_fields check (
    case schedule
      when 'now' then send_at is null and local_date is null and local_time is null
      when 'at' then send_at is not null and local_date is null and local_time is null
      else send_at is null and local_date is not null and local_time is not null
    end)
);
comment on table public.campaigns is 'A marketing email to a segment: audience, template, schedule, status. Recipients are frozen by send_campaign() (campaign_recipients).';
comment on column public.campaigns.variables is 'Values for template variables the recipient''s record leaves empty (e.g. {"first_name": "there", "offer_code": "WINTER"}).';
comment on column public.campaigns.skip_empty_variables is 'When true, recipients for whom a template variable would still render empty are excluded (reason empty_variables) instead of sent with the empty value.';
comment on column public.campaigns.attribution_days is 'Orders placed within this many days after a click count as the campaign''s revenue.';
comment on column public.campaigns.status_reason is 'Why the campaign is paused or cancelled (a person''s note, or the provider fault that paused it).';
create index campaigns_created_idx on public.campaigns (created_at desc, id);
create index campaigns_segment_idx on public.campaigns (segment_id);
create index campaigns_template_idx on public.campaigns (template_id);
create index campaigns_active_idx on public.campaigns (status) where status in ('scheduled', 'sending');

create function private.prepare_campaign() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    -- Status, start and finish belong to the send functions (private.campaign_transition flag).
    if (new.status, new.started_at, new.started_by, new.finished_at, new.status_reason)
         is distinct from (old.status, old.started_at, old.started_by, old.finished_at, old.status_reason)
       and coalesce(current_setting('cairn.campaign_transition', true), '') <> 'on' then
      raise exception 'a campaign''s status changes only through send_campaign, pause_campaign, resume_campaign and cancel_campaign'
        using errcode = '42501';
    end if;
    if old.status <> 'draft'
       and (new.name, new.segment_id, new.template_id, new.schedule, new.send_at, new.local_date, new.local_time,
            new.variables, new.skip_empty_variables)
         is distinct from (old.name, old.segment_id, old.template_id, old.schedule, old.send_at, old.local_date,
                           old.local_time, old.variables, old.skip_empty_variables) then
      raise exception 'only a draft campaign can be edited' using errcode = '55000';
    end if;
    new.created_by := old.created_by;
  else
    if new.status <> 'draft' or new.started_at is not null or new.finished_at is not null then
      raise exception 'a campaign starts as a draft' using errcode = '22023';
    end if;
    if (select auth.role()) = 'authenticated' then
      new.created_by := (select auth.uid());
    end if;
  end if;
  if not exists (select 1 from public.email_templates t where t.id = new.template_id and t.purpose = 'marketing') then
    raise exception 'a campaign sends a marketing template (purpose marketing)' using errcode = '22023';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.prepare_campaign() is 'Campaign invariants: a new campaign is a draft, the template is a marketing one, only drafts are edited, and status changes only through the send functions.';
create trigger prepare_campaign before insert or update on public.campaigns
  for each row execute function private.prepare_campaign();
create trigger record_audit after insert or update or delete on public.campaigns
  for each row execute function private.record_audit();

alter table public.campaigns enable row level security;
create policy "team members read campaigns" on public.campaigns for select to authenticated
  using ((select private.is_team_member()));
create policy "managers and admins create campaigns" on public.campaigns for insert to authenticated
  with check ((select private.edits_all_customers()));
create policy "managers and admins change campaigns" on public.campaigns for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers and admins delete draft campaigns" on public.campaigns for delete to authenticated
  using ((select private.edits_all_customers()) and status = 'draft');
revoke all on public.campaigns from anon;
revoke insert, update on public.campaigns from authenticated;
grant insert (name, segment_id, template_id, schedule, send_at, local_date, local_time, variables, skip_empty_variables, attribution_days)
  on public.campaigns to authenticated;
grant update (name, segment_id, template_id, schedule, send_at, local_date, local_time, variables, skip_empty_variables, attribution_days)
  on public.campaigns to authenticated;

-- ─── Recipients ──────────────────────────────────────────────────────────────────────────────

create table public.campaign_recipients (
  id bigint generated always as identity primary key,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  email text,
  language text,
  zone text not null default 'UTC',
  state public.campaign_recipient_state not null default 'queued',
  reason text constraint campaign_recipients_reason_length check (length(reason) <= 1000),
  not_before timestamptz not null default now(),
  claimed_until timestamptz,
  attempts smallint not null default 0,
  provider_message_id text constraint campaign_recipients_message_id_length check (length(provider_message_id) <= 300),
  sent_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint campaign_recipients_send_key unique (campaign_id, customer_id),
  constraint campaign_recipients_sent_has_time check (state <> 'sent' or sent_at is not null)
);
comment on table public.campaign_recipients is 'A campaign''s audience, frozen when it was sent (as the sender could see it), one row per customer: campaign + customer is the send''s idempotency key (SendGrid custom arg cairn_send). Written only by the database.';
comment on column public.campaign_recipients.reason is 'Why excluded, deferred, failed or in doubt: no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent, empty_variables, quiet_hours, daily_cap, or the provider''s error.';
comment on column public.campaign_recipients.language is 'The template language this recipient gets (their language with the fallback chain).';
comment on column public.campaign_recipients.zone is 'The recipient''s time zone when frozen (local-time schedule, quiet hours, daily cap).';
create index campaign_recipients_due_idx on public.campaign_recipients (not_before, id) where state in ('queued', 'deferred');
create index campaign_recipients_claimed_idx on public.campaign_recipients (claimed_until) where state in ('claimed', 'in_doubt');
create index campaign_recipients_customer_sent_idx on public.campaign_recipients (customer_id, sent_at desc) where state = 'sent';
create index campaign_recipients_customer_in_flight_idx on public.campaign_recipients (customer_id) where state in ('claimed', 'in_doubt');
create index campaign_recipients_message_idx on public.campaign_recipients (provider_message_id) where provider_message_id is not null;
create index campaign_recipients_campaign_state_idx on public.campaign_recipients (campaign_id, state);

alter table public.campaign_recipients enable row level security;
create policy "members read recipients of campaigns and customers they may see" on public.campaign_recipients
  for select to authenticated
  using ((select private.is_team_member())
         and ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids())));
revoke all on public.campaign_recipients from anon;
revoke insert, update, delete, truncate on public.campaign_recipients from authenticated;
-- Written in bulk by the database; the campaign's own audit row records who sent it.

-- ─── May this customer get marketing mail now? ───────────────────────────────────────────────

create function private.recipient_zone(customer_zone text) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(customer_zone,
    (select s.timezone from public.shops s where s.active order by s.created_at, s.id limit 1), 'UTC')
$$;
comment on function private.recipient_zone(text) is 'The time zone a customer''s quiet hours, daily cap and local-time sends use: theirs, else the first active shop''s, else UTC.';

create function private.emails_sent_today(customer_id uuid, at timestamptz, zone text) returns bigint
language sql stable security definer set search_path = '' as $$
  select
    (select count(*) from public.alert_log x
      where x.customer_id = emails_sent_today.customer_id
        and ((x.state = 'sent' and x.sent_at >= private.local_day_start(at, zone))
             or (x.state in ('queued', 'deferred') and x.claimed_until > at)))
  -- Two counts, each served by its own partial index (an OR of the two would read every row).
  + (select count(*) from public.campaign_recipients r
      where r.customer_id = emails_sent_today.customer_id and r.state = 'sent'
        and r.sent_at >= private.local_day_start(at, zone))
  + (select count(*) from public.campaign_recipients r
      where r.customer_id = emails_sent_today.customer_id and r.state in ('claimed', 'in_doubt'))
$$;
comment on function private.emails_sent_today(uuid, timestamptz, text) is 'Alerts and campaign emails a customer got on their calendar day of `at` (or that are being sent right now): what the shared daily cap counts.';

create function private.marketing_mail_check(customer_id uuid, at timestamptz default now())
returns table (verdict text, reason text, not_before timestamptz)
language sql stable security definer set search_path = '' as $$
  with c as (
    select cu.id, cu.email, cu.status, private.recipient_zone(cu.timezone) as zone
    from public.customers cu where cu.id = marketing_mail_check.customer_id
  ),
  facts as (
    select c.*,
      (select x.reason from public.email_suppressions x where x.email = lower(c.email)) as suppressed,
      (select ev from public.consent_events ev
        where ev.customer_id = c.id and ev.channel = 'email' and ev.purpose = 'marketing'
        order by ev.occurred_at desc, ev.id desc limit 1) as consent,
      s.daily_cap_per_shopper as workspace_cap,
      least(coalesce(p.max_per_day, s.daily_cap_per_shopper), s.daily_cap_per_shopper) as cap,
      private.quiet_hours_end(at, c.zone, coalesce(p.quiet_hours_start, s.quiet_hours_start),
                              coalesce(p.quiet_hours_end, s.quiet_hours_end)) as quiet_until
    from c
    cross join (select * from public.alert_settings limit 1) s
    left join public.alert_preferences p on p.customer_id = c.id
  )
  select
    case when r is null then 'send' when r in ('quiet_hours', 'daily_cap') then 'defer' else 'exclude' end,
    r,
    case r when 'quiet_hours' then f.quiet_until
           when 'daily_cap' then private.local_day_start(at, f.zone) + interval '1 day' end
  from facts f,
  lateral (select case
    when f.email is null or btrim(f.email) = '' then 'no_email'
    when f.status = 'blocked' then 'blocked'
    when f.suppressed = 'bounce' then 'bounced'
    when f.suppressed = 'spamreport' then 'complained'
    when f.suppressed is not null then 'unsubscribed'
    when (f.consent).status = 'withdrawn' and (f.consent).source in ('unsubscribe_link', 'email_provider') then 'unsubscribed'
    when f.consent is null or (f.consent).status <> 'granted' then 'no_marketing_consent'
    when f.quiet_until is not null then 'quiet_hours'
    when private.emails_sent_today(f.id, at, f.zone) >= f.cap then 'daily_cap'
  end as r) v
$$;
comment on function private.marketing_mail_check(uuid, timestamptz) is 'May this customer get marketing mail at `at`, and if not why: verdict send / defer (quiet_hours, daily_cap: until not_before) / exclude (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent). Quiet hours and the daily cap are the alert engine''s; the cap counts alerts and campaign emails together. No row: no such customer.';
revoke execute on function private.recipient_zone(text), private.emails_sent_today(uuid, timestamptz, text),
  private.marketing_mail_check(uuid, timestamptz) from public, anon, authenticated;
grant execute on function private.recipient_zone(text), private.emails_sent_today(uuid, timestamptz, text),
  private.marketing_mail_check(uuid, timestamptz) to service_role;

-- When a recipient is due: now, the campaign's instant, or the local time in their zone (a local
-- time already past in their zone, or that a DST jump skips, is sent at once / at the shifted
-- instant Postgres assigns).
create function private.campaign_send_time(schedule public.campaign_schedule, send_at timestamptz, local_date date,
                                           local_time time, zone text, at timestamptz) returns timestamptz
language sql stable security definer set search_path = '' as $$
  select greatest(at, case schedule
    when 'now' then at
    when 'at' then send_at
    else pg_catalog.timezone(zone, local_date + local_time) end)
$$;
comment on function private.campaign_send_time(public.campaign_schedule, timestamptz, date, time, text, timestamptz) is 'When a recipient in `zone` is due: now, send_at, or local_date local_time in their zone — never before `at`.';
revoke execute on function private.campaign_send_time(public.campaign_schedule, timestamptz, date, time, text, timestamptz) from public, anon, authenticated;

-- The variables a recipient's email is rendered with: their record, then the campaign's fallbacks
-- for whatever their record leaves empty.
create function private.campaign_variables(customer public.customers, fallbacks jsonb, shop_name text, postal_address text)
returns jsonb
language sql stable security definer set search_path = '' as $$
  select fallbacks || jsonb_strip_nulls(jsonb_build_object(
    'first_name', nullif(btrim(customer.first_name), ''),
    'last_name', nullif(btrim(customer.last_name), ''),
    'full_name', nullif(btrim(customer.full_name), ''),
    'company', nullif(btrim(customer.company), ''),
    'email', customer.email,
    'shop_name', shop_name,
    'postal_address', postal_address,
    -- Filled in by the sender with the recipient's signed one-click link (one pass: stays literal).
    'unsubscribe_url', '{{unsubscribe_url}}'))
$$;
comment on function private.campaign_variables(public.customers, jsonb, text, text) is 'Template variables for a campaign recipient: their name, company and email, the shop name and postal address, the unsubscribe link placeholder; the campaign''s fallbacks fill what is empty.';
revoke execute on function private.campaign_variables(public.customers, jsonb, text, text) from public, anon, authenticated;

create function private.template_language(template_id uuid, language text) returns text
language sql stable security definer set search_path = '' as $$
  select v.language from public.email_template_variants v
  where v.template_id = template_language.template_id
    and v.language in (template_language.language, (select s.default_language from public.workspace_settings s), 'en')
  order by case when v.language = template_language.language then 0
                when v.language = (select s.default_language from public.workspace_settings s) then 1 else 2 end
  limit 1
$$;
comment on function private.template_language(uuid, text) is 'The variant language a reader of `language` gets (theirs, the workspace default, English), as render_template chooses; null when none exists.';
revoke execute on function private.template_language(uuid, text) from public, anon, authenticated;

-- ─── The pre-send summary ────────────────────────────────────────────────────────────────────

-- Every would-be recipient with what would happen to them: the audience as the CALLER sees it.
create function private.plan_campaign(campaign_id uuid, members uuid[], at timestamptz)
returns table (customer_id uuid, email text, language text, zone text, verdict text, reason text,
               not_before timestamptz, empty_variables text[])
language sql stable security definer set search_path = '' as $$
  with c as (select * from public.campaigns k where k.id = plan_campaign.campaign_id),
  ws as (select s.postal_address, s.default_language from public.workspace_settings s),
  shop as (select coalesce((select s.name from public.shops s where s.active order by s.created_at, s.id limit 1), 'Cairn') as name),
  people as (
    select cu, private.recipient_zone(cu.timezone) as zone,
           coalesce(cu.language, (select default_language from ws)) as asked
    from unnest(members) m (id)
    join public.customers cu on cu.id = m.id
  ),
  -- Worked out once per language, not per recipient: the variant each language gets and its placeholders.
  variants as (
    select a.asked, private.template_language((select template_id from c), a.asked) as language
    from (select distinct p.asked from people p) a
  ),
  placeholders as (
    select v.asked, v.language,
      array(select distinct m[1]
            from public.email_template_variants t,
                 regexp_matches(t.subject || ' ' || t.body_html || ' ' || t.body_text, '\{\{\s*([^{}]*?)\s*\}\}', 'g') m
            where t.template_id = (select template_id from c) and t.language = v.language) as names
    from variants v
  ),
  timed as (
    select p.*, ph.language, ph.names,
      private.campaign_send_time(c.schedule, c.send_at, c.local_date, c.local_time, p.zone, at) as due,
      private.campaign_variables(p.cu, c.variables, (select name from shop), (select postal_address from ws)) as vars,
      c.skip_empty_variables as skip_empty
    from people p
    join placeholders ph on ph.asked = p.asked
    cross join c
  ),
  checked as (
    select t.*, k.verdict, k.reason, k.not_before as deferred_until,
      array(select n from unnest(t.names) n where coalesce(t.vars #>> string_to_array(n, '.'), '') = '' order by n) as empty
    from timed t
    cross join lateral private.marketing_mail_check((t.cu).id, t.due) k
  )
  select (x.cu).id, (x.cu).email, x.language, x.zone,
    case when x.verdict = 'exclude' then 'exclude'
         when x.language is null then 'exclude'
         when x.skip_empty and cardinality(x.empty) > 0 then 'exclude'
         else x.verdict end,
    case when x.verdict = 'exclude' then x.reason
         when x.language is null then 'missing_variant'
         when x.skip_empty and cardinality(x.empty) > 0 then 'empty_variables'
         else x.reason end,
    case when x.verdict = 'defer' then x.deferred_until else x.due end,
    x.empty
  from checked x
$$;
comment on function private.plan_campaign(uuid, uuid[], timestamptz) is 'What sending a campaign would do to each of `members`: send, defer (until not_before) or exclude, why, in which language, and which variables would render empty.';
revoke execute on function private.plan_campaign(uuid, uuid[], timestamptz) from public, anon, authenticated;

create function private.summarise_plan(campaign_id uuid, members uuid[], at timestamptz) returns jsonb
language sql stable security definer set search_path = '' as $$
  with visible as (
    -- Only customers the caller may see count, however the list was made.
    select array_agg(m) as ids from unnest(members) m
    where (select private.sees_all_customers()) or m in (select private.owned_customer_ids())
  ),
  plan as (select p.* from visible, private.plan_campaign(campaign_id, coalesce(visible.ids, '{}'), at) p),
  c as (select * from public.campaigns k where k.id = summarise_plan.campaign_id),
  wanted as (
    select coalesce(cu.language, (select s.default_language from public.workspace_settings s)) as asked, p.language as used
    from plan p join public.customers cu on cu.id = p.customer_id
  )
  select jsonb_build_object(
    'recipients', (select count(*) from plan),
    'sendable', (select count(*) from plan where verdict = 'send'),
    'deferred', (select count(*) from plan where verdict = 'defer'),
    'excluded', (select count(*) from plan where verdict = 'exclude'),
    'reasons', coalesce((select jsonb_object_agg(reason, n) from (
        select reason, count(*) as n from plan where reason is not null group by reason) r), '{}'),
    'languages', coalesce((select jsonb_agg(jsonb_build_object('language', asked, 'recipients', n, 'variant', used,
                                                               'missing', used is distinct from asked) order by n desc, asked)
        from (select asked, used, count(*) as n from wanted group by asked, used) l), '[]'),
    'missing_variants', coalesce((select jsonb_agg(distinct asked order by asked) from wanted where used is distinct from asked), '[]'),
    'empty_variables', coalesce((select jsonb_object_agg(name, n) from (
        select e as name, count(*) as n from plan, unnest(empty_variables) e group by e) v), '{}'),
    'first_send_at', (select min(not_before) from plan where verdict <> 'exclude'),
    'last_send_at', (select max(not_before) from plan where verdict <> 'exclude'),
    'postal_address_set', (select s.postal_address is not null from public.workspace_settings s),
    'status', (select status from c)
  )
$$;
comment on function private.summarise_plan(uuid, uuid[], timestamptz) is 'The pre-send summary of plan_campaign over the members the caller may see: counts, reasons, languages and missing variants, empty variables, the send window.';
revoke execute on function private.summarise_plan(uuid, uuid[], timestamptz) from public, anon;
grant execute on function private.summarise_plan(uuid, uuid[], timestamptz) to authenticated, service_role;

create function public.campaign_summary(campaign_id uuid, at timestamptz default now()) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  campaign public.campaigns;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members read campaign summaries' using errcode = '42501';
  end if;
  select * into campaign from public.campaigns k where k.id = campaign_summary.campaign_id;
  if not found then
    raise exception 'no such campaign' using errcode = 'P0002';
  end if;
  if campaign.status <> 'draft' then
    -- Sent or sending: the frozen audience, as the caller may see it.
    return private.summarise_plan(campaign.id,
      array(select r.customer_id from public.campaign_recipients r where r.campaign_id = campaign.id), at);
  end if;
  -- The audience as the caller sees it (segment_member_ids runs with their rights).
  return private.summarise_plan(campaign.id, array(select public.segment_member_ids(campaign.segment_id)), at);
end;
$$;
comment on function public.campaign_summary(uuid, timestamptz) is 'Before sending: how many the campaign would reach, who is excluded and why (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent, missing_variant, empty_variables), who is deferred (quiet_hours, daily_cap), languages and missing variants, variables that would render empty. The audience as the caller sees it. Team members.';
revoke execute on function public.campaign_summary(uuid, timestamptz) from public, anon;
grant execute on function public.campaign_summary(uuid, timestamptz) to authenticated, service_role;

-- ─── Sending, pausing, resuming, cancelling ──────────────────────────────────────────────────

create function private.freeze_campaign_recipients(campaign_id uuid, members uuid[]) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  frozen integer;
begin
  if not (select private.edits_all_customers()) then
    raise exception 'only managers and admins send campaigns' using errcode = '42501';
  end if;
  insert into public.campaign_recipients (campaign_id, customer_id, email, language, zone, state, reason, not_before)
  select freeze_campaign_recipients.campaign_id, p.customer_id, p.email, p.language, p.zone,
    (case p.verdict when 'send' then 'queued' when 'defer' then 'deferred' else 'excluded' end)::public.campaign_recipient_state,
    p.reason, p.not_before
  from private.plan_campaign(freeze_campaign_recipients.campaign_id, members, now()) p
  on conflict on constraint campaign_recipients_send_key do nothing;
  get diagnostics frozen = row_count;
  return frozen;
end;
$$;
comment on function private.freeze_campaign_recipients(uuid, uuid[]) is 'Writes a campaign''s recipients (queued, deferred or excluded with the reason) from the member list send_campaign read as the sender. Only send_campaign calls it.';
revoke execute on function private.freeze_campaign_recipients(uuid, uuid[]) from public, anon;
grant execute on function private.freeze_campaign_recipients(uuid, uuid[]) to authenticated;

-- Starts the sender at once rather than at its next scheduled run; without the Vault secrets
-- (a database with no functions) the schedule picks the campaign up instead.
create function private.wake_campaign_sender() returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not (select private.edits_all_customers()) then
    return;
  end if;
  perform private.call_scheduled_function('send-campaigns', 'send-campaigns', '{"source":"start"}');
exception when others then
  raise log 'send-campaigns not woken: %', sqlerrm;
end;
$$;
comment on function private.wake_campaign_sender() is 'For managers and admins (send_campaign, resume_campaign): calls the send-campaigns function now (pg_net, after commit), so a campaign starts without waiting for the schedule; a failure only means the schedule starts it.';
revoke execute on function private.wake_campaign_sender() from public, anon;
grant execute on function private.wake_campaign_sender() to authenticated;

create function private.set_campaign_status(campaign_id uuid, status public.campaign_status, reason text) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not ((select private.edits_all_customers()) or coalesce((select auth.role()), 'service_role') = 'service_role') then
    raise exception 'only managers and admins change a campaign''s status' using errcode = '42501';
  end if;
  perform set_config('cairn.campaign_transition', 'on', true);
  update public.campaigns k set
    status = set_campaign_status.status,
    status_reason = set_campaign_status.reason,
    started_at = case when set_campaign_status.status in ('scheduled', 'sending') then coalesce(k.started_at, now()) else k.started_at end,
    started_by = case when set_campaign_status.status in ('scheduled', 'sending') and k.started_by is null then (select auth.uid()) else k.started_by end,
    finished_at = case when set_campaign_status.status in ('done', 'cancelled') then now() else null end
  where k.id = set_campaign_status.campaign_id;
  perform set_config('cairn.campaign_transition', 'off', true);
end;
$$;
comment on function private.set_campaign_status(uuid, public.campaign_status, text) is 'The one writer of campaigns.status (and its times and reason).';
revoke execute on function private.set_campaign_status(uuid, public.campaign_status, text) from public, anon;
grant execute on function private.set_campaign_status(uuid, public.campaign_status, text) to authenticated, service_role;

create function private.require_campaign_sender() returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not (select private.edits_all_customers()) then
    raise exception 'only managers and admins send, pause, resume or cancel campaigns' using errcode = '42501';
  end if;
end;
$$;
comment on function private.require_campaign_sender() is 'Raises 42501 unless the caller is a manager or an admin whose role counts.';
revoke execute on function private.require_campaign_sender() from public, anon;
grant execute on function private.require_campaign_sender() to authenticated;

create function public.send_campaign(campaign_id uuid) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  campaign public.campaigns;
  frozen integer;
  next_status public.campaign_status;
begin
  perform private.require_campaign_sender();
  select * into campaign from public.campaigns k where k.id = send_campaign.campaign_id for update;
  if not found then
    raise exception 'no such campaign' using errcode = 'P0002';
  end if;
  if campaign.status <> 'draft' then
    raise exception 'this campaign was already sent (it is %)', campaign.status using errcode = '55000';
  end if;
  if (select s.postal_address from public.workspace_settings s) is null then
    raise exception 'set the shop''s postal address (Settings) before sending marketing email' using errcode = '55000';
  end if;
  if campaign.schedule = 'at' and campaign.send_at < now() - interval '1 minute' then
    raise exception 'the send time is in the past' using errcode = '22023';
  end if;
  -- The audience as the sender sees it, frozen now.
  frozen := private.freeze_campaign_recipients(campaign.id, array(select public.segment_member_ids(campaign.segment_id)));
  next_status := case when exists (select 1 from public.campaign_recipients r
                                   where r.campaign_id = campaign.id and r.state in ('queued', 'deferred') and r.not_before <= now())
                      then 'sending' else 'scheduled' end;
  if not exists (select 1 from public.campaign_recipients r where r.campaign_id = campaign.id and r.state in ('queued', 'deferred')) then
    next_status := 'done';
  end if;
  perform private.set_campaign_status(campaign.id, next_status, null);
  if next_status = 'sending' then
    perform private.wake_campaign_sender();
  end if;
  return jsonb_build_object('status', next_status, 'recipients', frozen,
    'queued', (select count(*) from public.campaign_recipients r where r.campaign_id = campaign.id and r.state = 'queued'),
    'deferred', (select count(*) from public.campaign_recipients r where r.campaign_id = campaign.id and r.state = 'deferred'),
    'excluded', (select count(*) from public.campaign_recipients r where r.campaign_id = campaign.id and r.state = 'excluded'));
end;
$$;
comment on function public.send_campaign(uuid) is 'Confirms a draft campaign: freezes its audience as the caller sees it (segment_member_ids) into campaign_recipients — queued, deferred (quiet hours, daily cap) or excluded with the reason — and hands it to the sender. Managers and admins (42501 otherwise); P0002 unknown; 55000 not a draft or no postal address; 22023 a send time in the past.';
revoke execute on function public.send_campaign(uuid) from public, anon;
grant execute on function public.send_campaign(uuid) to authenticated, service_role;

create function public.pause_campaign(campaign_id uuid, reason text default null) returns public.campaign_status
language plpgsql volatile security invoker set search_path = '' as $$
declare
  current public.campaign_status;
begin
  perform private.require_campaign_sender();
  if length(reason) > 500 then
    raise exception 'a reason has at most 500 characters' using errcode = '22023';
  end if;
  select k.status into current from public.campaigns k where k.id = pause_campaign.campaign_id for update;
  if not found then raise exception 'no such campaign' using errcode = 'P0002'; end if;
  if current not in ('scheduled', 'sending') then
    raise exception 'only a scheduled or sending campaign can be paused (it is %)', current using errcode = '55000';
  end if;
  perform private.set_campaign_status(campaign_id, 'paused', nullif(btrim(reason), ''));
  return 'paused';
end;
$$;
comment on function public.pause_campaign(uuid, text) is 'Stops handing out a campaign''s sends (those already with SendGrid finish). Managers and admins.';

create function public.resume_campaign(campaign_id uuid) returns public.campaign_status
language plpgsql volatile security invoker set search_path = '' as $$
declare
  current public.campaign_status;
  next_status public.campaign_status;
begin
  perform private.require_campaign_sender();
  select k.status into current from public.campaigns k where k.id = resume_campaign.campaign_id for update;
  if not found then raise exception 'no such campaign' using errcode = 'P0002'; end if;
  if current <> 'paused' then
    raise exception 'only a paused campaign can be resumed (it is %)', current using errcode = '55000';
  end if;
  next_status := case when exists (select 1 from public.campaign_recipients r
                                   where r.campaign_id = resume_campaign.campaign_id and r.state in ('queued', 'deferred')
                                     and r.not_before <= now()) then 'sending' else 'scheduled' end;
  perform private.set_campaign_status(campaign_id, next_status, null);
  perform private.wake_campaign_sender();
  return next_status;
end;
$$;
comment on function public.resume_campaign(uuid) is 'Resumes a paused campaign where it stopped: each recipient is still sent at most once. Managers and admins.';

create function public.cancel_campaign(campaign_id uuid, reason text default null) returns public.campaign_status
language plpgsql volatile security invoker set search_path = '' as $$
declare
  current public.campaign_status;
begin
  perform private.require_campaign_sender();
  if length(reason) > 500 then
    raise exception 'a reason has at most 500 characters' using errcode = '22023';
  end if;
  select k.status into current from public.campaigns k where k.id = cancel_campaign.campaign_id for update;
  if not found then raise exception 'no such campaign' using errcode = 'P0002'; end if;
  if current not in ('scheduled', 'sending', 'paused') then
    raise exception 'only a scheduled, sending or paused campaign can be cancelled (it is %)', current using errcode = '55000';
  end if;
  perform private.cancel_campaign_recipients(campaign_id);
  perform private.set_campaign_status(campaign_id, 'cancelled', nullif(btrim(reason), ''));
  return 'cancelled';
end;
$$;
comment on function public.cancel_campaign(uuid, text) is 'Cancels a campaign: recipients not yet handed to SendGrid are cancelled (those in flight finish and are recorded). Managers and admins.';

create function private.cancel_campaign_recipients(campaign_id uuid) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  cancelled integer;
begin
  if not (select private.edits_all_customers()) then
    raise exception 'only managers and admins cancel campaigns' using errcode = '42501';
  end if;
  update public.campaign_recipients r set state = 'cancelled', reason = 'campaign cancelled', updated_at = now()
  where r.campaign_id = cancel_campaign_recipients.campaign_id and r.state in ('queued', 'deferred');
  get diagnostics cancelled = row_count;
  return cancelled;
end;
$$;
comment on function private.cancel_campaign_recipients(uuid) is 'Cancels the recipients of a campaign not yet handed to SendGrid; only cancel_campaign calls it.';
revoke execute on function private.cancel_campaign_recipients(uuid) from public, anon;
grant execute on function private.cancel_campaign_recipients(uuid) to authenticated;

revoke execute on function public.pause_campaign(uuid, text), public.resume_campaign(uuid), public.cancel_campaign(uuid, text) from public, anon;
grant execute on function public.pause_campaign(uuid, text), public.resume_campaign(uuid), public.cancel_campaign(uuid, text)
  to authenticated, service_role;
