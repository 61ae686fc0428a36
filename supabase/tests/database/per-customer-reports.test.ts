import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { IN_RANGE, normal, RAW_REPORTS, type Row } from '../../../scripts/testing/support/reports.ts';

/**
 * The reports that need each customer of the range (migrations 20261210130000–130200): top
 * customers (summed only for the customers whose lifetime value or order count could still reach
 * the list), revenue by country and cohorts (each customer's purchases summed once) and a
 * segment's live count (the rule evaluated once). On a fixture in 2007 (a year no other data
 * reaches) — customers of two agents in three countries, orders shipped abroad, a guest order,
 * orders in three currencies at their own rates, a refund, orders a minute either side of a
 * month's end in Asia/Kathmandu (+5:45) — each report's rows equal the rows of the definitions
 * they replace, computed from the raw rows with the caller's owner filter, as the admin and as
 * each agent, in three zones. Top customers is also compared over all the database's data (where
 * the bounds cut the work) and with a customer whose metrics an import has not recomputed yet.
 */

const run = randomUUID().slice(0, 8);
const FROM = '2007-01-01';
const TO = '2007-12-31';
const ZONES = ['UTC', 'Asia/Kathmandu', 'Europe/Madrid'];
const CALLERS = ['admin', 'agent', 'agent2'] as const;

/** The definitions these migrations replace (20261207172000, 20261207172100), with $4 the agent (null: all). */
const RAW = {
  ...RAW_REPORTS,
  top: `
    select coalesce(jsonb_agg(to_jsonb(x) order by x.n), '[]') as rows from (
      select c.id as customer_id, c.full_name, c.email, c.country, t.orders, t.revenue, c.lifetime_value,
        row_number() over (order by case when $5 = 'orders' then t.orders::numeric else t.revenue end desc,
          case when $5 = 'orders' then t.revenue else t.orders::numeric end desc, c.id) as n
      from (
        select o.customer_id, count(*) as orders, sum(o.net_total_base) as revenue from public.orders o
        where o.counts_as_purchase and ${IN_RANGE('o.placed_at')} and o.customer_id is not null
          and ($4::uuid is null or o.customer_owner_id = $4::uuid)
        group by o.customer_id
      ) t
      join public.customers c on c.id = t.customer_id
      where $4::uuid is null or c.owner_id = $4::uuid
      order by n limit $6) x`,
};

