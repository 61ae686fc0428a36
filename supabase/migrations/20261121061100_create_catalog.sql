-- Catalogue: products, variants, price history, stock history
--
-- Owns: the products Cairn knows (synchronised from Shopify, read from affiliate feeds, or
-- entered by hand), their variants with price, compare-at price, currency and inventory, and the
-- append-only price and stock histories a trigger fills on every change. The alert engine
-- (back in stock, price drop) reads those histories: both are indexed by (variant_id,
-- changed_at desc) and by changed_at.
--
-- Access: the catalogue is public on purpose: the shopper portal has a catalogue page with heart
-- buttons, visible before sign-in. So anon and every signed-in user read ACTIVE products and
-- their variants; team members read the whole catalogue (drafts and archived too); admins and
-- managers write it; the service role (Shopify sync, affiliate feeds) does everything.
-- Histories are read by team members only and written by the trigger only.

create type public.product_status as enum ('active', 'draft', 'archived');
comment on type public.product_status is 'Shopify''s product status. Only active products are visible outside the team.';

-- ─── Products ────────────────────────────────────────────────────────────────────────────────

create table public.products (
  id uuid primary key default gen_random_uuid(),
  shop_id uuid references public.shops (id) on delete restrict,
  external_id bigint constraint products_external_id_positive check (external_id > 0),
  title text not null constraint products_title_length check (length(btrim(title)) between 1 and 500),
  handle text constraint products_handle_format check (handle ~ '^[a-z0-9][a-z0-9-]{0,254}$'),
  vendor text constraint products_vendor_length check (length(vendor) <= 200),
  product_type text constraint products_product_type_length check (length(product_type) <= 200),
  status public.product_status not null default 'active',
  image_url text constraint products_image_url_format check (image_url ~ '^https?://'),
  source text not null default 'shopify' constraint products_source_check check (source in ('shopify', 'affiliate', 'manual')),
  affiliate_network text constraint products_affiliate_network_length check (length(affiliate_network) between 1 and 100),
  affiliate_item_id text constraint products_affiliate_item_id_length check (length(affiliate_item_id) between 1 and 200),
  affiliate_url text constraint products_affiliate_url_format check (affiliate_url ~ '^https?://'),
  tags text[] not null default '{}' constraint products_tags_count check (cardinality(tags) <= 250),
  external_updated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint products_shop_external_id_key unique (shop_id, external_id),
  constraint products_affiliate_item_key unique (affiliate_network, affiliate_item_id),
  constraint products_shopify_needs_shop_and_id check (source <> 'shopify' or (shop_id is not null and external_id is not null)),
  constraint products_affiliate_needs_url check (source <> 'affiliate' or affiliate_url is not null)
);
comment on table public.products is 'Products from Shopify shops, affiliate feeds or entered by hand. Active products are public (the portal catalogue); the rest is visible to the team only.';
comment on column public.products.external_id is 'The Shopify product id (unique per shop).';
comment on column public.products.external_updated_at is 'Shopify''s updated_at of the last payload applied (products/update webhooks may arrive out of order).';
comment on column public.products.vendor is 'The brand; shoppers pick favourite brands from these.';
comment on column public.products.affiliate_url is 'Where an affiliate product is bought (required when source is affiliate).';

create index products_status_idx on public.products (status);
create index products_vendor_idx on public.products (vendor);
create index products_title_search_idx on public.products using gin (title extensions.gin_trgm_ops);

create trigger touch_updated_at before update on public.products
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.products
  for each row execute function private.record_audit();

alter table public.products enable row level security;
create policy "anyone reads active products" on public.products for select to anon, authenticated
  using (status = 'active');
create policy "team members read every product" on public.products for select to authenticated
  using ((select private.is_team_member()));
create policy "catalogue managers add products" on public.products for insert to authenticated
  with check ((select private.manages_catalog()));
create policy "catalogue managers edit products" on public.products for update to authenticated
  using ((select private.manages_catalog())) with check ((select private.manages_catalog()));
