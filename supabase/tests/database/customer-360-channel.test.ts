import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * The customer-360 realtime channel (`customer-360:<customer id>`) is private: the policy on
 * realtime.messages lets in only team members who may see that customer, through the customers
 * row-level security evaluated as the caller. Nobody broadcasts on it (the screen listens to
 * postgres_changes only), so nobody may write to it either.
 */

const QUIET_MS = 1_500;
const channels: Array<{ client: SupabaseClient; channel: RealtimeChannel }> = [];

afterEach(async () => {
  await Promise.all(channels.splice(0).map(({ client, channel }) => client.removeChannel(channel)));
});

/** Joins `topic` as a private channel and resolves with the first status and its message. */
async function join(
  client: SupabaseClient,
  topic: string,
  onBroadcast?: (payload: unknown) => void,
): Promise<{ status: string; message: string; channel: RealtimeChannel }> {
  await client.realtime.setAuth();
  let channel = client.channel(topic, { config: { private: true } });
  if (onBroadcast) channel = channel.on('broadcast', { event: 'note' }, onBroadcast);
  channels.push({ client, channel });
  return new Promise((resolve) => {
    channel.subscribe((status, error) => resolve({ status, message: error?.message ?? '', channel }));
  });
}

describe('customer-360 realtime channel', () => {
  let cast: Cast;
  let agentsCustomer: string;
  const clientOf = (caller: Caller) => (caller === 'anon' ? anonClient() : cast.client(caller));

  beforeAll(async () => {
    cast = await createCast('channel');
    [{ id: agentsCustomer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Channel', $1) returning id`,
      [cast.people.agent.userId],
    );
  });
  afterAll(() => cast?.end());

  it.each<Caller>(['agent', 'manager', 'admin', 'readonly'])('%s, who may see the customer, joins', async (caller) => {
    expect((await join(clientOf(caller), `customer-360:${agentsCustomer}`)).status).toBe('SUBSCRIBED');
  });

  it.each<Caller>(['anon', 'agent2', 'stranger', 'shopper'])('%s cannot join', async (caller) => {
    const { status, message } = await join(clientOf(caller), `customer-360:${agentsCustomer}`);
    expect(status).toBe('CHANNEL_ERROR');
    expect(message).toBe(
      `Unauthorized: You do not have permissions to read from this Channel topic: customer-360:${agentsCustomer}`,
    );
  });

  it('the shopper cannot join the channel of their own record either (it is for staff)', async () => {
    const { status } = await join(clientOf('shopper'), `customer-360:${cast.shopperCustomerId}`);
    expect(status).toBe('CHANNEL_ERROR');
    expect((await join(clientOf('agent'), `customer-360:${cast.shopperCustomerId}`)).status).toBe('SUBSCRIBED');
  });

  it.each(['customer-360:not-a-uuid', 'customer-360:', "customer-360:'; select 1 --", 'customer-360'])(
    'a malformed topic (%s) is refused, not an error',
    async (topic) => {
      const { status, message } = await join(clientOf('manager'), topic);
      expect(status).toBe('CHANNEL_ERROR');
      expect(message).toMatch(/^Unauthorized: You do not have permissions to read from this Channel topic/);
    },
  );

  it('the policy never raises on a malformed topic (Realtime would report a policy error instead)', async () => {
    for (const topic of ['customer-360:not-a-uuid', 'customer-360:', 'elsewhere', '']) {
      const rows = await cast.sql<{ n: number }>(
        'manager',
        `select set_config('realtime.topic', $1, true), (select count(*)::int from realtime.messages) as n`,
        [topic],
      );
      expect(rows[0].n).toBe(0);
    }
  });

  it('a broadcast from anon, or from anyone, never reaches the channel', async () => {
    const heard: unknown[] = [];
    const { status } = await join(clientOf('agent'), `customer-360:${agentsCustomer}`, (payload) =>
      heard.push(payload),
    );
    expect(status).toBe('SUBSCRIBED');

    // anon over REST, to the private topic and to the public one of the same name.
    for (const isPrivate of [true, false]) {
      const response = await fetch(`${config.apiUrl}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: {
          apikey: config.anonKey,
          Authorization: `Bearer ${config.anonKey}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          messages: [
            {
              topic: `customer-360:${agentsCustomer}`,
              event: 'note',
              payload: { hello: 'from anon' },
              private: isPrivate,
            },
          ],
        }),
      });
      expect(response.status).toBe(202);
    }
    // anon on the public channel of the same name (what the review did).
    const anon = anonClient();
    const open = anon.channel(`customer-360:${agentsCustomer}`);
    channels.push({ client: anon, channel: open });
    await new Promise<void>((resolve) => open.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
    await open.send({ type: 'broadcast', event: 'note', payload: { hello: 'from anon' } });
    // The manager, who may join, may still not write: nothing on this channel is a broadcast.
    const manager = await join(clientOf('manager'), `customer-360:${agentsCustomer}`);
    await manager.channel.send({ type: 'broadcast', event: 'note', payload: { hello: 'from the manager' } });

    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(heard).toEqual([]);
  });
});
