-- The privacy console refuses a request with a reason the shopper is told, and hands requests
-- only to the people who work them (issue 12: "each with its 30-day clock, status and
-- assignee"; GDPR art. 12(4): a controller that does not act on a request tells the person why,
-- within the month).
--
-- Owns:
--   - privacy_requests.refusal_reason: why a refused request was refused, in words meant for the
--     customer (the portal shows it to the shopper: they read their own requests). A refused
--     request always has one (check), and nobody writes it but refuse_privacy_request;
--   - public.refuse_privacy_request(request, reason): admins and managers refuse an open or
--     in-progress request (the assignee becomes the caller when none), idempotently;
--   - trigger guard_privacy_assignee: a request is assigned only to an active admin or manager
--     (23514 otherwise), whoever writes — the console's reassign and the API alike.
-- Requests refused before this migration (none is expected) get a neutral reason.

alter table public.privacy_requests add column refusal_reason text
  constraint privacy_requests_refusal_reason_length check (length(refusal_reason) between 1 and 2000);
update public.privacy_requests set refusal_reason = 'Refused before reasons were recorded.' where status = 'refused';
alter table public.privacy_requests add constraint privacy_requests_refused_has_reason
  check (status <> 'refused' or refusal_reason is not null);
comment on column public.privacy_requests.refusal_reason is 'Why the request was refused, in words for the customer (shown to the shopper in the portal). Set only by refuse_privacy_request; required while the status is refused.';

create function private.guard_privacy_assignee() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.assignee_id is not null and new.assignee_id is distinct from (case when tg_op = 'UPDATE' then old.assignee_id end)
     and not exists (
       select from public.team_members m
       where m.user_id = new.assignee_id and m.active and m.accepted_at is not null and m.role in ('admin', 'manager')
     ) then
    raise exception 'privacy requests are assigned only to active admins and managers' using errcode = '23514';
  end if;
  return new;
end;
$$;
comment on function private.guard_privacy_assignee() is 'BEFORE INSERT / UPDATE OF assignee_id on privacy_requests: the new assignee is an active, accepted admin or manager (23514 otherwise).';
revoke execute on function private.guard_privacy_assignee() from public, anon, authenticated, service_role;
create trigger guard_privacy_assignee before insert or update of assignee_id on public.privacy_requests
  for each row execute function private.guard_privacy_assignee();

create function public.refuse_privacy_request(request uuid, reason text) returns public.privacy_requests
language plpgsql volatile security definer set search_path = '' as $$
declare
  target public.privacy_requests;
  said text := btrim(reason);
begin
  if not (select private.edits_all_customers()) then
    raise exception 'only admins and managers refuse privacy requests' using errcode = '42501';
  end if;
  if said is null or length(said) < 10 or length(said) > 2000 then
    raise exception 'say why the request is refused, in 10 to 2000 characters the customer will read'
      using errcode = '22023', detail = 'reason';
  end if;
  select * into target from public.privacy_requests r where r.id = refuse_privacy_request.request for update;
  if not found then
    raise exception 'no privacy request with this id' using errcode = 'P0002';
  end if;
  if target.status = 'refused' then
    return target;
  end if;
  if target.status = 'completed' then
    raise exception 'this request is already completed' using errcode = '55000', detail = 'completed';
  end if;
  update public.privacy_requests r set
    status = 'refused', refusal_reason = said, assignee_id = coalesce(r.assignee_id, (select auth.uid()))
  where r.id = target.id
  returning * into target;
  return target;
end;
$$;
comment on function public.refuse_privacy_request(uuid, text) is 'Admins and managers: refuses an open or in-progress privacy request with a reason for the customer (10–2000 characters; 22023 otherwise), assigning it to the caller when nobody had it. Idempotent for a refused request; 55000 for a completed one; P0002 for an unknown id.';
revoke execute on function public.refuse_privacy_request(uuid, text) from public, anon;
grant execute on function public.refuse_privacy_request(uuid, text) to authenticated;
