import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder } from '../support/commerce.ts';
import { adminSql } from '../support/stack.ts';
import { createCast, type Cast } from '../support/team.ts';

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
