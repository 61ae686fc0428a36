-- Platform bootstrap, part 2: schemas, default extensions and the privileges of the API roles
-- on `public`, as hosted Supabase sets them up.

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on sequences to postgres, anon, authenticated, service_role;

create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;

create schema if not exists graphql_public;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;

-- public: API roles may use it; everything postgres creates there is reachable by them, and
-- row-level security decides the rest (the Supabase default).
grant usage on schema public to postgres, anon, authenticated, service_role;
grant all on schema public to postgres;
alter default privileges in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for user postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for user postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for user postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;

-- PostgREST's schema cache reload channel, used by `npm run db:reset` and by DDL below. As on
-- hosted Supabase, objects in pg_temp do not count: a function that makes a temporary table on
-- each call (on commit drop) must not reload the schema cache on each call.
create or replace function extensions.pgrst_ddl_watch() returns event_trigger
language plpgsql as $$
begin
  -- Drops are the drop watch's (they list nothing here).
  if exists (select 1 from pg_event_trigger_ddl_commands() c where c.schema_name is distinct from 'pg_temp') then
    perform pg_notify('pgrst', 'reload schema');
  end if;
end;
$$;
create or replace function extensions.pgrst_drop_watch() returns event_trigger
language plpgsql as $$
begin
  if exists (select 1 from pg_event_trigger_dropped_objects() o where not o.is_temporary) then
    perform pg_notify('pgrst', 'reload schema');
  end if;
end;
$$;
create event trigger pgrst_ddl_watch on ddl_command_end execute procedure extensions.pgrst_ddl_watch();
create event trigger pgrst_drop_watch on sql_drop execute procedure extensions.pgrst_drop_watch();

alter role postgres set search_path = "$user", public, extensions;
