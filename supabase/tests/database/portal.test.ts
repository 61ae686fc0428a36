import { AuthClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient, config, serviceClient, uniqueEmail } from '@cairn/local-stack/testing.ts';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { createCast, type Cast, type Caller, type Claims } from '../../../scripts/testing/support/team.ts';

/**
 * The shopper portal's database side (20261207180000): a self-signed-up account is linked to its
 * customer by its verified email only (link_portal_account), never becomes staff, never reads
 * another shopper or team data; the heart (set_favorite), My favourites, the catalogue browse,
 * style interests and similar products.
 */

const PASSWORD = 'Shopper-pass-2026';

/** Signs an address up through the real auth API (sign-up is on for the portal). */
async function signUp(email: string, portal: Record<string, unknown> = {}) {
  const auth = new AuthClient({
    url: `${config.apiUrl}/auth/v1`,
    headers: { apikey: config.anonKey },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
  });
  const { data, error } = await auth.signUp({ email, password: PASSWORD, options: { data: { portal } } });
  if (error) throw error;
  return { userId: data.user?.id ?? '', session: data.session };
}

const claimsOf = (userId: string, email: string): Claims => ({
  sub: userId,
  role: 'authenticated',
  aud: 'authenticated',
  email,
  aal: 'aal1',
});

async function confirm(userId: string) {
  const { error } = await serviceClient().auth.admin.updateUserById(userId, { email_confirm: true });
  if (error) throw error;
}

async function signedIn(email: string): Promise<SupabaseClient> {
  const client = anonClient();
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  return client;
}

async function product(fields: {
  title?: string;
  vendor?: string;
  type?: string;
  tags?: string[];
  price?: number;
  inventory?: number | null;
  status?: string;
}) {
  const [{ id: productId }] = await adminSql<{ id: string }>(
    `insert into public.products (title, status, source, vendor, product_type, tags)
     values ($1, $2, 'manual', $3, $4, $5) returning id`,
    [
      fields.title ?? `Product ${randomUUID().slice(0, 8)}`,
      fields.status ?? 'active',
      fields.vendor ?? 'Test Brand',
      fields.type ?? null,
      fields.tags ?? [],
    ],
  );
  const [{ id: variantId }] = await adminSql<{ id: string }>(
    `insert into public.product_variants (product_id, price, currency, inventory_quantity) values ($1, $2, 'EUR', $3) returning id`,
    [productId, fields.price ?? 50, fields.inventory === undefined ? 5 : fields.inventory],
  );
  return { productId, variantId };
}

