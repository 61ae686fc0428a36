import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createCustomer, createShop } from '../../../scripts/testing/support/commerce.ts';

/**
 * The notification centre: preferences (role matrix; in_app / email_digest / off applied to
 * every notification), the helpers other code calls (private.notify, notify_admins,
 * notify_integration_failure), the triggers for deal won / lost, customer assigned, customer
 * reply and email bounced, mark all read, and the retention purge.
 */

async function notificationsOf(recipient: string, kind: string, since: Date) {
  return adminSql<{ id: string; title: string; link: string; data: Record<string, string>; email_pending: boolean }>(
    `select id, title, link, data, email_pending from public.notifications
     where recipient_id = $1 and kind = $2 and created_at >= $3 order by created_at, id`,
    [recipient, kind, since],
  );
}

describe('notification preferences: access rules', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('notification-prefs');
    for (const persona of ['admin', 'agent', 'agent2'] as const) {
      await adminSql(
        `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'new_order', 'off')`,
        [cast.people[persona].userId],
      );
    }
  });
  afterAll(() => cast?.end());

  it('each member reads only their own; the service role all; shoppers and strangers nothing', async () => {
    const ids = [cast.people.admin.userId, cast.people.agent.userId, cast.people.agent2.userId];
    expect(
      await cast.countsAs(
        ['admin', 'manager', 'agent', 'agent2', 'readonly', 'service_role', 'shopper', 'stranger'],
        'select count(*)::int as n from public.notification_preferences where user_id = any($1)',
        [ids],
      ),
    ).toEqual({ admin: 1, manager: 0, agent: 1, agent2: 1, readonly: 0, service_role: 3, shopper: 0, stranger: 0 });
    expect((await cast.client('anon').from('notification_preferences').select('kind')).error?.code).toBe('42501');
  });

  it.each<Caller>(['admin', 'manager', 'agent', 'readonly'])(
    '%s sets, changes and removes their own',
    async (caller) => {
      const client = cast.client(caller);
      const added = await client
        .from('notification_preferences')
        .insert({ kind: 'deal_won', delivery: 'email_digest' });
      expect(added.error).toBeNull();
      const changed = await client
        .from('notification_preferences')
        .update({ delivery: 'off' })
        .eq('kind', 'deal_won')
        .select('delivery');
      expect(changed.data).toEqual([{ delivery: 'off' }]);
      const removed = await client.from('notification_preferences').delete().eq('kind', 'deal_won').select('kind');
      expect(removed.data).toEqual([{ kind: 'deal_won' }]);
    },
  );

  it("nobody sets or changes another member's preferences, admins included", async () => {
    const agent = cast.people.agent.userId;
    for (const caller of ['admin', 'manager', 'agent2', 'readonly', 'shopper', 'stranger'] as const) {
      const { error } = await cast
        .client(caller)
        .from('notification_preferences')
        .insert({ user_id: agent, kind: 'task_due', delivery: 'off' });
      expect(error?.code, caller).toBe('42501');
      const changed = await cast
        .client(caller)
        .from('notification_preferences')
        .update({ delivery: 'in_app' })
        .eq('user_id', agent)
        .select();
      expect(changed.data ?? [], caller).toEqual([]);
      const removed = await cast.client(caller).from('notification_preferences').delete().eq('user_id', agent).select();
      expect(removed.data ?? [], caller).toEqual([]);
    }
    expect(
      (
        await cast
          .client('anon')
          .from('notification_preferences')
          .insert({ user_id: agent, kind: 'task_due', delivery: 'off' })
      ).error?.code,
    ).toBe('42501');
    const [row] = await adminSql<{ delivery: string }>(
      `select delivery from public.notification_preferences where user_id = $1 and kind = 'new_order'`,
      [agent],
    );
    expect(row.delivery).toBe('off');
  });

  it('refuses an unknown kind or delivery', async () => {
    for (const row of [
      { kind: 'gossip', delivery: 'off' },
      { kind: 'task_due', delivery: 'pigeon' },
    ]) {
      expect((await cast.client('agent').from('notification_preferences').insert(row)).error?.code).toBe('22P02');
    }
  });

  it('users cannot call the notify helpers', async () => {
    for (const caller of ['admin', 'agent'] as const) {
      await expect(
        cast.sql(caller, `select private.notify($1, 'system', 'Hi')`, [cast.people.agent.userId]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        cast.sql(caller, `select private.notify_integration_failure('shopify', 'x', 'boom')`),
      ).rejects.toMatchObject({ code: '42501' });
    }
  });
});

