-- RFM scores, explainable churn risk and lifecycle stages that move by themselves, nightly (issue 13)
--
-- Owns:
--   customer_scores         one row per customer: recency / frequency / monetary scores (quintiles
--                           1–5 among buyers), the named RFM group, churn risk with its reasons
--                           (structured, for the app to say in any language, and a plain English
--                           summary for files and integrations), recomputed nightly;
--   lifecycle_rules         the admin-editable thresholds the nightly job moves stages by (VIP,
--                           at risk, churned) and whether it does;
--   public.score_customers() the nightly job (pg_cron 02:30 UTC): scores, then stage moves, each
--                           move logged in the customer's timeline with its reason;
--   the segment fields rfm_group and churn_risk (private.segment_field_type and
--                           private.segment_condition_sql restated whole from 20261207170000).
--
-- Churn is explained, not predicted: each buyer's expected gap between orders is their own
-- average gap (first to last order over orders − 1), or the shop's median of those averages for
-- one-time buyers (90 days when the shop has no repeat buyer yet); the ratio of the days since
-- their last order to that gap sets the risk (≥ 1.5 medium, ≥ 3 high), and unopened emails since
-- the last open add a reason. The same rules work for 300 customers and for 300 000.

create table public.customer_scores (
  customer_id uuid primary key references public.customers (id) on delete cascade,
  recency_score smallint check (recency_score between 1 and 5),
  frequency_score smallint check (frequency_score between 1 and 5),
  monetary_score smallint check (monetary_score between 1 and 5),
  rfm_group text not null check (rfm_group in ('champions', 'loyal', 'potential_loyalists', 'new_customers',
    'need_attention', 'at_risk', 'cant_lose', 'hibernating', 'no_orders')),
  churn_risk text not null check (churn_risk in ('none', 'low', 'medium', 'high')),
  days_since_last_order integer,
  expected_gap_days integer,
  gap_basis text check (gap_basis in ('own', 'shop')),
  churn_ratio numeric(10, 2),
  unopened_emails integer not null default 0,
  churn_reasons jsonb not null default '[]' check (jsonb_typeof(churn_reasons) = 'array'),
  churn_summary text not null default '',
  computed_at timestamptz not null default now()
);
comment on table public.customer_scores is 'Nightly RFM scores and churn risk per customer (public.score_customers). Read like the customer: everyone who sees the customer sees the scores; written only by the job.';
comment on column public.customer_scores.churn_reasons is 'Why the risk, as data: [{"code": "no_order", "days", "gap", "ratio", "basis": "own"|"shop"}, {"code": "emails_unopened", "count"}]; the app words them in the reader''s language.';
comment on column public.customer_scores.churn_summary is 'The reasons in English, e.g. "no order for 140 days, 2.3× their usual gap of 61 days; last 2 emails unopened".';
create index customer_scores_group_idx on public.customer_scores (rfm_group);
create index customer_scores_risk_idx on public.customer_scores (churn_risk);

alter table public.customer_scores enable row level security;
create policy "staff read the scores of the customers they may see" on public.customer_scores
  for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
revoke all on public.customer_scores from anon, authenticated;
grant select on public.customer_scores to authenticated;

create table public.lifecycle_rules (
  id boolean primary key default true check (id),
  enabled boolean not null default true,
  vip_top_percent numeric(5, 2) not null default 10 check (vip_top_percent > 0 and vip_top_percent <= 100),
  at_risk_min_ratio numeric(6, 2) not null default 1.5 check (at_risk_min_ratio >= 1),
  churned_after_days integer not null default 365 check (churned_after_days between 30 and 3650),
  updated_at timestamptz not null default now()
);
insert into public.lifecycle_rules default values;
comment on table public.lifecycle_rules is 'The one row of rules the nightly job moves lifecycle stages by: vip = the shop''s top vip_top_percent by lifetime value; at_risk = days since the last order ≥ at_risk_min_ratio × the expected gap; churned = no order for churned_after_days. Admins change it (settings); every change is audited.';
create trigger touch_updated_at before update on public.lifecycle_rules
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.lifecycle_rules
  for each row execute function private.record_audit();
alter table public.lifecycle_rules enable row level security;
create policy "team members read the lifecycle rules" on public.lifecycle_rules for select to authenticated
  using ((select private.is_team_member()));