describe('portal accounts: sign-up and the link to a customer', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('portal');
  });
  afterAll(() => cast?.end());

  it('signs a visitor up without a session; the unconfirmed account links to nothing', async () => {
    const email = uniqueEmail('visitor');
    const { userId, session } = await signUp(email, { consents: { marketing: 'Yes' } });
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session).toBeNull();
    await expect(cast.sql(claimsOf(userId, email), 'select public.link_portal_account()')).rejects.toMatchObject({
      code: '42501',
      message: 'confirm your email address first',
    });
    expect(await adminSql('select id from public.customers where lower(email) = $1', [email])).toEqual([]);
  });

  it('answers a sign-up with a known address exactly like a new one (no account enumeration)', async () => {
    const email = uniqueEmail('known');
    const first = await signUp(email);
    await confirm(first.userId);
    const again = await signUp(email);
    const fresh = await signUp(uniqueEmail('fresh'));
    expect(again.session).toBeNull();
    expect(fresh.session).toBeNull();
    expect(typeof again.userId).toBe(typeof fresh.userId);
  });

  it('links a verified account to the existing customer with that email, with the sign-up choices, audited', async () => {
    const email = uniqueEmail('linked');
    const [{ id: customerId }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, email, owner_id) values ('Lena', $1, $2) returning id`,
      [email.toUpperCase(), cast.people.agent.userId],
    );
    const { userId } = await signUp(email, {
      consents: { marketing: 'Yes, email me offers and news', alerts: 'Email me about my favourites', sms: 'x' },
      language: 'de',
      style_interests: ['chic', 'not-offered', 'sustainable'],
      favourite_brands: ['Acme', '', 'Acme'],
    });
    await confirm(userId);
    const client = await signedIn(email);
    const linked = await client.rpc('link_portal_account');
    expect(linked.error).toBeNull();
    expect(linked.data).toBe(customerId);
    const [customer] = await adminSql(
      `select auth_user_id, language, style_interests, favourite_brands, owner_id from public.customers where id = $1`,
      [customerId],
    );
    expect(customer).toEqual({
      auth_user_id: userId,
      language: 'de',
      style_interests: ['chic', 'sustainable'],
      favourite_brands: ['Acme'],
      owner_id: cast.people.agent.userId,
    });
    const consents = await adminSql<{
      purpose: string;
      status: string;
      source: string;
      actor_id: string;
      evidence: Record<string, unknown>;
    }>(
      `select purpose::text, status, source, actor_id, evidence from public.consent_events where customer_id = $1
       order by purpose::text`,
      [customerId],
    );
    expect(consents.map((event) => event.purpose)).toEqual(['alerts', 'marketing']);
    expect(consents[0].evidence).toMatchObject({ text_shown: 'Email me about my favourites' });
    expect(consents[1]).toMatchObject({ status: 'granted', source: 'portal', actor_id: userId });
    expect(consents[1].evidence).toMatchObject({
      form: 'portal_signup',
      text_shown: 'Yes, email me offers and news',
      language: 'de',
    });
    expect(consents[1].evidence.signed_up_at).toBeTruthy();
    expect(consents[1].evidence.email_confirmed_at).toBeTruthy();
    const audit = await adminSql<{ actor_id: string; actor_role: string }>(
      `select actor_id, actor_role from public.audit_log where table_name = 'customers' and row_id = $1 and action = 'UPDATE'
         and after ->> 'auth_user_id' = $2`,
      [customerId, userId],
    );
    expect(audit).toEqual([{ actor_id: userId, actor_role: 'portal_link' }]);

    // Idempotent: the portal calls it at every sign-in; no second consent event.
    expect((await client.rpc('link_portal_account')).data).toBe(customerId);
    expect(await adminSql('select id from public.consent_events where customer_id = $1', [customerId])).toHaveLength(2);
    // The shopper now reads their own record, and only it.
    const visible = await client.from('customers').select('id');
    expect(visible.data).toEqual([{ id: customerId }]);
  });

  it('creates the customer when none has the email; no consent without the opt-in', async () => {
    const email = uniqueEmail('newshopper');
    const { userId } = await signUp(email, { consents: { marketing: '' }, language: 'xx' });
    await confirm(userId);
    const [row] = await cast.sql<{ id: string }>(claimsOf(userId, email), 'select public.link_portal_account() as id');
    const [customer] = await adminSql(
      `select email, source, language, owner_id, auth_user_id from public.customers where id = $1`,
      [row.id],
    );
    expect(customer).toEqual({ email, source: 'portal', language: null, owner_id: null, auth_user_id: userId });
    expect(await adminSql('select id from public.consent_events where customer_id = $1', [row.id])).toEqual([]);
  });

  it('links once when two sign-ins call it at the same time', async () => {
    const email = uniqueEmail('twotabs');
    const { userId } = await signUp(email);
    await confirm(userId);
    const calls = await Promise.all(
      [1, 2, 3].map(() =>
        cast.sql<{ id: string }>(claimsOf(userId, email), 'select public.link_portal_account() as id'),
      ),
    );
    const ids = new Set(calls.map(([row]) => row.id));
    expect(ids.size).toBe(1);
    expect(await adminSql('select id from public.customers where auth_user_id = $1', [userId])).toHaveLength(1);
  });

  it('refuses a team member, and a customer already linked to another account', async () => {
    await expect(cast.sql('agent', 'select public.link_portal_account()')).rejects.toMatchObject({
      code: '42501',
      message: "a team member's account cannot be a portal account",
    });
    const email = uniqueEmail('taken');
    const other = await signUp(uniqueEmail('other'));
    await confirm(other.userId);
    await adminSql(`insert into public.customers (email, auth_user_id) values ($1, $2)`, [email, other.userId]);
    const { userId } = await signUp(email);
    await confirm(userId);
    await expect(cast.sql(claimsOf(userId, email), 'select public.link_portal_account()')).rejects.toMatchObject({
      code: '23505',
    });
    await expect(cast.sql('anon', 'select public.link_portal_account()')).rejects.toMatchObject({ code: '42501' });
  });

  it('a self-signed-up account never becomes a team member, linked or not', async () => {
    const email = uniqueEmail('wannabe');
    const { userId } = await signUp(email);
    await confirm(userId);
    const insertMember = () =>
      adminSql(`insert into public.team_members (user_id, email, full_name, role) values ($1, $2, 'Eve', 'admin')`, [
        userId,
        email,
      ]);
    await expect(insertMember()).rejects.toMatchObject({ code: '23514', detail: 'not_invited' });
    await cast.sql(claimsOf(userId, email), 'select public.link_portal_account()');
    await expect(insertMember()).rejects.toMatchObject({ code: '23514' });
    // Nor through the API as an admin would.
    const asAdmin = await cast
      .client('admin')
      .from('team_members')
      .insert({ user_id: userId, email, full_name: 'Eve', role: 'agent' });
    expect(asAdmin.error).not.toBeNull();
    expect(await adminSql('select user_id from public.team_members where user_id = $1', [userId])).toEqual([]);
  });

  it('a linked shopper reads no team data and no other shopper', async () => {
    const email = uniqueEmail('nosy');
    const { userId } = await signUp(email);
    await confirm(userId);
    const claims = claimsOf(userId, email);
    const [{ id: mine }] = await cast.sql<{ id: string }>(claims, 'select public.link_portal_account() as id');
    const tables = [
      'team_members',
      'workspace_settings',
      'audit_log',
      'export_log',
      'orders',
      'activities',
      'messages',
      'message_threads',
      'deals',
      'notifications',
      'alert_settings',
      'product_alert_overrides',
      'email_templates',
      'saved_views',
      'shops',
      'webhook_deliveries',
      'shopify_privacy_requests',
    ];
    for (const table of tables) {
      const [{ n }] = await cast.sql<{ n: number }>(claims, `select count(*)::int as n from public.${table}`);
      expect(n, table).toBe(0);
    }
    const own = async (table: string, column = 'customer_id') =>
      (
        await cast.sql<{ n: number }>(
          claims,
          `select count(*)::int as n from public.${table} where ${column} is distinct from $1`,
          [mine],
        )
      )[0].n;
    expect(await own('customers', 'id')).toBe(0);
    expect(await own('favorites')).toBe(0);
    expect(await own('alert_preferences')).toBe(0);
    expect(await own('alert_log')).toBe(0);
    expect(await own('consent_events')).toBe(0);
    // The cast's shopper exists and is invisible to this one.
    const [{ n }] = await cast.sql<{ n: number }>(
      claims,
      'select count(*)::int as n from public.customers where id = $1',
      [cast.shopperCustomerId],
    );
    expect(n).toBe(0);
  });
});

describe('the heart, My favourites and the catalogue', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('hearts');
  });
  afterAll(() => cast?.end());

  it('set_favorite saves and removes idempotently, with the price from the variant', async () => {
    const { variantId } = await product({ price: 120 });
    const shopper = cast.client('shopper');
    expect((await shopper.rpc('set_favorite', { variant: variantId, favourite: true })).data).toBe(true);
    expect((await shopper.rpc('set_favorite', { variant: variantId, favourite: true })).error).toBeNull();
    const saved = await adminSql(
      'select price_at_favorite::float as price from public.favorites where variant_id = $1',
      [variantId],
    );
    expect(saved).toEqual([{ price: 120 }]);
    expect((await shopper.rpc('set_favorite', { variant: variantId, favourite: false })).data).toBe(false);
    expect((await shopper.rpc('set_favorite', { variant: variantId, favourite: false })).error).toBeNull();
    expect(await adminSql('select id from public.favorites where variant_id = $1', [variantId])).toEqual([]);
  });

  it.each(['admin', 'manager', 'agent', 'readonly', 'stranger'] as Caller[])(
    'set_favorite refuses %s (no portal account)',
    async (caller) => {
      const { variantId } = await product({});
      const { error } = await cast.client(caller).rpc('set_favorite', { variant: variantId, favourite: true });
      expect(error).toMatchObject({ code: '42501' });
      expect(await adminSql('select id from public.favorites where variant_id = $1', [variantId])).toEqual([]);
    },
  );

  it('set_favorite refuses anon, a draft product, an unknown variant and nulls', async () => {
    const { variantId } = await product({});
    const anon = await cast.client('anon').rpc('set_favorite', { variant: variantId, favourite: true });
    expect(anon.error?.code).toBe('42501');
    const draft = await product({ status: 'draft' });
    const hidden = await cast.client('shopper').rpc('set_favorite', { variant: draft.variantId, favourite: true });
    expect(hidden.error).toMatchObject({ code: '42501', message: 'this product is not available' });
    const unknown = await cast.client('shopper').rpc('set_favorite', { variant: randomUUID(), favourite: true });
    expect(unknown.error).toMatchObject({ code: '42501', message: 'this product is not available' });
    const nulls = await cast.client('shopper').rpc('set_favorite', { variant: variantId, favourite: null });
    expect(nulls.error?.code).toBe('22004');
  });

  it('My favourites: price then and now, change, stock, sorting, own rows only', async () => {
    const dropped = await product({ title: 'Dropped', price: 100 });
    const restocked = await product({ title: 'Restocked', price: 40, inventory: 0 });
    const steady = await product({ title: 'Steady', price: 10 });
    const shopper = cast.client('shopper');
    for (const item of [dropped, restocked, steady]) {
      await shopper.rpc('set_favorite', { variant: item.variantId, favourite: true });
    }
    await adminSql('update public.product_variants set price = 75 where id = $1', [dropped.variantId]);
    await adminSql('update public.product_variants set inventory_quantity = 3, price = 38 where id = $1', [
      restocked.variantId,
    ]);

    const drop = await shopper.rpc('portal_favorites', { sort: 'biggest_drop' });
    expect(drop.error).toBeNull();
    const rows = drop.data as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.title)).toEqual(['Dropped', 'Restocked', 'Steady']);
    expect(rows[0]).toMatchObject({ price_at_favorite: 100, price_now: 75, change_percent: -25, in_stock: true });
    const back = (await shopper.rpc('portal_favorites', { sort: 'back_in_stock' })).data as Array<
      Record<string, unknown>
    >;
    expect(back[0]).toMatchObject({ title: 'Restocked', in_stock: true });
    expect(back[0].restocked_at).toBeTruthy();

    for (const caller of ['admin', 'agent', 'stranger'] as Caller[]) {
      const { data } = await cast.client(caller).rpc('portal_favorites');
      expect(data, caller).toEqual([]);
    }
    expect((await cast.client('anon').rpc('portal_favorites')).error?.code).toBe('42501');
  });

  it('the catalogue: active products only, search, brand and style filters, my hearts', async () => {
    const brand = `Brand${randomUUID().slice(0, 6)}`;
    const coat = await product({ title: `Wool coat ${brand}`, vendor: brand, tags: ['chic'], type: 'Coats' });
    await product({ title: `Denim ${brand}`, vendor: brand, tags: ['casual'], type: 'Jeans' });
    await product({ title: `Hidden ${brand}`, vendor: brand, status: 'draft' });
    await cast.client('shopper').rpc('set_favorite', { variant: coat.variantId, favourite: true });

    const byBrand = await cast.client('anon').rpc('portal_catalogue', { brand });
    expect((byBrand.data as Array<{ title: string }>).map((row) => row.title)).toEqual([
      `Denim ${brand}`,
      `Wool coat ${brand}`,
    ]);
    const styled = await cast.client('shopper').rpc('portal_catalogue', { brand, style: 'chic' });
    expect(styled.data).toEqual([expect.objectContaining({ title: `Wool coat ${brand}`, favourite: true })]);
    const searched = await cast.client('anon').rpc('portal_catalogue', { search: `denim ${brand.toLowerCase()}` });
    expect(searched.data).toEqual([expect.objectContaining({ title: `Denim ${brand}`, favourite: false })]);
    const brands = await cast.client('anon').rpc('known_brands', { prefix: brand.slice(0, 8).toLowerCase() });
    expect(brands.data).toContain(brand);
  });

  it('similar products: in stock, same type, shared styles and brand first', async () => {
    const tag = randomUUID().slice(0, 6);
    const gone = await product({
      title: 'Gone',
      type: `Bags${tag}`,
      tags: [`s${tag}`],
      vendor: `V${tag}`,
      inventory: 0,
    });
    await product({ title: 'Same type and style', type: `Bags${tag}`, tags: [`s${tag}`], vendor: 'Other' });
    await product({ title: 'Same brand only', vendor: `V${tag}` });
    await product({ title: 'Same type, sold out', type: `Bags${tag}`, inventory: 0 });
    await product({ title: 'Unrelated' });
    const { data, error } = await cast.client('anon').rpc('similar_products', { product: gone.productId });
    expect(error).toBeNull();
    expect((data as Array<{ title: string }>).map((row) => row.title)).toEqual([
      'Same type and style',
      'Same brand only',
    ]);
  });

  it('style interests: everyone reads the offered ones, only admins change them', async () => {
    const key = `s${randomUUID().slice(0, 6).replace(/-/g, '')}`;
    const counts = await cast.countsAs(
      ['anon', 'shopper', 'stranger', 'agent'],
      `select count(*)::int as n from public.style_interests where key = 'chic'`,
    );
    expect(counts).toEqual({ anon: 1, shopper: 1, stranger: 1, agent: 1 });
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { error } = await cast
        .client(caller)
        .from('style_interests')
        .insert({ key, labels: { en: 'X' } });
      expect(error?.code, caller).toBe('42501');
    }
    const added = await cast
      .client('admin')
      .from('style_interests')
      .insert({ key, labels: { en: 'Boho' }, active: false });
    expect(added.error).toBeNull();
    const hidden = await cast.countsAs(
      ['anon', 'shopper', 'readonly'],
      `select count(*)::int as n from public.style_interests where key = '${key}'`,
    );
    expect(hidden).toEqual({ anon: 0, shopper: 0, readonly: 1 });
    const edited = await cast
      .client('manager')
      .from('style_interests')
      .update({ active: true })
      .eq('key', key)
      .select();
    expect(edited.data).toEqual([]);
    const removed = await cast.client('admin').from('style_interests').delete().eq('key', key).select('key');
    expect(removed.data).toEqual([{ key }]);
  });
});

describe('alert preferences the engine reads', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('alertprefs');
  });
  afterAll(() => cast?.end());

  it('a shopper sets their own daily cap; the engine keeps to it, never above the workspace cap', async () => {
    const shopper = cast.client('shopper');
    const saved = await shopper
      .from('alert_preferences')
      .insert({ customer_id: cast.shopperCustomerId, max_per_day: 1, price_drop_threshold_percent: 20 })
      .select('max_per_day')
      .single();
    expect(saved.error).toBeNull();
    expect(saved.data).toEqual({ max_per_day: 1 });
    const tooMany = await shopper
      .from('alert_preferences')
      .update({ max_per_day: 1000 })
      .eq('customer_id', cast.shopperCustomerId);
    expect(tooMany.error?.code).toBe('23514');

    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'alerts', 'granted', 'api')`,
      [cast.shopperCustomerId],
    );
    const noon = '2026-12-07T12:00:00Z';
    for (let i = 0; i < 3; i++) {
      const { variantId } = await product({ inventory: 4 });
      await adminSql(
        `insert into public.alert_log (customer_id, variant_id, kind, dedup_key, not_before)
         values ($1, $2, 'back_in_stock', $3, $4::timestamptz - interval '1 hour')`,
        [cast.shopperCustomerId, variantId, `test:${randomUUID()}`, noon],
      );
    }
    const claimed = await adminSql<{ customer_id: string }>(
      `select customer_id from public.claim_due_alerts(5000, $1::timestamptz) where customer_id = $2`,
      [noon, cast.shopperCustomerId],
    );
    expect(claimed).toHaveLength(1);
    const deferred = await adminSql<{ reason: string }>(
      `select reason from public.alert_log where customer_id = $1 and state = 'deferred'`,
      [cast.shopperCustomerId],
    );
    expect(deferred.map((row) => row.reason)).toEqual([
      'deferred: daily cap reached (1 per day)',
      'deferred: daily cap reached (1 per day)',
    ]);
    // Another shopper cannot touch these preferences.
    const other = await cast
      .client('stranger')
      .from('alert_preferences')
      .update({ max_per_day: 50 })
      .eq('customer_id', cast.shopperCustomerId)
      .select();
    expect(other.data).toEqual([]);
  });
});

