-- Platform bootstrap, part 5: the `realtime` schema and the `supabase_realtime` publication,
-- as Realtime's tenant migrations leave a project (spec §5.5). Facts from supabase/realtime
-- `priv/repo/tenant_schema/realtime/*`; written for Cairn. Project migrations rely on:
-- RLS policies on realtime.messages (private channels), realtime.topic(), realtime.send(),
-- and `alter publication supabase_realtime add table …`. `postgres` is a member of
-- supabase_realtime_admin (00-roles.sql), the owner of realtime.messages, as on hosted Supabase.

-- Tables whose row changes Realtime streams (postgres_changes). Empty until a migration adds one.
create publication supabase_realtime;

create schema if not exists realtime authorization supabase_admin;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
grant create, usage on schema realtime to supabase_realtime_admin with grant option;

-- Broadcast and presence authorisation: a private channel's join, broadcast and track are
-- allowed by RLS policies on this table, evaluated with realtime.topic() set to the channel.
-- Upstream partitions it by day; one plain table is enough locally and policies read the same.
create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null)
);
comment on table realtime.messages is 'Realtime broadcast/presence messages; RLS policies here authorise private channels.';
create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
grant all on realtime.messages to postgres;

create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;
comment on function realtime.topic() is 'The channel name a Realtime authorisation check is running for (use it in RLS policies on realtime.messages).';
alter function realtime.topic() owner to supabase_realtime_admin;
grant execute on function realtime.topic() to postgres, anon, authenticated, service_role;

-- Broadcast from the database: records the message (with realtime.topic set, so policies see it).
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
language plpgsql
as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
comment on function realtime.send(jsonb, text, text, boolean) is 'Sends a Realtime broadcast from SQL (stored in realtime.messages).';
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
grant execute on function realtime.send(jsonb, text, text, boolean) to postgres, anon, authenticated, service_role;

alter publication supabase_realtime owner to postgres;
