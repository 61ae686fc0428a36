-- Segment rules read the nightly scores through one join, not a subquery per customer (issue 13:
-- full refresh of 20 segments < 10 s and a 10-condition live count p95 < 300 ms at 100 000
-- customers)
--
-- Owns: private.segment_condition_sql, restated whole from 20261207172300 (same fields,
-- operators, refusals and answers); a new helper private.segment_customers_sql; and the four
-- functions that run a compiled rule, each restated whole with its grants and comment:
-- public.preview_segment (from 20261210130200), public.segment_member_ids (from 20261207170000),
-- private.refresh_segment (from 20261210130300) and private.flow_matches (from 20261208110200).
--
-- rfm_group and churn_risk compiled to `(select s.churn_risk from public.customer_scores s where
-- s.customer_id = c.id)`: one index probe per customer row the rule reached, 2–3.5 s of every
-- refresh of a churn-risk segment at --scale 1. They now compile to `c_scores.churn_risk`, a
-- column of `public.customer_scores c_scores` LEFT JOINed on its primary key, which Postgres
-- hashes once. The value is the same for every customer: customer_scores has at most one row per
-- customer (primary key), so the left join neither drops nor repeats a customer, and a customer
-- without a (visible) row reads null exactly as the empty subquery did — so `neq`, `not_in`,
-- `is_not_set` and NOT / OR around them answer as before. Under RLS the join reads
-- customer_scores through the same policy the subquery did.
--
-- private.refresh_segment also plans its two anti-joins without nested loops (stale statistics
-- right after segments are created in a row made one run for minutes).
--
-- The compiled condition therefore needs `c_scores` in scope: callers take the whole
-- `from … where …` from private.segment_customers_sql(rules), which adds the join only when the
-- condition names c_scores (a quoted value that happens to contain the text only adds a harmless
-- join).

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
      -- rfm_group and churn_risk: columns of customer_scores c_scores, left joined on its primary
      -- key by private.segment_customers_sql (null when the customer has no visible scores row).
      expression := case field
        when 'country' then 'c.country' when 'region' then 'c.region' when 'language' then 'c.language'
        when 'currency' then 'c.currency' when 'status' then 'c.status::text'
        when 'lifecycle_stage' then 'c.lifecycle_stage' when 'source' then 'c.source'
        when 'owner' then 'c.owner_id::text'
        when 'rfm_group' then 'c_scores.rfm_group'
        when 'churn_risk' then 'c_scores.churn_risk'
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
      return format('(c.order_count > 0 and c.lifetime_value >= (select private.lifetime_value_at_top_percent(%L::numeric)))', value::numeric);
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
      return format('(%s >= (select date_trunc(''month'', now() at time zone private.caller_time_zone()) at time zone private.caller_time_zone()))', expression);
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
        when 'before' then format('(%s < (select private.day_start(%L::date)))', expression, low)
        else format('(%s >= (select private.day_start(%L::date)))', expression, low)
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
      return format('(%s >= (select private.day_start(%L::date)) and %s < (select private.day_start(%L::date + 1)))', expression, low, expression, high);
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
comment on function private.segment_condition_sql(jsonb, text) is 'One segment condition as a SQL boolean over customers c (and, for rfm_group and churn_risk, customer_scores c_scores left joined by private.segment_customers_sql), from the whitelist of fields and operators; values are quoted by the compiler (format %L), never pasted. Refuses anything else with 22023 naming the condition.';
revoke execute on function private.segment_condition_sql(jsonb, text) from public, anon;
grant execute on function private.segment_condition_sql(jsonb, text) to authenticated, service_role;

create function private.segment_customers_sql(rules jsonb) returns text
language plpgsql stable set search_path = '' as $$
declare
  condition text := private.segment_rules_sql(rules);
begin
  return 'public.customers c'
    || case when position('c_scores.' in condition) > 0
         then ' left join public.customer_scores c_scores on c_scores.customer_id = c.id' else '' end
    || ' where ' || condition;
end;
$$;
comment on function private.segment_customers_sql(jsonb) is 'The customers matching segment rules as SQL text `public.customers c [left join public.customer_scores c_scores …] where <compiled rules>`, to follow `select … from`: the compiled condition names c_scores for rfm_group and churn_risk (one hashed join instead of a subquery per customer). Refuses what private.segment_rules_sql refuses.';
revoke execute on function private.segment_customers_sql(jsonb) from public, anon;
grant execute on function private.segment_customers_sql(jsonb) to authenticated, service_role;

create or replace function public.preview_segment(rules jsonb, sample_size integer default 10)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  matching_sql text;
  matched bigint;
  sample jsonb;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members use segments' using errcode = '42501';
  end if;
  if sample_size is null or sample_size not between 0 and 50 then
    raise exception 'sample_size must be between 0 and 50' using errcode = '22023';
  end if;
  matching_sql := private.segment_customers_sql(rules);
  -- One pass over the rule: the matching customers (id and lifetime value) are found once, then
  -- counted and their sample taken from that set (the rule's subqueries — consent, favourites —
  -- ran twice per customer when the count and the sample each evaluated it).
  execute format($sql$
    with matching as materialized (select c.id, c.lifetime_value from %s)
    select (select count(*) from matching),
      (select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'full_name', s.full_name, 'email', s.email,
        'country', s.country, 'lifetime_value', s.lifetime_value, 'order_count', s.order_count,
        'last_order_at', s.last_order_at) order by s.lifetime_value desc, s.id), '[]')
       from (
         select c.* from public.customers c
         where c.id in (select m.id from matching m order by m.lifetime_value desc, m.id limit %s)
       ) s)
  $sql$, matching_sql, sample_size) into matched, sample;
  return jsonb_build_object('count', matched, 'sample', sample);
