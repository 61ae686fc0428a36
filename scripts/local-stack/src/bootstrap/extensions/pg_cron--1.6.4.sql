-- Cairn's stand-in for pg_cron 1.6 (as on hosted Supabase): the same tables, functions and
-- privileges, written in SQL. The scheduler itself is scripts/local-stack/src/cron/worker.ts, which
-- reads cron.job every second and records each run in cron.job_run_details.
-- Written for Cairn from pg_cron's documented API; no upstream code.

\echo Use "CREATE EXTENSION pg_cron" to load this file. \quit

create schema cron;
comment on schema cron is 'pg_cron jobs (Cairn local stand-in; run by the stack''s cron worker)';

create sequence cron.jobid_seq;
create table cron.job (
  jobid bigint primary key default nextval('cron.jobid_seq'),
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport int not null default inet_server_port(),
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text,
  constraint jobname_username_uniq unique (jobname, username)
);
alter sequence cron.jobid_seq owned by cron.job.jobid;

create sequence cron.runid_seq;
create table cron.job_run_details (
  jobid bigint,
  runid bigint primary key default nextval('cron.runid_seq'),
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
alter sequence cron.runid_seq owned by cron.job_run_details.runid;
create index job_run_details_jobid_idx on cron.job_run_details (jobid, start_time desc);

-- As pg_cron: every role sees and manages only its own jobs (superusers and BYPASSRLS roles,
-- such as postgres on Supabase, see all).
alter table cron.job enable row level security;
alter table cron.job_run_details enable row level security;
create policy cron_job_policy on cron.job using (username = current_user) with check (username = current_user);
create policy cron_job_run_details_policy on cron.job_run_details using (username = current_user);

-- Validates a schedule the way pg_cron parses it: '[1-59] seconds', an @macro, or five cron
-- fields (minute hour day-of-month month day-of-week) with *, lists, ranges, steps and names.
create function cron._validate_schedule(schedule text) returns void
language plpgsql immutable
set search_path = ''
as $$
declare
  fields text[];
  lows int[] := array[0, 0, 1, 1, 0];
  highs int[] := array[59, 23, 31, 12, 7];
  names text[] := array[
    null, null, null,
    'jan,feb,mar,apr,may,jun,jul,aug,sep,oct,nov,dec',
    'sun,mon,tue,wed,thu,fri,sat'
  ];
  item text;
  base text;
  step text;
  bounds text[];
  bound text;
  value int;
  i int;
begin
  if schedule is null then
    raise exception 'invalid schedule: %', schedule;
  end if;
  if schedule ~* '^\s*([1-9]|[1-5][0-9])\s*seconds?\s*$' then
    return;
  end if;
  if lower(trim(schedule)) in ('@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot') then
    return;
  end if;
  fields := regexp_split_to_array(trim(schedule), '\s+');
  if array_length(fields, 1) <> 5 then
    raise exception 'invalid schedule: %', schedule;
  end if;
  for i in 1..5 loop
    foreach item in array string_to_array(lower(fields[i]), ',') loop
      base := split_part(item, '/', 1);
      step := nullif(split_part(item, '/', 2), '');
      if item like '%/%/%' or (item like '%/' ) or (step is not null and step !~ '^[0-9]+$') or step::int = 0 then
        raise exception 'invalid schedule: %', schedule;
      end if;
      if base = '' then
        raise exception 'invalid schedule: %', schedule;
      end if;
      if base = '*' or (i = 3 and base = '$') then
        continue;
      end if;
      bounds := string_to_array(base, '-');
      if array_length(bounds, 1) not between 1 and 2 then
        raise exception 'invalid schedule: %', schedule;
      end if;
      foreach bound in array bounds loop
        if bound ~ '^[0-9]+$' then
          value := bound::int;
        elsif names[i] is not null and bound = any (string_to_array(names[i], ',')) then
          value := array_position(string_to_array(names[i], ','), bound) - (case when i = 4 then 0 else 1 end);
        else
          raise exception 'invalid schedule: %', schedule;
        end if;
        if value < lows[i] or value > highs[i] then
          raise exception 'invalid schedule: %', schedule;
        end if;
      end loop;
    end loop;
  end loop;
end;
$$;

create function cron.schedule_in_database(
  job_name text,
  schedule text,
  command text,
  database text,
  username text default null,
  active boolean default true
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  job_id bigint;
begin
  perform cron._validate_schedule(schedule);
  if job_name is null or command is null then
    raise exception 'job_name and command must not be null';
  end if;
  insert into cron.job as j (schedule, command, database, username, active, jobname)
  values (schedule, command, database, coalesce(username, current_user), active, job_name)
  on conflict on constraint jobname_username_uniq do update
    set schedule = excluded.schedule, command = excluded.command, database = excluded.database, active = excluded.active
  returning j.jobid into job_id;
  return job_id;
end;
$$;
comment on function cron.schedule_in_database(text, text, text, text, text, boolean) is 'Schedules (or, by name, replaces) a job that runs in another database.';

create function cron.schedule(job_name text, schedule text, command text) returns bigint
language sql
set search_path = ''
as $$ select cron.schedule_in_database(job_name, schedule, command, current_database(), current_user::text, true) $$;
comment on function cron.schedule(text, text, text) is 'Schedules a named job; scheduling an existing name replaces it.';

create function cron.schedule(schedule text, command text) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  job_id bigint;
begin
  perform cron._validate_schedule(schedule);
  insert into cron.job (schedule, command) values (schedule, command) returning jobid into job_id;
  return job_id;
end;
$$;
comment on function cron.schedule(text, text) is 'Schedules an unnamed job.';

create function cron.unschedule(job_name text) returns boolean
language plpgsql
set search_path = ''
as $$
begin
  delete from cron.job where jobname = job_name and username = current_user;
  if not found then
    raise exception 'could not find valid entry for job ''%''', job_name;
  end if;
  return true;
end;
$$;

create function cron.unschedule(job_id bigint) returns boolean
language plpgsql
set search_path = ''
as $$
declare
  owner text;
begin
  select username into owner from cron.job where jobid = job_id;
  if owner is null then
    raise exception 'could not find valid entry for job %', job_id;
  end if;
  if owner <> current_user and not (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    raise exception 'must be owner of job %', job_id;
  end if;
  delete from cron.job where jobid = job_id;
  return true;
end;
$$;

create function cron.alter_job(
  job_id bigint,
  schedule text default null,
  command text default null,
  database text default null,
  username text default null,
  active boolean default null
) returns void
language plpgsql
set search_path = ''
as $$
declare
  owner text;
begin
  select j.username into owner from cron.job j where j.jobid = job_id;
  if owner is null then
    raise exception 'could not find valid entry for job %', job_id;
  end if;
  if owner <> current_user and not (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    raise exception 'must be owner of job %', job_id;
  end if;
  if schedule is not null then
    perform cron._validate_schedule(schedule);
  end if;
  update cron.job j set
    schedule = coalesce(alter_job.schedule, j.schedule),
    command = coalesce(alter_job.command, j.command),
    database = coalesce(alter_job.database, j.database),
    username = coalesce(alter_job.username, j.username),
    active = coalesce(alter_job.active, j.active)
  where j.jobid = job_id;
end;
$$;

-- pg_cron lets any role with usage on schema cron manage its own jobs; RLS above keeps them
-- apart. Supabase grants the schema to postgres (and postgres may pass it on).
grant select, insert, update, delete on cron.job to public;
grant select, delete on cron.job_run_details to public;
grant usage on sequence cron.jobid_seq to public;
grant usage on schema cron to postgres with grant option;
grant all on all tables in schema cron to postgres with grant option;
grant all on all sequences in schema cron to postgres with grant option;
grant execute on all functions in schema cron to postgres with grant option;
