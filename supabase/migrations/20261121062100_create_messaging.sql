-- Messaging and email templates
--
-- Owns: message threads per customer and their messages (email in v1), the thread state the
-- inbox shows (unread / read / responded, kept by the database), email templates with language
-- variants, the list of variables a template may use, and `public.render_template()`.
--
-- Who may do what:
--   threads   read: admins, managers, readonly (all), agents (their customers'); open / rename /
--             close: admins, managers, owning agents; remove: admins and managers.
--   messages  read: as threads. A team member writes outbound messages only, as themselves and
--             `queued`; the send-email function (service role) sends them and records delivery
--             (status, provider id, errors); inbound mail arrives through the service role too.
--             Team members who may edit the customer mark inbound messages read (read_at only).
--             Nobody removes a single message through the API: a thread is removed as a whole.
--   templates read: every team member; write: admins and managers.
--   Shoppers do NOT see staff messaging in v1 (no policy mentions them); strangers and anon see
--   nothing.

-- ─── Threads ─────────────────────────────────────────────────────────────────────────────────

create type public.thread_status as enum ('open', 'closed');
create type public.message_status as enum ('queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed');
comment on type public.message_status is 'queued (written, not yet handed to the provider), sent, delivered, opened, clicked, bounced, failed.';

create table public.message_threads (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  subject text not null,
  channel text not null default 'email',
  status public.thread_status not null default 'open',
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  last_message_at timestamptz,
  last_inbound_at timestamptz,
  last_outbound_at timestamptz,
  unread_count integer not null default 0 check (unread_count >= 0),
  read_state text generated always as (
    case
      when unread_count > 0 then 'unread'
      when last_outbound_at is not null and (last_inbound_at is null or last_outbound_at >= last_inbound_at) then 'responded'
      else 'read'
    end
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint message_threads_subject_length check (length(btrim(subject)) between 1 and 300),
  constraint message_threads_channel_is_email check (channel = 'email')
);
comment on table public.message_threads is 'A conversation with one customer (email in v1). Staff only: shoppers do not see threads. last_*_at, unread_count and read_state are kept by the database from the messages.';
comment on column public.message_threads.channel is 'email (the only channel in v1).';
comment on column public.message_threads.unread_count is 'Inbound messages nobody has marked read.';
comment on column public.message_threads.read_state is 'unread (inbound messages not read), responded (the team wrote last), read (read, awaiting our reply).';

create index message_threads_customer_idx on public.message_threads (customer_id, last_message_at desc nulls last, id);
create index message_threads_inbox_idx on public.message_threads (last_message_at desc nulls last, id) where status = 'open';
create index message_threads_created_by_idx on public.message_threads (created_by);

create trigger touch_updated_at before update on public.message_threads
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.message_threads
  for each row execute function private.record_audit();

alter table public.message_threads enable row level security;
create policy "staff read threads of the customers they may see" on public.message_threads for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents open threads" on public.message_threads for insert to authenticated
  with check (
    ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
    and created_by = (select auth.uid())
  );
create policy "managers and owning agents edit threads" on public.message_threads for update to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers remove threads" on public.message_threads for delete to authenticated
  using ((select private.edits_all_customers()));

revoke all on public.message_threads from anon;
revoke insert, update on public.message_threads from authenticated;
grant insert (id, customer_id, subject, channel, status) on public.message_threads to authenticated;
grant update (subject, status) on public.message_threads to authenticated;

-- ─── Template variables ──────────────────────────────────────────────────────────────────────

create table public.email_template_variables (
  name text primary key,
  description text not null,
  example text not null,
  -- Dotted paths ({{product.title}}) read nested values, as the functions' renderer does.
  constraint email_template_variables_name_format check (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' and length(name) <= 60)
);
comment on table public.email_template_variables is 'The variables a template may use as {{name}}: what the editor offers and what variants are checked against.';
insert into public.email_template_variables (name, description, example) values
  ('first_name', 'Customer first name', 'Ana'),
  ('last_name', 'Customer last name', 'García'),
  ('full_name', 'Customer full name', 'Ana García'),
  ('email', 'Customer email address', 'ana@example.com'),
  ('company', 'Customer company', 'Atelier García'),
  ('agent_name', 'Name of the team member writing', 'Maria Lopez'),
  ('shop_name', 'Store name', 'Cairn Boutique'),
  ('product_name', 'Product title', 'Linen midi dress'),
  ('variant_name', 'Variant title (size, colour)', 'M / Sand'),
  ('brand', 'Product brand', 'Sezane'),
  ('product_url', 'Link to the product page', 'https://shop.example.com/products/linen-midi-dress'),
  ('image_url', 'Product image', 'https://cdn.example.com/linen-midi-dress.jpg'),
  ('old_price', 'Price when favourited, formatted', '€120.00'),
  ('new_price', 'Current price, formatted', '€96.00'),
  ('percent_saved', 'Saving against the old price, in percent', '20'),
  ('stock_quantity', 'Units back in stock', '3'),
  ('order_number', 'Order number', '#1042'),
  ('order_total', 'Order total, formatted', '€245.00'),
  ('tracking_url', 'Parcel tracking link', 'https://track.example.com/1Z999'),
  ('unsubscribe_url', 'One-click unsubscribe link', 'https://crm.example.com/u/abc'),
  ('preferences_url', 'Link to the shopper''s alert preferences', 'https://crm.example.com/portal/preferences');

alter table public.email_template_variables enable row level security;
create policy "team members read template variables" on public.email_template_variables for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add template variables" on public.email_template_variables for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit template variables" on public.email_template_variables for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove template variables" on public.email_template_variables for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.email_template_variables from anon;
create trigger record_audit after insert or update or delete on public.email_template_variables
  for each row execute function private.record_audit('name');

-- ─── Templates ───────────────────────────────────────────────────────────────────────────────

create table public.email_templates (
  id uuid primary key default gen_random_uuid(),
  key text not null unique,
  name text not null,
  category text not null default 'general',
  description text,
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint email_templates_key_is_a_slug check (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  constraint email_templates_name_length check (length(btrim(name)) between 1 and 200),
  constraint email_templates_category_is_a_slug check (category ~ '^[a-z][a-z0-9_]{0,39}$'),
  constraint email_templates_description_length check (length(description) <= 2000)
);
comment on table public.email_templates is 'Reusable emails (alerts, follow-ups, replies). The text lives in one variant per language.';
comment on column public.email_templates.key is 'Stable slug the code refers to, such as price_drop or back_in_stock.';
comment on column public.email_templates.category is 'A slug to group templates: alert, transactional, marketing, sales, support, general…';

create table public.email_template_variants (
  id uuid primary key default gen_random_uuid(),
  template_id uuid not null references public.email_templates (id) on delete cascade,
  language text not null references public.languages (code),
  subject text not null,
  body_html text not null,
  body_text text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint email_template_variants_one_per_language unique (template_id, language),
  constraint email_template_variants_subject_length check (length(btrim(subject)) between 1 and 300),
  constraint email_template_variants_body_html_length check (length(body_html) between 1 and 200000),
  constraint email_template_variants_body_text_length check (length(body_text) between 1 and 100000)
);
comment on table public.email_template_variants is 'One language version of a template. Subject and bodies use {{variable}} placeholders from email_template_variables.';

create index email_templates_category_idx on public.email_templates (category, name);

create function private.check_template_placeholders() returns trigger
language plpgsql set search_path = '' as $$
declare
  field record;
  unknown text;
begin
  for field in select * from (values ('subject', new.subject), ('body_html', new.body_html), ('body_text', new.body_text)) as f (name, value)
  loop
    select m[1] into unknown
    from regexp_matches(field.value, '\{\{\s*([^{}]*?)\s*\}\}', 'g') as m
    where not exists (select 1 from public.email_template_variables as v where v.name = m[1])
    limit 1;
    if found then
      raise exception 'unknown template variable {{%}} in %', unknown, field.name
        using errcode = '23514',
              hint = 'Allowed variables: ' || (select string_agg(name, ', ' order by name) from public.email_template_variables);
    end if;
  end loop;
  return new;
end;
$$;
comment on function private.check_template_placeholders() is 'Refuses a template variant using a {{variable}} that is not in email_template_variables, naming it.';

-- Invoker rights are enough: whoever may write a variant (managers, the service role) may read
-- the variables.
create trigger check_placeholders before insert or update of subject, body_html, body_text on public.email_template_variants
  for each row execute function private.check_template_placeholders();

create trigger touch_updated_at before update on public.email_templates
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.email_template_variants
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.email_templates
  for each row execute function private.record_audit();
create trigger record_audit after insert or update or delete on public.email_template_variants
  for each row execute function private.record_audit();

alter table public.email_templates enable row level security;
create policy "team members read templates" on public.email_templates for select to authenticated
  using ((select private.is_team_member()));
create policy "managers add templates" on public.email_templates for insert to authenticated
  with check ((select private.edits_all_customers()) and created_by = (select auth.uid()));
create policy "managers edit templates" on public.email_templates for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove templates" on public.email_templates for delete to authenticated
  using ((select private.edits_all_customers()));

alter table public.email_template_variants enable row level security;
create policy "team members read template variants" on public.email_template_variants for select to authenticated
  using ((select private.is_team_member()));
create policy "managers add template variants" on public.email_template_variants for insert to authenticated
  with check ((select private.edits_all_customers()));
create policy "managers edit template variants" on public.email_template_variants for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove template variants" on public.email_template_variants for delete to authenticated
  using ((select private.edits_all_customers()));

revoke all on public.email_templates, public.email_template_variants from anon;
revoke insert, update on public.email_templates, public.email_template_variants from authenticated;
grant insert (id, key, name, category, description) on public.email_templates to authenticated;
grant update (key, name, category, description) on public.email_templates to authenticated;
grant insert (id, template_id, language, subject, body_html, body_text) on public.email_template_variants to authenticated;
grant update (language, subject, body_html, body_text) on public.email_template_variants to authenticated;

-- ─── Rendering ───────────────────────────────────────────────────────────────────────────────

create function private.fill_placeholders(template text, variables jsonb, escape_html boolean) returns text
language plpgsql immutable set search_path = '' as $$
declare
  pattern constant text := '\{\{\s*([^{}]*?)\s*\}\}';
  literals text[] := regexp_split_to_array(template, pattern);
  names text[] := array(select m[1] from regexp_matches(template, pattern, 'g') as m);
  item jsonb;
  value text;
  result text := literals[1];
begin
  -- One pass, left to right: a value containing {{…}} is never expanded again.
  for i in 1 .. coalesce(array_length(names, 1), 0) loop
    item := variables #> string_to_array(names[i], '.');
    -- Missing, null, or not a plain value (an object, a list): rendered empty.
    value := case when jsonb_typeof(item) in ('string', 'number', 'boolean') then item #>> '{}' else '' end;
    if escape_html then
      value := replace(replace(replace(replace(replace(value, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
    end if;
    result := result || value || literals[i + 1];
  end loop;
  return result;
end;
$$;
comment on function private.fill_placeholders(text, jsonb, boolean) is 'Replaces every {{name}} (or {{dotted.path}}) with its value in variables (empty when missing), HTML-escaping the values when asked.';
grant execute on function private.fill_placeholders(text, jsonb, boolean) to authenticated, service_role;

create function public.render_template(template_key text, language text, variables jsonb default '{}')
returns table (subject text, body_html text, body_text text)
language plpgsql stable security invoker set search_path = '' as $$
declare
  variant public.email_template_variants;
begin
  if variables is null or jsonb_typeof(variables) <> 'object' then
    raise exception 'variables must be a JSON object such as {"first_name": "Ana"}' using errcode = '22023';
  end if;
  -- The requested language, then the workspace default, then English.
  select v.* into variant
  from public.email_templates as t
  join public.email_template_variants as v on v.template_id = t.id
  where t.key = render_template.template_key
    and v.language in (render_template.language, (select s.default_language from public.workspace_settings as s), 'en')
  order by case
    when v.language = render_template.language then 0
    when v.language = (select s.default_language from public.workspace_settings as s) then 1
    else 2
  end
  limit 1;
  if not found then
    raise exception 'no email template "%" in %, the workspace default language or English', render_template.template_key, coalesce(render_template.language, 'any language')
      using errcode = 'P0002';
  end if;
  return query select
    private.fill_placeholders(variant.subject, variables, false),
    private.fill_placeholders(variant.body_html, variables, true),
    private.fill_placeholders(variant.body_text, variables, false);
end;
$$;
comment on function public.render_template(text, text, jsonb) is 'Renders a template for a language (falling back to the workspace default language, then English) with the given variables. Values are HTML-escaped in body_html. Runs with the caller''s rights: team members and the service role.';
revoke execute on function public.render_template(text, text, jsonb) from public, anon;
grant execute on function public.render_template(text, text, jsonb) to authenticated, service_role;

-- ─── Messages ────────────────────────────────────────────────────────────────────────────────

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  thread_id uuid not null references public.message_threads (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  direction public.communication_direction not null,
  from_address text not null,
  to_address text not null,
  subject text not null,
  body_text text,
  body_html text,
  status public.message_status not null default 'queued',
  provider_message_id text,
  error text,
  template_id uuid references public.email_templates (id) on delete set null,
  sent_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  sent_at timestamptz,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint messages_from_address_is_an_email check (private.is_email(from_address)),
  constraint messages_to_address_is_an_email check (private.is_email(to_address)),
  constraint messages_subject_length check (length(subject) between 1 and 300),
  constraint messages_need_a_body check (coalesce(body_text, body_html) is not null),
  constraint messages_body_text_length check (length(body_text) <= 100000),
  constraint messages_body_html_length check (length(body_html) <= 500000),
  constraint messages_only_inbound_messages_are_read check (read_at is null or direction = 'inbound'),
  constraint messages_error_length check (length(error) <= 2000)
);
comment on table public.messages is 'Emails in a thread. Team members write outbound messages as queued; the send-email function sends them and records delivery; inbound mail arrives through the service role. Staff only.';
comment on column public.messages.customer_id is 'Copied from the thread by the database (so policies filter on a set, without a join).';
comment on column public.messages.provider_message_id is 'The email provider''s id (SendGrid sg_message_id), to match delivery events.';
comment on column public.messages.sent_by is 'The team member who wrote an outbound message; null for inbound mail.';
comment on column public.messages.read_at is 'When a team member read an inbound message.';

create index messages_thread_idx on public.messages (thread_id, created_at desc, id);
create index messages_customer_idx on public.messages (customer_id, created_at desc);
create index messages_unread_idx on public.messages (thread_id) where direction = 'inbound' and read_at is null;
create unique index messages_provider_message_id_key on public.messages (provider_message_id) where provider_message_id is not null;
create index messages_queued_idx on public.messages (created_at) where status = 'queued';
create index messages_sent_by_idx on public.messages (sent_by);
create index messages_template_idx on public.messages (template_id) where template_id is not null;

create function private.prepare_message() returns trigger
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

  if (select auth.role()) = 'authenticated' then
    if tg_op = 'INSERT' and (new.direction <> 'outbound' or new.status <> 'queued' or new.sent_at is not null) then
      raise exception 'team members write outbound messages, queued for sending; delivery is recorded by Cairn'
        using errcode = '42501';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.prepare_message() is 'Copies the thread''s customer onto a message, keeps it in its thread, and lets team members write only queued outbound messages.';
create trigger prepare_message before insert or update on public.messages
  for each row execute function private.prepare_message();

create function private.refresh_thread_state() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  thread uuid := coalesce(new.thread_id, old.thread_id);
begin
  -- Recomputed from the thread's messages (an index range), so it is right under every insert,
  -- update and delete, in any order.
  update public.message_threads as t
  set last_message_at = s.last_message_at,
      last_inbound_at = s.last_inbound_at,
      last_outbound_at = s.last_outbound_at,
      unread_count = s.unread_count
  from (
    select max(m.created_at) as last_message_at,
           max(m.created_at) filter (where m.direction = 'inbound') as last_inbound_at,
           max(m.created_at) filter (where m.direction = 'outbound') as last_outbound_at,
           count(*) filter (where m.direction = 'inbound' and m.read_at is null)::integer as unread_count
    from public.messages as m
    where m.thread_id = thread
  ) as s
  where t.id = thread
    and (t.last_message_at, t.last_inbound_at, t.last_outbound_at, t.unread_count)
        is distinct from (s.last_message_at, s.last_inbound_at, s.last_outbound_at, s.unread_count);
  return null;
end;
$$;
comment on function private.refresh_thread_state() is 'Keeps message_threads.last_message_at, last_inbound_at, last_outbound_at and unread_count in step with the messages.';
create trigger refresh_thread_state after insert or update of read_at, direction, created_at or delete on public.messages
  for each row execute function private.refresh_thread_state();

create trigger touch_updated_at before update on public.messages
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.messages
  for each row execute function private.record_audit();

alter table public.messages enable row level security;
create policy "staff read messages of the customers they may see" on public.messages for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents write messages as themselves" on public.messages for insert to authenticated
  with check (
    ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
    and sent_by = (select auth.uid())
  );
create policy "managers and owning agents mark messages read" on public.messages for update to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));

revoke all on public.messages from anon;
revoke insert, update, delete on public.messages from authenticated;
grant insert (id, thread_id, direction, from_address, to_address, subject, body_text, body_html, status, template_id)
  on public.messages to authenticated;
grant update (read_at) on public.messages to authenticated;
