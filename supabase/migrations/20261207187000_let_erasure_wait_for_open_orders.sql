-- Erasure waits for open orders when the shop says so (issue 12: erasure is "refused with a
-- clear reason while an order is open, if the shop says so").
--
-- Owns: workspace_settings.erasure_waits_for_open_orders; public.erase_customer(uuid) is
-- restated from 20261207184000 (same signature, grants and scrubbing) with that check.
--
-- Why: a shop that still has to ship or bill an order needs the address and the name until it
-- is done (GDPR art. 17(3)(b): a legal obligation, and the contract). The shop decides: off by
-- default, an admin turns it on; then erase_customer refuses (55000, detail open_orders, with a
-- hint) while the customer has an order that is not cancelled and is not yet paid or not yet
-- shipped. The request stays open with its clock.

alter table public.workspace_settings add column erasure_waits_for_open_orders boolean not null default false;
comment on column public.workspace_settings.erasure_waits_for_open_orders is 'When true, erase_customer refuses (55000 open_orders) while the customer has an order not cancelled and not yet paid or shipped. Set by admins.';

create or replace function public.erase_customer(request uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target public.privacy_requests;
  customer record;
  account uuid;
begin
  if not (select private.edits_all_customers()) and (select auth.role()) is distinct from 'service_role' then
    raise exception 'only admins and managers erase customers' using errcode = '42501';
  end if;
  select * into target from public.privacy_requests r where r.id = erase_customer.request for update;
  if not found or target.kind <> 'erasure' then
    raise exception 'no erasure request with this id' using errcode = 'P0002';
  end if;
  if target.status = 'completed' then
    return jsonb_build_object('request', target.id, 'erased', false, 'already_completed', true);
  end if;
  if target.status = 'refused' then
    raise exception 'this request was refused' using errcode = '55000', detail = 'refused';
  end if;
  select c.id, c.email, c.auth_user_id into customer from public.customers c where c.id = target.customer_id for update;
  if not found then
    raise exception 'the customer of this request no longer exists' using errcode = 'P0002';
  end if;
  account := customer.auth_user_id;

  -- The shop's rule: while an order is still open (not cancelled, and not yet paid or not yet
  -- shipped), the data is still needed to deliver or bill it.
  if (select w.erasure_waits_for_open_orders from public.workspace_settings w)
     and exists (
       select from public.orders o
       where o.customer_id = customer.id and o.cancelled_at is null
         and (o.financial_status in ('pending', 'authorized', 'partially_paid')
           or o.fulfillment_status in ('unfulfilled', 'partially_fulfilled'))
     ) then
    raise exception 'this customer has an open order: the shop erases only once every order is paid and shipped, or cancelled'
      using errcode = '55000', detail = 'open_orders',
        hint = 'Finish or cancel the open orders, then erase; the request keeps its 30-day clock.';
  end if;

  update public.customers c set
    first_name = 'Erased', last_name = null, email = null, phone = null, company = null,
    region = null, city = null, postal_code = null, timezone = null,
    style_interests = '{}', favourite_brands = '{}', custom_fields = '{}', auth_user_id = null, status = 'inactive'
  where c.id = customer.id;

  update public.orders o set
    shipping_name = null, shipping_address1 = null, shipping_address2 = null, shipping_city = null,
    shipping_region = null, shipping_postal_code = null, shipping_phone = null, note = null,
    tracking_number = null, tracking_url = null
  where o.customer_id = customer.id;

  update public.activities a set
    subject = case when a.kind = 'system' then a.subject else 'Erased' end, body = null, attachments = '[]',
    metadata = case when a.kind = 'system' then jsonb_build_object('event', a.metadata -> 'event') else '{}' end
  where a.customer_id = customer.id;
  update public.messages m set
    subject = 'Erased', body_text = null, body_html = null, error = null,
    from_address = 'erased@erased.invalid', to_address = 'erased@erased.invalid'
  where m.customer_id = customer.id;
  update public.message_threads t set subject = 'Erased' where t.customer_id = customer.id;
  update public.deals d set title = 'Erased' where d.customer_id = customer.id;

  delete from public.favorites f where f.customer_id = customer.id;
  delete from public.alert_preferences p where p.customer_id = customer.id;
  delete from public.alert_log l where l.customer_id = customer.id;
  delete from public.email_events e where e.customer_id = customer.id or (customer.email is not null and lower(e.email) = lower(customer.email));
  delete from public.email_suppressions s where customer.email is not null and s.email = lower(customer.email);
  delete from public.customer_external_ids x where x.customer_id = customer.id;
  delete from public.notifications n where n.data ->> 'customer_id' = customer.id::text;
  update public.shopify_privacy_requests s set email = null where s.customer_id = customer.id;

  -- The audit log keeps that something changed, not what it said.
  update public.audit_log a set
    before = case when a.before is null then null else jsonb_build_object('erased', true) end,
    after = case when a.after is null then null else jsonb_build_object('erased', true) end
  where (a.table_name = 'customers' and a.row_id = customer.id::text)
     or a.before ->> 'customer_id' = customer.id::text
     or a.after ->> 'customer_id' = customer.id::text
     or (account is not null and a.row_id = account::text);

  if account is not null then
    -- Hosted Auth writes the address into its own audit trail (actor_username); it goes too.
    delete from auth.audit_log_entries e
    where e.payload ->> 'actor_id' = account::text
       or (customer.email is not null and lower(e.payload ->> 'actor_username') = lower(customer.email));
    delete from auth.users u where u.id = account;
  end if;

  update public.privacy_requests r set status = 'completed',
    note = left(concat_ws(E'\n', r.note, 'Erased on ' || now()::date || '.'), 2000)
  where r.id = target.id;
  return jsonb_build_object('request', target.id, 'erased', true, 'already_completed', false);
end;
$$;
comment on function public.erase_customer(uuid) is 'Carries out an erasure request: scrubs the customer''s personal data everywhere (profile, orders'' shipping details, activities, messages, deals, favourites, alerts, email events, suppressions, external ids, notifications, audit images; deletes the portal account; attachment files are not removed), keeps financial totals and the consent ledger, completes the request. Refused (55000 open_orders) while an order is open when workspace_settings.erasure_waits_for_open_orders is on. Admins and managers (and the service role). Idempotent: a completed request returns already_completed.';
