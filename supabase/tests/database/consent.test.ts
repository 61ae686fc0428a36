import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * The consent ledger: the role matrix for consent_events (staff per the customer-owned pattern,
 * shoppers their own ledger, append-only for everyone including the service role), what the
 * database fills in itself (actor, portal source, time, request evidence), the current-state
 * view customer_consents (latest event wins) and private.has_consent, and the audit trail.
 */

interface ConsentEvent {
  id: number;
  customer_id: string;
  channel: string;
  purpose: string;
  status: string;
  source: string;
  actor_id: string | null;
  occurred_at: string;
  evidence: Record<string, unknown>;
}

const event = (customerId: string, fields: Partial<ConsentEvent> = {}) => ({
  customer_id: customerId,
  channel: 'email',
  purpose: 'marketing',
  status: 'granted',
  ...fields,
});

async function systemEvent(customerId: string, fields: Partial<ConsentEvent> = {}): Promise<number> {
  const row = { source: 'shopify', ...event(customerId, fields) };
  const [{ id }] = await adminSql<{ id: number }>(
    `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
     values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now())) returning id`,
    [row.customer_id, row.channel, row.purpose, row.status, row.source, fields.occurred_at ?? null],
  );
  return id;
}

async function newCustomer(owner: string | null, name: string): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, owner_id) values ($1, $2) returning id`,
    [name, owner],
  );
  return id;
}

describe('consent_events: access rules', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;
  let customers: string[];

  beforeAll(async () => {
    cast = await createCast('consent');
    agentsCustomer = await newCustomer(cast.people.agent.userId, 'Consent, owned by agent');
    agent2sCustomer = await newCustomer(cast.people.agent2.userId, 'Consent, owned by agent2');
    customers = [agentsCustomer, agent2sCustomer, cast.shopperCustomerId];
    for (const id of customers) await systemEvent(id);
  });
  afterAll(() => cast?.end());

  const ledgerOf = async (caller: Caller, from = 'consent_events') => {
    const { data, error } = await cast.client(caller).from(from).select('customer_id').in('customer_id', customers);
    expect(error).toBeNull();
    return [...new Set((data ?? []).map((row) => row.customer_id as string))].sort();
  };

  describe('select (the ledger and the current-state view alike)', () => {
    it.each<Caller>(['admin', 'manager', 'readonly', 'service_role'])('%s reads every ledger', async (caller) => {
      expect(await ledgerOf(caller)).toEqual([...customers].sort());
      expect(await ledgerOf(caller, 'customer_consents')).toEqual([...customers].sort());
    });

    it('an agent reads the ledgers of their own customers only', async () => {
      expect(await ledgerOf('agent')).toEqual([agentsCustomer, cast.shopperCustomerId].sort());
      expect(await ledgerOf('agent2')).toEqual([agent2sCustomer]);
      expect(await ledgerOf('agent2', 'customer_consents')).toEqual([agent2sCustomer]);
    });

    it('a shopper reads their own ledger only', async () => {
      expect(await ledgerOf('shopper')).toEqual([cast.shopperCustomerId]);
      expect(await ledgerOf('shopper', 'customer_consents')).toEqual([cast.shopperCustomerId]);
    });

    it('a signed-in stranger reads nothing, and anon is refused', async () => {
      expect(await ledgerOf('stranger')).toEqual([]);
      expect(await ledgerOf('stranger', 'customer_consents')).toEqual([]);
      for (const from of ['consent_events', 'customer_consents']) {
        const { error } = await cast.client('anon').from(from).select('customer_id').limit(1);
        expect(error).toMatchObject({ code: '42501' });
      }
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            'select count(distinct customer_id)::int as n from public.consent_events where customer_id = any($1)',
            [customers],
          )
        )[0].n;
      expect(await count('readonly')).toBe(3);
      expect(await count('agent')).toBe(2);
      expect(await count('shopper')).toBe(1);
      expect(await count('stranger')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.consent_events limit 1')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('insert', () => {
    const record = (caller: Caller, row: Record<string, unknown>) =>
      cast.client(caller).from('consent_events').insert(row).select().single<ConsentEvent>();

    it.each(['admin', 'manager'] as const)('%s records consent for any customer, as its actor', async (caller) => {
      const { data, error } = await record(caller, event(agent2sCustomer, { channel: 'sms' }));
      expect(error).toBeNull();
      expect(data).toMatchObject({ source: 'staff', actor_id: cast.people[caller].userId });
    });

    it('an agent records consent for their own customers only', async () => {
      expect((await record('agent', event(agentsCustomer, { status: 'withdrawn' }))).error).toBeNull();
      expect((await record('agent', event(agent2sCustomer))).error).toMatchObject({ code: '42501' });
      await expect(
        cast.sql(
          'agent',
          `insert into public.consent_events (customer_id, channel, purpose, status) values ($1, 'email', 'alerts', 'granted')`,
          [agent2sCustomer],
        ),
      ).rejects.toMatchObject({ code: '42501' });
    });

    it('staff may record a CSV import, but not claim a source only the system witnesses', async () => {
      expect((await record('manager', { ...event(agentsCustomer), source: 'import' })).error).toBeNull();
      const { error } = await record('agent', { ...event(agentsCustomer), source: 'unsubscribe_link' });
      expect(error?.code).toBe('23514');
      expect(error?.message).toBe('team members record consent with source staff or import, not unsubscribe_link');
    });

    it('nobody on the API names another actor', async () => {
      const { error } = await record('manager', { ...event(agentsCustomer), actor_id: cast.people.agent.userId });
      expect(error).toMatchObject({ code: '42501' });
      expect(error?.message).toMatch(/permission denied/);
    });

    it('a shopper records their own choice: portal, themselves, now, with the request as evidence', async () => {
      const { data, error } = await record('shopper', {
        ...event(cast.shopperCustomerId, { purpose: 'alerts' }),
        source: 'staff',
        occurred_at: '2020-01-01T00:00:00Z',
        evidence: { text_shown: 'Email me when my favourites drop in price', ip: '203.0.113.9' },
      });
      expect(error).toBeNull();
      const recorded = data as ConsentEvent;
      expect(recorded).toMatchObject({ source: 'portal', actor_id: cast.people.shopper.userId });
      expect(Date.now() - new Date(recorded.occurred_at).getTime()).toBeLessThan(60_000);
      expect(recorded.evidence.text_shown).toBe('Email me when my favourites drop in price');
      // The database is the witness: what the client claims about its own request is replaced.
      expect(recorded.evidence.ip).not.toBe('203.0.113.9');
      expect(typeof recorded.evidence.user_agent).toBe('string');
    });

    it("a shopper's forged X-Forwarded-For is kept as untrusted detail; the address is the proxy's", async () => {
      const { data: session } = await cast.client('shopper').auth.getSession();
      const response = await fetch(`${config.apiUrl}/rest/v1/consent_events?select=evidence`, {
        method: 'POST',
        headers: {
          apikey: config.anonKey,
          Authorization: `Bearer ${session.session?.access_token}`,
          'Content-Type': 'application/json',
          Prefer: 'return=representation',
          'X-Forwarded-For': '6.6.6.6',
          'X-Real-IP': '6.6.6.7',
          'CF-Connecting-IP': '6.6.6.8',
          'User-Agent': 'forged-agent',
        },
        body: JSON.stringify(event(cast.shopperCustomerId, { purpose: 'alerts', status: 'withdrawn' })),
      });
      expect(response.status).toBe(201);
      const [{ evidence }] = (await response.json()) as Array<{ evidence: Record<string, unknown> }>;
      // The gateway (Kong locally, Cloudflare and the API gateway on hosted Supabase) appends the
      // address it saw; this test reaches it from the loopback address.
      expect(evidence).toEqual({ ip: '127.0.0.1', forwarded_for: '6.6.6.6, 127.0.0.1', user_agent: 'forged-agent' });
    });

    it('a shopper records nothing for anyone else', async () => {
      expect((await record('shopper', event(agentsCustomer))).error).toMatchObject({ code: '42501' });
    });

    it.each<Caller>(['readonly', 'stranger', 'anon'])('%s records nothing', async (caller) => {
      expect((await record(caller, event(agentsCustomer))).error).toMatchObject({ code: '42501' });
    });

    it('the system records any source and time, with no actor', async () => {
      const { data, error } = await record('service_role', {
        ...event(agentsCustomer, { channel: 'post' }),
        source: 'unsubscribe_link',
        status: 'withdrawn',
        occurred_at: '2026-01-02T03:04:05Z',
      });
      expect(error).toBeNull();
      expect(data).toMatchObject({ source: 'unsubscribe_link', actor_id: null });
      expect(new Date((data as ConsentEvent).occurred_at).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    });
  });

  describe('update and delete: append-only, for everyone', () => {
    let eventId: number;
    beforeAll(async () => {
      eventId = await systemEvent(agentsCustomer, { channel: 'phone' });
    });

    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon', 'service_role'])(
      '%s can neither change nor delete an event',
      async (caller) => {
        const update = await cast
          .client(caller)
          .from('consent_events')
          .update({ status: 'withdrawn' })
          .eq('id', eventId);
        expect(update.error).toMatchObject({ code: '42501' });
        const remove = await cast.client(caller).from('consent_events').delete().eq('id', eventId);
        expect(remove.error).toMatchObject({ code: '42501' });
      },
    );

    it('the service role is refused in SQL as the role too', async () => {
      await expect(
        cast.sql('service_role', `update public.consent_events set status = 'withdrawn' where id = $1`, [eventId]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        cast.sql('service_role', `delete from public.consent_events where id = $1`, [eventId]),
      ).rejects.toMatchObject({ code: '42501' });
    });

    it('even the database owner cannot rewrite the ledger', async () => {
      const refusal = { code: '42501', message: expect.stringMatching(/consent_events is append-only/) as unknown };
      await expect(
        adminSql(`update public.consent_events set status = 'withdrawn' where id = $1`, [eventId]),
      ).rejects.toMatchObject(refusal);
      await expect(adminSql(`delete from public.consent_events where id = $1`, [eventId])).rejects.toMatchObject(
        refusal,
      );
      await expect(adminSql(`truncate public.consent_events`)).rejects.toMatchObject(refusal);
      const [row] = await adminSql<{ status: string }>('select status from public.consent_events where id = $1', [
        eventId,
      ]);
      expect(row.status).toBe('granted');
    });

    it('the ledger goes only with its customer', async () => {
      const doomed = await newCustomer(null, 'Consent, to be deleted');
      await systemEvent(doomed);
      const { data } = await cast.client('manager').from('customers').delete().eq('id', doomed).select('id');
      expect(data).toEqual([{ id: doomed }]);
      expect(await adminSql('select 1 from public.consent_events where customer_id = $1', [doomed])).toEqual([]);
    });
  });
});

describe('consent: current state, has_consent, bad input and audit', () => {
  let cast: Cast;
  beforeAll(async () => (cast = await createCast('consent-state')));
  afterAll(() => cast?.end());

  it('the latest event wins, by when it happened, not when it was recorded', async () => {
    const id = await newCustomer(null, 'Changes their mind');
    await systemEvent(id, { status: 'granted', occurred_at: '2026-03-01T10:00:00Z' });
    await systemEvent(id, { status: 'withdrawn', occurred_at: '2026-05-01T10:00:00Z' });
    // Recorded last, but it happened before the withdrawal (e.g. a late Shopify backfill).
    await systemEvent(id, { status: 'granted', occurred_at: '2026-04-01T10:00:00Z' });
    // Other channels and purposes are independent.
    await systemEvent(id, { channel: 'sms', status: 'granted', occurred_at: '2026-02-01T10:00:00Z' });
    await systemEvent(id, { purpose: 'newsletter', status: 'granted', occurred_at: '2026-02-01T10:00:00Z' });

    const { data, error } = await cast
      .client('admin')
      .from('customer_consents')
      .select('channel, purpose, status, granted, since, source')
      .eq('customer_id', id)
      .order('channel')
      .order('purpose');
    expect(error).toBeNull();
    expect(data?.map((row) => ({ ...row, since: new Date(row.since as string).toISOString() }))).toEqual([
      {
        channel: 'email',
        purpose: 'marketing',
        status: 'withdrawn',
        granted: false,
        since: '2026-05-01T10:00:00.000Z',
        source: 'shopify',
      },
      {
        channel: 'email',
        purpose: 'newsletter',
        status: 'granted',
        granted: true,
        since: '2026-02-01T10:00:00.000Z',
        source: 'shopify',
      },
      {
        channel: 'sms',
        purpose: 'marketing',
        status: 'granted',
        granted: true,
        since: '2026-02-01T10:00:00.000Z',
        source: 'shopify',
      },
    ]);
  });

  it('events at the same instant: the one recorded last wins', async () => {
    const id = await newCustomer(null, 'Same instant');
    const at = '2026-06-01T12:00:00Z';
    await systemEvent(id, { status: 'withdrawn', occurred_at: at });
    await systemEvent(id, { status: 'granted', occurred_at: at });
    const rows = await cast.sql<{ status: string }>(
      'service_role',
      'select status from public.customer_consents where customer_id = $1',
      [id],
    );
    expect(rows).toEqual([{ status: 'granted' }]);
  });

  it('has_consent answers from the latest event; never asked means no', async () => {
    const id = await newCustomer(cast.people.agent.userId, 'Asked once');
    await systemEvent(id, { status: 'granted', occurred_at: '2026-01-01T00:00:00Z' });
    await systemEvent(id, { status: 'withdrawn', occurred_at: '2026-02-01T00:00:00Z' });
    await systemEvent(id, { purpose: 'alerts', status: 'granted' });
    const ask = async (caller: Caller, channel: string, purpose: string) =>
      (
        await cast.sql<{ answer: boolean }>(caller, 'select private.has_consent($1, $2, $3) as answer', [
          id,
          channel,
          purpose,
        ])
      )[0].answer;
    expect(await ask('service_role', 'email', 'marketing')).toBe(false);
    expect(await ask('service_role', 'email', 'alerts')).toBe(true);
    expect(await ask('service_role', 'sms', 'alerts')).toBe(false);
    expect(await ask('agent', 'email', 'alerts')).toBe(true);
    expect(await ask('manager', 'email', 'alerts')).toBe(true);
    // Callers who may not see the customer learn nothing.
    expect(await ask('agent2', 'email', 'alerts')).toBe(false);
    expect(await ask('stranger', 'email', 'alerts')).toBe(false);
    await expect(ask('anon', 'email', 'alerts')).rejects.toMatchObject({ code: '42501' });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown channel', { channel: 'fax' }, '22P02', /consent_channel/],
    ['an unknown purpose', { purpose: 'spam' }, '22P02', /consent_purpose/],
    ['an unknown status', { status: 'maybe' }, '22P02', /consent_status/],
    ['an event in the future', { occurred_at: '2999-01-01T00:00:00Z' }, '23514', /cannot happen in the future/],
    ['evidence that is not an object', { evidence: ['yes'] }, '23514', /consent_events_evidence_is_an_object/],
    ['an unknown customer', { customer_id: '00000000-0000-4000-8000-000000000000' }, '23503', /customer_id_fkey/],
  ])('refuses %s', async (_, fields, code, message) => {
    const { error } = await cast
      .client('service_role')
      .from('consent_events')
      .insert({ ...event(cast.shopperCustomerId), source: 'api', ...fields });
    expect(error?.code).toBe(code);
    expect(`${error?.message} ${error?.details}`).toMatch(message);
  });

  it('refuses an event without a source from the system', async () => {
    const { error } = await cast.client('service_role').from('consent_events').insert(event(cast.shopperCustomerId));
    expect(error?.code).toBe('23502');
    expect(error?.message).toMatch(/source/);
  });

  it('writes an audit row for each event, with the actor', async () => {
    const { data } = await cast
      .client('shopper')
      .from('consent_events')
      .insert({ ...event(cast.shopperCustomerId), status: 'withdrawn' })
      .select('id')
      .single<{ id: number }>();
    const rows = await adminSql<{ action: string; actor_id: string; after: { status: string } }>(
      `select action, actor_id, after from public.audit_log where table_name = 'consent_events' and row_id = $1`,
      [String(data?.id)],
    );
    expect(rows).toEqual([
      {
        action: 'INSERT',
        actor_id: cast.people.shopper.userId,
        after: expect.objectContaining({ status: 'withdrawn' }) as unknown,
      },
    ]);
  });
});