describe('per-customer reports', () => {
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
    const [first, second, third, ...rest] = params;
    const [{ rows }] = await sql<{ rows: Row[] }>(RAW[query], [first, second, third, owner, ...rest]);
    return normal(rows);
  };

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
    cast = await createCast('per-customer-reports');
    const [{ base }] = await sql<{ base: string }>(`select base_currency as base from public.workspace_settings`);
    expect(base).toBe('EUR');
    await sql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values (current_date, 'USD', 0.5, 'test')
       on conflict (rate_date, currency) do nothing`,
    );
    const customer = async (key: string, owner: string, country: string) => {
      const [row] = await sql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, owner_id, country, created_at, style_interests)
         values ($1, $2, $3, $4, $5, '2007-01-01T00:00:00Z', array[$2]) returning id`,
        [key, run, `${key}-${run}@example.test`, owner, country],
      );
      ids[key] = row.id;
    };
    await customer('ada', cast.people.agent.userId, 'DE');
    await customer('bea', cast.people.agent.userId, 'FR');
    await customer('cai', cast.people.agent2.userId, 'ES');
    await customer('dev', cast.people.agent2.userId, 'DE');
    // [customer or null for a guest, currency, rate, total, placed_at, shipping country]
    const orders: Array<[string | null, string, number, number, string, string | null]> = [
      // Kathmandu's 31 January ends at 18:15 UTC: one order a minute either side.
      ['ada', 'EUR', 1, 100, '2007-01-31T18:14:00Z', null],
      ['ada', 'USD', 0.8, 50, '2007-01-31T18:16:00Z', 'PT'],
      ['bea', 'EUR', 1, 80, '2007-02-10T12:00:00Z', null],
      ['bea', 'JPY', 0.0071, 12000, '2007-03-05T09:00:00Z', null],
      ['cai', 'EUR', 1, 200, '2007-03-31T22:30:00Z', null],
      ['cai', 'USD', 0.77, 45.55, '2007-05-01T00:10:00Z', 'ES'],
      ['cai', 'EUR', 1, 10, '2007-08-15T10:00:00Z', 'PT'],
      ['dev', 'EUR', 1, 80, '2007-02-10T13:00:00Z', null],
      ['dev', 'USD', 0.81, 19.99, '2007-11-30T23:59:00Z', null],
      [null, 'EUR', 1, 33.33, '2007-06-01T08:00:00Z', 'FR'],
    ];
    for (const [who, currency, rate, total, placed, shipping] of orders) {
      const [order] = await sql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at, shipping_country)
         values ($1, $2, $3, $4, 'paid', $5, $6) returning id`,
        [who === null ? null : ids[who], currency, rate, total, placed, shipping],
      );
      ids[`order ${placed}`] = order.id;
    }
    // A partial refund of Bea's JPY order (in its own currency, at its own rate).
    await sql(
      `insert into public.refunds (order_id, amount, currency, amount_base) values ($1, 3000, 'JPY', round(3000 * 0.0071, 2))`,
      [ids['order 2007-03-05T09:00:00Z']],
    );
  });
  afterAll(async () => {
    // This run's rows go, so 2007 is empty again for the next run on a kept instance.
    await db
      ?.query(
        `delete from public.orders where id = any ($1::uuid[]) or customer_id in (select id from public.customers where last_name like $2)`,
        [
          Object.entries(ids)
            .filter(([key]) => key.startsWith('order '))
            .map(([, id]) => id),
          `${run}%`,
        ],
      )
      .then(() => db.query(`delete from public.customers where last_name like $1`, [`${run}%`]));
    await cast?.end();
    await db?.end();
  });

  it('revenue by country and cohorts equal the rows of the definitions they replace', async () => {
    let compared = 0;
    for (const caller of CALLERS) {
      for (const zone of ZONES) {
        const range = { from_day: FROM, to_day: TO, timezone: zone };
        const where = `${caller} ${zone}`;
        const country = normal(await report(caller, 'report_revenue_by_country', range));
        expect(country, where).toEqual(await raw('country', caller, [zone, FROM, TO]));
        const cohorts = normal(
          await report(caller, 'report_cohorts', { from_month: FROM, months: 12, timezone: zone }),
        );
        expect(cohorts, where).toEqual(await raw('cohorts', caller, [zone, FROM, TO]));
        compared += country.length + cohorts.length;
      }
    }
    expect(compared).toBeGreaterThan(40);
    // The fixture by hand, for the admin in UTC: Ada is counted in DE and (her USD order shipped
    // there) PT, Cai in ES and PT; the guest's order counts in FR with no customer.
    const byCountry = normal(await report('admin', 'report_revenue_by_country', { from_day: FROM, to_day: TO }));
    expect(byCountry.map((row) => [row.country, row.orders, row.customers])).toEqual([
      ['ES', 2, 1],
      ['DE', 3, 2],
      ['FR', 3, 1],
      ['PT', 2, 2],
    ]);
    // Kathmandu moves Ada's first order to February? No: 18:14 UTC is 23:59 on 31 January there,
    // and her second order (18:16 UTC) is on 1 February — one cohort, two active months.
    const kathmandu = normal(
      await report('agent', 'report_cohorts', { from_month: FROM, months: 12, timezone: 'Asia/Kathmandu' }),
    );
    expect(kathmandu.filter((row) => row.cohort === '2007-01-01')).toEqual([
      { cohort: '2007-01-01', cohort_customers: 1, month_offset: 0, active_customers: 1, retention: 1, revenue: 100 },
      { cohort: '2007-01-01', cohort_customers: 1, month_offset: 1, active_customers: 1, retention: 1, revenue: 40 },
    ]);
  });

  it('top customers equal the full ranking, whether the bounds stop early or not', async () => {
    // 120 more customers of agent2 with one order each in 2007 (1 … 120 EUR): more than the first
    // set of candidates (row_limit + 50), so ranking agent2's by revenue stops on the
    // bounds, and by orders (every bound is 1, as is the 5th count) has to widen the set.
    await sql(
      `with made as (
         insert into public.customers (first_name, last_name, email, owner_id, country)
         select 'bulk' || i, $1, 'bulk' || i || '-' || $1 || '@example.test', $2, 'DE' from generate_series(1, 120) i
         returning id, first_name
       )
       insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at)
       select m.id, 'EUR', 1, substr(m.first_name, 5)::int, 'paid', '2007-07-01T12:00:00Z'::timestamptz + substr(m.first_name, 5)::int * interval '1 minute'
       from made m`,
      [`${run}-bulk`, cast.people.agent2.userId],
    );
    for (const caller of CALLERS) {
      for (const rankBy of ['revenue', 'orders']) {
        for (const [zone, limit] of [
          ['Asia/Kathmandu', 1],
          ['UTC', 5],
          ['Europe/Madrid', 500],
        ] as const) {
          const args = { from_day: FROM, to_day: TO, timezone: zone, rank_by: rankBy, row_limit: limit };
          const rows = normal(await report(caller, 'report_top_customers', args));
          const expected = await raw('top', caller, [zone, FROM, TO, rankBy, limit]);
          expect(rows, `${caller} ${rankBy} ${zone} ${limit}`).toEqual(expected.map(({ n: _n, ...row }) => row));
          expect(rows.length).toBe(Math.min(limit, { admin: 124, agent: 2, agent2: 122 }[caller]));
        }
      }
    }
    const top = normal(await report('agent2', 'report_top_customers', { from_day: FROM, to_day: TO, row_limit: 3 }));
    expect(top.map((row) => [row.full_name, row.revenue])).toEqual([
      [`cai ${run}`, 245.07],
      [`bulk120 ${run}-bulk`, 120],
      [`bulk119 ${run}-bulk`, 119],
    ]);
  });

  it('top customers include a customer whose metrics an import has not recomputed yet', async () => {
    const [shop] = await sql<{ id: string }>(
      `insert into public.shops (name, domain, currency) values ('Queued metrics', $1, 'EUR') returning id`,
      [`queued-${run}.myshopify.com`],
    );
    const [job] = await sql<{ id: string }>(
      `insert into public.shop_imports (shop_id, status) values ($1, 'failed') returning id`,
      [shop.id],
    );
    const [eve] = await sql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email, owner_id, country)
       values ('eve', $1, $2, $3, 'DE') returning id`,
      [run, `eve-${run}@example.test`, cast.people.agent.userId],
    );
    // More orders and more revenue than anyone else in the database buys in these years (the
    // shared test database holds other files' customers too: customer-scores' whale spent 1.8 M).
    await sql(
      `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at)
       select $1, 'EUR', 1, 100000, 'paid', now() - interval '1 day' - i * interval '1 minute' from generate_series(1, 1000) i`,
      [eve.id],
    );
    const range = { from_day: '2022-01-01', to_day: new Date().toISOString().slice(0, 10), timezone: 'UTC' };
    try {
      // As an import leaves her while its chunks are applied: metrics not recomputed, queued.
      await sql(`update public.customers set lifetime_value = 0, order_count = 0 where id = $1`, [eve.id]);
      await sql(`insert into private.shop_import_pending_metrics (import_id, customer_id) values ($1, $2)`, [
        job.id,
        eve.id,
      ]);
      for (const caller of ['admin', 'agent'] as const) {
        for (const rankBy of ['revenue', 'orders']) {
          const rows = await report(caller, 'report_top_customers', { ...range, rank_by: rankBy, row_limit: 3 });
          expect(rows[0], `${caller} ${rankBy}`).toMatchObject({
            customer_id: eve.id,
            orders: 1000,
            revenue: 100000000,
            lifetime_value: 0,
          });
        }
      }
      expect(
        (await report('agent2', 'report_top_customers', { ...range, row_limit: 500 })).map((row) => row.customer_id),
      ).not.toContain(eve.id);
    } finally {
      await sql(`delete from public.orders where customer_id = $1`, [eve.id]);
      await sql(`delete from public.customers where id = $1`, [eve.id]);
      await sql(`delete from public.shops where id = $1`, [shop.id]);
    }
  });

  it('a live count and its sample are those of the rule, as each caller sees the customers', async () => {
    const rules = { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [run] }] };
    const expected: Record<string, string[]> = {
      admin: ['ada', 'bea', 'cai', 'dev'],
      agent: ['ada', 'bea'],
      agent2: ['cai', 'dev'],
    };
    for (const caller of CALLERS) {
      const { data, error } = await cast.client(caller).rpc('preview_segment', { rules, sample_size: 3 });
      expect(error).toBeNull();
      const preview = data as { count: number; sample: Array<{ id: string; lifetime_value: number }> };
      expect(preview.count, caller).toBe(expected[caller].length);
      const [{ sample }] = await sql<{ sample: string[] }>(
        `select array(select c.id from public.customers c where c.id = any ($1::uuid[])
           order by c.lifetime_value desc, c.id limit 3) as sample`,
        [expected[caller].map((key) => ids[key])],
      );
      expect(
        preview.sample.map((row) => row.id),
        caller,
      ).toEqual(sample);
    }
    const { data: none } = await cast.client('admin').rpc('preview_segment', { rules, sample_size: 0 });
    expect(none).toEqual({ count: 4, sample: [] });
  });
});
