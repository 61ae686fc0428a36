-- Customer exports are made and logged by the database, in one place (security review L-15, M-4).
--
-- The browser used to read customer_list page by page, build the CSV itself and then insert its
-- own export_log row: the log said whatever the client sent (row count, kind, filters), an
-- export could skip it, and the client's formula escaping let `-1+…` and `+1-…` through.
-- public.export_customers_csv() now reads the rows as the caller (their row-level security
-- applies, it is security invoker), builds the file with every cell escaped by
-- private.csv_cell(), and writes export_log through private.log_export() in the same
-- transaction, with the true row count. Nobody writes export_log directly any more, the service
-- role included: the insert policy and grants are gone.
--
-- A plain REST read of the list is bounded by the API's max_rows (supabase/config.toml), so
-- taking the list in bulk means this logged export.
--
-- This migration owns private.csv_cell, private.log_export and public.export_customers_csv, and
-- takes the insert path of export_log (20261121050109) away.

-- ─── The log: written only by the export ─────────────────────────────────────────────────────

drop policy "team members log their own exports" on public.export_log;
revoke insert on public.export_log from anon, authenticated, service_role;

create function private.log_export(kind text, filters jsonb, row_count integer) returns bigint
language sql security definer set search_path = '' as $$
  insert into public.export_log (actor_id, kind, filters, row_count)
  values ((select auth.uid()), log_export.kind, log_export.filters, log_export.row_count)
  returning id;
$$;
comment on function private.log_export(text, jsonb, integer) is 'Writes one export_log row for the calling team member. Only the export functions call it (private is not exposed through the API); export_log has no insert grant for any API role.';
revoke execute on function private.log_export(text, jsonb, integer) from public, anon;
grant execute on function private.log_export(text, jsonb, integer) to authenticated;

-- ─── One CSV cell ────────────────────────────────────────────────────────────────────────────

-- A spreadsheet runs a cell that starts with = + - @ TAB or CR (after white space) as a
-- formula; a leading apostrophe makes it text. The phone column keeps E.164 numbers as they are
-- (the database allows nothing else there), so they stay readable. One SQL expression, so
-- Postgres can inline it into the export's query: it runs for every cell.
create function private.csv_cell(value text, phone boolean default false) returns text
language sql immutable as $$
  select case
    when value ~ '^\s*[=+\-@\t\r]' and not (phone and value ~ '^\+[1-9][0-9]{6,14}$')
      then '"''' || replace(value, '"', '""') || '"'
    when value ~ '[",\r\n]|^\s|\s$'
      then '"' || replace(value, '"', '""') || '"'
    else coalesce(value, '')
  end
$$;
comment on function private.csv_cell(text, boolean) is 'One CSV field (RFC 4180 quoting; null is empty). A value that starts, after white space, with = + - @ TAB or CR gets a leading apostrophe so no spreadsheet runs it as a formula; with phone = true an E.164 number (^\+[1-9]\d{6,14}$) is left as it is.';
revoke execute on function private.csv_cell(text, boolean) from public, anon;
grant execute on function private.csv_cell(text, boolean) to authenticated, service_role;

-- ─── The customers export ────────────────────────────────────────────────────────────────────

create function public.export_customers_csv(
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
  known constant text[] := array['q', 'status', 'stage', 'country', 'tag', 'owner', 'consent', 'sort', 'dir'];
  given jsonb := coalesce(filters, '{}');
  names jsonb := coalesce(labels, '{}');
  search text;
  sort text;
  dir text;
  order_by text;
  owner_id uuid;
  owner_none boolean;
  tag_id uuid;
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
      hint = 'Filter by q, status, stage, country, tag, owner, consent; order by sort and dir.';
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
  exception when invalid_text_representation then
    raise exception 'owner must be a team member''s id or "none", tag a tag''s id' using errcode = '22023';
  end;
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
    tag_id, given ->> 'consent', max_rows, names, currency_code, search;

  row_count := least(counted, max_rows);
  capped := counted > max_rows;
  csv := header || e'\r\n' || coalesce(body || e'\r\n', '');
  perform private.log_export('customers_csv',
    given || case when selected is null then '{}' else jsonb_build_object('selected', cardinality(selected)) end,
    row_count);
  return next;
end;
$$;
comment on function public.export_customers_csv(jsonb, uuid[], jsonb) is 'The customers list as a CSV file, logged in export_log in the same transaction (who, which filters, how many rows). Rows are those the caller may see (security invoker), filtered like the list: filters {q, status, stage, country, tag, owner (id or "none"), consent (granted/not_granted), sort (name/ltv/orders/last_order/created), dir}; `selected` exports only those customers. labels {headers: {column: text}, status: {value: text}, stages: {key: text}} name the columns and values in the caller''s language. At most 50 000 rows (capped tells). Every cell that a spreadsheet would run as a formula is escaped (private.csv_cell).';
revoke execute on function public.export_customers_csv(jsonb, uuid[], jsonb) from public, anon;
grant execute on function public.export_customers_csv(jsonb, uuid[], jsonb) to authenticated;
