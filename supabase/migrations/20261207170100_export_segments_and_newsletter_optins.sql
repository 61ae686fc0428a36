-- Segment exports and seed 000's newsletter opt-ins export, through the logged export (issue 13)
--
-- Owns: the `segment` filter of public.export_customers_csv (restated whole from 20261207122000:
-- same signature, answers and log, plus `segment`: the segment's members as the caller may see
-- them, logged with kind segment_csv), and public.export_newsletter_optins_csv(style), the
-- back-office list of everyone subscribed to the newsletter (email, sign-up date, style
-- interests), filterable by style, logged with kind newsletter_optins_csv. Both read as the caller
-- (security invoker) and log through private.log_export in the same transaction, so there is
-- still no unlogged way to take customers in bulk.

create or replace function public.export_customers_csv(
  filters jsonb default '{}',
  selected uuid[] default null,
  labels jsonb default '{}'
)
returns table (csv text, row_count integer, capped boolean)
language plpgsql security invoker set search_path = '' as $$
#variable_conflict use_variable
declare
  max_rows constant integer := 50000;
  columns constant text[] := array['id', 'name', 'email', 'phone', 'company', 'country', 'city', 'status', 'stage',
    'owner', 'tags', 'lifetimeValue', 'currency', 'orders', 'lastOrderAt', 'createdAt'];
  known constant text[] := array['q', 'status', 'stage', 'country', 'tag', 'owner', 'consent', 'segment', 'sort', 'dir'];
  given jsonb := coalesce(filters, '{}');
  names jsonb := coalesce(labels, '{}');
  search text;
  sort text;
  dir text;
  order_by text;
  owner_id uuid;
  owner_none boolean;
  tag_id uuid;
  segment_id uuid;
  members uuid[];
  currency_code text;
  header text;
  body text;
  counted integer;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members export customers' using errcode = '42501';
  end if;
  if jsonb_typeof(given) <> 'object' or jsonb_typeof(names) <> 'object' then
    raise exception 'filters and labels must be JSON objects' using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_object_keys(given) as k (key) where k.key <> all (known)) then
    raise exception 'unknown filter in %', given using errcode = '22023',
      hint = 'Filter by q, status, stage, country, tag, owner, consent, segment; order by sort and dir.';
  end if;
  if selected is not null and cardinality(selected) > max_rows then
    raise exception 'select at most % customers to export', max_rows using errcode = '22023';
  end if;

  search := btrim(coalesce(given ->> 'q', ''));
  sort := coalesce(given ->> 'sort', 'ltv');
  dir := coalesce(given ->> 'dir', case when sort = 'name' then 'asc' else 'desc' end);
  -- The list's orders (frontend utils/keyset.ts): each sort's index order or exactly its reverse,
  -- id breaking ties, so the file lists the rows as the screen does.
  order_by := case sort || ' ' || dir
    when 'name asc' then 'l.full_name asc nulls last, l.id asc'
    when 'name desc' then 'l.full_name desc nulls first, l.id desc'
    when 'ltv desc' then 'l.lifetime_value desc nulls first, l.id asc'
    when 'ltv asc' then 'l.lifetime_value asc nulls last, l.id desc'
    when 'orders desc' then 'l.order_count desc nulls first, l.id asc'
    when 'orders asc' then 'l.order_count asc nulls last, l.id desc'
    when 'last_order desc' then 'l.last_order_at desc nulls last, l.id asc'
    when 'last_order asc' then 'l.last_order_at asc nulls first, l.id desc'
    when 'created desc' then 'l.created_at desc nulls first, l.id asc'
    when 'created asc' then 'l.created_at asc nulls last, l.id desc'
  end;
  if order_by is null then
    raise exception 'unknown sort "%" "%"', sort, dir using errcode = '22023',
      hint = 'Sort by name, ltv, orders, last_order or created, asc or desc.';
  end if;
  owner_none := given ->> 'owner' = 'none';
  begin
    owner_id := case when owner_none then null else (given ->> 'owner')::uuid end;
    tag_id := (given ->> 'tag')::uuid;
    segment_id := (given ->> 'segment')::uuid;
  exception when invalid_text_representation then
    raise exception 'owner must be a team member''s id or "none", tag a tag''s id, segment a segment''s id' using errcode = '22023';
  end;
  -- A segment's members as the caller may see them (P0002 when they may not read the segment).
  if segment_id is not null then
    members := array(select public.segment_member_ids(segment_id));
  end if;
  if given ->> 'consent' not in ('granted', 'not_granted') then
    raise exception 'consent must be granted or not_granted' using errcode = '22023';
  end if;

  select s.base_currency into currency_code from public.workspace_settings s;
  header := (
    select string_agg(private.csv_cell(coalesce(names -> 'headers' ->> c.name, c.name)), ',' order by c.position)
    from unnest(columns) with ordinality as c (name, position)
  );

  -- The rows as the caller sees them: customer_list (or the list search) under their row-level
  -- security, filtered like the list. Values are data (ISO dates, plain numbers), as in the API.
  execute format($sql$
    with picked as (
      select l.*, row_number() over (order by %2$s) as n
      from %1$s as l
      where ($1::uuid[] is null or l.id = any ($1))
        and ($2::text is null or l.status::text = $2)
        and ($3::text is null or l.lifecycle_stage = $3)
        and ($4::text is null or l.country = $4)
        and (not $5 or l.owner_id is null)
        and ($6::uuid is null or l.owner_id = $6)
        and ($7::uuid is null or exists (
          select 1 from public.customer_tags ct where ct.customer_id = l.id and ct.tag_id = $7))
        and ($13::uuid[] is null or l.id = any ($13))
        and ($8::text is null or ($8 = 'granted') = exists (
          select 1 from public.customer_consents cc
          where cc.customer_id = l.id and cc.channel = 'email' and cc.purpose = 'marketing' and cc.status = 'granted'))
      order by %2$s
      limit $9 + 1
    )
    select
      string_agg(concat_ws(',',
        private.csv_cell(l.id::text),
        private.csv_cell(l.full_name),
        private.csv_cell(l.email),
        private.csv_cell(l.phone, true),
        private.csv_cell(l.company),
        private.csv_cell(l.country),
        private.csv_cell(l.city),
        private.csv_cell(coalesce($10 -> 'status' ->> l.status::text, l.status::text)),
        private.csv_cell(coalesce($10 -> 'stages' ->> l.lifecycle_stage, l.lifecycle_stage)),
        private.csv_cell(l.owner_name),
        private.csv_cell(array_to_string(l.tag_names, '; ')),
        private.csv_cell(l.lifetime_value::text),
        private.csv_cell($11),
        private.csv_cell(l.order_count::text),
        private.csv_cell(to_jsonb(l.last_order_at) #>> '{}'),
        private.csv_cell(to_jsonb(l.created_at) #>> '{}')
      ), e'\r\n' order by l.n) filter (where l.n <= $9),
      count(*)::integer
    from picked l
  $sql$,
    case when length(search) >= 2 then 'public.search_customer_list($12)' else 'public.customer_list' end,
    order_by)
  into body, counted
  using selected, given ->> 'status', given ->> 'stage', given ->> 'country', coalesce(owner_none, false), owner_id,
    tag_id, given ->> 'consent', max_rows, names, currency_code, search, members;

  row_count := least(counted, max_rows);
  capped := counted > max_rows;
  csv := header || e'\r\n' || coalesce(body || e'\r\n', '');
  perform private.log_export(case when segment_id is null then 'customers_csv' else 'segment_csv' end,
    given || case when selected is null then '{}' else jsonb_build_object('selected', cardinality(selected)) end,
    row_count);
  return next;
end;
$$;
comment on function public.export_customers_csv(jsonb, uuid[], jsonb) is 'The customers list as a CSV file, logged in export_log in the same transaction (who, which filters, how many rows). Rows are those the caller may see (security invoker), filtered like the list: filters {q, status, stage, country, tag, owner (id or "none"), consent (granted/not_granted), segment (a segment''s id: its members, kind segment_csv in the log), sort (name/ltv/orders/last_order/created), dir}; `selected` exports only those customers. labels {headers: {column: text}, status: {value: text}, stages: {key: text}} name the columns and values in the caller''s language. At most 50 000 rows (capped tells). Every cell that a spreadsheet would run as a formula is escaped (private.csv_cell).';
revoke execute on function public.export_customers_csv(jsonb, uuid[], jsonb) from public, anon;
grant execute on function public.export_customers_csv(jsonb, uuid[], jsonb) to authenticated;


-- ─── Newsletter opt-ins (seed 000's back-office export) ─────────────────────────────────────

create function public.export_newsletter_optins_csv(style text default null, labels jsonb default '{}')
returns table (csv text, row_count integer, capped boolean)
language plpgsql security invoker set search_path = '' as $$
#variable_conflict use_variable
declare
  max_rows constant integer := 50000;
  columns constant text[] := array['email', 'name', 'signedUpAt', 'subscribedAt', 'styleInterests', 'country', 'language'];
  names jsonb := coalesce(labels, '{}');
  wanted text := nullif(btrim(style), '');
  header text;
  body text;
  counted integer;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members export customers' using errcode = '42501';
  end if;
  if jsonb_typeof(names) <> 'object' then
    raise exception 'labels must be a JSON object' using errcode = '22023';
  end if;
  if length(wanted) > 100 then
    raise exception 'a style is at most 100 characters' using errcode = '22023';
  end if;
  header := (
    select string_agg(private.csv_cell(coalesce(names -> 'headers' ->> c.name, c.name)), ',' order by c.position)
    from unnest(columns) with ordinality as c (name, position)
  );
  -- Everyone whose latest newsletter choice by email is a grant (the ledger's rule, read as the
  -- caller), with an address to write to; the oldest subscribers first.
  with subscribed as (
    select cc.customer_id, cc.since
    from public.customer_consents cc
    where cc.channel = 'email' and cc.purpose = 'newsletter' and cc.granted
  ),
  picked as (
    select c.email, c.full_name, c.created_at, s.since, c.style_interests, c.country, c.language,
      row_number() over (order by s.since, c.id) as n
    from subscribed s
    join public.customers c on c.id = s.customer_id
    where c.email is not null
      and (wanted is null or lower(wanted) = any (array(select lower(i) from unnest(c.style_interests) i)))
    order by s.since, c.id
    limit max_rows + 1
  )
  select
    string_agg(concat_ws(',',
      private.csv_cell(p.email),
      private.csv_cell(p.full_name),
      private.csv_cell(to_jsonb(p.created_at) #>> '{}'),
      private.csv_cell(to_jsonb(p.since) #>> '{}'),
      private.csv_cell(array_to_string(p.style_interests, '; ')),
      private.csv_cell(p.country),
      private.csv_cell(p.language)
    ), e'\r\n' order by p.n) filter (where p.n <= max_rows),
    count(*)::integer
  into body, counted
  from picked p;

  row_count := least(counted, max_rows);
  capped := counted > max_rows;
  csv := header || e'\r\n' || coalesce(body || e'\r\n', '');
  perform private.log_export('newsletter_optins_csv',
    case when wanted is null then '{}'::jsonb else jsonb_build_object('style', wanted) end, row_count);
  return next;
end;
$$;
comment on function public.export_newsletter_optins_csv(text, jsonb) is 'Everyone subscribed to the newsletter by email (latest consent is a grant) with an address: email, name, sign-up date, subscription date, style interests, country, language — optionally only those interested in one style (ignoring case). Read as the caller (an agent: their customers), logged in export_log (kind newsletter_optins_csv) in the same transaction; at most 50 000 rows, cells formula-escaped.';
revoke execute on function public.export_newsletter_optins_csv(text, jsonb) from public, anon;
grant execute on function public.export_newsletter_optins_csv(text, jsonb) to authenticated;
