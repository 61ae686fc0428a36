-- Team access: accepted invitations and multi-factor authentication (issue 9: C-1, H-2, H-1)
--
-- Owns: when a team_members row grants its role. Until now any active row did, from the moment
-- an admin invited someone, and whatever the session's authentication level. Three findings of
-- the security review followed from that: anyone who signed up with a pending invitee's address
-- got the invitee's role (C-1); an invitation could reuse an account an attacker had created
-- beforehand, password included (H-2); and a stolen password was enough to read and write through
-- the API although the member had a second factor (H-1).
--
-- The rule now, in one place, `private.team_role()`, which every other access helper asks (so
-- every policy, storage policy, security-definer RPC and realtime check obeys it): a row grants
-- its role when it is active, its invitation has been ACCEPTED by the invited person, and the
-- session's assurance level is aal2 whenever the member has a verified factor or the workspace
-- requires MFA. A session that is aal2 skips the factor lookup.
--
-- Also here: `accept_team_invitation()` (the only way a pending row becomes accepted, from a
-- session that came from the invitation email, after the invitee set their own password); a
-- guard so that only an account created by an invitation — never a self sign-up, never a
-- shopper's portal account — can hold a team row; `team_invitation_check()` for invite-member to
-- refuse an address whose account the invitation would reuse; the workspace setting
-- `require_mfa`; and `my_team_access()`, which tells the app what the caller must still do
-- (accept, enrol a factor, pass the challenge) without granting any table access.

-- ─── Acceptance and the workspace's MFA setting ──────────────────────────────────────────────

alter table public.team_members add column accepted_at timestamptz;
comment on column public.team_members.accepted_at is 'When the invited person accepted (opened the emailed link and set their own password). Null: a pending invitation, which grants nothing. Set only by accept_team_invitation() (or the service role).';

-- Members already working keep working: a row whose account confirmed its email (opened the
-- invitation, or was created confirmed) counts as accepted. Pending invitations stay pending.
update public.team_members as m
set accepted_at = coalesce(u.last_sign_in_at, u.email_confirmed_at)
from auth.users as u
where u.id = m.user_id and u.email_confirmed_at is not null and m.accepted_at is null;

alter table public.workspace_settings add column require_mfa boolean not null default false;
comment on column public.workspace_settings.require_mfa is 'When true, every team member needs an aal2 session (a verified second factor) to read or write anything; the app walks a member without a factor through enrolment.';

-- ─── The one rule ────────────────────────────────────────────────────────────────────────────

create or replace function private.team_role() returns public.team_role
language plpgsql stable security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  -- Checked first and cheaply: an aal2 session never needs the factor lookup below.
  passed_mfa boolean := coalesce(auth.jwt() ->> 'aal', 'aal1') = 'aal2';
begin
  return (
    select m.role
    from public.team_members as m
    where m.user_id = caller
      and m.active
      and m.accepted_at is not null
      and (
        passed_mfa
        or (
          not (select w.require_mfa from public.workspace_settings as w)
          and not exists (select from auth.mfa_factors as f where f.user_id = caller and f.status = 'verified')
        )
      )
  );
end
$$;
comment on function private.team_role() is 'The caller''s role, or null. A role counts only when the team row is active and its invitation accepted, and — when the member has a verified factor or the workspace requires MFA — only in an aal2 session. Every other access helper asks this function: it is the one place the rule lives. Call it as (select private.team_role()).';

-- The other helpers keep their names and answers, and now all go through team_role(). Each is
-- still called once per statement by the policies ((select …)), and a PL/pgSQL call of another
-- PL/pgSQL function keeps both plans cached, so this adds one function call per statement.
create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(private.team_role() = 'admin', false);
end
$$;

create or replace function private.sees_all_customers() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(private.team_role() in ('admin', 'manager', 'readonly'), false);
end
$$;

create or replace function private.edits_all_customers() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(private.team_role() in ('admin', 'manager'), false);
end
$$;

create or replace function private.is_agent() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(private.team_role() = 'agent', false);
end
$$;

create or replace function private.is_team_member() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return private.team_role() is not null;
end
$$;

-- The one team policy that did not ask a helper: editing one's own profile now also needs a
-- role that counts (an aal1 session of a member with a factor edits nothing).
drop policy "members edit their own profile" on public.team_members;
create policy "members edit their own profile" on public.team_members for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_team_member()))
  with check (user_id = (select auth.uid()) and (select private.is_team_member()));

-- ─── Who may hold a team row ─────────────────────────────────────────────────────────────────

