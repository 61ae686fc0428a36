-- An import worker's writes count only while it still holds its lease (issue 11: "killing the
-- runtime mid-import and restarting finishes with no row missing and none duplicated").
--
-- A worker whose lease was broken (it outlived the 2 minutes, or an abandoned lease was taken
-- over) kept writing: its chunk apply was checked by byte offset only, so the last chunk of one
-- phase, applied again just after the phase moved on and the offset went back to 0, counted its
-- rows twice; and its progress calls recorded a second bulk operation and added the phase's total
-- twice. Both were seen when two workers overlapped on one import.
--
-- The lease a claim hands out (shop_imports.leased_until, microsecond precise) is now also the
-- worker's fencing token: every write it makes names it, and a write whose token is no longer the
-- row's changes nothing.
--
-- Owns:
--   - public.shopify_import_progress: restated from 20261207191000 with `lease` (no write when it
--     is not the row's) and a boolean answer; a step forward (a bulk operation, a file, a phase,
--     an outcome) clears last_error, so a passing "export already running" does not stay on a
--     completed import.
--   - public.shopify_import_apply_leased_chunk: shopify_import_apply_chunk (unchanged), under the
--     caller's lease.

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
  lease timestamptz default null
) returns boolean
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
    last_error = case
      when shopify_import_progress.last_error is not null then left(shopify_import_progress.last_error, 2000)
      when shopify_import_progress.bulk_operation_id is not null or shopify_import_progress.bulk_url is not null
        or shopify_import_progress.phase is not null or shopify_import_progress.status is not null then null
      else i.last_error end,
    finished_at = case when shopify_import_progress.status in ('completed', 'failed', 'canceled') then now() else i.finished_at end,
    leased_until = case when release then null else i.leased_until end
  where i.id = shopify_import_progress.import_id
    and (shopify_import_progress.lease is null or i.leased_until = shopify_import_progress.lease);
  return found;
end;
$$;
comment on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, timestamptz) is 'Records an import''s phase, bulk operation, totals and outcome; with a lease, only while the caller still holds it (false when it does not). A step forward clears the last error. Service role only.';
revoke execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, timestamptz) from public, anon, authenticated;
grant execute on function public.shopify_import_progress(uuid, text, text, text, bigint, text, text, boolean, boolean, timestamptz) to service_role;

create function public.shopify_import_apply_leased_chunk(
  import_id uuid,
  lease timestamptz,
  from_offset bigint,
  to_offset bigint,
  roots integer,
  records jsonb,
  failures jsonb default '[]'
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  held timestamptz;
begin
  -- The same row lock shopify_import_apply_chunk takes, taken first: no claim slips in between.
  select i.leased_until into held from public.shop_imports i
  where i.id = shopify_import_apply_leased_chunk.import_id for update;
  if held is distinct from lease then
    return jsonb_build_object('status', 'stale', 'reason', 'lease');
  end if;
  return public.shopify_import_apply_chunk(import_id, from_offset, to_offset, roots, records, failures);
end;
$$;
comment on function public.shopify_import_apply_leased_chunk(uuid, timestamptz, bigint, bigint, integer, jsonb, jsonb) is 'public.shopify_import_apply_chunk for the worker holding the import''s lease: stale (nothing applied) when the lease is no longer the caller''s. Service role only.';
revoke execute on function public.shopify_import_apply_leased_chunk(uuid, timestamptz, bigint, bigint, integer, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.shopify_import_apply_leased_chunk(uuid, timestamptz, bigint, bigint, integer, jsonb, jsonb) to service_role;
