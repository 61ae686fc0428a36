-- Answering an access request from the privacy console (issue 12: "access request → one click
-- builds the export and records that it was sent").
--
-- Owns: private.customer_data_export(uuid) (what an export holds, in one place),
-- public.answer_access_request(uuid); public.my_data_export() is restated to read the same
-- export (same signature, grants and answer as in 20261207182000).
--
-- Why: the shopper could download their data in the portal, but a request that arrived from
-- Shopify (customers/data_request) or was entered by staff had no way to be answered in Cairn.
-- Now an admin or a manager answers it with one call: the database builds the same export the
-- shopper gets, records it in export_log (who, which request) and completes the request with a
-- note that it was sent, in one transaction. Idempotent: asking again for a completed request
-- returns the export without recording it a second time.

create function private.customer_data_export(customer uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'exported_at', now(),
    'profile', (select to_jsonb(c) - '{customer_owner_id, owner_id, auth_user_id}'::text[] from public.customers c where c.id = customer),
    'orders', coalesce((
      select jsonb_agg(to_jsonb(o) - '{customer_owner_id, owner_id, auth_user_id}'::text[] || jsonb_build_object('items', coalesce((
        select jsonb_agg(to_jsonb(i) - '{customer_owner_id, owner_id, auth_user_id}'::text[] order by i.id)
        from public.order_items i where i.order_id = o.id), '[]'))
        order by o.placed_at desc, o.id)
      from public.orders o where o.customer_id = customer), '[]'),
    'consent_history', coalesce((
      select jsonb_agg(to_jsonb(e) - '{customer_owner_id, owner_id, auth_user_id, actor_id}'::text[] order by e.occurred_at, e.id)
      from public.consent_events e where e.customer_id = customer), '[]'),
    'favourites', coalesce((
      select jsonb_agg(jsonb_build_object('product', p.title, 'variant', v.title, 'price_at_favorite', f.price_at_favorite,
        'currency', f.currency, 'favorited_at', f.created_at) order by f.created_at)
      from public.favorites f join public.product_variants v on v.id = f.variant_id join public.products p on p.id = v.product_id
      where f.customer_id = customer), '[]'),
    'alert_preferences', (
      select to_jsonb(a) - '{customer_owner_id, owner_id, auth_user_id}'::text[] from public.alert_preferences a where a.customer_id = customer),
    'alerts', coalesce((
      select jsonb_agg(jsonb_build_object('kind', l.kind, 'state', l.state, 'old_price', l.old_price, 'new_price', l.new_price,
        'currency', l.currency, 'created_at', l.created_at, 'sent_at', l.sent_at) order by l.created_at)
      from public.alert_log l where l.customer_id = customer), '[]'),
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object('direction', m.direction, 'from', m.from_address, 'to', m.to_address,
        'subject', m.subject, 'body', coalesce(m.body_text, m.body_html), 'status', m.status, 'sent_at', m.sent_at,
        'created_at', m.created_at) order by m.created_at)
      from public.messages m where m.customer_id = customer), '[]'),
    'activities', coalesce((
      select jsonb_agg(jsonb_build_object('kind', a.kind, 'subject', a.subject, 'body', a.body, 'created_at', a.created_at)
        order by a.created_at)
      from public.activities a where a.customer_id = customer), '[]'),
    'privacy_requests', coalesce((
      select jsonb_agg(jsonb_build_object('kind', r.kind, 'status', r.status, 'requested_at', r.requested_at, 'due_at', r.due_at,
        'completed_at', r.completed_at) order by r.requested_at)
      from public.privacy_requests r where r.customer_id = customer), '[]')
  )
$$;
comment on function private.customer_data_export(uuid) is 'Everything Cairn holds about one customer as JSON (profile, orders with items, consent history, favourites, alert preferences and alerts, messages, activities, privacy requests), without staff ids. The one definition of a privacy export: my_data_export and answer_access_request both return it. Callers check who may see it.';
revoke execute on function private.customer_data_export(uuid) from public, anon, authenticated;

create or replace function public.my_data_export() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  me uuid := private.my_portal_customer();
  result jsonb := private.customer_data_export(me);
begin
  -- Recorded as an answered access request, once a day however often it is downloaded.
  if not exists (
    select from public.privacy_requests r
    where r.customer_id = me and r.kind = 'access' and r.source = 'portal' and r.requested_at > now() - interval '1 day'
  ) then
    insert into public.privacy_requests (customer_id, kind, source, status, note)
    values (me, 'access', 'portal', 'completed', 'Downloaded by the shopper from the portal.');
  end if;
  return result;
end;
$$;

create function public.answer_access_request(request uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target public.privacy_requests;
  actor uuid := auth.uid();
begin
  if not (select private.edits_all_customers()) and (select auth.role()) is distinct from 'service_role' then
    raise exception 'only admins and managers answer privacy requests' using errcode = '42501';
  end if;
  -- The row lock makes a second, concurrent click wait and then see the request completed.
  select * into target from public.privacy_requests r where r.id = answer_access_request.request for update;
  if not found or target.kind <> 'access' then
    raise exception 'no access request with this id' using errcode = 'P0002';
  end if;
  if target.status = 'refused' then
    raise exception 'this request was refused' using errcode = '55000', detail = 'refused';
  end if;
  if target.customer_id is null then
    raise exception 'the customer of this request no longer exists' using errcode = 'P0002', detail = 'no_customer';
  end if;
  if target.status = 'completed' then
    return jsonb_build_object('request', target.id, 'already_completed', true,
      'export', private.customer_data_export(target.customer_id));
  end if;

  if actor is not null and exists (select from public.team_members t where t.user_id = actor) then
    perform private.log_export('privacy_access', jsonb_build_object('request', target.id, 'customer', target.customer_id), 1);
  end if;
  update public.privacy_requests r set status = 'completed', assignee_id = coalesce(r.assignee_id, actor),
    note = left(concat_ws(E'\n', r.note, 'Export built and sent on ' || now()::date || '.'), 2000)
  where r.id = target.id;
  return jsonb_build_object('request', target.id, 'already_completed', false,
    'export', private.customer_data_export(target.customer_id));
end;
$$;
comment on function public.answer_access_request(uuid) is 'The privacy console''s "answer": builds the customer''s export (private.customer_data_export), records it in export_log (kind privacy_access) and completes the access request with a note that it was sent. Admins and managers (and the service role). Idempotent: a completed request returns its export again (already_completed) without a second record.';
revoke execute on function public.answer_access_request(uuid) from public, anon;
grant execute on function public.answer_access_request(uuid) to authenticated, service_role;
