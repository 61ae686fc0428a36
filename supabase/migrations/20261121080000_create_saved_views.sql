-- Saved views of the customer list, and the indexes the list's sort orders need
--
-- Owns: `saved_views` (a member's named filters / sort / search of the customers list, private
-- or shared with the team), the keyset indexes for the list's sortable columns that the
-- customers migration did not already create, and `search_customer_list(query)`, the list's
-- text search that keeps its filters, sort, keyset pages and count.
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

-- ─── Search that keeps the list's filters, sort and pages ────────────────────────────────────
-- search_customers() returns the best 100 matches; the list needs every match, filtered, sorted
-- and paged by PostgREST like customer_list itself. A LIKE or trigram condition written on the
-- view cannot use an index under row-level security (it is not leakproof) and scanned all
-- 100 000 customers (140–550 ms in `bench:app`). So the matching runs in a security definer
-- helper that uses the indexes and applies the customers' select rule itself (as
-- search_customers does), and hands back ids; joining them on id (uuid equality is leakproof)
-- lets the primary key serve the view's rows while its own policies still apply. A join rather
-- than `id = any((select …))`: PostgREST passes the argument from a lateral subquery, which
-- would turn that into a per-row subplan and a scan of every customer.

create function private.customer_search_ids(query text) returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  needle text := btrim(query);
  prefix text := lower(btrim(query));
  prefix_end text := lower(btrim(query)) || chr(1114111);
  fragment text := '%' || replace(replace(replace(btrim(query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  if needle is null or length(needle) < 2 then
    raise exception 'search needs at least 2 characters' using errcode = '22023';
  end if;
  return array(
    select c.id
    from public.customers c
    where (
        (select private.sees_all_customers())
        or (select auth.role()) = 'service_role'
        or ((select private.is_agent()) and c.owner_id = (select auth.uid()))
      )
      and (
        (lower(c.email) ~>=~ prefix and lower(c.email) ~<~ prefix_end)
        -- A fragment needs 3 characters, a trigram: shorter ones cannot use customers_search_idx
        -- and would read every customer (two letters match most of them anyway).
        or (length(needle) >= 3
            and (coalesce(c.full_name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' || coalesce(c.company, ''))
                ilike fragment)
      )
  );
end;
$$;
comment on function private.customer_search_ids(text) is 'Ids of the customers the caller may see whose email starts with the query (at least 2 characters), or whose name, email, phone or company contains it (at least 3). Uses customers_email_prefix_idx and customers_search_idx.';
revoke execute on function private.customer_search_ids(text) from public;
grant execute on function private.customer_search_ids(text) to authenticated, service_role;

-- SQL, security invoker and without SET clauses so Postgres inlines it into PostgREST's query:
-- filters, order, limit and count on /rpc/search_customer_list work as on /customer_list, and the
-- view's row-level security applies to the caller.
create function public.search_customer_list(query text) returns setof public.customer_list
language sql stable security invoker as $$
  select l.* from unnest(private.customer_search_ids(query)) as match (id) join public.customer_list l on l.id = match.id
$$;
comment on function public.search_customer_list(text) is 'The customer_list rows matching a search (email prefix from 2 characters, or a fragment of name, email, phone or company from 3), for the list screen: filter, order, page and count it like customer_list.';
revoke execute on function public.search_customer_list(text) from public, anon;
grant execute on function public.search_customer_list(text) to authenticated, service_role;

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
