-- Segments: saved "who" rules over customers, compiled to SQL by the database (issue 13)
--
-- Owns: `segments` (a member's named rule, private or shared with the team like saved views),
-- the rule compiler (`private.segment_rules_sql` and its helpers: a whitelist of fields and of
-- operators per field type; values are always quoted by the compiler, so no SQL text ever comes
-- from the client), and the API over it:
--   preview_segment(rules, sample_size)   the live count and a sample while a rule is edited;
--   segment_member_ids(segment_id)         a segment's members under the caller's row-level security
--                                          (for campaigns, bulk actions and exports);
--   segment_customer_list(segment_id, q)   the customers list filtered by a segment.
--
-- Everything runs as the caller (security invoker): the compiled condition is evaluated over
-- public.customers and the tables it reads with their policies, so an agent counts and sees only
-- the customers they own. One number is the shop's: the LTV threshold of `top_percent`, so
-- "VIP (top 10 %)" means the shop's top 10 % for every reader (an agent sees those of them they
-- own), computed by a security definer helper that returns that one figure.
--
-- Who may do what with segments:
--   admin, manager, agent  create segments (theirs), change, share and delete their own;
--   every team member      reads their own and the shared ones (readonly reads, never writes);
--   shopper, stranger, anon nothing.
-- As with saved views, nobody changes someone else's segment, not even an admin.

-- ─── The caller's zone and the shop's LTV threshold ─────────────────────────────────────────

create function private.caller_time_zone() returns text
language sql stable security definer set search_path = '' as $$
  select coalesce((select m.timezone from public.team_members m where m.user_id = (select auth.uid())), 'UTC')
$$;
comment on function private.caller_time_zone() is 'The calling team member''s time zone (team_members.timezone), UTC for anyone else. Segment date rules ("this month", "on or before a day") are read in it.';
revoke execute on function private.caller_time_zone() from public, anon;
grant execute on function private.caller_time_zone() to authenticated, service_role;

create function private.day_start(day date) returns timestamptz
language sql stable set search_path = '' as $$
  select (day::timestamp) at time zone private.caller_time_zone()
$$;
comment on function private.day_start(date) is 'The instant a calendar day starts in the caller''s time zone.';
revoke execute on function private.day_start(date) from public, anon;
grant execute on function private.day_start(date) to authenticated, service_role;

create function private.lifetime_value_at_top_percent(percent numeric) returns numeric
language sql stable security definer set search_path = '' as $$
  select case when (select private.is_team_member()) or (select auth.role()) = 'service_role' then (
    select percentile_disc(1 - percent / 100) within group (order by c.lifetime_value)
    from public.customers c
    where c.order_count > 0
  ) end
$$;
comment on function private.lifetime_value_at_top_percent(numeric) is 'The lowest lifetime value among the shop''s top percent of buyers (customers with an order). Shop-wide on purpose, so a VIP rule means the same customers for every reader; team members and the service role only (null for anyone else).';
revoke execute on function private.lifetime_value_at_top_percent(numeric) from public, anon;
grant execute on function private.lifetime_value_at_top_percent(numeric) to authenticated, service_role;

-- ─── The compiler ────────────────────────────────────────────────────────────────────────────
-- A rule is a group: {"match": "all" | "any", "conditions": [condition or group, …]}; a
-- condition is {"field": …, "op": …, "value": …} (plus "days" for behaviour in a period, "key"
-- for a custom field). Every field has a type, every type a fixed set of operators, every
-- operator a value shape. Anything else is refused with 22023, the message naming the condition
-- by its position (1-based, "2.1" = first condition of the second item) and the detail carrying
-- the same position 0-based ("1.0") for the rule builder.

create function private.segment_refuse(path text, message text) returns void
language plpgsql immutable set search_path = '' as $$
declare
  shown text := (select string_agg((p::integer + 1)::text, '.' order by n) from unnest(string_to_array(path, '.')) with ordinality as t (p, n));
begin
  if path = '' then
    raise exception 'segment rule: %', message using errcode = '22023', detail = '';
  end if;
  raise exception 'condition %: %', shown, message using errcode = '22023', detail = path;
end;
$$;
comment on function private.segment_refuse(text, text) is 'Raises the compiler''s 22023 error for the condition at path (0-based, dot-separated; shown 1-based in the message, kept 0-based in the detail).';
revoke execute on function private.segment_refuse(text, text) from public, anon;
grant execute on function private.segment_refuse(text, text) to authenticated, service_role;

