-- Shopify's privacy requests in the privacy console (issue 12: "requests from the portal, from
-- Shopify (customers/data_request, customers/redact) and entered by staff, each with its 30-day
-- clock").
--
-- Owns: private.copy_shopify_privacy_request(), private.open_privacy_request_from_shopify()
-- (AFTER INSERT on shopify_privacy_requests),
-- private.complete_shopify_privacy_request() (AFTER UPDATE OF status on privacy_requests) and
-- their triggers; a one-time copy of the Shopify requests already stored.
--
-- Why: the shopify-webhook function stores Shopify's compliance requests in
-- shopify_privacy_requests, which only admins read and which had no clock, no assignee and no
-- way to be answered; the console (privacy_requests) never saw them. Now each customers/
-- data_request or customers/redact that points at a customer opens (or joins) that customer's
-- request of the same kind, with source `shopify`, in the same transaction; a redact the webhook
-- already carried out arrives completed. When staff complete the console's request, the Shopify
-- request it came from is completed too. A request that points at no customer stays where it was
-- (nothing in Cairn to export or erase; the admin sees it in shopify_privacy_requests).

create function private.copy_shopify_privacy_request(request public.shopify_privacy_requests) returns void
language plpgsql security definer set search_path = '' as $$
declare
  wanted text := case request.kind when 'customers/data_request' then 'access' when 'customers/redact' then 'erasure' end;
begin
  if wanted is null or request.customer_id is null then
    return;
  end if;
  if request.status = 'completed' then
    insert into public.privacy_requests (customer_id, kind, source, status, note, shopify_request_id)
    values (request.customer_id, wanted, 'shopify', 'completed', left(request.note, 2000), request.id);
  else
    -- One open request per customer and kind: a second one (the shopper also asked in the
    -- portal, or Shopify sent it twice) joins the open one, which remembers the first Shopify
    -- request it answers.
    insert into public.privacy_requests (customer_id, kind, source, note, shopify_request_id)
    values (request.customer_id, wanted, 'shopify', left(request.note, 2000), request.id)
    on conflict (customer_id, kind) where status in ('open', 'in_progress')
    do update set shopify_request_id = coalesce(privacy_requests.shopify_request_id, excluded.shopify_request_id);
  end if;
end;
$$;
comment on function private.copy_shopify_privacy_request(public.shopify_privacy_requests) is 'customers/data_request → an access request, customers/redact → an erasure request (completed when the webhook already carried it out), source shopify, for the customer the Shopify request points at; joins an open request of the same kind instead of opening a second. Requests that point at no customer (and shop/redact) are not copied.';
revoke execute on function private.copy_shopify_privacy_request(public.shopify_privacy_requests) from public, anon, authenticated;

create function private.open_privacy_request_from_shopify() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.copy_shopify_privacy_request(new);
  return null;
end;
$$;
comment on function private.open_privacy_request_from_shopify() is 'AFTER INSERT on shopify_privacy_requests: the request appears in the privacy console (private.copy_shopify_privacy_request).';
revoke execute on function private.open_privacy_request_from_shopify() from public, anon, authenticated;
create trigger open_privacy_request after insert on public.shopify_privacy_requests
  for each row execute function private.open_privacy_request_from_shopify();

create function private.complete_shopify_privacy_request() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.shopify_privacy_requests s set status = 'completed', completed_at = coalesce(s.completed_at, now())
  where s.id = new.shopify_request_id and s.status <> 'completed';
  return null;
end;
$$;
comment on function private.complete_shopify_privacy_request() is 'AFTER UPDATE OF status on privacy_requests (to completed, with a Shopify origin): completes the shopify_privacy_requests row it came from.';
revoke execute on function private.complete_shopify_privacy_request() from public, anon, authenticated;
create trigger complete_shopify_request after update of status on public.privacy_requests
  for each row when (new.status = 'completed' and old.status is distinct from 'completed' and new.shopify_request_id is not null)
  execute function private.complete_shopify_privacy_request();

-- The Shopify requests already stored, oldest first, by the same rules.
do $$
declare
  stored public.shopify_privacy_requests;
begin
  for stored in select * from public.shopify_privacy_requests order by id loop
    perform private.copy_shopify_privacy_request(stored);
  end loop;
end
$$;
