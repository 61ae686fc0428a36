import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { normal, type Row } from '../../../scripts/testing/support/reports.ts';

/**
 * The sales summaries (migrations 20261209120000 and 120100): revenue by period, seasonality and
 * product/brand performance read quarter-hour and day summaries kept by statement triggers and
 * folded by private.fold_sales_summaries. On a fixture in 2009 (a year no other data reaches) with
 * orders a minute either side of local midnights in zones offset by :45 (Asia/Kathmandu +5:45,
 * Australia/Eucla +8:45) and on New York's DST days, orders in three currencies at their own
 * rates, a refund, favourites of an out-of-stock variant and customers of two agents, every
 * report's rows equal the same numbers computed from the raw rows — as the admin and as each
 * agent (restricted to their customers), with the writes not yet folded and folded, and again
 * after a refund, a reassignment, a moved order and a removed line.
 */

const run = randomUUID().slice(0, 8);
const FROM = '2009-01-01';
const TO = '2009-12-31';
const ZONES = ['UTC', 'Asia/Kathmandu', 'Australia/Eucla', 'America/New_York', 'Europe/Madrid'];

describe('sales summaries', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  const brands = [`Alpaca-${run}`, `Birch-${run}`];

  const report = async (caller: Caller, fn: string, args: Row) => {
    const { data, error } = await cast.client(caller).rpc(fn, args);
    if (error) throw error;
    return normal(data as Row[]);
  };

  /** The reports' numbers from the raw rows: the queries of 20261207172000, with an owner filter. */
  const fromRows = async (caller: 'admin' | 'agent' | 'agent2', zone: string) => {
    const owner = caller === 'admin' ? null : cast.people[caller].userId;
    const purchases = `o.counts_as_purchase and o.placed_at >= $2::date::timestamp at time zone $1
      and o.placed_at < ($3::date + 1)::timestamp at time zone $1 and ($4::uuid is null or o.customer_owner_id = $4::uuid)`;
    const period = (grain: string) =>
      `(select coalesce(jsonb_agg(to_jsonb(x) order by x.period), '[]') from (
         select date_trunc('${grain}', o.placed_at at time zone $1)::date as period, count(*) as orders,
           sum(o.net_total_base) as revenue, round(sum(o.net_total_base) / count(*), 2) as average_order_value
         from public.orders o where ${purchases} group by 1) x)`;
    const performance = (groupBy: string) =>
      `(select coalesce(jsonb_agg(to_jsonb(x) order by x.revenue desc, x.key), '[]') from (
         with sold as (
           select case when '${groupBy}' = 'product' then coalesce(i.product_id::text, 'title:' || i.title) else coalesce(nullif(i.vendor, ''), '—') end as key,
             case when '${groupBy}' = 'product' then i.title else coalesce(nullif(i.vendor, ''), '—') end as label,
             i.quantity, round(i.total * o.exchange_rate, 2) as revenue_base, o.id as order_id, o.refunded_total > 0 as refunded
           from public.order_items i join public.orders o on o.id = i.order_id where ${purchases}
         ),
         sales as (
           select s.key, min(s.label) as label, sum(s.quantity) as units, sum(s.revenue_base) as revenue,
             count(distinct s.order_id) as orders,
             round(count(distinct s.order_id) filter (where s.refunded)::numeric / count(distinct s.order_id), 4) as refund_rate
           from sold s group by s.key
         ),
         liked as (
           select case when '${groupBy}' = 'product' then p.id::text else coalesce(nullif(p.vendor, ''), '—') end as key,
             count(*) as favourites,
             count(*) filter (where v.inventory_quantity is not null and v.inventory_quantity <= 0) as out_of_stock
           from public.favorites f join public.product_variants v on v.id = f.variant_id join public.products p on p.id = v.product_id
           where ($4::uuid is null or f.customer_owner_id = $4::uuid)
           group by 1
         )
         select s.key, s.label, s.units, s.revenue, s.orders, s.refund_rate, coalesce(l.favourites, 0) as favourites,
           coalesce(l.out_of_stock, 0) as out_of_stock_favourites
         from sales s left join liked l on l.key = s.key) x)`;
    const { rows } = await db.query<Record<string, Row[]>>(
      `select ${period('day')} as day, ${period('week')} as week, ${period('month')} as month,
         (select coalesce(jsonb_agg(to_jsonb(x) order by x.dimension desc, x.bucket), '[]') from (
            with p as (select o.placed_at at time zone $1 as t, o.net_total_base from public.orders o where ${purchases})
            select 'weekday' as dimension, extract(isodow from p.t)::int as bucket, count(*) as orders, sum(p.net_total_base) as revenue from p group by 2
            union all
            select 'month', extract(month from p.t)::int, count(*), sum(p.net_total_base) from p group by 2) x) as seasonality,
         ${performance('brand')} as brand, ${performance('product')} as product`,
      [zone, FROM, TO, owner],
    );
    return rows[0];
  };

  /** Every report, every zone, admin and both agents: the API's rows equal the raw rows' numbers. */
  const expectReportsEqualRows = async (zones = ZONES) => {
    const ours = (rows: Row[]) =>
      rows.filter((row) => brands.includes(String(row.key)) || String(row.label).endsWith(run));
    const compared = await Promise.all(
      (['admin', 'agent', 'agent2'] as const).flatMap((caller) =>
        zones.map(async (zone) => {
          const expected = await fromRows(caller, zone);
          const range = { from_day: FROM, to_day: TO, timezone: zone };
          const [day, week, month, seasonality, brand, product] = await Promise.all([
            ...['day', 'week', 'month'].map((grain) => report(caller, 'report_revenue_by_period', { ...range, grain })),
            report(caller, 'report_revenue_seasonality', range),
            ...['brand', 'product'].map((groupBy) =>
              report(caller, 'report_top_products', { ...range, group_by: groupBy, row_limit: 500 }),
            ),
          ]);
          const where = `${caller} ${zone}`;
          expect(day, where).toEqual(normal(expected.day));
          expect(week, where).toEqual(normal(expected.week));
          expect(month, where).toEqual(normal(expected.month));
          expect(seasonality, where).toEqual(normal(expected.seasonality));
          expect(ours(brand), where).toEqual(ours(normal(expected.brand)));
          expect(ours(product), where).toEqual(ours(normal(expected.product)));
          return day.length + ours(brand).length;
        }),
      ),
    );
    return compared.reduce((a, b) => a + b, 0);
  };

  const fold = async () => {
    await db.query(`select private.fold_sales_summaries()`);
    const [{ n }] = await sql<{ n: number }>(
      `select count(*)::int as n from private.sales_dirty_quarter_hours where bucket >= '2009-01-01' and bucket < '2010-01-02'`,
    );
    expect(n).toBe(0);
  };

  let db: pg.Pool;
  const sql = async <T extends pg.QueryResultRow = Row>(text: string, params: unknown[] = []) =>
    (await db.query<T>(text, params)).rows;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
    cast = await createCast('sales-summaries');
    await sql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values (current_date, 'USD', 0.5, 'test')
       on conflict (rate_date, currency) do nothing`,
    );
    const customer = async (key: string, owner: string) => {
      const [row] = await sql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, owner_id, country, created_at)
         values ($1, $2, $3, $4, 'DE', '2009-01-01T00:00:00Z') returning id`,
        [key, run, `${key}-${run}@example.test`, owner],
      );
      ids[key] = row.id;
    };
    await customer('ana', cast.people.agent.userId);
    await customer('bo', cast.people.agent.userId);
    await customer('cy', cast.people.agent2.userId);
    const product = async (key: string, vendor: string, stock: number) => {
      const [row] = await sql<{ id: string; variant: string }>(
        `with p as (insert into public.products (title, vendor, source) values ($1, $2, 'manual') returning id)
         insert into public.product_variants (product_id, price, currency, inventory_quantity)
         select p.id, 10, 'EUR', $3 from p returning product_id as id, id as variant`,
        [`${key} ${run}`, vendor, stock],
      );
      ids[`${key}Product`] = row.id;
      ids[`${key}Variant`] = row.variant;
    };
    await product('shirt', brands[0], 5);
    await product('scarf', brands[1], 0);
    await sql(`insert into public.favorites (customer_id, variant_id) values ($1, $3), ($2, $3), ($2, $4), ($5, $4)`, [
      ids.ana,
      ids.bo,
      ids.shirtVariant,
      ids.scarfVariant,
      ids.cy,
    ]);
    // [customer, currency, rate, total, placed_at, [product, quantity, line total]…]
    const orders: Array<[string, string, number, number, string, Array<[string, number, number]>]> = [
      // Kathmandu's 1 January starts at 2008-12-31 18:15 UTC: one order a minute either side.
      ['ana', 'EUR', 1, 100, '2008-12-31T18:14:00Z', [['shirt', 1, 100]]],
      ['ana', 'EUR', 1, 110, '2009-01-01T18:15:00Z', [['shirt', 1, 110]]],
      ['bo', 'USD', 0.8, 50, '2009-01-01T18:14:59Z', [['scarf', 1, 50]]],
      // Eucla (+8:45): midnight of 1 March is 28 February 15:15 UTC.
      [
        'cy',
        'JPY',
        0.0071,
        12000,
        '2009-02-28T15:14:00Z',
        [
          ['shirt', 2, 8000],
          ['scarf', 1, 4000],
        ],
      ],
      ['cy', 'EUR', 1, 75.5, '2009-02-28T15:16:00Z', [['scarf', 3, 75.5]]],
      // New York's DST days (8 March: 23 hours; 1 November: 25 hours), at their edges.
      ['ana', 'USD', 0.77, 40, '2009-03-08T04:59:00Z', [['shirt', 1, 40]]],
      ['bo', 'EUR', 1, 60, '2009-03-09T03:59:00Z', [['scarf', 2, 60]]],
      ['cy', 'EUR', 1, 90, '2009-11-01T04:30:00Z', [['shirt', 1, 90]]],
      ['ana', 'EUR', 1, 20, '2009-11-02T04:59:00Z', [['shirt', 1, 20]]],
      // Madrid's 31 December ends at 23:00 UTC; UTC's year at midnight.
      ['bo', 'EUR', 1, 33.33, '2009-12-31T22:59:00Z', [['scarf', 1, 33.33]]],
      ['cy', 'EUR', 1, 44.44, '2009-12-31T23:30:00Z', [['shirt', 1, 44.44]]],
      // Two orders in the same quarter-hour of different agents' customers.
      ['ana', 'EUR', 1, 10, '2009-06-15T10:01:00Z', [['shirt', 1, 10]]],
      ['cy', 'USD', 0.7, 10, '2009-06-15T10:14:00Z', [['scarf', 1, 10]]],
    ];
    for (const [who, currency, rate, total, placed, lines] of orders) {
      const [order] = await sql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, financial_status, placed_at)
         values ($1, $2, $3, $4, 'paid', $5) returning id`,
        [ids[who], currency, rate, total, placed],
      );
      ids[`order ${placed}`] = order.id;
      await sql(
        `insert into public.order_items (order_id, product_id, variant_id, title, vendor, quantity, unit_price, total, currency)
         select $1, p.id, v.id, p.title, p.vendor, x.quantity, x.total / x.quantity, x.total, $2
         from jsonb_to_recordset($3::jsonb) x (product uuid, quantity int, total numeric)
         join public.products p on p.id = x.product join public.product_variants v on v.product_id = p.id`,
        [
          order.id,
          currency,
          JSON.stringify(lines.map(([key, quantity, total]) => ({ product: ids[`${key}Product`], quantity, total }))),
        ],
      );
    }
    // A partial refund of Eucla's JPY order (in its own currency, at its own rate).
    await sql(
      `insert into public.refunds (order_id, amount, currency, amount_base) values ($1, 3000, 'JPY', round(3000 * 0.0071, 2))`,
      [ids['order 2009-02-28T15:14:00Z']],
    );
  });
  afterAll(async () => {
    await cast?.end();
    await db?.end();
  });

  it('every zone’s days are whole quarter-hours in 2009; local mean time is not', async () => {
    const [row] = await sql<Record<string, boolean>>(
      `select private.days_on_quarter_hours('2009-01-01', '2009-12-31', 'Asia/Kathmandu') as kathmandu,
         private.days_on_quarter_hours('2009-01-01', '2009-12-31', 'Australia/Eucla') as eucla,
         private.days_on_quarter_hours('1899-01-01', '1899-12-31', 'Asia/Kathmandu') as kathmandu_1899`,
    );
    expect(row).toEqual({ kathmandu: true, eucla: true, kathmandu_1899: false });
    // …and a range there still answers, from the orders.
    expect(
      await report('admin', 'report_revenue_by_period', {
        from_day: '1899-01-01',
        to_day: '1899-12-31',
        timezone: 'Asia/Kathmandu',
        grain: 'month',
      }),
    ).toEqual([]);
  });

  it('reports equal the raw rows before and after the fold, and the fold equals a recount', async () => {
    // Unfolded: the fixture's quarter-hours are dirty, read from the rows.
    expect(await expectReportsEqualRows(['Asia/Kathmandu', 'America/New_York'])).toBeGreaterThan(20);
    await fold();
    const [{ wrong }] = await sql<{ wrong: number }>(
      `select count(*)::int as wrong from (
         (select s.bucket, s.owner_id, s.orders, s.revenue from private.sales_quarter_hours s where s.bucket >= '2008-12-31' and s.bucket < '2010-01-02'
          except
          select private.quarter_hour(o.placed_at), o.customer_owner_id, count(*)::int, sum(o.net_total_base) from public.orders o
          where o.counts_as_purchase and o.placed_at >= '2008-12-31' and o.placed_at < '2010-01-02' group by 1, 2)
         union all
         (select private.quarter_hour(o.placed_at), o.customer_owner_id, count(*)::int, sum(o.net_total_base) from public.orders o
          where o.counts_as_purchase and o.placed_at >= '2008-12-31' and o.placed_at < '2010-01-02' group by 1, 2
          except
          select s.bucket, s.owner_id, s.orders, s.revenue from private.sales_quarter_hours s where s.bucket >= '2008-12-31' and s.bucket < '2010-01-02')
       ) d`,
    );
    expect(wrong).toBe(0);
    const [{ summarised, purchases }] = await sql<{ summarised: number; purchases: number }>(
      `select (select coalesce(sum(orders), 0)::int from private.sales_quarter_hour_totals
                where bucket >= '2008-12-31' and bucket < '2010-01-02') as summarised,
              (select count(*)::int from public.orders
                where counts_as_purchase and placed_at >= '2008-12-31' and placed_at < '2010-01-02') as purchases`,
    );
    expect(summarised).toBe(purchases);
    expect(summarised).toBeGreaterThanOrEqual(13);
    // Folded: read from the summaries.
    await expectReportsEqualRows();
  });

  it('stays equal after a refund, a reassignment, a moved order and a removed line', async () => {
    await sql(`insert into public.refunds (order_id, amount, currency, amount_base) values ($1, 10, 'EUR', 10)`, [
      ids['order 2009-11-01T04:30:00Z'],
    ]);
    await sql(`update public.customers set owner_id = $1 where id = $2`, [cast.people.agent2.userId, ids.bo]);
    await sql(`update public.orders set placed_at = '2009-07-01T18:20:00Z' where id = $1`, [
      ids['order 2009-06-15T10:01:00Z'],
    ]);
    await sql(`delete from public.order_items where order_id = $1 and vendor = $2`, [
      ids['order 2009-02-28T15:14:00Z'],
      brands[1],
    ]);
    await sql(`delete from public.favorites where customer_id = $1 and variant_id = $2`, [ids.bo, ids.shirtVariant]);
    await expectReportsEqualRows(['Australia/Eucla', 'Europe/Madrid']);
    await fold();
    await expectReportsEqualRows();
    // Bo's sales moved to agent2 with him.
    const agent2 = await report('agent2', 'report_top_products', {
      from_day: FROM,
      to_day: TO,
      timezone: 'UTC',
      group_by: 'brand',
    });
    expect(agent2.find((row) => row.key === brands[1])).toMatchObject({ favourites: 2, out_of_stock_favourites: 2 });
  });
});