describe('notify and the preferences', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('notify');
  });
  afterAll(() => cast?.end());

  const notify = async (recipient: string | null, kind = 'system') =>
    (
      await adminSql<{ id: string | null }>(
        `select private.notify($1, $2::public.notification_kind, 'Hello', 'Body', '/tasks', '{"x": "1"}') as id`,
        [recipient, kind],
      )
    )[0].id;

  it('creates an in-app notification by default, none when the kind is off, a digest one when asked', async () => {
    const agent = cast.people.agent.userId;
    expect(await notify(agent)).not.toBeNull();
    await adminSql(
      `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'system', 'off'), ($1, 'mention', 'email_digest')`,
      [agent],
    );
    expect(await notify(agent)).toBeNull();
    const digest = await notify(agent, 'mention');
    const [row] = await adminSql<{ email_pending: boolean }>(
      `select email_pending from public.notifications where id = $1`,
      [digest],
    );
    expect(row.email_pending).toBe(true);
    // Triggers that insert directly are filtered the same way.
    await adminSql(
      `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'new_order', 'off')`,
      [agent],
    );
    const [{ n }] = await adminSql<{ n: number }>(
      `with i as (insert into public.notifications (recipient_id, kind, title) values ($1, 'new_order', 'x') returning 1)
       select count(*)::int as n from i`,
      [agent],
    );
    expect(n).toBe(0);
  });

  it('skips unknown, missing and inactive recipients without failing', async () => {
    expect(await notify(null)).toBeNull();
    expect(await notify(randomUUID())).toBeNull();
    await adminSql(`update public.team_members set active = false where user_id = $1`, [cast.people.readonly.userId]);
    expect(await notify(cast.people.readonly.userId)).toBeNull();
  });

  it('tells every active admin about a failed integration job, once while it is unread', async () => {
    const since = new Date();
    const job = randomUUID();
    const first = await adminSql<{ n: number }>(
      `select private.notify_integration_failure('shopify', $1, 'HTTP 401 from the shop') as n`,
      [job],
    );
    expect(first[0].n).toBeGreaterThanOrEqual(1);
    const again = await adminSql<{ n: number }>(
      `select private.notify_integration_failure('shopify', $1, 'HTTP 401 again') as n`,
      [job],
    );
    expect(again[0].n).toBe(0);
    const mine = await notificationsOf(cast.people.admin.userId, 'integration_failed', since);
    expect(mine).toHaveLength(1);
    expect(mine[0].data).toEqual({ integration: 'shopify', job });
    expect(await notificationsOf(cast.people.manager.userId, 'integration_failed', since)).toEqual([]);
    await adminSql(
      `update public.notifications set read_at = now() where kind = 'integration_failed' and data->>'job' = $1`,
      [job],
    );
    const afterRead = await adminSql<{ n: number }>(
      `select private.notify_integration_failure('shopify', $1, 'failing still') as n`,
      [job],
    );
    expect(afterRead[0].n).toBeGreaterThanOrEqual(1);
  });

  it('a Shopify delivery that fails tells the admins, once per shop while unread; retries and successes do not', async () => {
    const since = new Date();
    const shop = await createShop();
    const delivery = (status: string, event = randomUUID()) =>
      adminSql<{ id: number }>(
        `insert into public.webhook_deliveries (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status, last_error)
         values ($1, 'orders/create', $2, $2, now(), '2025-10', '{}', $3::public.webhook_delivery_status, $4) returning id`,
        [shop, event, status, status === 'failed' ? 'record does not validate' : null],
      );
    const ofShop = async (who: string) =>
      (await notificationsOf(who, 'integration_failed', since)).filter(
        (row) => (row.data as { job?: string }).job === `webhooks:${shop}`,
      );
    await delivery('applied');
    const [{ id: received }] = await delivery('received');
    expect(await ofShop(cast.people.admin.userId)).toEqual([]);

    await delivery('failed');
    const [first] = await ofShop(cast.people.admin.userId);
    expect(first).toMatchObject({ data: { integration: 'shopify', job: `webhooks:${shop}` } });
    expect(await ofShop(cast.people.manager.userId)).toEqual([]);
    // Another failure of the same shop (a new one, or applying fails on a retry): nothing new while unread.
    await delivery('failed');
    await adminSql(`update public.webhook_deliveries set status = 'failed', last_error = 'boom' where id = $1`, [
      received,
    ]);
    await adminSql(`update public.webhook_deliveries set attempts = attempts + 1 where id = $1`, [received]);
    expect(await ofShop(cast.people.admin.userId)).toHaveLength(1);
    // Read (by the admins: the helper waits until no copy is unread): the next failure tells again.
    await adminSql(
      `update public.notifications set read_at = now() where kind = 'integration_failed' and data->>'job' = $1`,
      [`webhooks:${shop}`],
    );
    await delivery('failed');
    expect(await ofShop(cast.people.admin.userId)).toHaveLength(2);
  });

  it('a failed history import and a failed token renewal tell the admins, deep-linked to the store', async () => {
    const since = new Date();
    const shop = await createShop();
    const [{ id: importId }] = await adminSql<{ id: string }>(
      `insert into public.shop_imports (shop_id) values ($1) returning id`,
      [shop],
    );
    await adminSql(
      `update public.shop_imports set status = 'failed', last_error = 'bulk operation expired' where id = $1`,
      [importId],
    );
    await adminSql(`update public.shop_imports set last_error = 'still expired' where id = $1`, [importId]);
    const imports = (await notificationsOf(cast.people.admin.userId, 'integration_failed', since)).filter(
      (row) => row.data.job === `import:${importId}`,
    );
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ link: `/settings/integrations?shop=${shop}` });
    expect(imports[0].title).toBe('Shopify history import: a job failed');
    expect(await notificationsOf(cast.people.manager.userId, 'integration_failed', since)).toEqual([]);

    await adminSql(
      `insert into public.shop_connections (shop_id, auth_kind, secret_last4, token_last4, webhook_url)
       values ($1, 'legacy_token', 'abcd', 'efgh', 'https://example.com/hook')`,
      [shop],
    );
    await adminSql(`select public.shopify_record_token_failure($1, 'invalid client secret')`, [shop]);
    await adminSql(`select public.shopify_record_token_failure($1, 'invalid client secret')`, [shop]);
    const tokens = (await notificationsOf(cast.people.admin.userId, 'integration_failed', since)).filter(
      (row) => row.data.shop_id === shop,
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({
      link: `/settings/integrations?shop=${shop}`,
      data: { integration: 'Shopify token renewal' },
    });
  });

  it('a scheduled call answered with an error (the ECB import) tells the admins once, linked to the job health page', async () => {
    const since = new Date();
    await adminSql(
      `update public.notifications set read_at = now() where kind = 'integration_failed' and data->>'job' = 'job:ecb-rates'`,
    );
    const requestId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    await adminSql(
      `insert into private.scheduled_calls (job_name, request_id, called_at) values ('ecb-rates', $1, now() - interval '2 minutes')`,
      [requestId],
    );
    await adminSql(
      `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, created)
       values ($1, 502, 'application/json', '{}', '{"error":{"code":"upstream_error"}}', false, now())`,
      [requestId],
    );
    // A call still waiting for its answer is not a failure yet.
    await adminSql(
      `insert into private.scheduled_calls (job_name, request_id, called_at) values ('ecb-rates', $1, now() - interval '1 minute')`,
      [requestId + 1],
    );
    await adminSql('select private.notify_failed_scheduled_calls()');
    await adminSql('select private.notify_failed_scheduled_calls()');
    const told = (await notificationsOf(cast.people.admin.userId, 'integration_failed', since)).filter(
      (row) => row.data.job === 'job:ecb-rates',
    );
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: 'ECB exchange rates: a job failed', link: '/settings/scheduled-jobs' });
    await adminSql(`delete from net._http_response where id = $1`, [requestId]);
    await adminSql(`delete from private.scheduled_calls where request_id in ($1, $2)`, [requestId, requestId + 1]);
  });
});

