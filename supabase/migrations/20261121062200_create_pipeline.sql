-- Pipeline: deal stages and deals (the kanban)
--
-- Owns: `deal_stages` (configurable, ordered, with a default probability and won / lost
-- flags; seeded with seed 001's journey: waiting list → qualified → reserved → won (owner) /
-- lost) and `deals` (customer, amount and currency, probability, expected close, owner, kanban
-- position), with closed_at kept by the database.
--
-- Who may do what:
--   stages  read: every team member; add / change / remove: admins (a stage still holding deals
--           cannot be removed).
--   deals   read: admins, managers, readonly (all), agents (deals of the customers they own);
--           add / change: admins and managers (any owner), agents on their customers, owned by
--           themselves only (an agent never assigns a deal to someone else); remove: admins and
--           managers (agents close a deal as lost instead). Shoppers, strangers, anon: nothing.

-- ─── Stages ──────────────────────────────────────────────────────────────────────────────────

create table public.deal_stages (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  position smallint not null,
  probability smallint not null default 0,
  is_won boolean not null default false,
  is_lost boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint deal_stages_name_length check (length(btrim(name)) between 1 and 60),
  constraint deal_stages_name_key unique (name),
  -- Deferrable so a single statement can reorder the board (positions swap mid-statement).
  constraint deal_stages_position_key unique (position) deferrable initially immediate,
  constraint deal_stages_probability_between_0_and_100 check (probability between 0 and 100),
  constraint deal_stages_cannot_be_both_won_and_lost check (not (is_won and is_lost)),
  constraint deal_stages_won_means_100_lost_means_0
    check ((not is_won or probability = 100) and (not is_lost or probability = 0))
);
comment on table public.deal_stages is 'Columns of the deal board, in position order. A deal entering a won or lost stage is closed.';
comment on column public.deal_stages.probability is 'Default win probability (percent) for deals entering the stage.';

insert into public.deal_stages (name, position, probability, is_won, is_lost) values
  ('Waiting list', 10, 10, false, false),
  ('Qualified', 20, 30, false, false),
  ('Reserved', 30, 70, false, false),
  ('Won (owner)', 40, 100, true, false),
  ('Lost', 50, 0, false, true);

create trigger touch_updated_at before update on public.deal_stages
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.deal_stages
  for each row execute function private.record_audit();

alter table public.deal_stages enable row level security;
create policy "team members read deal stages" on public.deal_stages for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add deal stages" on public.deal_stages for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit deal stages" on public.deal_stages for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove deal stages" on public.deal_stages for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.deal_stages from anon;
revoke insert, update on public.deal_stages from authenticated;
grant insert (id, name, position, probability, is_won, is_lost) on public.deal_stages to authenticated;
grant update (name, position, probability, is_won, is_lost) on public.deal_stages to authenticated;

-- ─── Deals ───────────────────────────────────────────────────────────────────────────────────

create table public.deals (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  title text not null,
  stage_id uuid not null references public.deal_stages (id) on delete restrict,
  amount numeric(14, 2) not null default 0,
  currency text not null default private.base_currency() references public.currencies (code),
  probability smallint not null,
  expected_close date,
  owner_id uuid default auth.uid() references public.team_members (user_id) on delete set null,
  position double precision not null default 0,
  notes text,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint deals_title_length check (length(btrim(title)) between 1 and 200),
  constraint deals_amount_not_negative check (amount >= 0),
  constraint deals_probability_between_0_and_100 check (probability between 0 and 100),
  constraint deals_notes_length check (length(notes) <= 5000)
);
comment on table public.deals is 'Opportunities with a customer on the deal board (seed 001: waiting list → reserved → owner).';
comment on column public.deals.amount is 'Expected value in currency (ISO 4217).';
comment on column public.deals.probability is 'Win probability in percent. Defaults to the stage''s; follows the stage when the deal moves unless set in the same change; 100 when won, 0 when lost.';
comment on column public.deals.owner_id is 'The team member working the deal. Agents may only own deals themselves.';
comment on column public.deals.position is 'Order within the stage column (ascending); fractional so a card can drop between two others.';
comment on column public.deals.closed_at is 'Set by the database when the deal enters a won or lost stage, cleared when it reopens.';

create index deals_customer_idx on public.deals (customer_id);
create index deals_board_idx on public.deals (stage_id, position, id);
create index deals_owner_idx on public.deals (owner_id);
create index deals_expected_close_idx on public.deals (expected_close) where closed_at is null;

create function private.prepare_deal() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage public.deal_stages;
  was_closed boolean := false;
begin
  -- Agents work deals for themselves: they may not hand a deal (or create one) for someone else.
  if (select auth.role()) = 'authenticated' and (select private.is_agent())
     and (tg_op = 'INSERT' or new.owner_id is distinct from old.owner_id)
     and new.owner_id is distinct from (select auth.uid()) then
    raise exception 'agents may assign deals to themselves only' using errcode = '42501';
  end if;

  -- Security definer so the stage is found whoever asks; the policies then decide on the deal.
  select * into stage from public.deal_stages where id = new.stage_id;
  if not found then
    raise exception 'no such deal stage: %', new.stage_id using errcode = '23503';
  end if;

  if tg_op = 'INSERT' then
    new.probability := coalesce(new.probability, stage.probability);
  elsif new.stage_id is distinct from old.stage_id then
    was_closed := old.closed_at is not null;
    if new.probability is not distinct from old.probability then
      new.probability := stage.probability;
    end if;
  else
    was_closed := old.closed_at is not null;
  end if;

  if stage.is_won then
    new.probability := 100;
  elsif stage.is_lost then
    new.probability := 0;
  end if;

  if stage.is_won or stage.is_lost then
    new.closed_at := case when was_closed and new.stage_id is not distinct from old.stage_id then old.closed_at else now() end;
  else
    new.closed_at := null;
  end if;
  return new;
end;
$$;
comment on function private.prepare_deal() is 'Defaults probability from the stage, sets closed_at on entering a won or lost stage (clears it on reopening), and keeps agents from assigning deals to others.';
create trigger prepare_deal before insert or update on public.deals
  for each row execute function private.prepare_deal();

create trigger touch_updated_at before update on public.deals
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.deals
  for each row execute function private.record_audit();

alter table public.deals enable row level security;
create policy "staff read deals of the customers they may see" on public.deals for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents add deals" on public.deals for insert to authenticated
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers and owning agents edit deals" on public.deals for update to authenticated
  using ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()))
  with check ((select private.edits_all_customers()) or customer_id in (select private.owned_customer_ids()));
create policy "managers remove deals" on public.deals for delete to authenticated
  using ((select private.edits_all_customers()));

revoke all on public.deals from anon;
revoke insert, update on public.deals from authenticated;
grant insert (id, customer_id, title, stage_id, amount, currency, probability, expected_close, owner_id, position, notes)
  on public.deals to authenticated;
grant update (customer_id, title, stage_id, amount, currency, probability, expected_close, owner_id, position, notes)
  on public.deals to authenticated;
