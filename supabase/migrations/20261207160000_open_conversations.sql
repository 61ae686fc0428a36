-- Conversations: writing to customers, replies coming back, the team inbox (issue 14)
--
-- Owns:
--   * `email_purpose` and `email_templates.purpose` (transactional / marketing / alert), and the
--     one rule for whether a customer may be emailed for a purpose: `public.email_permission()`;
--   * template versions: every change of a variant is kept in `email_template_versions`, and a
--     sent message records the version it used (`messages.template_version_id`);
--     `public.preview_template()` renders a template for a customer's language and says which
--     language it fell back to and which variables came out empty;
--   * the inbox's thread columns: `assignee_id`, a secret per-thread `reply_token` (the reply-to
--     address `reply+<token>@…` brings answers back to their thread), `first_inbound_at`,
--     `first_response_at`, `closed_at` (first-response and resolution times);
--   * messages' `internet_message_id` (RFC 5322 Message-ID: ours on outbound mail, the sender's on
--     inbound, matched by In-Reply-To / References) and `attachments`;
--   * `inbound_emails`: every Inbound Parse post as received, matched or not, parsable or not, once
--     per delivery (`dedupe_key`), and `public.receive_inbound_email()`, which files it (service
--     role only: the inbound-email function), plus `public.link_inbound_email()` for a member to
--     file an unmatched one under a customer.
--
-- Who may do what: as the messaging migration (threads, messages); `assignee_id` is written by
-- those who may edit the thread, and an agent may assign only themselves; template versions are
-- read by team members and written only by the database; inbound_emails are read by those who see
-- their customer (unmatched ones by members who see all customers), written only by the service
-- role and `link_inbound_email()` (members who edit all customers, or the owning agent).

-- ─── Purpose and the emailing rule ───────────────────────────────────────────────────────────

create type public.email_purpose as enum ('transactional', 'marketing', 'alert');
comment on type public.email_purpose is 'Why an email is sent: transactional (a reply, an order or service message: allowed unless the address is suppressed), marketing (needs email marketing consent), alert (needs email alerts consent).';

alter table public.email_templates add column purpose public.email_purpose not null default 'transactional';
comment on column public.email_templates.purpose is 'transactional / marketing / alert: decides which consent a send needs (public.email_permission).';
update public.email_templates set purpose = 'alert' where category in ('alert', 'alerts');
update public.email_templates set purpose = 'marketing' where category = 'marketing';
grant insert (purpose), update (purpose) on public.email_templates to authenticated;

create function public.email_permission(customer_id uuid, purpose public.email_purpose)
returns table (allowed boolean, reason text, email text)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_variable
declare
  address text;
begin
  -- The customer as the caller sees them: no row, no permission.
  select c.email into address from public.customers as c where c.id = customer_id;
  if not found then
    return query select false, 'not_found'::text, null::text;
    return;
  end if;
  if address is null or btrim(address) = '' then
    return query select false, 'no_email'::text, null::text;
  elsif exists (select 1 from public.email_suppressions as s where s.email = lower(address)) then
    -- A bounce or a spam report stops every email, a reply too: the provider drops it anyway.
    return query select false, 'suppressed'::text, address;
  elsif purpose = 'marketing' and not private.has_consent(customer_id, 'email', 'marketing') then
    return query select false, 'no_marketing_consent'::text, address;
  elsif purpose = 'alert' and not private.has_consent(customer_id, 'email', 'alerts') then
    return query select false, 'no_alert_consent'::text, address;
  else
    -- Transactional mail (a reply, an answer about an order) needs no consent: it is the
    -- conversation the customer started or the service they bought.
    return query select true, null::text, address;
  end if;
end;
$$;
comment on function public.email_permission(uuid, public.email_purpose) is 'Whether a customer may be emailed for a purpose, and why not: not_found (not a customer the caller sees), no_email, suppressed (bounced or reported spam: nothing is sent), no_marketing_consent, no_alert_consent. Transactional mail needs no consent. Caller''s rights.';
revoke execute on function public.email_permission(uuid, public.email_purpose) from public, anon;
grant execute on function public.email_permission(uuid, public.email_purpose) to authenticated, service_role;