describe('what notifies whom', () => {
  let cast: Cast;
  let customer: string;
  beforeAll(async () => {
    cast = await createCast('notify-triggers');
    customer = await createCustomer(cast.people.agent.userId);
  });
  afterAll(() => cast?.end());

  it("a deal closed by someone else tells its owner, won or lost; one's own move does not", async () => {
    const since = new Date();
    const stages = await adminSql<{ id: string; name: string }>(
      `select s.id, s.name from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id where p.name = 'Wholesale deals'`,
    );
    const id = (name: string) => stages.find((row) => row.name === name)?.id ?? '';
    const [{ id: dealA }, { id: dealB }] = await adminSql<{ id: string }>(
      `insert into public.deals (customer_id, title, stage_id, owner_id) values ($1, 'Alpha', $2, $3), ($1, 'Beta', $2, $3) returning id`,
      [customer, id('Lead'), cast.people.agent.userId],
    );
    expect(
      (await cast.client('manager').rpc('move_deal', { deal_id: dealA, to_stage_id: id('Won'), reason: 'Signed' }))
        .error,
    ).toBeNull();
    expect(
      (await cast.client('manager').rpc('move_deal', { deal_id: dealB, to_stage_id: id('Lost'), reason: 'Price' }))
        .error,
    ).toBeNull();
    const won = await notificationsOf(cast.people.agent.userId, 'deal_won', since);
    expect(won.map((row) => [row.title, row.link])).toEqual([['Deal won: Alpha', `/pipeline?deal=${dealA}`]]);
    expect((await notificationsOf(cast.people.agent.userId, 'deal_lost', since)).map((row) => row.title)).toEqual([
      'Deal lost: Beta',
    ]);
    // Reopen and close again themselves: nothing new.
    await cast.client('agent').rpc('move_deal', { deal_id: dealA, to_stage_id: id('Lead') });
    await cast.client('agent').rpc('move_deal', { deal_id: dealA, to_stage_id: id('Won'), reason: 'Again' });
    expect(await notificationsOf(cast.people.agent.userId, 'deal_won', since)).toHaveLength(1);
  });

  it('a customer handed to a member tells them, unless they took it themselves', async () => {
    const since = new Date();
    const other = await createCustomer(null);
    await cast.client('manager').from('customers').update({ owner_id: cast.people.agent2.userId }).eq('id', other);
    const got = await notificationsOf(cast.people.agent2.userId, 'customer_assigned', since);
    expect(got.map((row) => row.link)).toEqual([`/customers/${other}`]);
    expect(got[0].data).toMatchObject({ customer_id: other, assigned_by: cast.people.manager.userId });
    await cast.client('manager').from('customers').update({ owner_id: cast.people.manager.userId }).eq('id', other);
    expect(await notificationsOf(cast.people.manager.userId, 'customer_assigned', since)).toEqual([]);
  });

  it("an inbound message tells the customer's owner; an outbound one nobody", async () => {
    const since = new Date();
    const [{ id: thread }] = await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, 'Puppy question') returning id`,
      [customer],
    );
    for (const direction of ['inbound', 'outbound']) {
      await adminSql(
        `insert into public.messages (thread_id, customer_id, direction, from_address, to_address, subject, body_text, status)
         values ($1, $2, $3, 'a@example.com', 'b@example.com', 'Re: Puppy question', 'When can we visit?', $4)`,
        [thread, customer, direction, direction === 'inbound' ? 'delivered' : 'queued'],
      );
    }
    const got = await notificationsOf(cast.people.agent.userId, 'customer_reply', since);
    expect(got.map((row) => [row.title, row.link])).toEqual([
      ['Reply: Re: Puppy question', `/customers/${customer}?thread=${thread}`],
    ]);
  });

  it("a bounced email tells the customer's owner; a delivered one nobody", async () => {
    const since = new Date();
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, reason, payload) values
        ($1, 'bounce', 'gone@example.com', now(), $3, '550 no such user', '{}'),
        ($2, 'delivered', 'fine@example.com', now(), $3, null, '{}')`,
      [randomUUID(), randomUUID(), customer],
    );
    const got = await notificationsOf(cast.people.agent.userId, 'email_bounced', since);
    expect(got.map((row) => row.title)).toEqual(['Email bounced: gone@example.com']);
  });
});

