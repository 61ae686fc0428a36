-- Pipelines, deal moves, deal events (issue 15)
--
-- Owns: `pipelines` (several boards, each with its own stages: "Waiting list" — seed 001's
-- journey, the stages that existed so far — and "Wholesale deals"), the `pipeline_id` and
-- translated `names` of `deal_stages`, the deal columns a board needs (`stage_entered_at`,
-- `close_reason`, `amount_base`), `deal_events` (created / moved / won / lost / reopened, shown in
-- the customer timeline), `public.move_deal` (the one way the board moves a card: stable
-- fractional order, a reason to close, refusals with a message) and `public.pipeline_forecast`.
--
-- Who may do what:
--   pipelines    read: every team member; add / change / remove: admins (a pipeline still holding
--                stages cannot be removed).
--   deal_events  read: whoever may read the deal's customer's deals (admins, managers, readonly
--                all; agents their customers'); written only by the database (a trigger on deals).
--   move_deal    runs with the caller's rights: the deals policies decide (agents move their
--                customers' deals; readonly, shoppers, strangers nothing).
--   A deal never moves to a stage of another pipeline (23514), whoever asks.

-- ─── Pipelines ───────────────────────────────────────────────────────────────────────────────

create function private.names_are_valid(names jsonb) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  -- {"de": "…", "fr": "…"}: only the five languages, each a name of 1–60 characters.
  select jsonb_typeof(names) = 'object'
    and not exists (
      select 1 from jsonb_each(names) as n(lang, value)
      where n.lang not in ('en', 'de', 'fr', 'es', 'zh')
         or jsonb_typeof(n.value) <> 'string'
         or length(btrim(n.value #>> '{}')) not between 1 and 60
    )
$$;
comment on function private.names_are_valid(jsonb) is 'True when names is an object of translated names: keys among en, de, fr, es, zh, each value a string of 1–60 characters.';
grant execute on function private.names_are_valid(jsonb) to authenticated, service_role;

create table public.pipelines (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  names jsonb not null default '{}',
  position smallint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pipelines_name_length check (length(btrim(name)) between 1 and 60),
  constraint pipelines_name_key unique (name),
  constraint pipelines_position_key unique (position) deferrable initially immediate,
  constraint pipelines_names_are_valid check (private.names_are_valid(names))
);
comment on table public.pipelines is 'Deal boards (e.g. "Waiting list", "Wholesale deals"), each with its own stages, in position order.';
comment on column public.pipelines.name is 'The name in the workspace''s default wording; names holds translations.';
comment on column public.pipelines.names is 'Translated names by language: {"de": "…", "fr": "…", "es": "…", "zh": "…"}; the app falls back to name.';

insert into public.pipelines (name, names, position) values
  ('Waiting list', '{"en": "Waiting list", "de": "Warteliste", "fr": "Liste d''attente", "es": "Lista de espera", "zh": "候补名单"}', 10),
  ('Wholesale deals', '{"en": "Wholesale deals", "de": "Großhandelsgeschäfte", "fr": "Ventes en gros", "es": "Ventas al por mayor", "zh": "批发交易"}', 20);

create trigger touch_updated_at before update on public.pipelines
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.pipelines
  for each row execute function private.record_audit();

alter table public.pipelines enable row level security;
create policy "team members read pipelines" on public.pipelines for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add pipelines" on public.pipelines for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit pipelines" on public.pipelines for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove pipelines" on public.pipelines for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.pipelines from anon;
revoke insert, update on public.pipelines from authenticated;
grant insert (id, name, names, position) on public.pipelines to authenticated;
grant update (name, names, position) on public.pipelines to authenticated;

create function private.first_pipeline_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select id from public.pipelines order by position, id limit 1
$$;
comment on function private.first_pipeline_id() is 'The first pipeline: where a stage added without one goes (keeps older callers working).';
grant execute on function private.first_pipeline_id() to authenticated, service_role;

-- ─── Stages belong to a pipeline ─────────────────────────────────────────────────────────────

alter table public.deal_stages
  add column pipeline_id uuid references public.pipelines (id) on delete restrict,
  add column names jsonb not null default '{}' constraint deal_stages_names_are_valid check (private.names_are_valid(names));
update public.deal_stages set pipeline_id = (select id from public.pipelines where name = 'Waiting list');
update public.deal_stages set names = case name
    when 'Waiting list' then '{"de": "Warteliste", "fr": "Liste d''attente", "es": "Lista de espera", "zh": "候补名单"}'
    when 'Qualified' then '{"de": "Qualifiziert", "fr": "Qualifié", "es": "Calificado", "zh": "已确认"}'
    when 'Reserved' then '{"de": "Reserviert", "fr": "Réservé", "es": "Reservado", "zh": "已预订"}'
    when 'Won (owner)' then '{"de": "Gewonnen (Besitzer)", "fr": "Gagné (propriétaire)", "es": "Ganado (dueño)", "zh": "成交（主人）"}'
    when 'Lost' then '{"de": "Verloren", "fr": "Perdu", "es": "Perdido", "zh": "流失"}'
    else '{}' end::jsonb;
alter table public.deal_stages
  alter column pipeline_id set default private.first_pipeline_id(),
  alter column pipeline_id set not null,
  drop constraint deal_stages_name_key,
  drop constraint deal_stages_position_key,
  add constraint deal_stages_pipeline_name_key unique (pipeline_id, name),
  add constraint deal_stages_pipeline_position_key unique (pipeline_id, position) deferrable initially immediate;
comment on column public.deal_stages.pipeline_id is 'The board the stage is a column of. Defaults to the first pipeline.';
comment on column public.deal_stages.names is 'Translated names by language ({"de": "…", …}); the app falls back to name.';

insert into public.deal_stages (pipeline_id, name, names, position, probability, is_won, is_lost)
select p.id, s.name, s.names::jsonb, s.position, s.probability, s.is_won, s.is_lost
from public.pipelines p,
  (values
    ('Lead', '{"de": "Interessent", "fr": "Piste", "es": "Prospecto", "zh": "线索"}', 10, 10, false, false),
    ('Proposal', '{"de": "Angebot", "fr": "Proposition", "es": "Propuesta", "zh": "报价"}', 20, 40, false, false),
    ('Negotiation', '{"de": "Verhandlung", "fr": "Négociation", "es": "Negociación", "zh": "谈判"}', 30, 70, false, false),
    ('Won', '{"de": "Gewonnen", "fr": "Gagné", "es": "Ganado", "zh": "赢单"}', 40, 100, true, false),
    ('Lost', '{"de": "Verloren", "fr": "Perdu", "es": "Perdido", "zh": "输单"}', 50, 0, false, true)
  ) as s(name, names, position, probability, is_won, is_lost)
where p.name = 'Wholesale deals';

create index deal_stages_pipeline_idx on public.deal_stages (pipeline_id, position);
grant insert (pipeline_id, names) on public.deal_stages to authenticated;
grant update (names) on public.deal_stages to authenticated;

-- ─── Deals: what a board needs ───────────────────────────────────────────────────────────────

alter table public.deals
  add column stage_entered_at timestamptz not null default now(),
  add column close_reason text constraint deals_close_reason_length check (length(btrim(close_reason)) between 1 and 500),
  add column amount_base numeric(14, 2);
comment on column public.deals.stage_entered_at is 'When the deal entered its current stage (days in stage on the card). Kept by the database.';
comment on column public.deals.close_reason is 'Why the deal was won or lost (asked for when it closes on the board); cleared when it reopens.';
comment on column public.deals.amount_base is 'amount in the base currency at the latest known rate when the amount or currency last changed; null when no rate is known. Kept by the database.';

update public.deals d set amount_base = case
    when d.currency = private.base_currency() then d.amount
    else (select round(d.amount * r.rate_to_base, 2) from public.exchange_rates r
          where r.currency = d.currency order by r.rate_date desc limit 1)
  end;

create index deals_open_board_idx on public.deals (stage_id, position, id) where closed_at is null;

create function private.track_deal() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  old_pipeline uuid;
  new_pipeline uuid;
begin
  if tg_op = 'UPDATE' and new.stage_id is distinct from old.stage_id then
    select pipeline_id into old_pipeline from public.deal_stages where id = old.stage_id;
    select pipeline_id into new_pipeline from public.deal_stages where id = new.stage_id;
    if old_pipeline is distinct from new_pipeline then
      raise exception 'a deal moves only between the stages of its own pipeline'
        using errcode = '23514', hint = 'Close this deal and create one in the other pipeline instead.';
    end if;
  end if;
  if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id then
    new.stage_entered_at := now();
  end if;
  if new.closed_at is null then
    new.close_reason := null;
  end if;
  if tg_op = 'INSERT' or (new.amount, new.currency) is distinct from (old.amount, old.currency) then
    new.amount_base := case
      when new.currency = private.base_currency() then new.amount
      else (select round(new.amount * r.rate_to_base, 2) from public.exchange_rates r
            where r.currency = new.currency order by r.rate_date desc limit 1)
    end;
  end if;
  return new;
end;
$$;
comment on function private.track_deal() is 'Keeps deals within their pipeline (23514), stage_entered_at, amount_base, and clears close_reason on reopening.';
-- Named to run after prepare_deal (alphabetical), which sets closed_at.
create trigger track_deal before insert or update on public.deals
  for each row execute function private.track_deal();

revoke update (stage_entered_at, amount_base) on public.deals from authenticated;
grant insert (close_reason) on public.deals to authenticated;
grant update (close_reason) on public.deals to authenticated;

-- ─── Deal events (the customer timeline) ─────────────────────────────────────────────────────

create table public.deal_events (
  id bigint generated always as identity primary key,
  deal_id uuid not null references public.deals (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  event text not null constraint deal_events_event_is_known check (event in ('created', 'moved', 'won', 'lost', 'reopened')),
  title text not null,
  from_stage_id uuid references public.deal_stages (id) on delete set null,
  to_stage_id uuid references public.deal_stages (id) on delete set null,
  reason text,
  actor_id uuid references public.team_members (user_id) on delete set null,
  occurred_at timestamptz not null default now()
);
comment on table public.deal_events is 'What happened to a deal (created, moved, won, lost, reopened), for the customer timeline. Written by the database only.';
comment on column public.deal_events.title is 'The deal''s title at the time.';
create index deal_events_customer_idx on public.deal_events (customer_id, occurred_at desc);
create index deal_events_deal_idx on public.deal_events (deal_id, occurred_at desc);

alter table public.deal_events enable row level security;
create policy "staff read deal events of the customers they may see" on public.deal_events for select to authenticated
  using ((select private.sees_all_customers()) or customer_id in (select private.owned_customer_ids()));
revoke all on public.deal_events from anon;
revoke insert, update, delete, truncate on public.deal_events from authenticated;
-- A log of its own: no audit trigger (the deal's audit rows already record each change).

create function private.record_deal_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage public.deal_stages;
  happened text;
begin
  if tg_op = 'UPDATE' and new.stage_id is not distinct from old.stage_id then
    return null;
  end if;
  select * into stage from public.deal_stages where id = new.stage_id;
  happened := case
    when tg_op = 'INSERT' then 'created'
    when stage.is_won then 'won'
    when stage.is_lost then 'lost'
    when old.closed_at is not null then 'reopened'
    else 'moved' end;
  insert into public.deal_events (deal_id, customer_id, event, title, from_stage_id, to_stage_id, reason, actor_id)
  values (new.id, new.customer_id, happened, new.title,
    case when tg_op = 'UPDATE' then old.stage_id end, new.stage_id,
    case when happened in ('won', 'lost') then new.close_reason end,
    (select auth.uid()));
  return null;
end;
$$;
comment on function private.record_deal_event() is 'Writes a deal_events row when a deal is created or changes stage.';
create trigger record_deal_event after insert or update of stage_id on public.deals
  for each row execute function private.record_deal_event();

-- ─── Moving a card ───────────────────────────────────────────────────────────────────────────

create function private.renumber_stage(stage uuid) returns void
language sql security definer set search_path = '' as $$
  -- When fractional positions run out of room, spread a column's cards 1024 apart again
  -- (same order). Only positions change; nothing a caller could not already see moves.
  update public.deals d set position = n.rn * 1024
  from (select id, row_number() over (order by position, id) as rn from public.deals where stage_id = stage) n
  where d.id = n.id
$$;
comment on function private.renumber_stage(uuid) is 'Spreads the cards of one stage 1024 apart, keeping their order (when a drop finds no room between two positions).';
revoke execute on function private.renumber_stage(uuid) from public, anon;
grant execute on function private.renumber_stage(uuid) to authenticated, service_role;

create function public.move_deal(deal_id uuid, to_stage_id uuid, after_deal_id uuid default null, reason text default null)
returns public.deals
language plpgsql set search_path = '' as $$
declare
  moving public.deals;
  target public.deal_stages;
  lower_pos double precision;
  upper_pos double precision;
  new_pos double precision;
  attempt int := 0;
begin
  select * into moving from public.deals d where d.id = move_deal.deal_id for update;
  if not found then
    raise exception 'no such deal, or you may not move it' using errcode = 'P0002';
  end if;
  select * into target from public.deal_stages s where s.id = move_deal.to_stage_id;
  if not found then
    raise exception 'no such deal stage' using errcode = '23503';
  end if;
  if (target.is_won or target.is_lost) and target.id is distinct from moving.stage_id
     and coalesce(length(btrim(reason)), 0) = 0 then
    raise exception 'say why the deal was % before closing it', case when target.is_won then 'won' else 'lost' end
      using errcode = '23514';
  end if;

  loop
    attempt := attempt + 1;
    if after_deal_id is null then
      lower_pos := null;
    else
      select d.position into lower_pos from public.deals d
      where d.id = after_deal_id and d.stage_id = target.id and d.id <> moving.id;
      if not found then
        raise exception 'the card to drop after is not in that stage' using errcode = '22023';
      end if;
    end if;
    -- The next card below the drop point (whatever the caller may see: order is shared).
    select min(d.position) into upper_pos from public.deals d
    where d.stage_id = target.id and d.id <> moving.id
      and (lower_pos is null or d.position > lower_pos
           or (d.position = lower_pos and d.id > after_deal_id));
    new_pos := case
      when lower_pos is null and upper_pos is null then 1024
      when lower_pos is null then upper_pos - 1024
      when upper_pos is null then lower_pos + 1024
      else (lower_pos + upper_pos) / 2 end;
    exit when lower_pos is null or upper_pos is null
      or (new_pos > lower_pos and new_pos < upper_pos and upper_pos - lower_pos > 1e-6);
    exit when attempt > 1;
    perform private.renumber_stage(target.id);
  end loop;

  update public.deals d
  set stage_id = target.id,
      position = new_pos,
      close_reason = case when target.is_won or target.is_lost then coalesce(nullif(btrim(reason), ''), d.close_reason) end
  where d.id = moving.id
  returning * into moving;
  if not found then
    raise exception 'you may not move this deal' using errcode = '42501';
  end if;
  return moving;
end;
$$;
comment on function public.move_deal(uuid, uuid, uuid, text) is
  'Moves a deal to a stage (of its pipeline), right after after_deal_id (null: top of the column), with a reason when it closes as won or lost. Runs with the caller''s rights; refusals: P0002 unknown deal, 23503 unknown stage, 23514 other pipeline or no reason to close, 22023 bad drop point.';
revoke execute on function public.move_deal(uuid, uuid, uuid, text) from public, anon;
grant execute on function public.move_deal(uuid, uuid, uuid, text) to authenticated, service_role;

-- ─── Forecast ────────────────────────────────────────────────────────────────────────────────

create function public.pipeline_forecast(
  pipeline uuid,
  owner uuid default null,
  customer uuid default null,
  min_amount numeric default null,
  max_amount numeric default null,
  close_from date default null,
  close_to date default null
) returns table (stage_id uuid, close_month date, deals bigint, amount_base numeric, weighted_base numeric, unpriced bigint)
language sql stable set search_path = '' as $$
  -- Per stage and month of expected close (null: no date): how many deals, their amount and
  -- amount × probability in the base currency. Runs with the caller's rights (an agent's
  -- forecast covers their customers' deals). Deals without a known rate count in `unpriced`.
  select d.stage_id,
    date_trunc('month', d.expected_close)::date,
    count(*),
    coalesce(sum(d.amount_base), 0),
    coalesce(round(sum(d.amount_base * d.probability / 100.0), 2), 0),
    count(*) filter (where d.amount_base is null)
  from public.deals d
  join public.deal_stages s on s.id = d.stage_id
  where s.pipeline_id = pipeline_forecast.pipeline
    and (pipeline_forecast.owner is null or d.owner_id = pipeline_forecast.owner)
    and (pipeline_forecast.customer is null or d.customer_id = pipeline_forecast.customer)
    and (min_amount is null or d.amount >= min_amount)
    and (max_amount is null or d.amount <= max_amount)
    and (close_from is null or d.expected_close >= close_from)
    and (close_to is null or d.expected_close <= close_to)
  group by 1, 2
$$;
comment on function public.pipeline_forecast(uuid, uuid, uuid, numeric, numeric, date, date) is
  'Board totals: per stage and month of expected close, deal count, amount and weighted amount (× probability) in the base currency, with the board''s filters. Caller''s rights.';
revoke execute on function public.pipeline_forecast(uuid, uuid, uuid, numeric, numeric, date, date) from public, anon;
grant execute on function public.pipeline_forecast(uuid, uuid, uuid, numeric, numeric, date, date) to authenticated, service_role;

-- ─── Deal events on the timeline ─────────────────────────────────────────────────────────────

-- Same view as in 20261121071100_create_email_events, plus deal events.
create or replace view public.customer_timeline with (security_invoker = on) as
select a.customer_id, a.created_at as occurred_at, 'activity'::text as source, a.kind::text as kind, a.id::text as ref_id,
  a.subject as title, left(a.body, 280) as summary, a.author_id as actor_id,
  jsonb_build_object('direction', a.direction, 'due_at', a.due_at, 'completed_at', a.completed_at, 'assignee_id', a.assignee_id) as data
from public.activities a
union all
select o.customer_id, o.placed_at, 'order', 'order_placed', o.id::text,
  o.order_number, null, null,
  jsonb_build_object('total', o.total, 'currency', o.currency, 'total_base', o.total_base, 'financial_status', o.financial_status,
    'fulfillment_status', o.fulfillment_status, 'cancelled_at', o.cancelled_at)
from public.orders o
where o.customer_id is not null
union all
select m.customer_id, m.created_at, 'message', m.direction::text, m.id::text,
  m.subject, left(m.body_text, 280), m.sent_by,
  jsonb_build_object('thread_id', m.thread_id, 'status', m.status)
from public.messages m
union all
select al.customer_id, al.created_at, 'alert', al.kind::text, al.id::text,
  null, al.reason, null,
  jsonb_build_object('state', al.state, 'variant_id', al.variant_id, 'old_price', al.old_price, 'new_price', al.new_price,
    'currency', al.currency, 'sent_at', al.sent_at, 'opened_at', al.opened_at, 'clicked_at', al.clicked_at,
    'not_before', case when al.state = 'deferred' then al.not_before end)
from public.alert_log al
union all
select ce.customer_id, ce.occurred_at, 'consent', ce.status::text, ce.id::text,
  ce.purpose::text || ' · ' || ce.channel::text, ce.note, ce.actor_id,
  jsonb_build_object('channel', ce.channel, 'purpose', ce.purpose, 'source', ce.source)
from public.consent_events ce
union all
select de.customer_id, de.occurred_at, 'deal', de.event, de.id::text,
  de.title, de.reason, de.actor_id,
  jsonb_build_object('deal_id', de.deal_id, 'from_stage_id', de.from_stage_id, 'to_stage_id', de.to_stage_id)
from public.deal_events de;
comment on view public.customer_timeline is 'Everything that happened to a customer, newest first when ordered by occurred_at desc: activities, orders, messages, alerts, consent changes, deal events. Keyset: (occurred_at, source, ref_id). Each source keeps its own access rules.';