-- ─── Template versions ───────────────────────────────────────────────────────────────────────

alter table public.email_template_variants add column version integer not null default 1;
comment on column public.email_template_variants.version is 'Counts the changes of this variant (1 when created); each one is kept in email_template_versions.';

create table public.email_template_versions (
  id uuid primary key default gen_random_uuid(),
  template_id uuid not null references public.email_templates (id) on delete cascade,
  variant_id uuid references public.email_template_variants (id) on delete set null,
  language text not null references public.languages (code),
  version integer not null,
  subject text not null,
  body_html text not null,
  body_text text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint email_template_versions_one_per_number unique (template_id, language, version)
);
comment on table public.email_template_versions is 'Every saved state of a template variant, written by the database. A sent message points at the version it used (messages.template_version_id).';
comment on column public.email_template_versions.created_by is 'Who saved it (no foreign key: the history outlives accounts).';
create index email_template_versions_variant_idx on public.email_template_versions (variant_id, version desc);

create function private.number_template_version() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    if (new.subject, new.body_html, new.body_text, new.language) is not distinct from (old.subject, old.body_html, old.body_text, old.language) then
      new.version := old.version;
    else
      new.version := old.version + 1;
    end if;
  else
    new.version := 1;
  end if;
  return new;
end;
$$;
comment on function private.number_template_version() is 'Numbers a template variant''s versions: 1 on insert, +1 on every change of its text or language.';

create function private.keep_template_version() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Security definer: nobody writes versions through the API; the database keeps them.
  insert into public.email_template_versions (template_id, variant_id, language, version, subject, body_html, body_text, created_by)
  values (new.template_id, new.id, new.language, new.version, new.subject, new.body_html, new.body_text, auth.uid())
  on conflict (template_id, language, version) do nothing;
  return null;
end;
$$;
comment on function private.keep_template_version() is 'Appends a variant''s new state to email_template_versions.';

create trigger number_version before insert or update on public.email_template_variants
  for each row execute function private.number_template_version();
create trigger keep_version after insert or update on public.email_template_variants
  for each row execute function private.keep_template_version();

insert into public.email_template_versions (template_id, variant_id, language, version, subject, body_html, body_text, created_by, created_at)
select v.template_id, v.id, v.language, v.version, v.subject, v.body_html, v.body_text, null, v.updated_at
from public.email_template_variants as v;

alter table public.email_template_versions enable row level security;
create policy "team members read template versions" on public.email_template_versions for select to authenticated
  using ((select private.is_team_member()));
revoke all on public.email_template_versions from anon;
revoke insert, update, delete, truncate on public.email_template_versions from authenticated;

create function public.preview_template(template_id uuid, language text, variables jsonb default '{}')
returns table (
  subject text, body_html text, body_text text, used_language text, fell_back boolean, version_id uuid,
  empty_variables text[]
)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_variable
declare
  variant public.email_template_variants;
  fallback_language text := (select s.default_language from public.workspace_settings as s);