create function private.segment_field_type(field text) returns text
language sql immutable set search_path = '' as $$
  select case field
    when 'country' then 'text' when 'region' then 'text' when 'language' then 'text'
    when 'currency' then 'text' when 'status' then 'text' when 'lifecycle_stage' then 'text'
    when 'source' then 'text' when 'owner' then 'owner' when 'custom_field' then 'custom'
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
comment on function private.segment_field_type(text) is 'The whitelist of segment fields and their types (text, owner, custom, list, number, date, purchase, boolean, event); null for anything else.';
revoke execute on function private.segment_field_type(text) from public, anon;
grant execute on function private.segment_field_type(text) to authenticated, service_role;

create function private.segment_condition_sql(condition jsonb, path text) returns text
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

create function private.segment_group_sql(grp jsonb, path text, depth integer) returns text
language plpgsql stable set search_path = '' as $$
declare
  parts text[] := '{}';
  item jsonb;
  position integer := 0;
  item_path text;
begin
  if jsonb_typeof(grp) is distinct from 'object' then
    perform private.segment_refuse(path, 'a group must be an object {match, conditions}');
  end if;
  if exists (select 1 from jsonb_object_keys(grp) k where k not in ('match', 'conditions')) then
    perform private.segment_refuse(path, 'a group has only match and conditions');
  end if;
  if grp ->> 'match' is null or grp ->> 'match' not in ('all', 'any') or jsonb_typeof(grp -> 'match') <> 'string' then
    perform private.segment_refuse(path, 'match must be "all" (AND) or "any" (OR)');
  end if;
  if jsonb_typeof(grp -> 'conditions') is distinct from 'array' then
    perform private.segment_refuse(path, 'conditions must be a list');
  end if;
  if depth > 3 then
    perform private.segment_refuse(path, 'groups nest at most 3 deep');
  end if;
  for item in select e from jsonb_array_elements(grp -> 'conditions') e loop
    item_path := case when path = '' then position::text else path || '.' || position end;
    if jsonb_typeof(item) is distinct from 'object' then
      perform private.segment_refuse(item_path, 'a condition must be an object');
    end if;
    if item ? 'conditions' or item ? 'match' then
      parts := parts || private.segment_group_sql(item, item_path, depth + 1);
    else
      parts := parts || private.segment_condition_sql(item, item_path);
    end if;
    position := position + 1;
  end loop;
  -- An empty group matches everyone (all) or no one (any), as in logic.
  if cardinality(parts) = 0 then
    return case grp ->> 'match' when 'all' then 'true' else 'false' end;
  end if;
  return '(' || array_to_string(parts, case grp ->> 'match' when 'all' then ' and ' else ' or ' end) || ')';
end;
$$;
comment on function private.segment_group_sql(jsonb, text, integer) is 'A segment group (match all / any over conditions and nested groups) as SQL; see private.segment_rules_sql.';
revoke execute on function private.segment_group_sql(jsonb, text, integer) from public, anon;
grant execute on function private.segment_group_sql(jsonb, text, integer) to authenticated, service_role;

create function private.segment_rules_sql(rules jsonb) returns text
language plpgsql stable set search_path = '' as $$
declare
  conditions integer;
begin
  if rules is null or jsonb_typeof(rules) <> 'object' then
    perform private.segment_refuse('', 'rules must be a JSON object {match, conditions}');
  end if;
  if pg_column_size(rules) > 32768 then
    perform private.segment_refuse('', 'rules are limited to 32 kB');
  end if;
  select count(*) into conditions from jsonb_path_query(rules, 'strict $.**.field') f;
  if conditions > 30 then
    perform private.segment_refuse('', format('a segment has at most 30 conditions (this one has %s)', conditions));
  end if;
  return private.segment_group_sql(rules, '', 1);
end;
$$;
comment on function private.segment_rules_sql(jsonb) is 'Compiles segment rules (JSON) to a SQL condition over public.customers c. The only source of SQL text is this compiler: fields and operators come from its whitelist, values are quoted. At most 30 conditions, 3 levels of groups, 32 kB.';
revoke execute on function private.segment_rules_sql(jsonb) from public, anon;
grant execute on function private.segment_rules_sql(jsonb) to authenticated, service_role;

-- ─── Segments ────────────────────────────────────────────────────────────────────────────────

create table public.segments (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.team_members (user_id) on delete cascade,
  name text not null,
  description text not null default '',
  rules jsonb not null default '{"match": "all", "conditions": []}',
  shared boolean not null default false,
  -- The shipped preset it started from (null: built from scratch); the app shows its origin.
  preset text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint segments_name_is_trimmed_and_short check (name = btrim(name) and length(name) between 1 and 80),
  constraint segments_name_has_no_control_characters check (name !~ '[\u0001-\u001f\u007f-\u009f]'),
  constraint segments_description_is_short check (length(description) <= 500),
  constraint segments_preset_is_a_key check (preset ~ '^[a-z][a-z0-9_]{0,39}$')
);
comment on table public.segments is 'A named rule over customers (who to talk to), private to its owner or shared with the team. The rules are JSON compiled to SQL by private.segment_rules_sql; a write with rules the compiler refuses is refused.';
comment on column public.segments.rules is '{"match": "all"|"any", "conditions": [{"field", "op", "value", "days"?, "key"?} | group]}: see docs/database.md, Segments.';
comment on column public.segments.shared is 'true: every team member reads it and may use it; only the owner changes or deletes it.';