describe('mark all read and retention', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('notify-read');
  });
  afterAll(() => cast?.end());

  it("marks all of the caller's unread notifications read, nobody else's", async () => {
    for (const persona of ['agent', 'agent', 'agent2'] as const) {
      await adminSql(`select private.notify($1, 'system', 'Hello')`, [cast.people[persona].userId]);
    }
    const [{ unread }] = await adminSql<{ unread: number }>(
      'select count(*)::int as unread from public.notifications where recipient_id = $1 and read_at is null',
      [cast.people.agent.userId],
    );
    expect(unread).toBeGreaterThanOrEqual(2);
    // The bell's count: the caller's own unread ones, up to the cap.
    expect((await cast.client('agent').rpc('unread_notification_count')).data).toBe(Math.min(unread, 100));
    expect((await cast.client('agent').rpc('unread_notification_count', { cap: 1 })).data).toBe(1);
    expect((await cast.client('readonly').rpc('unread_notification_count')).data).toBe(0);
    expect((await cast.client('anon').rpc('unread_notification_count')).error?.code).toBe('42501');
    const { data, error } = await cast.client('agent').rpc('mark_all_notifications_read');
    expect(error).toBeNull();
    expect(data).toBe(unread);
    expect(
      await cast.countsAs(
        ['agent', 'agent2'],
        'select count(*)::int as n from public.notifications where recipient_id = auth.uid() and read_at is null',
      ),
    ).toEqual({ agent: 0, agent2: 1 });
    expect((await cast.client('anon').rpc('mark_all_notifications_read')).error?.code).toBe('42501');
  });

  it('purges notifications older than the retention an admin sets; others cannot set it', async () => {
    const agent = cast.people.agent.userId;
    const [{ id: old }] = await adminSql<{ id: string }>(
      `insert into public.notifications (recipient_id, kind, title, created_at) values ($1, 'system', 'Old', now() - interval '40 days') returning id`,
      [agent],
    );
    const [{ id: recent }] = await adminSql<{ id: string }>(
      `insert into public.notifications (recipient_id, kind, title, created_at) values ($1, 'system', 'Recent', now() - interval '20 days') returning id`,
      [agent],
    );
    const manager = await cast
      .client('manager')
      .from('workspace_settings')
      .update({ notification_retention_days: 30 })
      .eq('id', true)
      .select();
    expect(manager.data ?? []).toEqual([]);
    const bad = await cast
      .client('admin')
      .from('workspace_settings')
      .update({ notification_retention_days: 1 })
      .eq('id', true);
    expect(bad.error?.code).toBe('23514');
    const [{ before }] = await adminSql<{ before: number }>(
      'select notification_retention_days as before from public.workspace_settings',
    );
    try {
      const set = await cast
        .client('admin')
        .from('workspace_settings')
        .update({ notification_retention_days: 30 })
        .eq('id', true)
        .select('notification_retention_days');
      expect(set.data).toEqual([{ notification_retention_days: 30 }]);
      await adminSql('select private.purge_notifications(1)');
      const left = await adminSql<{ id: string }>(`select id from public.notifications where id = any($1)`, [
        [old, recent],
      ]);
      expect(left.map((row) => row.id)).toEqual([recent]);
    } finally {
      await adminSql('update public.workspace_settings set notification_retention_days = $1', [before]);
    }
  });
});

