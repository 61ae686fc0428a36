-- A Shopify webhook delivery that fails tells the admins (issue 15: "a failed integration job
-- (admins)")
--
-- Owns: the triggers `notify_webhook_failure` on public.webhook_deliveries, the function
-- `private.notify_webhook_failure()` and the index `notifications_unread_integration_idx`.
-- Until now `private.notify_integration_failure` existed but nothing called it, so no failure
-- ever reached the bell.
--
-- One notification per shop while it is unread (job `webhooks:<shop id>`): a burst of failing
-- deliveries, or retries that keep failing, must not bury the bell. It fires when a delivery is
-- stored as failed (its payload did not validate) or turns failed (applying raised an error), not
-- when a failed one is retried and fails again (status unchanged). Whatever happens while
-- notifying never fails the webhook's own write (the error becomes a warning in the log).
--
-- Who may do what: nothing new for users — the trigger runs as its definer; admins read the
-- notifications as before (their own only).

create function private.notify_webhook_failure() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  begin
    perform private.notify_integration_failure(
      'shopify',
      'webhooks:' || new.shop_id::text,
      left(new.topic || ': ' || coalesce(new.last_error, 'applying failed'), 2000),
      '/settings'
    );
  exception when others then
    raise warning 'notify_webhook_failure: % (%)', sqlerrm, sqlstate;
  end;
  return null;
end;
$$;
comment on function private.notify_webhook_failure() is
  'Tells the admins that a Shopify webhook delivery failed (once per shop while unread, via private.notify_integration_failure); never fails the delivery''s own write.';
revoke execute on function private.notify_webhook_failure() from public, anon, authenticated;

create trigger notify_webhook_failure after insert on public.webhook_deliveries
  for each row when (new.status = 'failed') execute function private.notify_webhook_failure();
create trigger notify_webhook_failure_on_update after update of status on public.webhook_deliveries
  for each row when (new.status = 'failed' and old.status is distinct from 'failed')
  execute function private.notify_webhook_failure();

-- notify_integration_failure looks for an unread notification of the same job on every call:
-- without this it reads the whole notifications table (a million rows at the issue's size).
create index notifications_unread_integration_idx on public.notifications ((data ->> 'integration'), (data ->> 'job'))
  where kind = 'integration_failed' and read_at is null;
comment on index public.notifications_unread_integration_idx is
  'Unread integration-failure notifications by integration and job: the "once while unread" check of private.notify_integration_failure.';