create policy "admins change the lifecycle rules" on public.lifecycle_rules for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
revoke all on public.lifecycle_rules from anon, authenticated;
grant select, update (enabled, vip_top_percent, at_risk_min_ratio, churned_after_days) on public.lifecycle_rules to authenticated;

-- ─── The nightly job ─────────────────────────────────────────────────────────────────────────

create function public.score_customers(at timestamptz default now())
returns table (scored integer, stages_moved integer)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  rules public.lifecycle_rules;
  vip_threshold numeric;
begin
  if coalesce((select auth.role()), 'service_role') <> 'service_role' then
    raise exception 'only the system scores customers' using errcode = '42501';
  end if;
  select * into rules from public.lifecycle_rules;

  -- Scores for every customer, in one statement.
  with buyers as (
    select c.id, c.order_count, c.lifetime_value, c.first_order_at, c.last_order_at,
      greatest(0, floor(extract(epoch from at - c.last_order_at) / 86400))::integer as days_since,
      case when c.order_count >= 2
        then greatest(1, extract(epoch from c.last_order_at - c.first_order_at) / 86400 / (c.order_count - 1)) end as own_gap
    from public.customers c
    where c.order_count > 0 and c.last_order_at is not null
  ),
  shop as (
    select coalesce(round(percentile_cont(0.5) within group (order by b.own_gap)::numeric), 90) as median_gap
    from buyers b where b.own_gap is not null
  ),
  ranked as (
    select b.*,
      least(5, width_bucket(percent_rank() over (order by b.last_order_at), 0, 1, 5))::smallint as r,
      least(5, width_bucket(percent_rank() over (order by b.order_count), 0, 1, 5))::smallint as f,
      least(5, width_bucket(percent_rank() over (order by b.lifetime_value), 0, 1, 5))::smallint as m,
      round(coalesce(b.own_gap, (select s.median_gap from shop s)))::integer as gap,
      case when b.own_gap is null then 'shop' else 'own' end as basis
    from buyers b
  ),
  emails as (
    -- Delivered emails since the customer last opened one (or ever, if never opened).
    select e.customer_id,
      count(*) filter (where e.event = 'delivered' and e.occurred_at > coalesce(o.last_open, '-infinity'))::integer as unopened
    from public.email_events e
    left join lateral (
      select max(x.occurred_at) as last_open from public.email_events x
      where x.customer_id = e.customer_id and x.event = 'open'
    ) o on true
    where e.customer_id is not null
    group by e.customer_id
  ),
  computed as (
    select k.id as customer_id, k.r, k.f, k.m, k.days_since, k.gap, k.basis,
      round(k.days_since::numeric / greatest(k.gap, 1), 2) as ratio,
      coalesce(em.unopened, 0) as unopened,
      case
        when k.r >= 4 and k.f >= 4 and k.m >= 4 then 'champions'
        when k.r <= 2 and k.f >= 4 then 'cant_lose'
        when k.r <= 2 and k.f >= 2 then 'at_risk'
        when k.r <= 2 then 'hibernating'
        when k.f >= 4 then 'loyal'
        when k.r >= 4 and k.f = 1 then 'new_customers'
        when k.r >= 4 then 'potential_loyalists'
        else 'need_attention'
      end as grp
    from ranked k
    left join emails em on em.customer_id = k.id
  ),
  worded as (
    select x.*,
      case when x.ratio >= 3 then 'high' when x.ratio >= 1.5 then 'medium' else 'low' end as risk,
      (case when x.ratio >= 1.5 then jsonb_build_array(jsonb_build_object('code', 'no_order', 'days', x.days_since,
          'gap', x.gap, 'ratio', x.ratio, 'basis', x.basis)) else '[]'::jsonb end)
        || (case when x.unopened >= 2 then jsonb_build_array(jsonb_build_object('code', 'emails_unopened', 'count', x.unopened))
             else '[]'::jsonb end) as reasons,
      concat_ws('; ',
        case when x.ratio >= 1.5 then format('no order for %s days, %s× %s usual gap of %s days', x.days_since,
          trim(to_char(x.ratio, 'FM9999990.0')), case x.basis when 'own' then 'their' else 'the shop''s' end, x.gap) end,
        case when x.unopened >= 2 then format('last %s emails unopened', x.unopened) end) as summary
    from computed x
  )
  insert into public.customer_scores as s (customer_id, recency_score, frequency_score, monetary_score, rfm_group,
    churn_risk, days_since_last_order, expected_gap_days, gap_basis, churn_ratio, unopened_emails, churn_reasons,
    churn_summary, computed_at)
  select c.id, w.r, w.f, w.m, coalesce(w.grp, 'no_orders'), coalesce(w.risk, 'none'), w.days_since, w.gap, w.basis,
    w.ratio, coalesce(w.unopened, 0), coalesce(w.reasons, '[]'), coalesce(w.summary, ''), at
  from public.customers c
  left join worded w on w.customer_id = c.id
  on conflict (customer_id) do update set
    recency_score = excluded.recency_score, frequency_score = excluded.frequency_score,
    monetary_score = excluded.monetary_score, rfm_group = excluded.rfm_group, churn_risk = excluded.churn_risk,
    days_since_last_order = excluded.days_since_last_order, expected_gap_days = excluded.expected_gap_days,
    gap_basis = excluded.gap_basis, churn_ratio = excluded.churn_ratio, unopened_emails = excluded.unopened_emails,
    churn_reasons = excluded.churn_reasons, churn_summary = excluded.churn_summary, computed_at = excluded.computed_at;
  get diagnostics scored = row_count;

  stages_moved := 0;
  if rules.enabled then
    select percentile_disc(1 - rules.vip_top_percent / 100) within group (order by c.lifetime_value)
      into vip_threshold from public.customers c where c.order_count > 0;
    -- The stage each buyer should have by the rules, first match wins: churned, at risk, VIP.
    -- Only these three stages (and only buyers) are moved; a customer an admin placed in a custom
    -- stage is left alone, and so is one already where the rules put them.
    with targets as (
      select c.id, c.lifecycle_stage as from_stage,
        case
          when s.days_since_last_order >= rules.churned_after_days then 'churned'
          when s.churn_ratio >= rules.at_risk_min_ratio then 'at_risk'
          when c.lifetime_value >= vip_threshold then 'vip'
        end as to_stage,
        case
          when s.days_since_last_order >= rules.churned_after_days then format('no order for %s days (churned after %s)', s.days_since_last_order, rules.churned_after_days)
          when s.churn_ratio >= rules.at_risk_min_ratio then s.churn_summary
          when c.lifetime_value >= vip_threshold then format('lifetime value %s in the shop''s top %s %%', c.lifetime_value, rules.vip_top_percent)
        end as reason
      from public.customers c
      join public.customer_scores s on s.customer_id = c.id
      where c.order_count > 0
        and c.lifecycle_stage in ('customer', 'repeat', 'vip', 'at_risk', 'churned')
    ),
    moved as (
      update public.customers c set lifecycle_stage = t.to_stage
      from targets t
      where c.id = t.id and t.to_stage is not null and t.to_stage <> t.from_stage
        and exists (select 1 from public.lifecycle_stages st where st.key = t.to_stage)
      returning c.id, t.from_stage, t.to_stage, t.reason
    ),
    logged as (
      insert into public.activities (customer_id, kind, author_id, metadata)
      select m.id, 'system', null, jsonb_build_object('event', 'stage_changed', 'from', m.from_stage, 'to', m.to_stage,
        'reason', m.reason, 'by', 'nightly_rules')
      from moved m
      returning 1
    )
    select count(*)::integer into stages_moved from logged;
  end if;
  return next;
