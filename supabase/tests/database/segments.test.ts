import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller, type Persona } from '../../../scripts/testing/support/team.ts';

/**
 * Segments (migration 20261207170000): the rules are JSON compiled to SQL by the database from a
 * whitelist of fields and operators; a wrong rule is refused with 22023 naming the condition;
 * injection attempts stay data; counts, samples and members follow the caller's row-level
 * security (an agent: their own customers); segments are private or shared like saved views and
 * readonly members read but never write them.
 */

const run = randomUUID().slice(0, 8);
/** A style only this file's customers carry, so counts do not see other tests' rows. */
const marker = `seg-${run}`;
const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

interface Preview {
  count: number;
  sample: Array<{ id: string; full_name: string | null; lifetime_value: number }>;
}

type Rule = Record<string, unknown>;
const onlyOurs = (condition: Rule | Rule[], match: 'all' | 'any' = 'all'): Rule => ({
  match: 'all',
  conditions: [
    { field: 'style_interests', op: 'contains_any', value: [marker] },
    { match, conditions: Array.isArray(condition) ? condition : [condition] },
  ],
});

describe('segments', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};

  const previewAs = async (caller: Caller, rules: Rule, sampleSize = 10): Promise<Preview> => {
    const { data, error } = await cast.client(caller).rpc('preview_segment', { rules, sample_size: sampleSize });
    if (error) throw error;
    return data as Preview;
  };
  const saveSegment = async (caller: Caller, fields: Record<string, unknown>) => {
    const { data, error } = await cast.client(caller).from('segments').insert(fields).select('id').single();
    if (error) throw error;
    return data as { id: string };
  };
  const countOf = async (condition: Rule | Rule[], match: 'all' | 'any' = 'all', caller: Caller = 'admin') =>
    (await previewAs(caller, onlyOurs(condition, match), 0)).count;

  beforeAll(async () => {
    cast = await createCast('segments');
    const agent = cast.people.agent.userId;
    const agent2 = cast.people.agent2.userId;
    const insert = async (key: string, fields: Record<string, unknown>) => {
      const all = { ...fields, style_interests: [marker, ...((fields.style_interests as string[] | undefined) ?? [])] };
      const columns = Object.keys(all);
      const [row] = await adminSql<{ id: string }>(
        `insert into public.customers (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
        Object.values(all),
      );
      ids[key] = row.id;
    };
    await insert('anna', {
      first_name: 'Anna',
      last_name: run,
      email: `anna-${run}@example.test`,
      country: 'DE',
      owner_id: agent,
      style_interests: ['minimal'],
      favourite_brands: ['Acme'],
      created_at: '2025-03-10T12:00:00Z',
    });
    await insert('ben', {
      first_name: 'Ben',
      last_name: run,
      country: 'FR',
      owner_id: agent2,
      language: 'fr',
      status: 'vip',
      created_at: '2025-06-01T12:00:00Z',
    });
    await insert('cleo', { first_name: 'Cleo', last_name: run, country: 'DE', owner_id: null, source: 'import' });
    const sizeKey = `size_${run.replace(/[^a-z0-9]/g, '')}`;
    await adminSql(`insert into public.custom_field_definitions (key, label, type) values ($1, 'Size', 'text')`, [
      sizeKey,
    ]);
    await adminSql(`update public.customers set custom_fields = jsonb_build_object($2::text, '41') where id = $1`, [
      ids.cleo,
      sizeKey,
    ]);
    // Orders: Anna two purchases (one refunded in part), Ben one.
    const [{ rate_currency }] = await adminSql<{ rate_currency: string }>(
      `select base_currency as rate_currency from public.workspace_settings`,
    );
    const order = (customer: string, total: number, placed: string, status = 'paid', refunded = 0) =>
      adminSql<{ id: string }>(
        `insert into public.orders (customer_id, currency, exchange_rate, total, total_base, refunded_total, refunded_base, financial_status, placed_at)
         values ($1, $2, 1, $3, $3, $4, $4, $5::public.order_financial_status, $6) returning id`,
        [customer, rate_currency, total, refunded, status, placed],
      );
    const [first] = await order(ids.anna, 100, '2026-01-05T10:00:00Z');
    await order(ids.anna, 300, '2026-11-20T10:00:00Z', 'partially_refunded', 50);
    await order(ids.ben, 80, '2025-07-01T10:00:00Z');
    await adminSql(
      `insert into public.order_items (order_id, title, vendor, quantity, unit_price, total, currency)
       values ($1, 'Linen Shirt', 'Acme', 1, 100, 100, $2)`,
      [first.id, rate_currency],
    );
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at) values
       ($1, 'email', 'newsletter', 'granted', 'import', now()), ($2, 'email', 'newsletter', 'granted', 'import', now() - interval '1 day'),
       ($2, 'email', 'newsletter', 'withdrawn', 'import', now())`,
      [ids.anna, ids.ben],
    );
    const [tag] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `Wholesale ${run}`,
    ]);
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [ids.cleo, tag.id]);
  });
  afterAll(() => cast?.end());

  describe('the compiler: fields and operators', () => {
    it('matches each field and operator as its rule says', async () => {
      const cases: Array<[Rule, string[]]> = [
        [{ field: 'country', op: 'eq', value: 'DE' }, ['anna', 'cleo']],
        [{ field: 'country', op: 'neq', value: 'DE' }, ['ben']],
        [{ field: 'country', op: 'in', value: ['FR', 'ES'] }, ['ben']],
        [{ field: 'country', op: 'not_in', value: ['FR'] }, ['anna', 'cleo']],
        [{ field: 'language', op: 'is_set' }, ['ben']],
        [{ field: 'region', op: 'is_not_set' }, ['anna', 'ben', 'cleo']],
        [{ field: 'status', op: 'eq', value: 'vip' }, ['ben']],
        [{ field: 'lifecycle_stage', op: 'in', value: ['repeat'] }, ['anna']],
        [{ field: 'source', op: 'eq', value: 'import' }, ['cleo']],
        [{ field: 'owner', op: 'is_not_set' }, ['cleo']],
        [{ field: 'owner', op: 'eq', value: '' + '00000000-0000-0000-0000-000000000000' }, []],
        [{ field: 'custom_field', key: `size_${run.replace(/[^a-z0-9]/g, '')}`, op: 'eq', value: '41' }, ['cleo']],
        [{ field: 'tags', op: 'contains_any', value: [`wholesale ${run}`] }, ['cleo']],
        [{ field: 'tags', op: 'is_empty' }, ['anna', 'ben']],
        [{ field: 'style_interests', op: 'contains_all', value: [marker, 'minimal'] }, ['anna']],
        [{ field: 'favourite_brands', op: 'contains_none', value: ['Acme'] }, ['ben', 'cleo']],
        [{ field: 'lifetime_value', op: 'gte', value: 300 }, ['anna']],
        [{ field: 'lifetime_value', op: 'between', value: [50, 100] }, ['ben']],
        [{ field: 'order_count', op: 'eq', value: 0 }, ['cleo']],
        [{ field: 'order_count', op: 'gt', value: 1 }, ['anna']],
        [{ field: 'average_order_value', op: 'lt', value: 100 }, ['ben', 'cleo']],
        [{ field: 'refunded_total', op: 'gt', value: 0 }, ['anna']],
        [{ field: 'inactive_days', op: 'gte', value: 300 }, ['ben']],
        [{ field: 'created_at', op: 'before', value: '2025-04-01' }, ['anna']],
        [{ field: 'created_at', op: 'between', value: ['2025-06-01', '2025-06-01'] }, ['ben']],
        [{ field: 'created_at', op: 'this_month' }, ['cleo']],
        [{ field: 'first_order_at', op: 'after', value: '2026-01-01' }, ['anna']],
        [{ field: 'last_order_at', op: 'is_not_set' }, ['cleo']],
        [{ field: 'last_order_at', op: 'more_than_days_ago', value: 365 }, ['ben']],
        [{ field: 'ordered_brand', op: 'eq', value: 'acme' }, ['anna']],
        [{ field: 'ordered_product', op: 'neq', value: 'Linen Shirt' }, ['ben', 'cleo']],
        [{ field: 'ordered_category', op: 'eq', value: 'Shirts', days: 30 }, []],
        [{ field: 'has_favourites', op: 'is', value: false }, ['anna', 'ben', 'cleo']],
        [{ field: 'consent_newsletter', op: 'is', value: true }, ['anna']],
        [{ field: 'consent_marketing', op: 'is', value: true }, []],
        [{ field: 'consent_alerts', op: 'is', value: false }, ['anna', 'ben', 'cleo']],
        [{ field: 'received_alert', op: 'never' }, ['anna', 'ben', 'cleo']],
        [{ field: 'opened_alert', op: 'ever' }, []],
        [{ field: 'clicked_alert', op: 'in_last_days', value: 30 }, []],
        [{ field: 'received_email', op: 'not_in_last_days', value: 30 }, ['anna', 'ben', 'cleo']],
        [{ field: 'opened_email', op: 'never' }, ['anna', 'ben', 'cleo']],
        [{ field: 'clicked_email', op: 'ever' }, []],
      ];
      for (const [condition, expected] of cases) {
        const { sample } = await previewAs('admin', onlyOurs(condition), 50);
        const names = sample.map((row) => row.full_name?.split(' ')[0].toLowerCase()).sort();
        expect(names, JSON.stringify(condition)).toEqual(expected);
      }
    });

    it('combines AND / OR groups, nested', async () => {
      expect(
        await countOf(
          [
            { field: 'country', op: 'eq', value: 'FR' },
            {
              match: 'all',
              conditions: [
                { field: 'country', op: 'eq', value: 'DE' },
                { field: 'order_count', op: 'eq', value: 0 },
              ],
            },
          ],
          'any',
        ),
      ).toBe(2);
      expect(
        await countOf([
          { field: 'country', op: 'eq', value: 'DE' },
          { field: 'order_count', op: 'eq', value: 0 },
        ]),
      ).toBe(1);
      expect(await previewAs('admin', { match: 'any', conditions: [] }, 0)).toMatchObject({ count: 0 });
    });

    it('VIP (top percent by lifetime value) is the shop’s threshold, computed over every buyer', async () => {
      const [{ threshold }] = await adminSql<{ threshold: string }>(
        `select percentile_disc(0.9) within group (order by lifetime_value) as threshold from public.customers where order_count > 0`,
      );
      const expected = [
        ['anna', 350],
        ['ben', 80],
      ].filter(([, ltv]) => Number(ltv) >= Number(threshold)).length;
      expect(await countOf({ field: 'lifetime_value', op: 'top_percent', value: 10 })).toBe(expected);
      expect(await countOf({ field: 'lifetime_value', op: 'top_percent', value: 100 })).toBe(2);
    });
  });

  describe('bad rules are refused, naming the condition', () => {
    const refusal = async (rules: unknown) => {
      const { error } = await cast.client('admin').rpc('preview_segment', { rules, sample_size: 0 });
      return error;
    };

    it.each<[string, unknown, string, string]>([
      [
        'an unknown field',
        {
          match: 'all',
          conditions: [
            { field: 'country', op: 'eq', value: 'DE' },
            { field: 'password', op: 'eq', value: 'x' },
          ],
        },
        'condition 2: unknown field "password"',
        '1',
      ],
      [
        'an operator that does not fit the type',
        {
          match: 'all',
          conditions: [{ match: 'any', conditions: [{ field: 'lifetime_value', op: 'contains_any', value: ['x'] }] }],
        },
        'condition 1.1: operator "contains_any" does not apply to lifetime_value (a number field)',
        '0.0',
      ],
      [
        'a value of the wrong type',
        { match: 'all', conditions: [{ field: 'order_count', op: 'gt', value: '3' }] },
        'condition 1: operator gt on order_count needs a number',
        '0',
      ],
      [
        'a date that is no date',
        { match: 'all', conditions: [{ field: 'created_at', op: 'after', value: '2026-02-30' }] },
        'condition 1: "2026-02-30" is not a date',
        '0',
      ],
      [
        'a range that ends before it starts',
        { match: 'all', conditions: [{ field: 'created_at', op: 'between', value: ['2026-02-01', '2026-01-01'] }] },
        'condition 1: the end of the range is before its start',
        '0',
      ],
      [
        'an extra key',
        { match: 'all', conditions: [{ field: 'country', op: 'eq', value: 'DE', sql: 'true' }] },
        'condition 1: a condition has only field, op, value, days and key',
        '0',
      ],
    ])('%s', async (_label, rules, message, detail) => {
      expect(await refusal(rules)).toMatchObject({ code: '22023', message, details: detail });
    });

    it('refuses a malformed rule as a whole', async () => {
      expect(await refusal([])).toMatchObject({
        code: '22023',
        message: 'segment rule: rules must be a JSON object {match, conditions}',
      });
      expect(await refusal({ match: 'some', conditions: [] })).toMatchObject({
        code: '22023',
        message: 'segment rule: match must be "all" (AND) or "any" (OR)',
      });
      const many = Array.from({ length: 31 }, () => ({ field: 'country', op: 'eq', value: 'DE' }));
      expect(await refusal({ match: 'all', conditions: many })).toMatchObject({
        code: '22023',
        message: 'segment rule: a segment has at most 30 conditions (this one has 31)',
      });
      const deep = {
        match: 'all',
        conditions: [{ match: 'all', conditions: [{ match: 'all', conditions: [{ match: 'all', conditions: [] }] }] }],
      };
      expect(await refusal(deep)).toMatchObject({
        code: '22023',
        message: 'condition 1.1.1: groups nest at most 3 deep',
      });
    });

    it('injection attempts are refused or stay data', async () => {
      const attempts: unknown[] = [
        { match: 'all', conditions: [{ field: 'country = country or true; --', op: 'eq', value: 'DE' }] },
        { match: 'all', conditions: [{ field: 'country', op: '= any(array[country]) or true --', value: 'DE' }] },
        { match: 'all) or (true', conditions: [] },
        { match: 'all', conditions: [{ field: 'custom_field', key: "x') or true --", op: 'eq', value: '1' }] },
        { match: 'all', conditions: [{ field: 'order_count', op: 'gt', value: { raw: '0 or true' } }] },
        { match: 'all', conditions: [{ field: 'ordered_brand', op: 'eq', value: 'x', days: '1 or true' }] },
      ];
      for (const rules of attempts) {
        expect(await refusal(rules), JSON.stringify(rules)).toMatchObject({ code: '22023' });
      }
      // Values that look like SQL are only ever compared as text.
      for (const value of ["DE' or '1'='1", "x'); drop table public.segments; --", 'DE\\', '$$ or true $$']) {
        expect(await countOf({ field: 'country', op: 'eq', value }), value).toBe(0);
        expect(await countOf({ field: 'tags', op: 'contains_any', value: [value] }), value).toBe(0);
        expect(await countOf({ field: 'ordered_brand', op: 'eq', value }), value).toBe(0);
      }
      const [{ n }] = await adminSql<{ n: number }>(`select count(*)::int as n from public.segments`);
      expect(n).toBeGreaterThanOrEqual(0);
    });

    it('a segment saved with a bad rule is refused the same way', async () => {
      const { error } = await cast
        .client('manager')
        .from('segments')
        .insert({ name: unique('bad'), rules: { match: 'all', conditions: [{ field: 'nope', op: 'eq', value: 1 }] } });
      expect(error).toMatchObject({ code: '22023', message: 'condition 1: unknown field "nope"', details: '0' });
    });
  });

  describe('counts, samples and members follow the caller’s rules', () => {
    const everyone = onlyOurs([]);

    it('admins, managers and readonly members count everyone; agents their own; others nothing', async () => {
      for (const caller of ['admin', 'manager', 'readonly'] as const) {
        expect((await previewAs(caller, everyone, 0)).count, caller).toBe(3);
      }
      expect((await previewAs('agent', everyone)).sample.map((row) => row.id)).toEqual([ids.anna]);
      expect((await previewAs('agent2', everyone)).sample.map((row) => row.id)).toEqual([ids.ben]);
    });

    it('the sample comes highest lifetime value first, at most sample_size', async () => {
      const { count, sample } = await previewAs('admin', everyone, 2);
      expect(count).toBe(3);
      expect(sample.map((row) => row.id)).toEqual([ids.anna, ids.ben]);
      await expect(previewAs('admin', everyone, 51)).rejects.toMatchObject({ code: '22023' });
    });

    it('shoppers, strangers and anon may not preview', async () => {
      for (const caller of ['shopper', 'stranger', 'anon'] as const) {
        const { error } = await cast.client(caller).rpc('preview_segment', { rules: everyone, sample_size: 0 });
        expect(error, caller).toMatchObject({ code: '42501' });
      }
    });

    it('segment_member_ids and segment_customer_list give each reader their part of a shared segment', async () => {
      const segment = await saveSegment('manager', {
        name: unique('DE'),
        rules: onlyOurs({ field: 'country', op: 'eq', value: 'DE' }),
        shared: true,
      });
      const members = async (caller: Caller) => {
        const { data, error: failed } = await cast.client(caller).rpc('segment_member_ids', { segment_id: segment.id });
        if (failed) throw failed;
        return (data as string[]).sort();
      };
      expect(await members('admin')).toEqual([ids.anna, ids.cleo].sort());
      expect(await members('agent')).toEqual([ids.anna]);
      expect(await members('agent2')).toEqual([]);
      const { data: listed, count } = await cast
        .client('agent')
        .rpc('segment_customer_list', { segment_id: segment.id }, { get: true, count: 'exact' })
        .select('id, full_name');
      expect(count).toBe(1);
      expect(listed).toEqual([{ id: ids.anna, full_name: `Anna ${run}` }]);
      const { data: searched } = await cast
        .client('admin')
        .rpc('segment_customer_list', { segment_id: segment.id, query: 'Cleo' }, { get: true })
        .select('id');
      expect(searched).toEqual([{ id: ids.cleo }]);
    });

    it('exports a segment through the logged export: the caller’s part of it, kind segment_csv', async () => {
      const segment = await saveSegment('manager', {
        name: unique('export'),
        rules: onlyOurs({ field: 'country', op: 'eq', value: 'DE' }),
        shared: true,
      });
      const exportAs = async (caller: Caller) => {
        const { data, error } = await cast
          .client(caller)
          .rpc('export_customers_csv', { filters: { segment: segment.id } })
          .single<{ csv: string; row_count: number }>();
        if (error) throw error;
        return data;
      };
      const everything = await exportAs('admin');
      expect(everything.row_count).toBe(2);
      expect(everything.csv).toContain(ids.anna);
      expect(everything.csv).toContain(ids.cleo);
      const agents = await exportAs('agent');
      expect(agents.row_count).toBe(1);
      expect(agents.csv).toContain(ids.anna);
      const log = await adminSql<{ kind: string; row_count: number; filters: unknown }>(
        `select kind, row_count, filters from public.export_log where actor_id = $1 order by id`,
        [cast.people.agent.userId],
      );
      expect(log.at(-1)).toEqual({ kind: 'segment_csv', row_count: 1, filters: { segment: segment.id } });
      const { error } = await cast.client('admin').rpc('export_customers_csv', { filters: { segment: 'nope' } });
      expect(error).toMatchObject({ code: '22023' });
    });

    it('exports the newsletter opt-ins with email, sign-up date and styles, filterable by style, logged', async () => {
      const optins = async (caller: Caller, style?: string) => {
        const { data, error } = await cast
          .client(caller)
          .rpc('export_newsletter_optins_csv', style ? { style } : {})
          .single<{ csv: string; row_count: number }>();
        if (error) throw error;
        return data;
      };
      const all = await optins('admin', marker.toUpperCase());
      // Anna subscribed; Ben withdrew; Cleo was never asked.
      expect(all.row_count).toBe(1);
      const [header, row] = all.csv.trim().split('\r\n');
      expect(header).toBe('email,name,signedUpAt,subscribedAt,styleInterests,country,language');
      expect(row).toContain(`anna-${run}@example.test,Anna ${run},2025-03-10T12:00:00+00:00,`);
      expect(row).toContain(`${marker}; minimal`);
      expect((await optins('agent2', marker)).row_count).toBe(0);
      const [last] = await adminSql<{ kind: string; row_count: number; filters: unknown }>(
        `select kind, row_count, filters from public.export_log where actor_id = $1 order by id desc limit 1`,
        [cast.people.admin.userId],
      );
      expect(last).toEqual({ kind: 'newsletter_optins_csv', row_count: 1, filters: { style: marker.toUpperCase() } });
      const { error } = await cast.client('shopper').rpc('export_newsletter_optins_csv', {});
      expect(error).toMatchObject({ code: '42501' });
    });

    it('a private segment of someone else is no segment at all', async () => {
      const segment = await saveSegment('agent', { name: unique('mine'), rules: everyone });
      const { error } = await cast.client('admin').rpc('segment_member_ids', { segment_id: segment.id });
      expect(error).toMatchObject({ code: 'P0002' });
      const { data } = await cast.client('agent').rpc('segment_member_ids', { segment_id: segment.id });
      expect(data).toEqual([ids.anna]);
    });
  });
});

