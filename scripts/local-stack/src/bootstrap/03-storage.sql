-- Platform bootstrap, part 3: the `storage` schema the Storage API works on, as hosted Supabase
-- has it after supabase/storage's tenant migrations (facts from migrations/tenant/*.sql and
-- supabase/postgres' storage init script; written for Cairn, not copied).
--
-- Everything is owned by supabase_storage_admin. `postgres` is a member of that role
-- (00-roles.sql), which is what lets a project migration run `create policy … on
-- storage.objects` without being a superuser, exactly as on hosted.

create schema if not exists storage authorization supabase_storage_admin;

grant usage on schema storage to postgres, anon, authenticated, service_role;

-- Create the objects as their owner, so ownership and default privileges match hosted.
set local role supabase_storage_admin;

alter default privileges in schema storage grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema storage grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema storage grant all on sequences to postgres, anon, authenticated, service_role;

create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');

create table storage.buckets (
  id text primary key,
  name text not null,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  type storage.buckettype not null default 'STANDARD'
);
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
create unique index bname on storage.buckets using btree (name);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb,
  level integer
);
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
create unique index bucketid_objname on storage.objects using btree (bucket_id, name);
create index name_prefix_search on storage.objects (name text_pattern_ops);
-- Listing walks a bucket's names case-insensitively in byte order (storage.search).
create index idx_objects_bucket_id_lower_name on storage.objects (bucket_id, lower(name) collate "C");

-- Row-level security on both tables and no policies: only service_role (BYPASSRLS) can do
-- anything until the project's migrations add policies, as on a fresh hosted project.
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

grant all on storage.buckets, storage.objects to postgres with grant option;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;

-- Path helpers used in policies, e.g. `(storage.foldername(name))[1] = (select auth.uid()::text)`.
create function storage.foldername(name text) returns text[]
language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;

create function storage.filename(name text) returns text
language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create function storage.extension(name text) returns text
language plpgsql immutable as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

-- The Storage API sets `storage.operation` per request (e.g. storage.object.upload), so policies
-- can tell operations apart.
create function storage.operation() returns text
language plpgsql stable as $$
begin
  return current_setting('storage.operation', true);
end;
$$;

create function storage.get_size_by_bucket() returns table (size bigint, bucket_id text)
language plpgsql stable as $$
begin
  return query
    select sum((metadata->>'size')::bigint)::bigint as size, obj.bucket_id
    from storage.objects as obj
    group by obj.bucket_id;
end
$$;

create function storage.update_updated_at_column() returns trigger
language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end;
$$;
create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();

-- Hosted refuses plain `delete from storage.objects|buckets` (it would orphan files); the
-- Storage API sets storage.allow_delete_query for its own deletes.
create function storage.protect_delete() returns trigger
language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end;
$$;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

-- One level of a bucket's tree under `prefix`, what storage-js `list()` shows: files at that
-- level, and each deeper folder once (id and timestamps null). Security invoker, so the
-- caller's select policies on storage.objects decide what is listed. Same signature and
-- results as hosted; `levels` is kept for compatibility and derived from prefix/search.
create function storage.search(
  prefix text,
  bucketname text,
  limits int default 100,
  levels int default 1,
  offsets int default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
) returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql stable security invoker as $func$
declare
  v_prefix text := coalesce(prefix, '');
  v_full text := coalesce(prefix, '') || coalesce(search, '');
  v_order text := case lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at'
    when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at'
    else 'name' end;
  v_dir text := case when lower(coalesce(sortorder, 'asc')) = 'desc' then 'desc' else 'asc' end;
begin
  return query execute format($sql$
    with matching as (
      select o.name as full_name, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata,
        strpos(substring(o.name from length($1) + 1), '/') as slash
      from storage.objects o
      where o.bucket_id = $2
        and left(lower(o.name), length($1)) = lower($1)
    ),
    entries as (
      select distinct on (lower(substring(m.full_name from length($3) + 1 for length($1) - length($3) + m.slash - 1)))
        substring(m.full_name from length($3) + 1 for length($1) - length($3) + m.slash - 1) as name,
        null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
        null::timestamptz as last_accessed_at, null::jsonb as metadata, true as is_folder
      from matching m
      where m.slash > 0
      union all
      select substring(m.full_name from length($3) + 1), m.id, m.updated_at, m.created_at,
        m.last_accessed_at, m.metadata, false
      from matching m
      where m.slash = 0
    )
    select e.name, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata
    from entries e
    order by %s
    limit $4 offset $5
    $sql$,
    case when v_order = 'name'
      then format('lower(e.name) collate "C" %s', v_dir)
      else format('e.is_folder desc, e.%I %s, lower(e.name) collate "C" %s', v_order, v_dir, v_dir)
    end
  ) using v_full, bucketname, v_prefix, least(coalesce(limits, 100), 1500), coalesce(offsets, 0);
end;
$func$;

reset role;
