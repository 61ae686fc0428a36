-- Daily reconciliation of every connected Shopify store (issue 11).
--
-- Owns:
--   - shop_imports.kind ('history' | 'reconcile'), .since (a reconciliation asks Shopify only for
--     records with updated_at after it) and .rows_fixed (records a reconciliation — or an import —
--     actually changed: created or updated, not already current). A reconciliation is an import
--     whose bulk queries carry `query: "updated_at:>'<since>'"`; it runs through the same chunks,
--     rules and exactly-once guard, so what webhooks missed is healed within a day.
--   - public.shopify_import_apply_chunk, re-created: the same, and it counts rows_fixed from the
--     apply outcomes.
--   - private.queue_shopify_reconciliations(): per connected shop without a running import, a
--     reconciliation since the start of its last completed import or reconciliation (minus an
--     hour of overlap), asked for at once. Scheduled daily at 03:40 (`shopify-reconcile`).
alter table public.shop_imports
  add column kind text not null default 'history' constraint shop_imports_kind check (kind in ('history', 'reconcile')),
  add column since timestamptz,
  add column rows_fixed bigint not null default 0;
comment on column public.shop_imports.kind is 'history: everything the store holds; reconcile: only records updated after `since` (the daily job).';
comment on column public.shop_imports.since is 'For a reconciliation: records updated after this are asked for.';
comment on column public.shop_imports.rows_fixed is 'Records this run changed (created or updated); for a reconciliation, what webhooks had missed.';

create or replace function public.shopify_import_apply_chunk(
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
  outcome text;
  applied integer := 0;
  fixed integer := 0;
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
      outcome := private.apply_shopify_record(imp.shop_id, item -> 'mapped', (item ->> 'version')::timestamptz, null);
      applied := applied + 1;
      if outcome in ('created', 'updated') then
        fixed := fixed + 1;
      end if;
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
    rows_fixed = i.rows_fixed + fixed,
    chunks = i.chunks + 1
  where i.id = imp.id;
  perform private.request_next_import_chunk();
  return jsonb_build_object('status', 'applied', 'applied', applied, 'fixed', fixed, 'failed', failed);
end;
$$;
comment on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb) is 'Applies one chunk of an import or reconciliation (records mapped by the webhook''s parsers) through private.apply_shopify_record, whole or not at all, only if it starts at the import''s offset; counts what it changed; failures per row are recorded and skipped. Service role only.';

create function private.queue_shopify_reconciliations() returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  queued integer;
begin
  insert into public.shop_imports (shop_id, kind, since)
  select c.shop_id, 'reconcile',
         coalesce((select max(i.started_at) from public.shop_imports i
                    where i.shop_id = c.shop_id and i.status = 'completed'), c.connected_at) - interval '1 hour'
  from public.shop_connections c
  join public.shops s on s.id = c.shop_id and s.active
  where not exists (select from public.shop_imports i where i.shop_id = c.shop_id and i.status = 'running');
  get diagnostics queued = row_count;
  if queued > 0 then
    perform private.request_next_import_chunk();
  end if;
  return queued;
end;
$$;
comment on function private.queue_shopify_reconciliations() is 'The daily job: a reconciliation per connected shop (records updated since its last completed run, an hour of overlap). Returns how many were queued.';
revoke execute on function private.queue_shopify_reconciliations() from public, anon, authenticated;

select cron.schedule('shopify-reconcile', '40 3 * * *', $$select private.queue_shopify_reconciliations()$$);
