import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * The inbox's realtime channel (`inbox:<user id>`) is private and the member's own: a team
 * member joins theirs, nobody joins another's, shoppers and anon none; the messages that arrive
 * are those the member may read (an agent hears a reply to their customer, not to another's).
 */

const channels: Array<{ client: SupabaseClient; channel: RealtimeChannel }> = [];
afterEach(async () => {
  await Promise.all(channels.splice(0).map(({ client, channel }) => client.removeChannel(channel)));
});

async function join(client: SupabaseClient, topic: string, onMessage?: (row: { customer_id: string }) => void) {
  await client.realtime.setAuth();
  let channel = client.channel(topic, { config: { private: true } });
  if (onMessage)
    channel = channel.on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, (payload) =>
      onMessage(payload.new as { customer_id: string }),
    );
  channels.push({ client, channel });
  return new Promise<string>((resolve) => channel.subscribe((status) => resolve(status)));
}

describe('inbox realtime channel', () => {
  let cast: Cast;
  const clientOf = (caller: Caller) => (caller === 'anon' ? anonClient() : cast.client(caller));
  beforeAll(async () => {
    cast = await createCast('inbox-channel');
  });
  afterAll(() => cast?.end());

  it.each<Caller>(['admin', 'manager', 'agent', 'readonly'])('%s joins their own inbox', async (caller) => {
    expect(await join(clientOf(caller), `inbox:${cast.people[caller as 'agent'].userId}`)).toBe('SUBSCRIBED');
  });

  it.each<Caller>(['agent2', 'shopper', 'stranger', 'anon'])("%s cannot join the agent's inbox", async (caller) => {
    expect(await join(clientOf(caller), `inbox:${cast.people.agent.userId}`)).toBe('CHANNEL_ERROR');
  });

  it('a shopper cannot join even their own', async () => {
    expect(await join(cast.client('shopper'), `inbox:${cast.people.shopper.userId}`)).toBe('CHANNEL_ERROR');
  });

  it('delivers an inbound message to the members who may read it, not to another agent', async () => {
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Live', $1) returning id`,
      [cast.people.agent.userId],
    );
    const heard: Record<string, string[]> = { agent: [], agent2: [] };
    expect(
      await join(cast.client('agent'), `inbox:${cast.people.agent.userId}`, (row) => heard.agent.push(row.customer_id)),
    ).toBe('SUBSCRIBED');
    expect(
      await join(cast.client('agent2'), `inbox:${cast.people.agent2.userId}`, (row) =>
        heard.agent2.push(row.customer_id),
      ),
    ).toBe('SUBSCRIBED');
    const [{ id: thread }] = await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, 'Live') returning id`,
      [customer],
    );
    await adminSql(
      `insert into public.messages (thread_id, direction, from_address, to_address, subject, body_text, status)
       values ($1, 'inbound', 'live@example.test', 'team@example.test', 'Live', 'Hi', 'delivered')`,
      [thread],
    );
    const deadline = Date.now() + 5_000;
    while (heard.agent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(heard.agent).toEqual([customer]);
    expect(heard.agent2).toEqual([]);
  });
});