describe('segments: access rules', () => {
  let cast: Cast;
  let privateId: string;
  let sharedId: string;
  const rules = { match: 'all', conditions: [{ field: 'order_count', op: 'gte', value: 2 }] };

  const insertAs = async (caller: Persona, fields: { name?: string; shared?: boolean } = {}) => {
    const { data, error } = await cast
      .client(caller)
      .from('segments')
      .insert({ name: fields.name ?? unique('segment'), shared: fields.shared ?? false, rules })
      .select('id, owner_id')
      .single();
    if (error) throw error;
    return data as { id: string; owner_id: string };
  };
  const visibleTo = async (caller: Caller, id: string) => {
    const { data, error } = await cast.client(caller).from('segments').select('id').eq('id', id);
    expect(error).toBeNull();
    return data?.length ?? 0;
  };

  beforeAll(async () => {
    cast = await createCast('segment-rls');
    privateId = (await insertAs('agent', { name: 'Private repeat buyers' })).id;
    sharedId = (await insertAs('agent', { name: 'Team repeat buyers', shared: true })).id;
  });
  afterAll(() => cast?.end());

  it.each<Persona>(['admin', 'manager', 'agent'])('%s creates a segment that is theirs', async (persona) => {
    expect((await insertAs(persona)).owner_id).toBe(cast.people[persona].userId);
  });

  it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s may not create segments', async (caller) => {
    const { error } = await cast
      .client(caller)
      .from('segments')
      .insert({ name: unique('nope'), rules });
    expect(error).toMatchObject({ code: '42501' });
  });

  it('nobody creates a segment in someone else’s name', async () => {
    await expect(
      cast.sql('manager', `insert into public.segments (owner_id, name) values ($1, 'forged')`, [
        cast.people.agent.userId,
      ]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('the owner reads their private segment; nobody else does, not even an admin', async () => {
    expect(await visibleTo('agent', privateId)).toBe(1);
    for (const caller of ['admin', 'manager', 'agent2', 'readonly', 'shopper', 'stranger'] as const) {
      expect(await visibleTo(caller, privateId), caller).toBe(0);
    }
  });

  it('every team member reads a shared segment; shoppers, strangers and anon do not', async () => {
    const counts = await cast.countsAs(
      ['admin', 'manager', 'agent', 'agent2', 'readonly', 'shopper', 'stranger'],
      'select count(*)::int as n from public.segments where id = $1',
      [sharedId],
    );
    expect(counts).toEqual({ admin: 1, manager: 1, agent: 1, agent2: 1, readonly: 1, shopper: 0, stranger: 0 });
    const { error } = await cast.client('anon').from('segments').select('id').limit(1);
    expect(error).toMatchObject({ code: '42501' });
  });

  it.each<Caller>(['admin', 'manager', 'agent2', 'readonly', 'shopper', 'stranger'])(
    '%s cannot change or delete someone else’s shared segment',
    async (caller) => {
      const client = cast.client(caller);
      const { data: updated } = await client
        .from('segments')
        .update({ name: 'Hijacked' })
        .eq('id', sharedId)
        .select('id');
      expect(updated ?? []).toEqual([]);
      const { data: deleted } = await client.from('segments').delete().eq('id', sharedId).select('id');
      expect(deleted ?? []).toEqual([]);
      const [row] = await adminSql<{ name: string }>('select name from public.segments where id = $1', [sharedId]);
      expect(row?.name).toBe('Team repeat buyers');
    },
  );

  it('the owner changes, shares and deletes their segment; it never changes hands', async () => {
    const { id } = await insertAs('manager');
    const { data, error } = await cast
      .client('manager')
      .from('segments')
      .update({ name: 'Renamed', shared: true, rules: { match: 'any', conditions: [] } })
      .eq('id', id)
      .select('name, shared, rules')
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ name: 'Renamed', shared: true, rules: { match: 'any', conditions: [] } });
    await expect(
      cast.sql('manager', 'update public.segments set owner_id = $1 where id = $2', [cast.people.agent.userId, id]),
    ).rejects.toMatchObject({ code: '42501' });
    const { data: deleted } = await cast.client('manager').from('segments').delete().eq('id', id).select('id');
    expect(deleted).toEqual([{ id }]);
  });

  it('a readonly member who once owned a segment cannot change it', async () => {
    const { id } = await insertAs('agent2');
    await adminSql(`update public.team_members set role = 'readonly' where user_id = $1`, [cast.people.agent2.userId]);
    try {
      const { data } = await cast.client('agent2').from('segments').update({ name: 'x' }).eq('id', id).select('id');
      expect(data ?? []).toEqual([]);
      expect(await visibleTo('agent2', id)).toBe(1);
    } finally {
      await adminSql(`update public.team_members set role = 'agent' where user_id = $1`, [cast.people.agent2.userId]);
    }
  });

  it('names are trimmed, 1–80 characters and unique per person; writes are audited', async () => {
    const { error: blank } = await cast.client('agent').from('segments').insert({ name: ' ', rules });
    expect(blank).toMatchObject({ code: '23514' });
    const { error: duplicate } = await cast
      .client('agent')
      .from('segments')
      .insert({ name: 'private REPEAT buyers', rules });
    expect(duplicate).toMatchObject({ code: '23505' });
    const { id } = await insertAs('manager');
    const audit = await adminSql<{ action: string; actor_id: string }>(
      `select action, actor_id from public.audit_log where table_name = 'segments' and row_id = $1`,
      [id],
    );
    expect(audit).toEqual([{ action: 'INSERT', actor_id: cast.people.manager.userId }]);
  });
});

