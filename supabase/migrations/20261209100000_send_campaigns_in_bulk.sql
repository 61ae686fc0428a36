-- Campaigns at scale (issue 16, the 100 000-recipient target): one marketing-mail check for a
-- whole set of recipients, and claims a sender can hand to SendGrid as one request with many
-- personalizations.
--
-- Until now `private.marketing_mail_check` ran once per recipient (a SQL function that is
-- planned at each call: about 1.8 ms each), both when send_campaign froze the audience and when
-- every batch was claimed — minutes at 100 000 recipients. And every recipient's email was
-- rendered whole, so the sender made one HTTP call per recipient.
--
-- Owns:
--   * `private.marketing_mail_checks(customer_ids, ats)`: the same rule as marketing_mail_check
--     (same reasons, same order, same cap count as private.emails_sent_today), answered for many
--     (customer, time) pairs in one query;
--   * `private.marketing_mail_check` (restated from 20261208100000): now the one-pair case of
--     marketing_mail_checks, so campaigns and the flow engine keep one rule;
--   * `private.plan_campaign` (restated whole from 20261208100000). Changed: the check is
--     marketing_mail_checks over all would-be recipients at once instead of one call each, and
--     the recipient's zone is recipient_zone's rule written out (the shop's zone read once).
--     Nothing else changed;
--   * `private.campaign_variables`, `private.campaign_send_time` (restated from 20261208100000,
--     same bodies): plain SQL functions now (no security definer, no search_path of their own),
--     so Postgres inlines them instead of calling them once per recipient;
--   * `private.claim_campaign_recipients(batch, now, lease)`: the claim itself (expired leases →
--     in_doubt, the throttle, due rows FOR UPDATE SKIP LOCKED, the check — now set-based — the
--     cap within the batch, states, campaign status), filling pg_temp.campaign_claim. Taken out
--     of claim_campaign_sends so both claims below share it;
--   * `public.claim_campaign_sends` (restated from 20261208100100): the claim above, rendered one
--     email per recipient as before. Same signature and result;
--   * `public.claim_campaign_batch(batch, now, lease)`: the same claim, returned as one JSON
--     document for a bulk send: each (campaign, language) variant ONCE, its placeholders turned
--     into SendGrid substitution tags (`%cairn.t<i>%` for subject and text, `%cairn.h<i>%` for
--     HTML), and per recipient the tag values (HTML-escaped for the h tags, exactly as
--     fill_placeholders renders them) — so one mail-send request carries up to 1 000
--     personalizations, each with its own to, substitutions, headers and custom args;
--   * `private.tag_placeholders(template, names, kind)`: the tagging above;
--   * `public.record_campaign_sends` (restated whole from 20261208100100). Changed: an outcome
--     may be `in_doubt` (no answer from SendGrid: a network error or a timeout after the request
--     left): the send becomes in_doubt and is looked up after the settle time instead of being
--     sent again blindly. Nothing else changed.
-- create or replace keeps each function's grants; comments are restated where they changed.

create function private.marketing_mail_checks(customer_ids uuid[], ats timestamptz[])
returns table (customer_id uuid, at timestamptz, verdict text, reason text, not_before timestamptz)
language sql stable security definer set search_path = '' as $$
  with input as (
    select distinct i.id, i.at from unnest(customer_ids, ats) as i (id, at)
    where i.id is not null and i.at is not null
  ),
  c as (
    -- The zone as private.recipient_zone reckons it: theirs, else the first active shop's, else UTC.
    select i.id, i.at, cu.email, cu.status,
           coalesce(cu.timezone,
                    (select s.timezone from public.shops s where s.active order by s.created_at, s.id limit 1),
                    'UTC') as zone
    from input i join public.customers cu on cu.id = i.id
  ),
  -- What private.emails_sent_today counts, for every pair at once.
  counted as (
    select u.id, u.at, count(*) as n from (
      select c.id, c.at from c join public.alert_log x on x.customer_id = c.id
      where (x.state = 'sent' and x.sent_at >= private.local_day_start(c.at, c.zone))
         or (x.state in ('queued', 'deferred') and x.claimed_until > c.at)
      union all
      select c.id, c.at from c join public.campaign_recipients r on r.customer_id = c.id
      where r.state = 'sent' and r.sent_at >= private.local_day_start(c.at, c.zone)
      union all
      select c.id, c.at from c join public.campaign_recipients r on r.customer_id = c.id
      where r.state in ('claimed', 'in_doubt')
      union all
      select c.id, c.at from c join public.flow_step_runs f on f.customer_id = c.id
      where f.step_kind = 'send_template' and f.outcome in ('queued', 'in_doubt', 'sent') and f.purpose <> 'transactional'
        and f.occurred_at >= private.local_day_start(c.at, c.zone)
    ) u
    group by u.id, u.at
  ),
  facts as (
    select c.*, x.reason as suppressed, ev.found as consented_once, ev.status as consent_status,
      ev.source as consent_source, coalesce(n.n, 0) as used,
      least(coalesce(p.max_per_day, s.daily_cap_per_shopper), s.daily_cap_per_shopper) as cap,
      private.quiet_hours_end(c.at, c.zone, coalesce(p.quiet_hours_start, s.quiet_hours_start),
                              coalesce(p.quiet_hours_end, s.quiet_hours_end)) as quiet_until
    from c
    cross join (select * from public.alert_settings limit 1) s
    left join public.email_suppressions x on x.email = lower(c.email)
    left join public.alert_preferences p on p.customer_id = c.id
    left join lateral (
      select true as found, ev.status, ev.source from public.consent_events ev
      where ev.customer_id = c.id and ev.channel = 'email' and ev.purpose = 'marketing'
      order by ev.occurred_at desc, ev.id desc limit 1
    ) ev on true
    left join counted n on n.id = c.id and n.at = c.at
  )
  select f.id, f.at,
    case when r is null then 'send' when r in ('quiet_hours', 'daily_cap') then 'defer' else 'exclude' end,
    r,
    case r when 'quiet_hours' then f.quiet_until
           when 'daily_cap' then private.local_day_start(f.at, f.zone) + interval '1 day' end
  from facts f,
  lateral (select case
    when f.email is null or btrim(f.email) = '' then 'no_email'
    when f.status = 'blocked' then 'blocked'
    when f.suppressed = 'bounce' then 'bounced'
    when f.suppressed = 'spamreport' then 'complained'
    when f.suppressed is not null then 'unsubscribed'
    when f.consent_status = 'withdrawn' and f.consent_source in ('unsubscribe_link', 'email_provider') then 'unsubscribed'
    when f.consented_once is null or f.consent_status <> 'granted' then 'no_marketing_consent'
    when f.quiet_until is not null then 'quiet_hours'
    when f.used >= f.cap then 'daily_cap'
  end as r) v
$$;
comment on function private.marketing_mail_checks(uuid[], timestamptz[]) is 'marketing_mail_check for many (customer, time) pairs in one query — customer_ids[i] at ats[i]; one row per distinct pair (none for an unknown customer): verdict send / defer (quiet_hours, daily_cap: until not_before) / exclude (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent). The cap counts what private.emails_sent_today counts.';
revoke execute on function private.marketing_mail_checks(uuid[], timestamptz[]) from public, anon, authenticated;
grant execute on function private.marketing_mail_checks(uuid[], timestamptz[]) to service_role;

create or replace function private.marketing_mail_check(customer_id uuid, at timestamptz default now())
returns table (verdict text, reason text, not_before timestamptz)
language sql stable security definer set search_path = '' as $$
  select k.verdict, k.reason, k.not_before
  from private.marketing_mail_checks(array[marketing_mail_check.customer_id], array[marketing_mail_check.at]) k
$$;
comment on function private.marketing_mail_check(uuid, timestamptz) is 'May this customer get marketing mail at `at`, and if not why: verdict send / defer (quiet_hours, daily_cap: until not_before) / exclude (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent). Quiet hours and the daily cap are the alert engine''s; the cap counts alerts, campaign and automation emails together (private.emails_sent_today). The one-pair case of private.marketing_mail_checks; used by campaigns and the flow engine. No row: no such customer.';

create or replace function private.plan_campaign(campaign_id uuid, members uuid[], at timestamptz)
returns table (customer_id uuid, email text, language text, zone text, verdict text, reason text,
               not_before timestamptz, empty_variables text[])
language sql stable security definer set search_path = '' as $$
  with c as (select * from public.campaigns k where k.id = plan_campaign.campaign_id),
  ws as (select s.postal_address, s.default_language from public.workspace_settings s),
  shop as (select coalesce((select s.name from public.shops s where s.active order by s.created_at, s.id limit 1), 'Cairn') as name),
  -- private.recipient_zone, worked out once: theirs, else the first active shop's, else UTC.
  shop_zone as (select (select s.timezone from public.shops s where s.active order by s.created_at, s.id limit 1) as zone),
  people as (
    select cu, coalesce(cu.timezone, (select zone from shop_zone), 'UTC') as zone,
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
  -- One check for everyone (20261209100000), each at their own send time.
  checks as (
    select k.* from (select array_agg((t.cu).id) as ids, array_agg(t.due) as dues from timed t) a
    cross join lateral private.marketing_mail_checks(a.ids, a.dues) k
  ),
  checked as (
    select t.*, k.verdict, k.reason, k.not_before as deferred_until,
      array(select n from unnest(t.names) n where coalesce(t.vars #>> string_to_array(n, '.'), '') = '' order by n) as empty
    from timed t
    join checks k on k.customer_id = (t.cu).id and k.at = t.due
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

-- Two expressions evaluated for every recipient, now inlined into the queries that use them
-- (restated from 20261208100000 with the same bodies): a security definer function with its own
-- search_path is planned and called once per row, about 0.1 ms each. Neither reads a table, so
-- neither needs the definer's rights; every name in them is pg_catalog's.
create or replace function private.campaign_variables(customer public.customers, fallbacks jsonb, shop_name text, postal_address text)
returns jsonb
language sql stable as $$
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
comment on function private.campaign_variables(public.customers, jsonb, text, text) is 'Template variables for a campaign recipient: their name, company and email, the shop name and postal address, the unsubscribe link placeholder; the campaign''s fallbacks fill what is empty. Inlined where it is used (no table read, no definer rights).';

create or replace function private.campaign_send_time(schedule public.campaign_schedule, send_at timestamptz, local_date date,
                                                      local_time time, zone text, at timestamptz) returns timestamptz
language sql stable as $$
  select greatest(at, case schedule
    when 'now' then at
    when 'at' then send_at
    else pg_catalog.timezone(zone, local_date + local_time) end)
$$;
comment on function private.campaign_send_time(public.campaign_schedule, timestamptz, date, time, text, timestamptz) is 'When a recipient in `zone` is due: now, send_at, or local_date local_time in their zone — never before `at`. Inlined where it is used (no table read, no definer rights).';

-- ─── The claim, shared ───────────────────────────────────────────────────────────────────────

create function private.claim_campaign_recipients(batch_size integer, now timestamptz, lease_seconds integer)
returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  throttle timestamptz;
  started uuid[];
begin
  if batch_size is null or batch_size < 1 or batch_size > 1000 then
    raise exception 'batch_size must be between 1 and 1000' using errcode = '22023';
  end if;
  if lease_seconds is null or lease_seconds < 10 or lease_seconds > 3600 then
    raise exception 'lease_seconds must be between 10 and 3600' using errcode = '22023';
  end if;
  -- One claim at a time: the daily cap counts claimed rows, so two claims must not both see it free.
  perform pg_advisory_xact_lock(hashtext('cairn.claim_campaign_sends'));

  -- A lease that ran out: its sender may have handed the email to SendGrid and died before
  -- recording it. Never handed out again as is: resolved by looking it up (in_doubt).
  update public.campaign_recipients r
  set state = 'in_doubt', reason = 'the sender stopped before recording SendGrid''s answer; checking whether it was sent',
      updated_at = claim_campaign_recipients.now
  where r.state = 'claimed' and r.claimed_until <= claim_campaign_recipients.now;

  create temporary table if not exists pg_temp.campaign_claim (
    id bigint primary key, campaign_id uuid, customer_id uuid, due_at timestamptz, verdict text, reason text,
    until timestamptz, nth integer
  ) on commit drop;
  truncate pg_temp.campaign_claim;

  select s.throttled_until into throttle from private.campaign_send_state s;
  if throttle > claim_campaign_recipients.now then
    return;
  end if;

  insert into pg_temp.campaign_claim (id, campaign_id, customer_id, due_at, nth)
  select d.id, d.campaign_id, d.customer_id, d.not_before,
         row_number() over (partition by d.customer_id order by d.not_before, d.id)
  from (
    select r.id, r.campaign_id, r.customer_id, r.not_before
    from public.campaign_recipients r
    join public.campaigns c on c.id = r.campaign_id and c.status in ('scheduled', 'sending')
    where r.state in ('queued', 'deferred') and r.not_before <= claim_campaign_recipients.now
    order by r.not_before, r.id
    limit batch_size
    for update of r skip locked
  ) d;

  -- Every claimed recipient checked at this moment, in one query.
  update pg_temp.campaign_claim x set verdict = k.verdict, reason = k.reason, until = k.not_before
  from private.marketing_mail_checks(
         array(select y.customer_id from pg_temp.campaign_claim y),
         array(select claim_campaign_recipients.now from pg_temp.campaign_claim y)) k
  where k.customer_id = x.customer_id;
  delete from pg_temp.campaign_claim x where x.verdict is null;

  -- Two campaigns reaching one customer in one batch: only the first counts as free under the cap.
  update pg_temp.campaign_claim x set verdict = 'defer', reason = 'daily_cap',
    until = private.local_day_start(claim_campaign_recipients.now, r.zone) + interval '1 day'
  from public.campaign_recipients r
  where r.id = x.id and x.verdict = 'send' and x.nth > 1;

  update public.campaign_recipients r set
    state = case x.verdict when 'send' then 'claimed' when 'defer' then 'deferred' else 'excluded' end::public.campaign_recipient_state,
    reason = x.reason,
    not_before = case when x.verdict = 'defer' then x.until else r.not_before end,
    claimed_until = case when x.verdict = 'send' then claim_campaign_recipients.now + make_interval(secs => lease_seconds) end,
    attempts = r.attempts + case when x.verdict = 'send' then 1 else 0 end,
    updated_at = claim_campaign_recipients.now
  from pg_temp.campaign_claim x
  where r.id = x.id;

  started := array(select distinct x.campaign_id from pg_temp.campaign_claim x);
  perform set_config('cairn.campaign_transition', 'on', true);
  update public.campaigns k set status = 'sending'
  where k.id = any(started) and k.status = 'scheduled'
    and exists (select 1 from pg_temp.campaign_claim x where x.campaign_id = k.id and x.verdict = 'send');
  perform set_config('cairn.campaign_transition', 'off', true);
  perform private.finish_campaigns(started);
end;
$$;
comment on function private.claim_campaign_recipients(integer, timestamptz, integer) is 'The campaign claim both claim_campaign_sends and claim_campaign_batch make: expired leases become in_doubt; unless SendGrid asked to slow down, up to batch_size due recipients are checked at `now` in one query (consent, suppression, quiet hours, the shared cap) and claimed under a lease, deferred or excluded. Leaves pg_temp.campaign_claim (verdict send = claimed) for the caller to render.';
revoke execute on function private.claim_campaign_recipients(integer, timestamptz, integer) from public, anon, authenticated;

create or replace function public.claim_campaign_sends(batch_size integer default 200, now timestamptz default now(), lease_seconds integer default 120)
returns table (
  recipient_id bigint, campaign_id uuid, customer_id uuid, send_key text, email text, name text, language text,
  subject text, body_html text, body_text text, shop_name text, postal_address text
)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
begin
  perform private.claim_campaign_recipients(batch_size, claim_campaign_sends.now, lease_seconds);

  return query
  with ws as (select s.postal_address, s.default_language from public.workspace_settings s),
  shop as (select coalesce((select s.name from public.shops s where s.active order by s.created_at, s.id limit 1), 'Cairn') as name),
  picked as (
    select r.id, r.campaign_id, r.customer_id, cu, c.template_id, c.variables as fallbacks,
           coalesce(r.language, private.template_language(c.template_id, coalesce(cu.language, (select default_language from ws)))) as language
    from pg_temp.campaign_claim x
    join public.campaign_recipients r on r.id = x.id
    join public.campaigns c on c.id = r.campaign_id
    join public.customers cu on cu.id = r.customer_id
    where x.verdict = 'send'
  ),
  rendered as (
    select p.*, v.subject as s_subject, v.body_html as s_html, v.body_text as s_text,
           private.campaign_variables(p.cu, p.fallbacks, (select name from shop), (select postal_address from ws)) as vars
    from picked p
    join public.email_template_variants v on v.template_id = p.template_id and v.language = p.language
  )
  select r.id, r.campaign_id, r.customer_id, r.campaign_id::text || ':' || r.customer_id::text,
         (r.cu).email, (r.cu).full_name, r.language,
         private.fill_placeholders(r.s_subject, r.vars, false),
         private.fill_placeholders(r.s_html, r.vars, true),
         private.fill_placeholders(r.s_text, r.vars, false),
         (select name from shop), (select postal_address from ws)
  from rendered r
  order by r.id;
end;
$$;
comment on function public.claim_campaign_sends(integer, timestamptz, integer) is 'Hands out up to batch_size due campaign sends under a lease, re-checking consent, suppression, quiet hours and the shared daily cap at `now` (deferring or excluding the rest), and returns each rendered email with its idempotency key (campaign:customer). Expired leases become in_doubt first; nothing is handed out while SendGrid asked to slow down. The sender uses claim_campaign_batch (the same claim, for bulk sends). Service role only.';

-- ─── The claim for a bulk send ───────────────────────────────────────────────────────────────

create function private.tag_placeholders(template text, names text[], kind text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  pattern constant text := '\{\{\s*([^{}]*?)\s*\}\}';
  literals text[] := regexp_split_to_array(template, pattern);
  found text[] := array(select m[1] from regexp_matches(template, pattern, 'g') as m);
  result text := literals[1];
begin
  -- The same split as private.fill_placeholders, so each {{name}} becomes the tag whose value
  -- is what fill_placeholders would have put there.
  for i in 1 .. coalesce(array_length(found, 1), 0) loop
    result := result || '%cairn.' || kind || array_position(names, found[i]) || '%' || literals[i + 1];
  end loop;
  return result;
end;
$$;
comment on function private.tag_placeholders(text, text[], text) is 'Replaces every {{name}} of a template with the SendGrid substitution tag %cairn.<kind><i>% where i is the name''s position in `names` (kind t: plain value, h: HTML-escaped value).';
revoke execute on function private.tag_placeholders(text, text[], text) from public, anon, authenticated;

create function public.claim_campaign_batch(batch_size integer default 1000, now timestamptz default now(),
                                            lease_seconds integer default 60)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  answer jsonb;
begin
  perform private.claim_campaign_recipients(batch_size, claim_campaign_batch.now, lease_seconds);

  -- Each CTE worked out once (materialized): the claim table has no statistics, and a plan that
  -- re-ran a recipient's substitutions per row would be quadratic.
  with ws as materialized (select s.postal_address, s.default_language from public.workspace_settings s),
  shop as materialized (select coalesce((select s.name from public.shops s where s.active order by s.created_at, s.id limit 1), 'Cairn') as name),
  picked as materialized (
    select r.id, r.campaign_id, r.customer_id, cu, c.template_id, c.variables as fallbacks,
           coalesce(r.language, private.template_language(c.template_id, coalesce(cu.language, (select default_language from ws)))) as language
    from pg_temp.campaign_claim x
    join public.campaign_recipients r on r.id = x.id
    join public.campaigns c on c.id = r.campaign_id
    join public.customers cu on cu.id = r.customer_id
    where x.verdict = 'send'
  ),
  -- Each recipient's variables, once.
  valued as materialized (
    select p.*, private.campaign_variables(p.cu, p.fallbacks, (select name from shop), (select postal_address from ws)) as vars
    from picked p
  ),
  -- Each variant once, with its placeholders numbered.
  variants as materialized (
    select g.campaign_id, g.template_id, g.language, v.subject, v.body_html, v.body_text,
      array(select distinct m[1]
            from regexp_matches(v.subject || ' ' || v.body_html || ' ' || v.body_text, '\{\{\s*([^{}]*?)\s*\}\}', 'g') m
            order by 1) as names
    from (select distinct p.campaign_id, p.template_id, p.language from picked p) g
    join public.email_template_variants v on v.template_id = g.template_id and v.language = g.language
  ),
  sends as materialized (
    select p.id, p.campaign_id, p.customer_id, p.language, (p.cu).email as email, (p.cu).full_name as name,
      -- No variant in their language: no substitutions (the sender fails that send alone).
      case when v.campaign_id is not null then
      (select coalesce(jsonb_object_agg(t.tag, t.value), '{}')
       from unnest(v.names) with ordinality n (name, i)
       cross join lateral (
         select case when jsonb_typeof(p.vars #> string_to_array(n.name, '.')) in ('string', 'number', 'boolean')
                     then p.vars #> string_to_array(n.name, '.') #>> '{}' else '' end as value
         offset 0
       ) plain
       cross join lateral (values
         ('%cairn.t' || n.i || '%', plain.value),
         ('%cairn.h' || n.i || '%', replace(replace(replace(replace(replace(plain.value, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'))
       ) t (tag, value)) end as substitutions
    from valued p
    left join variants v on v.campaign_id = p.campaign_id and v.language = p.language
  )
  select jsonb_build_object(
    'shop_name', (select name from shop),
    'postal_address', (select postal_address from ws),
    'contents', coalesce((select jsonb_agg(jsonb_build_object(
        'campaign_id', v.campaign_id, 'language', v.language,
        'subject', private.tag_placeholders(v.subject, v.names, 't'),
        'body_html', private.tag_placeholders(v.body_html, v.names, 'h'),
        'body_text', private.tag_placeholders(v.body_text, v.names, 't')) order by v.campaign_id, v.language)
      from variants v), '[]'),
    'sends', coalesce((select jsonb_agg(jsonb_build_object(
        'recipient_id', s.id, 'campaign_id', s.campaign_id, 'customer_id', s.customer_id,
        'send_key', s.campaign_id::text || ':' || s.customer_id::text,
        'email', s.email, 'name', s.name, 'language', s.language,
        'substitutions', s.substitutions) order by s.id)
      from sends s), '[]'))
  into answer;
  return answer;
end;
$$;
comment on function public.claim_campaign_batch(integer, timestamptz, integer) is 'The claim of claim_campaign_sends for a bulk send, as one document: shop_name, postal_address; contents — each (campaign, language) variant once, its {{placeholders}} as SendGrid substitution tags (%cairn.t<i>% plain, %cairn.h<i>% HTML-escaped); sends — each claimed recipient with its idempotency key (campaign:customer), address, name, language and its substitutions (the tag values, rendered as fill_placeholders would). A send whose language has no variant has no substitutions and no content. Service role only.';
revoke execute on function public.claim_campaign_batch(integer, timestamptz, integer) from public, anon, authenticated;
grant execute on function public.claim_campaign_batch(integer, timestamptz, integer) to service_role;

-- ─── Recording: no answer is in doubt, never retried blindly ─────────────────────────────────

create or replace function public.record_campaign_sends(results jsonb, now timestamptz default now())
returns integer
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  recorded integer;
  touched uuid[];
  paused record;
begin
  if results is null or jsonb_typeof(results) <> 'array' then
    raise exception 'results must be a JSON array' using errcode = '22023';
  end if;
  create temporary table if not exists pg_temp.campaign_results (
    id bigint primary key, ok boolean, message_id text, error text, retryable boolean, status integer,
    retry_after_seconds integer, not_sent boolean, in_doubt boolean
  ) on commit drop;
  truncate pg_temp.campaign_results;
  insert into pg_temp.campaign_results
  select distinct on (x.id) x.id, coalesce(x.ok, false), left(x.message_id, 300), left(x.error, 900),
         coalesce(x.retryable, false), x.status, least(greatest(coalesce(x.retry_after_seconds, 0), 0), 3600),
         coalesce(x.not_sent, false) and not coalesce(x.ok, false),
         coalesce(x.in_doubt, false) and not coalesce(x.ok, false) and not coalesce(x.not_sent, false)
  from jsonb_to_recordset(results) as x (id bigint, ok boolean, message_id text, error text, retryable boolean,
                                          status integer, retry_after_seconds integer, not_sent boolean, in_doubt boolean)
  where x.id is not null
  order by x.id;

  -- A rejected key or sender (401 / 403) fails every send alike: pause the campaign, keep the row.
  for paused in
    select distinct r.campaign_id, x.status, x.error from pg_temp.campaign_results x
    join public.campaign_recipients r on r.id = x.id
    where not x.ok and x.status in (401, 403)
  loop
    if (select k.status from public.campaigns k where k.id = paused.campaign_id) in ('scheduled', 'sending') then
      perform private.set_campaign_status(paused.campaign_id, 'paused',
        left('SendGrid refused the send (HTTP ' || paused.status || '): ' || coalesce(paused.error, 'check the API key and the sender'), 500));
    end if;
  end loop;

  update public.campaign_recipients r set
    state = case
      when x.ok then 'sent'
      -- No answer (20261209100000): SendGrid may have it. Looked up after the settle time.
      when x.in_doubt then 'in_doubt'
      when x.not_sent or x.status in (401, 403) then 'queued'
      when x.retryable and r.attempts < 5 then 'queued'
      else 'failed' end::public.campaign_recipient_state,
    reason = case when x.ok then null
                  when x.in_doubt then left('no answer from SendGrid (' || coalesce(x.error, 'network') || '); checking whether it was sent', 1000)
                  else x.error end,
    provider_message_id = case when x.ok then x.message_id else r.provider_message_id end,
    sent_at = case when x.ok then record_campaign_sends.now end,
    attempts = case when x.not_sent or x.status in (401, 403) then greatest(r.attempts - 1, 0) else r.attempts end,
    not_before = case
      when x.ok or x.in_doubt then r.not_before
      when x.not_sent or x.status in (401, 403) then record_campaign_sends.now
      else record_campaign_sends.now + greatest(make_interval(secs => x.retry_after_seconds),
                                                 make_interval(secs => 30 * power(2, r.attempts)::integer)) end,
    -- In doubt: "since" is now, so the lookup waits the settle time from here.
    claimed_until = case when x.in_doubt then record_campaign_sends.now end,
    updated_at = record_campaign_sends.now
  from pg_temp.campaign_results x
  -- A late answer for a row already in doubt still settles it: the answer is the truth.
  where r.id = x.id and r.state in ('claimed', 'in_doubt')
    -- ... but no answer never unsettles one already in doubt.
    and not (x.in_doubt and r.state = 'in_doubt');
  get diagnostics recorded = row_count;

  -- SendGrid asked every sender to slow down.
  update private.campaign_send_state s set
    throttled_until = greatest(s.throttled_until, record_campaign_sends.now + make_interval(secs => greatest(x.wait, 5))),
    throttle_reason = 'SendGrid answered 429 (too many requests)'
  from (select max(retry_after_seconds) as wait from pg_temp.campaign_results where status = 429) x
  where x.wait is not null;

  touched := array(select distinct r.campaign_id from pg_temp.campaign_results x
                   join public.campaign_recipients r on r.id = x.id);
  perform private.finish_campaigns(touched);
  return recorded;
end;
$$;
comment on function public.record_campaign_sends(jsonb, timestamptz) is 'Records SendGrid''s answers for claimed campaign sends: sent (message id), retry later with backoff (429 / 5xx, up to 5 attempts; a 429 holds every sender back), failed, not_sent (never handed over: its lease was ending; queued again, no attempt counted), in_doubt (no answer — a network error or timeout after the request left: looked up at SendGrid after the settle time, never resent blindly), or — for 401 / 403 — pauses the campaign with the reason and puts the send back. Service role only.';