describe('my data: export and the erasure request', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('mydata');
  });
  afterAll(() => cast?.end());

  it('exports everything about the shopper, and nothing about anyone else', async () => {
    const { variantId } = await product({ title: 'Exported scarf', price: 30 });
    await cast.client('shopper').rpc('set_favorite', { variant: variantId, favourite: true });
    const [{ id: orderId }] = await adminSql<{ id: string }>(
      `insert into public.orders (customer_id, currency, total, financial_status, order_number)
       values ($1, 'EUR', 42, 'paid', '=HYPERLINK("x")') returning id`,
      [cast.shopperCustomerId],
    );
    await adminSql(
      `insert into public.order_items (order_id, title, quantity, unit_price, total, currency) values ($1, 'Scarf', 2, 21, 42, 'EUR')`,
      [orderId],
    );
    const other = await adminSql<{ id: string }>(
      `insert into public.customers (email, first_name) values ($1, 'Other') returning id`,
      [uniqueEmail('other')],
    );
    await adminSql(
      `insert into public.orders (customer_id, currency, total, financial_status) values ($1, 'EUR', 999, 'paid')`,
      [other[0].id],
    );

    const { data, error } = await cast.client('shopper').rpc('my_data_export');
    expect(error).toBeNull();
    const exported = data as Record<string, unknown> & {
      profile: Record<string, unknown>;
      orders: Array<Record<string, unknown> & { items: unknown[] }>;
      favourites: Array<Record<string, unknown>>;
    };
    expect(exported.profile).toMatchObject({ id: cast.shopperCustomerId, email: cast.people.shopper.email });
    expect(exported.profile).not.toHaveProperty('owner_id');
    expect(exported.orders).toHaveLength(1);
    expect(exported.orders[0]).toMatchObject({ total: 42, items: [expect.objectContaining({ title: 'Scarf' })] });
    expect(exported.favourites).toEqual([
      expect.objectContaining({ product: 'Exported scarf', price_at_favorite: 30 }),
    ]);
    expect(JSON.stringify(exported)).not.toContain('999');

    const csv = await cast.client('shopper').rpc('my_orders_csv');
    expect((csv.data as string).split('\n')[0]).toBe(
      'order_number,placed_at,financial_status,fulfillment_status,currency,total,refunded_total,items',
    );
    expect((csv.data as string).split('\n')[1]).toMatch(
      /^"'=HYPERLINK\(""x""\)",.*,paid,.*,EUR,42\.00,0(\.00)?,2 × Scarf$/,
    );

    // Logged as an answered access request, once a day however often it is downloaded.
    await cast.client('shopper').rpc('my_data_export');
    const logged = await adminSql(
      `select status, source from public.privacy_requests where customer_id = $1 and kind = 'access'`,
      [cast.shopperCustomerId],
    );
    expect(logged).toEqual([{ status: 'completed', source: 'portal' }]);
  });

  it.each(['admin', 'manager', 'agent', 'readonly', 'stranger'] as Caller[])(
    'refuses %s (no portal account)',
    async (caller) => {
      for (const fn of ['my_data_export', 'my_orders_csv', 'request_my_erasure']) {
        const { error } = await cast.client(caller).rpc(fn);
        expect(error?.code, fn).toBe('42501');
      }
    },
  );

  it('asking for deletion twice opens one request, due in 30 days; staff see it, others do not', async () => {
    const first = await cast.client('shopper').rpc('request_my_erasure');
    const second = await cast.client('shopper').rpc('request_my_erasure');
    expect(first.error).toBeNull();
    const request = first.data as { id: string; requested_at: string; due_at: string; status: string; kind: string };
    expect((second.data as { id: string }).id).toBe(request.id);
    expect(request).toMatchObject({ status: 'open', kind: 'erasure' });
    expect(Date.parse(request.due_at) - Date.parse(request.requested_at)).toBe(30 * 86_400_000);
    const counts = await cast.countsAs(
      ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'],
      `select count(*)::int as n from public.privacy_requests where id = '${request.id}'`,
    );
    expect(counts).toEqual({ admin: 1, manager: 1, agent: 0, readonly: 0, shopper: 1, stranger: 0 });
    await expect(cast.sql('anon', 'select count(*) from public.privacy_requests')).rejects.toMatchObject({
      code: '42501',
    });

    // The shopper cannot close or move their own request; a manager works it, the clock stays.
    const closed = await cast
      .client('shopper')
      .from('privacy_requests')
      .update({ status: 'completed' })
      .eq('id', request.id)
      .select();
    expect(closed.data).toEqual([]);
    const worked = await cast
      .client('manager')
      .from('privacy_requests')
      .update({ status: 'in_progress', assignee_id: cast.people.manager.userId })
      .eq('id', request.id)
      .select('status, due_at, completed_at')
      .single();
    expect(worked.data).toMatchObject({ status: 'in_progress', completed_at: null });
    expect(Date.parse(worked.data?.due_at ?? '')).toBe(Date.parse(request.due_at));
    const forged = await cast
      .client('manager')
      .from('privacy_requests')
      .update({ due_at: '2099-01-01' })
      .eq('id', request.id);
    expect(forged.error?.code).toBe('42501');
    const agentEntry = await cast
      .client('agent')
      .from('privacy_requests')
      .insert({ customer_id: cast.shopperCustomerId, kind: 'access', source: 'staff' });
    expect(agentEntry.error?.code).toBe('42501');
  });
});

