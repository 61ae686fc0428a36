import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * The analytics reports (migrations 20261207172000, 172100 and 20261208121000) against a hand-computed fixture in 2011 (a
 * year no other data reaches): each report's numbers, order-day FX against today's rates, and
 * for every report that an agent's result is exactly the admin's restricted to the agent's
 * customers (admin = agent ⊎ agent2, whose customers make up the fixture). Impossible ranges are
 * refused with a sentence.
 */

const run = randomUUID().slice(0, 8);
const FROM = '2011-01-01';
const TO = '2011-03-31';
type Row = Record<string, unknown>;

describe('reports', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  let segmentId: string;
  let campaignId: string;
  const brandX = `BrandX-${run}`;
  const brandY = `BrandY-${run}`;

  const report = async (caller: Caller, fn: string, args: Row = {}) => {
    const { data, error } = await cast.client(caller).rpc(fn, args);
    if (error) throw error;
    return data as Row[];
  };
  const range = { from_day: FROM, to_day: TO, timezone: 'UTC' };
  const ours = (rows: Row[], key = 'customer_id') =>
    rows.filter((row) => Object.values(ids).includes(String(row[key])));

  beforeAll(async () => {
    cast = await createCast('reports');
    const [{ base }] = await adminSql<{ base: string }>(`select base_currency as base from public.workspace_settings`);
    expect(base).toBe('EUR');
    // Today's USD rate is 0.5; the March order was placed at 0.8.
    await adminSql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values (current_date, 'USD', 0.5, 'test')
       on conflict (rate_date, currency) do update set rate_to_base = 0.5`,
    );
    const customer = async (key: string, owner: string, country: string, created: string) => {
      const [row] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, owner_id, country, created_at, style_interests)
         values ($1, $2, $3, $4, $5, $6, array[$2]) returning id`,
        [key, run, `${key}-${run}@example.test`, owner, country, created],
      );
      ids[key] = row.id;
    };
    await customer('anna', cast.people.agent.userId, 'DE', '2011-01-10T09:00:00Z');
    await customer('ben', cast.people.agent2.userId, 'FR', '2011-01-20T09:00:00Z');
    await customer('cleo', cast.people.agent.userId, 'FR', '2011-02-05T09:00:00Z');
    // A region of this run's own, so the geography report's rows are the fixture's alone.
    await adminSql(`update public.customers set region = $1 where last_name = $1`, [run]);
    const order = async (
      customer: string,
      currency: string,
      rate: number,
      total: number,
      placed: string,
      refunded = 0,
    ) => {
      const [row] = await adminSql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, refunded_total, financial_status, placed_at)
         values ($1, $2, $3, $4, $5, $6::public.order_financial_status, $7) returning id`,
        [customer, currency, rate, total, refunded, refunded > 0 ? 'partially_refunded' : 'paid', placed],
      );
      return row.id;
    };
    const item = (orderId: string, title: string, vendor: string, quantity: number, total: number, currency: string) =>
      adminSql(
        `insert into public.order_items (order_id, title, vendor, quantity, unit_price, total, currency) values ($1, $2, $3, $4::int, $5::numeric / $4::int, $5::numeric, $6)`,
        [orderId, title, vendor, quantity, total, currency],
      );
    const a1 = await order(ids.anna, 'EUR', 1, 100, '2011-01-15T12:00:00Z');
    await item(a1, `Shirt ${run}`, brandX, 2, 100, 'EUR');
    const a2 = await order(ids.anna, 'USD', 0.8, 50, '2011-03-05T12:00:00Z');
    await item(a2, `Scarf ${run}`, brandY, 1, 50, 'USD');
    const b1 = await order(ids.ben, 'EUR', 1, 200, '2011-02-10T12:00:00Z', 20);
    await item(b1, `Shirt ${run}`, brandX, 4, 200, 'EUR');
    // Activities, dated in the range.
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, author_id, created_at) values
       ($1, 'note', 'n', $3, '2011-01-16T10:00:00Z'), ($2, 'call', 'c', $4, '2011-02-08T10:00:00Z')`,
      [ids.anna, ids.ben, cast.people.agent.userId, cast.people.agent2.userId],
    );
    // Alerts: Anna's price drop was clicked three days before her March order; Ben's only opened.
    const [alertA] = await adminSql<{ id: string }>(
      `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at, currency) values ($1, 'price_drop', $2, 'sent', '2011-03-01T08:00:00Z', 'EUR') returning id`,
      [ids.anna, `a-${run}`],
    );
    const [alertB] = await adminSql<{ id: string }>(
      `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at, currency) values ($1, 'back_in_stock', $2, 'sent', '2011-02-01T08:00:00Z', 'EUR') returning id`,
      [ids.ben, `b-${run}`],
    );
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, alert_id, payload) values
       ($1 || '-1', 'click', 'a@example.test', '2011-03-02T08:00:00Z', $2, $3, '{}'),
       ($1 || '-2', 'open', 'b@example.test', '2011-02-01T09:00:00Z', $4, $5, '{}')`,
      [run, ids.anna, alertA.id, ids.ben, alertB.id],
    );
    // A campaign on 1 March to Anna and Ben: both delivered, Ben opened, Anna clicked four days
    // before her March order (inside its 5-day window).
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, purpose) values ($1, 'Report campaign', 'marketing') returning id`,
      [`report-${run}`],
    );
    const [anySegment] = await adminSql<{ id: string }>(
      `insert into public.segments (owner_id, name) values ($1, $2) returning id`,
      [cast.people.manager.userId, `Report campaign ${run}`],
    );
    [{ id: campaignId }] = await adminSql<{ id: string }>(
      `insert into public.campaigns (name, segment_id, template_id, attribution_days) values ($1, $2, $3, 5) returning id`,
      [`Spring ${run}`, anySegment.id, template.id],
    );
    await adminSql(
      `insert into public.campaign_recipients (campaign_id, customer_id, state, sent_at) values
       ($1, $2, 'sent', '2011-03-01T08:00:00Z'), ($1, $3, 'sent', '2011-03-01T08:00:00Z')`,
      [campaignId, ids.anna, ids.ben],
    );
    const sendKey = (customer: string) => JSON.stringify({ cairn_send: `${campaignId}:${customer}` });
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, payload) values
       ($1 || '-c1', 'delivered', 'a@example.test', '2011-03-01T08:01:00Z', $2, $4),
       ($1 || '-c2', 'click', 'a@example.test', '2011-03-01T12:00:00Z', $2, $4),
       ($1 || '-c3', 'delivered', 'b@example.test', '2011-03-01T08:01:00Z', $3, $5),
       ($1 || '-c4', 'open', 'b@example.test', '2011-03-02T08:00:00Z', $3, $5)`,
      [run, ids.anna, ids.ben, sendKey(ids.anna), sendKey(ids.ben)],
    );
    await adminSql(
      `insert into public.customer_scores (customer_id, rfm_group, churn_risk, churn_summary, computed_at) values
       ($1, 'at_risk', 'high', 'no order for 400 days', now()), ($2, 'hibernating', 'medium', 'no order for 200 days', now())`,
      [ids.anna, ids.ben],
    );
    const { data, error } = await cast
      .client('manager')
      .from('segments')
      .insert({
        name: `Report ${run}`,
        shared: true,
        rules: { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [run] }] },
      })
      .select('id')
      .single();
    if (error) throw error;
    segmentId = (data as { id: string }).id;
    // Its history around the range: Anna joined before it and left in it, Ben joined in it, Cleo
    // after it (the save above also recorded today's joins, after the range).
    await adminSql(
      `insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at) values
       ($1, $2, 'joined', '2010-12-01T09:00:00Z'), ($1, $3, 'joined', '2011-02-01T09:00:00Z'),
       ($1, $2, 'left', '2011-03-10T09:00:00Z'), ($1, $4, 'joined', '2011-05-01T09:00:00Z')`,
      [segmentId, ids.anna, ids.ben, ids.cleo],
    );
  });
  afterAll(async () => {
    if (campaignId) await adminSql(`delete from public.campaigns where id = $1`, [campaignId]);
    await cast?.end();
  });

  it('customer growth: new customers per month and country', async () => {
    const rows = (await report('admin', 'report_customer_growth', { ...range, grain: 'month' })).filter((row) =>
      ['DE', 'FR'].includes(String(row.country)),
    );
    expect(rows).toEqual([
      { period: '2011-01-01', country: 'DE', new_customers: 1 },
      { period: '2011-01-01', country: 'FR', new_customers: 1 },
      { period: '2011-02-01', country: 'FR', new_customers: 1 },
    ]);
  });

  it('revenue by country at each order’s own rate, beside today’s rates and the FX effect', async () => {
    expect(await report('admin', 'report_revenue_by_country', range)).toEqual([
      {
        country: 'FR',
        orders: 1,
        customers: 1,
        revenue: 180,
        revenue_at_today_rates: 180,
        fx_effect: 0,
        average_order_value: 180,
      },
      {
        country: 'DE',
        orders: 2,
        customers: 1,
        revenue: 140,
        revenue_at_today_rates: 125,
        fx_effect: 15,
        average_order_value: 70,
      },
    ]);
  });

  it('revenue by period (AOV trend) and seasonality', async () => {
    expect(await report('admin', 'report_revenue_by_period', { ...range, grain: 'month' })).toEqual([
      { period: '2011-01-01', orders: 1, revenue: 100, average_order_value: 100 },
      { period: '2011-02-01', orders: 1, revenue: 180, average_order_value: 180 },
      { period: '2011-03-01', orders: 1, revenue: 40, average_order_value: 40 },
    ]);
    const season = await report('admin', 'report_revenue_seasonality', range);
    // 2011-01-15 was a Saturday, 2011-02-10 a Thursday, 2011-03-05 a Saturday.
    expect(season.filter((row) => row.dimension === 'weekday')).toEqual([
      { dimension: 'weekday', bucket: 4, orders: 1, revenue: 180 },
      { dimension: 'weekday', bucket: 6, orders: 2, revenue: 140 },
    ]);
  });

  it('top customers by revenue and by orders', async () => {
    const byRevenue = await report('admin', 'report_top_customers', { ...range, rank_by: 'revenue' });
    expect(byRevenue.map((row) => [row.full_name, row.orders, row.revenue])).toEqual([
      [`ben ${run}`, 1, 180],
      [`anna ${run}`, 2, 140],
    ]);
    const byOrders = await report('admin', 'report_top_customers', { ...range, rank_by: 'orders' });
    expect(byOrders.map((row) => row.full_name)).toEqual([`anna ${run}`, `ben ${run}`]);
  });

  it('brand performance: revenue, units, refund rate', async () => {
    const rows = (await report('admin', 'report_top_products', { ...range, group_by: 'brand' })).filter((row) =>
      String(row.key).endsWith(run),
    );
    expect(rows).toEqual([
      {
        key: brandX,
        label: brandX,
        units: 6,
        revenue: 300,
        orders: 2,
        refund_rate: 0.5,
        favourites: 0,
        out_of_stock_favourites: 0,
      },
      {
        key: brandY,
        label: brandY,
        units: 1,
        revenue: 40,
        orders: 1,
        refund_rate: 0,
        favourites: 0,
        out_of_stock_favourites: 0,
      },
    ]);
  });

  it('cohorts: months since the first purchase, retention and revenue', async () => {
    expect(await report('admin', 'report_cohorts', { from_month: FROM, months: 3, timezone: 'UTC' })).toEqual([
      { cohort: '2011-01-01', cohort_customers: 1, month_offset: 0, active_customers: 1, retention: 1, revenue: 100 },
      { cohort: '2011-01-01', cohort_customers: 1, month_offset: 2, active_customers: 1, retention: 1, revenue: 40 },
      { cohort: '2011-02-01', cohort_customers: 1, month_offset: 0, active_customers: 1, retention: 1, revenue: 180 },
    ]);
  });

  it('activity per member and week; workload per member', async () => {
    const rows = await report('admin', 'report_activity', range);
    expect(rows.map((row) => [row.week, row.member_id, row.notes, row.calls])).toEqual([
      ['2011-01-10', cast.people.agent.userId, 1, 0],
      ['2011-02-07', cast.people.agent2.userId, 0, 1],
    ]);
    const workload = await report('admin', 'report_workload');
    const agent = workload.find((row) => row.member_id === cast.people.agent.userId);
    // Anna, Cleo and the cast's shopper.
    expect(agent).toMatchObject({ customers_owned: 3, open_tasks: 0 });
  });

  it('churn list and segment report', async () => {
    const churn = ours(await report('admin', 'report_churn', { min_risk: 'medium' }));
    expect(churn.map((row) => [row.full_name, row.churn_risk, row.churn_summary])).toEqual([
      [`ben ${run}`, 'medium', 'no order for 200 days'],
      [`anna ${run}`, 'high', 'no order for 400 days'],
    ]);
    const segments = (await report('admin', 'report_segments', range)).filter((row) => row.segment_id === segmentId);
    expect(segments).toEqual([
      {
        segment_id: segmentId,
        name: `Report ${run}`,
        members_at_start: 1,
        members_at_end: 1,
        joined: 1,
        left: 1,
        revenue: 320,
      },
    ]);
  });

  it('geography: customers by country and region at the end of the range, new, buyers and revenue', async () => {
    const rows = (await report('admin', 'report_customer_geography', { ...range, by: 'region' })).filter(
      (row) => row.region === run,
    );
    expect(rows).toEqual([
      { country: 'FR', region: run, customers: 2, new_customers: 2, buyers: 1, revenue: 180 },
      { country: 'DE', region: run, customers: 1, new_customers: 1, buyers: 1, revenue: 140 },
    ]);
    // Before Cleo signed up (5 February), France had one customer.
    const january = await report('admin', 'report_customer_geography', {
      from_day: FROM,
      to_day: '2011-01-31',
      timezone: 'UTC',
      by: 'region',
    });
    expect(january.filter((row) => row.region === run).map((row) => [row.country, row.customers])).toEqual([
      ['DE', 1],
      ['FR', 1],
    ]);
  });

  it('segment sizes over time: members at the end of each month, joins and leaves', async () => {
    const rows = (await report('admin', 'report_segment_sizes', { ...range, grain: 'month' })).filter(
      (row) => row.segment_id === segmentId,
    );
    expect(rows.map((row) => [row.period, row.members, row.joined, row.left])).toEqual([
      ['2011-01-01', 1, 0, 0],
      ['2011-02-01', 2, 1, 0],
      ['2011-03-01', 1, 0, 1],
    ]);
  });

  it('alert performance: sent, opened, clicked and revenue within N days of a click', async () => {
    expect(await report('admin', 'report_alert_performance', range)).toEqual([
      {
        key: 'back_in_stock',
        label: 'back_in_stock',
        sent: 1,
        opened: 1,
        clicked: 0,
        attributed_orders: 0,
        attributed_revenue: 0,
      },
      {
        key: 'price_drop',
        label: 'price_drop',
        sent: 1,
        opened: 1,
        clicked: 1,
        attributed_orders: 1,
        attributed_revenue: 40,
      },
    ]);
    const short = await report('admin', 'report_alert_performance', { ...range, attribution_days: 2 });
    expect(short.find((row) => row.key === 'price_drop')).toMatchObject({ attributed_orders: 0 });
  });

  it('campaign performance: sent, delivered, opened, clicked and revenue within the campaign’s window after a click', async () => {
    const rows = (await report('admin', 'report_campaign_performance', range)).filter(
      (row) => row.campaign_id === campaignId,
    );
    expect(rows).toEqual([
      {
        campaign_id: campaignId,
        campaign: `Spring ${run}`,
        sent: 2,
        delivered: 2,
        opened: 2,
        clicked: 1,
        attributed_orders: 1,
        attributed_revenue: 40,
      },
    ]);
    // A range that ends before the send has nothing of it.
    const before = await report('admin', 'report_campaign_performance', { ...range, to_day: '2011-02-28' });
    expect(before.filter((row) => row.campaign_id === campaignId)).toEqual([]);
  });

  /** Each report: how to call it, what identifies a row, and which columns add up across agents. */
  const REPORTS: Array<{ fn: string; args: Row; key: string[]; sums: string[]; filter?: (row: Row) => boolean }> = [
    { fn: 'report_customer_growth', args: range, key: ['period', 'country'], sums: ['new_customers'] },
    {
      fn: 'report_revenue_by_country',
      args: range,
      key: ['country'],
      sums: ['orders', 'customers', 'revenue', 'revenue_at_today_rates', 'fx_effect'],
    },
    { fn: 'report_revenue_by_period', args: range, key: ['period'], sums: ['orders', 'revenue'] },
    { fn: 'report_revenue_seasonality', args: range, key: ['dimension', 'bucket'], sums: ['orders', 'revenue'] },
    { fn: 'report_top_customers', args: range, key: ['customer_id'], sums: ['orders', 'revenue'] },
    {
      fn: 'report_top_products',
      args: { ...range, group_by: 'brand' },
      key: ['key'],
      sums: ['units', 'revenue', 'orders'],
      filter: (row) => String(row.key).endsWith(run),
    },
    {
      fn: 'report_segments',
      args: range,
      key: ['segment_id'],
      sums: ['members_at_start', 'members_at_end', 'joined', 'left', 'revenue'],
      filter: (row) => row.segment_id === segmentId,
    },
    { fn: 'report_activity', args: range, key: ['member_id', 'week'], sums: ['notes', 'calls', 'tasks'] },
    {
      fn: 'report_churn',
      args: {},
      key: ['customer_id'],
      sums: ['lifetime_value'],
      filter: (row) => Object.values(ids).includes(String(row.customer_id)),
    },
    {
      fn: 'report_cohorts',
      args: { from_month: FROM, months: 3, timezone: 'UTC' },
      key: ['cohort', 'month_offset'],
      sums: ['cohort_customers', 'active_customers', 'revenue'],
    },
    {
      fn: 'report_alert_performance',
      args: range,
      key: ['key'],
      sums: ['sent', 'opened', 'clicked', 'attributed_revenue'],
    },
    {
      fn: 'report_campaign_performance',
      args: range,
      key: ['campaign_id'],
      sums: ['sent', 'delivered', 'opened', 'clicked', 'attributed_orders', 'attributed_revenue'],
      filter: (row) => row.campaign_id === campaignId,
    },
    {
      fn: 'report_customer_geography',
      args: { ...range, by: 'region' },
      key: ['country', 'region'],
      sums: ['customers', 'new_customers', 'buyers', 'revenue'],
      filter: (row) => row.region === run,
    },
    {
      fn: 'report_segment_sizes',
      args: { ...range, grain: 'month' },
      key: ['period', 'segment_id'],
      sums: ['members', 'joined', 'left'],
      filter: (row) => row.segment_id === segmentId,
    },
  ];

  it.each(REPORTS)(
    '$fn: an agent’s result is the admin’s restricted to their customers',
    async ({ fn, args, key, sums, filter }) => {
      const totals = (rows: Row[]) => {
        const byKey = new Map<string, Record<string, number>>();
        for (const row of filter ? rows.filter(filter) : rows) {
          const id = key.map((column) => String(row[column])).join('|');
          const entry = byKey.get(id) ?? Object.fromEntries(sums.map((column) => [column, 0]));
          for (const column of sums)
            entry[column] = Math.round(((entry[column] ?? 0) + Number(row[column])) * 100) / 100;
          byKey.set(id, entry);
        }
        return byKey;
      };
      const admin = totals(await report('admin', fn, args));
      const merged = totals([...(await report('agent', fn, args)), ...(await report('agent2', fn, args))]);
      expect(admin.size, fn).toBeGreaterThan(0);
      expect(Object.fromEntries(merged)).toEqual(Object.fromEntries(admin));
      // And the agents' parts differ: each sees only their own customers.
      const agentOnly = totals(await report('agent', fn, args));
      expect(Object.fromEntries(agentOnly)).not.toEqual(Object.fromEntries(admin));
    },
  );

  it('refuses impossible ranges, bad options and callers without a team role', async () => {
    const refusal = async (fn: string, args: Row, caller: Caller = 'admin') =>
      (await cast.client(caller).rpc(fn, args)).error;
    expect(await refusal('report_revenue_by_country', { from_day: '2011-03-01', to_day: '2011-01-01' })).toMatchObject({
      code: '22023',
      message: 'the range ends (2011-01-01) before it starts (2011-03-01)',
    });
    expect(await refusal('report_customer_growth', { from_day: '2011-01-01', to_day: '2016-01-02' })).toMatchObject({
      code: '22023',
      message: 'a report covers at most 5 years',
    });
    expect(await refusal('report_customer_growth', { ...range, timezone: 'Mars/Olympus' })).toMatchObject({
      code: '22023',
    });
    expect(await refusal('report_customer_growth', { ...range, grain: 'year' })).toMatchObject({
      code: '22023',
      message: 'grain must be day, week or month',
    });
    expect(await refusal('report_cohorts', { from_month: FROM, months: 61 })).toMatchObject({ code: '22023' });
    expect(await refusal('report_customer_geography', { ...range, by: 'planet' })).toMatchObject({
      code: '22023',
      message: 'by must be country or region',
    });
    expect(await refusal('report_segment_sizes', { ...range, grain: 'decade' })).toMatchObject({ code: '22023' });
    expect(
      await refusal('report_segment_sizes', { from_day: '2011-03-01', to_day: '2011-01-01', timezone: 'UTC' }),
    ).toMatchObject({ code: '22023' });
    for (const caller of ['shopper', 'stranger'] as const) {
      expect(await refusal('report_revenue_by_country', range, caller), caller).toMatchObject({ code: '42501' });
    }
    expect(await refusal('report_revenue_by_country', range, 'anon')).toMatchObject({ code: '42501' });
  });
});
