-- Tags
--
-- Owns: the team's shared list of tags (`tags`) and which customers carry them
-- (`customer_tags`).
--
-- Who may do what:
--   tags           every team member reads them and may create one (an agent tags on the fly
--                  while working a customer); only admins and managers rename, recolour or
--                  delete a tag, because a tag is shared: changing it changes it on every
--                  customer, including those other agents own.
--   customer_tags  the customer-owned pattern: admins and managers tag any customer, an agent
--                  only the customers they own, readonly members read, shoppers see nothing.
--
-- Names are unique whatever their case ("VIP" and "vip" are the same tag), so the list does
-- not fill up with near-duplicates.

-- ─── Tags ────────────────────────────────────────────────────────────────────────────────────

create table public.tags (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  colour text not null default '#64748b',
  description text,
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tags_name_is_trimmed_and_short check (name = btrim(name) and length(name) between 1 and 50),
  constraint tags_colour_is_a_hex_colour check (colour ~ '^#[0-9A-Fa-f]{6}$'),
  constraint tags_description_is_short check (length(description) <= 500)
);
comment on table public.tags is 'Labels the team puts on customers (VIP, wholesale, influencer…). Names are unique ignoring case.';
comment on column public.tags.colour is 'Display colour as #rrggbb.';
comment on column public.tags.created_by is 'The team member who created the tag (null when made by the system).';

create unique index tags_name_key on public.tags (lower(name));
create index tags_created_by_idx on public.tags (created_by);

create trigger touch_updated_at before update on public.tags
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.tags
  for each row execute function private.record_audit();

alter table public.tags enable row level security;
create policy "team members read tags" on public.tags for select to authenticated
  using ((select private.is_team_member()));
create policy "staff who may edit customers create tags" on public.tags for insert to authenticated
  with check ((select private.edits_all_customers()) or (select private.is_agent()));
create policy "managers edit tags" on public.tags for update to authenticated
  using ((select private.edits_all_customers())) with check ((select private.edits_all_customers()));
create policy "managers remove tags" on public.tags for delete to authenticated
  using ((select private.edits_all_customers()));

revoke all on public.tags from anon;
revoke insert, update, truncate on public.tags from authenticated;
-- created_by comes from the session, never from the client.
grant insert (name, colour, description), update (name, colour, description) on public.tags to authenticated;

-- ─── Customer ↔ tag ──────────────────────────────────────────────────────────────────────────

create table public.customer_tags (
  customer_id uuid not null references public.customers (id) on delete cascade,
  tag_id uuid not null references public.tags (id) on delete cascade,
  created_by uuid default auth.uid() references public.team_members (user_id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (customer_id, tag_id)
);
comment on table public.customer_tags is 'Which customers carry which tags. The primary key serves customer → tags; customer_tags_tag_idx serves tag → customers (filtering the customer list by tag).';
comment on column public.customer_tags.created_by is 'The team member who tagged the customer (null when the system did, e.g. an automation).';

create index customer_tags_tag_idx on public.customer_tags (tag_id, customer_id);
create index customer_tags_created_by_idx on public.customer_tags (created_by);

-- Audited under the customer's id, so a customer's history shows its tags coming and going.
create trigger record_audit after insert or update or delete on public.customer_tags
  for each row execute function private.record_audit('customer_id');

alter table public.customer_tags enable row level security;
create policy "staff read the tags of customers they may see" on public.customer_tags for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents tag customers" on public.customer_tags for insert to authenticated
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents untag customers" on public.customer_tags for delete to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));
-- No update policy: a tagging is added or removed, never edited.

revoke all on public.customer_tags from anon;
revoke insert, update, truncate on public.customer_tags from authenticated;
grant insert (customer_id, tag_id) on public.customer_tags to authenticated;