create function private.team_account_problem(account uuid, pending boolean) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when u.id is null then 'no_account'
    -- Only an invitation creates staff accounts: a self sign-up (the shopper portal's, when it
    -- comes) can never hold a team row.
    when u.invited_at is null then 'not_invited'
    when exists (select from public.customers as c where c.auth_user_id = u.id) then 'shopper'
    -- A pending invitation must not hold a password the invitee did not set (H-2).
    when pending and coalesce(u.encrypted_password, '') <> '' then 'has_password'
  end
  from (select account as id) as wanted
  left join auth.users as u on u.id = wanted.id
$$;
comment on function private.team_account_problem(uuid, boolean) is 'Why an auth account may not hold a team row (not_invited, shopper, no_account; has_password for a pending invitation), or null when it may.';

create function private.guard_team_membership() returns trigger
language plpgsql set search_path = '' as $$
declare
  problem text;
begin
  if tg_op = 'UPDATE' and new.user_id <> old.user_id then
    raise exception 'a team row belongs to its account for good: remove it and invite the other person'
      using errcode = '42501', table = 'team_members';
  end if;
  -- Not security definer on purpose: current_user is the API role of the request. Only
  -- accept_team_invitation() (owned by postgres) and the service role set accepted_at.
  if current_user in ('anon', 'authenticated')
     and (case when tg_op = 'INSERT' then new.accepted_at is not null
               else new.accepted_at is distinct from old.accepted_at end) then
    raise exception 'an invitation is accepted only by the invited person, through accept_team_invitation()'
      using errcode = '42501', table = 'team_members', detail = 'acceptance_by_invitee';
  end if;
  if tg_op = 'INSERT' then
    problem := private.team_account_problem(new.user_id, new.accepted_at is null);
    if problem is not null then
      raise exception '%', case problem
          when 'not_invited' then 'this account was not created by an invitation: only invited people join the team'
          when 'shopper' then 'this account is a shopper''s portal login and cannot join the team'
          when 'has_password' then 'this account already has a password the invitee did not set: it cannot be invited'
          else 'there is no account for this team member' end
        using errcode = '23514', table = 'team_members', detail = problem;
    end if;
  end if;
  return new;
end
$$;
comment on function private.guard_team_membership() is 'BEFORE INSERT OR UPDATE on team_members: only invited accounts that are not shoppers join; a pending row holds no password the invitee did not set; accepted_at is set by the invitee (accept_team_invitation) or the service role; user_id never changes.';
create trigger guard_team_membership before insert or update on public.team_members
  for each row execute function private.guard_team_membership();

-- The last active admin must be one who can act: a pending admin invitation does not count.
create or replace function private.keep_an_active_admin() returns trigger
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
    where role = 'admin' and active and accepted_at is not null and user_id <> old.user_id
  ) then
    raise exception 'the last active admin cannot be demoted, deactivated or removed: make another member an admin first'
      using errcode = '23514', table = 'team_members', detail = 'last_admin';
  end if;
  return coalesce(new, old);
end;
$$;

-- ─── Accepting an invitation ─────────────────────────────────────────────────────────────────

create function public.accept_team_invitation() returns public.team_role
language plpgsql volatile security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  member public.team_members;
  account record;
begin
  if caller is null then
    raise exception 'sign in with the link in your invitation email first' using errcode = '42501';
  end if;
  select * into member from public.team_members where user_id = caller for update;
  if not found then
    raise exception 'there is no invitation to the team for this account' using errcode = 'P0002';
  end if;
  if member.accepted_at is not null then
    return member.role;
  end if;
  select u.invited_at, u.email_confirmed_at, coalesce(u.encrypted_password, '') <> '' as has_password
  into account from auth.users as u where u.id = caller;
  if account.invited_at is null then
    raise exception 'this account was not created by an invitation' using errcode = '42501';
  end if;
  -- Proof that the person holds the mailbox: the email was confirmed by the link, and this very
  -- session was opened by an emailed link (GoTrue records it as an `otp` sign-in), not by a
  -- password somebody else may know.
  if account.email_confirmed_at is null or not exists (
    select from jsonb_array_elements(
      case when jsonb_typeof(auth.jwt() -> 'amr') = 'array' then auth.jwt() -> 'amr' else '[]'::jsonb end
    ) as claim
    where claim ->> 'method' in ('otp', 'magiclink', 'invite', 'recovery', 'email/signup')
  ) then
    raise exception 'open the link in your invitation email to accept it' using errcode = '42501';
  end if;
  if not account.has_password then
    raise exception 'choose your password before accepting the invitation' using errcode = '55000';
  end if;
  -- Audited by the team_members audit trigger, with the invitee as the actor.
  update public.team_members set accepted_at = now() where user_id = caller;
  return member.role;
