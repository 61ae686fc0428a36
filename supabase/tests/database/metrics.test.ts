import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder, currencies, metricsOf } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/**
 * Customer metrics kept by the database from orders: lifetime value (base currency, net of
 * refunds), order count, AOV, first and last order, and the lifecycle advance, under every order
 * event. Orders are written through the API as a manager (who has no privilege on the metric
 * columns), so the triggers are proven to work for real callers.
 */
describe('customer metrics follow orders', () => {
  let cast: Cast;

  beforeAll(async () => {
    cast = await createCast('metrics');
  });
  afterAll(() => cast?.end());

  const placeOrder = async (fields: Record<string, unknown>) => {
    const { data, error } = await cast
      .client('manager')
      .from('orders')
      .insert({ currency: 'EUR', exchange_rate: 1, financial_status: 'paid', ...fields })
      .select('id')
      .single();
    expect(error).toBeNull();
    return (data as { id: string }).id;
  };
  const updateOrder = async (id: string, fields: Record<string, unknown>) => {
    const { error } = await cast.client('manager').from('orders').update(fields).eq('id', id);
    expect(error).toBeNull();
  };
  const refund = async (orderId: string, amount: number) => {
    const { data, error } = await cast
      .client('manager')
      .from('refunds')
      .insert({ order_id: orderId, amount })
      .select('id')
      .single();
    expect(error).toBeNull();
    return (data as { id: string }).id;
  };
  const ltvAndCount = async (customerId: string) => {
    const metrics = await metricsOf(customerId);
    return [Number(metrics.lifetime_value), metrics.order_count];
  };

  it('a paid order counts: lifetime value, order count, AOV, first and last order; prospect → customer', async () => {
    const customer = await createCustomer(cast.people.agent.userId);
    const placedAt = '2026-03-04T10:00:00Z';
    await placeOrder({ customer_id: customer, total: 120.5, placed_at: placedAt });
    const metrics = await metricsOf(customer);
    expect(metrics).toMatchObject({
      lifetime_value: '120.50',
      order_count: 1,
      average_order_value: '120.50',
      lifecycle_stage: 'customer',
    });
    expect(metrics.first_order_at?.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(metrics.last_order_at?.toISOString()).toBe('2026-03-04T10:00:00.000Z');
  });

  it('pending, authorized and voided orders do not count; pending → paid does', async () => {
    const customer = await createCustomer(null, { lifecycleStage: 'lead' });
    const pending = await placeOrder({ customer_id: customer, total: 50, financial_status: 'pending' });
    await placeOrder({ customer_id: customer, total: 70, financial_status: 'authorized' });
    await placeOrder({ customer_id: customer, total: 90, financial_status: 'voided' });
    expect(await metricsOf(customer)).toMatchObject({
      lifetime_value: '0.00',
      order_count: 0,
      average_order_value: '0.00',
      first_order_at: null,
      lifecycle_stage: 'lead',
    });
    await updateOrder(pending, { financial_status: 'paid' });
    expect(await metricsOf(customer)).toMatchObject({
      lifetime_value: '50.00',
      order_count: 1,
      lifecycle_stage: 'customer',
    });
  });

  it('a second paid order makes a repeat customer; AOV is the mean; first and last order span both', async () => {
    const customer = await createCustomer(null);
    await placeOrder({ customer_id: customer, total: 100, placed_at: '2026-01-01T00:00:00Z' });
    await placeOrder({
      customer_id: customer,
      total: 51,
      placed_at: '2026-02-01T00:00:00Z',
      financial_status: 'partially_paid',
    });
    const metrics = await metricsOf(customer);
    expect(metrics).toMatchObject({
      lifetime_value: '151.00',
      order_count: 2,
      average_order_value: '75.50',
      lifecycle_stage: 'repeat',
    });
    expect(metrics.first_order_at?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(metrics.last_order_at?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('cancelling takes an order out; the stage never moves back', async () => {
    const customer = await createCustomer(null);
    const first = await placeOrder({ customer_id: customer, total: 40, placed_at: '2026-01-01T00:00:00Z' });
    const second = await placeOrder({ customer_id: customer, total: 60, placed_at: '2026-01-02T00:00:00Z' });
    await updateOrder(second, { cancelled_at: new Date().toISOString(), cancel_reason: 'customer' });
    const metrics = await metricsOf(customer);
    expect(metrics).toMatchObject({ lifetime_value: '40.00', order_count: 1, lifecycle_stage: 'repeat' });
    expect(metrics.last_order_at?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    await updateOrder(first, { cancelled_at: new Date().toISOString() });
    expect(await metricsOf(customer)).toMatchObject({
      lifetime_value: '0.00',
      order_count: 0,
      first_order_at: null,
      last_order_at: null,
      lifecycle_stage: 'repeat',
    });
    await updateOrder(second, { cancelled_at: null });
    expect(await ltvAndCount(customer)).toEqual([60, 1]);
  });

  it('refunds: partial ones reduce lifetime value, a full one takes the order out, deleting one puts it back', async () => {
    const customer = await createCustomer(null);
    await placeOrder({ customer_id: customer, total: 30 });
    const order = await placeOrder({ customer_id: customer, total: 100 });
    const firstRefund = await refund(order, 25);
    expect(await ltvAndCount(customer)).toEqual([105, 2]);
    await updateOrder(order, { financial_status: 'partially_refunded' });
    expect(await ltvAndCount(customer)).toEqual([105, 2]);
    const secondRefund = await refund(order, 75);
    expect(await ltvAndCount(customer)).toEqual([30, 1]);
    expect((await metricsOf(customer)).average_order_value).toBe('30.00');

    const removed = await cast.client('manager').from('refunds').delete().eq('id', secondRefund).select('id');
    expect(removed.data).toHaveLength(1);
    expect(await ltvAndCount(customer)).toEqual([105, 2]);
    const edited = await cast
      .client('manager')
      .from('refunds')
      .update({ amount: 5 })
      .eq('id', firstRefund)
      .select('id');
    expect(edited.data).toHaveLength(1);
    expect(await ltvAndCount(customer)).toEqual([125, 2]);
    const [sums] = await adminSql<{ refunded_total: string; refunded_base: string }>(
      'select refunded_total, refunded_base from public.orders where id = $1',
      [order],
    );
    expect(sums).toEqual({ refunded_total: '5.00', refunded_base: '5.00' });
  });

  it('an order marked refunded no longer counts', async () => {
    const customer = await createCustomer(null);
    const order = await placeOrder({ customer_id: customer, total: 80 });
    await updateOrder(order, { financial_status: 'refunded' });
    expect(await ltvAndCount(customer)).toEqual([0, 0]);
  });

  it('editing the amount follows through to the base amount and lifetime value', async () => {
    const customer = await createCustomer(null);
    const order = await placeOrder({ customer_id: customer, total: 100, currency: 'GBP', exchange_rate: 1.2 });
    expect(await ltvAndCount(customer)).toEqual([120, 1]);
    await updateOrder(order, { total: 110 });
    expect(await ltvAndCount(customer)).toEqual([132, 1]);
    await updateOrder(order, { exchange_rate: 1.1 });
    expect(await ltvAndCount(customer)).toEqual([121, 1]);
    await updateOrder(order, { total: 200, total_base: 230 }); // a base amount given explicitly wins
    expect(await ltvAndCount(customer)).toEqual([230, 1]);
  });

  it('moving an order to another customer moves its metrics', async () => {
    const from = await createCustomer(null);
    const to = await createCustomer(null, { lifecycleStage: 'vip' });
    await placeOrder({ customer_id: from, total: 10, placed_at: '2026-01-01T00:00:00Z' });
    const moved = await placeOrder({ customer_id: from, total: 90, placed_at: '2026-05-01T00:00:00Z' });
    expect(await ltvAndCount(from)).toEqual([100, 2]);
    await updateOrder(moved, { customer_id: to });
    expect(await ltvAndCount(from)).toEqual([10, 1]);
    expect(await ltvAndCount(to)).toEqual([90, 1]);
    const fromMetrics = await metricsOf(from);
    expect(fromMetrics.last_order_at?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect((await metricsOf(to)).lifecycle_stage).toBe('vip'); // never downgraded
    await updateOrder(moved, { customer_id: null });
    expect(await ltvAndCount(to)).toEqual([0, 0]);
  });

  it('deleting an order removes it from the metrics', async () => {
    const customer = await createCustomer(null);
    await placeOrder({ customer_id: customer, total: 15 });
    const doomed = await placeOrder({ customer_id: customer, total: 35 });
    await refund(doomed, 5);
    expect(await ltvAndCount(customer)).toEqual([45, 2]);
    const { data } = await cast.client('manager').from('orders').delete().eq('id', doomed).select('id');
    expect(data).toHaveLength(1);
    expect(await ltvAndCount(customer)).toEqual([15, 1]);
  });

  it('changes that do not move a metric leave the customer row alone (no audit noise)', async () => {
    const customer = await createCustomer(null);
    const order = await placeOrder({ customer_id: customer, total: 15 });
    const before = await adminSql(
      'select count(*)::int as n from public.audit_log where table_name = $1 and row_id = $2',
      ['customers', customer],
    );
    await updateOrder(order, { tracking_number: 'T-1', fulfillment_status: 'fulfilled' });
    const after = await adminSql(
      'select count(*)::int as n from public.audit_log where table_name = $1 and row_id = $2',
      ['customers', customer],
    );
    expect(after).toEqual(before);
  });

  it('lifecycle: a lead becomes a customer, then repeat; vip, at-risk and churned stay where they are', async () => {
    const lead = await createCustomer(null, { lifecycleStage: 'lead' });
    await placeOrder({ customer_id: lead, total: 1 });
    expect((await metricsOf(lead)).lifecycle_stage).toBe('customer');
    await placeOrder({ customer_id: lead, total: 1 });
    expect((await metricsOf(lead)).lifecycle_stage).toBe('repeat');
    for (const stage of ['vip', 'at_risk', 'churned']) {
      const customer = await createCustomer(null, { lifecycleStage: stage });
      await placeOrder({ customer_id: customer, total: 1 });
      await placeOrder({ customer_id: customer, total: 1 });
      expect((await metricsOf(customer)).lifecycle_stage, stage).toBe(stage);
    }
  });

  it('nobody writes metrics directly, not even a manager', async () => {
    const customer = await createCustomer(null);
    const { error } = await cast
      .client('manager')
      .from('customers')
      .update({ lifetime_value: 1_000_000, order_count: 99 })
      .eq('id', customer);
    expect(error?.code).toBe('42501');
  });

  it('the service role can repair a customer by recomputing from scratch', async () => {
    const customer = await createCustomer(null);
    await placeOrder({ customer_id: customer, total: 42 });
    await adminSql('update public.customers set lifetime_value = 0, order_count = 0 where id = $1', [customer]);
    await cast.sql('service_role', 'select private.refresh_customer_metrics($1)', [[customer]]);
    expect(await ltvAndCount(customer)).toEqual([42, 1]);
    await expect(
      cast.sql('manager', 'select private.refresh_customer_metrics($1)', [[customer]]),
    ).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('multi-currency: base amounts from the exchange rate at order time', () => {
  let cast: Cast;
  let base: string;
  let foreign: string;
  // Days far in the past, so no other test file or the demo seed shares them.
  const year = 1960 + Math.floor(Math.random() * 9);
  const day1 = `${year}-04-01`;
  const day2 = `${year}-04-10`;

  beforeAll(async () => {
    cast = await createCast('currency');
    ({ base, foreign } = await currencies());
    await adminSql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source)
       values ($1, $3, 0.8, 'test'), ($2, $3, 0.9, 'test')
       on conflict (rate_date, currency) do update set rate_to_base = excluded.rate_to_base`,
      [day1, day2, foreign],
    );
  });
  afterAll(() => cast?.end());

  const insertOrder = async (fields: Record<string, unknown>) => {
    const { data, error } = await cast
      .client('service_role')
      .from('orders')
      .insert({ financial_status: 'paid', ...fields })
      .select('id, exchange_rate, total_base')
      .single();
    expect(error).toBeNull();
    return data as { id: string; exchange_rate: number; total_base: number };
  };

  it("uses the latest rate on or before the order's day, and 1 for the base currency", async () => {
    const customer = await createCustomer(null);
    const a = await insertOrder({
      customer_id: customer,
      currency: foreign,
      total: 100,
      placed_at: `${day1}T23:00:00Z`,
    });
    expect(a).toMatchObject({ exchange_rate: 0.8, total_base: 80 });
    const b = await insertOrder({
      customer_id: customer,
      currency: foreign,
      total: 100,
      placed_at: `${year}-04-15T08:00:00Z`,
    });
    expect(b).toMatchObject({ exchange_rate: 0.9, total_base: 90 });
    const c = await insertOrder({
      customer_id: customer,
      currency: base,
      total: 25.55,
      placed_at: `${day1}T08:00:00Z`,
    });
    expect(c).toMatchObject({ exchange_rate: 1, total_base: 25.55 });
    expect(await metricsOf(customer)).toMatchObject({
      lifetime_value: '195.55',
      order_count: 3,
      average_order_value: '65.18',
    });
  });

  it('an exchange rate given with the order wins, and total_base rounds to cents', async () => {
    const order = await insertOrder({
      currency: foreign,
      total: 10.01,
      exchange_rate: 0.123456,
      placed_at: `${day1}T00:00:00Z`,
    });
    expect(order).toMatchObject({ exchange_rate: 0.123456, total_base: 1.24 });
  });

  it('later rate changes never move recorded revenue', async () => {
    const customer = await createCustomer(null);
    const order = await insertOrder({
      customer_id: customer,
      currency: foreign,
      total: 200,
      placed_at: `${day2}T12:00:00Z`,
    });
    expect(order.total_base).toBe(180);
    await adminSql('update public.exchange_rates set rate_to_base = 2 where rate_date = $1 and currency = $2', [
      day2,
      foreign,
    ]);
    try {
      const [row] = await adminSql<{ total_base: string }>('select total_base from public.orders where id = $1', [
        order.id,
      ]);
      expect(row.total_base).toBe('180.00');
      expect((await metricsOf(customer)).lifetime_value).toBe('180.00');
    } finally {
      await adminSql('update public.exchange_rates set rate_to_base = 0.9 where rate_date = $1 and currency = $2', [
        day2,
        foreign,
      ]);
    }
  });

  it("refunds convert at the order's rate; a full refund in parts leaves no cent behind", async () => {
    const customer = await createCustomer(null);
    const order = await insertOrder({
      customer_id: customer,
      currency: foreign,
      total: 10.01,
      exchange_rate: 0.333,
      placed_at: `${day1}T00:00:00Z`,
    });
    expect(order.total_base).toBe(3.33);
    for (const amount of [3.33, 3.33, 3.35]) {
      const { error } = await cast.client('service_role').from('refunds').insert({ order_id: order.id, amount });
      expect(error).toBeNull();
    }
    const [row] = await adminSql<{ refunded_base: string; net_total_base: string }>(
      'select refunded_base, net_total_base from public.orders where id = $1',
      [order.id],
    );
    expect(row).toEqual({ refunded_base: '3.33', net_total_base: '0.00' });
    expect(await metricsOf(customer)).toMatchObject({ lifetime_value: '0.00', order_count: 0 });
  });

  it('changing the currency of an order looks the rate up again', async () => {
    const order = await insertOrder({ currency: base, total: 100, placed_at: `${day1}T10:00:00Z` });
    const { data } = await cast
      .client('service_role')
      .from('orders')
      .update({ currency: foreign })
      .eq('id', order.id)
      .select('exchange_rate, total_base')
      .single();
    expect(data).toEqual({ exchange_rate: 0.8, total_base: 80 });
  });
});

describe('metrics under concurrent orders for one customer', () => {
  it('two transactions adding orders at once both count', async () => {
    const customer = await createCustomer(null);
    const first = new pg.Client({ connectionString: config.adminDbUrl });
    const second = new pg.Client({ connectionString: config.adminDbUrl });
    await Promise.all([first.connect(), second.connect()]);
    try {
      const insert = `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status)
                      values ($1, 'EUR', 1, $2, 'paid')`;
      await first.query('begin');
      await second.query('begin');
      await first.query(insert, [customer, 10]);
      // Blocks on the customer row lock the first transaction holds until it commits.
      const secondInsert = second.query(insert, [customer, 32]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('commit');
      await secondInsert;
      await second.query('commit');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    expect(await metricsOf(customer)).toMatchObject({
      lifetime_value: '42.00',
      order_count: 2,
      lifecycle_stage: 'repeat',
    });
  });

  it('orders created in bulk (one statement, many customers) update every customer', async () => {
    const customers = await Promise.all([createCustomer(null), createCustomer(null), createCustomer(null)]);
    await createOrder({ customerId: customers[0], total: 1 });
    await adminSql(
      `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status)
       select c, 'EUR', 1, 10 * n, 'paid' from unnest($1::uuid[]) with ordinality as t (c, n), generate_series(1, 2)`,
      [customers],
    );
    const values = await Promise.all(customers.map(async (id) => (await metricsOf(id)).lifetime_value));
    expect(values).toEqual(['21.00', '40.00', '60.00']);
  });
});
