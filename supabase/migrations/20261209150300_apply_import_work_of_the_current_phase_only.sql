-- An import's worker changes the import only in the phase it read it in (issue 11: exactly once
-- when two workers overlap).
--
-- Why: shopify-import's claim leases an import for 2 minutes, but two workers can still overlap
-- on one import — a lease runs out (or is cleared, as the function tests' finish() does) while a
-- worker is still busy, or the every-minute schedule and the after-chunk call both start one.
-- The chunk apply was guarded by the byte offset only. When worker 1 applied the last chunk of a
-- phase and moved the import to the next phase (offset reset to 0), worker 2, which had read the
-- import before that in the old phase, applied the old phase's first chunk again: its offset (0)
-- matched the new phase's. The rows themselves are versioned (nothing changed twice), but
-- rows_done counted them twice and worker 2's "phase done" reset the new phase's bulk operation
-- (see docs/benchmarks.md and the function test "applies a chunk exactly once"). Likewise a late
-- progress report (a bulk operation's id or URL, a phase change) from a phase the import has left
-- was written over the current phase.
--
-- Owns (re-created with one more, optional, argument; the rest unchanged):
--   - public.shopify_import_apply_chunk(…, import_phase): a chunk of another phase than the
--     import's is 'stale', like a chunk at another offset.
--   - public.shopify_import_progress(…, expected_phase): changes nothing unless the import is
--     still in that phase. Two workers in the same phase can both see its export finish: the
--     phase's total is added to rows_total once (while phase_total is not yet set). One of them
--     may be told that the other's export is still running (OPERATION_IN_PROGRESS, recorded as
--     last_error): completing the import clears last_error.
-- shopify-import passes the phase it read with every call. Without the argument both behave as
-- before.
--
-- Also in public.shopify_import_apply_chunk: the chunk is written without the worker's JWT claims
-- (transaction-local), as shopify-webhook writes a delivery, so that an imported record's audit
-- entries name the same actor role as the same record's webhook (the equivalence test compares
-- them: the import's said service_role, the webhook's the database owner's role).

drop function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb);

create function public.shopify_import_apply_chunk(
  import_id uuid,
  from_offset bigint,
  to_offset bigint,
  roots integer,
  records jsonb,
  failures jsonb default '[]',
  import_phase text default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  imp public.shop_imports;
  item jsonb;
  outcome text;
  mode text := 'set';
  applied integer := 0;
  fixed integer := 0;
  failed integer := 0;
begin
  select * into imp from public.shop_imports i where i.id = shopify_import_apply_chunk.import_id for update;
  if imp.id is null or imp.status <> 'running' then
    return jsonb_build_object('status', 'not_running');
  end if;
  -- A chunk of a phase the import has left: a worker that read it before another finished the
  -- phase and moved on (the new phase starts again at offset 0, so the offset alone would let it
  -- through, and its rows would count twice).
  if import_phase is not null and imp.phase is distinct from import_phase then
    return jsonb_build_object('status', 'stale', 'byte_offset', imp.byte_offset, 'phase', imp.phase);
  end if;
  if imp.byte_offset <> from_offset then
    -- A chunk already applied (a retry, an overlapping call): nothing happens twice.
    return jsonb_build_object('status', 'stale', 'byte_offset', imp.byte_offset);
  end if;
  perform set_config('cairn.change_source', 'shopify', true);
  -- Written as a webhook writes it: shopify-webhook calls the database as its owner, without a
  -- JWT, so its audit entries name the owner's role; an imported record's entries name the same
  -- (not the service_role of the worker's request). Transaction-local, like PostgREST's own.
  perform set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.role', '', true),
    set_config('request.jwt.claim.sub', '', true);
  -- Customer metrics are recomputed once the import's orders are all in (20261208150100).
  perform set_config('cairn.defer_customer_metrics', imp.id::text, true);
  begin
    fixed := private.apply_shopify_chunk(imp.shop_id, records);
    applied := jsonb_array_length(records);
  exception when others then
    -- Rolled back whole; row by row instead, each row its own subtransaction, so one bad row is
    -- recorded and the others are applied.
    mode := 'rows';
    fixed := 0;
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
  end;
  insert into public.shop_import_errors (import_id, phase, shopify_id, reason)
  select imp.id, imp.phase, f ->> 'shopify_id', left(f ->> 'reason', 2000) from jsonb_array_elements(failures) f;
  failed := failed + jsonb_array_length(failures);
  update public.shop_imports i set
    byte_offset = to_offset,
    rows_done = i.rows_done + roots,
    rows_failed = i.rows_failed + failed,
    rows_fixed = i.rows_fixed + fixed,
    chunks = i.chunks + 1,
    row_chunks = i.row_chunks + case when mode = 'rows' then 1 else 0 end
  where i.id = imp.id;
  -- The next chunk at once, after this one commits (pg_net sends after commit).
  perform private.request_next_import_chunk();
  return jsonb_build_object('status', 'applied', 'mode', mode, 'applied', applied, 'fixed', fixed, 'failed', failed);
end;
$$;
comment on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) is 'Applies one chunk of an import or reconciliation, whole or not at all, only if it starts at the import''s offset and (when import_phase is given) belongs to its current phase: as sets (private.apply_shopify_chunk) or, when that cannot, row by row through private.apply_shopify_record with failures recorded and skipped. Counts what it changed. Service role only.';
revoke execute on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) from public, anon, authenticated;
grant execute on function public.shopify_import_apply_chunk(uuid, bigint, bigint, integer, jsonb, jsonb, text) to service_role;

drop function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean);

create function public.shopify_import_progress(
  import_id uuid,
  phase text default null,
  bulk_operation_id text default null,
  bulk_url text default null,
  phase_total bigint default null,
  status text default null,
  last_error text default null,
  reset_offset boolean default false,
  release boolean default false,
  expected_phase text default null
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
    -- A phase's total counts once, however many workers saw its export finish.
    rows_total = case when shopify_import_progress.phase_total is not null and shopify_import_progress.phase is null
                           and i.phase_total is null
                      then coalesce(i.rows_total, 0) + shopify_import_progress.phase_total else i.rows_total end,
    byte_offset = case when reset_offset then 0 else i.byte_offset end,
    status = coalesce(shopify_import_progress.status, i.status),
    -- A completed import has no error left to show (a worker's passing trouble — another worker's
    -- export still running, a throttled call — was overcome).
    last_error = case when shopify_import_progress.status = 'completed' then null
                      else coalesce(left(shopify_import_progress.last_error, 2000), i.last_error) end,
    finished_at = case when shopify_import_progress.status in ('completed', 'failed', 'canceled') then now() else i.finished_at end,
    leased_until = case when release then null else i.leased_until end
  where i.id = shopify_import_progress.import_id
    -- What a worker learnt in a phase the import has left (another worker finished it) is stale.
    and (shopify_import_progress.expected_phase is null or i.phase = shopify_import_progress.expected_phase);
end;
$$;
comment on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, text) is 'Records an import''s phase, bulk operation, totals and outcome — only while it is still in expected_phase when that is given (service role only).';
revoke execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, text) from public, anon, authenticated;
grant execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, text) to service_role;