create policy "catalogue managers remove products" on public.products for delete to authenticated
  using ((select private.manages_catalog()));
revoke insert, update, delete, truncate on public.products from anon;
revoke insert, update on public.products from authenticated;
grant insert (shop_id, external_id, title, handle, vendor, product_type, status, image_url, source,
  affiliate_network, affiliate_item_id, affiliate_url, tags, external_updated_at) on public.products to authenticated;
grant update (shop_id, external_id, title, handle, vendor, product_type, status, image_url, source,
  affiliate_network, affiliate_item_id, affiliate_url, tags, external_updated_at) on public.products to authenticated;

-- ─── Variants ────────────────────────────────────────────────────────────────────────────────

create table public.product_variants (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references public.products (id) on delete cascade,
  external_id bigint constraint product_variants_external_id_positive check (external_id > 0),
  sku text constraint product_variants_sku_length check (length(sku) <= 100),
  title text not null default 'Default Title' constraint product_variants_title_length check (length(btrim(title)) between 1 and 500),
  price numeric(14, 2) not null constraint product_variants_price_not_negative check (price >= 0),
  compare_at_price numeric(14, 2) constraint product_variants_compare_at_price_not_negative check (compare_at_price >= 0),
  currency text not null references public.currencies (code),
  inventory_quantity integer,
  inventory_item_id bigint,
  image_url text constraint product_variants_image_url_format check (image_url ~ '^https?://'),
  position integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint product_variants_product_external_id_key unique (product_id, external_id)
);
comment on table public.product_variants is 'Sellable variants of a product: price, compare-at price, currency, inventory. Price and inventory changes are recorded in price_history and stock_history.';
comment on column public.product_variants.inventory_quantity is 'Units available; null when inventory is not tracked. Shopify allows overselling, so it may be negative: in stock means > 0.';
comment on column public.product_variants.compare_at_price is 'The "was" price shown crossed out, if any.';

create index product_variants_product_idx on public.product_variants (product_id);
create index product_variants_sku_idx on public.product_variants (sku) where sku is not null;
create index product_variants_inventory_item_idx on public.product_variants (inventory_item_id) where inventory_item_id is not null;

create trigger touch_updated_at before update on public.product_variants
  for each row execute function private.touch_updated_at();
create trigger record_audit after insert or update or delete on public.product_variants
  for each row execute function private.record_audit();

alter table public.product_variants enable row level security;
create policy "anyone reads variants of active products" on public.product_variants for select to anon, authenticated
  using (exists (select 1 from public.products p where p.id = product_id and p.status = 'active'));
create policy "team members read every variant" on public.product_variants for select to authenticated
  using ((select private.is_team_member()));
create policy "catalogue managers add variants" on public.product_variants for insert to authenticated
  with check ((select private.manages_catalog()));
create policy "catalogue managers edit variants" on public.product_variants for update to authenticated
  using ((select private.manages_catalog())) with check ((select private.manages_catalog()));
create policy "catalogue managers remove variants" on public.product_variants for delete to authenticated
  using ((select private.manages_catalog()));
revoke insert, update, delete, truncate on public.product_variants from anon;
revoke insert, update on public.product_variants from authenticated;
grant insert (product_id, external_id, sku, title, price, compare_at_price, currency, inventory_quantity,
  inventory_item_id, image_url, position) on public.product_variants to authenticated;
grant update (product_id, external_id, sku, title, price, compare_at_price, currency, inventory_quantity,
  inventory_item_id, image_url, position) on public.product_variants to authenticated;

-- ─── Price and stock history ─────────────────────────────────────────────────────────────────

