/**
 * ecb-rates (issue 11) against the local stack's copy of the ECB files: rates per EUR become
 * rates to the workspace base currency (cross-rated through EUR), rates set otherwise (manual, demo) are kept, the
 * import can run again without change, only the schedule or the service role may call it, and
 * the staleness of each order currency's newest rate is readable by the team.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { type Cast, createCast } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
beforeAll(async () => {
  cast = await createCast('ecb');
});
afterAll(() => cast?.end());

async function call(body: unknown, headers: Record<string, string> = {}, key = config.serviceRoleKey) {
  const response = await fetch(`${config.apiUrl}/functions/v1/ecb-rates`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: config.anonKey, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('ecb-rates', () => {
  it('imports the daily file as rates to the base currency, cross-rated through EUR, keeping rates set otherwise', async () => {
    const xml = await (await fetch(`${config.shopifyUrl}/ecb/eurofxref-daily.xml`)).text();
    const day = /time='(\d{4}-\d{2}-\d{2})'/.exec(xml)?.[1] ?? '';
    const perEur = (currency: string) => Number(new RegExp(`currency='${currency}' rate='([0-9.]+)'`).exec(xml)?.[1]);
    const [{ base }] = await adminSql<{ base: string }>('select base_currency as base from public.workspace_settings');
    await adminSql(
      `insert into public.exchange_rates (rate_date, currency, rate_to_base, source) values ($1, 'CHF', 9.99, 'manual')
       on conflict (rate_date, currency) do update set rate_to_base = 9.99, source = 'manual'`,
      [day],
    );
    const first = await call({});
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ days: 1, newest: day });
    const rates = await adminSql<{ currency: string; rate_to_base: string; source: string }>(
      `select currency, rate_to_base::text, source from public.exchange_rates where rate_date = $1 and currency in ('CAD', 'AUD', 'CHF')`,
      [day],
    );
    const of = (currency: string) => rates.find((rate) => rate.currency === currency);
    const inBase = (currency: string) => (currency === 'EUR' ? 1 : perEur(currency));
    // CAD and AUD are no demo currencies: only the ECB writes them (base EUR: 1 X = 1 / per-EUR rate).
    for (const currency of ['CAD', 'AUD']) {
      expect(of(currency)?.source, currency).toBe('ecb');
      expect(Number(of(currency)?.rate_to_base)).toBeCloseTo(inBase(base) / inBase(currency), 8);
    }
    expect(of('CHF')).toMatchObject({ rate_to_base: '9.9900000000', source: 'manual' });
    // Again: nothing changes.
    expect((await call({})).body).toMatchObject({ written: 0 });
  });

  it('cross-rates every pair through EUR when the base currency is another one', async () => {
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    try {
      await db.query('begin');
      await db.query(`update public.workspace_settings set base_currency = 'USD'`);
      const day = { date: '2001-02-05', rates: { USD: 1.25, GBP: 0.625, JPY: 125, XYZ: 3 } };
      const written = await db.query<{ n: number }>('select public.import_ecb_rates($1) as n', [JSON.stringify([day])]);
      const rows = await db.query<{ currency: string; rate: string }>(
        `select currency, rate_to_base::text as rate from public.exchange_rates where rate_date = '2001-02-05' order by currency`,
      );
      // USD is the base (no row); XYZ is no Cairn currency (skipped); EUR comes from the file's basis.
      expect(rows.rows).toEqual([
        { currency: 'EUR', rate: '1.2500000000' },
        { currency: 'GBP', rate: '2.0000000000' },
        { currency: 'JPY', rate: '0.0100000000' },
      ]);
      expect(written.rows[0].n).toBe(3);
      await expect(db.query(`select public.import_ecb_rates('{"date": "x"}')`)).rejects.toThrow(/must be an array/);
    } finally {
      await db.query('rollback').catch(() => undefined);
      await db.end();
    }
  });

  it('marks orders whose rate is more than 3 days older than the order, and the currency as stale', async () => {
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    try {
      await db.query('begin');
      const [{ base }] = (
        await db.query<{ base: string }>('select base_currency as base from public.workspace_settings')
      ).rows;
      const foreign = base === 'USD' ? 'GBP' : 'USD';
      // Rates for the foreign currency stopped 10 days ago.
      await db.query(`delete from public.exchange_rates where currency = $1 and rate_date > current_date - 10`, [
        foreign,
      ]);
      const order = async (number: string, currency: string, placedAt: string) =>
        (
          await db.query<{ id: string; exchange_rate_date: string | null; exchange_rate_stale: boolean }>(
            `insert into public.orders (shop_id, order_number, currency, subtotal, total, placed_at)
             select id, $1, $2, 10, 10, $3::timestamptz from public.shops limit 1
             returning id, exchange_rate_date::text, exchange_rate_stale`,
            [number, currency, placedAt],
          )
        ).rows[0];
      const stale = await order('STALE-RATE-1', foreign, 'now()');
      const fresh = await order('FRESH-RATE-1', foreign, new Date(Date.now() - 12 * 86_400_000).toISOString());
      const home = await order('BASE-RATE-1', base, 'now()');
      expect(stale.exchange_rate_stale).toBe(true);
      expect((stale.exchange_rate_date ?? '') < new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10)).toBe(
        true,
      );
      expect(fresh).toMatchObject({ exchange_rate_stale: false });
      expect(home).toMatchObject({ exchange_rate_stale: false, exchange_rate_date: null });
      const marked = await db.query<{ order_id: string; currency: string }>(
        `select order_id, currency from public.orders_with_stale_rates(now() - interval '1 day')`,
      );
      expect(marked.rows.map((row) => row.order_id)).toContain(stale.id);
      expect(marked.rows.map((row) => row.order_id)).not.toContain(home.id);
      // The status as a team member sees it (it answers nothing outside a member's session).
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: cast.people.readonly.userId, role: 'authenticated' }),
      ]);
      const status = await db.query<{ currency: string; stale: boolean; age_days: number }>(
        `select currency, stale, age_days from public.exchange_rate_status()`,
      );
      expect(status.rows.find((row) => row.currency === foreign)).toMatchObject({ stale: true });
    } finally {
      await db.query('rollback').catch(() => undefined);
      await db.end();
    }
  });

  it('imports the history file for backfilled orders', async () => {
    const history = await call({ history: true });
    expect(history.status).toBe(200);
    expect(Number(history.body.days)).toBeGreaterThan(500);
    const [{ days }] = await adminSql<{ days: number }>(
      `select count(distinct rate_date)::int as days from public.exchange_rates where source = 'ecb' and currency = 'USD'`,
    );
    // Days the seed's demo rates already hold are left alone.
    expect(days).toBeGreaterThan(200);
  });

  it('is refused to anyone but the schedule and the service role', async () => {
    expect((await call({}, {}, config.anonKey)).status).toBe(403);
    expect((await call({}, { 'X-Cron-Secret': 'wrong' }, config.anonKey)).status).toBe(401);
    const member = await cast.people.admin.client.auth.getSession();
    expect((await call({}, {}, member.data.session?.access_token ?? '')).status).toBe(403);
    // Nor may anyone write rates through the database function behind it.
    for (const caller of ['admin', 'manager', 'agent', 'readonly', 'stranger', 'anon'] as const) {
      const { error } = await cast.client(caller).rpc('import_ecb_rates', { days: [] });
      expect(error?.code, caller).toBe('42501');
    }
    // Bad bodies from an allowed caller: a clear error, nothing written.
    for (const body of [{ history: 'yes' }, [1, 2], 'history', null]) {
      const refused = await call(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('tells the team how old each order currency’s newest rate is; outsiders see nothing', async () => {
    const { data, error } = await cast.client('readonly').rpc('exchange_rate_status');
    expect(error).toBeNull();
    for (const row of (data ?? []) as Array<{ age_days: number | null; stale: boolean }>)
      expect(row.stale).toBe(row.age_days === null || row.age_days > 3);
    const stranger = await cast.client('stranger').rpc('exchange_rate_status');
    expect(stranger.data ?? []).toEqual([]);
    const anon = await cast.client('anon').rpc('exchange_rate_status');
    expect(anon.error?.code).toBe('42501');
  });
});
