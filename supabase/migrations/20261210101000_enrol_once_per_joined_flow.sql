-- A customer enters a "they joined" flow once (issue 16, the welcome series).
--
-- The bug: a flow's entry keys make enrolment idempotent per event — customer_created,
-- portal_signup, joined (a flow with also_on, 20261209110200), existing (switched on with
-- "enrol existing customers", 20261208110300). A flow that was active on "customer created"
-- before it gained also_on = {portal_signup} had enrolled its customers under customer_created;
-- when one of them later signed up in the portal the flow enrolled them again under "joined" (the
-- one-active-passage index only stops that while the first passage is still running). The same
-- happened to a customer enrolled as "existing" who then signed up. The welcome series welcomed
-- them twice.
--
-- Owns:
--   - flow_enrolments.enters_once, set by the database (trigger mark_enters_once, BEFORE INSERT,
--     only for the entry keys of those triggers): true when the flow starts on customer_created or
--     portal_signup (its trigger or its also_on) — events that happen once in a customer's life,
--     so the flow says a customer enters once;
--   - the unique index flow_enrolments_enter_once_idx (flow_id, customer_id) where enters_once:
--     every enrolling statement already inserts with `on conflict do nothing`, so a second
--     passage of the same customer in such a flow, under whatever key, is not made, and two
--     sign-ups at once cannot both make one;
--   - the existing passages marked: the first passage of each customer in such a flow (earlier
--     duplicates stay as history, unmarked);
--   - public.preview_flow_activation (restated whole from 20261208110300): a customer already in
--     a flow they enter once is not counted as one who would enter. Grants as before.

alter table public.flow_enrolments add column enters_once boolean not null default false;
comment on column public.flow_enrolments.enters_once is 'Written by the database: the flow starts when a customer is created or signs up in the portal, so this customer enters it once (unique per flow and customer among such passages, whatever the entry key).';

create function private.mark_enrolment_enters_once() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.enters_once := exists (
    select 1 from public.flows f
    where f.id = new.flow_id
      and (f.trigger ->> 'type' in ('customer_created', 'portal_signup')
           or f.also_on && array['customer_created', 'portal_signup']));
  return new;
end;
$$;
comment on function private.mark_enrolment_enters_once() is 'BEFORE INSERT on flow_enrolments (entry keys customer_created, portal_signup, joined, existing): marks the passage enters_once when its flow starts on a customer joining (trigger or also_on customer_created / portal_signup).';
revoke execute on function private.mark_enrolment_enters_once() from public, anon, authenticated;

create trigger mark_enters_once before insert on public.flow_enrolments
  for each row when (new.entry_key in ('customer_created', 'portal_signup', 'joined', 'existing'))
  execute function private.mark_enrolment_enters_once();

-- The passages made so far: the first of each customer in each such flow.
update public.flow_enrolments en set enters_once = true
where en.id in (
  select distinct on (e.flow_id, e.customer_id) e.id
  from public.flow_enrolments e
  join public.flows f on f.id = e.flow_id
  where e.entry_key in ('customer_created', 'portal_signup', 'joined', 'existing')
    and (f.trigger ->> 'type' in ('customer_created', 'portal_signup') or f.also_on && array['customer_created', 'portal_signup'])
  order by e.flow_id, e.customer_id, e.entered_at, e.id
);

create unique index flow_enrolments_enter_once_idx on public.flow_enrolments (flow_id, customer_id) where enters_once;

create or replace function public.preview_flow_activation(flow_id uuid) returns integer
language plpgsql stable security definer set search_path = '' as $$
begin
  perform private.flow_activation_check(flow_id);
  return (select count(*)::integer from private.flow_existing_customers(flow_id) c
          where not exists (select 1 from public.flow_enrolments e
                            where e.flow_id = preview_flow_activation.flow_id and e.customer_id = c
                              and (e.state = 'active' or e.entry_key = 'existing' or e.enters_once)));
end;
$$;
comment on function public.preview_flow_activation(uuid) is 'How many existing customers match the flow''s trigger now and would enter if it is switched on with enrol_existing (not counting those already in it, nor those who entered a flow they enter once). Admins and managers.';
