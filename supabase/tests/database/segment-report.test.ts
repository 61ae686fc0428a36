import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { normal, type Row } from '../../../scripts/testing/support/reports.ts';

/**
 * The segments report from summaries (migration 20261211120100): joins and leaves counted per
 * segment and moment, and the purchases of each segment's current members per UTC day, kept by
 * the membership writes and a fold of the days whose orders changed. On a fixture in 2005 (a year
 * no other data reaches) — customers of two agents and of nobody, orders a minute either side of
 * UTC and Asia/Kathmandu midnights, a guest order, history events before and inside the range —
 * the report's rows equal the rows of the definition it replaces (20261207172100), computed from
 * the raw rows with the caller's owner filter, for admins, readonly and each agent, in four zones
 * and four ranges: before the fold, after it, and again after an order, a void, a guest order
 * linked to a customer, a reassignment and a change of rules (joins and leaves); and the summary
 * itself equals the orders of the members for every day that is not waiting for the fold.
 */

const run = randomUUID().slice(0, 8);
const ZONES = ['UTC', 'Asia/Kathmandu', 'Europe/Madrid', 'America/New_York'];
const RANGES: Array<[string, string]> = [
  ['2005-01-01', '2005-12-31'],
  ['2005-01-31', '2005-02-01'],
  ['2005-02-10', '2005-02-10'],
  ['2005-06-01', '2005-09-30'],
];
const CALLERS = ['admin', 'readonly', 'agent', 'agent2'] as const;

/** The definition 20261211120100 replaces, with $4 the agent (null: all) and $5 the segments compared. */
const RAW = `
  with bounds as (
    select $2::date::timestamp at time zone $1 as starts, ($3::date + 1)::timestamp at time zone $1 as ends
  ),
  history as (
    select e.segment_id,
      sum(case when e.occurred_at < b.starts then case e.event when 'joined' then 1 else -1 end else 0 end) as at_start,
      sum(case e.event when 'joined' then 1 else -1 end) as at_end,
      count(*) filter (where e.event = 'joined' and e.occurred_at >= b.starts) as came,
      count(*) filter (where e.event = 'left' and e.occurred_at >= b.starts) as went
    from public.segment_membership_events e
    join public.customers c on c.id = e.customer_id
    cross join bounds b
    where e.occurred_at < b.ends and ($4::uuid is null or c.owner_id = $4::uuid)
    group by e.segment_id
  ),
  bought as (
    select o.customer_id, sum(o.net_total_base) as revenue
    from public.orders o cross join bounds b
    where o.counts_as_purchase and o.placed_at >= b.starts and o.placed_at < b.ends
      and ($4::uuid is null or o.customer_owner_id = $4::uuid)
    group by o.customer_id
  ),
  spend as (
    select m.segment_id, sum(b.revenue) as revenue
    from public.segment_memberships m join bought b on b.customer_id = m.customer_id
    group by m.segment_id
  )
  select coalesce(jsonb_agg(to_jsonb(x) order by x.segment_id), '[]') as rows from (
    select s.id as segment_id, s.name, coalesce(h.at_start, 0)::integer as members_at_start,
      coalesce(h.at_end, 0)::integer as members_at_end, coalesce(h.came, 0)::integer as joined,
      coalesce(h.went, 0)::integer as "left", coalesce(p.revenue, 0) as revenue
    from public.segments s
    left join history h on h.segment_id = s.id
    left join spend p on p.segment_id = s.id
    where s.id = any ($5::uuid[])
  ) x`;

