import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller, type Persona } from '../../../scripts/testing/support/team.ts';
import { normal, RAW_REPORTS as RAW, type Row } from '../../../scripts/testing/support/reports.ts';

/**
 * Revenue by country and cohorts read each customer's purchase arrays (20261211110000:
 * private.customer_country_purchases / customer_purchases, kept by a dirty list and a fold).
 * On a fixture in 2006 (a year no other data reaches) — customers of two agents in three
 * countries, a guest order, orders shipped abroad, three currencies (one, NZD, with a rate of
 * today that the test changes), a refund, orders a minute either side of month ends in
 * Asia/Kathmandu (+5:45) and America/New_York — both reports' rows equal the rows of the
 * definitions of 20261210130100 computed from the raw rows with the caller's owner filter, as the
 * admin and each agent, in four zones, for a year, a part of a year and 24 months: before the
 * fold (every fixture customer dirty: read from the orders), after it (read from the arrays), and
 * after a refund, a reassignment, a country change, a moved order, a deleted order and a new rate
 * of today, both unfolded and folded again. A range whose bounds are not on a UTC quarter-hour
 * (Madrid's local mean time in 1890) still answers, from the orders.
 */

const run = randomUUID().slice(0, 8);
const ZONES = ['UTC', 'Asia/Kathmandu', 'Europe/Madrid', 'America/New_York'];
const CALLERS = ['admin', 'agent', 'agent2'] as const;

/** [from_day, to_day] of revenue by country; [from_month, months, last day] of cohorts. */
const COUNTRY_RANGES: Array<[string, string]> = [
  ['2006-01-01', '2006-12-31'],
  ['2006-02-01', '2006-03-31'],
];
const COHORT_RANGES: Array<[string, number, string]> = [
  ['2006-01-01', 12, '2006-12-31'],
  ['2005-06-01', 24, '2007-05-31'],
];

