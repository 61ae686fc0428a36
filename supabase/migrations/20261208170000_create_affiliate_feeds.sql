-- Affiliate catalogue feeds (issue 12; seed 000: affiliate items are favourited and alerted like
-- shop items).
--
-- Owns:
--   - public.affiliate_feeds: the product feeds admins register (network name, CSV or JSON URL,
--     optional field mapping, polling interval). Admins only, every verb.
--   - public.affiliate_feed_runs: one row per import of a feed (status, counts, error), and
--     public.affiliate_feed_errors: the rows a run refused, each with its line and reason. Admins
--     read them; only the functions below write them.
--   - private.affiliate_feed_rows: the parsed rows of a run waiting to be applied (staging).
--   - The import, in bounded chunks the database schedules: pg_cron `affiliate-feeds` (every
--     45 seconds) calls the affiliate-feeds function, which claims a run
--     (public.affiliate_feed_claim), fetches and parses the feed into staging
--     (public.affiliate_feed_stage, public.affiliate_feed_staged) and applies it chunk by chunk
--     (public.affiliate_feed_apply). Each row is applied in its own subtransaction, exactly once:
--     a bad row is recorded with its reason and written nowhere; a run whose function died is
--     taken up again once its lease has passed (fetching starts over, applying goes on from the
--     first unapplied row).
--   - Products: source `affiliate`, affiliate_network = the feed's network, affiliate_item_id = the
--     row's id, one variant carrying price, currency and stock (in stock = 1, out of stock = 0, a
--     number = that number). Re-imports update only what changed, through product_variants, so the
--     price and stock histories (source `affiliate`) and with them the alert engine's price drops
--     and restocks work as for Shopify. Products of the network missing from a complete run are
--     marked unavailable (stock 0); a run with no valid row marks nothing.
--   - public.run_affiliate_feed_now(feed): admins make a feed due at once (and poke the schedule).

-- ─── Feeds ───────────────────────────────────────────────────────────────────────────────────

create table public.affiliate_feeds (
  id uuid primary key default gen_random_uuid(),
  network text not null constraint affiliate_feeds_network_length check (length(btrim(network)) between 1 and 100 and network = btrim(network)),
  feed_url text not null constraint affiliate_feeds_feed_url_format check (feed_url ~ '^https?://[^[:space:]]+$' and length(feed_url) <= 2000),
  format text not null constraint affiliate_feeds_format_check check (format in ('csv', 'json')),
  field_map jsonb not null default '{}' constraint affiliate_feeds_field_map_shape check (
    jsonb_typeof(field_map) = 'object'
    and not jsonb_path_exists(field_map, '$.keyvalue() ? (@.value.type() != "string")')
    and field_map - array['id', 'title', 'brand', 'price', 'currency', 'availability', 'image', 'url'] = '{}'::jsonb
  ),
  interval_minutes integer not null default 360 constraint affiliate_feeds_interval_range check (interval_minutes between 15 and 10080),
  active boolean not null default true,
  next_run_at timestamptz not null default now(),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint affiliate_feeds_network_key unique (network)
);
comment on table public.affiliate_feeds is 'Affiliate product feeds (CSV or JSON) an admin registered; the affiliate-feeds function imports each every interval_minutes into products (source affiliate). Admins only.';
comment on column public.affiliate_feeds.network is 'The brand or network name; the products'' affiliate_network. Fixed once created (the imported products carry it).';
comment on column public.affiliate_feeds.field_map is 'Cairn field (id, title, brand, price, currency, availability, image, url) → the feed''s column or key, where it differs from the usual names.';
comment on column public.affiliate_feeds.next_run_at is 'When the schedule imports the feed next (now after run_affiliate_feed_now).';

create trigger touch_updated_at before update on public.affiliate_feeds
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.affiliate_feeds
  for each row execute function private.record_audit();

alter table public.affiliate_feeds enable row level security;
create policy "admins read affiliate feeds" on public.affiliate_feeds for select to authenticated
  using ((select private.is_admin()));
create policy "admins add affiliate feeds" on public.affiliate_feeds for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit affiliate feeds" on public.affiliate_feeds for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove affiliate feeds" on public.affiliate_feeds for delete to authenticated
  using ((select private.is_admin()));