describe('the bell channel', () => {
  let cast: Cast;
  const open: Array<{ client: SupabaseClient; channel: RealtimeChannel }> = [];
  beforeAll(async () => {
    cast = await createCast('notify-channel');
  });
  afterAll(async () => {
    await Promise.all(open.map(({ client, channel }) => client.removeChannel(channel)));
    await cast?.end();
  });

  const join = async (caller: Caller, topic: string, onInsert?: (row: Record<string, unknown>) => void) => {
    const client = cast.client(caller);
    await client.realtime.setAuth();
    let channel = client.channel(topic, { config: { private: true } });
    if (onInsert) {
      channel = channel.on(
        'postgres_changes',
        {
          event: 'INSERT',
          schema: 'public',
          table: 'notifications',
          filter: `recipient_id=eq.${cast.people[caller as 'agent'].userId}`,
        },
        (payload) => onInsert(payload.new),
      );
    }
    open.push({ client, channel });
    return new Promise<string>((resolve) => channel.subscribe((status) => status !== 'CLOSED' && resolve(status)));
  };

  it("a member joins their own notifications channel, not someone else's", async () => {
    expect(await join('agent2', `notifications:${cast.people.agent2.userId}`)).toBe('SUBSCRIBED');
    for (const caller of ['agent2', 'admin', 'stranger'] as const) {
      expect(await join(caller, `notifications:${cast.people.manager.userId}`), caller).toBe('CHANNEL_ERROR');
    }
  });

  it('a new notification reaches its recipient live', async () => {
    const received: Array<Record<string, unknown>> = [];
    expect(await join('agent', `notifications:${cast.people.agent.userId}`, (row) => received.push(row))).toBe(
      'SUBSCRIBED',
    );
    const title = `Live ${randomUUID().slice(0, 6)}`;
    await adminSql(`select private.notify($1, 'system', $2)`, [cast.people.agent.userId, title]);
    await expect.poll(() => received.map((row) => row.title), { timeout: 10_000 }).toContain(title);
  });
});