create unique index segments_owner_name_key on public.segments (owner_id, lower(name));
create index segments_shared_idx on public.segments (name) where shared;

create function private.check_segment_rules() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform private.segment_rules_sql(new.rules);
  return new;
end;
$$;
comment on function private.check_segment_rules() is 'Refuses a segment whose rules do not compile (22023, naming the condition).';

create trigger check_segment_rules before insert or update of rules on public.segments
  for each row execute function private.check_segment_rules();
create trigger touch_updated_at before update on public.segments
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.segments
  for each row execute function private.record_audit();

alter table public.segments enable row level security;
create policy "members read their own segments" on public.segments for select to authenticated
  using (owner_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members read the segments shared with the team" on public.segments for select to authenticated
  using (shared and (select private.is_team_member()));
create policy "members who work with customers create their own segments" on public.segments for insert to authenticated
  with check (owner_id = (select auth.uid()) and ((select private.edits_all_customers()) or (select private.is_agent())));
create policy "members change their own segments" on public.segments for update to authenticated
  using (owner_id = (select auth.uid()) and ((select private.edits_all_customers()) or (select private.is_agent())))
  with check (owner_id = (select auth.uid()) and ((select private.edits_all_customers()) or (select private.is_agent())));
create policy "members delete their own segments" on public.segments for delete to authenticated
  using (owner_id = (select auth.uid()) and ((select private.edits_all_customers()) or (select private.is_agent())));

revoke all on public.segments from anon;
revoke insert, update, truncate on public.segments from authenticated;
-- The owner comes from the session and a segment never changes hands.
grant insert (name, description, rules, shared, preset), update (name, description, rules, shared) on public.segments to authenticated;

-- ─── Live count, members, the list ───────────────────────────────────────────────────────────

create function public.preview_segment(rules jsonb, sample_size integer default 10)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  condition text;
  matched bigint;
  sample jsonb;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members use segments' using errcode = '42501';
  end if;
  if sample_size is null or sample_size not between 0 and 50 then
    raise exception 'sample_size must be between 0 and 50' using errcode = '22023';
  end if;
  condition := private.segment_rules_sql(rules);
  execute format('select count(*) from public.customers c where %s', condition) into matched;
  execute format($sql$
    select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'full_name', s.full_name, 'email', s.email,
      'country', s.country, 'lifetime_value', s.lifetime_value, 'order_count', s.order_count,
      'last_order_at', s.last_order_at) order by s.lifetime_value desc, s.id), '[]')
    from (select c.* from public.customers c where %s order by c.lifetime_value desc, c.id limit %s) s
  $sql$, condition, sample_size) into sample;
  return jsonb_build_object('count', matched, 'sample', sample);
end;
$$;
comment on function public.preview_segment(jsonb, integer) is 'The live count and a sample (highest lifetime value first, at most 50) of the customers matching rules, as the caller may see them (an agent: their own customers). Rules the compiler refuses get 22023 naming the condition.';
revoke execute on function public.preview_segment(jsonb, integer) from public, anon;
grant execute on function public.preview_segment(jsonb, integer) to authenticated, service_role;

create function public.segment_member_ids(segment_id uuid) returns setof uuid
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
  return query execute format('select c.id from public.customers c where %s', private.segment_rules_sql(found_rules));
end;
$$;
comment on function public.segment_member_ids(uuid) is 'The ids of a segment''s members as the caller may see them (RLS on customers and every table the rule reads): the members an agent owns, everyone for admins and managers. For campaigns, bulk actions and exports. P0002 when the caller may not read the segment.';
revoke execute on function public.segment_member_ids(uuid) from public, anon;
grant execute on function public.segment_member_ids(uuid) to authenticated, service_role;

create function public.segment_customer_list(segment_id uuid, query text default null)
returns setof public.customer_list
language sql stable security invoker as $$
  select l.*
  from public.customer_list l
  where l.id in (select public.segment_member_ids(segment_id))
    and (query is null or btrim(query) = '' or l.id = any (private.customer_search_ids(query)))
$$;
comment on function public.segment_customer_list(uuid, text) is 'The customer_list rows of a segment''s members (optionally matching a search, as search_customer_list), for the customers list: filter, order, page and count it like customer_list.';
revoke execute on function public.segment_customer_list(uuid, text) from public, anon;
grant execute on function public.segment_customer_list(uuid, text) to authenticated, service_role;
