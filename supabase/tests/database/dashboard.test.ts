import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder } from '../../../scripts/testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/**
 * The dashboard's read models as the web app calls them: days and months are the viewer's
 * (Europe/Berlin here), and an agent's figures cover only the agent's customers.
 */
describe('dashboard read models in the viewer’s time zone', () => {
  let cast: Cast;
  /** 23:30 UTC on the day before the first of this month (Berlin): the 1st in Berlin, last month in UTC. */
  let boundaryAt: string;
  let boundaryDay: string;

  interface Kpis {
    customers: number;
    orders_this_month: number;
    orders_last_month: number;
    revenue_this_month: number;
    revenue_last_month: number;
  }

  const kpis = async (caller: 'admin' | 'agent' | 'agent2', timezone: string): Promise<Kpis> => {
    const { data, error } = await cast.client(caller).rpc('dashboard_kpis', { timezone }).single();
    if (error) throw error;
    return data as Kpis;
  };

  beforeAll(async () => {
    cast = await createCast('dashboard');
    const [times] = await adminSql<{ boundary: Date; day: string }>(
      `select ((date_trunc('month', now() at time zone 'Europe/Berlin'))::date - 1 + time '23:30') at time zone 'UTC' as boundary,
              to_char(date_trunc('month', now() at time zone 'Europe/Berlin'), 'YYYY-MM-DD') as day`,
    );
    boundaryAt = times.boundary.toISOString();
    boundaryDay = times.day;
    const agentsCustomer = await createCustomer(cast.people.agent.userId);
    await createOrder({ customerId: agentsCustomer, total: 80, placedAt: boundaryAt });
  });
  afterAll(() => cast?.end());

  it('counts an order at 23:30 UTC in the next month for a viewer in Berlin, and in its own month in UTC', async () => {
    expect(boundaryAt).toMatch(/T23:30:00\.000Z$/);
    const berlin = await kpis('agent', 'Europe/Berlin');
    const utc = await kpis('agent', 'UTC');
    // The agent's only order: this month in Berlin, last month in UTC.
    expect(berlin).toMatchObject({ orders_this_month: 1, orders_last_month: 0, revenue_this_month: 80 });
    expect(utc).toMatchObject({ orders_this_month: 0, orders_last_month: 1, revenue_last_month: 80 });
  });

  it('puts the same order on the next day of the revenue series in Berlin', async () => {
    const series = async (timezone: string) => {
      const utcDay = boundaryAt.slice(0, 10);
      const { data, error } = await cast
        .client('agent')
        .rpc('revenue_by_day', { from_date: utcDay, to_date: boundaryDay, timezone });
      if (error) throw error;
      return (data as Array<{ day: string; revenue: number; orders: number }>).filter((row) => row.orders > 0);
    };
    expect(await series('Europe/Berlin')).toEqual([{ day: boundaryDay, revenue: 80, orders: 1 }]);
    expect(await series('UTC')).toEqual([{ day: boundaryAt.slice(0, 10), revenue: 80, orders: 1 }]);
  });

  it("gives each agent only their own customers' figures, and an admin everyone's", async () => {
    const agent = await kpis('agent', 'Europe/Berlin');
    const agent2 = await kpis('agent2', 'Europe/Berlin');
    const admin = await kpis('admin', 'Europe/Berlin');
    const [owned] = await adminSql<{ agent: number; all: number }>(
      `select count(*) filter (where owner_id = $1)::int as agent, count(*)::int as "all" from public.customers`,
      [cast.people.agent.userId],
    );
    // The agent owns the fixture customer and the cast's shopper.
    expect(agent.customers).toBe(owned.agent);
    expect(agent2).toMatchObject({ customers: 0, orders_this_month: 0, revenue_this_month: 0 });
    expect(admin.customers).toBe(owned.all);
    expect(admin.orders_this_month).toBeGreaterThanOrEqual(agent.orders_this_month);
  });
});
