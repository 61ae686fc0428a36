-- Saved views of the customer list, and the indexes the list's sort orders need
--
-- Owns: `saved_views` (a member's named filters / sort / search of the customers list, private
-- or shared with the team) and the keyset indexes for the list's sortable columns that the
-- customers migration did not already create.
--
-- Who may do what with saved views:
--   owner      reads, renames, changes, shares and deletes their own views;
--   team       every active team member reads the views others shared (never their private ones);
--   readonly   may save views too: a view changes nothing but what they look at;
--   shopper, stranger, anon: nothing.
-- Nobody edits or deletes someone else's view, not even an admin: it is that person's working
-- tool (an admin who needs one gone can deactivate the member).

-- ─── Keyset indexes for the customer list's sort orders ──────────────────────────────────────
-- The list orders by one column then by id in the same index order, and pages with
-- "(column, id) after the last row seen". Lifetime value and created_at already have
-- (column desc, id) indexes; these serve the other sortable columns both ways (backward scan).
create index customers_name_sort_idx on public.customers (full_name nulls last, id);
create index customers_order_count_sort_idx on public.customers (order_count desc, id);
create index customers_last_order_sort_idx on public.customers (last_order_at desc nulls last, id);

-- ─── Saved views ─────────────────────────────────────────────────────────────────────────────

create table public.saved_views (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.team_members (user_id) on delete cascade,
  -- Which list the view belongs to; only the customers list has views for now.
  list text not null default 'customers' check (list in ('customers')),
  name text not null,
  -- The list's URL state: {"q": "…", "status": ["vip"], "sort": "ltv.desc", …}. The app
  -- validates it on read, so a view saved by an older version never breaks the list.
  state jsonb not null default '{}',
  shared boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint saved_views_name_is_trimmed_and_short check (name = btrim(name) and length(name) between 1 and 80),
  constraint saved_views_state_is_an_object check (jsonb_typeof(state) = 'object' and pg_column_size(state) <= 4096)
);
comment on table public.saved_views is 'Named filters, sort and search of a list screen, saved by a team member: private, or shared with the whole team.';
comment on column public.saved_views.state is 'The list''s URL state as a JSON object (search, filters, sort); validated by the app when applied.';
comment on column public.saved_views.shared is 'true: every team member sees it in their list of views; only the owner may change or delete it.';

-- One name per person and list, ignoring case, so "VIP Germany" is not saved twice.
create unique index saved_views_owner_name_key on public.saved_views (owner_id, list, lower(name));
create index saved_views_shared_idx on public.saved_views (list, name) where shared;

create trigger touch_updated_at before update on public.saved_views
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.saved_views
  for each row execute function private.record_audit();

alter table public.saved_views enable row level security;
create policy "members read their own views" on public.saved_views for select to authenticated
  using (owner_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members read the views shared with the team" on public.saved_views for select to authenticated
  using (shared and (select private.is_team_member()));
create policy "members save their own views" on public.saved_views for insert to authenticated
  with check (owner_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members change their own views" on public.saved_views for update to authenticated
  using (owner_id = (select auth.uid()) and (select private.is_team_member()))
  with check (owner_id = (select auth.uid()) and (select private.is_team_member()));
create policy "members delete their own views" on public.saved_views for delete to authenticated
  using (owner_id = (select auth.uid()) and (select private.is_team_member()));

revoke all on public.saved_views from anon;
revoke insert, update, truncate on public.saved_views from authenticated;
-- The owner comes from the session and a view never changes hands.
grant insert (list, name, state, shared), update (name, state, shared) on public.saved_views to authenticated;
