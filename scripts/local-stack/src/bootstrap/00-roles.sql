-- Platform bootstrap, part 1: the roles hosted Supabase creates before any project migration.
-- Runs once as the cluster superuser `supabase_admin` on a fresh cluster. Facts from
-- supabase/postgres init scripts (see docs/adr/0001-local-stack.md); written for Cairn.

-- `postgres` is the project owner but not a superuser, as on hosted Supabase: a migration
-- that needs superuser here fails here too, instead of failing at `supabase db push`.
create role postgres login createdb createrole replication bypassrls password 'postgres';
alter database postgres owner to postgres;

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

create role supabase_auth_admin login noinherit createrole password 'postgres';
create role supabase_storage_admin login noinherit createrole password 'postgres';
create role supabase_realtime_admin nologin noinherit;
create role supabase_replication_admin login replication password 'postgres';
create role supabase_read_only_user login bypassrls password 'postgres';
grant pg_read_all_data to supabase_read_only_user;
create role supabase_functions_admin nologin noinherit createrole;
create role dashboard_user nologin createdb createrole replication;
create role pgbouncer login password 'postgres';

grant anon, authenticated, service_role to postgres;
grant supabase_auth_admin, supabase_storage_admin to postgres;
-- As on hosted Supabase: the project owner may manage Realtime's tables, so a migration can
-- create the realtime.messages policies that authorise private channels.
grant supabase_realtime_admin to postgres;
grant pg_monitor, pg_read_all_data, pg_signal_backend to postgres;