describe('erasure: the privacy console carries out a deletion request', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('erasure');
  });
  afterAll(() => cast?.end());

  /**
   * Every text, varchar, array and json column of every table (public, private, auth, storage)
   * that holds any of `needles` (case-insensitive), in one query: EXISTS per column.
   */
  async function columnsHolding(needles: string[]): Promise<string[]> {
    const columns = await adminSql<{ schema: string; table: string; column: string }>(
      `select c.table_schema as schema, c.table_name as table, c.column_name as column
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where t.table_type = 'BASE TABLE' and c.table_schema in ('public', 'private', 'auth', 'storage')
         and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
    );
    const checks = columns.map(
      ({ schema, table, column }) =>
        `select '${schema}.${table}.${column}' as hit where exists (select 1 from "${schema}"."${table}" where "${column}"::text ~* $1)`,
    );
    const pattern = needles.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return (await adminSql<{ hit: string }>(checks.join(' union all '), [pattern])).map((row) => row.hit).sort();
  }

  it('leaves no trace of the email or the name in any table, keeps the totals and the ledger, once', async () => {
    const tag = randomUUID().slice(0, 8);
    const email = `erase-me-${tag}@example.test`;
    const lastName = `Zyxwerase${tag}`;
    const { userId } = await signUp(email, { consents: { alerts: 'Email me about my favourites' } });
    await confirm(userId);
    const shopper = await signedIn(email);
    const customerId = (await shopper.rpc('link_portal_account')).data as string;
    await shopper
      .from('customers')
      .update({ first_name: 'Erin', last_name: lastName, city: 'Lyon' })
      .eq('id', customerId);
    const { variantId } = await product({ price: 60 });
    await shopper.rpc('set_favorite', { variant: variantId, favourite: true });
    await adminSql(
      `insert into public.orders (customer_id, currency, total, financial_status, shipping_name, note)
       values ($1, 'EUR', 120, 'paid', $2, $3)`,
      [customerId, `Erin ${lastName}`, `Call ${email}`],
    );
    await adminSql(`insert into public.activities (customer_id, kind, subject, body) values ($1, 'note', $2, $3)`, [
      customerId,
      `About ${lastName}`,
      `Wrote to ${email}`,
    ]);
    await adminSql(
      `insert into public.alert_log (customer_id, variant_id, kind, dedup_key, reason) values ($1, $2, 'price_drop', $3, $4)`,
      [customerId, variantId, `erase:${tag}`, `for ${lastName}`],
    );
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, payload)
       values ($1, 'open', $2, now(), $3, jsonb_build_object('email', $2::text))`,
      [`sg-${tag}`, email, customerId],
    );
    expect((await columnsHolding([lastName, `erase-me-${tag}`])).length).toBeGreaterThan(3);

    const request = (await shopper.rpc('request_my_erasure')).data as { id: string };
    const agent = await cast.client('agent').rpc('erase_customer', { request: request.id });
    expect(agent.error?.code).toBe('42501');
    const erased = await cast.client('manager').rpc('erase_customer', { request: request.id });
    expect(erased.error, JSON.stringify(erased.error)).toBeNull();
    expect(erased.data).toMatchObject({ erased: true });
    const again = await cast.client('manager').rpc('erase_customer', { request: request.id });
    expect(again.data).toMatchObject({ erased: false, already_completed: true });

    // The email's local part is unique to this test, so it finds the address in any form.
    expect(await columnsHolding([lastName, `erase-me-${tag}`])).toEqual([]);

    const [kept] = await adminSql<{ total: number; ledger: number; status: string }>(
      `select (select sum(total)::float from public.orders where customer_id = $1) as total,
              (select count(*)::int from public.consent_events where customer_id = $1) as ledger,
              (select status from public.privacy_requests where id = $2) as status`,
      [customerId, request.id],
    );
    expect(kept).toEqual({ total: 120, ledger: 1, status: 'completed' });
    expect(await adminSql('select 1 from auth.users where id = $1', [userId])).toEqual([]);
  }, 120_000);
});

