-- Two helpers the order write path calls on every statement are planned once per connection
-- instead of on every call (issue 13: the webhook path must stay at ≥ 200 orders/s;
-- docs/benchmarks.md, "Shopify webhook ingestion").
--
-- A SQL function is inlined into the statement that calls it only when it has no SET clause
-- and is not security definer; otherwise every call parses and plans its body afresh. On the
-- webhook benchmark these two were the statements planned most often (one plan per call, about a
-- millisecond per order between them):
--
-- Restated (create or replace, same signatures, same results, grants kept):
--   - private.quarter_hour (20261209120000): immutable SQL without the SET clause, its body
--     written with pg_catalog names so that it means the same under any search_path; the
--     planner now inlines it into the sales-summary triggers and readers (date_bin itself).
--   - private.flows_listen (20261209110200): PL/pgSQL instead of SQL (it stays security
--     definer: flows are not readable by every caller), so its query is planned once per
--     connection and reused.

create or replace function private.quarter_hour(at timestamptz) returns timestamptz
language sql immutable parallel safe as $$
  select pg_catalog.date_bin('15 minutes'::pg_catalog.interval, at, '2000-01-01 00:00:00+00'::pg_catalog.timestamptz)
$$;
comment on function private.quarter_hour(timestamptz) is 'The start of the UTC quarter-hour an instant falls in (the sales summaries'' bucket). Inlined by the planner (no SET clause; pg_catalog names only).';
revoke execute on function private.quarter_hour(timestamptz) from public, anon;
grant execute on function private.quarter_hour(timestamptz) to authenticated, service_role;

create or replace function private.flows_listen(trigger_type text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (select 1 from public.flows f where f.status = 'active' and f.trigger ->> 'type' = trigger_type)
      or exists (select 1 from public.flows f where f.status = 'active' and trigger_type = any (f.also_on));
end;
$$;
comment on function private.flows_listen(text) is 'Whether any active flow starts on this trigger (its type, or one of its also_on). PL/pgSQL so its query is planned once per connection.';
