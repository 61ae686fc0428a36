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

-- PostgREST's schema cache reload channel, used by `npm run db:reset` and by DDL below.
create or replace function extensions.pgrst_ddl_watch() returns event_trigger
language plpgsql as $$
begin
  perform pg_notify('pgrst', 'reload schema');
end;
$$;
create event trigger pgrst_ddl_watch on ddl_command_end execute procedure extensions.pgrst_ddl_watch();
create event trigger pgrst_drop_watch on sql_drop execute procedure extensions.pgrst_ddl_watch();

alter role postgres set search_path = "$user", public, extensions;