end;
$$;
comment on function public.score_customers(timestamptz) is 'The nightly job: RFM scores and explainable churn risk for every customer (customer_scores), then lifecycle stages moved by lifecycle_rules (churned, at risk, VIP; only from customer, repeat, vip, at_risk, churned), each move logged in the timeline (activities, kind system, event stage_changed, with its reason). The service role and pg_cron only. Returns how many customers were scored and how many changed stage.';
revoke execute on function public.score_customers(timestamptz) from public, anon, authenticated;
grant execute on function public.score_customers(timestamptz) to service_role;

create extension if not exists pg_cron with schema pg_catalog;
select cron.schedule('score-customers', '30 2 * * *', $$select public.score_customers()$$);

-- ─── Segment fields over the scores ──────────────────────────────────────────────────────────

create or replace function private.segment_field_type(field text) returns text
language sql immutable set search_path = '' as $$
  select case field
    when 'country' then 'text' when 'region' then 'text' when 'language' then 'text'
    when 'currency' then 'text' when 'status' then 'text' when 'lifecycle_stage' then 'text'
    when 'source' then 'text' when 'owner' then 'owner' when 'custom_field' then 'custom'
    when 'rfm_group' then 'text' when 'churn_risk' then 'text'
    when 'tags' then 'list' when 'style_interests' then 'list' when 'favourite_brands' then 'list'
    when 'lifetime_value' then 'number' when 'order_count' then 'number'
    when 'average_order_value' then 'number' when 'refunded_total' then 'number'
    when 'inactive_days' then 'number'
    when 'created_at' then 'date' when 'first_order_at' then 'date' when 'last_order_at' then 'date'
    when 'ordered_brand' then 'purchase' when 'ordered_product' then 'purchase'
    when 'ordered_category' then 'purchase'
    when 'has_favourites' then 'boolean'
    when 'consent_newsletter' then 'boolean' when 'consent_marketing' then 'boolean'
    when 'consent_alerts' then 'boolean'
    when 'received_alert' then 'event' when 'opened_alert' then 'event' when 'clicked_alert' then 'event'
    when 'received_email' then 'event' when 'opened_email' then 'event' when 'clicked_email' then 'event'
  end