begin
  if variables is null or jsonb_typeof(variables) <> 'object' then
    raise exception 'variables must be a JSON object such as {"first_name": "Ana"}' using errcode = '22023';
  end if;
  -- The same chain as render_template: the language asked, the workspace default, English.
  select v.* into variant
  from public.email_template_variants as v
  where v.template_id = template_id
    and v.language in (language, fallback_language, 'en')
  order by case when v.language = language then 0 when v.language = fallback_language then 1 else 2 end
  limit 1;
  if not found then
    raise exception 'no such email template, or it has no variant in %, the workspace default language or English', coalesce(language, 'any language')
      using errcode = 'P0002';
  end if;
  return query select
    private.fill_placeholders(variant.subject, variables, false),
    private.fill_placeholders(variant.body_html, variables, true),
    private.fill_placeholders(variant.body_text, variables, false),
    variant.language,
    variant.language is distinct from language,
    (select tv.id from public.email_template_versions as tv
      where tv.template_id = variant.template_id and tv.language = variant.language and tv.version = variant.version),
    array(
      select distinct m[1]
      from regexp_matches(variant.subject || ' ' || variant.body_html || ' ' || variant.body_text, '\{\{\s*([^{}]*?)\s*\}\}', 'g') as m
      where coalesce(variables #>> string_to_array(m[1], '.'), '') = ''
      order by 1
    );
end;
$$;
comment on function public.preview_template(uuid, text, jsonb) is 'Renders a template (by id) for a language with the fallback chain of render_template, and says which language was used, whether it fell back, the version, and which variables rendered empty. Caller''s rights: team members.';
revoke execute on function public.preview_template(uuid, text, jsonb) from public, anon;
grant execute on function public.preview_template(uuid, text, jsonb) to authenticated, service_role;

-- ─── Threads: assignment, reply token, response and resolution times ─────────────────────────

alter table public.message_threads
  add column assignee_id uuid references public.team_members (user_id) on delete set null,
  add column reply_token text not null default replace(gen_random_uuid()::text, '-', ''),
  add column first_inbound_at timestamptz,
  add column first_response_at timestamptz,
  add column closed_at timestamptz,
  add constraint message_threads_reply_token_key unique (reply_token);
comment on column public.message_threads.assignee_id is 'The team member answering this conversation (the inbox''s "mine"); an agent may assign only themselves.';
comment on column public.message_threads.reply_token is 'Secret per thread (122 random bits): outbound mail carries Reply-To reply+<token>@<inbound domain>, so an answer finds its thread.';
comment on column public.message_threads.first_inbound_at is 'When the customer first wrote in this thread.';
comment on column public.message_threads.first_response_at is 'The team''s first outbound message after first_inbound_at: first-response time = first_response_at − first_inbound_at.';
comment on column public.message_threads.closed_at is 'When the thread was last closed (null while open): resolution time = closed_at − first_inbound_at.';

create index message_threads_assignee_idx on public.message_threads (assignee_id, last_message_at desc nulls last, id);
create index message_threads_status_idx on public.message_threads (status, last_message_at desc nulls last, id);

grant update (assignee_id) on public.message_threads to authenticated;
grant insert (assignee_id) on public.message_threads to authenticated;

create function private.guard_thread() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Security definer: the assignee's team row is read whatever the caller sees.
  if new.assignee_id is not null and (tg_op = 'INSERT' or new.assignee_id is distinct from old.assignee_id) then
    if not exists (select 1 from public.team_members as m where m.user_id = new.assignee_id and m.active) then
      raise exception 'the assignee must be an active team member' using errcode = '23503';
    end if;
    if (select auth.role()) = 'authenticated' and not (select private.edits_all_customers())
       and new.assignee_id is distinct from (select auth.uid()) then
      raise exception 'agents may assign conversations only to themselves' using errcode = '42501';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.status is distinct from old.status then
    new.closed_at := case when new.status = 'closed' then now() end;
  end if;
  return new;
end;
$$;
comment on function private.guard_thread() is 'Checks a thread''s assignee (an active member; agents assign only themselves) and stamps closed_at when it is closed.';
create trigger guard_thread before insert or update on public.message_threads
  for each row execute function private.guard_thread();

create or replace function private.refresh_thread_state() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  thread uuid := coalesce(new.thread_id, old.thread_id);
begin
  -- Recomputed from the thread's messages (an index range), so it is right under every insert,
  -- update and delete, in any order. Messages that failed to send do not count as a response.
  update public.message_threads as t
  set last_message_at = s.last_message_at,
      last_inbound_at = s.last_inbound_at,
      last_outbound_at = s.last_outbound_at,
      unread_count = s.unread_count,
      first_inbound_at = s.first_inbound_at,
      first_response_at = s.first_response_at
  from (
    select max(m.created_at) as last_message_at,
           max(m.created_at) filter (where m.direction = 'inbound') as last_inbound_at,
           max(m.created_at) filter (where m.direction = 'outbound' and m.status <> 'failed') as last_outbound_at,
           count(*) filter (where m.direction = 'inbound' and m.read_at is null)::integer as unread_count,
           min(m.created_at) filter (where m.direction = 'inbound') as first_inbound_at,
           (select min(r.created_at) from public.messages as r
             where r.thread_id = thread and r.direction = 'outbound' and r.status <> 'failed'
               and r.created_at > (select min(i.created_at) from public.messages as i where i.thread_id = thread and i.direction = 'inbound')
           ) as first_response_at
    from public.messages as m
    where m.thread_id = thread
  ) as s
  where t.id = thread
    and (t.last_message_at, t.last_inbound_at, t.last_outbound_at, t.unread_count, t.first_inbound_at, t.first_response_at)
        is distinct from (s.last_message_at, s.last_inbound_at, s.last_outbound_at, s.unread_count, s.first_inbound_at, s.first_response_at);
  return null;
end;
$$;
comment on function private.refresh_thread_state() is 'Keeps message_threads.last_message_at, last_inbound_at, last_outbound_at, unread_count, first_inbound_at and first_response_at in step with the messages (failed sends are not a response).';

drop trigger refresh_thread_state on public.messages;
create trigger refresh_thread_state after insert or update of read_at, direction, created_at, status or delete on public.messages
  for each row execute function private.refresh_thread_state();

-- ─── Messages: Message-ID, attachments, template version ─────────────────────────────────────

alter table public.messages
  add column internet_message_id text,
  add column attachments jsonb not null default '[]',
  add column template_version_id uuid references public.email_template_versions (id) on delete set null,
  add constraint messages_internet_message_id_length check (length(internet_message_id) <= 998),
  add constraint messages_attachments_are_valid check (private.attachments_are_valid(attachments, customer_id));
comment on column public.messages.internet_message_id is 'The RFC 5322 Message-ID without <>: ours (<message id>@<domain>) on outbound mail, the sender''s on inbound. Replies name it in In-Reply-To / References.';
comment on column public.messages.attachments is 'Files in Storage bucket attachments, under <customer_id>/: [{path, name, size, mime}] (≤ 20).';
comment on column public.messages.template_version_id is 'The template version the message was written from (null for free text).';
create index messages_internet_message_id_idx on public.messages (internet_message_id) where internet_message_id is not null;
create index messages_template_version_idx on public.messages (template_version_id) where template_version_id is not null;
grant insert (attachments, template_version_id) on public.messages to authenticated;

-- Restated whole: a member filing unmatched mail through link_inbound_email() writes an inbound
-- message; the function raises a transaction-local flag no API caller can set (PostgREST exposes
-- no way to run set_config), so team members still write only queued outbound messages.
create or replace function private.prepare_message() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Security definer: the thread's customer is read whatever the caller sees; the insert policy
  -- then decides on that customer, so a message cannot be slipped into someone else's thread.
  if tg_op = 'INSERT' then
    select customer_id into new.customer_id from public.message_threads where id = new.thread_id;
    if not found then
      raise exception 'no such message thread' using errcode = '23503';
    end if;
  elsif new.thread_id is distinct from old.thread_id or new.customer_id is distinct from old.customer_id then
    raise exception 'a message cannot move to another thread' using errcode = '42501';
  end if;

  if (select auth.role()) = 'authenticated' and current_setting('cairn.filing_inbound_mail', true) is distinct from 'on' then
    if tg_op = 'INSERT' and (new.direction <> 'outbound' or new.status <> 'queued' or new.sent_at is not null) then
      raise exception 'team members write outbound messages, queued for sending; delivery is recorded by Cairn'
        using errcode = '42501';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.prepare_message() is 'Copies the thread''s customer onto a message, keeps it in its thread, and lets team members write only queued outbound messages (inbound ones only through link_inbound_email).';

-- ─── Inbound mail ────────────────────────────────────────────────────────────────────────────

create table public.inbound_emails (
  id uuid primary key default gen_random_uuid(),
  dedupe_key text not null,
  state text not null,
  matched_by text,
  from_address text,
  to_address text,
  subject text,
  headers text,
  body_text text,
  body_html text,
  details jsonb not null default '{}',
  attachments jsonb not null default '[]',
  error text,
  customer_id uuid references public.customers (id) on delete cascade,
  thread_id uuid references public.message_threads (id) on delete set null,
  message_id uuid references public.messages (id) on delete set null,
  linked_by uuid,
  received_at timestamptz not null default now(),
  constraint inbound_emails_dedupe_key_key unique (dedupe_key),
  constraint inbound_emails_dedupe_key_length check (length(dedupe_key) between 16 and 200),
  constraint inbound_emails_state check (state in ('matched', 'unmatched', 'malformed')),
  constraint inbound_emails_matched_by check (matched_by in ('reply_token', 'references', 'sender', 'member')),
  constraint inbound_emails_from_length check (length(from_address) <= 2000),
  constraint inbound_emails_to_length check (length(to_address) <= 10000),
  constraint inbound_emails_subject_length check (length(subject) <= 2000),
  constraint inbound_emails_headers_length check (length(headers) <= 200000),
  constraint inbound_emails_body_text_length check (length(body_text) <= 100000),
  constraint inbound_emails_body_html_length check (length(body_html) <= 500000),
  constraint inbound_emails_details_is_an_object check (jsonb_typeof(details) = 'object'),
  constraint inbound_emails_attachments_is_an_array check (jsonb_typeof(attachments) = 'array'),
  constraint inbound_emails_error_length check (length(error) <= 2000)
);
comment on table public.inbound_emails is 'Every Inbound Parse post, once per delivery (dedupe_key): matched to a thread, unmatched (for a member to link), or malformed (kept as received, never dropped). Written by the inbound-email function (service role) and link_inbound_email().';
comment on column public.inbound_emails.dedupe_key is 'SHA-256 of what SendGrid posted: a redelivery of the same mail is recognised and not filed twice.';
comment on column public.inbound_emails.matched_by is 'How the thread was found: reply_token (the reply-to address), references (In-Reply-To / References), sender (a customer''s address: a new thread), member (linked by hand).';
comment on column public.inbound_emails.details is 'The rest of the post: envelope, charsets, SPF, dkim, sender_ip, cc, in_reply_to, references, message_id.';
comment on column public.inbound_emails.attachments is 'Files stored in bucket attachments ({path, name, size, mime}) and files refused ({name, size, mime, refused: reason}).';
create index inbound_emails_unmatched_idx on public.inbound_emails (received_at desc) where state <> 'matched';
create index inbound_emails_customer_idx on public.inbound_emails (customer_id) where customer_id is not null;
create index inbound_emails_thread_idx on public.inbound_emails (thread_id) where thread_id is not null;
create index inbound_emails_message_idx on public.inbound_emails (message_id) where message_id is not null;

alter table public.inbound_emails enable row level security;
create policy "staff read inbound mail of the customers they may see" on public.inbound_emails for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
revoke all on public.inbound_emails from anon;
revoke insert, update, delete, truncate on public.inbound_emails from authenticated;
create trigger record_audit after insert or update or delete on public.inbound_emails
  for each row execute function private.record_audit();

create function private.email_address_in(value text) returns text
language sql immutable parallel safe set search_path = '' as $$
  -- The address of a From header ("Ana <ana@x.test>" or ana@x.test), lower-cased; null when none.
  select lower(m[1]) from regexp_matches(coalesce(value, ''), '([A-Za-z0-9.!#$%&''*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)') as m limit 1
$$;
comment on function private.email_address_in(text) is 'The first email address in a header value, lower-cased, or null.';

create function public.receive_inbound_email(mail jsonb)
returns table (inbound_id uuid, state text, thread_id uuid, message_id uuid, customer_id uuid, duplicate boolean)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  key text := mail ->> 'dedupe_key';
  existing public.inbound_emails;
  sender text := private.email_address_in(mail ->> 'from');
  token text;
  found_thread uuid;
  found_customer uuid;
  how text;
  new_message uuid;
  new_inbound uuid := gen_random_uuid();
  reference text;
  subject_line text := left(coalesce(nullif(btrim(regexp_replace(mail ->> 'subject', '[\r\n\t]+', ' ', 'g')), ''), '(no subject)'), 300);
  text_body text := left(mail ->> 'text', 100000);
  html_body text := left(mail ->> 'html', 500000);
  own_address text;
begin
  if mail is null or jsonb_typeof(mail) <> 'object' or key is null then
    raise exception 'mail must be an object with a dedupe_key' using errcode = '22023';
  end if;
  -- SendGrid retries a delivery it thinks failed: the same post is filed once.
  perform pg_advisory_xact_lock(hashtext('cairn.inbound:' || key));
  select * into existing from public.inbound_emails as e where e.dedupe_key = key;
  if found then
    return query select existing.id, existing.state, existing.thread_id, existing.message_id, existing.customer_id, true;
    return;
  end if;

  if coalesce(mail ->> 'malformed', '') <> '' then
    insert into public.inbound_emails (id, dedupe_key, state, from_address, to_address, subject, headers, body_text, details, error)
    values (new_inbound, key, 'malformed', left(mail ->> 'from', 2000), left(mail ->> 'to', 10000), left(mail ->> 'subject', 2000),
            left(mail ->> 'headers', 200000), text_body, coalesce(mail -> 'details', '{}'), left(mail ->> 'malformed', 2000));
    return query select new_inbound, 'malformed'::text, null::uuid, null::uuid, null::uuid, false;
    return;
  end if;

  -- 1. The reply-to address of one of our emails: reply+<token>@…, in To, Cc or the envelope.
  select m[1] into token
  from regexp_matches(coalesce(mail ->> 'to', '') || ' ' || coalesce(mail ->> 'cc', '') || ' ' || coalesce(mail #>> '{details,envelope}', ''),
                      'reply\+([0-9a-f]{32})@', 'gi') as m
  limit 1;
  if token is not null then
    select t.id, t.customer_id into found_thread, found_customer from public.message_threads as t where t.reply_token = lower(token);
    if found then how := 'reply_token'; end if;
  end if;
  -- 2. In-Reply-To, then References (newest last): a Message-ID of a message we hold.
  if found_thread is null then
    for reference in
      select r from jsonb_array_elements_text(coalesce(mail -> 'references', '[]')) with ordinality as x (r, n) order by n desc
    loop
      select m.thread_id, m.customer_id into found_thread, found_customer
      from public.messages as m where m.internet_message_id = reference
      order by m.created_at limit 1;
      if found then how := 'references'; exit; end if;
    end loop;
  end if;
  -- 3. The sender is a customer: a new thread with them (the most recently updated customer
  --    when several share the address).
  if found_thread is null and sender is not null then
    select c.id into found_customer from public.customers as c
    where lower(c.email) = sender order by c.updated_at desc limit 1;
    if found then
      found_thread := gen_random_uuid();
      insert into public.message_threads (id, customer_id, subject, created_by)
      values (found_thread, found_customer, subject_line, null);
      how := 'sender';
    end if;
  end if;

  own_address := coalesce(private.email_address_in(mail ->> 'to'), 'inbox@invalid.invalid');
  if found_thread is not null and sender is not null and private.is_email(sender) and private.is_email(own_address) then
    new_message := gen_random_uuid();
    insert into public.messages (id, thread_id, direction, from_address, to_address, subject, body_text, body_html, status,
                                 internet_message_id, sent_by, sent_at)
    values (new_message, found_thread, 'inbound', sender, own_address, subject_line,
            coalesce(text_body, case when html_body is null then '' end), html_body, 'delivered',
            left(mail ->> 'message_id', 998), null, now());
    -- An answer reopens a closed conversation.
    update public.message_threads as t set status = 'open' where t.id = found_thread and t.status = 'closed';
  else
    found_thread := null;
    found_customer := null;
    how := null;
  end if;

  insert into public.inbound_emails (id, dedupe_key, state, matched_by, from_address, to_address, subject, headers, body_text,
                                     body_html, details, customer_id, thread_id, message_id)
  values (new_inbound, key, case when new_message is null then 'unmatched' else 'matched' end, how,
          left(mail ->> 'from', 2000), left(mail ->> 'to', 10000), left(mail ->> 'subject', 2000), left(mail ->> 'headers', 200000),
          text_body, html_body, coalesce(mail -> 'details', '{}'), found_customer, found_thread, new_message);
  return query select new_inbound, case when new_message is null then 'unmatched' else 'matched' end,
    found_thread, new_message, found_customer, false;
end;
$$;
comment on function public.receive_inbound_email(jsonb) is 'Files one Inbound Parse post: once per dedupe_key; into the thread of the reply-to token, else of a Message-ID in In-Reply-To / References, else a new thread with the customer whose address sent it, else unmatched; malformed posts are kept with the reason. Service role only (the inbound-email function).';
revoke execute on function public.receive_inbound_email(jsonb) from public, anon, authenticated;
grant execute on function public.receive_inbound_email(jsonb) to service_role;

create function public.attach_inbound_files(inbound_id uuid, files jsonb)
returns void
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  stored jsonb;
begin
  if files is null or jsonb_typeof(files) <> 'array' then
    raise exception 'files must be a JSON array' using errcode = '22023';
  end if;
  update public.inbound_emails as e set attachments = files where e.id = inbound_id;
  select coalesce(jsonb_agg(f - 'refused'), '[]') into stored
  from jsonb_array_elements(files) as f where not f ? 'refused';
  update public.messages as m set attachments = stored
  from public.inbound_emails as e
  where e.id = inbound_id and m.id = e.message_id;
end;
$$;
comment on function public.attach_inbound_files(uuid, jsonb) is 'Records the files of an inbound email once stored in Storage (and those refused), on the inbound row and its message. Service role only.';
revoke execute on function public.attach_inbound_files(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.attach_inbound_files(uuid, jsonb) to service_role;

create function public.link_inbound_email(inbound_id uuid, customer_id uuid)
returns uuid
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  mail public.inbound_emails;
  thread uuid := gen_random_uuid();
  message uuid := gen_random_uuid();
  sender text;
begin
  if not ((select private.edits_all_customers()) or link_inbound_email.customer_id in (select private.owned_customer_ids())) then
    raise exception 'you may not file mail under this customer' using errcode = '42501';
  end if;
  if not (select private.sees_all_customers()) then
    raise exception 'only members who see every customer may file unmatched mail' using errcode = '42501';
  end if;
  select * into mail from public.inbound_emails as e where e.id = link_inbound_email.inbound_id for update;
  if not found or mail.state = 'matched' then
    raise exception 'no such unmatched email' using errcode = 'P0002';
  end if;
  sender := coalesce(private.email_address_in(mail.from_address), 'unknown@invalid.invalid');
  if not private.is_email(sender) then sender := 'unknown@invalid.invalid'; end if;
  insert into public.message_threads (id, customer_id, subject, created_by)
  values (thread, link_inbound_email.customer_id,
          left(coalesce(nullif(btrim(regexp_replace(mail.subject, '[\r\n\t]+', ' ', 'g')), ''), '(no subject)'), 300), auth.uid());
  perform set_config('cairn.filing_inbound_mail', 'on', true);
  insert into public.messages (id, thread_id, direction, from_address, to_address, subject, body_text, body_html, status,
                               internet_message_id, sent_by, sent_at, created_at)
  values (message, thread, 'inbound', sender,
          coalesce(nullif(private.email_address_in(mail.to_address), ''), 'inbox@invalid.invalid'),
          left(coalesce(nullif(btrim(regexp_replace(mail.subject, '[\r\n\t]+', ' ', 'g')), ''), '(no subject)'), 300),
          coalesce(mail.body_text, case when mail.body_html is null then '' end), mail.body_html, 'delivered',
          left(mail.details ->> 'message_id', 998), null, mail.received_at, mail.received_at);
  perform set_config('cairn.filing_inbound_mail', 'off', true);
  update public.inbound_emails as e
  set state = 'matched', matched_by = 'member', customer_id = link_inbound_email.customer_id, thread_id = thread,
      message_id = message, linked_by = auth.uid()
  where e.id = mail.id;
  return thread;
end;
$$;
comment on function public.link_inbound_email(uuid, uuid) is 'Files an unmatched (or malformed) inbound email under a customer as a new thread; returns the thread. For members who see every customer and may write to this one. Attachments of unmatched mail stay in the inbound/ folder (service role only).';
revoke execute on function public.link_inbound_email(uuid, uuid) from public, anon;
grant execute on function public.link_inbound_email(uuid, uuid) to authenticated;

-- ─── Realtime: the inbox hears new threads and messages ──────────────────────────────────────

do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'message_threads') then
      alter publication supabase_realtime add table public.message_threads;
    end if;
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'messages') then
      alter publication supabase_realtime add table public.messages;
    end if;
  end if;
end;
$$;