describe('access requests: the privacy console answers them with one call', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('access');
  });
  afterAll(() => cast?.end());

  it('builds the export, records it once, completes the request; staff other than admins and managers are refused', async () => {
    await adminSql(
      `insert into public.orders (customer_id, currency, total, financial_status, order_number)
       values ($1, 'EUR', 77, 'paid', 'ACCESS-1')`,
      [cast.shopperCustomerId],
    );
    const entered = await cast
      .client('manager')
      .from('privacy_requests')
      .insert({ customer_id: cast.shopperCustomerId, kind: 'access', source: 'staff', note: 'Asked by phone' })
      .select('id')
      .single();
    expect(entered.error).toBeNull();
    const request = entered.data?.id ?? '';

    for (const caller of ['agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { error } = await cast.client(caller).rpc('answer_access_request', { request });
      expect(error?.code, caller).toBe('42501');
    }
    const loggedExports = async () =>
      (
        await adminSql<{ n: number }>(
          `select count(*)::int as n from public.export_log where kind = 'privacy_access' and filters ->> 'request' = $1`,
          [request],
        )
      )[0].n;
    expect(await loggedExports()).toBe(0);

    const first = await cast.client('manager').rpc('answer_access_request', { request });
    expect(first.error, JSON.stringify(first.error)).toBeNull();
    const answer = first.data as {
      already_completed: boolean;
      export: { profile: Record<string, unknown>; orders: Array<Record<string, unknown>> };
    };
    expect(answer.already_completed).toBe(false);
    expect(answer.export.profile).toMatchObject({ id: cast.shopperCustomerId, email: cast.people.shopper.email });
    expect(answer.export.profile).not.toHaveProperty('owner_id');
    expect(answer.export.orders).toEqual([expect.objectContaining({ order_number: 'ACCESS-1', total: 77 })]);
    const [row] = await adminSql<{ status: string; note: string; assignee_id: string; completed_at: Date | null }>(
      'select status, note, assignee_id, completed_at from public.privacy_requests where id = $1',
      [request],
    );
    expect(row).toMatchObject({ status: 'completed', assignee_id: cast.people.manager.userId });
    expect(row.note).toMatch(/^Asked by phone\nExport built and sent on \d{4}-\d{2}-\d{2}\.$/);
    expect(row.completed_at).not.toBeNull();
    expect(await loggedExports()).toBe(1);

    // Asking again does the work once: the same export, no second record.
    const again = await cast.client('admin').rpc('answer_access_request', { request });
    expect(again.data).toMatchObject({ already_completed: true, export: { profile: { id: cast.shopperCustomerId } } });
    expect(await loggedExports()).toBe(1);
  });

  it('refuses an erasure request, an unknown id and a null with a clear code', async () => {
    const erasure = (await cast.client('shopper').rpc('request_my_erasure')).data as { id: string };
    expect((await cast.client('manager').rpc('answer_access_request', { request: erasure.id })).error?.code).toBe(
      'P0002',
    );
    expect((await cast.client('manager').rpc('answer_access_request', { request: randomUUID() })).error?.code).toBe(
      'P0002',
    );
    expect((await cast.client('manager').rpc('answer_access_request', { request: null })).error?.code).toBe('P0002');
    expect((await cast.client('manager').rpc('answer_access_request', { request: 'not-a-uuid' })).error?.code).toBe(
      '22P02',
    );
  });

  const REASON = 'We still need your address to deliver order #1042; ask again once it has arrived.';

  async function openRequest(kind: 'access' | 'erasure' = 'erasure') {
    await adminSql(
      `update public.privacy_requests set status = 'completed' where customer_id = $1 and kind = $2 and status in ('open', 'in_progress')`,
      [cast.shopperCustomerId, kind],
    );
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, $2, 'portal') returning id`,
      [cast.shopperCustomerId, kind],
    );
    return id;
  }

  describe('refusing a privacy request (20261208142000)', () => {
    it('admins and managers refuse with a reason the shopper reads; nobody else can', async () => {
      const request = await openRequest();
      const refusers: Caller[] = ['agent', 'agent2', 'readonly', 'shopper', 'stranger', 'anon'];
      for (const caller of refusers) {
        const { error } = await cast.client(caller).rpc('refuse_privacy_request', { request, reason: REASON });
        expect(error?.code, caller).toBe('42501');
      }
      const manager = cast.client('manager');
      for (const reason of ['', '   ', 'too short', 'x'.repeat(2001), null]) {
        const { error } = await manager.rpc('refuse_privacy_request', { request, reason: reason as string });
        expect(error?.code, JSON.stringify(reason)).toBe('22023');
      }
      expect(
        (
          await manager.rpc('refuse_privacy_request', {
            request: '00000000-0000-4000-8000-000000000000',
            reason: REASON,
          })
        ).error?.code,
      ).toBe('P0002');

      const refused = await manager.rpc('refuse_privacy_request', { request, reason: `  ${REASON} ` });
      expect(refused.error).toBeNull();
      expect(refused.data).toMatchObject({
        status: 'refused',
        refusal_reason: REASON,
        assignee_id: cast.people.manager.userId,
      });
      // Again: the same answer, nothing written twice.
      const again = await cast
        .client('admin')
        .rpc('refuse_privacy_request', { request, reason: 'Another reason entirely.' });
      expect(again.data).toMatchObject({ status: 'refused', refusal_reason: REASON });
      const [{ n }] = await adminSql<{ n: number }>(
        `select count(*)::int as n from public.audit_log where table_name = 'privacy_requests' and row_id = $1 and after ->> 'status' = 'refused'`,
        [request],
      );
      expect(n).toBe(1);

      // The shopper reads it (the portal shows the reason); another shopper-less account does not.
      const own = await cast
        .client('shopper')
        .from('privacy_requests')
        .select('status, refusal_reason')
        .eq('id', request);
      expect(own.data).toEqual([{ status: 'refused', refusal_reason: REASON }]);
      expect((await cast.client('stranger').from('privacy_requests').select('id').eq('id', request)).data).toEqual([]);
      // A completed request cannot be refused.
      const done = await openRequest('access');
      await adminSql(`update public.privacy_requests set status = 'completed' where id = $1`, [done]);
      const late = await manager.rpc('refuse_privacy_request', { request: done, reason: REASON });
      expect(late.error).toMatchObject({ code: '55000', details: 'completed' });
    });

    it('a refusal needs its reason, and nobody writes the reason directly', async () => {
      const request = await openRequest();
      const manager = cast.client('manager').from('privacy_requests');
      expect((await manager.update({ status: 'refused' }).eq('id', request)).error?.code).toBe('23514');
      expect((await manager.update({ refusal_reason: REASON }).eq('id', request)).error?.code).toBe('42501');
      const [row] = await adminSql<{ status: string }>('select status from public.privacy_requests where id = $1', [
        request,
      ]);
      expect(row.status).toBe('open');
    });
  });

  describe('reassigning a privacy request (20261208142000)', () => {
    it('goes only to an active admin or manager, whoever writes', async () => {
      const request = await openRequest();
      const manager = cast.client('manager').from('privacy_requests');
      const toAdmin = await manager
        .update({ assignee_id: cast.people.admin.userId })
        .eq('id', request)
        .select('assignee_id');
      expect(toAdmin.data).toEqual([{ assignee_id: cast.people.admin.userId }]);
      for (const persona of ['agent', 'readonly', 'shopper'] as const) {
        const { error } = await manager.update({ assignee_id: cast.people[persona].userId }).eq('id', request);
        expect(error?.code, persona).toBe('23514');
      }
      await adminSql(`update public.team_members set active = false where user_id = $1`, [cast.people.agent2.userId]);
      await adminSql(`update public.team_members set role = 'manager' where user_id = $1`, [cast.people.agent2.userId]);
      const inactive = await manager.update({ assignee_id: cast.people.agent2.userId }).eq('id', request);
      expect(inactive.error?.code).toBe('23514');
      await expect(
        adminSql(`update public.privacy_requests set assignee_id = $2 where id = $1`, [
          request,
          cast.people.agent.userId,
        ]),
      ).rejects.toMatchObject({ code: '23514' });
      // Agents and read-only members reach no request at all.
      for (const caller of ['agent', 'readonly'] as const) {
        const { data } = await cast
          .client(caller)
          .from('privacy_requests')
          .update({ assignee_id: cast.people.manager.userId })
          .eq('id', request)
          .select('id');
        expect(data ?? [], caller).toEqual([]);
      }
    });
  });
});

describe('Shopify privacy requests reach the console', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('shopifyprivacy');
  });
  afterAll(() => cast?.end());

  const shopifyRequest = async (shop: string, fields: { kind: string; customer: string | null; status?: string }) =>
    (
      await adminSql<{ id: string }>(
        `insert into public.shopify_privacy_requests (shop_id, kind, customer_id, status, completed_at, note)
         values ($1, $2, $3, $4, case when $4 = 'completed' then now() end, 'from Shopify') returning id::text`,
        [shop, fields.kind, fields.customer, fields.status ?? 'open'],
      )
    )[0].id;
  const consoleRequests = (customer: string) =>
    adminSql<{ id: string; kind: string; source: string; status: string; shopify_request_id: string | null }>(
      `select id, kind, source, status, shopify_request_id::text from public.privacy_requests
       where customer_id = $1 order by requested_at, kind`,
      [customer],
    );

  it('a data request opens (or joins) an access request with its clock; answering it completes the Shopify one', async () => {
    const shop = await createShop();
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (email, first_name) values ($1, 'Sho') returning id`,
      [uniqueEmail('shopify-dsar')],
    );
    const first = await shopifyRequest(shop, { kind: 'customers/data_request', customer });
    const again = await shopifyRequest(shop, { kind: 'customers/data_request', customer });
    const opened = await consoleRequests(customer);
    expect(opened).toEqual([
      expect.objectContaining({ kind: 'access', source: 'shopify', status: 'open', shopify_request_id: first }),
    ]);
    expect(again).not.toBe(first);
    const counts = await cast.countsAs(
      ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'],
      `select count(*)::int as n from public.privacy_requests where id = '${opened[0].id}'`,
    );
    expect(counts).toEqual({ admin: 1, manager: 1, agent: 0, readonly: 0, shopper: 0, stranger: 0 });

    const answered = await cast.client('manager').rpc('answer_access_request', { request: opened[0].id });
    expect(answered.error).toBeNull();
    const shopifyStatus = await adminSql<{ id: string; status: string; completed: boolean }>(
      `select id::text, status, completed_at is not null as completed from public.shopify_privacy_requests
       where customer_id = $1 order by id`,
      [customer],
    );
    expect(shopifyStatus).toEqual([
      { id: first, status: 'completed', completed: true },
      { id: again, status: 'open', completed: false },
    ]);
  });

  it('a redact the webhook carried out arrives completed; one for no known customer is not copied', async () => {
    const shop = await createShop();
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (email, first_name) values ($1, 'Red') returning id`,
      [uniqueEmail('shopify-redact')],
    );
    const redact = await shopifyRequest(shop, { kind: 'customers/redact', customer, status: 'completed' });
    expect(await consoleRequests(customer)).toEqual([
      expect.objectContaining({ kind: 'erasure', source: 'shopify', status: 'completed', shopify_request_id: redact }),
    ]);
    const nobody = await shopifyRequest(shop, { kind: 'customers/data_request', customer: null });
    const shopRedact = await shopifyRequest(shop, { kind: 'shop/redact', customer: null, status: 'completed' });
    expect(
      await adminSql('select id from public.privacy_requests where shopify_request_id = any($1::bigint[])', [
        [nobody, shopRedact],
      ]),
    ).toEqual([]);
  });
});

describe('erasure waits for open orders when the shop says so', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('erasurewait');
  });
  afterAll(async () => {
    await adminSql('update public.workspace_settings set erasure_waits_for_open_orders = false');
    await cast?.end();
  });

  it('refuses with a clear reason while an order is unshipped, then erases once it is cancelled', async () => {
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (email, first_name) values ($1, 'Owen') returning id`,
      [uniqueEmail('open-order')],
    );
    const [{ id: order }] = await adminSql<{ id: string }>(
      `insert into public.orders (customer_id, currency, total, financial_status, fulfillment_status)
       values ($1, 'EUR', 50, 'paid', 'unfulfilled') returning id`,
      [customer],
    );
    const [{ id: request }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'erasure', 'staff') returning id`,
      [customer],
    );
    // Off by default: only an admin turns it on.
    const byManager = await cast
      .client('manager')
      .from('workspace_settings')
      .update({ erasure_waits_for_open_orders: true })
      .eq('id', true)
      .select();
    expect(byManager.data ?? []).toEqual([]);
    const byAdmin = await cast
      .client('admin')
      .from('workspace_settings')
      .update({ erasure_waits_for_open_orders: true })
      .eq('id', true);
    expect(byAdmin.error).toBeNull();

    const refused = await cast.client('manager').rpc('erase_customer', { request });
    expect(refused.error).toMatchObject({ code: '55000', details: 'open_orders' });
    expect(refused.error?.message).toMatch(/open order/);
    const [kept] = await adminSql<{ status: string; first_name: string }>(
      `select r.status, c.first_name from public.privacy_requests r join public.customers c on c.id = r.customer_id where r.id = $1`,
      [request],
    );
    expect(kept).toEqual({ status: 'open', first_name: 'Owen' });

    await adminSql(`update public.orders set cancelled_at = now() where id = $1`, [order]);
    const erased = await cast.client('manager').rpc('erase_customer', { request });
    expect(erased.error).toBeNull();
    expect(erased.data).toMatchObject({ erased: true });
  });
});