$$;
comment on function private.segment_field_type(text) is 'The whitelist of segment fields and their types (text, owner, custom, list, number, date, purchase, boolean, event); null for anything else. rfm_group and churn_risk read customer_scores (the nightly scores).';
revoke execute on function private.segment_field_type(text) from public, anon;
grant execute on function private.segment_field_type(text) to authenticated, service_role;

create or replace function private.segment_condition_sql(condition jsonb, path text) returns text
language plpgsql stable set search_path = '' as $$
declare
  field text;
  op text;
  kind text;
  value jsonb := condition -> 'value';
  expression text;
  days integer;
  items text[];
  key text;
  low text;
  high text;
begin
  if exists (select 1 from jsonb_object_keys(condition) k where k not in ('field', 'op', 'value', 'days', 'key')) then
    perform private.segment_refuse(path, 'a condition has only field, op, value, days and key');
  end if;
  if jsonb_typeof(condition -> 'field') is distinct from 'string' or jsonb_typeof(condition -> 'op') is distinct from 'string' then
    perform private.segment_refuse(path, 'a condition needs a field and an operator');
  end if;
  field := condition ->> 'field';
  op := condition ->> 'op';
  kind := private.segment_field_type(field);
  if kind is null then
    perform private.segment_refuse(path, format('unknown field %s', to_jsonb(left(field, 60))));
  end if;
  if condition ? 'days' and kind not in ('purchase', 'event') then
    perform private.segment_refuse(path, format('field %s takes no period (days)', field));
  end if;
  if condition ? 'key' and kind <> 'custom' then
    perform private.segment_refuse(path, format('field %s takes no key', field));
  end if;

  -- Operators that take no value.
  if op in ('is_set', 'is_not_set', 'is_empty', 'is_not_empty', 'this_month', 'ever', 'never') and condition ? 'value' then
    perform private.segment_refuse(path, format('operator %s takes no value', op));
  end if;

  if kind in ('text', 'owner', 'custom') then
    if kind = 'custom' then
      if jsonb_typeof(condition -> 'key') is distinct from 'string' or (condition ->> 'key') !~ '^[a-z][a-z0-9_]{0,39}$' then
        perform private.segment_refuse(path, 'a custom field condition needs the field''s key (a-z, 0-9, _)');
      end if;
      key := condition ->> 'key';
      expression := format('(c.custom_fields ->> %L)', key);
    else
      expression := case field
        when 'country' then 'c.country' when 'region' then 'c.region' when 'language' then 'c.language'
        when 'currency' then 'c.currency' when 'status' then 'c.status::text'
        when 'lifecycle_stage' then 'c.lifecycle_stage' when 'source' then 'c.source'
        when 'owner' then 'c.owner_id::text'
        when 'rfm_group' then '(select s.rfm_group from public.customer_scores s where s.customer_id = c.id)'
        when 'churn_risk' then '(select s.churn_risk from public.customer_scores s where s.customer_id = c.id)'
      end;
    end if;
    if op in ('is_set', 'is_not_set') then
      return format('(%s is %s null)', expression, case op when 'is_set' then 'not' else '' end);
    elsif op in ('eq', 'neq') then
      if jsonb_typeof(value) is distinct from 'string' or length(value #>> '{}') not between 1 and 200 then
        perform private.segment_refuse(path, format('operator %s on %s needs a text value (1–200 characters)', op, field));
      end if;
      if kind = 'owner' and (value #>> '{}') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
        perform private.segment_refuse(path, 'owner must be a team member''s id');
      end if;
      if op = 'eq' then
        return format('(%s = %L)', expression, value #>> '{}');
      end if;
      return format('(%s is distinct from %L)', expression, value #>> '{}');
    elsif op in ('in', 'not_in') then
      if jsonb_typeof(value) is distinct from 'array' or jsonb_array_length(value) not between 1 and 250
         or exists (select 1 from jsonb_array_elements(value) e where jsonb_typeof(e) <> 'string' or length(e #>> '{}') > 200) then
        perform private.segment_refuse(path, format('operator %s on %s needs a list of 1–250 texts', op, field));
      end if;
      items := array(select e from jsonb_array_elements_text(value) e);
      if kind = 'owner' and exists (select 1 from unnest(items) i where i !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') then
        perform private.segment_refuse(path, 'owner must be a team member''s id');
      end if;
      if op = 'in' then
        return format('(%s = any (%L::text[]))', expression, items);
      end if;
      return format('(%s is null or %s <> all (%L::text[]))', expression, expression, items);
    end if;

  elsif kind = 'list' then
    expression := case field
      when 'tags' then '(array(select t.name from public.customer_tags ct join public.tags t on t.id = ct.tag_id where ct.customer_id = c.id))'
      when 'style_interests' then 'c.style_interests'
      when 'favourite_brands' then 'c.favourite_brands'
    end;
    if op in ('is_empty', 'is_not_empty') then
      return format('(cardinality(%s) %s 0)', expression, case op when 'is_empty' then '=' else '>' end);
    elsif op in ('contains_any', 'contains_all', 'contains_none') then
      if jsonb_typeof(value) is distinct from 'array' or jsonb_array_length(value) not between 1 and 100
         or exists (select 1 from jsonb_array_elements(value) e where jsonb_typeof(e) <> 'string' or length(e #>> '{}') > 200) then
        perform private.segment_refuse(path, format('operator %s on %s needs a list of 1–100 texts', op, field));
      end if;
      items := array(select e from jsonb_array_elements_text(value) e);
      -- Tags match by name ignoring case, as people type them.
      if field = 'tags' then
        expression := '(array(select lower(t.name) from public.customer_tags ct join public.tags t on t.id = ct.tag_id where ct.customer_id = c.id))';
        items := array(select lower(i) from unnest(items) i);
      end if;
      return case op
        when 'contains_any' then format('(%s && %L::text[])', expression, items)
        when 'contains_all' then format('(%s @> %L::text[])', expression, items)
        else format('(not (%s && %L::text[]))', expression, items)
      end;
    end if;

  elsif kind = 'number' then
    expression := case field
      when 'lifetime_value' then 'c.lifetime_value'
      when 'order_count' then 'c.order_count'
      when 'average_order_value' then 'c.average_order_value'
      when 'refunded_total' then '(select coalesce(sum(o.refunded_base), 0) from public.orders o where o.customer_id = c.id)'
      when 'inactive_days' then '(extract(epoch from now() - coalesce(c.last_order_at, c.created_at)) / 86400)'
    end;
    if op = 'top_percent' then
      if field <> 'lifetime_value' then
        perform private.segment_refuse(path, format('operator top_percent applies to lifetime_value, not %s', field));
      end if;
      if jsonb_typeof(value) is distinct from 'number' or (value::numeric) <= 0 or (value::numeric) > 100 then
        perform private.segment_refuse(path, 'operator top_percent needs a percentage above 0 and at most 100');
      end if;
      return format('(c.order_count > 0 and c.lifetime_value >= private.lifetime_value_at_top_percent(%L::numeric))', value::numeric);
    elsif op in ('eq', 'neq', 'gt', 'gte', 'lt', 'lte') then
      if jsonb_typeof(value) is distinct from 'number' or abs(value::numeric) >= 1e12 then
        perform private.segment_refuse(path, format('operator %s on %s needs a number', op, field));
      end if;
      return format('(%s %s %L::numeric)', expression,
        case op when 'eq' then '=' when 'neq' then '<>' when 'gt' then '>' when 'gte' then '>=' when 'lt' then '<' else '<=' end,
        value::numeric);
    elsif op = 'between' then
      if jsonb_typeof(value) is distinct from 'array' or jsonb_array_length(value) <> 2
         or jsonb_typeof(value -> 0) <> 'number' or jsonb_typeof(value -> 1) <> 'number'
         or abs((value ->> 0)::numeric) >= 1e12 or abs((value ->> 1)::numeric) >= 1e12 then
        perform private.segment_refuse(path, format('operator between on %s needs two numbers [from, to]', field));
      end if;
      return format('(%s between %L::numeric and %L::numeric)', expression, (value ->> 0)::numeric, (value ->> 1)::numeric);
    end if;

  elsif kind = 'date' then
    expression := 'c.' || field;
    if op in ('is_set', 'is_not_set') then
      return format('(%s is %s null)', expression, case op when 'is_set' then 'not' else '' end);
    elsif op = 'this_month' then
      return format('(%s >= (date_trunc(''month'', now() at time zone private.caller_time_zone()) at time zone private.caller_time_zone()))', expression);
    elsif op in ('in_last_days', 'more_than_days_ago') then
      if jsonb_typeof(value) is distinct from 'number' or (value::numeric) <> trunc(value::numeric) or (value::numeric) not between 1 and 36500 then
        perform private.segment_refuse(path, format('operator %s on %s needs a whole number of days (1–36500)', op, field));
      end if;
      return format('(%s %s now() - make_interval(days => %s))', expression,
        case op when 'in_last_days' then '>=' else '<' end, (value::numeric)::integer);
    elsif op in ('before', 'after') then
      if jsonb_typeof(value) is distinct from 'string' or (value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
        perform private.segment_refuse(path, format('operator %s on %s needs a date (YYYY-MM-DD)', op, field));
      end if;
      begin
        low := (value #>> '{}')::date::text;
      exception when others then
        perform private.segment_refuse(path, format('%s is not a date', value));
      end;
      -- "before D": earlier than the day; "after D": on the day or later — days in the caller's zone.
      return case op
        when 'before' then format('(%s < private.day_start(%L::date))', expression, low)
        else format('(%s >= private.day_start(%L::date))', expression, low)
      end;
    elsif op = 'between' then
      if jsonb_typeof(value) is distinct from 'array' or jsonb_array_length(value) <> 2
         or jsonb_typeof(value -> 0) <> 'string' or jsonb_typeof(value -> 1) <> 'string'
         or (value ->> 0) !~ '^\d{4}-\d{2}-\d{2}$' or (value ->> 1) !~ '^\d{4}-\d{2}-\d{2}$' then
        perform private.segment_refuse(path, format('operator between on %s needs two dates [from, to] (YYYY-MM-DD)', field));
      end if;
      begin
        low := (value ->> 0)::date::text;
        high := (value ->> 1)::date::text;
      exception when others then
        perform private.segment_refuse(path, format('%s holds something that is not a date', value));
      end;
      if high::date < low::date then
        perform private.segment_refuse(path, 'the end of the range is before its start');
      end if;
      return format('(%s >= private.day_start(%L::date) and %s < private.day_start(%L::date + 1))', expression, low, expression, high);
    end if;

  elsif kind = 'purchase' then
    if condition ? 'days' then
      if jsonb_typeof(condition -> 'days') is distinct from 'number' or ((condition ->> 'days')::numeric) <> trunc((condition ->> 'days')::numeric)
         or ((condition ->> 'days')::numeric) not between 1 and 36500 then
        perform private.segment_refuse(path, 'days must be a whole number of days (1–36500)');
      end if;
      days := (condition ->> 'days')::integer;
    end if;
    if op not in ('eq', 'neq') then
      perform private.segment_refuse(path, format('operator %s does not apply to %s (use eq: bought, neq: did not buy)', left(op, 40), field));
    end if;
    if jsonb_typeof(value) is distinct from 'string' or length(value #>> '{}') not between 1 and 500 then
      perform private.segment_refuse(path, format('%s needs a text value (1–500 characters)', field));
    end if;
    expression := format(
      'exists (select 1 from public.orders o join public.order_items i on i.order_id = o.id %s where o.customer_id = c.id and o.counts_as_purchase %s and %s)',
      case when field = 'ordered_category' then 'join public.products p on p.id = i.product_id' else '' end,
      case when days is null then '' else format('and o.placed_at >= now() - make_interval(days => %s)', days) end,
      case field
        when 'ordered_brand' then format('lower(i.vendor) = lower(%L)', value #>> '{}')
        when 'ordered_product' then format('lower(i.title) = lower(%L)', value #>> '{}')
        else format('lower(p.product_type) = lower(%L)', value #>> '{}')
      end);
    return case op when 'eq' then '(' || expression || ')' else '(not ' || expression || ')' end;

  elsif kind = 'boolean' then
    if op <> 'is' or jsonb_typeof(value) is distinct from 'boolean' then
      perform private.segment_refuse(path, format('field %s takes operator is with true or false', field));
    end if;
    expression := case field
      when 'has_favourites' then 'exists (select 1 from public.favorites f where f.customer_id = c.id)'
      else format(
        'coalesce((select e.status = ''granted'' from public.consent_events e where e.customer_id = c.id and e.channel = ''email'' and e.purpose = %L order by e.occurred_at desc, e.id desc limit 1), false)',
        substr(field, 9))
    end;
    return case when value::boolean then '(' || expression || ')' else '(not ' || expression || ')' end;

  elsif kind = 'event' then
    if op in ('in_last_days', 'not_in_last_days') then
      if jsonb_typeof(value) is distinct from 'number' or (value::numeric) <> trunc(value::numeric) or (value::numeric) not between 1 and 36500 then
        perform private.segment_refuse(path, format('operator %s on %s needs a whole number of days (1–36500)', op, field));
      end if;
      days := (value::numeric)::integer;
    elsif op not in ('ever', 'never') then
      perform private.segment_refuse(path, format('operator %s does not apply to %s (use ever, never, in_last_days, not_in_last_days)', left(op, 40), field));
    end if;
    expression := case field
      when 'received_alert' then 'exists (select 1 from public.alert_log a where a.customer_id = c.id and a.state = ''sent''%s)'
      when 'opened_alert' then 'exists (select 1 from public.email_events e where e.customer_id = c.id and e.alert_id is not null and e.event = ''open''%s)'
      when 'clicked_alert' then 'exists (select 1 from public.email_events e where e.customer_id = c.id and e.alert_id is not null and e.event = ''click''%s)'
      when 'received_email' then 'exists (select 1 from public.email_events e where e.customer_id = c.id and e.event = ''delivered''%s)'
      when 'opened_email' then 'exists (select 1 from public.email_events e where e.customer_id = c.id and e.event = ''open''%s)'
      when 'clicked_email' then 'exists (select 1 from public.email_events e where e.customer_id = c.id and e.event = ''click''%s)'
    end;
    expression := format(expression, case when days is null then '' else format(' and %s >= now() - make_interval(days => %s)',
      case when field = 'received_alert' then 'a.sent_at' else 'e.occurred_at' end, days) end);
    return case when op in ('ever', 'in_last_days') then '(' || expression || ')' else '(not ' || expression || ')' end;
  end if;

  perform private.segment_refuse(path, format('operator %s does not apply to %s (a %s field)', to_jsonb(left(op, 40)), field, kind));
  return null;
end;
$$;
comment on function private.segment_condition_sql(jsonb, text) is 'One segment condition as a SQL boolean over customers c, from the whitelist of fields and operators; values are quoted by the compiler (format %L), never pasted. Refuses anything else with 22023 naming the condition.';
revoke execute on function private.segment_condition_sql(jsonb, text) from public, anon;
grant execute on function private.segment_condition_sql(jsonb, text) to authenticated, service_role;