describe('segments: compiled rules and the planner', () => {
  // The caller's days, "this month" and the VIP threshold are worked out once per query (an
  // InitPlan), never per customer row (migration 20261207172300): each call reads team_members,
  // and per row they made a 10-condition live count take seconds over 10 000 customers.
  it.each([
    [{ field: 'created_at', op: 'before', value: '2020-01-01' }],
    [{ field: 'created_at', op: 'after', value: '2020-01-01' }],
    [{ field: 'created_at', op: 'between', value: ['2020-01-01', '2020-12-31'] }],
    [{ field: 'created_at', op: 'this_month' }],
    [{ field: 'lifetime_value', op: 'top_percent', value: 10 }],
  ])('%j: no per-row call of the zone or threshold helpers', async (condition) => {
    const [{ sql }] = await adminSql<{ sql: string }>(`select private.segment_rules_sql($1::jsonb) as sql`, [
      JSON.stringify({ match: 'all', conditions: [condition] }),
    ]);
    const plan = (
      await adminSql<{ 'QUERY PLAN': string }>(
        `explain (verbose, costs off) select count(*) from public.customers c where ${sql}`,
      )
    ).map((row) => row['QUERY PLAN']);
    const perRow = plan.filter((line) => /^\s*(Filter|Index Cond|Recheck Cond):/.test(line));
    expect(perRow.length).toBeGreaterThan(0);
    for (const line of perRow) expect(line).not.toMatch(/day_start|caller_time_zone|lifetime_value_at_top_percent/);
  });
});