create table public.price_history (
  id bigint generated always as identity primary key,
  variant_id uuid not null references public.product_variants (id) on delete cascade,
  old_price numeric(14, 2),
  new_price numeric(14, 2) not null,
  old_currency text references public.currencies (code),
  currency text not null references public.currencies (code),
  changed_at timestamptz not null default now(),
  changed_by uuid,
  source text not null constraint price_history_source_length check (length(source) between 1 and 50)
);
comment on table public.price_history is 'Every price a variant has had (old_price null: the first one). Append-only, written by a trigger on product_variants. The price-drop alert engine reads it.';
comment on column public.price_history.source is 'Who changed it: the session setting cairn.change_source if set (shopify, affiliate, import…), else sync (service role), manual (a person) or system.';
comment on column public.price_history.changed_by is 'The auth user who made the change, if a person did.';
create index price_history_variant_idx on public.price_history (variant_id, changed_at desc);
create index price_history_changed_at_idx on public.price_history (changed_at);

create table public.stock_history (
  id bigint generated always as identity primary key,
  variant_id uuid not null references public.product_variants (id) on delete cascade,
  old_quantity integer,
  new_quantity integer,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  source text not null constraint stock_history_source_length check (length(source) between 1 and 50)
);
comment on table public.stock_history is 'Every inventory level a variant has had. Append-only, written by a trigger on product_variants. Back in stock = old_quantity <= 0 (or null after tracking) and new_quantity > 0.';
create index stock_history_variant_idx on public.stock_history (variant_id, changed_at desc);
create index stock_history_changed_at_idx on public.stock_history (changed_at);
-- The alert engine's question: what came back in stock since the last run?
create index stock_history_restock_idx on public.stock_history (changed_at)
  where new_quantity > 0 and coalesce(old_quantity, 0) <= 0;

create function private.change_source() returns text
language sql stable set search_path = '' as $$
  select coalesce(
    nullif(current_setting('cairn.change_source', true), ''),
    case (select auth.role()) when 'service_role' then 'sync' when 'authenticated' then 'manual' else 'system' end
  )
$$;
comment on function private.change_source() is 'Labels a history row: set local cairn.change_source = ''shopify'' (or affiliate, import…) to name it, else sync / manual / system by caller.';

create function private.record_variant_history() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or (new.price, new.currency) is distinct from (old.price, old.currency) then
    insert into public.price_history (variant_id, old_price, new_price, old_currency, currency, changed_by, source)
    values (
      new.id,
      case when tg_op = 'UPDATE' then old.price end,
      new.price,
      case when tg_op = 'UPDATE' then old.currency end,
      new.currency,
      (select auth.uid()),
      private.change_source()
    );
  end if;
  if tg_op = 'INSERT' or new.inventory_quantity is distinct from old.inventory_quantity then
    insert into public.stock_history (variant_id, old_quantity, new_quantity, changed_by, source)
    values (
      new.id,
      case when tg_op = 'UPDATE' then old.inventory_quantity end,
      new.inventory_quantity,
      (select auth.uid()),
      private.change_source()
    );
  end if;
  return null;
end;
$$;
comment on function private.record_variant_history() is 'Appends to price_history and stock_history when a variant is created or its price, currency or inventory changes.';
create trigger record_history after insert or update of price, currency, inventory_quantity on public.product_variants
  for each row execute function private.record_variant_history();

-- Histories are logs of facts: readable by the team, written only by the trigger above (the
-- service role may insert, to backfill history from Shopify), never edited. They carry no audit
-- trigger: they are themselves the record of each change.
alter table public.price_history enable row level security;
alter table public.stock_history enable row level security;
create policy "team members read price history" on public.price_history for select to authenticated
  using ((select private.is_team_member()));
create policy "team members read stock history" on public.stock_history for select to authenticated
  using ((select private.is_team_member()));
revoke all on public.price_history, public.stock_history from anon;
revoke insert, update, delete, truncate on public.price_history, public.stock_history from authenticated;
revoke update, delete, truncate on public.price_history, public.stock_history from service_role;

-- `alter default privileges in schema private revoke execute … from public` cannot take away the
-- global default (PUBLIC may execute new functions): per-schema defaults only add. So every
-- private function says who may call it explicitly.
revoke execute on function private.change_source(),
  private.record_variant_history()
  from public, anon;
