import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/**
 * The nightly scores (migration 20261207171000): RFM groups, churn risk with its reasons in words
 * from each customer's own gap between orders (the shop's median for one-time buyers), stage moves
 * by the admin's lifecycle rules logged in the timeline, and the segment fields over them — read
 * under the customers' rules.
 */

const run = randomUUID().slice(0, 8);
/** The job's "now": a fixed instant, so days and ratios are exact. */
const AT = '2026-06-01T00:00:00Z';
const daysBefore = (days: number) => new Date(Date.parse(AT) - days * 86_400_000).toISOString();

interface Score {
  rfm_group: string;
  churn_risk: string;
  days_since_last_order: number | null;
  expected_gap_days: number | null;
  gap_basis: string | null;
  churn_ratio: string | null;
  churn_reasons: unknown[];
  churn_summary: string;
}

describe('customer scores, churn reasons and stage moves', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  const scoreOf = async (key: string) =>
    (await adminSql<Score>(`select * from public.customer_scores where customer_id = $1`, [ids[key]]))[0];

  beforeAll(async () => {
    cast = await createCast('scores');
    const [{ base }] = await adminSql<{ base: string }>(`select base_currency as base from public.workspace_settings`);
    const customer = async (key: string, owner: string | null, orders: Array<[number, number]>) => {
      const [row] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, owner_id) values ($1, $2, $3) returning id`,
        [key, run, owner],
      );
      ids[key] = row.id;
      for (const [days, total] of orders) {
        await adminSql(
          `insert into public.orders (customer_id, currency, exchange_rate, total, total_base, financial_status, placed_at)
           values ($1, $2, 1, $3, $3, 'paid', $4)`,
          [row.id, base, total, daysBefore(days)],
        );
      }
    };
    await customer('lapsing', cast.people.agent.userId, [
      [300, 1],
      [240, 1],
      [180, 1],
    ]);
    await customer('steady', cast.people.agent2.userId, [
      [40, 1],
      [10, 1],
    ]);
    await customer('gone', null, [[400, 1]]);
    await customer('whale', null, [
      [20, 900_000],
      [5, 900_000],
    ]);
    await customer('prospect', null, []);
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, payload)
       select 'sg-' || $2 || '-' || n, case when n = 1 then 'open' else 'delivered' end, 'x@example.test',
              $3::timestamptz + make_interval(days => n), $1, '{}'
       from generate_series(1, 4) n`,
      [ids.steady, run, daysBefore(30)],
    );
    const [{ scored }] = await cast.sql<{ scored: number }>(
      'service_role',
      'select (public.score_customers($1)).scored',
      [AT],
    );
    expect(scored).toBeGreaterThanOrEqual(5);
  });
  // The shared database keeps no whale behind: other files rank the most valuable customers.
  afterAll(async () => {
    await adminSql(
      `delete from public.orders where customer_id in (select id from public.customers where last_name = $1)`,
      [run],
    );
    await adminSql(`delete from public.customers where last_name = $1`, [run]);
    await cast?.end();
  });

  it('explains the risk in words from the customer’s own gap between orders', async () => {
    expect(await scoreOf('lapsing')).toMatchObject({
      churn_risk: 'high',
      days_since_last_order: 180,
      expected_gap_days: 60,
      gap_basis: 'own',
      churn_ratio: '3.00',
      churn_reasons: [{ code: 'no_order', days: 180, gap: 60, ratio: 3, basis: 'own' }],
      churn_summary: 'no order for 180 days, 3.0× their usual gap of 60 days',
    });
    expect(await scoreOf('steady')).toMatchObject({
      churn_risk: 'low',
      expected_gap_days: 30,
      churn_reasons: [{ code: 'emails_unopened', count: 3 }],
      churn_summary: 'last 3 emails unopened',
    });
  });

  it('falls back to the shop’s median gap for a one-time buyer', async () => {
    const [{ median }] = await adminSql<{ median: number }>(
      `select round(percentile_cont(0.5) within group (order by greatest(1, extract(epoch from last_order_at - first_order_at) / 86400 / (order_count - 1)))::numeric)::int as median
       from public.customers where order_count >= 2`,
    );
    const gone = await scoreOf('gone');
    expect(gone).toMatchObject({ gap_basis: 'shop', expected_gap_days: median, days_since_last_order: 400 });
    expect(gone.churn_summary).toBe(
      `no order for 400 days, ${(400 / median).toFixed(1)}× the shop's usual gap of ${median} days`,
    );
  });

  it('names RFM groups, and scores nobody without orders', async () => {
    expect(await scoreOf('prospect')).toMatchObject({ rfm_group: 'no_orders', churn_risk: 'none', churn_reasons: [] });
    // The named groups follow from the scores as docs/database.md lists them.
    const groupOf = (r: number, f: number, m: number) =>
      r >= 4 && f >= 4 && m >= 4
        ? 'champions'
        : r <= 2 && f >= 4
          ? 'cant_lose'
          : r <= 2 && f >= 2
            ? 'at_risk'
            : r <= 2
              ? 'hibernating'
              : f >= 4
                ? 'loyal'
                : r >= 4 && f === 1
                  ? 'new_customers'
                  : r >= 4
                    ? 'potential_loyalists'
                    : 'need_attention';
    for (const key of ['lapsing', 'steady', 'gone', 'whale']) {
      const [row] = await adminSql<{ r: number; f: number; m: number; rfm_group: string }>(
        `select recency_score as r, frequency_score as f, monetary_score as m, rfm_group from public.customer_scores where customer_id = $1`,
        [ids[key]],
      );
      expect(row.rfm_group, key).toBe(groupOf(row.r, row.f, row.m));
    }
    // Quintiles: the biggest spender is in the top fifth by value, the oldest buyer not in the top by recency.
    const [whale] = await adminSql<{ m: number }>(
      `select monetary_score as m from public.customer_scores where customer_id = $1`,
      [ids.whale],
    );
    expect(whale.m).toBe(5);
    const [gone] = await adminSql<{ r: number }>(
      `select recency_score as r from public.customer_scores where customer_id = $1`,
      [ids.gone],
    );
    expect(gone.r).toBeLessThan(5);
  });

  it('moves stages by the lifecycle rules and logs each move in the timeline with its reason', async () => {
    const stages = await adminSql<{ first_name: string; lifecycle_stage: string }>(
      `select first_name, lifecycle_stage from public.customers where last_name = $1 order by first_name`,
      [run],
    );
    expect(Object.fromEntries(stages.map((row) => [row.first_name, row.lifecycle_stage]))).toEqual({
      gone: 'churned',
      lapsing: 'at_risk',
      prospect: 'prospect',
      steady: 'repeat',
      whale: 'vip',
    });
    const [logged] = await adminSql<{ metadata: Record<string, unknown>; author_id: string | null }>(
      `select metadata, author_id from public.activities where customer_id = $1 and kind = 'system'
         and metadata ->> 'event' = 'stage_changed'`,
      [ids.lapsing],
    );
    expect(logged).toEqual({
      author_id: null,
      metadata: {
        event: 'stage_changed',
        from: 'repeat',
        to: 'at_risk',
        reason: 'no order for 180 days, 3.0× their usual gap of 60 days',
        by: 'nightly_rules',
      },
    });
    // A second run moves nobody again.
    const [{ moved }] = await cast.sql<{ moved: number }>(
      'service_role',
      'select (public.score_customers($1)).stages_moved as moved',
      [AT],
    );
    const [{ mine }] = await adminSql<{ mine: number }>(
      `select count(*)::int as mine from public.activities a join public.customers c on c.id = a.customer_id
       where c.last_name = $1 and a.metadata ->> 'event' = 'stage_changed'`,
      [run],
    );
    expect(mine).toBe(3);
    expect(moved).toBeGreaterThanOrEqual(0);
  });

  it('admins edit the lifecycle rules; nobody else does', async () => {
    const { data, error } = await cast
      .client('admin')
      .from('lifecycle_rules')
      .update({ churned_after_days: 500 })
      .eq('id', true)
      .select('churned_after_days');
    expect(error).toBeNull();
    expect(data).toEqual([{ churned_after_days: 500 }]);
    for (const caller of ['manager', 'agent', 'readonly'] as const) {
      const { data: refused } = await cast
        .client(caller)
        .from('lifecycle_rules')
        .update({ churned_after_days: 40 })
        .eq('id', true)
        .select('id');
      expect(refused ?? [], caller).toEqual([]);
    }
    const { error: invalid } = await cast
      .client('admin')
      .from('lifecycle_rules')
      .update({ churned_after_days: 1 })
      .eq('id', true);
    expect(invalid).toMatchObject({ code: '23514' });
    await adminSql(`update public.lifecycle_rules set churned_after_days = 365`);
    const { error: anon } = await cast.client('anon').from('lifecycle_rules').select('id');
    expect(anon).toMatchObject({ code: '42501' });
  });

  it('scores are read under the customers’ rules; only the system runs the job', async () => {
    const counts = await cast.countsAs(
      ['admin', 'manager', 'readonly', 'agent', 'agent2', 'shopper', 'stranger'],
      `select count(*)::int as n from public.customer_scores s join public.customers c on c.id = s.customer_id where c.last_name = $1`,
      [run],
    );
    // customers is joined as the caller too, so the count is what each may see of both.
    expect(counts).toEqual({ admin: 5, manager: 5, readonly: 5, agent: 1, agent2: 1, shopper: 0, stranger: 0 });
    const { error } = await cast.client('admin').rpc('score_customers', {});
    expect(error).toMatchObject({ code: '42501' });
  });

  it('scores in a rule answer exactly as the per-customer subquery did, nulls under OR and negation included', async () => {
    // 20261211120000 compiles rfm_group / churn_risk as columns of customer_scores left joined
    // once; before, each was a scalar subquery per customer. A customer created after the night
    // has no scores row: both forms read null for her. Each rule below is run (1) as the live
    // count, the members and the refresh now compile it and (2) as the old form — the same
    // compiled text with each c_scores column put back as its subquery — as every caller.
    const brand = `scored-${run}`;
    await adminSql(`update public.customers set favourite_brands = array[$1] where last_name = $2`, [brand, run]);
    const [late] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, owner_id, favourite_brands) values ('unscored', $1, $2, array[$3]) returning id`,
      [run, cast.people.agent.userId, brand],
    );
    ids.unscored = late.id;
    const ours = { field: 'favourite_brands', op: 'contains_any', value: [brand] };
    // Risks that do not hang on the shared database's median: lapsing high, steady and whale low,
    // prospect none (no orders), gone medium or high (400 days), unscored null.
    const cases: Array<[Record<string, unknown>[], 'all' | 'any', string[]]> = [
      [[{ field: 'churn_risk', op: 'eq', value: 'low' }], 'all', ['steady', 'whale']],
      [[{ field: 'churn_risk', op: 'neq', value: 'low' }], 'all', ['gone', 'lapsing', 'prospect', 'unscored']],
      [[{ field: 'churn_risk', op: 'in', value: ['low', 'none'] }], 'all', ['prospect', 'steady', 'whale']],
      [[{ field: 'churn_risk', op: 'not_in', value: ['low', 'none'] }], 'all', ['gone', 'lapsing', 'unscored']],
      [[{ field: 'churn_risk', op: 'is_set' }], 'all', ['gone', 'lapsing', 'prospect', 'steady', 'whale']],
      [[{ field: 'rfm_group', op: 'is_not_set' }], 'all', ['unscored']],
      [
        [{ field: 'rfm_group', op: 'neq', value: 'no_orders' }],
        'all',
        ['gone', 'lapsing', 'steady', 'unscored', 'whale'],
      ],
      [
        [
          { field: 'churn_risk', op: 'eq', value: 'low' },
          { field: 'order_count', op: 'gte', value: 3 },
        ],
        'any',
        ['lapsing', 'steady', 'whale'],
      ],
      [
        [
          { field: 'rfm_group', op: 'in', value: ['no_orders'] },
          {
            match: 'all',
            conditions: [
              { field: 'churn_risk', op: 'not_in', value: ['high', 'medium'] },
              { field: 'has_favourites', op: 'is', value: false },
            ],
          },
        ],
        'any',
        ['prospect', 'steady', 'unscored', 'whale'],
      ],
    ];
    const nameOf = Object.fromEntries(Object.entries(ids).map(([key, id]) => [id, key]));
    const names = (rows: Array<{ id: string }>) =>
      rows
        .map((row) => nameOf[row.id])
        .filter(Boolean)
        .sort();
    for (const [conditions, match, expected] of cases) {
      const rules = { match: 'all', conditions: [ours, { match, conditions }] };
      const label = JSON.stringify(conditions);
      const [{ compiled }] = await adminSql<{ compiled: string }>(`select private.segment_rules_sql($1) as compiled`, [
        rules,
      ]);
      expect(compiled, label).toMatch(/c_scores\./);
      const old = compiled.replace(
        /c_scores\.(rfm_group|churn_risk)/g,
        '(select s.$1 from public.customer_scores s where s.customer_id = c.id)',
      );
      for (const caller of ['admin', 'agent', 'agent2'] as const) {
        const before = names(
          await cast.sql<{ id: string }>(caller, `select c.id from public.customers c where ${old}`),
        );
        const { data, error } = await cast.client(caller).rpc('preview_segment', { rules, sample_size: 50 });
        expect(error, label).toBeNull();
        const preview = data as { count: number; sample: Array<{ id: string }> };
        expect(names(preview.sample), `${caller} ${label}`).toEqual(before);
        expect(preview.count, `${caller} ${label}`).toBe(before.length);
        if (caller === 'admin') expect(before, label).toEqual(expected);
      }
      // The members a campaign or export takes, and the refresh's (the system's view).
      const { data: segment, error } = await cast
        .client('admin')
        .from('segments')
        .insert({ name: `scores ${run} ${cases.findIndex((c) => c[0] === conditions)}`, rules, shared: true })
        .select('id')
        .single();
      expect(error).toBeNull();
      const segmentId = (segment as { id: string }).id;
      const { data: memberIds } = await cast.client('agent').rpc('segment_member_ids', { segment_id: segmentId });
      expect(names((memberIds as string[]).map((id) => ({ id }))), label).toEqual(
        expected.filter((key) => ['lapsing', 'unscored'].includes(key)),
      );
      const members = await adminSql<{ id: string }>(
        `select customer_id as id from public.segment_memberships where segment_id = $1`,
        [segmentId],
      );
      expect(names(members), label).toEqual(expected);
      const [{ matched }] = await adminSql<{ matched: boolean }>(`select private.flow_matches($1, $2) as matched`, [
        ids.unscored,
        rules,
      ]);
      expect(matched, label).toBe(expected.includes('unscored'));
    }
  });

  it('segments match on RFM group and churn risk', async () => {
    // The sample is the 50 highest-value matches of the whole shared database: a brand only this
    // run's customers carry keeps other files' customers out of it.
    await adminSql(`update public.customers set favourite_brands = array[$1] where last_name = $1`, [run]);
    const { data, error } = await cast.client('admin').rpc('preview_segment', {
      rules: {
        match: 'all',
        conditions: [
          { field: 'favourite_brands', op: 'contains_any', value: [run] },
          { field: 'churn_risk', op: 'in', value: ['high', 'medium'] },
          { field: 'rfm_group', op: 'neq', value: 'champions' },
          { field: 'order_count', op: 'lte', value: 3 },
        ],
      },
      sample_size: 50,
    });
    expect(error).toBeNull();
    const names = (data as { sample: Array<{ full_name: string }> }).sample
      .map((row) => row.full_name)
      .filter((name) => name.endsWith(run));
    expect(names.sort()).toEqual([`gone ${run}`, `lapsing ${run}`]);
  });
});
