-- Erasure removes the customer's files from Storage, exactly once, and says so in the audit
-- (issue 12: erasure scrubs "storage files" too).
--
-- Owns:
--   - private.erasure_files: the files an erasure must remove, one row per Storage object (its
--     id is the key, so an object is queued and removed once whatever runs twice);
--   - private.queue_erasure_files(request, customer): what erase_customer queues — every object
--     in the customer's folder of the `attachments` bucket, and every object their activities,
--     messages and inbound mail list (an inbound mail's files stay in inbound/<id>/ when it is
--     filed under the customer);
--   - public.claim_erasure_files(batch) and public.finish_erasure_files(objects, failed): the
--     erase-files function's two calls (service role only);
--   - the `erase-files` schedule (every minute, only while files wait);
--   - public.erase_customer(uuid), restated from 20261207187000 (same signature, grants, checks
--     and scrubbing) to queue the files and scrub the customer's inbound mail.
--
-- Why a queue and a function: Supabase refuses deletes from storage tables in SQL
-- (storage.protect_delete); bytes are removed only through the Storage API. The erasure itself
-- stays one transaction; the files follow within a minute, in bounded chunks, and a chunk that
-- fails is claimed again after its lease. Each removed object gets one audit entry (DELETE on
-- storage.objects, row_id the object id, before: bucket and request — never the file's name,
-- which can hold personal data), and the request's note says how many went once the last one
-- has. A removed file's name is cleared from the queue.

create table private.erasure_files (
  object_id uuid primary key,
  request_id uuid not null references public.privacy_requests (id) on delete cascade,
  bucket_id text not null,
  name text,
  queued_at timestamptz not null default now(),
  claimed_until timestamptz,
  attempts integer not null default 0,
  last_error text check (length(last_error) <= 1000),
  removed_at timestamptz,
  constraint erasure_files_name_until_removed check ((removed_at is null) = (name is not null))
);
comment on table private.erasure_files is 'Storage objects an erasure must remove (queued by erase_customer, removed by the erase-files function through the Storage API). One row per object; the name is cleared once it is removed.';
create index erasure_files_waiting_idx on private.erasure_files (queued_at) where removed_at is null;
create index erasure_files_request_idx on private.erasure_files (request_id);
revoke all on private.erasure_files from public, anon, authenticated, service_role;

create function private.queue_erasure_files(request uuid, customer uuid) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  queued integer;
begin
  with listed as (
    select f ->> 'path' as path from public.activities a, jsonb_array_elements(a.attachments) f
    where a.customer_id = customer and jsonb_typeof(a.attachments) = 'array'
    union
    select f ->> 'path' from public.messages m, jsonb_array_elements(m.attachments) f
    where m.customer_id = customer and jsonb_typeof(m.attachments) = 'array'
    union
    select f ->> 'path' from public.inbound_emails e, jsonb_array_elements(e.attachments) f
    where e.customer_id = customer
  )
  insert into private.erasure_files (object_id, request_id, bucket_id, name)
  select o.id, request, o.bucket_id, o.name
  from storage.objects o
  where o.bucket_id = 'attachments'
    and (o.name like customer::text || '/%' or o.name in (select l.path from listed l where l.path is not null))
  on conflict (object_id) do nothing;
  get diagnostics queued = row_count;
  return queued;
end;
$$;
comment on function private.queue_erasure_files(uuid, uuid) is 'Queues, for an erasure request, every object of the attachments bucket in the customer''s folder or listed by their activities, messages or inbound mail. Returns how many were queued (an object already queued is not queued again).';
revoke execute on function private.queue_erasure_files(uuid, uuid) from public, anon, authenticated, service_role;

create function public.claim_erasure_files(batch integer default 100)
returns table (object_id uuid, bucket_id text, name text)
language plpgsql volatile security definer set search_path = '' as $$
begin
  if batch is null or batch < 1 or batch > 1000 then
    raise exception 'batch must be between 1 and 1000' using errcode = '22023';
  end if;
  -- A lease, not a lock held across HTTP calls: a chunk whose worker died is claimed again once
  -- it expires; two workers never hold the same object at once.
  return query
  update private.erasure_files f set claimed_until = now() + interval '5 minutes', attempts = f.attempts + 1
  where f.object_id in (
    select w.object_id from private.erasure_files w
    where w.removed_at is null and (w.claimed_until is null or w.claimed_until < now())
    order by w.queued_at, w.object_id
    limit batch
    for update skip locked
  )
  returning f.object_id, f.bucket_id, f.name;
