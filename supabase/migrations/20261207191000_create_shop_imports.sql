-- Shopify history import (issue 11): a shop's customers, products and orders brought in through
-- Shopify's bulk operations and applied through the same rules as webhooks.
--
-- Owns:
--   - public.shop_imports: one import per shop run — its phase (customers → products → orders →
--     done), the phase's bulk operation and JSONL URL, the byte offset applied so far, rows done /
--     total / failed, when it started and finished, and why it stopped. Admins read it (and see it
--     change through Realtime); the shopify-import function writes it through the functions below.
--   - public.shop_import_errors: the JSONL rows that could not be applied (Shopify id, reason),
--     for the errors CSV. Admins read them.
--   - public.shopify_start_import(actor, shop): queues an import (one running per shop).
--   - public.shopify_import_claim(): the next import with work to do, leased for 2 minutes, so two
--     overlapping calls never work on one import at once.
--   - public.shopify_import_apply_chunk(...): applies one chunk — a run of whole JSONL groups
--     already validated and mapped by the function (the webhook's own parsers) — through
--     private.apply_shopify_record, the webhook's apply rules, in ONE transaction, and advances the
--     offset only when the chunk starts where the last one ended. A repeated or late chunk changes
--     nothing (exactly once per row); a crash before commit leaves the offset where it was, so the
--     next call redoes the chunk. A row that fails is recorded in shop_import_errors and the chunk
--     goes on (its own subtransaction). Records carry their own updated_at as the version, so a
--     webhook that already brought a newer version wins.
--   - public.shopify_import_progress(...): phase changes, totals and failures.
--   - The schedule: every minute pg_cron calls shopify-import; after each chunk the database asks
--     for the next one at once (pg_net, after commit).

create table public.shop_imports (
  id uuid primary key default gen_random_uuid(),
  shop_id uuid not null references public.shops (id) on delete cascade,
  status text not null default 'running' constraint shop_imports_status check (status in ('running', 'completed', 'failed', 'canceled')),
  phase text not null default 'customers' constraint shop_imports_phase check (phase in ('customers', 'products', 'orders', 'done')),
  bulk_operation_id text,
  bulk_url text,
  byte_offset bigint not null default 0 constraint shop_imports_offset_not_negative check (byte_offset >= 0),
  phase_total bigint,
  rows_done bigint not null default 0,
  rows_failed bigint not null default 0,
  rows_total bigint,
  chunks bigint not null default 0,
  leased_until timestamptz,
  last_error text constraint shop_imports_last_error_length check (last_error is null or length(last_error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
comment on table public.shop_imports is 'Shopify history imports (issue 11): phase, bulk operation, JSONL offset applied, progress and outcome. Admins read; the shopify-import function writes through service-role functions.';
comment on column public.shop_imports.byte_offset is 'Bytes of the phase''s JSONL file applied so far; always at the start of a root object''s line.';
comment on column public.shop_imports.rows_done is 'Root rows applied (customers, products, orders), all phases.';
create unique index shop_imports_one_running on public.shop_imports (shop_id) where status = 'running';
create index shop_imports_shop_idx on public.shop_imports (shop_id, started_at desc);

create trigger touch_updated_at before update on public.shop_imports
  for each row execute function private.touch_updated_at();

alter table public.shop_imports enable row level security;
create policy "admins read shop imports" on public.shop_imports for select to authenticated
  using ((select private.is_admin()));
revoke all on public.shop_imports from anon, authenticated;
grant select on public.shop_imports to authenticated;
grant all on public.shop_imports to service_role;

create table public.shop_import_errors (
  id bigint generated always as identity primary key,
  import_id uuid not null references public.shop_imports (id) on delete cascade,
  phase text not null,
  shopify_id text,
  reason text not null constraint shop_import_errors_reason_length check (length(reason) <= 2000),
  created_at timestamptz not null default now()
);
comment on table public.shop_import_errors is 'JSONL rows an import could not apply: the offending Shopify id and why (downloadable as CSV).';
create index shop_import_errors_import_idx on public.shop_import_errors (import_id, id);
alter table public.shop_import_errors enable row level security;
create policy "admins read shop import errors" on public.shop_import_errors for select to authenticated
  using ((select private.is_admin()));
revoke all on public.shop_import_errors from anon, authenticated;
grant select on public.shop_import_errors to authenticated;
grant all on public.shop_import_errors to service_role;

-- Live progress on the Integrations screen.
do $$
begin
  if exists (select from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.shop_imports, public.shop_connections;
  end if;
end;
$$;

create function private.request_next_import_chunk() returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.call_scheduled_function('shopify-import-next', 'shopify-import', '{}');
exception when others then
  -- Vault not configured (yet): the every-minute schedule still drives the import, and
  -- job_health shows why its calls fail.
  null;
end;
$$;
comment on function private.request_next_import_chunk() is 'Asks (pg_net, sent after commit) for the next import chunk at once; never fails the caller.';
revoke execute on function private.request_next_import_chunk() from public, anon, authenticated;

create function public.shopify_start_import(actor uuid, shop_id uuid) returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  the_import uuid;
begin
  perform private.require_admin_actor(actor);
  if not exists (select from public.shop_connections c where c.shop_id = shopify_start_import.shop_id) then
    raise exception 'shop % is not connected', shop_id using errcode = 'P0002';
  end if;
  select i.id into the_import from public.shop_imports i
  where i.shop_id = shopify_start_import.shop_id and i.status = 'running';
  if the_import is not null then
    return the_import;
  end if;
  insert into public.shop_imports (shop_id, requested_by) values (shopify_start_import.shop_id, actor)
  returning id into the_import;
  perform private.request_next_import_chunk();
  return the_import;
end;
$$;
comment on function public.shopify_start_import(uuid, uuid) is 'Queues a history import of a connected shop (service role, on behalf of an admin); answers the running one if there is one.';
revoke execute on function public.shopify_start_import(uuid, uuid) from public, anon, authenticated;
grant execute on function public.shopify_start_import(uuid, uuid) to service_role;

create function public.shopify_import_claim()
returns setof public.shop_imports
language sql volatile security definer set search_path = '' as $$
  update public.shop_imports i set leased_until = now() + interval '2 minutes'
  where i.id = (
    select j.id from public.shop_imports j
    where j.status = 'running' and (j.leased_until is null or j.leased_until < now())
    order by j.updated_at
    limit 1
    for update skip locked
  )
  returning i.*
$$;
comment on function public.shopify_import_claim() is 'The next running import whose lease is free, leased for 2 minutes (service role only).';
revoke execute on function public.shopify_import_claim() from public, anon, authenticated;
grant execute on function public.shopify_import_claim() to service_role;

create function public.shopify_import_progress(
  import_id uuid,
  phase text default null,
  bulk_operation_id text default null,
  bulk_url text default null,
  phase_total bigint default null,
  status text default null,
  last_error text default null,
  reset_offset boolean default false,
  release boolean default false
) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.shop_imports i set
    phase = coalesce(shopify_import_progress.phase, i.phase),
    bulk_operation_id = case when shopify_import_progress.phase is not null then shopify_import_progress.bulk_operation_id
                             else coalesce(shopify_import_progress.bulk_operation_id, i.bulk_operation_id) end,
    bulk_url = case when shopify_import_progress.phase is not null then shopify_import_progress.bulk_url
                    else coalesce(shopify_import_progress.bulk_url, i.bulk_url) end,
    phase_total = case when shopify_import_progress.phase is not null then shopify_import_progress.phase_total
                       else coalesce(shopify_import_progress.phase_total, i.phase_total) end,
    rows_total = case when shopify_import_progress.phase_total is not null and shopify_import_progress.phase is null
                      then coalesce(i.rows_total, 0) + shopify_import_progress.phase_total else i.rows_total end,
    byte_offset = case when reset_offset then 0 else i.byte_offset end,
    status = coalesce(shopify_import_progress.status, i.status),
    last_error = coalesce(left(shopify_import_progress.last_error, 2000), i.last_error),
    finished_at = case when shopify_import_progress.status in ('completed', 'failed', 'canceled') then now() else i.finished_at end,
    leased_until = case when release then null else i.leased_until end
  where i.id = shopify_import_progress.import_id;
end;
$$;
comment on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean) is 'Records an import''s phase, bulk operation, totals and outcome (service role only).';
revoke execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean) from public, anon, authenticated;
grant execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean) to service_role;

create function public.shopify_import_apply_chunk(
  import_id uuid,
  from_offset bigint,
  to_offset bigint,
  roots integer,
  records jsonb,
  failures jsonb default '[]'
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  imp public.shop_imports;
  item jsonb;
  applied integer := 0;
  failed integer := 0;
begin
  select * into imp from public.shop_imports i where i.id = shopify_import_apply_chunk.import_id for update;
  if imp.id is null or imp.status <> 'running' then
    return jsonb_build_object('status', 'not_running');
  end if;
  if imp.byte_offset <> from_offset then
    -- A chunk already applied (a retry, an overlapping call): nothing happens twice.
    return jsonb_build_object('status', 'stale', 'byte_offset', imp.byte_offset);
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  for item in select value from jsonb_array_elements(records) loop
    begin
      perform private.apply_shopify_record(imp.shop_id, item -> 'mapped', (item ->> 'version')::timestamptz, null);
      applied := applied + 1;
    exception when others then
      failed := failed + 1;
      insert into public.shop_import_errors (import_id, phase, shopify_id, reason)
      values (imp.id, imp.phase, item ->> 'shopify_id', left(sqlerrm, 2000));
    end;
  end loop;
  insert into public.shop_import_errors (import_id, phase, shopify_id, reason)
  select imp.id, imp.phase, f ->> 'shopify_id', left(f ->> 'reason', 2000) from jsonb_array_elements(failures) f;
  failed := failed + jsonb_array_length(failures);
  update public.shop_imports i set
    byte_offset = to_offset,
    rows_done = i.rows_done + roots,
    rows_failed = i.rows_failed + failed,
    chunks = i.chunks + 1
  where i.id = imp.id;
  -- The next chunk at once, after this one commits (pg_net sends after commit).
  perform private.request_next_import_chunk();
  return jsonb_build_object('status', 'applied', 'applied', applied, 'failed', failed);
end;
$$;
comment on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb) is 'Applies one chunk of an import (records mapped by the webhook''s parsers) through private.apply_shopify_record, whole or not at all, only if it starts at the import''s offset; failures per row are recorded and skipped. Service role only.';
revoke execute on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb) to service_role;

select cron.schedule(
  'shopify-import',
  '* * * * *',
  $$select private.call_scheduled_function('shopify-import', 'shopify-import', '{}')
    where exists (select from public.shop_imports where status = 'running')$$
);
