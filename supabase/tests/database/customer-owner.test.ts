import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@cairn/local-stack/lib/wait.ts';
import { createCustomer, createOrder } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/** The owner kept on customer-owned rows: agents' policies depend on it being right, always. */
describe('customer owner on customer-owned rows', () => {
  let cast: Cast;
  let customer: string;
  let orderId: string;

  beforeAll(async () => {
    cast = await createCast('customer-owner');
    customer = await createCustomer(cast.people.agent.userId);
    orderId = await createOrder({ customerId: customer, total: 40 });
    await adminSql(
      `insert into public.order_items (order_id, title, quantity, unit_price, total, currency) values ($1, 'Scarf', 1, 40, 40, 'EUR')`,
      [orderId],
    );
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, author_id) values ($1, 'note', 'Owned note', $2)`,
      [customer, cast.people.agent.userId],
    );
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'marketing', 'granted', 'import')`,
      [customer],
    );
  });
  afterAll(() => cast?.end());

  const seen = async (caller: 'agent' | 'agent2') => {
    const client = cast.client(caller);
    const [orders, items, activities, consent] = await Promise.all([
      client.from('orders').select('id').eq('customer_id', customer),
      client.from('order_items').select('id').eq('order_id', orderId),
      client.from('activities').select('id').eq('customer_id', customer),
      client.from('consent_events').select('id').eq('customer_id', customer),
    ]);
    return [orders, items, activities, consent].map((result) => (result.data ?? []).length);
  };

  it("moves every row of a customer to the new owner's view when a manager reassigns it", async () => {
    expect(await seen('agent')).toEqual([1, 1, 1, 1]);
    expect(await seen('agent2')).toEqual([0, 0, 0, 0]);
    const { error } = await cast
      .client('manager')
      .from('customers')
      .update({ owner_id: cast.people.agent2.userId })
      .eq('id', customer);
    expect(error).toBeNull();
    expect(await seen('agent')).toEqual([0, 0, 0, 0]);
    expect(await seen('agent2')).toEqual([1, 1, 1, 1]);
  });

  it('leaves the consent ledger and the audit trail as they were (the owner is derived)', async () => {
    const audit = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.audit_log where table_name in ('orders', 'activities') and row_id in (select id::text from public.orders where customer_id = $1 union select id::text from public.activities where customer_id = $1) and action = 'UPDATE'`,
      [customer],
    );
    expect(audit[0].n).toBe(0);
    const { error } = await cast
      .client('service_role')
      .from('consent_events')
      .update({ note: 'rewrite' })
      .eq('customer_id', customer);
    expect(error?.code).toBe('42501');
  });

  it('sets the owner itself, and never takes one from a client', async () => {
    const created = await cast
      .client('agent2')
      .from('activities')
      .insert({ customer_id: customer, kind: 'note', subject: 'New note' })
      .select('customer_owner_id')
      .single();
    expect(created.data).toEqual({ customer_owner_id: cast.people.agent2.userId });
    const [tag] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `Owner ${customer.slice(0, 8)}`,
    ]);
    const forged = await cast
      .client('manager')
      .from('customer_tags')
      .insert({ customer_id: customer, tag_id: tag.id, customer_owner_id: cast.people.agent.userId })
      .select('customer_owner_id');
    // Refused outright (no column privilege) or overwritten by the database: either way not forged.
    if (forged.error) expect(forged.error.code).toBe('42501');
    else expect(forged.data).toEqual([{ customer_owner_id: cast.people.agent2.userId }]);
  });
});

/**
 * Review M-2: a reassignment and a write to the same customer at the same moment. One side holds
 * its transaction open on a pg client (as the webhook race test does) while the other runs; no
 * row may end up with the old owner, whichever came first.
 */
describe('customer owner under concurrent writes', () => {
  let cast: Cast;
  beforeAll(async () => (cast = await createCast('owner-race')));
  afterAll(() => cast?.end());

  /** Rows of the customer (and its orders) whose kept owner is not the customer's owner. */
  const staleRows = async (customerId: string) =>
    (
      await adminSql<{ n: number }>(
        `select ((select count(*) from public.activities a join public.customers c on c.id = a.customer_id
                  where c.id = $1 and a.customer_owner_id is distinct from c.owner_id)
              + (select count(*) from public.orders o join public.customers c on c.id = o.customer_id
                  where c.id = $1 and o.customer_owner_id is distinct from c.owner_id)
              + (select count(*) from public.order_items i join public.orders o on o.id = i.order_id
                  join public.customers c on c.id = o.customer_id
                  where c.id = $1 and i.customer_owner_id is distinct from c.owner_id))::int as n`,
        [customerId],
      )
    )[0].n;

  const lockWaiters = async (like: string) =>
    (
      await adminSql<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike $1`,
        [like],
      )
    )[0].n;

  /**
   * Starts `work` and resolves once it has either finished or is waiting for a lock; `done` is its
   * result (wrapped: an async function cannot return a promise without waiting for it).
   */
  async function startAndSettle<T>(work: () => PromiseLike<T>, like: string): Promise<{ done: Promise<T> }> {
    let settled = false;
    const running = Promise.resolve()
      .then(work)
      .finally(() => (settled = true));
    running.catch(() => undefined);
    await waitFor(
      'the second writer to finish or wait for the lock',
      async () => settled || (await lockWaiters(like)) > 0,
      10_000,
    );
    return { done: running };
  }

  /**
   * A manager moves the customer to agent2 while another transaction holds an uncommitted write
   * (`sql`): the move waits for it, and succeeds once it commits.
   */
  async function reassignWhileWriting(customer: string, sql: string, params: unknown[]): Promise<void> {
    const writer = new pg.Client({ connectionString: config.adminDbUrl });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(sql, params);
      const reassigning = await startAndSettle(
        () =>
          cast.client('manager').from('customers').update({ owner_id: cast.people.agent2.userId }).eq('id', customer),
        '%customers%',
      );
      await writer.query('commit');
      expect((await reassigning.done).error).toBeNull();
    } finally {
      await writer.end();
    }
  }

  it('a note written while a manager reassigns the customer never keeps the old owner', async () => {
    const customer = await createCustomer(cast.people.agent.userId);
    const holder = new pg.Client({ connectionString: config.adminDbUrl });
    await holder.connect();
    let note: Awaited<ReturnType<typeof addNote>>;
    const addNote = () =>
      cast
        .client('agent')
        .from('activities')
        .insert({ customer_id: customer, kind: 'note', subject: 'Written during the reassignment' })
        .select('customer_owner_id');
    try {
      await holder.query('begin');
      await holder.query('update public.customers set owner_id = $1 where id = $2', [
        cast.people.agent2.userId,
        customer,
      ]);
      const writing = await startAndSettle(addNote, '%activities%');
      await holder.query('commit');
      note = await writing.done;
    } finally {
      await holder.end();
    }
    // Either refused (the agent no longer owns the customer once the reassignment is in) or kept
    // with the new owner — never stored for the old one.
    if (note.error) expect(note.error.code).toBe('42501');
    else expect(note.data).toEqual([{ customer_owner_id: cast.people.agent2.userId }]);
    expect(await staleRows(customer)).toBe(0);
  });

  it('a reassignment waits for a note being written, and carries the new owner onto it', async () => {
    const customer = await createCustomer(cast.people.agent.userId);
    await reassignWhileWriting(
      customer,
      `insert into public.activities (customer_id, kind, subject) values ($1, 'note', 'In flight')`,
      [customer],
    );
    expect(await staleRows(customer)).toBe(0);
    const seen = await cast.client('agent2').from('activities').select('subject').eq('customer_id', customer);
    expect(seen.data).toEqual([{ subject: 'In flight' }]);
  });

  it('a line item added to an order while its customer is reassigned follows the new owner', async () => {
    const customer = await createCustomer(cast.people.agent.userId);
    const orderId = await createOrder({ customerId: customer, total: 40 });
    await reassignWhileWriting(
      customer,
      `insert into public.order_items (order_id, title, quantity, unit_price, total, currency) values ($1, 'Late line', 1, 40, 40, 'EUR')`,
      [orderId],
    );
    expect(await staleRows(customer)).toBe(0);
  });
});

