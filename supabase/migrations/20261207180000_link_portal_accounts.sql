-- The shopper portal's database side (issue 12): a self-signed-up account becomes a customer's
-- portal account, the heart button, My favourites, the catalogue browse, the style interests an
-- admin offers, and similar in-stock products for an out-of-stock one.
--
-- Owns: public.style_interests; public.link_portal_account(), public.set_favorite(),
-- public.portal_favorites(), public.portal_catalogue(), public.known_brands(),
-- public.similar_products(), private.portal_signup_choices().
--
-- Why: public sign-up is on for the portal (supabase/config.toml). A new account is nobody's
-- until its owner has verified the address: link_portal_account() (called by the portal once the
-- shopper has a session) finds the customer with that verified email — or creates one — and
-- links it, in the database, from the account's own verified email; the client never sends an
-- id. It is refused to accounts with a team row, so staff never become shoppers, and the team
-- rules (20261207100000) already refuse a team row to an account that was not invited or that is
-- linked to a customer, so a shopper never becomes staff. The link and everything it writes are
-- audited (record_audit on customers and consent_events) with the shopper as actor and
-- `portal_link` as the role: the database, acting for the shopper (see link_portal_account).

-- ─── Style interests an admin offers ─────────────────────────────────────────────────────────

create table public.style_interests (
  key text primary key constraint style_interests_key_format check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  labels jsonb not null default '{}' constraint style_interests_labels_object check (jsonb_typeof(labels) = 'object'),
  position smallint not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.style_interests is 'The style interests a shopper may pick at sign-up (screen 2) and in the portal. labels: language code → label (en is the fallback); customers.style_interests holds keys. Admins manage them.';

insert into public.style_interests (key, labels, position) values
  ('chic', '{"en":"Chic","de":"Schick","fr":"Chic","es":"Chic","zh":"优雅"}', 1),
  ('casual', '{"en":"Casual","de":"Lässig","fr":"Décontracté","es":"Informal","zh":"休闲"}', 2),
  ('luxury', '{"en":"Luxury","de":"Luxus","fr":"Luxe","es":"Lujo","zh":"奢华"}', 3),
  ('sustainable', '{"en":"Sustainable","de":"Nachhaltig","fr":"Durable","es":"Sostenible","zh":"可持续"}', 4),
  ('streetwear', '{"en":"Streetwear","de":"Streetwear","fr":"Streetwear","es":"Urbano","zh":"街头"}', 5),
  ('minimalist', '{"en":"Minimalist","de":"Minimalistisch","fr":"Minimaliste","es":"Minimalista","zh":"极简"}', 6);

create trigger touch_updated_at before update on public.style_interests
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.style_interests
  for each row execute function private.record_audit('key');

alter table public.style_interests enable row level security;
create policy "anyone reads the offered style interests" on public.style_interests for select to anon, authenticated
  using (active or (select private.is_team_member()));
create policy "admins add style interests" on public.style_interests for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins edit style interests" on public.style_interests for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "admins remove style interests" on public.style_interests for delete to authenticated
  using ((select private.is_admin()));
revoke insert, update, delete, truncate on public.style_interests from anon;

-- ─── What the shopper chose while signing up ─────────────────────────────────────────────────

create function private.portal_signup_choices(metadata jsonb)
returns table (consents jsonb, language text, style_interests text[], favourite_brands text[])
language sql stable security definer set search_path = '' as $$
  -- user_metadata.portal as the portal wrote it at sign-up; anything malformed is dropped, never
  -- an error (the shopper can set the rest in the portal).
  with p as (
    select case when jsonb_typeof(metadata -> 'portal') = 'object' then metadata -> 'portal' else '{}'::jsonb end as v
  )
  select
    -- consents: {"marketing": "<wording shown>", "alerts": "<wording shown>"}, a key per ticked box.
    coalesce((
      select jsonb_object_agg(c.key, left(btrim(c.value), 500))
      from jsonb_each_text(case when jsonb_typeof(p.v -> 'consents') = 'object' then p.v -> 'consents' else '{}' end) c
      where c.key in ('marketing', 'newsletter', 'alerts') and btrim(c.value) <> ''
    ), '{}'),
    (select l.code from public.languages l where l.code = p.v ->> 'language'),
    coalesce((
      select array_agg(s.key order by s.position, s.key) from public.style_interests s
      where s.active and jsonb_typeof(p.v -> 'style_interests') = 'array'
        and (p.v -> 'style_interests') ? s.key
    ), '{}'),
    coalesce((
      select array_agg(distinct b.brand) from (
        select left(btrim(e), 100) as brand
        from jsonb_array_elements_text(case when jsonb_typeof(p.v -> 'favourite_brands') = 'array'
                                            then p.v -> 'favourite_brands' else '[]' end) as e
        where btrim(e) <> '' and e !~ '[[:cntrl:]]'
        limit 50
      ) b
    ), '{}')
  from p
$$;
comment on function private.portal_signup_choices(jsonb) is 'The sign-up choices in an account''s user_metadata.portal, cleaned: the boxes ticked (consents: purpose → the wording shown; marketing, newsletter, alerts), language (a known code), style interests (offered keys only), favourite brands (≤ 50, ≤ 100 characters, no control characters).';
revoke execute on function private.portal_signup_choices(jsonb) from public, anon, authenticated;

-- ─── Linking the account ─────────────────────────────────────────────────────────────────────

create function public.link_portal_account() returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  uid uuid := (select auth.uid());
  account record;
  choices record;
  linked uuid;
  found_customer record;
  claims text := current_setting('request.jwt.claims', true);
  headers jsonb := coalesce(nullif(current_setting('request.headers', true), '')::jsonb, '{}');
begin
  if uid is null or (select auth.role()) is distinct from 'authenticated' then
    raise exception 'sign in first' using errcode = '42501';
  end if;
  if exists (select from public.team_members t where t.user_id = uid) then
    raise exception 'a team member''s account cannot be a portal account' using errcode = '42501',
      detail = 'team_member', hint = 'Use the Cairn app, or sign up for the portal with another address.';
  end if;

  -- One link at a time per account: two tabs signing in at once must not both create a customer.
  perform pg_advisory_xact_lock(hashtext('cairn.link_portal_account'), hashtext(uid::text));

  -- Already linked: nothing to do (the portal calls this on every sign-in).
  select c.id into linked from public.customers c where c.auth_user_id = uid;
  if found then
    return linked;
  end if;

  select u.email, u.email_confirmed_at, u.created_at, u.raw_user_meta_data into account
  from auth.users u where u.id = uid;
  if account.email is null or account.email_confirmed_at is null then
    raise exception 'confirm your email address first' using errcode = '42501', detail = 'email_not_confirmed';
  end if;
  select * into choices from private.portal_signup_choices(account.raw_user_meta_data);

  -- From here the database writes for the shopper: the guards on customers let only managers and
  -- the system link an account, and this is the system doing it for a verified address. The
  -- claims keep the shopper as actor (audit_log.actor_id) with the role `portal_link`, and are
  -- put back before returning.
  perform set_config('request.jwt.claims',
    (coalesce(nullif(claims, ''), '{}')::jsonb || jsonb_build_object('role', 'portal_link'))::text, true);

  select c.id, c.auth_user_id into found_customer
  from public.customers c where lower(c.email) = lower(account.email)
  for update;
  if found and found_customer.auth_user_id is not null then
    -- Staff linked this customer to another account; they sort it out, nothing changes here.
    raise exception 'this email address belongs to another portal account' using errcode = '23505',
      detail = 'customer_linked_elsewhere', hint = 'Contact the shop: they can move your portal account.';
  elsif found then
    update public.customers c set
      auth_user_id = uid,
      language = coalesce(c.language, choices.language),
      style_interests = case when cardinality(c.style_interests) = 0 then choices.style_interests else c.style_interests end,
      favourite_brands = case when cardinality(c.favourite_brands) = 0 then choices.favourite_brands else c.favourite_brands end
    where c.id = found_customer.id;
    linked := found_customer.id;
  else
    insert into public.customers (email, auth_user_id, source, language, style_interests, favourite_brands)
    values (lower(account.email), uid, 'portal', choices.language, choices.style_interests, choices.favourite_brands)
    returning id into linked;
  end if;

  -- Double opt-in: each box was ticked at sign-up, and the address is now verified.
  insert into public.consent_events (customer_id, channel, purpose, status, source, actor_id, occurred_at, evidence)
  select linked, 'email', c.key::public.consent_purpose, 'granted', 'portal', uid, now(), jsonb_strip_nulls(jsonb_build_object(
    'form', 'portal_signup',
    'text_shown', c.value,
    'language', choices.language,
    'signed_up_at', account.created_at,
    'email_confirmed_at', account.email_confirmed_at,
    'ip', private.client_address(headers),
    'user_agent', left(headers ->> 'user-agent', 300)
  ))
  from jsonb_each_text(choices.consents) c
  order by c.key;

  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
  return linked;
end;
$$;
comment on function public.link_portal_account() is 'Links the calling account to the customer with its verified email, or creates that customer (source portal), applying the sign-up choices in user_metadata.portal (language, style interests, favourite brands; each ticked consent box — marketing, alerts — recorded in the consent ledger with its evidence). Idempotent; refused for unverified addresses, team members, and a customer linked to another account. Audited with the shopper as actor and role portal_link.';
revoke execute on function public.link_portal_account() from public, anon;
grant execute on function public.link_portal_account() to authenticated;

-- ─── The heart button ────────────────────────────────────────────────────────────────────────

create function public.set_favorite(variant uuid, favourite boolean) returns boolean
language plpgsql volatile security invoker set search_path = '' as $$
declare
  me uuid := (select private.portal_customer_id());
begin
  if me is null then
    raise exception 'only a shopper with a portal account keeps favourites' using errcode = '42501', detail = 'no_portal_account';
  end if;
  if variant is null or favourite is null then
    raise exception 'variant and favourite are required' using errcode = '22004';
  end if;
  -- The public catalogue policies decide what a shopper may see; an unknown variant and one
  -- outside the catalogue get the same answer.
  if not exists (select from public.product_variants v where v.id = variant) then
    raise exception 'this product is not available' using errcode = '42501';
  end if;
  if favourite then
    -- Row-level security and the price snapshot trigger apply as for a direct insert.
    insert into public.favorites (customer_id, variant_id) values (me, variant)
    on conflict (customer_id, variant_id) do nothing;
  else
    delete from public.favorites f where f.customer_id = me and f.variant_id = variant;
  end if;
  return favourite;
end;
$$;
comment on function public.set_favorite(uuid, boolean) is 'The heart button: sets whether the calling shopper favourites a variant (true: saved, false: removed). Idempotent, so a retried click does no harm; runs with the shopper''s own rights (policies and the price snapshot apply). Returns the new state.';
revoke execute on function public.set_favorite(uuid, boolean) from public, anon;
grant execute on function public.set_favorite(uuid, boolean) to authenticated;

-- ─── My favourites ───────────────────────────────────────────────────────────────────────────

create function public.portal_favorites(sort text default 'recent')
returns table (
  favorite_id uuid, variant_id uuid, product_id uuid, title text, variant_title text, vendor text, image_url text,
  url text, price_at_favorite numeric, price_now numeric, currency text, change_percent numeric,
  in_stock boolean, restocked_at timestamptz, available boolean, favorited_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  -- Security definer so the link can name the shop's domain; every row is the caller's own
  -- (portal_customer_id() is null for anyone who is not a shopper).
  select f.id, v.id, p.id, p.title, v.title, p.vendor, coalesce(v.image_url, p.image_url),
    case when p.source = 'affiliate' then p.affiliate_url
         when s.domain is not null and p.handle is not null then 'https://' || s.domain || '/products/' || p.handle end,
    f.price_at_favorite, v.price, v.currency,
    case when f.price_at_favorite > 0 and f.currency = v.currency
         then round((v.price - f.price_at_favorite) / f.price_at_favorite * 100, 1) end,
    coalesce(v.inventory_quantity, 1) > 0,
    case when coalesce(v.inventory_quantity, 1) > 0 then (
      select max(h.changed_at) from public.stock_history h
      where h.variant_id = v.id and h.new_quantity > 0 and coalesce(h.old_quantity, 0) <= 0 and h.old_quantity is not null
    ) end,
    p.status = 'active',
    f.created_at
  from public.favorites f
  join public.product_variants v on v.id = f.variant_id
  join public.products p on p.id = v.product_id
  left join public.shops s on s.id = p.shop_id
  where f.customer_id = (select private.portal_customer_id())
  order by
    case when sort = 'back_in_stock' then (
      select max(h.changed_at) from public.stock_history h
      where h.variant_id = v.id and h.new_quantity > 0 and coalesce(h.old_quantity, 0) <= 0 and h.old_quantity is not null
        and coalesce(v.inventory_quantity, 1) > 0
    ) end desc nulls last,
    case when sort = 'biggest_drop' and f.price_at_favorite > 0 and f.currency = v.currency
         then (v.price - f.price_at_favorite) / f.price_at_favorite end asc nulls last,
    f.created_at desc, f.id
  limit 500
$$;
comment on function public.portal_favorites(text) is 'My favourites for the calling shopper: price when saved and now, change in %, stock, when it came back in stock, a link to the product. sort: recent (default), back_in_stock (restocked first, newest restock first), biggest_drop (largest fall first). At most 500 rows.';
revoke execute on function public.portal_favorites(text) from public, anon;
grant execute on function public.portal_favorites(text) to authenticated;

-- ─── The catalogue browse ────────────────────────────────────────────────────────────────────

create function public.portal_catalogue(search text default null, brand text default null, style text default null,
  page_size integer default 24, page_offset integer default 0)
returns table (
  product_id uuid, variant_id uuid, title text, vendor text, product_type text, image_url text, price numeric,
  currency text, in_stock boolean, favourite boolean
)
language sql stable security definer set search_path = '' as $$
  -- Security definer, so anon may browse too (anon reads no favourites): it shows only what the
  -- public catalogue policies show everyone (active products), and hearts only the caller's own.
  select p.id, v.id, p.title, p.vendor, p.product_type, coalesce(v.image_url, p.image_url), v.price, v.currency,
    exists (select from public.product_variants w where w.product_id = p.id and coalesce(w.inventory_quantity, 1) > 0),
    exists (select from public.favorites f where f.variant_id = v.id and f.customer_id = (select private.portal_customer_id()))
  from public.products p
  cross join lateral (
    select w.* from public.product_variants w where w.product_id = p.id order by w.position, w.id limit 1
  ) v
  where p.status = 'active'
    and (nullif(btrim(search), '') is null or strpos(lower(p.title), lower(left(btrim(search), 100))) > 0
         or strpos(lower(p.vendor), lower(left(btrim(search), 100))) > 0)
    and (nullif(btrim(brand), '') is null or lower(p.vendor) = lower(btrim(brand)))
    and (nullif(btrim(style), '') is null or lower(btrim(style)) = any (p.tags) or lower(p.product_type) = lower(btrim(style)))
  order by p.title, p.id
  limit least(greatest(coalesce(page_size, 24), 1), 60)
  offset least(greatest(coalesce(page_offset, 0), 0), 10000)
$$;
comment on function public.portal_catalogue(text, text, text, integer, integer) is 'The portal''s catalogue browse: active products (first variant: price, image), in stock or not, and whether the caller hearted it; search in title and brand, filter by brand (vendor) and style (a product tag or type). Pages of at most 60.';
grant execute on function public.portal_catalogue(text, text, text, integer, integer) to anon, authenticated;

create function public.known_brands(prefix text default null) returns setof text
language sql stable security invoker set search_path = '' as $$
  select distinct on (lower(p.vendor)) p.vendor
  from public.products p
  where p.status = 'active' and p.vendor is not null and btrim(p.vendor) <> ''
    and (nullif(btrim(prefix), '') is null or starts_with(lower(p.vendor), lower(left(btrim(prefix), 100))))
  order by lower(p.vendor)
  limit 20
$$;
comment on function public.known_brands(text) is 'Brands of the public catalogue (product vendors, shop and affiliate items alike) starting with prefix, for the favourite-brands autocomplete. At most 20.';
grant execute on function public.known_brands(text) to anon, authenticated;

-- ─── Similar products you may like (seed 000, Logic A) ───────────────────────────────────────

create function public.similar_products(product uuid, how_many integer default 4)
returns table (product_id uuid, variant_id uuid, title text, vendor text, image_url text, price numeric, currency text, score integer)
language sql stable security invoker set search_path = '' as $$
  -- Same type weighs most, then shared tags (styles), then the brand; only active products with
  -- a variant in stock; closest price breaks ties.
  with base as (
    select p.id, p.product_type, p.vendor, p.tags,
      (select min(v.price) from public.product_variants v where v.product_id = p.id) as price
    from public.products p where p.id = product
  )
  select p.id, v.id, p.title, p.vendor, coalesce(v.image_url, p.image_url), v.price, v.currency,
    (case when lower(p.product_type) = lower(base.product_type) then 4 else 0 end
     + least(cardinality(array(select unnest(p.tags) intersect select unnest(base.tags))), 3) * 2
     + case when lower(p.vendor) = lower(base.vendor) then 1 else 0 end)::integer as score
  from base
  join public.products p on p.id <> base.id and p.status = 'active'
  cross join lateral (
    select w.* from public.product_variants w
    where w.product_id = p.id and coalesce(w.inventory_quantity, 1) > 0
    order by w.position, w.id limit 1
  ) v
  where lower(p.product_type) = lower(base.product_type) or p.tags && base.tags or lower(p.vendor) = lower(base.vendor)
  order by score desc, abs(v.price - coalesce(base.price, v.price)), p.id
  limit least(greatest(coalesce(how_many, 4), 1), 12)
$$;
comment on function public.similar_products(uuid, integer) is 'In-stock active products like the given one (same type: 4, each shared tag: 2 up to 3 tags, same brand: 1), best first, then closest in price. At most 12.';
grant execute on function public.similar_products(uuid, integer) to anon, authenticated;
