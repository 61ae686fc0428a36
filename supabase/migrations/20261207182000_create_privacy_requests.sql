-- Privacy requests and the shopper's "My data" (issue 12): download everything Cairn holds about
-- me, and ask for deletion, which opens a request with a 30-day clock.
--
-- Owns: public.privacy_requests (requests from the portal, from Shopify, entered by staff: kind,
-- status, assignee, due date), public.my_data_export(), public.my_orders_csv(),
-- public.request_my_erasure().
--
-- Why: GDPR art. 12(3) gives a month to answer an access or erasure request. A shopper's own
-- requests are made in the database from the caller's portal account (never a client-sent
-- customer id), idempotently: asking twice opens one request, and an open request is one per
-- customer and kind (a partial unique index). Staff (admins, managers) see every request and
-- work them (status, assignee, note); the shopper sees their own. Every change is audited.

create table public.privacy_requests (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid references public.customers (id) on delete set null,
  kind text not null constraint privacy_requests_kind_check check (kind in ('access', 'erasure')),
  source text not null constraint privacy_requests_source_check check (source in ('portal', 'shopify', 'staff')),
  status text not null default 'open'
    constraint privacy_requests_status_check check (status in ('open', 'in_progress', 'completed', 'refused')),
  requested_at timestamptz not null default now(),
  due_at timestamptz not null default now() + interval '30 days',
  assignee_id uuid references public.team_members (user_id) on delete set null,
  completed_at timestamptz,
  note text constraint privacy_requests_note_length check (length(note) <= 2000),
  shopify_request_id bigint references public.shopify_privacy_requests (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint privacy_requests_done_has_time check ((status in ('completed', 'refused')) = (completed_at is not null))
);
comment on table public.privacy_requests is 'Access and erasure requests (portal, Shopify, staff), each with a 30-day clock (due_at), status and assignee. One open request per customer and kind.';
comment on column public.privacy_requests.due_at is 'When the answer is due: 30 days after the request (GDPR art. 12(3)). Set by the database.';
comment on column public.privacy_requests.customer_id is 'The customer it concerns; null once the customer record is gone (the request itself is kept as proof).';
create unique index privacy_requests_one_open_idx on public.privacy_requests (customer_id, kind)
  where status in ('open', 'in_progress');
create index privacy_requests_due_idx on public.privacy_requests (due_at) where status in ('open', 'in_progress');
create index privacy_requests_customer_idx on public.privacy_requests (customer_id, requested_at desc);

create trigger touch_updated_at before update on public.privacy_requests
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.privacy_requests
  for each row execute function private.record_audit();

create function private.settle_privacy_request() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- The clock is the database's: 30 days from the request, whoever writes.
  if tg_op = 'INSERT' then
    new.requested_at := now();
  else
    new.requested_at := old.requested_at;
  end if;
  new.due_at := new.requested_at + interval '30 days';
  if new.status in ('completed', 'refused') then
    new.completed_at := coalesce(new.completed_at, now());
  else
    new.completed_at := null;
  end if;
  return new;
end;
$$;
comment on function private.settle_privacy_request() is 'BEFORE INSERT / UPDATE on privacy_requests: requested_at is now (on insert) and never changes, due_at is 30 days later, completed_at follows the status.';
revoke execute on function private.settle_privacy_request() from public, anon, authenticated;
create trigger settle before insert or update on public.privacy_requests
  for each row execute function private.settle_privacy_request();

alter table public.privacy_requests enable row level security;
create policy "admins and managers read privacy requests" on public.privacy_requests for select to authenticated
  using ((select private.edits_all_customers()));
create policy "shoppers read their own privacy requests" on public.privacy_requests for select to authenticated
  using (customer_id = (select private.portal_customer_id()));
create policy "admins and managers enter privacy requests" on public.privacy_requests for insert to authenticated
  with check ((select private.edits_all_customers()) and source = 'staff');
create policy "admins and managers work privacy requests" on public.privacy_requests for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
revoke all on public.privacy_requests from anon;
revoke insert, update, delete, truncate on public.privacy_requests from authenticated;
grant insert (customer_id, kind, source, note, assignee_id) on public.privacy_requests to authenticated;
grant update (status, assignee_id, note) on public.privacy_requests to authenticated;

-- ─── The shopper's own requests ──────────────────────────────────────────────────────────────

create function private.my_portal_customer() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  me uuid := (select private.portal_customer_id());
begin
  if me is null then
    raise exception 'only a shopper with a portal account has this' using errcode = '42501', detail = 'no_portal_account';
  end if;
  return me;
end;
$$;
comment on function private.my_portal_customer() is 'The calling shopper''s customer id, or 42501 (no_portal_account) for anyone else.';
revoke execute on function private.my_portal_customer() from public, anon;
grant execute on function private.my_portal_customer() to authenticated;

create function public.request_my_erasure() returns public.privacy_requests
language plpgsql volatile security definer set search_path = '' as $$
declare
  me uuid := private.my_portal_customer();
  request public.privacy_requests;
begin
  -- Idempotent: an open or in-progress erasure request is returned as it is.
  select * into request from public.privacy_requests r
  where r.customer_id = me and r.kind = 'erasure' and r.status in ('open', 'in_progress');
  if found then
    return request;
  end if;
  insert into public.privacy_requests (customer_id, kind, source) values (me, 'erasure', 'portal')
  on conflict (customer_id, kind) where status in ('open', 'in_progress') do nothing
  returning * into request;
  if request.id is null then
    -- A concurrent call opened it first.
    select * into request from public.privacy_requests r
    where r.customer_id = me and r.kind = 'erasure' and r.status in ('open', 'in_progress');
  end if;
  return request;
end;
$$;
comment on function public.request_my_erasure() is 'The calling shopper asks for their data to be erased: opens a privacy request (kind erasure, source portal, due in 30 days) for staff to carry out, or returns the one already open. Shoppers only (42501 no_portal_account).';
revoke execute on function public.request_my_erasure() from public, anon;
grant execute on function public.request_my_erasure() to authenticated;

create function public.my_data_export() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  me uuid := private.my_portal_customer();
  hidden text[] := '{customer_owner_id, owner_id, auth_user_id}';
  result jsonb;
begin
  select jsonb_build_object(
    'exported_at', now(),
    'profile', (select to_jsonb(c) - hidden from public.customers c where c.id = me),
    'orders', coalesce((
      select jsonb_agg(to_jsonb(o) - hidden || jsonb_build_object('items', coalesce((
        select jsonb_agg(to_jsonb(i) - hidden order by i.id) from public.order_items i where i.order_id = o.id), '[]'))
        order by o.placed_at desc, o.id)
      from public.orders o where o.customer_id = me), '[]'),
    'consent_history', coalesce((
      select jsonb_agg(to_jsonb(e) - hidden - 'actor_id' order by e.occurred_at, e.id)
      from public.consent_events e where e.customer_id = me), '[]'),
    'favourites', coalesce((
      select jsonb_agg(jsonb_build_object('product', p.title, 'variant', v.title, 'price_at_favorite', f.price_at_favorite,
        'currency', f.currency, 'favorited_at', f.created_at) order by f.created_at)
      from public.favorites f join public.product_variants v on v.id = f.variant_id join public.products p on p.id = v.product_id
      where f.customer_id = me), '[]'),
    'alert_preferences', (select to_jsonb(a) - hidden from public.alert_preferences a where a.customer_id = me),
    'alerts', coalesce((
      select jsonb_agg(jsonb_build_object('kind', l.kind, 'state', l.state, 'old_price', l.old_price, 'new_price', l.new_price,
        'currency', l.currency, 'created_at', l.created_at, 'sent_at', l.sent_at) order by l.created_at)
      from public.alert_log l where l.customer_id = me), '[]'),
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object('direction', m.direction, 'from', m.from_address, 'to', m.to_address,
        'subject', m.subject, 'body', coalesce(m.body_text, m.body_html), 'status', m.status, 'sent_at', m.sent_at,
        'created_at', m.created_at) order by m.created_at)
      from public.messages m where m.customer_id = me), '[]'),
    'activities', coalesce((
      select jsonb_agg(jsonb_build_object('kind', a.kind, 'subject', a.subject, 'body', a.body, 'created_at', a.created_at)
        order by a.created_at)
      from public.activities a where a.customer_id = me), '[]'),
    'privacy_requests', coalesce((
      select jsonb_agg(jsonb_build_object('kind', r.kind, 'status', r.status, 'requested_at', r.requested_at, 'due_at', r.due_at,
        'completed_at', r.completed_at) order by r.requested_at)
      from public.privacy_requests r where r.customer_id = me), '[]')
  ) into result;

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
comment on function public.my_data_export() is 'Everything Cairn holds about the calling shopper as JSON: profile, orders with items, consent history, favourites, alert preferences and alerts, messages, activities, privacy requests. Recorded as a completed access request (once a day). Shoppers only.';
revoke execute on function public.my_data_export() from public, anon;
grant execute on function public.my_data_export() to authenticated;

create function public.my_orders_csv() returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  me uuid := private.my_portal_customer();
begin
  return 'order_number,placed_at,financial_status,fulfillment_status,currency,total,refunded_total,items' || E'\n' ||
    coalesce((
      select string_agg(concat_ws(',',
        private.csv_cell(o.order_number), private.csv_cell(o.placed_at::text), private.csv_cell(o.financial_status::text),
        private.csv_cell(o.fulfillment_status::text), private.csv_cell(o.currency), o.total::text, coalesce(o.refunded_total, 0)::text,
        private.csv_cell((select string_agg(i.quantity || ' × ' || i.title, '; ' order by i.id) from public.order_items i where i.order_id = o.id))
      ), E'\n' order by o.placed_at desc, o.id) || E'\n'
      from public.orders o where o.customer_id = me
    ), '');
end;
$$;
comment on function public.my_orders_csv() is 'The calling shopper''s orders as CSV (number, date, statuses, currency, total, refunded, items); cells a spreadsheet would run as a formula are escaped. Shoppers only.';
revoke execute on function public.my_orders_csv() from public, anon;
grant execute on function public.my_orders_csv() to authenticated;
