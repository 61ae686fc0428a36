import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder } from '../../../scripts/testing/support/commerce.ts';
import pg from 'pg';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

describe('read models', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;

  beforeAll(async () => {
    cast = await createCast('read-models');
    agentsCustomer = await createCustomer(cast.people.agent.userId);
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    const [tag] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `Tag ${agentsCustomer.slice(0, 8)}`,
    ]);
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [agentsCustomer, tag.id]);
    await createOrder({
      customerId: agentsCustomer,
      total: 120,
      placedAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, body, author_id) values ($1, 'note', 'Prefers email', 'Prefers email over phone', $2)`,
      [agentsCustomer, cast.people.agent.userId],
    );
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'alerts', 'granted', 'portal')`,
      [cast.shopperCustomerId],
    );
  });
  afterAll(() => cast?.end());

  describe('customer_list', () => {
    const listed = async (caller: Caller) => {
      const { data, error } = await cast
        .client(caller)
        .from('customer_list')
        .select('id')
        .in('id', [agentsCustomer, agent2sCustomer]);
      expect(error).toBeNull();
      return (data ?? []).map((row) => row.id).sort();
    };

    it('shows each caller exactly the customers they may see', async () => {
      expect(await listed('admin')).toEqual([agentsCustomer, agent2sCustomer].sort());
      expect(await listed('readonly')).toEqual([agentsCustomer, agent2sCustomer].sort());
      expect(await listed('agent')).toEqual([agentsCustomer]);
      expect(await listed('stranger')).toEqual([]);
      const anon = await cast.client('anon').from('customer_list').select('id').limit(1);
      expect(anon.error).toMatchObject({ code: '42501' });
    });

    it('carries metrics, the owner name and tag names', async () => {
      const { data } = await cast.client('manager').from('customer_list').select('*').eq('id', agentsCustomer).single();
      expect(data).toMatchObject({ order_count: 1, lifetime_value: 120, owner_name: expect.stringContaining('agent') });
      expect((data as { tag_names: string[] }).tag_names).toEqual([`Tag ${agentsCustomer.slice(0, 8)}`]);
    });
  });

  describe('search_customers', () => {
    let lastName: string;
    const found = async (caller: Caller, query: string) => {
      const { data, error } = await cast.client(caller).rpc('search_customers', { query });
      expect(error).toBeNull();
      return ((data ?? []) as Array<{ id: string }>).map((row) => row.id);
    };

    beforeAll(async () => {
      [{ last_name: lastName }] = await adminSql<{ last_name: string }>(
        'select last_name from public.customers where id = $1',
        [agentsCustomer],
      );
      await adminSql('update public.customers set email = $2 where id = $1', [
        agentsCustomer,
        `zz-${lastName}@example.test`,
      ]);
    });

    it('finds by email prefix and by a name fragment', async () => {
      expect(await found('admin', `ZZ-${lastName}`)).toContain(agentsCustomer);
      expect(await found('admin', lastName.slice(1, 6))).toContain(agentsCustomer);
    });

    it('returns only customers the caller may see', async () => {
      expect(await found('manager', lastName)).toContain(agentsCustomer);
      expect(await found('readonly', lastName)).toContain(agentsCustomer);
      expect(await found('agent', lastName)).toContain(agentsCustomer);
      expect(await found('agent2', lastName)).not.toContain(agentsCustomer);
      expect(await found('shopper', lastName)).toEqual([]);
      expect(await found('stranger', lastName)).toEqual([]);
      const anon = await cast.client('anon').rpc('search_customers', { query: lastName });
      expect(anon.error).toMatchObject({ code: '42501' });
    });

    it('matches two characters at the start of the email, first or last name only', async () => {
      await adminSql(`update public.customers set first_name = 'Qxylophone' where id = $1`, [agentsCustomer]);
      expect(await found('admin', 'zZ')).toContain(agentsCustomer);
      expect(await found('admin', 'QX')).toContain(agentsCustomer);
      expect(await found('agent', lastName.slice(0, 2))).toContain(agentsCustomer);
      expect(await found('agent2', lastName.slice(0, 2))).not.toContain(agentsCustomer);
      // Two letters from inside a name find nothing there: far too many names would match.
      expect(await found('admin', 'yl')).not.toContain(agentsCustomer);
    });

    it('serves a two-character search from the prefix indexes, not by reading every customer', async () => {
      const db = new pg.Client({ connectionString: config.adminDbUrl });
      await db.connect();
      try {
        // The test database is small enough for a scan to win on cost; forbid it to prove the
        // conditions are ones the indexes can answer (at 100 000 customers the planner picks them).
        await db.query('set enable_seqscan = off');
        const plan = await db.query<{ 'QUERY PLAN': string }>(
          `explain (format text) select id from public.customers c
           where (lower(c.email) ~>=~ $1 and lower(c.email) ~<~ ($1::text || chr(1114111)))
              or (lower(c.first_name) ~>=~ $1 and lower(c.first_name) ~<~ ($1::text || chr(1114111)))
              or (lower(c.last_name) ~>=~ $1 and lower(c.last_name) ~<~ ($1::text || chr(1114111)))`,
          ['sa'],
        );
        const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(text).toContain('customers_email_prefix_idx');
        expect(text).toContain('customers_first_name_prefix_idx');
        expect(text).toContain('customers_last_name_prefix_idx');
        expect(text).not.toContain('Seq Scan');
      } finally {
        await db.end();
      }
    });

    it('takes % and _ literally and refuses a query shorter than 2 characters', async () => {
      expect(await found('admin', '%%')).toEqual([]);
      const { error } = await cast.client('admin').rpc('search_customers', { query: 'z' });
      expect(error).toMatchObject({ code: '22023', message: 'search needs at least 2 characters' });
    });

    it('refuses a query longer than 200 characters with a clear message, and takes 200 (review L-6)', async () => {
      const { error } = await cast.client('admin').rpc('search_customers', { query: 'a'.repeat(201) });
      expect(error).toMatchObject({ code: '22023', message: 'search is limited to 200 characters' });
      const { error: atLimit } = await cast.client('admin').rpc('search_customers', { query: 'a'.repeat(200) });
      expect(atLimit).toBeNull();
    });
  });

  describe('customer_timeline', () => {
    it('merges orders, activities and consent changes, newest first', async () => {
      const { data, error } = await cast
        .client('admin')
        .from('customer_timeline')
        .select('source, kind')
        .eq('customer_id', agentsCustomer)
        .order('occurred_at', { ascending: false });
      expect(error).toBeNull();
      expect(data).toEqual([
        { source: 'activity', kind: 'note' },
        { source: 'order', kind: 'order_placed' },
      ]);
    });

    it('keeps every source behind its own rules', async () => {
      const other = await cast
        .client('agent2')
        .from('customer_timeline')
        .select('source')
        .eq('customer_id', agentsCustomer);
      expect(other.data).toEqual([]);
      // A shopper sees their own consent history, never staff notes or orders.
      const own = await cast
        .client('shopper')
        .from('customer_timeline')
        .select('source')
        .eq('customer_id', cast.shopperCustomerId);
      expect(new Set((own.data ?? []).map((row) => row.source))).toEqual(new Set(['consent']));
    });
  });

  describe('dashboard', () => {
    it('counts only what the caller may see', async () => {
      const admin = await cast.client('admin').rpc('dashboard_kpis', { timezone: 'Europe/Madrid' }).single();
      const agent = await cast.client('agent').rpc('dashboard_kpis', { timezone: 'Europe/Madrid' }).single();
      expect(admin.error).toBeNull();
      const [{ n }] = await adminSql<{ n: number }>(
        'select count(*)::int as n from public.customers where owner_id = $1',
        [cast.people.agent.userId],
      );
      expect((agent.data as { customers: number }).customers).toBe(n);
      expect((admin.data as { customers: number }).customers).toBeGreaterThan(n);
      expect((admin.data as { base_currency: string }).base_currency).toBe('EUR');
    });

    it('refuses an unknown time zone with a clear message', async () => {
      const { error } = await cast.client('admin').rpc('dashboard_kpis', { timezone: 'Mars/Olympus' });
      expect(error).toMatchObject({ code: '22023', message: 'unknown time zone "Mars/Olympus"' });
    });

    it('puts an order on the day the viewer lived it', async () => {
      const customer = await createCustomer(cast.people.agent.userId);
      // 02:30 UTC on 2 March is still 1 March in New York and already 2 March in Tokyo.
      await createOrder({ customerId: customer, total: 50, placedAt: '2026-03-02T02:30:00Z' });
      const day = async (timezone: string) => {
        const { data } = await cast
          .client('agent')
          .rpc('revenue_by_day', { from_date: '2026-03-01', to_date: '2026-03-02', timezone });
        return (data as Array<{ day: string; orders: number }>).filter((row) => row.orders > 0).map((row) => row.day);
      };
      expect(await day('America/New_York')).toEqual(['2026-03-01']);
      expect(await day('Asia/Tokyo')).toEqual(['2026-03-02']);
      expect(await day('UTC')).toEqual(['2026-03-02']);
    });

    it('refuses a backwards or too long range', async () => {
      const { error } = await cast
        .client('admin')
        .rpc('revenue_by_day', { from_date: '2026-03-02', to_date: '2026-03-01' });
      expect(error?.code).toBe('22023');
    });
  });

  describe('new order notification', () => {
    it("tells the customer's owner, and nobody else", async () => {
      const orderId = await createOrder({ customerId: agentsCustomer, total: 77 });
      const mine = await cast
        .client('agent')
        .from('notifications')
        .select('kind, data')
        .eq('kind', 'new_order')
        .contains('data', { order_id: orderId });
      expect(mine.data).toEqual([
        { kind: 'new_order', data: expect.objectContaining({ order_id: orderId, customer_id: agentsCustomer }) },
      ]);
      const [{ n }] = await adminSql<{ n: number }>(
        `select count(*)::int as n from public.notifications where data->>'order_id' = $1`,
        [orderId],
      );
      expect(n).toBe(1);
    });
  });
});