end;
$$;
comment on function public.preview_segment(jsonb, integer) is 'The live count and a sample (highest lifetime value first, at most 50) of the customers matching rules, as the caller may see them (an agent: their own customers). Rules the compiler refuses get 22023 naming the condition.';
revoke execute on function public.preview_segment(jsonb, integer) from public, anon;
grant execute on function public.preview_segment(jsonb, integer) to authenticated, service_role;

create or replace function public.segment_member_ids(segment_id uuid) returns setof uuid
language plpgsql stable security invoker set search_path = '' as $$
declare
  found_rules jsonb;
begin
  if not (select private.is_team_member()) and (select auth.role()) is distinct from 'service_role' then
    raise exception 'only team members use segments' using errcode = '42501';
  end if;
  select s.rules into found_rules from public.segments s where s.id = segment_id;
  if not found then
    raise exception 'no such segment' using errcode = 'P0002';
  end if;
  return query execute format('select c.id from %s', private.segment_customers_sql(found_rules));
end;
$$;
comment on function public.segment_member_ids(uuid) is 'The ids of a segment''s members as the caller may see them (RLS on customers and every table the rule reads): the members an agent owns, everyone for admins and managers. For campaigns, bulk actions and exports. P0002 when the caller may not read the segment.';
revoke execute on function public.segment_member_ids(uuid) from public, anon;
grant execute on function public.segment_member_ids(uuid) to authenticated, service_role;

create or replace function private.refresh_segment(segment_id uuid) returns table (joined integer, "left" integer)
language plpgsql volatile security definer set search_path = '' as $$
declare
  found_rules jsonb;
  now_ timestamptz := clock_timestamp();
  previous_nestloop text;
begin
  select s.rules into found_rules from public.segments s where s.id = refresh_segment.segment_id for update;
  if not found then
    return;
  end if;
  -- No index on the current members: both anti-joins below hash them, and an index cost a second
  -- per 100 000 members to fill (the rule yields each customer once).
  create temporary table if not exists segment_refresh_current (customer_id uuid not null) on commit drop;
  truncate pg_temp.segment_refresh_current;
  execute format('insert into pg_temp.segment_refresh_current select c.id from %s',
    private.segment_customers_sql(found_rules));
  analyze pg_temp.segment_refresh_current;

  -- The two anti-joins below must hash. Right after a large write (segments created in a row) the
  -- statistics of segment_memberships do not know this segment's rows yet, and the planner chose
  -- a nested loop over 80 000 × 80 000 members that ran for minutes (--scale 1 bench); a fresh
  -- session took 0.2–0.5 s per segment. Planned without nested loops for these two statements only.
  previous_nestloop := current_setting('enable_nestloop');
  perform set_config('enable_nestloop', 'off', true);

  with gone as (
    delete from public.segment_memberships m
    where m.segment_id = refresh_segment.segment_id
      and not exists (select 1 from pg_temp.segment_refresh_current cur where cur.customer_id = m.customer_id)
    returning m.customer_id
  ), logged as (
    insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at)
    select refresh_segment.segment_id, g.customer_id, 'left', now_ from gone g
    returning 1
  )
  select count(*)::integer into "left" from logged;

  with came as (
    insert into public.segment_memberships (segment_id, customer_id, joined_at)
    select refresh_segment.segment_id, cur.customer_id, now_ from pg_temp.segment_refresh_current cur
    where not exists (
      select 1 from public.segment_memberships m
      where m.segment_id = refresh_segment.segment_id and m.customer_id = cur.customer_id
    )
    on conflict do nothing
    returning customer_id
  ), logged as (
    insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at)
    select refresh_segment.segment_id, c.customer_id, 'joined', now_ from came c
    returning 1
  )
  select count(*)::integer into joined from logged;
  perform set_config('enable_nestloop', previous_nestloop, true);

  update public.segments s set refreshed_at = now_ where s.id = refresh_segment.segment_id;
  return next;
end;
$$;
comment on function private.refresh_segment(uuid) is 'Recomputes one segment''s members over every customer (as the system), recording each join and leave in segment_membership_events, and stamps segments.refreshed_at. Locks the segment row, so two refreshes of one segment never interleave. Inserts only the newcomers (found by an anti-join), not every current member.';
revoke execute on function private.refresh_segment(uuid) from public, anon, authenticated;
grant execute on function private.refresh_segment(uuid) to service_role;

create or replace function private.flow_matches(customer uuid, rules jsonb) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  matched boolean;
begin
  execute format('select exists (select 1 from %s and c.id = $1)', private.segment_customers_sql(rules))
    into matched using customer;
  return matched;
end;
$$;
comment on function private.flow_matches(uuid, jsonb) is 'Whether a customer matches segment rules, compiled by the segment compiler (private.segment_rules_sql), over every customer (the system''s view).';
revoke execute on function private.flow_matches(uuid, jsonb) from public, anon, authenticated;
