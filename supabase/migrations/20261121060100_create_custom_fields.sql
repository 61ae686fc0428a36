-- Typed custom fields
--
-- Owns: `custom_field_definitions` (what extra fields a workspace keeps on its customers, and
-- their types) and the values, stored in `customers.custom_fields` as one JSON object keyed by
-- the definitions' keys, e.g. {"loyalty_tier": "gold", "vip_since": "2024-05-01"}.
--
-- The database checks every value against its definition, whoever writes it (the app, an
-- import, a function with the service role): an unknown key, a value of the wrong type or a
-- select value outside the options is refused with a message naming the field. A JSON null
-- removes the value.
--
-- Definitions are admin-managed and team-readable. Once customers hold values for a field, the
-- changes that would make those values wrong are refused (changing the key or the type,
-- removing an option still in use, deleting the field); archive it instead (active = false):
-- its values stay, read-only, and it no longer counts as required.
--
-- "Required" is a rule for team members: when one of them creates a customer or edits its
-- custom fields, every active required field must have a value. Writes by the system (Shopify
-- sync, imports through functions, the seed) are exempt, since they cannot know those values,
-- and so are edits that leave custom_fields alone — making a field required later does not lock
-- the customers who lack it.

create type public.custom_field_type as enum ('text', 'number', 'boolean', 'date', 'select', 'multiselect', 'url', 'email');
comment on type public.custom_field_type is 'The JSON shape a custom field''s value must have: text → string, number → number, boolean → true/false, date → "YYYY-MM-DD", select → one of the options, multiselect → array of options, url → "http(s)://…", email → an address.';

create table public.custom_field_definitions (
  id uuid primary key default gen_random_uuid(),
  key text not null,
  label text not null,
  type public.custom_field_type not null,
  options text[] not null default '{}',
  required boolean not null default false,
  position integer not null default 0,
  active boolean not null default true,
  help_text text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint custom_field_definitions_key_key unique (key),
  constraint custom_field_definitions_key_is_a_slug check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  constraint custom_field_definitions_label_is_short check (length(btrim(label)) between 1 and 100),
  constraint custom_field_definitions_help_text_is_short check (length(help_text) <= 500)
);
comment on table public.custom_field_definitions is 'The typed extra fields kept on customers (values in customers.custom_fields, checked against these definitions by the database). Managed by admins.';
comment on column public.custom_field_definitions.key is 'The key of the value in customers.custom_fields: a lower-case slug (letter first, then letters, digits, _). Cannot change once customers hold values.';
comment on column public.custom_field_definitions.options is 'The allowed values of a select or multiselect field (at least one, unique, trimmed); empty for other types.';
comment on column public.custom_field_definitions.required is 'Team members must give a value when they create a customer or edit its custom fields. System writes are exempt.';
comment on column public.custom_field_definitions.position is 'Display order in forms (then by label).';
comment on column public.custom_field_definitions.active is 'False archives the field: values are kept and shown read-only, new values are refused, it is never required.';

create trigger touch_updated_at before update on public.custom_field_definitions
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.custom_field_definitions
  for each row execute function private.record_audit();

alter table public.custom_field_definitions enable row level security;
create policy "team members read custom field definitions" on public.custom_field_definitions for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add custom fields" on public.custom_field_definitions for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins change custom fields" on public.custom_field_definitions for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove custom fields" on public.custom_field_definitions for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.custom_field_definitions from anon;
revoke truncate on public.custom_field_definitions from authenticated;

-- ─── Values on customers ─────────────────────────────────────────────────────────────────────

alter table public.customers
  add column custom_fields jsonb not null default '{}',
  add constraint customers_custom_fields_is_an_object check (jsonb_typeof(custom_fields) = 'object');
comment on column public.customers.custom_fields is 'Values of the custom fields, keyed by custom_field_definitions.key; each checked against its definition. Filter with @>, e.g. custom_fields @> ''{"loyalty_tier": "gold"}''.';
create index customers_custom_fields_idx on public.customers using gin (custom_fields jsonb_path_ops);

grant insert (custom_fields), update (custom_fields) on public.customers to authenticated;

