/**
 * The alert engine's access rules (issue 5): its SQL functions are the service role's alone;
 * email events and the suppression list follow the customer pattern / team rules; revenue from
 * alerts runs with the caller's rights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createOrder } from '../../../scripts/testing/support/commerce.ts';
import { type Caller, type Cast, createCast } from '../../../scripts/testing/support/team.ts';
import { adminSql, uniqueEmail } from '@cairn/local-stack/testing.ts';

let cast: Cast;
let ownCustomer: string;
let otherCustomer: string;

beforeAll(async () => {
  cast = await createCast('alert-engine');
  ownCustomer = await createCustomer(cast.people.agent.userId);
  otherCustomer = await createCustomer(cast.people.agent2.userId);
  for (const customer of [ownCustomer, otherCustomer]) {
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at, clicked_at)
       values ($1, 'back_in_stock', 'test:' || gen_random_uuid(), 'sent', now() - interval '2 days', now() - interval '2 days')
       returning id`,
      [customer],
    );
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, alert_id, customer_id, payload)
       values (gen_random_uuid()::text, 'click', 'x@example.test', now(), $1, $2, '{}')`,
      [id, customer],
    );
    await createOrder({ customerId: customer, total: 50, placedAt: new Date(Date.now() - 86_400_000).toISOString() });
  }
  await adminSql(`insert into public.email_suppressions (email, reason) values ($1, 'bounce')`, [
    uniqueEmail('bounced'),
  ]);
});

afterAll(async () => {
  await cast.end();
});

const everyone: Caller[] = ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'];

describe('engine functions', () => {
  const calls = [
    `select * from public.run_alert_check()`,
    `select * from public.claim_due_alerts(1)`,
    `select public.record_alert_sends('[]'::jsonb)`,
    `select * from public.record_email_events('[]'::jsonb)`,
    `select public.record_unsubscribe('00000000-0000-4000-8000-000000000000', 'email', 'alerts')`,
  ];
  it('refuse everyone but the service role', async () => {
    for (const caller of everyone) {
      for (const call of calls) {
        await expect(cast.sql(caller, call), `${caller}: ${call}`).rejects.toThrow(/permission denied/);
      }
    }
  });

  it('run for the service role', async () => {
    const [result] = await cast.sql<{ events: number }>('service_role', `select * from public.run_alert_check()`);
    expect(result.events).toBeGreaterThanOrEqual(0);
    await expect(
      cast.sql('service_role', `select public.record_unsubscribe(gen_random_uuid(), 'email', 'alerts')`),
    ).rejects.toThrow(/no such customer/);
  });
});

describe('email_events', () => {
  const visible = async (caller: Caller) =>
    (
      await cast.sql<{ customer_id: string }>(
        caller,
        `select customer_id from public.email_events where customer_id = any($1::uuid[])`,
        [[ownCustomer, otherCustomer]],
      )
    ).map((row) => row.customer_id);

  it('staff read the events of the customers they may see; nobody else reads any', async () => {
    expect((await visible('admin')).sort()).toEqual([ownCustomer, otherCustomer].sort());
    expect((await visible('readonly')).length).toBe(2);
    expect(await visible('agent')).toEqual([ownCustomer]);
    expect(await visible('shopper')).toEqual([]);
    expect(await visible('stranger')).toEqual([]);
    await expect(visible('anon')).rejects.toThrow(/permission denied/);
  });

  it('nobody writes them through the API', async () => {
    for (const caller of ['admin', 'manager', 'agent'] as Caller[]) {
      await expect(
        cast.sql(
          caller,
          `insert into public.email_events (sg_event_id, event, email, occurred_at, payload) values ('x', 'open', 'a@b.c', now(), '{}')`,
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(cast.sql(caller, `delete from public.email_events`)).rejects.toThrow(/permission denied/);
    }
  });
});

describe('email_suppressions', () => {
  it('the team reads the list, managers remove from it, nobody adds through the API', async () => {
    expect((await cast.sql('agent', `select email from public.email_suppressions`)).length).toBeGreaterThan(0);
    expect(await cast.sql('shopper', `select email from public.email_suppressions`)).toEqual([]);
    await expect(cast.sql('anon', `select email from public.email_suppressions`)).rejects.toThrow(/permission denied/);
    await expect(
      cast.sql('admin', `insert into public.email_suppressions (email, reason) values ('a@b.c', 'manual')`),
    ).rejects.toThrow(/permission denied/);
    const email = uniqueEmail('removable');
    await adminSql(`insert into public.email_suppressions (email, reason) values ($1, 'bounce')`, [email]);
    expect(
      await cast.sql('agent', `delete from public.email_suppressions where email = $1 returning email`, [email]),
    ).toEqual([]);
    expect(
      await cast.sql('manager', `delete from public.email_suppressions where email = $1 returning email`, [email]),
    ).toEqual([{ email }]);
  });
});

describe('revenue from alerts', () => {
  it('counts orders within 7 days after a click, for the customers the caller may see', async () => {
    const attributed = async (caller: Caller) =>
      (
        await cast.sql<{ customer_id: string }>(
          caller,
          `select customer_id from public.alert_attributed_orders where customer_id = any($1::uuid[])`,
          [[ownCustomer, otherCustomer]],
        )
      ).map((row) => row.customer_id);
    expect((await attributed('manager')).length).toBe(2);
    expect(await attributed('agent')).toEqual([ownCustomer]);
    expect(await attributed('shopper')).toEqual([]);

    const [mine] = await cast.sql<{ clicked: string; orders: string }>(
      'agent',
      `select clicked, orders from public.alert_revenue(now() - interval '10 days', now())`,
    );
    const [all] = await cast.sql<{ clicked: string; orders: string }>(
      'admin',
      `select clicked, orders from public.alert_revenue(now() - interval '10 days', now())`,
    );
    expect(Number(mine.orders)).toBeGreaterThanOrEqual(1);
    expect(Number(all.orders)).toBeGreaterThan(Number(mine.orders));
    await expect(
      cast.sql('anon', `select * from public.alert_revenue(now() - interval '1 day', now())`),
    ).rejects.toThrow(/permission denied/);
  });
});
