-- The health panel's delivery figures follow the deliveries live (issue 11: "Live through Realtime").
--
-- The panel re-asked shopify_delivery_health every 30 s. Putting webhook_deliveries in the
-- Realtime publication would stream every delivery (hundreds a second at peak, with their
-- payloads) to be checked against RLS for every subscriber, for a panel that only needs to know
-- "something changed for shop X". So the database says exactly that, and at most every 2 seconds
-- per shop:
--
-- Owns:
--   - private.shop_delivery_signals: per shop, when the panel was last told (a row per shop).
--   - private.signal_delivery_changes(): a statement trigger on public.webhook_deliveries (insert,
--     update of status): for each shop the statement touched whose last signal is older than 2
--     seconds, a broadcast `deliveries` with `{shop_id}` on the private channel
--     `shopify-integrations` (admins only, 20261207192000) via realtime.send. The check reads
--     first and writes only when it sends, so concurrent deliveries of one shop do not queue on
--     the signal row; two sending at the same moment cost a duplicate signal, nothing more. A
--     failure to signal never fails the delivery's write.
--   The panel refetches the shop's figures on the signal and once more 2.5 seconds later (so a
--   change in the 2 seconds after a signal, which sends none, is still shown), and on reconnecting.

create table private.shop_delivery_signals (
  shop_id uuid primary key references public.shops (id) on delete cascade,
  signalled_at timestamptz not null
);
comment on table private.shop_delivery_signals is 'When the Integrations panel was last told that a shop''s deliveries changed (at most every 2 s per shop).';
revoke all on private.shop_delivery_signals from public, anon, authenticated, service_role;

create function private.signal_delivery_changes() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
begin
  for target in
    select distinct n.shop_id from new_rows n
    where not exists (
      select 1 from private.shop_delivery_signals s
      where s.shop_id = n.shop_id and s.signalled_at > now() - interval '2 seconds'
    )
  loop
    begin
      insert into private.shop_delivery_signals as s (shop_id, signalled_at) values (target, now())
      on conflict (shop_id) do update set signalled_at = excluded.signalled_at;
      perform realtime.send(jsonb_build_object('shop_id', target), 'deliveries', 'shopify-integrations', true);
    exception when others then
      -- A lost signal is never worth a lost delivery.
      null;
    end;
  end loop;
  return null;
end;
$$;
comment on function private.signal_delivery_changes() is 'Tells the Integrations panel (Realtime broadcast `deliveries` on the private channel shopify-integrations) that a shop''s webhook deliveries changed, at most every 2 seconds per shop; never fails the write.';
revoke execute on function private.signal_delivery_changes() from public, anon, authenticated;

create trigger signal_delivery_changes after insert on public.webhook_deliveries
  referencing new table as new_rows
  for each statement execute function private.signal_delivery_changes();
create trigger signal_delivery_status_changes after update on public.webhook_deliveries
  referencing new table as new_rows
  for each statement execute function private.signal_delivery_changes();
