-- Team administration and settings read models
--
-- Owns: the rule that the workspace always keeps an active admin (the last one can be neither
-- demoted, deactivated nor removed, so nobody is locked out of the team and settings pages);
-- `team_directory()`, the team list with each member's sign-in state from auth.users (which the
-- API never exposes); and `tag_usage`, the tags with how many customers carry each.
--
-- Invitations themselves are made by the invite-member edge function: the auth server creates
-- the user and sends the email, then the function adds the team_members row as the inviting
-- admin (the "admins add team members" policy decides), so no trigger on auth.users is needed.

-- ─── An active admin always remains ──────────────────────────────────────────────────────────

create function private.keep_an_active_admin() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not (old.role = 'admin' and old.active) then
    return coalesce(new, old);
  end if;
  if tg_op = 'UPDATE' and new.role = 'admin' and new.active then
    return new;
  end if;
  -- Two admins demoting each other at the same moment would each still see the other; taking
  -- one lock for every change that removes an admin makes the second wait and see the first.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('cairn.team_members.admins'));
  if not exists (
    select 1 from public.team_members
    where role = 'admin' and active and user_id <> old.user_id
  ) then
    raise exception 'the last active admin cannot be demoted, deactivated or removed: make another member an admin first'
      using errcode = '23514', table = 'team_members', detail = 'last_admin';
  end if;
  return coalesce(new, old);
end;
$$;
comment on function private.keep_an_active_admin() is 'BEFORE UPDATE OR DELETE on team_members: refuses a change that would leave no active admin (error detail last_admin).';

create trigger keep_an_active_admin before update of role, active or delete on public.team_members
  for each row execute function private.keep_an_active_admin();

-- ─── Team directory ──────────────────────────────────────────────────────────────────────────

create function public.team_directory()
returns table (
  user_id uuid,
  email text,
  full_name text,
  avatar_url text,
  role public.team_role,
  timezone text,
  language text,
  active boolean,
  created_at timestamptz,
  invited_at timestamptz,
  last_sign_in_at timestamptz,
  invitation_pending boolean
)
language sql stable security definer set search_path = '' as $$
  -- Security definer to read auth.users (never exposed through the API); the where clause is the
  -- same rule as the "team members see the team" policy, so only active members get rows.
  select m.user_id, m.email, m.full_name, m.avatar_url, m.role, m.timezone, m.language, m.active,
         m.created_at, u.invited_at, u.last_sign_in_at,
         -- Invited and never signed in: the link in the invitation has not been used yet.
         u.invited_at is not null and u.last_sign_in_at is null as invitation_pending
  from public.team_members as m
  left join auth.users as u on u.id = m.user_id
  where (select private.is_team_member())
  order by m.active desc, lower(m.full_name), m.email
$$;
comment on function public.team_directory() is 'The team for the settings page: every member with role, status, when they were invited and last signed in, and whether their invitation is still pending. Empty for anyone who is not an active team member.';
revoke execute on function public.team_directory() from public, anon;
grant execute on function public.team_directory() to authenticated, service_role;

-- ─── Tag usage ───────────────────────────────────────────────────────────────────────────────

create view public.tag_usage with (security_invoker = on) as
select t.id, t.name, t.colour, t.description, t.created_at, t.updated_at,
       (select count(*) from public.customer_tags as ct where ct.tag_id = t.id) as customer_count
from public.tags as t;
comment on view public.tag_usage is 'Tags with how many customers carry each (counted under the reader''s RLS: an agent counts only their own customers). Served by customer_tags_tag_idx.';
revoke all on public.tag_usage from anon;
grant select on public.tag_usage to authenticated;
