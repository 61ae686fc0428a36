/**
 * The orders list's indexes (migration 20261121080200) must be usable under row-level security,
 * where Postgres uses an index only for leakproof operators: the list finds orders by number
 * with equality and sorts by amount with a plain btree. Each query shape the app sends is
 * planned as a member would run it, with sequential scans priced out, and must reach its index.
 * The results themselves still follow the policies (an agent finds only their own orders).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder, uniqueTag } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Persona } from '../../../scripts/testing/support/team.ts';

/** The plan Postgres picks for `text` as `persona`, with sequential scans made a last resort. */
async function planAs(cast: Cast, persona: Persona, text: string, params: unknown[]): Promise<string> {
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    await db.query('begin');
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(cast.people[persona].claims)]);
    await db.query('set local role authenticated');
    await db.query('set local enable_seqscan = off');
    const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${text}`, params);
    return JSON.stringify(rows[0]['QUERY PLAN']);
  } finally {
    await db.query('rollback').catch(() => undefined);
    await db.end();
  }
}

describe('orders list indexes under RLS', () => {
  let cast: Cast;
  let agentsOrder: string;
  let othersNumber: string;
  let agentsNumber: string;

  beforeAll(async () => {
    cast = await createCast('orders-list');
    const tag = uniqueTag();
    agentsNumber = `#OL-${tag}-A`;
    othersNumber = `#OL-${tag}-B`;
    agentsOrder = await createOrder({ customerId: await createCustomer(cast.people.agent.userId), total: 40 });
    const othersOrder = await createOrder({ customerId: await createCustomer(cast.people.agent2.userId), total: 70 });
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [agentsOrder, agentsNumber]);
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [othersOrder, othersNumber]);
  });
  afterAll(() => cast?.end());

  for (const persona of ['manager', 'agent'] as const) {
    it(`finds an order by number through orders_order_number_idx (${persona})`, async () => {
      const plan = await planAs(
        cast,
        persona,
        `select id from public.orders
         where order_number = any($1) or customer_id = any($2::uuid[])
         order by placed_at desc, id desc limit 26`,
        [[agentsNumber, agentsNumber.slice(1)], []],
      );
      expect(plan).toContain('orders_order_number_idx');
    });

    it(`sorts and pages by amount through orders_total_base_idx (${persona})`, async () => {
      const first = await planAs(
        cast,
        persona,
        `select id from public.orders order by total_base desc, id desc limit 26`,
        [],
      );
      expect(first).toContain('orders_total_base_idx');
      const next = await planAs(
        cast,
        persona,
        `select id from public.orders
         where total_base < $1 or (total_base = $1 and id < $2)
         order by total_base desc, id desc limit 26`,
        [100, 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
      );
      expect(next).toContain('orders_total_base_idx');
      const ascending = await planAs(
        cast,
        persona,
        `select id from public.orders order by total_base, id limit 26`,
        [],
      );
      expect(ascending).toContain('orders_total_base_idx');
    });
  }

  it('still returns only what the policies allow: an agent finds their order by number, not another agent’s', async () => {
    const find = async (number: string) => {
      const { data, error } = await cast
        .client('agent')
        .from('orders')
        .select('id')
        .or(`order_number.in.("${number}")`);
      expect(error).toBeNull();
      return data;
    };
    expect(await find(agentsNumber)).toEqual([{ id: agentsOrder }]);
    expect(await find(othersNumber)).toEqual([]);
    const manager = await cast
      .client('manager')
      .from('orders')
      .select('order_number')
      .in('order_number', [othersNumber]);
    expect(manager.data).toEqual([{ order_number: othersNumber }]);
  });
});
