import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomer,
  createOrder,
  createProduct,
  createShop,
  currencies,
  uniqueExternalId,
  uniqueTag,
} from '../../../scripts/testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Role matrix for commerce: shops (and their secrets), exchange rates, the catalogue with its
 * histories, orders, line items and refunds. Every caller × select / insert / update / delete,
 * through supabase-js with real sign-ins and in SQL as the role; refusals asserted carefully.
 */

const TEAM: Caller[] = ['admin', 'manager', 'agent', 'agent2', 'readonly'];
const OUTSIDERS: Caller[] = ['shopper', 'stranger'];

describe('shops and their webhook secrets', () => {
  let cast: Cast;
  let shopId: string;
  let shopDomain: string;
  const secret = `whsec-${uniqueTag()}-${uniqueTag()}`;

  beforeAll(async () => {
    cast = await createCast('shops');
    shopId = await createShop();
    [{ domain: shopDomain }] = await adminSql<{ domain: string }>('select domain from public.shops where id = $1', [
      shopId,
    ]);
    await adminSql('select public.set_shop_webhook_secret($1, $2)', [shopId, secret]);
  });
  afterAll(() => cast?.end());

  const seesShop = async (caller: Caller) => {
    const { data, error } = await cast.client(caller).from('shops').select('id').eq('id', shopId);
    expect(error).toBeNull();
    return (data ?? []).length === 1;
  };

  it.each([...TEAM, 'service_role'] as Caller[])('%s reads shops', async (caller) => {
    expect(await seesShop(caller)).toBe(true);
  });

  it.each(OUTSIDERS)('%s reads no shop', async (caller) => {
    expect(await seesShop(caller)).toBe(false);
  });

  it('anon is refused shops', async () => {
    const { error } = await cast.client('anon').from('shops').select('id').limit(1);
    expect(error).toMatchObject({ code: '42501' });
  });

  it('only admins add, edit and remove shops', async () => {
    const domain = () => `new-${uniqueTag()}.myshopify.com`;
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger'] as const) {
      const { error } = await cast
        .client(caller)
        .from('shops')
        .insert({ name: 'x', domain: domain(), currency: 'EUR' });
      expect(error, caller).toMatchObject({ code: '42501' });
      const updated = await cast.client(caller).from('shops').update({ name: 'hijack' }).eq('id', shopId).select('id');
      expect(updated.data ?? [], caller).toEqual([]);
      const deleted = await cast.client(caller).from('shops').delete().eq('id', shopId).select('id');
      expect(deleted.data ?? [], caller).toEqual([]);
    }
    const created = await cast
      .client('admin')
      .from('shops')
      .insert({ name: 'Admin shop', domain: domain(), currency: 'EUR' })
      .select('id')
      .single();
    expect(created.error).toBeNull();
    const id = (created.data as { id: string }).id;
    expect(
      (await cast.client('admin').from('shops').update({ name: 'Renamed' }).eq('id', id).select('id')).data,
    ).toEqual([{ id }]);
    expect((await cast.client('admin').from('shops').delete().eq('id', id).select('id')).data).toEqual([{ id }]);
  });

  it('refuses a domain that is not a myshopify domain', async () => {
    const { error } = await cast
      .client('admin')
      .from('shops')
      .insert({ name: 'Bad', domain: 'shop.example.com', currency: 'EUR' });
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(/shops_domain_is_myshopify/);
  });

  it('no client column or table holds the secret', async () => {
    const { data } = await cast.client('admin').from('shops').select('*').eq('id', shopId).single();
    expect(JSON.stringify(data)).not.toContain(secret);
    expect(data).toMatchObject({ webhook_secret_set_at: expect.any(String) });
    for (const caller of [...TEAM, 'shopper', 'anon', 'service_role'] as Caller[]) {
      await expect(cast.sql(caller, 'select webhook_secret from private.shop_secrets'), caller).rejects.toMatchObject({
        code: '42501',
      });
      if (caller !== 'service_role') {
        await expect(
          cast.sql(caller, 'select private.shop_webhook_secret($1)', [shopDomain]),
          caller,
        ).rejects.toMatchObject({ code: '42501' });
      }
    }
    expect(await cast.sql('service_role', 'select private.shop_webhook_secret($1) as s', [shopDomain])).toEqual([
      { s: secret },
    ]);
  });

  it('only the service role reads a secret, through the RPC', async () => {
    const service = await cast.client('service_role').rpc('shop_webhook_secret', { shop_domain: shopDomain });
    expect(service).toMatchObject({ error: null, data: secret });
    for (const caller of [...TEAM, 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { data, error } = await cast.client(caller).rpc('shop_webhook_secret', { shop_domain: shopDomain });
      expect(data, caller).toBeNull();
      expect(error?.code, caller).toBe('42501');
    }
    const unknown = await cast.client('service_role').rpc('shop_webhook_secret', { shop_domain: 'nope.myshopify.com' });
    expect(unknown).toMatchObject({ error: null, data: null });
  });

  it('admins set a secret (write-only); nobody else may', async () => {
    const newSecret = `rotated-${uniqueTag()}-${uniqueTag()}`;
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { error } = await cast
        .client(caller)
        .rpc('set_shop_webhook_secret', { shop_id: shopId, secret: 'x'.repeat(32) });
      expect(error?.code, caller).toBe('42501');
    }
    const tooShort = await cast.client('admin').rpc('set_shop_webhook_secret', { shop_id: shopId, secret: 'short' });
    expect(tooShort.error).toMatchObject({ code: '22023', message: expect.stringMatching(/at least 16/) });
    const set = await cast.client('admin').rpc('set_shop_webhook_secret', { shop_id: shopId, secret: newSecret });
    expect(set.error).toBeNull();
    expect(await cast.sql('service_role', 'select public.shop_webhook_secret($1) as s', [shopDomain])).toEqual([
      { s: newSecret },
    ]);
    const audit = await adminSql<{ after: Record<string, unknown> }>(
      `select after from public.audit_log where table_name = 'shop_secrets' and row_id = $1 order by id desc limit 1`,
      [shopId],
    );
    expect(audit[0].after).toMatchObject({ shop_id: shopId });
    expect(JSON.stringify(audit)).not.toContain(newSecret);
  });

  it('an inactive shop has no secret to verify against', async () => {
    const inactive = await createShop({ active: false });
    const [{ domain }] = await adminSql<{ domain: string }>('select domain from public.shops where id = $1', [
      inactive,
    ]);
    await adminSql('select public.set_shop_webhook_secret($1, $2)', [inactive, 'x'.repeat(20)]);
    expect(await cast.sql('service_role', 'select public.shop_webhook_secret($1) as s', [domain])).toEqual([
      { s: null },
    ]);
  });
});