describe('customer_owner_drift(): the consistency check', () => {
  let cast: Cast;
  beforeAll(async () => (cast = await createCast('owner-drift')));
  afterAll(() => cast?.end());

  it('lists a row whose kept owner is wrong, to admins and the service role only', async () => {
    const customer = await createCustomer(cast.people.agent.userId);
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.activities (customer_id, kind, subject) values ($1, 'note', 'Drifted') returning id`,
      [customer],
    );
    // Planted as a lost race would leave it (triggers bypassed).
    await adminSql(
      `set local session_replication_role = replica;
       update public.activities set customer_owner_id = '${cast.people.agent2.userId}' where id = '${id}';`,
    );
    for (const caller of ['admin', 'service_role'] as const) {
      const { data, error } = await cast.client(caller).rpc('customer_owner_drift');
      expect(error).toBeNull();
      expect(data).toContainEqual({
        table_name: 'activities',
        row_id: id,
        customer_id: customer,
        customer_owner_id: cast.people.agent2.userId,
        owner_id: cast.people.agent.userId,
      });
    }
    for (const caller of ['manager', 'agent', 'readonly', 'shopper'] as const) {
      const { error } = await cast.client(caller).rpc('customer_owner_drift');
      expect(error).toMatchObject({ code: '42501' });
    }
    expect((await cast.client('anon').rpc('customer_owner_drift')).error).not.toBeNull();
    await adminSql(`delete from public.activities where id = $1`, [id]);
  });
});
