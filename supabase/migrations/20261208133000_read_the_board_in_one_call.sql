-- The pipeline board's cards in one call (issue 15, performance: the board's first paint and the
-- re-read after a card move cost one request per column — 5 to 8 round trips through the gateway,
-- each with its own RLS set-up — on top of the forecast).
--
-- Owns: public.pipeline_board(pipeline, filters…, per_column) — the first `per_column` cards of
-- every stage of the pipeline, in board order (position, id), with the same filters as
-- pipeline_forecast and each card's customer (id, full_name, email, company) as the app embeds
-- it. Caller's rights: the deals and customers policies decide (an agent gets their customers'
-- deals; a customer the caller may not see comes back null). Each stage is read through
-- deals_board_idx (stage_id, position, id), stopping after per_column rows. Also owns
-- public.unread_notification_count(cap) (below): the bell's count, capped.
create function public.pipeline_board(
  pipeline uuid,
  owner uuid default null,
  customer uuid default null,
  min_amount numeric default null,
  max_amount numeric default null,
  close_from date default null,
  close_to date default null,
  per_column integer default 50
) returns table (
  id uuid, title text, customer_id uuid, stage_id uuid, amount numeric, currency text, amount_base numeric,
  probability smallint, expected_close date, owner_id uuid, "position" double precision,
  stage_entered_at timestamptz, closed_at timestamptz, close_reason text, notes text, customer jsonb
)
language sql stable set search_path = '' as $$
  select d.id, d.title, d.customer_id, d.stage_id, d.amount, d.currency, d.amount_base, d.probability,
    d.expected_close, d.owner_id, d.position, d.stage_entered_at, d.closed_at, d.close_reason, d.notes,
    case when c.id is not null
      then jsonb_build_object('id', c.id, 'full_name', c.full_name, 'email', c.email, 'company', c.company) end
  from public.deal_stages s
  cross join lateral (
    select x.* from public.deals x
    where x.stage_id = s.id
      and (pipeline_board.owner is null or x.owner_id = pipeline_board.owner)
      and (pipeline_board.customer is null or x.customer_id = pipeline_board.customer)
      and (min_amount is null or x.amount >= min_amount)
      and (max_amount is null or x.amount <= max_amount)
      and (close_from is null or x.expected_close >= close_from)
      and (close_to is null or x.expected_close <= close_to)
    order by x.position, x.id
    limit least(greatest(coalesce(per_column, 50), 1), 200)
  ) d
  left join public.customers c on c.id = d.customer_id
  where s.pipeline_id = pipeline_board.pipeline
  order by s.position, d.position, d.id
$$;
comment on function public.pipeline_board(uuid, uuid, uuid, numeric, numeric, date, date, integer) is
  'The board in one call: the first per_column (1–200, default 50) cards of each stage of the pipeline in board order, with the board''s filters and each card''s customer (null when the caller may not see them). Caller''s rights.';
revoke execute on function public.pipeline_board(uuid, uuid, uuid, numeric, numeric, date, date, integer) from public, anon;
grant execute on function public.pipeline_board(uuid, uuid, uuid, numeric, numeric, date, date, integer) to authenticated, service_role;

-- ─── The bell's count, capped ───────────────────────────────────────────────────────────────
-- The bell shows "99+" past 99, yet an exact count (HEAD, count=exact) walked every unread
-- notification of the member — tens of thousands for a busy one — on every load and every live
-- update. public.unread_notification_count(cap) stops at `cap` (default 100) entries of
-- notifications_inbox_idx. Caller's rights: the notifications policies decide (own only).
create function public.unread_notification_count(cap integer default 100) returns integer
language sql stable set search_path = '' as $$
  select count(*)::integer from (
    select 1 from public.notifications n
    where n.recipient_id = (select auth.uid()) and n.read_at is null
    limit least(greatest(coalesce(cap, 100), 1), 10000)
  ) unread
$$;
comment on function public.unread_notification_count(integer) is
  'The caller''s unread notifications, counted up to cap (1–10 000, default 100): the bell shows 99+ beyond. Caller''s rights.';
revoke execute on function public.unread_notification_count(integer) from public, anon;
grant execute on function public.unread_notification_count(integer) to authenticated, service_role;