end;
$$;
comment on function public.claim_erasure_files(integer) is 'For the erase-files function (service role): claims up to batch (1–1000) queued erasure files for 5 minutes and returns their bucket and name.';
revoke execute on function public.claim_erasure_files(integer) from public, anon, authenticated;
grant execute on function public.claim_erasure_files(integer) to service_role;

create function public.finish_erasure_files(removed uuid[], failed uuid[] default '{}', error text default null)
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  finished integer;
begin
  if removed is null or failed is null or cardinality(removed) + cardinality(failed) > 1000 then
    raise exception 'removed and failed are lists of at most 1000 object ids' using errcode = '22023';
  end if;
  -- Only rows still waiting are finished, so a report sent twice audits once.
  with done as (
    update private.erasure_files f set removed_at = now(), name = null, claimed_until = null, last_error = null
    where f.object_id = any(removed) and f.removed_at is null
    returning f.object_id, f.request_id, f.bucket_id
  ), audited as (
    insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
    select (select auth.uid()), coalesce((select auth.role()), current_user), 'DELETE', 'storage.objects',
      d.object_id::text, jsonb_build_object('bucket_id', d.bucket_id, 'privacy_request', d.request_id, 'erasure', true), null
    from done d
    returning row_id
  )
  select count(*)::integer into finished from audited;

  -- Failed ones wait for their lease to end (or are claimed again sooner, with a minute's pause).
  update private.erasure_files f set last_error = left(coalesce(error, 'the Storage API refused the removal'), 1000),
    claimed_until = now() + interval '1 minute'
  where f.object_id = any(failed) and f.removed_at is null;

  -- A request whose last file just went says so, once.
  update public.privacy_requests r set
    note = left(concat_ws(E'\n', r.note, 'Files removed from Storage on ' || now()::date || ': '
      || (select count(*) from private.erasure_files f where f.request_id = r.id) || '.'), 2000)
  where r.id in (select f.request_id from private.erasure_files f where f.object_id = any(removed) and f.removed_at = now())
    and not exists (select from private.erasure_files f where f.request_id = r.id and f.removed_at is null);
  return finished;
end;
$$;
comment on function public.finish_erasure_files(uuid[], uuid[], text) is 'For the erase-files function (service role): records which claimed objects the Storage API removed (one audit entry each: DELETE on storage.objects, never the name; the request''s note counts them once the last is gone) and which it could not (retried after a minute). Idempotent.';
revoke execute on function public.finish_erasure_files(uuid[], uuid[], text) from public, anon, authenticated;
grant execute on function public.finish_erasure_files(uuid[], uuid[], text) to service_role;

create or replace function public.erase_customer(request uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target public.privacy_requests;
  customer record;
  account uuid;
  files integer;
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

  -- The files go through the Storage API (erase-files), so they are queued now, while the rows
  -- still say which they are: everything in the customer's folder, and the files their
  -- activities, messages and inbound mail list elsewhere (an inbound mail's files stay in
  -- inbound/<id>/ when it is filed under the customer).
  files := private.queue_erasure_files(target.id, customer.id);

  update public.inbound_emails e set
    from_address = null, to_address = null, subject = 'Erased', headers = null, body_text = null, body_html = null,
    details = '{}', attachments = '[]', error = null
  where e.customer_id = customer.id;

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
    note = left(concat_ws(E'\n', r.note, 'Erased on ' || now()::date || '.'
      || case when files > 0 then ' ' || files || ' file(s) queued for removal from Storage.' else '' end), 2000)
  where r.id = target.id;
  return jsonb_build_object('request', target.id, 'erased', true, 'already_completed', false, 'files_queued', files);
end;
$$;
comment on function public.erase_customer(uuid) is 'Carries out an erasure request: scrubs the customer''s personal data everywhere (profile, orders'' shipping details, activities, messages, inbound mail, deals, favourites, alerts, email events, suppressions, external ids, notifications, audit images; deletes the portal account; queues their Storage files for the erase-files function), keeps financial totals and the consent ledger, completes the request. Refused (55000 open_orders) while an order is open when workspace_settings.erasure_waits_for_open_orders is on. Admins and managers (and the service role). Idempotent: a completed request returns already_completed.';
revoke execute on function public.erase_customer(uuid) from public, anon;
grant execute on function public.erase_customer(uuid) to authenticated, service_role;

-- Every minute, but a call only while files wait (no HTTP call a minute for nothing).
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'erase-files';
select cron.schedule(
  'erase-files',
  '* * * * *',
  $$select private.call_scheduled_function('erase-files', 'erase-files', '{"source":"cron"}')
    where exists (select from private.erasure_files f where f.removed_at is null and (f.claimed_until is null or f.claimed_until < now()))$$
);