create function private.custom_field_value_problem(
  field_type public.custom_field_type,
  field_options text[],
  field_value jsonb
) returns text
language sql immutable parallel safe set search_path = '' as $$
  -- What is wrong with a value for a field of this type, as the end of a sentence starting with
  -- 'custom field "key" …', or null when it is fine.
  select case field_type
    when 'text' then
      case when jsonb_typeof(field_value) <> 'string' then 'must be text'
           when length(field_value #>> '{}') > 2000 then 'must be at most 2000 characters' end
    when 'number' then
      case when jsonb_typeof(field_value) <> 'number' then 'must be a number' end
    when 'boolean' then
      case when jsonb_typeof(field_value) <> 'boolean' then 'must be true or false' end
    when 'date' then
      case when jsonb_typeof(field_value) <> 'string'
             or (field_value #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$'
             or not pg_catalog.pg_input_is_valid(field_value #>> '{}', 'date')
           then 'must be a date (YYYY-MM-DD)' end
    when 'select' then
      case when jsonb_typeof(field_value) <> 'string' or not (field_value #>> '{}') = any (field_options)
           then 'must be one of: ' || array_to_string(field_options, ', ') end
    when 'multiselect' then
      case when jsonb_typeof(field_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(field_value) as element (item)
                        where jsonb_typeof(item) <> 'string' or not (item #>> '{}') = any (field_options))
           then 'must be a list of values from: ' || array_to_string(field_options, ', ')
           when (select count(*) <> count(distinct item) from jsonb_array_elements(field_value) as element (item))
           then 'must not list the same value twice' end
    when 'url' then
      case when jsonb_typeof(field_value) <> 'string' or (field_value #>> '{}') !~ '^https?://[^\s/$.?#][^\s]*$'
             or length(field_value #>> '{}') > 2000
           then 'must be a web address starting with http:// or https://' end
    when 'email' then
      case when jsonb_typeof(field_value) <> 'string' or not private.is_email(field_value #>> '{}')
           then 'must be an email address' end
  end
$$;
comment on function private.custom_field_value_problem(public.custom_field_type, text[], jsonb) is 'Why a JSON value does not fit a custom field of this type and options (the end of a sentence), or null when it fits.';

create function private.validate_custom_fields() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  caller_is_api_user boolean;
  caller_is_staff boolean;
  field record;
  problem text;
  missing text[];
begin
  -- A JSON null removes a value; a missing object is an empty one.
  new.custom_fields := coalesce(new.custom_fields, '{}');
  if jsonb_typeof(new.custom_fields) <> 'object' then
    raise exception 'custom_fields must be a JSON object keyed by field, such as {"vip_since": "2024-05-01"}'
      using errcode = '23514', column = 'custom_fields', table = 'customers';
  end if;
  if tg_op = 'UPDATE' and new.custom_fields = old.custom_fields then
    return new;
  end if;
  caller_is_api_user := (select auth.role()) = 'authenticated';
  -- Fast path for bulk loads and sync (no API user, nothing to check): a few microseconds a row.
  if new.custom_fields = '{}' and not coalesce(caller_is_api_user, false) then
    return new;
  end if;
  new.custom_fields := jsonb_strip_nulls(new.custom_fields);
  caller_is_staff := coalesce(caller_is_api_user, false) and (select private.is_team_member());

  -- Custom fields are the business's own notes about a customer: shoppers never write them
  -- (and never learn the definitions through a validation message).
  if caller_is_api_user and not caller_is_staff
     and (tg_op = 'UPDATE' or new.custom_fields <> '{}') then
    raise exception 'only team members can set custom fields' using errcode = '42501';
  end if;

  -- Only the values that are new or changed are checked: a stored value was checked when it was
  -- written, and the definition guards keep it valid since.
  for field in
    select item.key, item.value, definition.key as known_key, definition.type, definition.options, definition.active
    from jsonb_each(new.custom_fields) as item
    left join public.custom_field_definitions as definition on definition.key = item.key
    where tg_op = 'INSERT' or (old.custom_fields -> item.key) is distinct from item.value
    order by item.key
  loop
    if field.known_key is null then
      raise exception 'unknown custom field "%"', field.key
        using errcode = '23514', column = 'custom_fields', table = 'customers',
              hint = 'Define it in custom_field_definitions first, or remove it.';
    end if;
    if not field.active then
      raise exception 'custom field "%" is archived: its value can be removed but not set or changed', field.key
        using errcode = '23514', column = 'custom_fields', table = 'customers';
    end if;
    problem := private.custom_field_value_problem(field.type, field.options, field.value);
    if problem is not null then
      raise exception 'custom field "%" %', field.key, problem
        using errcode = '23514', column = 'custom_fields', table = 'customers';
    end if;
  end loop;

  if caller_is_staff then
    select array_agg(format('"%s"', definition.key) order by definition.position, definition.label)
      into missing
      from public.custom_field_definitions as definition
     where definition.active and definition.required and not new.custom_fields ? definition.key;
    if missing is not null then
      raise exception '% % required',
        case when cardinality(missing) = 1 then 'custom field ' || missing[1]
             else 'custom fields ' || array_to_string(missing, ', ') end,
        case when cardinality(missing) = 1 then 'is' else 'are' end
        using errcode = '23514', column = 'custom_fields', table = 'customers';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.validate_custom_fields() is 'BEFORE INSERT OR UPDATE OF custom_fields on customers: checks new and changed values against custom_field_definitions, and required fields when a team member writes.';

create trigger validate_custom_fields before insert or update of custom_fields on public.customers
  for each row execute function private.validate_custom_fields();

-- ─── Keeping stored values valid when a definition changes ───────────────────────────────────

create function private.guard_custom_field_definition() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  in_use bigint;
  removed text;
  each_option text;
begin
  if tg_op in ('INSERT', 'UPDATE') then
    new.label := btrim(new.label);
    new.options := coalesce(new.options, '{}');
    if new.type in ('select', 'multiselect') then
      if cardinality(new.options) = 0 then
        raise exception 'custom field "%" is a % field: give it at least one option', new.key, new.type
          using errcode = '23514', column = 'options', table = 'custom_field_definitions';
      end if;
      foreach each_option in array new.options loop
        if each_option is null or each_option <> btrim(each_option) or length(each_option) not between 1 and 100 then
          raise exception 'custom field "%": option "%" must be 1 to 100 characters without surrounding spaces', new.key, each_option
            using errcode = '23514', column = 'options', table = 'custom_field_definitions';
        end if;
      end loop;
      if cardinality(new.options) <> (select count(distinct item) from unnest(new.options) as item) then
        raise exception 'custom field "%": options must be unique', new.key
          using errcode = '23514', column = 'options', table = 'custom_field_definitions';
      end if;
    elsif cardinality(new.options) > 0 then
      raise exception 'custom field "%": only select and multiselect fields have options', new.key
        using errcode = '23514', column = 'options', table = 'custom_field_definitions';
    end if;
  end if;

  if tg_op = 'INSERT' then
    return new;
  end if;
  if tg_op = 'UPDATE' and (new.key, new.type, new.options) is not distinct from (old.key, old.type, old.options) then
    return new;
  end if;

  -- Scans customers (a key-existence test cannot use the jsonb_path_ops index); definition
  -- changes are rare admin actions.
  select count(*) into in_use from public.customers where custom_fields ? old.key;

  if tg_op = 'DELETE' then
    if in_use > 0 then
      raise exception 'custom field "%" is set on % customer(s): archive it (active = false) or remove those values first', old.key, in_use
        using errcode = '23503', table = 'custom_field_definitions';
    end if;
    return old;
  end if;

  if in_use > 0 and new.key <> old.key then
    raise exception 'custom field "%" is set on % customer(s): its key cannot change', old.key, in_use
      using errcode = '23503', column = 'key', table = 'custom_field_definitions';
  end if;
  if in_use > 0 and new.type <> old.type then
    raise exception 'custom field "%" is set on % customer(s): its type cannot change from % to %', old.key, in_use, old.type, new.type
      using errcode = '23503', column = 'type', table = 'custom_field_definitions';
  end if;
  if in_use > 0 and old.type in ('select', 'multiselect') then
    foreach removed in array (select coalesce(array_agg(item), '{}') from unnest(old.options) as item where not item = any (new.options)) loop
      select count(*) into in_use
        from public.customers
       where custom_fields @> case old.type
               when 'select' then jsonb_build_object(old.key, removed)
               else jsonb_build_object(old.key, jsonb_build_array(removed)) end;
      if in_use > 0 then
        raise exception 'custom field "%": option "%" is used by % customer(s) and cannot be removed', old.key, removed, in_use
          using errcode = '23503', column = 'options', table = 'custom_field_definitions';
      end if;
    end loop;
  end if;
  return new;
end;
$$;
comment on function private.guard_custom_field_definition() is 'Checks a definition''s options, and refuses changes that would leave stored values wrong (key, type, a removed option in use, deletion while in use).';

create trigger guard_definition before insert or update or delete on public.custom_field_definitions
  for each row execute function private.guard_custom_field_definition();

-- Per-schema default privileges cannot take away PUBLIC's execute on new functions, so say it here:
-- these run only as triggers (and inside them).
revoke execute on function private.custom_field_value_problem(public.custom_field_type, text[], jsonb),
  private.validate_custom_fields(), private.guard_custom_field_definition() from public, anon, authenticated;