describe('exchange rates', () => {
  let cast: Cast;
  // Far in the past, so no other test file or the demo seed shares these days.
  const day = `1971-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
  let foreign: string;

  beforeAll(async () => {
    cast = await createCast('rates');
    ({ foreign } = await currencies());
    await adminSql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values ($1, $2, 0.5, 'test')
       on conflict (rate_date, currency) do update set rate_to_base = 0.5`,
      [day, foreign],
    );
  });
  afterAll(() => cast?.end());

  const seesRate = async (caller: Caller) => {
    const { data, error } = await cast
      .client(caller)
      .from('exchange_rates')
      .select('rate_to_base')
      .eq('rate_date', day)
      .eq('currency', foreign);
    expect(error).toBeNull();
    return (data ?? []).length === 1;
  };

  it.each([...TEAM, 'service_role'] as Caller[])('%s reads rates', async (caller) => {
    expect(await seesRate(caller)).toBe(true);
  });
  it.each(OUTSIDERS)('%s reads no rate', async (caller) => {
    expect(await seesRate(caller)).toBe(false);
  });
  it('anon is refused rates', async () => {
    await expect(cast.sql('anon', 'select 1 from public.exchange_rates limit 1')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('admins and the service role write rates; nobody else', async () => {
    const other = '1970-02-0' + (1 + Math.floor(Math.random() * 8));
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger'] as const) {
      const { error } = await cast
        .client(caller)
        .from('exchange_rates')
        .insert({ rate_date: other, currency: 'JPY', rate_to_base: 0.006 });
      expect(error?.code, caller).toBe('42501');
      const updated = await cast
        .client(caller)
        .from('exchange_rates')
        .update({ rate_to_base: 9 })
        .eq('rate_date', day)
        .eq('currency', foreign)
        .select('currency');
      expect(updated.data ?? [], caller).toEqual([]);
    }
    await adminSql('delete from public.exchange_rates where rate_date = $1 and currency in ($2, $3)', [
      other,
      'JPY',
      'CHF',
    ]);
    const byAdmin = await cast
      .client('admin')
      .from('exchange_rates')
      .insert({ rate_date: other, currency: 'JPY', rate_to_base: 0.006 });
    expect(byAdmin.error).toBeNull();
    const byService = await cast
      .client('service_role')
      .from('exchange_rates')
      .insert({ rate_date: other, currency: 'CHF', rate_to_base: 1.05, source: 'ecb' });
    expect(byService.error).toBeNull();
    const removed = await cast
      .client('admin')
      .from('exchange_rates')
      .delete()
      .eq('rate_date', other)
      .in('currency', ['JPY', 'CHF'])
      .select('currency');
    expect(removed.data).toHaveLength(2);
  });

  it.each([
    ['a zero rate', { rate_to_base: 0 }, '23514', /exchange_rates_rate_must_be_positive/],
    ['a negative rate', { rate_to_base: -1 }, '23514', /exchange_rates_rate_must_be_positive/],
    ['an unknown currency', { currency: 'XYZ' }, '23503', /currency/],
  ])('refuses %s', async (_, fields, code, mentions) => {
    const { error } = await cast
      .client('admin')
      .from('exchange_rates')
      .insert({ rate_date: '1970-03-01', currency: 'SEK', rate_to_base: 0.1, ...fields });
    expect(error?.code).toBe(code);
    expect(`${error?.message} ${error?.details}`).toMatch(mentions);
  });

  it('rate_on: the latest rate on or before the day, 1 for the base currency, an error when none', async () => {
    const { base } = await currencies();
    const later = day.replace(/^1971/, '1972');
    const [row] = await adminSql<{ on_day: string; later: string; base: string }>(
      `select private.rate_on($1, $2::date)::text as on_day, private.rate_on($1, $3::date)::text as later,
              private.rate_on($4, '1900-01-01')::text as base`,
      [foreign, day, later, base],
    );
    expect(Number(row.on_day)).toBe(0.5);
    expect(Number(row.base)).toBe(1);
    await expect(adminSql(`select private.rate_on('XPF', '1900-01-01')`)).rejects.toMatchObject({
      code: '22023',
      message: expect.stringMatching(/no exchange rate for XPF on or before 1900-01-01/),
    });
  });
});

