-- Cairn's stand-in for pg_net (as on hosted Supabase): the same schema `net`, tables and
-- functions, in SQL. Requests wait in net.http_request_queue; scripts/local-stack/src/cron/worker.ts
-- takes them once the calling transaction has committed (it only sees committed rows),
-- performs them and writes net._http_response, as pg_net's background worker does.
-- Written for Cairn from pg_net's documented API; no upstream code.

\echo Use "CREATE EXTENSION pg_net" to load this file. \quit

create schema net;
comment on schema net is 'pg_net asynchronous HTTP (Cairn local stand-in; performed by the stack''s cron worker)';

create domain net.http_method as text check (value ilike 'get' or value ilike 'post' or value ilike 'delete');

create unlogged table net.http_request_queue (
  id bigserial,
  method net.http_method not null,
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds int not null
);

create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out bool,
  error_msg text,
  created timestamptz not null default now()
);
create index on net._http_response (created);
create index on net._http_response (id);

-- Wakes the worker as soon as the inserting transaction commits (NOTIFY is transactional).
create function net._notify_worker() returns trigger
language plpgsql
as $$
begin
  perform pg_notify('cairn_pg_net', '');
  return null;
end;
$$;
create trigger notify_worker after insert on net.http_request_queue
for each statement execute function net._notify_worker();

create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');
create type net.http_response as (status_code integer, headers jsonb, body text);
create type net.http_response_result as (status net.request_status, message text, response net.http_response);

-- Percent-encodes a string's UTF-8 bytes, keeping RFC 3986 unreserved characters.
create function net._urlencode_string(string varchar) returns text
language plpgsql immutable strict
as $$
declare
  bytes bytea := convert_to(string, 'UTF8');
  result text := '';
  b int;
  i int;
begin
  for i in 0 .. length(bytes) - 1 loop
    b := get_byte(bytes, i);
    if (b between 48 and 57) or (b between 65 and 90) or (b between 97 and 122) or b in (45, 46, 95, 126) then
      result := result || chr(b);
    else
      result := result || '%' || upper(lpad(to_hex(b), 2, '0'));
    end if;
  end loop;
  return result;
end;
$$;

create function net._encode_url_with_params_array(url text, params_array text[]) returns text
language sql immutable strict
as $$
  select case
    when coalesce(array_length(params_array, 1), 0) = 0 then url
    when position('?' in url) > 0 then url || '&' || array_to_string(params_array, '&')
    else url || '?' || array_to_string(params_array, '&')
  end
$$;

create function net._params_array(params jsonb) returns text[]
language sql immutable
as $$
  select coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
  from jsonb_each_text(coalesce(params, '{}'::jsonb))
$$;

create function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds int default 5000
) returns bigint
language plpgsql volatile strict
security definer
set search_path = net
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('GET', net._encode_url_with_params_array(url, net._params_array(params)), headers, timeout_milliseconds)
  returning id into request_id;
  return request_id;
end;
$$;
comment on function net.http_get(text, jsonb, jsonb, int) is 'Queues an asynchronous GET; the response lands in net._http_response under the returned id.';

create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds int default 5000
) returns bigint
language plpgsql volatile
security definer
set search_path = net
as $$
declare
  request_id bigint;
  content_type text;
begin
  select value into content_type
  from jsonb_each_text(coalesce(headers, '{}'::jsonb))
  where lower(key) = 'content-type'
  limit 1;
  -- As pg_net: a caller who omits Content-Type gets JSON; any other type is refused.
  if content_type is null then
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  elsif content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  if body is null then
    raise exception 'body must not be null';
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', net._encode_url_with_params_array(url, net._params_array(params)), headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;
  return request_id;
end;
$$;
comment on function net.http_post(text, jsonb, jsonb, jsonb, int) is 'Queues an asynchronous JSON POST; the response lands in net._http_response under the returned id.';

create function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds int default 5000,
  body jsonb default null
) returns bigint
language plpgsql volatile
security definer
set search_path = net
as $$
declare
  request_id bigint;
begin
  if url is null then
    raise exception 'url must not be null';
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    'DELETE',
    net._encode_url_with_params_array(url, net._params_array(params)),
    coalesce(headers, '{}'::jsonb),
    case when body is null then null else convert_to(body::text, 'UTF8') end,
    coalesce(timeout_milliseconds, 5000)
  )
  returning id into request_id;
  return request_id;
end;
$$;
comment on function net.http_delete(text, jsonb, jsonb, int, jsonb) is 'Queues an asynchronous DELETE; the response lands in net._http_response under the returned id.';

-- Blocks until the response for request_id exists (only useful outside the transaction that
-- queued the request, since the worker only sees committed requests).
create function net._await_response(request_id bigint) returns bool
language plpgsql volatile strict
as $$
begin
  while not exists (select 1 from net._http_response r where r.id = request_id) loop
    perform pg_sleep(0.05);
  end loop;
  return true;
end;
$$;

create function net._http_collect_response(request_id bigint, async bool default true) returns net.http_response_result
language plpgsql volatile strict
as $$
declare
  rec net._http_response;
begin
  if not async then
    perform net._await_response(request_id);
  end if;
  select * into rec from net._http_response r where r.id = request_id;
  if rec is null then
    return ('PENDING', 'request not found or still in progress', null)::net.http_response_result;
  end if;
  if rec.error_msg is not null then
    return ('ERROR', rec.error_msg, null)::net.http_response_result;
  end if;
  return ('SUCCESS', 'ok', (rec.status_code, rec.headers, rec.content)::net.http_response)::net.http_response_result;
end;
$$;

create function net.http_collect_response(request_id bigint, async bool default true) returns net.http_response_result
language sql volatile strict
as $$ select net._http_collect_response(request_id, async) $$;
comment on function net.http_collect_response(bigint, bool) is 'Deprecated alias of net._http_collect_response, kept as pg_net does.';

-- Grants as supabase/postgres sets them up for pg_net.
grant usage on schema net to supabase_functions_admin, postgres, anon, authenticated, service_role;
revoke all on function net.http_get(text, jsonb, jsonb, int) from public;
revoke all on function net.http_post(text, jsonb, jsonb, jsonb, int) from public;
revoke all on function net.http_delete(text, jsonb, jsonb, int, jsonb) from public;
grant execute on function net.http_get(text, jsonb, jsonb, int) to supabase_functions_admin, postgres, anon, authenticated, service_role;
grant execute on function net.http_post(text, jsonb, jsonb, jsonb, int) to supabase_functions_admin, postgres, anon, authenticated, service_role;
grant execute on function net.http_delete(text, jsonb, jsonb, int, jsonb) to supabase_functions_admin, postgres, anon, authenticated, service_role;
grant all on all tables in schema net to postgres, supabase_functions_admin;
grant all on all sequences in schema net to postgres, supabase_functions_admin;