describe('revenue by country and cohorts from each customer\u2019s purchase arrays', () => {
  let cast: Cast;
  let db: pg.Pool;
  const ids: Record<string, string> = {};

  const sql = async <T extends pg.QueryResultRow = Row>(text: string, params: unknown[] = []) =>
    (await db.query<T>(text, params)).rows;
  const report = async (caller: Caller, fn: string, args: Row) => {
    const { data, error } = await cast.client(caller).rpc(fn, args);
    if (error) throw error;
    return data as Row[];
  };
  const raw = async (query: keyof typeof RAW, caller: (typeof CALLERS)[number], params: unknown[]) => {
    const owner = caller === 'admin' ? null : cast.people[caller].userId;
    const [{ rows }] = await sql<{ rows: Row[] }>(RAW[query], [...params, owner]);
    return normal(rows);
  };
  const fixtureCustomers = () => ['ada', 'bea', 'cai', 'dev'].map((key) => ids[key]);

  /** Every report of the fixture, every caller, every zone, against the raw rows; how many rows. */
  const compareAll = async (when: string) => {
    let compared = 0;
    for (const caller of CALLERS) {
      for (const zone of ZONES) {
        for (const [from, to] of COUNTRY_RANGES) {
          const rows = normal(
            await report(caller, 'report_revenue_by_country', { from_day: from, to_day: to, timezone: zone }),
          );
          expect(rows, `${when}: country ${caller} ${zone} ${from}`).toEqual(
            await raw('country', caller, [zone, from, to]),
          );
          compared += rows.length;
        }
        for (const [from, months, last] of COHORT_RANGES) {
          const rows = normal(await report(caller, 'report_cohorts', { from_month: from, months, timezone: zone }));
          expect(rows, `${when}: cohorts ${caller} ${zone} ${from}`).toEqual(
            await raw('cohorts', caller, [zone, from, last]),
          );
          compared += rows.length;
        }
      }
    }
    return compared;
  };

  /** Folds until none of the fixture's customers is dirty or folded at an old rate. */
  const foldFixture = async () => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      await sql(`select private.fold_customer_purchases(100000)`);
      const [{ left }] = await sql<{ left: number }>(
        `select (select count(*) from private.customer_purchases_dirty where customer_id = any($1::uuid[]))
              + (select count(*) from private.customer_country_purchases s
                 left join private.todays_rates() t on t.currency = s.currency
                 where s.customer_id = any($1::uuid[]) and s.currency <> 'EUR' and s.today_rate is distinct from t.rate_to_base)
              as left`,
        [fixtureCustomers()],
      );
      if (Number(left) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250)); // the scheduled fold holds the lock
    }
    throw new Error('the fixture was not folded');
  };
  const dirtyFixture = async () =>
    Number(
      (
        await sql<{ n: number }>(
          `select count(distinct customer_id) as n from private.customer_purchases_dirty where customer_id = any($1::uuid[])`,
          [fixtureCustomers()],
        )
      )[0].n,
    );

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
    cast = await createCast('customer-purchases');
    const [{ base }] = await sql<{ base: string }>(`select base_currency as base from public.workspace_settings`);
    expect(base).toBe('EUR');
    await sql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values (current_date, 'NZD', 0.55, 'test')
       on conflict (rate_date, currency) do update set rate_to_base = 0.55`,
    );
    const customer = async (key: string, owner: string, country: string) => {
      const [row] = await sql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, owner_id, country, created_at)
         values ($1, $2, $3, $4, $5, '2005-01-01T00:00:00Z') returning id`,
        [key, run, `${key}-${run}@example.test`, owner, country],
      );
      ids[key] = row.id;
    };
    await customer('ada', cast.people.agent.userId, 'DE');
    await customer('bea', cast.people.agent.userId, 'FR');
    await customer('cai', cast.people.agent2.userId, 'ES');
    await customer('dev', cast.people.agent2.userId, 'DE');
    // [key, customer or null for a guest, currency, rate, total, placed_at, shipping country]
    const orders: Array<[string, string | null, string, number, number, string, string | null]> = [
      // Kathmandu's 31 January ends at 18:15 UTC: one order a minute either side.
      ['a1', 'ada', 'EUR', 1, 100, '2006-01-31T18:14:00Z', null],
      ['a2', 'ada', 'NZD', 0.5, 50, '2006-01-31T18:16:00Z', 'PT'],
      ['a3', 'ada', 'NZD', 0.52, 70.35, '2006-03-31T12:00:00Z', null],
      ['a4', 'ada', 'EUR', 1, 12.5, '2006-12-31T23:30:00Z', null],
      // Exactly on local midnights: Kathmandu's 1 March, UTC's 1 February and 1 January 2007
      // (the first instant after the UTC year), Madrid's 1 April (22:00 UTC).
      ['a5', 'ada', 'EUR', 1, 7, '2006-02-28T18:15:00Z', null],
      ['a6', 'ada', 'EUR', 1, 8, '2006-02-01T00:00:00Z', null],
      ['a7', 'ada', 'EUR', 1, 9, '2007-01-01T00:00:00Z', null],
      ['b4', 'bea', 'EUR', 1, 11, '2006-03-31T22:00:00Z', null],
      ['b1', 'bea', 'EUR', 1, 80, '2006-02-10T12:00:00Z', null],
      ['b2', 'bea', 'JPY', 0.0071, 12000, '2006-03-05T09:00:00Z', null],
      ['b3', 'bea', 'EUR', 1, 20, '2006-03-05T09:05:00Z', null],
      // New York's 28 February ends at 05:00 UTC on 1 March.
      ['c1', 'cai', 'EUR', 1, 200, '2006-03-01T04:59:00Z', null],
      ['c2', 'cai', 'NZD', 0.51, 45.55, '2006-03-01T05:01:00Z', 'ES'],
      ['c3', 'cai', 'EUR', 1, 10, '2006-08-15T10:00:00Z', 'PT'],
      ['c4', 'cai', 'EUR', 1, 33, '2007-02-01T10:00:00Z', null],
      ['d1', 'dev', 'EUR', 1, 80, '2005-11-10T13:00:00Z', null],
      ['d2', 'dev', 'NZD', 0.53, 19.99, '2006-11-30T23:59:00Z', null],
      ['d3', 'dev', 'EUR', 1, 5, '2006-04-01T00:01:00Z', null],
      ['g1', null, 'EUR', 1, 33.33, '2006-06-01T08:00:00Z', 'FR'],
      ['g2', null, 'NZD', 0.5, 8, '2006-03-31T18:20:00Z', 'DE'],
    ];
    for (const [key, who, currency, rate, total, placed, shipping] of orders) {
      const [order] = await sql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at, shipping_country)
         values ($1, $2, $3, $4, 'paid', $5, $6) returning id`,
        [who === null ? null : ids[who], currency, rate, total, placed, shipping],
      );
      ids[key] = order.id;
    }
    // A partial refund of Bea's JPY order (in its own currency, at its own rate).
    await sql(
      `insert into public.refunds (order_id, amount, currency, amount_base) values ($1, 3000, 'JPY', round(3000 * 0.0071, 2))`,
      [ids.b2],
    );
  });
  afterAll(async () => {
    await db
      ?.query(
        `delete from public.orders where id = any ($1::uuid[]) or customer_id in (select id from public.customers where last_name = $2)`,
        [['g1', 'g2'].map((key) => ids[key]).filter(Boolean), run],
      )
      .then(() => db.query(`delete from public.customers where last_name = $1`, [run]))
      .then(() => db.query(`delete from public.exchange_rates where currency = 'NZD' and source = 'test'`));
    await cast?.end();
    await db?.end();
  });

  it('equal the raw rows unfolded, folded, and after each kind of change', async () => {
    // Unfolded: every fixture customer is dirty, so both reports read them from the orders.
    expect(await dirtyFixture()).toBe(4);
    expect(await compareAll('unfolded')).toBeGreaterThan(60);

    // Folded: the arrays hold each customer's purchases, one element per order.
    await foldFixture();
    expect(await dirtyFixture()).toBe(0);
    const kept = await sql<{
      key: string;
      country: string;
      currency: string;
      quarter_hours: number[];
      revenue_before: string[];
    }>(
      `select c.first_name as key, s.country, s.currency, s.quarter_hours, s.revenue_before
       from private.customer_country_purchases s join public.customers c on c.id = s.customer_id
       where s.customer_id = any($1::uuid[]) order by 1, 2, 3`,
      [fixtureCustomers()],
    );
    expect(kept.map((row) => [row.key, row.country, row.currency, row.quarter_hours.length])).toEqual([
      ['ada', 'DE', 'EUR', 5],
      ['ada', 'DE', 'NZD', 1],
      ['ada', 'PT', 'NZD', 1],
      ['bea', 'FR', 'EUR', 3],
      ['bea', 'FR', 'JPY', 1],
      ['cai', 'ES', 'EUR', 2],
      ['cai', 'ES', 'NZD', 1],
      ['cai', 'PT', 'EUR', 1],
      ['dev', 'DE', 'EUR', 2],
      ['dev', 'DE', 'NZD', 1],
    ]);
    // Running sums in cents.
    expect(kept.filter((row) => row.key === 'ada' && row.currency === 'EUR')[0].revenue_before.map(Number)).toEqual([
      0, 10000, 10800, 11500, 12750, 13650,
    ]);
    expect(await compareAll('folded')).toBeGreaterThan(60);
    // By hand, the admin in UTC for 2006: Ada counts in DE and PT (her NZD order shipped
    // there), Cai in ES and PT; the guests' orders count in FR and DE without a customer.
    const byCountry = normal(
      await report('admin', 'report_revenue_by_country', { from_day: '2006-01-01', to_day: '2006-12-31' }),
    ).filter((row) => ['DE', 'ES', 'FR', 'PT'].includes(String(row.country)));
    expect(byCountry.map((row) => [row.country, row.orders, row.customers])).toEqual(
      expect.arrayContaining([
        ['PT', 2, 2],
        ['ES', 2, 1],
      ]),
    );

    // Changes, compared before the fold (the changed customers read from the orders) and after.
    await sql(`insert into public.refunds (order_id, amount, currency, amount_base) values ($1, 10, 'EUR', 10)`, [
      ids.c1,
    ]);
    await sql(`update public.customers set owner_id = $1 where id = $2`, [cast.people.agent2.userId, ids.ada]);
    await sql(`update public.customers set country = 'BE' where id = $1`, [ids.bea]);
    await sql(`update public.orders set placed_at = '2006-05-31T18:14:00Z' where id = $1`, [ids.d3]);
    await sql(`delete from public.orders where id = $1`, [ids.b3]);
    expect(await dirtyFixture()).toBe(4);
    expect(await compareAll('changed, unfolded')).toBeGreaterThan(60);
    await foldFixture();
    expect(await compareAll('changed, folded')).toBeGreaterThan(60);

    // A new rate of today: the NZD rows were folded at 0.55, so they are read from the orders
    // until refolded (no customer is dirty), then from the arrays again.
    await sql(
      `update public.exchange_rates set rate_to_base = 0.6 where currency = 'NZD' and rate_date = current_date`,
    );
    expect(await dirtyFixture()).toBe(0);
    const [{ stale }] = await sql<{ stale: number }>(
      `select count(*) as stale from private.customer_country_purchases
       where customer_id = any($1::uuid[]) and currency = 'NZD' and today_rate <> 0.6`,
      [fixtureCustomers()],
    );
    expect(Number(stale)).toBe(4);
    expect(await compareAll('new rate, unfolded')).toBeGreaterThan(60);
    await foldFixture();
    expect(await compareAll('new rate, folded')).toBeGreaterThan(60);
  });

  it('the readers give a caller only their own reach, and the arrays are not readable', async () => {
    await foldFixture();
    /** `text` run in SQL as `persona` (the API's role and claims), in a transaction rolled back. */
    const as = async (persona: Persona, text: string, params: unknown[]) => {
      const client = new pg.Client({ connectionString: config.adminDbUrl });
      await client.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify(cast.people[persona].claims),
        ]);
        await client.query('set local role authenticated');
        return (await client.query(text, params)).rows;
      } finally {
        await client.query('rollback').catch(() => undefined);
        await client.end();
      }
    };
    const range = [`2006-01-01T00:00:00Z`, `2007-01-01T00:00:00Z`];
    const countries = `select country, customers::int from private.country_purchases_in_range($1, $2, $3) order by 1`;
    const agent = cast.people.agent.userId;
    const agent2 = cast.people.agent2.userId;
    // Everyone's rows for the admin; an agent's own with their own id; nothing for an agent who
    // asks for every customer or for another agent's. (Ada moved to agent2 in the test above:
    // agent keeps Bea, now in Belgium; 2006 holds only this fixture.)
    const all = await as('admin', countries, [...range, null]);
    expect(all.reduce((sum, row) => sum + Number(row.customers), 0)).toBeGreaterThanOrEqual(4);
    expect(await as('agent', countries, [...range, agent])).toEqual([{ country: 'BE', customers: 1 }]);
    expect(await as('agent2', countries, [...range, agent2])).toEqual([
      { country: 'DE', customers: 2 },
      { country: 'ES', customers: 1 },
      { country: 'PT', customers: 2 },
    ]);
    expect(await as('agent', countries, [...range, null])).toEqual([]);
    expect(await as('agent', countries, [...range, agent2])).toEqual([]);
    const cohorts = `select * from private.cohort_activity($1, $2, 'UTC', '2006-01-01', 12, $3)`;
    expect((await as('agent2', cohorts, [...range, agent2])).length).toBeGreaterThan(0);
    expect(await as('agent', cohorts, [...range, null])).toEqual([]);
    await expect(as('admin', 'select count(*) from private.customer_country_purchases', [])).rejects.toThrow(
      /permission denied/,
    );
    await expect(as('admin', 'select private.fold_customer_purchases(1)', [])).rejects.toThrow(/permission denied/);
  });

  it('a range whose bounds are not on a UTC quarter-hour is read from the orders', async () => {
    // Madrid kept local mean time (−0:14:44) until 1901: its midnights were not on quarter-hours.
    const [order] = await sql<{ id: string }>(
      `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at)
       values ($1, 'EUR', 1, 42, 'paid', '1890-03-10T10:00:00Z') returning id`,
      [ids.cai],
    );
    try {
      await foldFixture();
      for (const caller of CALLERS) {
        const rows = normal(
          await report(caller, 'report_revenue_by_country', {
            from_day: '1890-01-01',
            to_day: '1890-12-31',
            timezone: 'Europe/Madrid',
          }),
        );
        expect(rows, caller).toEqual(await raw('country', caller, ['Europe/Madrid', '1890-01-01', '1890-12-31']));
        expect(rows.length, caller).toBe(caller === 'agent' ? 0 : 1);
      }
    } finally {
      await sql(`delete from public.orders where id = $1`, [order.id]);
    }
  });
});