describe("the daily digest at each member's hour", () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('digest-hour');
    for (const persona of ['agent', 'agent2', 'manager'] as const) {
      await adminSql(
        `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'mention', 'email_digest')`,
        [cast.people[persona].userId],
      );
    }
  });
  afterAll(() => cast?.end());

  // Every instant lies in 2027, after any real run of the scheduler (which claims at now()), and
  // the notifications are dated then: only these claims see them.
  const setDigest = (persona: 'agent' | 'agent2' | 'manager', zone: string, hour: number) =>
    adminSql(`update public.team_members set timezone = $2, digest_hour = $3 where user_id = $1`, [
      cast.people[persona].userId,
      zone,
      hour,
    ]);
  const waiting = (persona: 'agent' | 'agent2' | 'manager', at: string) =>
    adminSql(
      `insert into public.notifications (recipient_id, kind, title, created_at) values ($1, 'mention', 'Digest me', $2)`,
      [cast.people[persona].userId, at],
    );
  const claim = (at: string) =>
    adminSql<{ email_id: number }>('select email_id from public.claim_notification_emails(500, $1)', [at]);
  const digestDays = async (persona: 'agent' | 'agent2' | 'manager') =>
    (
      await adminSql<{ day: string }>(
        `select digest_date::text as day from public.notification_emails
         where recipient_id = $1 and digest_date is not null order by digest_date`,
        [cast.people[persona].userId],
      )
    ).map((row) => row.day);
  const recordSent = (persona: 'agent' | 'agent2' | 'manager', at: string) =>
    adminSql(
      `select public.record_notification_emails(
         (select jsonb_agg(jsonb_build_object('email_id', e.id, 'ok', true, 'message_id', 'm-' || e.id))
          from public.notification_emails e where e.recipient_id = $1 and e.claimed_until is not null and e.state = 'queued'),
         $2)`,
      [cast.people[persona].userId, at],
    );

  it('goes out at the chosen hour in the member’s zone: a :30 zone, and the day clocks go forward', async () => {
    // Kolkata is UTC+05:30: 09:00 there is 03:30 UTC.
    await setDigest('agent', 'Asia/Kolkata', 9);
    await waiting('agent', '2027-03-13T20:00:00Z');
    // New York springs forward on 14 March 2027: 02:00 never happens, 01:59 EST is followed by 03:00 EDT.
    await setDigest('manager', 'America/New_York', 2);
    await waiting('manager', '2027-03-14T05:00:00Z');

    await claim('2027-03-14T03:29:00Z');
    expect(await digestDays('agent')).toEqual([]);
    await claim('2027-03-14T03:30:00Z');
    expect(await digestDays('agent')).toEqual(['2027-03-14']);

    await claim('2027-03-14T06:59:00Z');
    expect(await digestDays('manager')).toEqual([]);
    await Promise.all([claim('2027-03-14T07:00:00Z'), claim('2027-03-14T07:00:00Z')]);
    await claim('2027-03-14T12:00:00Z');
    expect(await digestDays('manager')).toEqual(['2027-03-14']);
    expect(await digestDays('agent')).toEqual(['2027-03-14']);
  });

  it('goes out once on the day clocks go back, whose chosen hour happens twice', async () => {
    // New York falls back on 7 November 2027: 01:00 EDT (05:00 UTC), then 01:00 EST (06:00 UTC).
    await setDigest('agent2', 'America/New_York', 1);
    await waiting('agent2', '2027-11-07T04:00:00Z');
    await claim('2027-11-07T05:00:00Z');
    expect(await digestDays('agent2')).toEqual(['2027-11-07']);
    await recordSent('agent2', '2027-11-07T05:01:00Z');

    // Something new after the digest went out waits for the next day's, even at the repeated hour.
    await waiting('agent2', '2027-11-07T05:30:00Z');
    await claim('2027-11-07T06:00:00Z');
    await claim('2027-11-07T06:30:00Z');
    expect(await digestDays('agent2')).toEqual(['2027-11-07']);
    await claim('2027-11-08T05:59:00Z'); // 00:59 EST
    expect(await digestDays('agent2')).toEqual(['2027-11-07']);
    await claim('2027-11-08T06:00:00Z');
    expect(await digestDays('agent2')).toEqual(['2027-11-07', '2027-11-08']);
    const [{ attached }] = await adminSql<{ attached: number }>(
      `select count(*)::int as attached from public.notifications n
       join public.notification_emails e on e.id = n.digest_email_id
       where n.recipient_id = $1 and e.digest_date = '2027-11-08'`,
      [cast.people.agent2.userId],
    );
    expect(attached).toBe(1);
  });

  it('each member sets their own hour (0–23), nobody else’s but an admin', async () => {
    const set = (caller: 'agent' | 'admin' | 'readonly', persona: 'agent' | 'manager' | 'readonly', hour: number) =>
      cast
        .client(caller)
        .from('team_members')
        .update({ digest_hour: hour })
        .eq('user_id', cast.people[persona].userId)
        .select('digest_hour');
    expect((await set('agent', 'agent', 18)).data).toEqual([{ digest_hour: 18 }]);
    expect((await set('readonly', 'readonly', 0)).data).toEqual([{ digest_hour: 0 }]);
    expect((await set('agent', 'manager', 5)).data).toEqual([]);
    expect((await set('admin', 'manager', 5)).data).toEqual([{ digest_hour: 5 }]);
    expect((await set('agent', 'agent', 24)).error?.code).toBe('23514');
    expect((await set('agent', 'agent', -1)).error?.code).toBe('23514');
  });
});
