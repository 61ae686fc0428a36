import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder, uniqueTag } from '../../../scripts/testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

interface FoundOrder {
  id: string;
  order_number: string;
  customer_id: string | null;
  customer_name: string | null;
}

/** Order numbers no other test file uses: a random 6-digit stem, so prefixes are ours alone. */
const stem = String(100_000 + Math.floor(Math.random() * 800_000));

describe('search_orders', () => {
  let cast: Cast;
  let agentsOrder: string;
  let agent2sOrder: string;
  let guestOrder: string;
  let longerOrder: string;

  async function withNumber(orderId: string, orderNumber: string): Promise<void> {
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [orderId, orderNumber]);
  }

  async function search(caller: Caller, query: string, limit?: number): Promise<FoundOrder[]> {
    const { data, error } = await cast
      .client(caller)
      .rpc('search_orders', { query, ...(limit ? { result_limit: limit } : {}) });
    if (error) throw error;
    return data as FoundOrder[];
  }

  beforeAll(async () => {
    cast = await createCast('order-search');
    const agentsCustomer = await createCustomer(cast.people.agent.userId);
    const agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    agentsOrder = await createOrder({ customerId: agentsCustomer });
    agent2sOrder = await createOrder({ customerId: agent2sCustomer });
    guestOrder = await createOrder({ customerId: null });
    longerOrder = await createOrder({ customerId: agentsCustomer });
    // Shopify's names start with "#"; a manual one may not.
    await withNumber(agentsOrder, `#${stem}1`);
    await withNumber(agent2sOrder, `#${stem}2`);
    await withNumber(guestOrder, `${stem}3`);
    await withNumber(longerOrder, `#${stem}10`);
  });
  afterAll(() => cast?.end());

  it('finds by number prefix with or without the leading #, the exact number first', async () => {
    const withHash = await search('admin', `#${stem}1`);
    expect(withHash.map((order) => order.id)).toEqual([agentsOrder, longerOrder]);
    const withoutHash = await search('admin', ` ${stem}1 `);
    expect(withoutHash.map((order) => order.id)).toEqual([agentsOrder, longerOrder]);
    expect(withHash[0]).toMatchObject({ order_number: `#${stem}1`, customer_name: expect.stringMatching(/^Test /) });
  });

  it('returns only the orders each caller may read, the same as the orders policy', async () => {
    const everyOrder = [agentsOrder, longerOrder, agent2sOrder, guestOrder].sort();
    for (const caller of ['admin', 'manager', 'readonly'] as const) {
      expect((await search(caller, stem)).map((order) => order.id).sort()).toEqual(everyOrder);
    }
    // Agents see their customers' orders only; a guest checkout has no owner, so no agent sees it.
    expect((await search('agent', stem)).map((order) => order.id).sort()).toEqual([agentsOrder, longerOrder].sort());
    expect((await search('agent2', stem)).map((order) => order.id)).toEqual([agent2sOrder]);
    expect(await search('stranger', stem)).toEqual([]);
    expect(await search('shopper', stem)).toEqual([]);

    // What search finds is exactly what the REST API lets the same caller read.
    for (const caller of ['manager', 'agent', 'agent2'] as const) {
      const found = (await search(caller, stem)).map((order) => order.id).sort();
      const readable = await cast.sql<{ id: string }>(
        caller,
        `select id from public.orders where ltrim(order_number, '#') like $1 || '%' order by id`,
        [stem],
      );
      expect(found).toEqual(readable.map((row) => row.id));
    }
  });

  it('is not open to anonymous callers', async () => {
    const { error } = await cast.client('anon').rpc('search_orders', { query: stem });
    expect(error?.code).toBe('42501');
  });

  it('takes the limit, and refuses an empty query or a limit out of range', async () => {
    expect(await search('admin', stem, 1)).toHaveLength(1);
    for (const [query, limit] of [
      ['#', 10],
      ['  ', 10],
      [stem, 0],
      [stem, 51],
    ] as const) {
      const { error } = await cast.client('admin').rpc('search_orders', { query, result_limit: limit });
      expect(error?.code).toBe('22023');
    }
  });

  it('refuses a query longer than 200 characters with a clear message (review L-6)', async () => {
    const { error } = await cast.client('admin').rpc('search_orders', { query: '1'.repeat(201) });
    expect(error).toMatchObject({ code: '22023', message: 'search is limited to 200 characters' });
    expect((await cast.client('admin').rpc('search_orders', { query: '1'.repeat(200) })).error).toBeNull();
  });

  it('uses the number index rather than reading every order', async () => {
    const plan = await adminSql<{ 'QUERY PLAN': string }>(
      `explain (format text)
       select id from public.orders
       where (lower(ltrim(order_number, '#')) collate "C") >= $1
         and (lower(ltrim(order_number, '#')) collate "C") < $1 || chr(1114111)
       order by (lower(ltrim(order_number, '#')) collate "C") limit 10`,
      [uniqueTag()],
    );
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('orders_order_number_search_idx');
  });
});