revoke all on public.affiliate_feeds from anon;
revoke insert, update, truncate on public.affiliate_feeds from authenticated;
grant insert (network, feed_url, format, field_map, interval_minutes, active) on public.affiliate_feeds to authenticated;
grant update (feed_url, format, field_map, interval_minutes, active) on public.affiliate_feeds to authenticated;

-- ─── Runs and refused rows ───────────────────────────────────────────────────────────────────

create table public.affiliate_feed_runs (
  id uuid primary key default gen_random_uuid(),
  feed_id uuid not null references public.affiliate_feeds (id) on delete cascade,
  status text not null default 'fetching' constraint affiliate_feed_runs_status_check check (status in ('fetching', 'applying', 'succeeded', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  lease_until timestamptz,
  rows_total integer not null default 0,
  rows_created integer not null default 0,
  rows_updated integer not null default 0,
  rows_unchanged integer not null default 0,
  rows_rejected integer not null default 0,
  products_unavailable integer not null default 0,
  error text constraint affiliate_feed_runs_error_length check (length(error) <= 2000)
);
comment on table public.affiliate_feed_runs is 'One import of an affiliate feed: fetching → applying → succeeded, or failed with error. Counts of created, updated, unchanged and rejected rows and of products marked unavailable. Admins read; written by the affiliate_feed_* functions.';
comment on column public.affiliate_feed_runs.lease_until is 'The function working on the run holds it until then; after, the next call takes it up again.';
create unique index affiliate_feed_runs_one_open_idx on public.affiliate_feed_runs (feed_id) where status in ('fetching', 'applying');
create index affiliate_feed_runs_feed_idx on public.affiliate_feed_runs (feed_id, started_at desc);

create table public.affiliate_feed_errors (
  id bigint generated always as identity primary key,
  run_id uuid not null references public.affiliate_feed_runs (id) on delete cascade,
  line integer not null,
  item_id text,
  reason text not null,
  created_at timestamptz not null default now()
);
comment on table public.affiliate_feed_errors is 'Rows of a feed run that were refused (line in the feed, the row''s id if any, why). Nothing of such a row was written.';
create index affiliate_feed_errors_run_idx on public.affiliate_feed_errors (run_id, line);

alter table public.affiliate_feed_runs enable row level security;
alter table public.affiliate_feed_errors enable row level security;
create policy "admins read affiliate feed runs" on public.affiliate_feed_runs for select to authenticated
  using ((select private.is_admin()));
create policy "admins read affiliate feed errors" on public.affiliate_feed_errors for select to authenticated
  using ((select private.is_admin()));
revoke all on public.affiliate_feed_runs, public.affiliate_feed_errors from anon;
revoke insert, update, delete, truncate on public.affiliate_feed_runs, public.affiliate_feed_errors from authenticated;

create table private.affiliate_feed_rows (
  run_id uuid not null references public.affiliate_feed_runs (id) on delete cascade,
  line integer not null,
  fields jsonb not null,
  item_id text,
  applied boolean not null default false,
  valid boolean,
  primary key (run_id, line)
);
comment on table private.affiliate_feed_rows is 'Parsed rows of a feed run waiting to be applied (fields: id, title, brand, price, currency, availability, image, url as text). valid: applied to the catalogue (true) or refused (false). Deleted when the run ends.';
create index affiliate_feed_rows_pending_idx on private.affiliate_feed_rows (run_id, line) where not applied;
create index affiliate_feed_rows_item_idx on private.affiliate_feed_rows (run_id, item_id) where valid;
revoke all on private.affiliate_feed_rows from public, anon, authenticated, service_role;

-- ─── The import ──────────────────────────────────────────────────────────────────────────────

create function public.affiliate_feed_claim(lease_seconds integer default 120, only_feed uuid default null)
returns table (run_id uuid, feed_id uuid, network text, feed_url text, format text, field_map jsonb, phase text)
language plpgsql volatile security definer set search_path = '' as $$
declare
  run public.affiliate_feed_runs;
  feed public.affiliate_feeds;
begin
  -- A run whose function stopped: fetching starts over, applying goes on. A paused feed's run
  -- waits (unless the feed is named).
  select r.* into run from public.affiliate_feed_runs r
  join public.affiliate_feeds f on f.id = r.feed_id
  where r.status in ('fetching', 'applying') and (r.lease_until is null or r.lease_until < now())
    and (f.id = only_feed or (only_feed is null and f.active))
  order by r.started_at limit 1 for update of r skip locked;
  if found then
    if run.status = 'fetching' then
      delete from private.affiliate_feed_rows s where s.run_id = run.id;
      update public.affiliate_feed_runs r set rows_total = 0 where r.id = run.id;
    end if;
  else
    select f.* into feed from public.affiliate_feeds f
    where f.next_run_at <= now() and (f.id = only_feed or (only_feed is null and f.active))
      and not exists (select 1 from public.affiliate_feed_runs r where r.feed_id = f.id and r.status in ('fetching', 'applying'))
    order by f.next_run_at limit 1 for update skip locked;
    if not found then return; end if;
    insert into public.affiliate_feed_runs (feed_id) values (feed.id) returning * into run;
    update public.affiliate_feeds f set next_run_at = now() + make_interval(mins => f.interval_minutes) where f.id = feed.id;
  end if;
  update public.affiliate_feed_runs r set lease_until = now() + make_interval(secs => greatest(lease_seconds, 10))
  where r.id = run.id;
  return query
  select run.id, f.id, f.network, f.feed_url, f.format, f.field_map, run.status
  from public.affiliate_feeds f where f.id = run.feed_id;
end;
$$;
comment on function public.affiliate_feed_claim(integer, uuid) is 'Service role (affiliate-feeds function): the next piece of work, leased for lease_seconds: a run whose lease passed (phase fetching: staged rows dropped, fetch again; applying: go on), else a new run of the most overdue active feed. only_feed: that feed''s work only, even paused. No row: nothing to do.';

create function public.affiliate_feed_release(run_id uuid) returns void
language sql volatile security definer set search_path = '' as $$
  update public.affiliate_feed_runs r set lease_until = null where r.id = run_id and r.status in ('fetching', 'applying');
$$;
comment on function public.affiliate_feed_release(uuid) is 'Service role: the function stops working on the run before it ends (its time is up); the next call goes on from there.';

create function public.affiliate_feed_stage(run_id uuid, rows jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  staged integer;
begin
  if jsonb_typeof(rows) is distinct from 'array' or jsonb_array_length(rows) > 1000 then
    raise exception 'rows must be an array of at most 1000 {line, fields}' using errcode = '22023';
  end if;
  perform 1 from public.affiliate_feed_runs r where r.id = affiliate_feed_stage.run_id and r.status = 'fetching' for update;
  if not found then
    raise exception 'run % is not fetching', run_id using errcode = '55000';
  end if;
  insert into private.affiliate_feed_rows (run_id, line, fields, item_id)
  select affiliate_feed_stage.run_id, (x ->> 'line')::integer, x -> 'fields', nullif(left(btrim(x -> 'fields' ->> 'id'), 200), '')
  from jsonb_array_elements(rows) x
  on conflict do nothing;
  get diagnostics staged = row_count;
  update public.affiliate_feed_runs r set rows_total = r.rows_total + staged where r.id = affiliate_feed_stage.run_id;
  return staged;
end;
$$;
comment on function public.affiliate_feed_stage(uuid, jsonb) is 'Service role: stores up to 1000 parsed rows ([{line, fields: {id, title, …}}]) of a fetching run. A line staged twice is kept once.';

create function public.affiliate_feed_staged(run_id uuid) returns void
language sql volatile security definer set search_path = '' as $$
  update public.affiliate_feed_runs r set status = 'applying' where r.id = run_id and r.status = 'fetching';
$$;
comment on function public.affiliate_feed_staged(uuid) is 'Service role: every row of the run is staged; applying may begin.';

create function public.affiliate_feed_fail(run_id uuid, message text) returns void
language sql volatile security definer set search_path = '' as $$
  update public.affiliate_feed_runs r
  set status = 'failed', finished_at = now(), lease_until = null, error = left(coalesce(message, 'failed'), 2000)
  where r.id = run_id and r.status in ('fetching', 'applying');
  delete from private.affiliate_feed_rows s where s.run_id = affiliate_feed_fail.run_id;
$$;
comment on function public.affiliate_feed_fail(uuid, text) is 'Service role: the feed could not be read (HTTP error, not CSV/JSON…): the run fails with message; nothing is marked unavailable.';

-- Why a row is refused, or null when it can be applied. Fields are text as the feed had them.
create function private.affiliate_row_problem(fields jsonb) returns text
language plpgsql immutable set search_path = '' as $$
declare
  price_text text := btrim(coalesce(fields ->> 'price', ''));
  availability text := lower(btrim(coalesce(fields ->> 'availability', '')));
begin
  if jsonb_typeof(fields) is distinct from 'object' then return 'the row is not a record'; end if;
  if coalesce(btrim(fields ->> 'id'), '') = '' then return 'id is missing'; end if;
  if length(btrim(fields ->> 'id')) > 200 then return 'id is longer than 200 characters'; end if;
  if coalesce(btrim(fields ->> 'title'), '') = '' then return 'title is missing'; end if;
  if length(btrim(fields ->> 'title')) > 500 then return 'title is longer than 500 characters'; end if;
  if length(btrim(coalesce(fields ->> 'brand', ''))) > 200 then return 'brand is longer than 200 characters'; end if;
  if price_text = '' then return 'price is missing'; end if;
  if price_text !~ '^[0-9]{1,12}([.][0-9]+)?$' then return format('price %s is not a number', left(price_text, 40)); end if;
  if price_text::numeric <= 0 or price_text::numeric > 1000000 then
    return format('price %s is out of range (more than 0, at most 1 000 000)', left(price_text, 40));
  end if;
  if coalesce(btrim(fields ->> 'currency'), '') = '' then return 'currency is missing'; end if;
  if not exists (select 1 from public.currencies c where c.code = upper(btrim(fields ->> 'currency'))) then
    return format('currency %s is unknown', left(btrim(fields ->> 'currency'), 20));
  end if;
  if private.affiliate_stock(availability) is null then
    return format('availability %s is not understood (in stock, out of stock or a number)', left(availability, 40));
  end if;
  if coalesce(btrim(fields ->> 'image'), '') <> '' and (btrim(fields ->> 'image') !~ '^https?://[^[:space:]]+$' or length(fields ->> 'image') > 2000) then
    return 'image is not an http(s) address';
  end if;
  if coalesce(btrim(fields ->> 'url'), '') = '' then return 'url (the product page) is missing'; end if;
  if btrim(fields ->> 'url') !~ '^https?://[^[:space:]]+$' or length(fields ->> 'url') > 2000 then
    return 'url is not an http(s) address';
  end if;
  return null;
end;
$$;
comment on function private.affiliate_row_problem(jsonb) is 'Why a feed row cannot be applied (id, title, price in (0, 1 000 000], a known currency, availability, http(s) image and url), or null.';

create function private.affiliate_stock(availability text) returns integer
language sql immutable set search_path = '' as $$
  select case
    when availability ~ '^[0-9]{1,9}$' then availability::integer
    when availability in ('in stock', 'in_stock', 'instock', 'available', 'yes', 'true', 'preorder', 'pre-order', 'limited availability')
      then 1
    when availability in ('out of stock', 'out_of_stock', 'outofstock', 'sold out', 'sold_out', 'unavailable', 'discontinued', 'no', 'false')
      then 0
  end
$$;
comment on function private.affiliate_stock(text) is 'Units for a feed''s availability (lower case): a number as is, in stock (and the usual spellings) 1, out of stock 0, anything else null.';

create function public.affiliate_feed_apply(run_id uuid, chunk_size integer default 500) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  run public.affiliate_feed_runs;
  feed public.affiliate_feeds;
  pending record;
  problem text;
  the_product uuid;
  the_variant uuid;
  outcome text;
  applied integer := 0;
  unavailable integer;
  f jsonb;
begin
  select r.* into run from public.affiliate_feed_runs r where r.id = affiliate_feed_apply.run_id for update;
  if not found or run.status <> 'applying' then
    raise exception 'run % is not applying', run_id using errcode = '55000';
  end if;
  select x.* into feed from public.affiliate_feeds x where x.id = run.feed_id;
  perform set_config('cairn.change_source', 'affiliate', true);

  for pending in
    select s.line, s.fields, s.item_id from private.affiliate_feed_rows s
    where s.run_id = run.id and not s.applied order by s.line limit least(greatest(chunk_size, 1), 2000)
  loop
    f := pending.fields;
    problem := private.affiliate_row_problem(f);
    if problem is null and exists (
      select 1 from private.affiliate_feed_rows d where d.run_id = run.id and d.valid and d.item_id = pending.item_id
    ) then
      problem := 'id ' || pending.item_id || ' appears earlier in the feed';
    end if;
    if problem is null then
      begin
        insert into public.products as p (title, vendor, status, image_url, source, affiliate_network, affiliate_item_id, affiliate_url)
        values (btrim(f ->> 'title'), nullif(btrim(f ->> 'brand'), ''), 'active', nullif(btrim(f ->> 'image'), ''), 'affiliate',
                feed.network, pending.item_id, btrim(f ->> 'url'))
        on conflict (affiliate_network, affiliate_item_id) do update
          set title = excluded.title, vendor = excluded.vendor, image_url = excluded.image_url, affiliate_url = excluded.affiliate_url
          where (p.title, p.vendor, p.image_url, p.affiliate_url)
            is distinct from (excluded.title, excluded.vendor, excluded.image_url, excluded.affiliate_url)
        returning p.id, case when p.xmax = 0 then 'created' else 'updated' end
        into the_product, outcome;
        if the_product is null then
          select p.id into the_product from public.products p
          where p.affiliate_network = feed.network and p.affiliate_item_id = pending.item_id;
          outcome := 'unchanged';
        end if;
        select v.id into the_variant from public.product_variants v where v.product_id = the_product
        order by v.position, v.created_at limit 1;
        if the_variant is null then
          insert into public.product_variants (product_id, sku, price, currency, inventory_quantity, image_url)
          values (the_product, left(pending.item_id, 100), round((btrim(f ->> 'price'))::numeric, 2), upper(btrim(f ->> 'currency')),
                  private.affiliate_stock(lower(btrim(coalesce(f ->> 'availability', '')))), nullif(btrim(f ->> 'image'), ''));
        else
          update public.product_variants v
          set price = round((btrim(f ->> 'price'))::numeric, 2), currency = upper(btrim(f ->> 'currency')),
              inventory_quantity = private.affiliate_stock(lower(btrim(coalesce(f ->> 'availability', '')))),
              image_url = nullif(btrim(f ->> 'image'), '')
          where v.id = the_variant
            and (v.price, v.currency, v.inventory_quantity, v.image_url) is distinct from (
              round((btrim(f ->> 'price'))::numeric, 2), upper(btrim(f ->> 'currency')),
              private.affiliate_stock(lower(btrim(coalesce(f ->> 'availability', '')))), nullif(btrim(f ->> 'image'), ''));
          if found and outcome = 'unchanged' then outcome := 'updated'; end if;
        end if;
      exception when others then
        -- Nothing of the row stays (the block's subtransaction is rolled back).
        problem := 'could not be written: ' || sqlerrm;
      end;
    end if;
    if problem is null then
      update private.affiliate_feed_rows s set applied = true, valid = true where s.run_id = run.id and s.line = pending.line;
      update public.affiliate_feed_runs r
      set rows_created = r.rows_created + (outcome = 'created')::integer,
          rows_updated = r.rows_updated + (outcome = 'updated')::integer,
          rows_unchanged = r.rows_unchanged + (outcome = 'unchanged')::integer
      where r.id = run.id;
    else
      update private.affiliate_feed_rows s set applied = true, valid = false where s.run_id = run.id and s.line = pending.line;
      insert into public.affiliate_feed_errors (run_id, line, item_id, reason) values (run.id, pending.line, pending.item_id, left(problem, 1000));
      update public.affiliate_feed_runs r set rows_rejected = r.rows_rejected + 1 where r.id = run.id;
    end if;
    the_product := null;
    the_variant := null;
    applied := applied + 1;
  end loop;

  if exists (select 1 from private.affiliate_feed_rows s where s.run_id = run.id and not s.applied) then
    return jsonb_build_object('done', false, 'applied', applied);
  end if;

  -- Every row is applied: what the network had and the feed no longer lists is unavailable.
  if not exists (select 1 from private.affiliate_feed_rows s where s.run_id = run.id and s.valid) then
    update public.affiliate_feed_runs r
    set status = 'failed', finished_at = now(), lease_until = null,
        error = 'The feed had no valid row; no product was marked unavailable'
    where r.id = run.id;
  else
    update public.product_variants v set inventory_quantity = 0
    from public.products p
    where v.product_id = p.id and p.source = 'affiliate' and p.affiliate_network = feed.network
      and coalesce(v.inventory_quantity, 1) > 0
      and not exists (
        select 1 from private.affiliate_feed_rows s where s.run_id = run.id and s.valid and s.item_id = p.affiliate_item_id
      );
    get diagnostics unavailable = row_count;
    update public.affiliate_feed_runs r
    set status = 'succeeded', finished_at = now(), lease_until = null, products_unavailable = unavailable
    where r.id = run.id;
  end if;
  delete from private.affiliate_feed_rows s where s.run_id = run.id;
  return jsonb_build_object('done', true, 'applied', applied);
end;
$$;
comment on function public.affiliate_feed_apply(uuid, integer) is 'Service role: applies the next chunk_size staged rows of an applying run, each exactly once and all or nothing (refused rows go to affiliate_feed_errors); after the last row marks the network''s products missing from the feed unavailable and ends the run. Answers {done, applied}.';

revoke execute on function public.affiliate_feed_claim(integer, uuid), public.affiliate_feed_release(uuid), public.affiliate_feed_stage(uuid, jsonb),
  public.affiliate_feed_staged(uuid), public.affiliate_feed_fail(uuid, text), public.affiliate_feed_apply(uuid, integer)
  from public, anon, authenticated;
grant execute on function public.affiliate_feed_claim(integer, uuid), public.affiliate_feed_release(uuid), public.affiliate_feed_stage(uuid, jsonb),
  public.affiliate_feed_staged(uuid), public.affiliate_feed_fail(uuid, text), public.affiliate_feed_apply(uuid, integer)
  to service_role;
revoke execute on function private.affiliate_row_problem(jsonb), private.affiliate_stock(text) from public, anon, authenticated;

create function public.run_affiliate_feed_now(feed_id uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not (select private.is_admin()) then
    raise exception 'only admins may run affiliate feeds' using errcode = '42501';
  end if;
  update public.affiliate_feeds f set next_run_at = now() where f.id = feed_id;
  if not found then
    raise exception 'no affiliate feed %', feed_id using errcode = 'P0002';
  end if;
  -- Start at once rather than at the next minute; without the Vault secrets the schedule does it.
  begin
    perform private.call_scheduled_function('affiliate-feeds', 'affiliate-feeds', '{"source":"run-now"}');
  exception when others then
    null;
  end;
end;
$$;
comment on function public.run_affiliate_feed_now(uuid) is 'Admins: imports the feed now (next_run_at = now, and the affiliate-feeds function is called at once when the schedule''s secrets exist).';
revoke execute on function public.run_affiliate_feed_now(uuid) from public, anon;
grant execute on function public.run_affiliate_feed_now(uuid) to authenticated;

create function private.affiliate_feeds_have_work() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.affiliate_feeds f where f.active and f.next_run_at <= now())
      or exists (select 1 from public.affiliate_feed_runs r join public.affiliate_feeds f on f.id = r.feed_id
                 where f.active and r.status in ('fetching', 'applying') and (r.lease_until is null or r.lease_until < now()))
$$;
comment on function private.affiliate_feeds_have_work() is 'The schedule calls the affiliate-feeds function only when a feed is due or a run waits to be taken up again.';
revoke execute on function private.affiliate_feeds_have_work() from public, anon, authenticated;

-- Every 45 seconds, and a call only when there is work (no idle HTTP call). An interval job, so
-- it does not start with the dozen per-minute jobs at the minute's first second (Supabase advises
-- at most 8 jobs at once; the local stack runs no more than 8 and skips the rest).
select cron.unschedule(j.jobid) from cron.job j where j.jobname = 'affiliate-feeds';
select cron.schedule(
  'affiliate-feeds',
  '45 seconds',
  $$select private.call_scheduled_function('affiliate-feeds', 'affiliate-feeds', '{"source":"cron"}') where private.affiliate_feeds_have_work()$$
);