describe('segments report from summaries', () => {
  let cast: Cast;
  let db: pg.Pool;
  const ids: Record<string, string> = {};
  const segments: Record<string, string> = {};

  const sql = async <T extends pg.QueryResultRow = Row>(text: string, params: unknown[] = []) =>
    (await db.query<T>(text, params)).rows;
  const segmentIds = () => Object.values(segments);

  /** Every caller × zone × range: the report's rows for this run's segments = the raw definition's. */
  const compareAll = async (label: string) => {
    let compared = 0;
    let revenue = 0;
    for (const caller of CALLERS) {
      const owner = caller === 'agent' || caller === 'agent2' ? cast.people[caller].userId : null;
      for (const zone of ZONES) {
        for (const [from, to] of RANGES) {
          const where = `${label}: ${caller} ${zone} ${from}…${to}`;
          const { data, error } = await cast
            .client(caller as Caller)
            .rpc('report_segments', { from_day: from, to_day: to, timezone: zone });
          expect(error, where).toBeNull();
          const got = normal((data as Row[]).filter((row) => segmentIds().includes(String(row.segment_id)))).sort(
            (a, b) => String(a.segment_id).localeCompare(String(b.segment_id)),
          );
          const [{ rows }] = await sql<{ rows: Row[] }>(RAW, [zone, from, to, owner, segmentIds()]);
          expect(got, where).toEqual(
            normal(rows).sort((a, b) => String(a.segment_id).localeCompare(String(b.segment_id))),
          );
          compared += got.length;
          revenue += got.reduce((sum, row) => sum + Number(row.revenue), 0);
        }
      }
    }
    // Something was compared, and some of it was money.
    expect(compared, label).toBe(CALLERS.length * ZONES.length * RANGES.length * segmentIds().length);
    expect(revenue, label).toBeGreaterThan(0);
  };

  /** The summary for every day not waiting for the fold = the members' purchases that day. */
  const summaryHolds = async (label: string) => {
    const [{ kept, truth }] = await sql<{ kept: Row[]; truth: Row[] }>(
      `with dirty as (select distinct day from private.segment_revenue_dirty_days)
       select
         (select coalesce(jsonb_agg(jsonb_build_object('s', r.segment_id, 'd', r.day, 'r', r.revenue) order by r.segment_id, r.day), '[]')
          from private.segment_revenue_days r
          where r.segment_id = any ($1::uuid[]) and r.revenue <> 0 and r.day not in (select day from dirty)) as kept,
         (select coalesce(jsonb_agg(jsonb_build_object('s', t.segment_id, 'd', t.day, 'r', t.revenue) order by t.segment_id, t.day), '[]')
          from (
            select m.segment_id, (o.placed_at at time zone 'UTC')::date as day, sum(o.net_total_base) as revenue
            from public.segment_memberships m join public.orders o on o.customer_id = m.customer_id
            where m.segment_id = any ($1::uuid[]) and o.counts_as_purchase
            group by 1, 2
          ) t
          where t.revenue <> 0 and t.day not in (select day from dirty)) as truth`,
      [segmentIds()],
    );
    expect(kept, label).toEqual(truth);
    expect(truth.length, label).toBeGreaterThan(0);
  };
  const fold = async () => {
    for (let i = 0; i < 20; i++) {
      const [{ n }] = await sql<{ n: number }>(`select private.fold_segment_revenue() as n`);
      const [{ left }] = await sql<{ left: number }>(
        `select count(*)::int as left from private.segment_revenue_dirty_days where day between '2005-01-01' and '2006-01-02'`,
      );
      if (n === 0 && left === 0) return;
      if (n === 0) await new Promise((resolve) => setTimeout(resolve, 500)); // the scheduled fold holds the lock
    }
    throw new Error('the fold did not finish');
  };

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
    cast = await createCast('segment-report');
    const customer = async (key: string, owner: string | null, country: string) => {
      const [row] = await sql<{ id: string }>(
        `insert into public.customers (first_name, last_name, owner_id, country, created_at, style_interests)
         values ($1, $2, $3, $4, '2005-01-01T00:00:00Z', array[$2]) returning id`,
        [key, run, owner, country],
      );
      ids[key] = row.id;
    };
    await customer('ada', cast.people.agent.userId, 'DE');
    await customer('bea', cast.people.agent.userId, 'FR');
    await customer('cai', cast.people.agent2.userId, 'DE');
    await customer('dev', null, 'FR');
    // [customer or null for a guest, total, placed_at]
    const orders: Array<[string | null, number, string]> = [
      // Kathmandu's 31 January ends at 18:15 UTC; UTC's at midnight: a minute either side of both.
      ['ada', 100, '2005-01-31T18:14:00Z'],
      ['ada', 50, '2005-01-31T18:16:00Z'],
      ['bea', 80, '2005-01-31T23:59:00Z'],
      ['cai', 70, '2005-02-01T00:01:00Z'],
      ['bea', 12.5, '2005-02-10T12:00:00Z'],
      ['dev', 40, '2005-02-10T23:30:00Z'],
      ['cai', 200, '2005-06-30T22:30:00Z'],
      ['dev', 19.99, '2005-09-30T23:59:00Z'],
      ['ada', 33.33, '2005-12-31T23:00:00Z'],
      [null, 21, '2005-06-01T08:00:00Z'],
    ];
    for (const [who, total, placed] of orders) {
      const [order] = await sql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, total_base, financial_status, placed_at)
         values ($1, 'EUR', 1, $2, $2, 'paid', $3) returning id`,
        [who === null ? null : ids[who], total, placed],
      );
      ids[`order ${placed}`] = order.id;
    }
    const save = async (key: string, conditions: Row[]) => {
      const { data, error } = await cast
        .client('manager')
        .from('segments')
        .insert({
          name: `report ${key} ${run}`,
          shared: true,
          rules: {
            match: 'all',
            conditions: [{ field: 'style_interests', op: 'contains_any', value: [run] }, ...conditions],
          },
        })
        .select('id')
        .single();
      if (error) throw error;
      segments[key] = (data as { id: string }).id;
    };
    await save('everyone', []);
    await save('germany', [{ field: 'country', op: 'eq', value: 'DE' }]);
    // History before and inside the ranges (the refreshes above wrote today's joins).
    await sql(
      `insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at)
       select s, c, e, t::timestamptz from (values
         ($1::uuid, $3::uuid, 'joined', '2004-12-01T10:00:00Z'), ($1, $4, 'joined', '2004-12-01T10:00:00Z'),
         ($1, $3, 'left', '2005-01-31T18:20:00Z'), ($1, $5, 'joined', '2005-02-10T23:45:00Z'),
         ($2, $5, 'joined', '2005-06-30T22:00:00Z'), ($2, $5, 'left', '2005-09-30T23:59:30Z'),
         ($2, $6, 'joined', '2005-09-30T23:59:30Z')
       ) v (s, c, e, t)`,
      [segments.everyone, segments.germany, ids.ada, ids.bea, ids.cai, ids.dev],
    );
  });
  afterAll(async () => {
    // This run's rows go, so 2005 is empty again for the next run on a kept instance.
    await db
      ?.query(`delete from public.segments where id = any ($1::uuid[])`, [segmentIds()])
      .then(() =>
        db.query(
          `delete from public.orders where id = any ($1::uuid[]) or customer_id in (select id from public.customers where last_name = $2)`,
          [
            Object.entries(ids)
              .filter(([key]) => key.startsWith('order '))
              .map(([, id]) => id),
            run,
          ],
        ),
      )
      .then(() => db.query(`delete from public.customers where last_name = $1`, [run]));
    await cast?.end();
    await db?.end();
  });

  it('equals the definition it replaces, before and after the fold', async () => {
    await compareAll('unfolded');
    await fold();
    await summaryHolds('folded');
    await compareAll('folded');
  });

  it('stays equal after orders change, a guest order is linked, a customer changes hands and members come and go', async () => {
    await sql(
      `insert into public.orders (customer_id, currency, exchange_rate, total, total_base, financial_status, placed_at)
       values ($1, 'EUR', 1, 64, 64, 'paid', '2005-02-10T18:00:00Z')`,
      [ids.bea],
    );
    await sql(`update public.orders set financial_status = 'voided' where id = $1`, [
      ids['order 2005-06-30T22:30:00Z'],
    ]);
    await sql(`update public.orders set customer_id = $1 where id = $2`, [ids.dev, ids['order 2005-06-01T08:00:00Z']]);
    await sql(`update public.customers set owner_id = $1 where id = $2`, [cast.people.agent2.userId, ids.ada]);
    // France now: Ada and Cai leave, Bea and Dev join (a refresh at once, with their purchases).
    const { error } = await cast
      .client('manager')
      .from('segments')
      .update({
        rules: {
          match: 'all',
          conditions: [
            { field: 'style_interests', op: 'contains_any', value: [run] },
            { field: 'country', op: 'eq', value: 'FR' },
          ],
        },
      })
      .eq('id', segments.germany);
    expect(error).toBeNull();
    const [{ members }] = await sql<{ members: string[] }>(
      `select array_agg(customer_id order by customer_id) as members from public.segment_memberships where segment_id = $1`,
      [segments.germany],
    );
    expect(members).toEqual([ids.bea, ids.dev].sort());
    await compareAll('changed, unfolded');
    await fold();
    await summaryHolds('changed, folded');
    await compareAll('changed, folded');
  });

  it('the summaries are read as the segments and customers are, and written by nobody', async () => {
    const callers: Caller[] = ['admin', 'manager', 'readonly', 'agent', 'agent2', 'shopper', 'stranger'];
    for (const table of ['private.segment_history_counts', 'private.segment_revenue_days']) {
      const counts = await cast.countsAs(
        callers,
        `select count(*)::int as n from ${table} where segment_id = any ($1::uuid[])`,
        [segmentIds()],
      );
      // Those who see every customer read the segments they may read; agents read the rows instead.
      const all = counts.admin ?? 0;
      expect(all, table).toBeGreaterThan(0);
      expect(counts, table).toEqual({
        admin: all,
        manager: all,
        readonly: all,
        agent: 0,
        agent2: 0,
        shopper: 0,
        stranger: 0,
      });
      for (const caller of ['admin', 'agent'] as const) {
        await expect(
          cast.sql(caller, `delete from ${table} where segment_id = any ($1::uuid[])`, [segmentIds()]),
          `${caller} ${table}`,
        ).rejects.toMatchObject({
          code: '42501',
        });
      }
    }
    // Someone else's private segment: not even an admin reads its summaries.
    const { data, error } = await cast
      .client('agent')
      .from('segments')
      .insert({
        name: `private ${run}`,
        rules: { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [run] }] },
      })
      .select('id')
      .single();
    expect(error).toBeNull();
    const hidden = (data as { id: string }).id;
    const [{ n }] = await cast.sql<{ n: number }>(
      'admin',
      `select count(*)::int as n from private.segment_history_counts where segment_id = $1`,
      [hidden],
    );
    expect(n).toBe(0);
    const [{ kept }] = await sql<{ kept: number }>(
      `select count(*)::int as kept from private.segment_history_counts where segment_id = $1`,
      [hidden],
    );
    expect(kept).toBeGreaterThan(0);
    await sql(`delete from public.segments where id = $1`, [hidden]);
    await expect(cast.sql('agent', `select private.fold_segment_revenue()`)).rejects.toMatchObject({ code: '42501' });
  });

  it('a removed segment takes its summaries with it', async () => {
    const gone = segments.germany;
    await sql(`delete from public.segments where id = $1`, [gone]);
    delete segments.germany;
    const [{ n }] = await sql<{ n: number }>(
      `select ((select count(*) from private.segment_revenue_days where segment_id = $1)
        + (select count(*) from private.segment_history_counts where segment_id = $1))::int as n`,
      [gone],
    );
    expect(n).toBe(0);
    await summaryHolds('after a removal');
  });
});
