-- Orders enrol their customers in flows once per statement, not once per row (issue 11:
-- history-import throughput; docs/benchmarks.md, "Where a chunk's time goes").
--
-- Why: private.capture_order_flow_events ran for every inserted or updated order — a plpgsql call
-- and three private.flows_listen look-ups per order even when no flow listens (~80 ms of a
-- 1 000-order import chunk), and the refunds step's update of refunded_total fired it again.
--
-- Owns:
--   - private.capture_order_flow_events_rows(): the same enrolments as
--     private.capture_order_flow_events (20261208110100), over the statement's transition tables.
--     One look-up of the active flows per statement; when none listens to order_created,
--     order_paid or order_fulfilled, nothing else is done. Otherwise, per row in the statement's
--     row order (the order the row trigger fired in) and per flow of the trigger type, the
--     enrolment private.enrol_in_flows would make: the same entry keys (order_created:<id>,
--     order_paid:<id>, order_fulfilled:<id>), the same trigger_event, the same "entered" step run,
--     skipped by the same unique indexes (once per entry key; one active passage per customer and
--     flow — within a statement the first row wins, as it did row by row).
--   - the triggers capture_flow_events_inserts / capture_flow_events_updates on public.orders
--     (AFTER … FOR EACH STATEMENT, REFERENCING the statement's rows), replacing the row trigger
--     capture_flow_events. The row trigger listed its columns (financial_status,
--     fulfillment_status, customer_id); a transition-table trigger cannot, so the update trigger
--     fires for every update and keeps the rows where one of those changed — which is all the row
--     function acted on.
-- private.capture_order_flow_events stays (unused) so that nothing that names it breaks.

create function private.capture_order_flow_events_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  changes jsonb;
begin
  -- One look-up for the statement (flows_active_trigger_idx): no listener, nothing to do.
  if not exists (
    select from public.flows f
    where f.status = 'active' and f.trigger ->> 'type' in ('order_created', 'order_paid', 'order_fulfilled')
  ) then
    return null;
  end if;
  -- The statement's rows in the order they were written (a transition table is read in that
  -- order), each with what it was before an update.
  if tg_op = 'INSERT' then
    select jsonb_agg(jsonb_build_object('row_no', n.row_no, 'id', n.id, 'customer_id', n.customer_id,
                                        'order_number', n.order_number, 'financial_status', n.financial_status,
                                        'fulfillment_status', n.fulfillment_status, 'updated', false))
    into changes
    from (select r.id, r.customer_id, r.order_number, r.financial_status, r.fulfillment_status,
                 row_number() over () as row_no
          from new_rows r) as n
    where n.customer_id is not null;
  else
    select jsonb_agg(jsonb_build_object('row_no', n.row_no, 'id', n.id, 'customer_id', n.customer_id,
                                        'order_number', n.order_number, 'financial_status', n.financial_status,
                                        'fulfillment_status', n.fulfillment_status, 'updated', true,
                                        'old_customer_id', o.customer_id, 'old_financial_status', o.financial_status,
                                        'old_fulfillment_status', o.fulfillment_status))
    into changes
    from (select r.id, r.customer_id, r.order_number, r.financial_status, r.fulfillment_status,
                 row_number() over () as row_no
          from new_rows r) as n
    join old_rows o on o.id = n.id
    where n.customer_id is not null
      and (n.customer_id, n.financial_status, n.fulfillment_status)
          is distinct from (o.customer_id, o.financial_status, o.fulfillment_status);
  end if;
  if changes is null then
    return null;
  end if;
  with changed as (
    select c.*
    from jsonb_to_recordset(changes) as c (
      row_no bigint, id uuid, customer_id uuid, order_number text, financial_status text, fulfillment_status text,
      updated boolean, old_customer_id uuid, old_financial_status text, old_fulfillment_status text
    )
  ), events as (
    -- The three events of private.capture_order_flow_events, under its conditions.
    select c.row_no, t.position, t.trigger_type, c.customer_id, t.trigger_type || ':' || c.id as entry_key,
           jsonb_build_object('order_id', c.id, 'order_number', c.order_number) as event
    from changed c
    cross join lateral (values
      (1, 'order_created', not c.updated or c.customer_id is distinct from c.old_customer_id),
      (2, 'order_paid', c.financial_status = 'paid'
        and (not c.updated or c.old_financial_status is distinct from 'paid' or c.customer_id is distinct from c.old_customer_id)),
      (3, 'order_fulfilled', c.fulfillment_status = 'fulfilled'
        and (not c.updated or c.old_fulfillment_status is distinct from 'fulfilled' or c.customer_id is distinct from c.old_customer_id))
    ) as t (position, trigger_type, fires)
    where t.fires
  ), entered as (
    -- private.enrol_in_flows for every event at once: its candidate flows and its insert, in the
    -- order the row trigger made them.
    insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
    select f.id, e.customer_id, e.entry_key, jsonb_build_object('type', e.trigger_type) || e.event, f.first_step
    from events e
    join public.flows f on f.status = 'active' and f.trigger ->> 'type' = e.trigger_type
      and (not f.trigger ? 'to' or f.trigger ->> 'to' = e.event ->> 'to')
      and (not f.trigger ? 'segment_id' or f.trigger ->> 'segment_id' = e.event ->> 'segment_id')
      and (not f.trigger ? 'tag_id' or f.trigger ->> 'tag_id' = e.event ->> 'tag_id')
    order by e.row_no, e.position, f.id
    on conflict do nothing
    returning id, flow_id, customer_id, trigger_event
  )
  insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
  select e.id, e.flow_id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e;
  return null;
end;
$$;
comment on function private.capture_order_flow_events_rows() is 'Statement-level (AFTER INSERT / UPDATE … REFERENCING new_rows / old_rows) on orders: order created, paid, fulfilled → the enrolments private.enrol_in_flows makes, keyed by the order so replays enrol once; one look-up of the active flows per statement.';
revoke execute on function private.capture_order_flow_events_rows() from public, anon, authenticated;

drop trigger capture_flow_events on public.orders;
create trigger capture_flow_events_inserts after insert on public.orders
  referencing new table as new_rows for each statement execute function private.capture_order_flow_events_rows();
create trigger capture_flow_events_updates after update on public.orders
  referencing old table as old_rows new table as new_rows for each statement execute function private.capture_order_flow_events_rows();