end
$$;
comment on function public.accept_team_invitation() is 'The invitee accepts their pending team invitation: only from a session opened by the emailed link, on an account the invitation created, after they set their own password. Returns their role. Idempotent.';
revoke execute on function public.accept_team_invitation() from public, anon;
grant execute on function public.accept_team_invitation() to authenticated;

-- ─── What the app needs to know ──────────────────────────────────────────────────────────────

create function public.my_team_access()
returns table (
  role public.team_role,
  state text,
  mfa_required boolean,
  has_verified_factor boolean,
  session_aal text
)
language sql stable security definer set search_path = '' as $$
  -- Security definer to read the caller's own row, the workspace setting and their factors at
  -- any assurance level: it grants nothing, it tells the app which step is missing.
  select m.role,
         case when m.user_id is null then 'none'
              when m.accepted_at is null then 'pending'
              when not m.active then 'inactive'
              else 'active' end,
         case when m.user_id is null then false
              else (select w.require_mfa from public.workspace_settings as w) end,
         exists (select from auth.mfa_factors as f where f.user_id = caller.id and f.status = 'verified'),
         coalesce(auth.jwt() ->> 'aal', 'aal1')
  from (select auth.uid() as id) as caller
  left join public.team_members as m on m.user_id = caller.id
$$;
comment on function public.my_team_access() is 'The caller''s own access state for the app: role, state (none, pending, inactive, active), whether the workspace requires MFA, whether they have a verified factor, and their session''s aal. Grants nothing.';
revoke execute on function public.my_team_access() from public, anon;
grant execute on function public.my_team_access() to authenticated;

-- ─── Inviting ────────────────────────────────────────────────────────────────────────────────

create function public.team_invitation_check(address text) returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  account record;
begin
  if coalesce((select auth.role()), '') in ('anon', 'authenticated') and not (select private.is_admin()) then
    raise exception 'only an admin can invite team members' using errcode = '42501';
  end if;
  select u.id, u.invited_at, u.email_confirmed_at into account
  from auth.users as u where lower(u.email) = lower(address) and not u.is_sso_user
  limit 1;
  if account.id is null then
    return 'new';
  end if;
  if exists (select from public.team_members as m where m.user_id = account.id) then
    return case when account.email_confirmed_at is null then 'pending' else 'member' end;
  end if;
  if account.email_confirmed_at is not null then
    return 'account_exists';
  end if;
  -- An unconfirmed account the invitation would reuse: it must have been made by an earlier
  -- invitation and hold no password, or somebody else may already hold the keys to it.
  return case when private.team_account_problem(account.id, true) is null then 'pending' else 'not_invitable' end;
end
$$;
comment on function public.team_invitation_check(text) is 'For invite-member (admins): what an invitation to this address would meet. new (no account), pending (an earlier invitation not yet accepted: resend), member (already on the team), account_exists (a confirmed account not on the team), not_invitable (an unconfirmed account the invitation did not create, or with a password).';
revoke execute on function public.team_invitation_check(text) from public, anon;
grant execute on function public.team_invitation_check(text) to authenticated, service_role;

-- ─── Requiring MFA ───────────────────────────────────────────────────────────────────────────

create function private.guard_require_mfa() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- Turning it on from an aal1 session would lock that admin out too; they enrol first.
  if new.require_mfa and not old.require_mfa and current_user = 'authenticated'
     and coalesce(auth.jwt() ->> 'aal', 'aal1') <> 'aal2' then
    raise exception 'set up two-step verification for yourself (and sign in with it) before requiring it for the team'
      using errcode = '42501', table = 'workspace_settings', detail = 'aal2_required';
  end if;
  return new;
end
$$;
comment on function private.guard_require_mfa() is 'BEFORE UPDATE OF require_mfa on workspace_settings: only an aal2 session can require MFA for the team.';
create trigger guard_require_mfa before update of require_mfa on public.workspace_settings
  for each row execute function private.guard_require_mfa();

-- ─── Team directory: pending means not accepted ──────────────────────────────────────────────

create or replace function public.team_directory()
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
  -- same rule as the "team members see the team" policy, so only members whose role counts get rows.
  select m.user_id, m.email, m.full_name, m.avatar_url, m.role, m.timezone, m.language, m.active,
         m.created_at, u.invited_at, u.last_sign_in_at,
         -- The invitee has not accepted yet (the row grants nothing until they do).
         m.accepted_at is null as invitation_pending
  from public.team_members as m
  left join auth.users as u on u.id = m.user_id
  where (select private.is_team_member())
  order by m.active desc, lower(m.full_name), m.email
$$;

revoke execute on function private.team_account_problem(uuid, boolean) from public;
-- The membership guard runs as the API role of the request and asks this about auth.users.
grant execute on function private.team_account_problem(uuid, boolean) to authenticated, service_role;
