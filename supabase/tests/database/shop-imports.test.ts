/**
 * Role matrix of the Shopify history imports (issue 11): public.shop_imports and
 * public.shop_import_errors. Admins read them; every other caller reads none; anon is refused;
 * nobody inserts, updates or deletes through the API (the shopify-import function writes as the
 * service role).
 *
 * Also (sharing this file's cast, to keep the suite's time) the affiliate feeds (issue 12):
 * public.affiliate_feeds (admins every verb, the network fixed once created),
 * public.affiliate_feed_runs and public.affiliate_feed_errors (admins read; nobody writes through
 * the API), public.run_affiliate_feed_now (admins) and the import's own functions (service role
 * only). The import itself: supabase/tests/functions/affiliate-feeds.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { type Cast, type Caller, createCast } from '../../../scripts/testing/support/team.ts';
import { fulfilmentMatrix } from './fulfilments-matrix.ts';

let cast: Cast;
let importId: string;
let feedId: string;
let runId: string;

beforeAll(async () => {
  cast = await createCast('shop-imports');
  const shopId = await createShop();
  [{ id: importId }] = await adminSql<{ id: string }>(
    `insert into public.shop_imports (shop_id, status) values ($1, 'failed') returning id`,
    [shopId],
  );
  await adminSql(
    `insert into public.shop_import_errors (import_id, phase, shopify_id, reason) values ($1, 'orders', 'gid://shopify/Order/1', 'bad row')`,
    [importId],
  );
  [{ id: feedId }] = await adminSql<{ id: string }>(
    `insert into public.affiliate_feeds (network, feed_url, format, active) values ($1, 'https://feeds.example/a.csv', 'csv', false) returning id`,
    [`Matrix network ${randomUUID().slice(0, 8)}`],
  );
  [{ id: runId }] = await adminSql<{ id: string }>(
    `insert into public.affiliate_feed_runs (feed_id, status, finished_at) values ($1, 'succeeded', now()) returning id`,
    [feedId],
  );
  await adminSql(
    `insert into public.affiliate_feed_errors (run_id, line, item_id, reason) values ($1, 2, 'X', 'bad row')`,
    [runId],
  );
});
afterAll(() => cast?.end());

const READERS: Caller[] = ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'];
const EVERYONE: Caller[] = [...READERS, 'anon'];

describe.each([
  ['shop_imports', 'id'],
  ['shop_import_errors', 'import_id'],
])('%s', (table, key) => {
  it('admins read it; every other signed-in caller reads none; anon is refused', async () => {
    const counts = await cast.countsAs(READERS, `select count(*)::int as n from public.${table} where ${key} = $1`, [
      importId,
    ]);
    expect(counts).toEqual({ admin: 1, manager: 0, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
    await expect(cast.sql('anon', `select count(*) from public.${table}`)).rejects.toMatchObject({ code: '42501' });
  });

  it('nobody inserts, updates or deletes through the API', async () => {
    const insert =
      table === 'shop_imports'
        ? `insert into public.shop_imports (shop_id) select shop_id from public.shop_imports limit 1`
        : `insert into public.shop_import_errors (import_id, phase, reason) values ('${importId}', 'orders', 'x')`;
    for (const caller of EVERYONE) {
      for (const statement of [insert, `update public.${table} set ${key} = ${key}`, `delete from public.${table}`]) {
        await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({ code: '42501' });
      }
    }
    const [{ n }] = await adminSql<{ n: number }>(`select count(*)::int as n from public.${table} where ${key} = $1`, [
      importId,
    ]);
    expect(n).toBe(1);
  });
});

describe('the history import’s own functions', () => {
  it('are the service role’s alone; shopify_import_continue asks only for a running import nobody holds', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['shopify_import_claim', {}],
      ['shopify_import_continue', { import_id: importId }],
      ['shopify_import_refresh_metrics', { import_id: importId, batch: 10 }],
      ['shopify_reconcile_apply_chunk', { import_id: importId, from_offset: 0, to_offset: 0, roots: 0, records: [] }],
    ];
    for (const caller of EVERYONE) {
      for (const [name, args] of calls) {
        const { error } = await cast.client(caller).rpc(name, args);
        expect(error?.code, `${caller}: ${name}`).toBe('42501');
      }
    }
    const service = cast.client('service_role');
    const continueImport = async (id: string) => {
      const { data, error } = await service.rpc('shopify_import_continue', { import_id: id });
      expect(error).toBeNull();
      return data;
    };
    // Bad input is a clear error; an unknown or finished import is not continued.
    const { error: bad } = await service.rpc('shopify_import_continue', { import_id: 'not-a-uuid' });
    expect(bad?.code).toBe('22P02');
    expect(await continueImport(randomUUID())).toBe(false);
    expect(await continueImport(importId)).toBe(false);
    // A reconciliation's chunk: bad records are a clear error; an unknown import applies nothing.
    const reconcileChunk = (args: Record<string, unknown>) =>
      service.rpc('shopify_reconcile_apply_chunk', { from_offset: 0, to_offset: 10, roots: 1, ...args });
    for (const records of [{ not: 'a list' }, 'text', 7]) {
      const { error } = await reconcileChunk({ import_id: randomUUID(), records });
      expect(error?.code, JSON.stringify(records)).toBe('22023');
    }
    expect((await reconcileChunk({ import_id: 'not-a-uuid', records: [] })).error?.code).toBe('22P02');
    const unknown = await reconcileChunk({ import_id: randomUUID(), records: [{ mapped: { kind: 'order' } }] });
    expect(unknown).toMatchObject({ error: null, data: { status: 'not_running', current: 0 } });
    // A running import another worker holds is left to it.
    const [{ id: running }] = await adminSql<{ id: string }>(
      `insert into public.shop_imports (shop_id, leased_until) values ($1, now() + interval '1 hour') returning id`,
      [await createShop()],
    );
    try {
      expect(await continueImport(running)).toBe(false);
      await adminSql(`update public.shop_imports set leased_until = null where id = $1`, [running]);
      expect(await continueImport(running)).toBe(true);
    } finally {
      await adminSql(`update public.shop_imports set status = 'canceled' where id = $1`, [running]);
    }
  });
});

// ─── Affiliate feeds (issue 12) ───

const NON_ADMINS: Caller[] = ['manager', 'agent', 'readonly', 'shopper', 'stranger'];

describe('affiliate_feeds', () => {
  it('admins read it; every other signed-in caller reads none; anon is refused', async () => {
    const counts = await cast.countsAs(
      ['admin', ...NON_ADMINS],
      `select count(*)::int as n from public.affiliate_feeds where id = $1`,
      [feedId],
    );
    expect(counts).toEqual({ admin: 1, manager: 0, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
    await expect(cast.sql('anon', 'select count(*) from public.affiliate_feeds')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('only admins add, edit and remove feeds; the network is fixed once created', async () => {
    const insert = `insert into public.affiliate_feeds (network, feed_url, format) values ('Refused ${randomUUID().slice(0, 8)}', 'https://x.example/f.json', 'json')`;
    for (const caller of [...NON_ADMINS, 'anon'] as Caller[]) {
      await expect(cast.sql(caller, insert), caller).rejects.toMatchObject({ code: '42501' });
      if (caller === 'anon') continue;
      // RLS hides the row: nothing to update or delete.
      expect(
        await cast.sql(caller, `update public.affiliate_feeds set interval_minutes = 60 where id = $1 returning id`, [
          feedId,
        ]),
      ).toEqual([]);
      expect(await cast.sql(caller, `delete from public.affiliate_feeds where id = $1 returning id`, [feedId])).toEqual(
        [],
      );
    }
    const [{ interval_minutes: unchanged }] = await adminSql<{ interval_minutes: number }>(
      'select interval_minutes from public.affiliate_feeds where id = $1',
      [feedId],
    );
    expect(unchanged).toBe(360);

    const [created] = await cast.sql<{ id: string }>('admin', `${insert.replace('Refused', 'Admin')} returning id`);
    expect(
      await cast.sql(
        'admin',
        `update public.affiliate_feeds set feed_url = 'https://x.example/g.json', interval_minutes = 60 where id = $1 returning id`,
        [created.id],
      ),
    ).toHaveLength(1);
    await expect(
      cast.sql('admin', `update public.affiliate_feeds set network = 'Other' where id = $1`, [created.id]),
    ).rejects.toMatchObject({ code: '42501' });
    // Bad values are refused by the table itself.
    for (const bad of [
      `feed_url = 'ftp://x.example/f'`,
      `format = 'tsv'`,
      `interval_minutes = 1`,
      `field_map = '{"colour": "c"}'`,
      `field_map = '{"id": 3}'`,
    ]) {
      await expect(
        cast.sql('admin', `update public.affiliate_feeds set ${bad} where id = $1`, [created.id]),
        bad,
      ).rejects.toMatchObject({ code: '23514' });
    }
    expect(
      await cast.sql('admin', `delete from public.affiliate_feeds where id = $1 returning id`, [created.id]),
    ).toHaveLength(1);
  });
});

describe.each([
  ['affiliate_feed_runs', 'feed_id', () => feedId],
  ['affiliate_feed_errors', 'run_id', () => runId],
])('%s', (table, key, value) => {
  it('admins read it; every other signed-in caller reads none; anon is refused; nobody writes through the API', async () => {
    const counts = await cast.countsAs(
      ['admin', ...NON_ADMINS],
      `select count(*)::int as n from public.${table} where ${key} = $1`,
      [value()],
    );
    expect(counts).toEqual({ admin: 1, manager: 0, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
    await expect(cast.sql('anon', `select count(*) from public.${table}`)).rejects.toMatchObject({ code: '42501' });
    const insert =
      table === 'affiliate_feed_runs'
        ? `insert into public.affiliate_feed_runs (feed_id) values ('${feedId}')`
        : `insert into public.affiliate_feed_errors (run_id, line, reason) values ('${runId}', 1, 'x')`;
    for (const caller of EVERYONE) {
      for (const statement of [insert, `update public.${table} set ${key} = ${key}`, `delete from public.${table}`]) {
        await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({ code: '42501' });
      }
    }
  });
});

describe('functions', () => {
  it('admins run a feed now; nobody else may', async () => {
    await adminSql(`update public.affiliate_feeds set next_run_at = now() + interval '1 day' where id = $1`, [feedId]);
    for (const caller of [...NON_ADMINS, 'anon'] as Caller[]) {
      const { error } = await cast.client(caller).rpc('run_affiliate_feed_now', { feed_id: feedId });
      expect(error?.code, caller).toBe('42501');
    }
    const { error } = await cast.client('admin').rpc('run_affiliate_feed_now', { feed_id: feedId });
    expect(error).toBeNull();
    const [{ due }] = await adminSql<{ due: boolean }>(
      'select next_run_at <= now() as due from public.affiliate_feeds where id = $1',
      [feedId],
    );
    expect(due).toBe(true);
    const missing = await cast.client('admin').rpc('run_affiliate_feed_now', { feed_id: randomUUID() });
    expect(missing.error?.code).toBe('P0002');
  });

  it('the import functions are the service role’s alone', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['affiliate_feed_claim', {}],
      ['affiliate_feed_stage', { run_id: runId, rows: [] }],
      ['affiliate_feed_staged', { run_id: runId }],
      ['affiliate_feed_apply', { run_id: runId }],
      ['affiliate_feed_fail', { run_id: runId, message: 'x' }],
      ['affiliate_feed_release', { run_id: runId }],
    ];
    for (const caller of EVERYONE) {
      for (const [name, args] of calls) {
        const { error } = await cast.client(caller).rpc(name, args);
        expect(error?.code, `${caller}: ${name}`).toBe('42501');
      }
    }
  });
});

// Fulfilments, locations and stock per location (issue 11), with this file's cast.
fulfilmentMatrix(() => cast);