describe('catalogue: products, variants, histories', () => {
  let cast: Cast;
  let active: { productId: string; variantId: string };
  let draft: { productId: string; variantId: string };

  beforeAll(async () => {
    cast = await createCast('catalogue');
    active = await createProduct({ status: 'active' });
    draft = await createProduct({ status: 'draft' });
  });
  afterAll(() => cast?.end());

  const visibleProducts = async (caller: Caller) => {
    const { data, error } = await cast
      .client(caller)
      .from('products')
      .select('id')
      .in('id', [active.productId, draft.productId]);
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.id as string).sort();
  };
  const visibleVariants = async (caller: Caller) => {
    const { data, error } = await cast
      .client(caller)
      .from('product_variants')
      .select('id')
      .in('id', [active.variantId, draft.variantId]);
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.id as string).sort();
  };

  it.each([...TEAM, 'service_role'] as Caller[])('%s reads the whole catalogue', async (caller) => {
    expect(await visibleProducts(caller)).toEqual([active.productId, draft.productId].sort());
    expect(await visibleVariants(caller)).toEqual([active.variantId, draft.variantId].sort());
  });

  it.each(['shopper', 'stranger', 'anon'] as Caller[])(
    '%s reads active products only (public catalogue)',
    async (caller) => {
      expect(await visibleProducts(caller)).toEqual([active.productId]);
      expect(await visibleVariants(caller)).toEqual([active.variantId]);
    },
  );

  it('the same rules hold in SQL as the role', async () => {
    const count = async (caller: Caller) =>
      (
        await cast.sql<{ n: number }>(caller, 'select count(*)::int as n from public.products where id = any($1)', [
          [active.productId, draft.productId],
        ])
      )[0].n;
    expect(await count('agent')).toBe(2);
    expect(await count('anon')).toBe(1);
    expect(await count('shopper')).toBe(1);
  });

  it('admins, managers and the service role write the catalogue; nobody else', async () => {
    for (const caller of ['agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { error } = await cast.client(caller).from('products').insert({ title: 'x', source: 'manual' });
      expect(error?.code, caller).toBe('42501');
      const variant = await cast
        .client(caller)
        .from('product_variants')
        .insert({ product_id: active.productId, price: 1, currency: 'EUR' });
      expect(variant.error?.code, caller).toBe('42501');
      const updated = await cast
        .client(caller)
        .from('product_variants')
        .update({ price: 1 })
        .eq('id', active.variantId)
        .select('id');
      expect(updated.data ?? [], caller).toEqual([]);
      const deleted = await cast.client(caller).from('products').delete().eq('id', active.productId).select('id');
      expect(deleted.data ?? [], caller).toEqual([]);
    }
    for (const caller of ['admin', 'manager', 'service_role'] as Caller[]) {
      const product = await cast
        .client(caller)
        .from('products')
        .insert({ title: `by ${caller}`, source: 'manual', status: 'draft' })
        .select('id')
        .single();
      expect(product.error, caller).toBeNull();
      const productId = (product.data as { id: string }).id;
      const variant = await cast
        .client(caller)
        .from('product_variants')
        .insert({ product_id: productId, price: 12.5, currency: 'EUR', inventory_quantity: 2 })
        .select('id')
        .single();
      expect(variant.error, caller).toBeNull();
      const edited = await cast
        .client(caller)
        .from('product_variants')
        .update({ price: 10 })
        .eq('id', (variant.data as { id: string }).id)
        .select('price');
      expect(edited.data, caller).toEqual([{ price: 10 }]);
      const removed = await cast.client(caller).from('products').delete().eq('id', productId).select('id');
      expect(removed.data, caller).toEqual([{ id: productId }]);
    }
  });

  it.each([
    ['a negative price', { price: -1 }, /product_variants_price_not_negative/],
    [
      'a negative compare-at price',
      { price: 1, compare_at_price: -5 },
      /product_variants_compare_at_price_not_negative/,
    ],
  ])('refuses %s', async (_, fields, mentions) => {
    const { error } = await cast
      .client('admin')
      .from('product_variants')
      .insert({ product_id: draft.productId, currency: 'EUR', ...fields });
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(mentions);
  });

  it('refuses a Shopify product without shop and id, and an affiliate product without a link', async () => {
    const shopify = await cast.client('admin').from('products').insert({ title: 'x', source: 'shopify' });
    expect(shopify.error?.message).toMatch(/products_shopify_needs_shop_and_id/);
    const affiliate = await cast.client('admin').from('products').insert({ title: 'x', source: 'affiliate' });
    expect(affiliate.error?.message).toMatch(/products_affiliate_needs_url/);
  });

  it('records every price and stock change, with who and where from', async () => {
    const { variantId } = await createProduct({ price: 50, inventory: 0 });
    await cast.client('manager').from('product_variants').update({ price: 40 }).eq('id', variantId);
    await cast.client('manager').from('product_variants').update({ inventory_quantity: 4 }).eq('id', variantId);
    await cast.client('manager').from('product_variants').update({ sku: 'unrelated' }).eq('id', variantId);
    const prices = await adminSql<{
      old_price: string | null;
      new_price: string;
      changed_by: string | null;
      source: string;
    }>('select old_price, new_price, changed_by, source from public.price_history where variant_id = $1 order by id', [
      variantId,
    ]);
    expect(prices).toEqual([
      { old_price: null, new_price: '50.00', changed_by: null, source: 'system' },
      { old_price: '50.00', new_price: '40.00', changed_by: cast.people.manager.userId, source: 'manual' },
    ]);
    const stock = await adminSql<{ old_quantity: number | null; new_quantity: number }>(
      'select old_quantity, new_quantity from public.stock_history where variant_id = $1 order by id',
      [variantId],
    );
    expect(stock).toEqual([
      { old_quantity: null, new_quantity: 0 },
      { old_quantity: 0, new_quantity: 4 },
    ]);
    await cast.sql(
      'service_role',
      `select set_config('cairn.change_source', 'shopify', true);
       update public.product_variants set price = 35 where id = '${variantId}'`,
    );
    const [last] = await adminSql<{ source: string }>(
      'select source from public.price_history where variant_id = $1 order by id desc limit 1',
      [variantId],
    );
    expect(last.source).toBe('shopify');
  });

  it('histories: the team reads them, nobody writes or edits them through the API', async () => {
    for (const table of ['price_history', 'stock_history']) {
      const mine = await cast.client('agent').from(table).select('id').eq('variant_id', active.variantId);
      expect(mine.data, table).toHaveLength(1);
      for (const caller of ['shopper', 'stranger'] as const) {
        const { data } = await cast.client(caller).from(table).select('id').eq('variant_id', active.variantId);
        expect(data, `${caller} ${table}`).toEqual([]);
      }
      await expect(cast.sql('anon', `select 1 from public.${table} limit 1`)).rejects.toMatchObject({ code: '42501' });
      const inserted = await cast
        .client('admin')
        .from(table)
        .insert(
          table === 'price_history'
            ? { variant_id: active.variantId, new_price: 1, currency: 'EUR', source: 'forged' }
            : { variant_id: active.variantId, new_quantity: 1, source: 'forged' },
        );
      expect(inserted.error?.code, table).toBe('42501');
      await expect(
        cast.sql('service_role', `update public.${table} set source = 'edited' where variant_id = $1`, [
          active.variantId,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        cast.sql('service_role', `delete from public.${table} where variant_id = $1`, [active.variantId]),
      ).rejects.toMatchObject({ code: '42501' });
    }
  });
});

describe('orders, line items and refunds', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;
  let agentsOrder: string;
  let agent2sOrder: string;
  let shoppersOrder: string;
  let guestOrder: string;
  let agentsItem: string;
  let agentsRefund: string;

  beforeAll(async () => {
    cast = await createCast('orders');
    agentsCustomer = await createCustomer(cast.people.agent.userId);
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    agentsOrder = await createOrder({ customerId: agentsCustomer, total: 80 });
    agent2sOrder = await createOrder({ customerId: agent2sCustomer, total: 60 });
    shoppersOrder = await createOrder({ customerId: cast.shopperCustomerId, total: 40 });
    guestOrder = await createOrder({ customerId: null, total: 20, shopId: await createShop() });
    [{ id: agentsItem }] = await adminSql<{ id: string }>(
      `insert into public.order_items (order_id, title, quantity, unit_price) values ($1, 'Dress', 2, 40) returning id`,
      [agentsOrder],
    );
    [{ id: agentsRefund }] = await adminSql<{ id: string }>(
      `insert into public.refunds (order_id, amount, reason) values ($1, 10, 'damaged') returning id`,
      [agentsOrder],
    );
  });
  afterAll(() => cast?.end());

  const allOrders = () => [agentsOrder, agent2sOrder, shoppersOrder, guestOrder];
  const visibleOrders = async (caller: Caller) => {
    const { data, error } = await cast.client(caller).from('orders').select('id').in('id', allOrders());
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.id as string).sort();
  };

  describe('select', () => {
    it.each(['admin', 'manager', 'readonly', 'service_role'] as Caller[])('%s reads every order', async (caller) => {
      expect(await visibleOrders(caller)).toEqual(allOrders().sort());
    });

    it("an agent reads only their customers' orders, items and refunds", async () => {
      expect(await visibleOrders('agent')).toEqual([agentsOrder, shoppersOrder].sort());
      expect(await visibleOrders('agent2')).toEqual([agent2sOrder]);
      const items = await cast.client('agent').from('order_items').select('id').eq('order_id', agentsOrder);
      expect(items.data).toEqual([{ id: agentsItem }]);
      const refunds = await cast.client('agent').from('refunds').select('id').eq('order_id', agentsOrder);
      expect(refunds.data).toEqual([{ id: agentsRefund }]);
      for (const table of ['order_items', 'refunds']) {
        const { data } = await cast.client('agent2').from(table).select('id').eq('order_id', agentsOrder);
        expect(data, table).toEqual([]);
      }
    });

    it('shoppers (even for their own orders) and strangers read no orders, items or refunds', async () => {
      for (const caller of OUTSIDERS) {
        expect(await visibleOrders(caller)).toEqual([]);
        for (const table of ['order_items', 'refunds']) {
          const { data } = await cast.client(caller).from(table).select('id').eq('order_id', agentsOrder);
          expect(data, `${caller} ${table}`).toEqual([]);
        }
      }
    });

    it('anon is refused orders, items and refunds', async () => {
      for (const table of ['orders', 'order_items', 'refunds']) {
        const { error } = await cast.client('anon').from(table).select('id').limit(1);
        expect(error, table).toMatchObject({ code: '42501' });
      }
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller, table: string, column: string) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            `select count(*)::int as n from public.${table} where ${column} = any($1)`,
            [allOrders()],
          )
        )[0].n;
      expect(await count('readonly', 'orders', 'id')).toBe(4);
      expect(await count('agent', 'orders', 'id')).toBe(2);
      expect(await count('agent2', 'order_items', 'order_id')).toBe(0);
      expect(await count('agent', 'order_items', 'order_id')).toBe(1);
      expect(await count('shopper', 'orders', 'id')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.orders limit 1')).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('insert, update, delete', () => {
    it('admins, managers and the service role add orders, items and refunds', async () => {
      for (const caller of ['admin', 'manager', 'service_role'] as Caller[]) {
        const order = await cast
          .client(caller)
          .from('orders')
          .insert({ customer_id: agentsCustomer, currency: 'EUR', exchange_rate: 1, total: 30 })
          .select('id, order_number, total_base')
          .single();
        expect(order.error, caller).toBeNull();
        expect(order.data).toMatchObject({ order_number: expect.stringMatching(/^M-\d{6,}$/), total_base: 30 });
        const orderId = (order.data as { id: string }).id;
        const item = await cast
          .client(caller)
          .from('order_items')
          .insert({ order_id: orderId, title: 'Scarf', quantity: 3, unit_price: 10 })
          .select('total, currency')
          .single();
        expect(item.data, caller).toEqual({ total: 30, currency: 'EUR' });
        const refund = await cast
          .client(caller)
          .from('refunds')
          .insert({ order_id: orderId, amount: 5 })
          .select('amount_base, currency')
          .single();
        expect(refund.data, caller).toEqual({ amount_base: 5, currency: 'EUR' });
      }
    });

    it.each(['agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[])(
      '%s cannot add orders, items or refunds (even for their own customer)',
      async (caller) => {
        const order = await cast
          .client(caller)
          .from('orders')
          .insert({
            customer_id: caller === 'shopper' ? cast.shopperCustomerId : agentsCustomer,
            currency: 'EUR',
            total: 1,
          });
        expect(order.error?.code).toBe('42501');
        const item = await cast
          .client(caller)
          .from('order_items')
          .insert({ order_id: agentsOrder, title: 'x', quantity: 1, unit_price: 1 });
        expect(item.error?.code).toBe('42501');
        const refund = await cast.client(caller).from('refunds').insert({ order_id: agentsOrder, amount: 1 });
        expect(refund.error?.code).toBe('42501');
      },
    );

    it('managers edit and remove orders; agents, readonly and outsiders change nothing', async () => {
      for (const caller of ['agent', 'readonly', 'shopper', 'stranger'] as const) {
        const updated = await cast
          .client(caller)
          .from('orders')
          .update({ tracking_number: 'HIJACK' })
          .eq('id', agentsOrder)
          .select('id');
        expect(updated.data ?? [], caller).toEqual([]);
        for (const table of ['orders', 'order_items', 'refunds']) {
          const deleted = await cast
            .client(caller)
            .from(table)
            .delete()
            .eq(table === 'orders' ? 'id' : 'order_id', agentsOrder)
            .select('id');
          expect(deleted.data ?? [], `${caller} ${table}`).toEqual([]);
        }
      }
      const [{ n }] = await adminSql<{ n: number }>(
        `select (select count(*) from public.order_items where order_id = $1)::int
              + (select count(*) from public.refunds where order_id = $1)::int as n`,
        [agentsOrder],
      );
      expect(n).toBe(2);
      const tracked = await cast
        .client('manager')
        .from('orders')
        .update({
          tracking_number: 'TRACK-1',
          tracking_url: 'https://track.example/1',
          fulfillment_status: 'fulfilled',
        })
        .eq('id', agentsOrder)
        .select('tracking_number');
      expect(tracked.data).toEqual([{ tracking_number: 'TRACK-1' }]);
      const doomed = await createOrder({ customerId: agentsCustomer });
      const removed = await cast.client('manager').from('orders').delete().eq('id', doomed).select('id');
      expect(removed.data).toEqual([{ id: doomed }]);
    });

    it('nobody writes the refund sums the database keeps, not even the service role', async () => {
      for (const caller of ['admin', 'service_role'] as Caller[]) {
        const { error } = await cast.client(caller).from('orders').update({ refunded_total: 0 }).eq('id', agentsOrder);
        expect(error?.code, caller).toBe('42501');
        const forged = await cast.client(caller).from('refunds').update({ amount_base: 0 }).eq('id', agentsRefund);
        expect(forged.error?.code, caller).toBe('42501');
      }
    });

    it('a customer with orders cannot be deleted (erasure anonymises instead)', async () => {
      const { error } = await cast.client('manager').from('customers').delete().eq('id', agentsCustomer);
      expect(error?.code).toBe('23503');
      expect(error?.message).toMatch(/orders/);
    });
  });

  describe('bad input is refused with a clear error', () => {
    it.each([
      ['a negative total', { total: -1 }, '23514', /an order total cannot be negative/],
      ['a negative tax', { total: 1, tax_total: -1 }, '23514', /orders_tax_total_not_negative/],
      ['a negative shipping', { total: 1, shipping_total: -0.01 }, '23514', /orders_shipping_total_not_negative/],
      ['a zero exchange rate', { total: 1, exchange_rate: 0 }, '23514', /orders_exchange_rate_must_be_positive/],
      ['an unknown currency', { total: 1, currency: 'ABC' }, '23503', /currency/],
      ['an unknown shipping country', { total: 1, shipping_country: 'XX' }, '23503', /shipping_country/],
      ['a Shopify order without shop', { total: 1, source: 'shopify' }, '23514', /orders_shopify_needs_shop_and_id/],
    ])('refuses %s', async (_, fields, code, mentions) => {
      const { error } = await cast
        .client('manager')
        .from('orders')
        .insert({ currency: 'EUR', exchange_rate: 1, ...fields });
      expect(error?.code).toBe(code);
      expect(`${error?.message} ${error?.details}`).toMatch(mentions);
    });

    it('refuses an order in a currency without a known rate for its day', async () => {
      const { error } = await cast
        .client('manager')
        .from('orders')
        .insert({ currency: 'XPF', total: 10, placed_at: '1900-01-01T12:00:00Z' });
      expect(error?.code).toBe('22023');
      expect(error?.message).toMatch(/no exchange rate for XPF on or before 1900-01-01/);
    });

    it('refuses negative refunds, refunds above the total, and items or refunds in another currency', async () => {
      const order = await createOrder({ total: 50 });
      const negative = await cast.client('manager').from('refunds').insert({ order_id: order, amount: -5 });
      expect(negative.error).toMatchObject({ code: '23514', message: 'a refund amount cannot be negative (-5.00)' });
      expect((await cast.client('manager').from('refunds').insert({ order_id: order, amount: 30 })).error).toBeNull();
      const tooMuch = await cast.client('manager').from('refunds').insert({ order_id: order, amount: 20.01 });
      expect(tooMuch.error).toMatchObject({
        code: '23514',
        message: expect.stringMatching(/refunds \(50\.01 EUR\) cannot exceed the order total \(50\.00 EUR\)/),
      });
      const otherCurrency = await cast
        .client('manager')
        .from('refunds')
        .insert({ order_id: order, amount: 1, currency: 'USD' });
      expect(otherCurrency.error?.message).toMatch(/a refund is in its order's currency \(EUR\), not USD/);
      const item = await cast
        .client('manager')
        .from('order_items')
        .insert({ order_id: order, title: 'x', quantity: 1, unit_price: 1, currency: 'USD' });
      expect(item.error?.message).toMatch(/a line item is in its order's currency/);
      const zeroQuantity = await cast
        .client('manager')
        .from('order_items')
        .insert({ order_id: order, title: 'x', quantity: 0, unit_price: 1 });
      expect(zeroQuantity.error?.message).toMatch(/order_items_quantity_positive/);
      const lowered = await cast.client('manager').from('orders').update({ total: 10 }).eq('id', order);
      expect(lowered.error?.message).toMatch(/cannot exceed the order total/);
    });

    it('refuses a second order with the same Shopify id or number in a shop', async () => {
      const shopId = await createShop();
      const externalId = uniqueExternalId();
      const first = {
        shop_id: shopId,
        external_id: externalId,
        order_number: '#1001',
        currency: 'EUR',
        exchange_rate: 1,
      };
      expect(
        (
          await cast
            .client('service_role')
            .from('orders')
            .insert({ ...first, total: 1 })
        ).error,
      ).toBeNull();
      const sameId = await cast
        .client('service_role')
        .from('orders')
        .insert({ ...first, order_number: '#1002', total: 1 });
      expect(sameId.error?.code).toBe('23505');
      const sameNumber = await cast
        .client('service_role')
        .from('orders')
        .insert({ ...first, external_id: externalId + 1, total: 1 });
      expect(sameNumber.error?.code).toBe('23505');
    });
  });

  it('writes an audit row for every order, item and refund change, with the actor', async () => {
    const created = await cast
      .client('manager')
      .from('orders')
      .insert({ customer_id: agentsCustomer, currency: 'EUR', exchange_rate: 1, total: 12 })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    await cast.client('manager').from('orders').update({ note: 'gift wrap' }).eq('id', id);
    const refund = await cast
      .client('manager')
      .from('refunds')
      .insert({ order_id: id, amount: 2 })
      .select('id')
      .single();
    await cast.client('manager').from('orders').delete().eq('id', id);
    const rows = await adminSql<{ table_name: string; action: string; actor_id: string }>(
      `select table_name, action, actor_id from public.audit_log
       where (table_name = 'orders' and row_id = $1) or (table_name = 'refunds' and row_id = $2) order by id`,
      [id, (refund.data as { id: string }).id],
    );
    // The refund's INSERT also updates the order (its refund sum); deleting the order deletes the refund.
    expect(rows.map((row) => `${row.table_name}:${row.action}`).sort()).toEqual(
      ['orders:INSERT', 'orders:UPDATE', 'refunds:INSERT', 'orders:UPDATE', 'orders:DELETE', 'refunds:DELETE'].sort(),
    );
    expect(rows.every((row) => row.actor_id === cast.people.manager.userId)).toBe(true);
  });

  it('audits every row of a many-row statement on orders and items: its own before and after, the actor, no owner', async () => {
    const manager = cast.client('manager');
    const created = await manager
      .from('orders')
      .insert([12, 13, 14].map((total) => ({ customer_id: agentsCustomer, currency: 'EUR', exchange_rate: 1, total })))
      .select('id');
    expect(created.error).toBeNull();
    const ids = (created.data ?? []).map((row) => row.id as string);
    const items = await manager
      .from('order_items')
      .insert(
        ids.flatMap((id) => [1, 2].map((quantity) => ({ order_id: id, title: 'Scarf', quantity, unit_price: 3 }))),
      )
      .select('id');
    expect(items.error).toBeNull();
    const itemIds = (items.data ?? []).map((row) => row.id as string);
    // One statement each: an update of two of the three orders, one of every item, then the deletes.
    expect((await manager.from('orders').update({ note: 'gift wrap' }).in('id', ids.slice(0, 2))).error).toBeNull();
    expect((await manager.from('order_items').update({ quantity: 5 }).in('id', itemIds)).error).toBeNull();
    expect((await manager.from('order_items').delete().in('id', itemIds.slice(0, 3))).error).toBeNull();
    expect((await manager.from('orders').delete().in('id', ids)).error).toBeNull();

    type Entry = {
      table_name: string;
      action: string;
      actor_id: string;
      row_id: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    };
    const entries = await adminSql<Entry>(
      `select table_name, action, actor_id, row_id, before, after from public.audit_log
       where table_name in ('orders', 'order_items') and row_id = any($1::text[]) order by id`,
      [[...ids, ...itemIds]],
    );
    const count = (table: string, action: string) =>
      entries.filter((e) => e.table_name === table && e.action === action).length;
    expect([
      count('orders', 'INSERT'),
      count('orders', 'UPDATE'),
      count('orders', 'DELETE'),
      count('order_items', 'INSERT'),
      count('order_items', 'UPDATE'),
      count('order_items', 'DELETE'),
    ]).toEqual([3, 2, 3, 6, 6, 6]);
    expect(entries.every((e) => e.actor_id === cast.people.manager.userId)).toBe(true);
    // Each row's entries chain: what one entry says the row became is what the next says it was.
    for (const id of [...ids, ...itemIds]) {
      const chain = entries.filter((e) => e.row_id === id);
      expect(chain[0].action).toBe('INSERT');
      expect(chain.at(-1)?.action).toBe('DELETE');
      for (let i = 1; i < chain.length; i++) expect(chain[i].before).toEqual(chain[i - 1].after);
      for (const e of chain) {
        expect((e.after ?? e.before)?.id).toBe(id);
        expect(Object.keys({ ...e.before, ...e.after })).not.toContain('customer_owner_id');
      }
    }
    const updated = entries.filter((e) => e.table_name === 'orders' && e.action === 'UPDATE');
    expect(updated.map((e) => e.row_id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(updated.every((e) => e.before?.note === null && e.after?.note === 'gift wrap')).toBe(true);
    const items5 = entries.filter((e) => e.table_name === 'order_items' && e.action === 'UPDATE');
    expect(items5.every((e) => e.before?.quantity !== 5 && e.after?.quantity === 5)).toBe(true);
  });
});
