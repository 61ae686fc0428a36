import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Role matrix for notifications (each member sees and marks read only their own; only the
 * service role and triggers create them) and the trigger telling an assignee about a new task.
 */

async function notify(recipient: string, title: string): Promise<string> {
  return (
    await adminSql<{ id: string }>(
      `insert into public.notifications (recipient_id, kind, title, link, data)
       values ($1, 'new_order', $2, '/orders/1', '{"order_id": "1"}') returning id`,
      [recipient, title],
    )
  )[0].id;
}

describe('notifications: access rules', () => {
  let cast: Cast;
  let forAgent: string;
  let forAgent2: string;
  let forManager: string;
  let forReadonly: string;
  let all: string[];

  beforeAll(async () => {
    cast = await createCast('notifications');
    forAgent = await notify(cast.people.agent.userId, 'New order for your customer');
    forAgent2 = await notify(cast.people.agent2.userId, 'New order for your customer');
    forManager = await notify(cast.people.manager.userId, 'Delivery failed');
    forReadonly = await notify(cast.people.readonly.userId, 'Hello');
    all = [forAgent, forAgent2, forManager, forReadonly];
  });
  afterAll(() => cast?.end());

  const visible = async (caller: Caller) => {
    const { data, error } = await cast.client(caller).from('notifications').select('id').in('id', all);
    expect(error).toBeNull();
    return (data ?? []).map((row: { id: string }) => row.id).sort();
  };

  describe('select', () => {
    it('each member sees only their own, admins included', async () => {
      expect(await visible('agent')).toEqual([forAgent]);
      expect(await visible('agent2')).toEqual([forAgent2]);
      expect(await visible('manager')).toEqual([forManager]);
      expect(await visible('readonly')).toEqual([forReadonly]);
      expect(await visible('admin')).toEqual([]);
    });

    it('the service role sees all; shoppers and strangers nothing; anon is refused', async () => {
      expect(await visible('service_role')).toEqual([...all].sort());
      expect(await visible('shopper')).toEqual([]);
      expect(await visible('stranger')).toEqual([]);
      expect((await cast.client('anon').from('notifications').select('id').limit(1)).error).toMatchObject({
        code: '42501',
      });
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            'select count(*)::int as n from public.notifications where id = any($1)',
            [all],
          )
        )[0].n;
      expect(await count('agent')).toBe(1);
      expect(await count('admin')).toBe(0);
      expect(await count('stranger')).toBe(0);
      expect(await count('service_role')).toBe(4);
      await expect(cast.sql('anon', 'select 1 from public.notifications limit 1')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('insert', () => {
    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'])(
      '%s cannot create notifications, even for themselves',
      async (caller) => {
        const recipient =
          caller === 'anon' || caller === 'service_role' ? cast.people.agent.userId : cast.people[caller].userId;
        const { error } = await cast
          .client(caller)
          .from('notifications')
          .insert({ recipient_id: recipient, kind: 'mention', title: 'fake' });
        expect(error).toMatchObject({ code: '42501' });
      },
    );

    it('the service role creates them', async () => {
      const { error } = await cast
        .client('service_role')
        .from('notifications')
        .insert({ recipient_id: cast.people.agent.userId, kind: 'delivery_failed', title: 'Email bounced' });
      expect(error).toBeNull();
    });
  });

  describe('update', () => {
    const markRead = (caller: Caller, id: string) =>
      cast.client(caller).from('notifications').update({ read_at: new Date().toISOString() }).eq('id', id).select('id');

    it('the recipient marks their own read; nobody else can', async () => {
      for (const caller of ['admin', 'manager', 'agent2', 'readonly', 'shopper', 'stranger'] as const) {
        expect((await markRead(caller, forAgent)).data ?? []).toEqual([]);
      }
      expect((await markRead('anon', forAgent)).error).toMatchObject({ code: '42501' });
      expect((await markRead('agent', forAgent)).data).toEqual([{ id: forAgent }]);
      const unread = await cast
        .client('agent')
        .from('notifications')
        .update({ read_at: null })
        .eq('id', forAgent)
        .select('read_at');
      expect(unread.data).toEqual([{ read_at: null }]);
    });

    it('the recipient changes nothing but read_at', async () => {
      for (const change of [{ title: 'rewritten' }, { recipient_id: cast.people.agent2.userId }]) {
        const { error } = await cast.client('agent').from('notifications').update(change).eq('id', forAgent);
        expect(error).toMatchObject({ code: '42501' });
        expect(error?.message).toMatch(/permission denied/);
      }
    });

    it('a deactivated member loses access to their notifications at once', async () => {
      await adminSql('update public.team_members set active = false where user_id = $1', [cast.people.readonly.userId]);
      try {
        expect(await visible('readonly')).toEqual([]);
        expect((await markRead('readonly', forReadonly)).data).toEqual([]);
      } finally {
        await adminSql('update public.team_members set active = true where user_id = $1', [
          cast.people.readonly.userId,
        ]);
      }
      expect(await visible('readonly')).toEqual([forReadonly]);
    });
  });

  describe('delete', () => {
    it.each<Caller>(['agent', 'admin', 'anon'])('%s cannot remove notifications', async (caller) => {
      const { error } = await cast.client(caller).from('notifications').delete().eq('id', forAgent);
      expect(error).toMatchObject({ code: '42501' });
    });

    it('the service role removes them (retention)', async () => {
      const id = await notify(cast.people.agent.userId, 'Old');
      expect((await cast.client('service_role').from('notifications').delete().eq('id', id).select('id')).data).toEqual(
        [{ id }],
      );
    });
  });

  it.each([
    ['a link outside the app', { link: 'https://evil.example/phish' }, '23514', /link_is_an_app_path/],
    ['an unknown kind', { kind: 'gossip' }, '22P02', /notification_kind/],
    ['an empty title', { title: ' ' }, '23514', /title_length/],
    ['data that is not an object', { data: [1] }, '23514', /data_is_an_object/],
    ['a recipient who is not on the team', { recipient_id: 'shopper' }, '23503', /recipient_id/],
  ])('refuses %s, even from the service role', async (_, fields, code, mentions) => {
    const row: Record<string, unknown> = {
      recipient_id: cast.people.agent.userId,
      kind: 'mention',
      title: 'Mentioned',
      ...fields,
    };
    if (row.recipient_id === 'shopper') row.recipient_id = cast.people.shopper.userId;
    const { error } = await cast.client('service_role').from('notifications').insert(row);
    expect(error?.code).toBe(code);
    expect(`${error?.message} ${error?.details}`).toMatch(mentions);
  });

  it('are not audited (each is a copy of an event audited where it happened)', async () => {
    expect(
      await adminSql(`select 1 from public.audit_log where table_name = 'notifications' and row_id = $1`, [forAgent]),
    ).toEqual([]);
  });
});

describe('notifications: a task assigned by someone else', () => {
  let cast: Cast;
  let customer: string;
  beforeAll(async () => {
    cast = await createCast('task-notifications');
    [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Tasks', $1) returning id`,
      [cast.people.agent.userId],
    );
  });
  afterAll(() => cast?.end());

  interface Notification {
    kind: string;
    title: string;
    body: string | null;
    link: string;
    data: { activity_id: string; customer_id: string; assigned_by: string | null };
  }
  const notificationsAbout = async (caller: Caller, activityId: string) => {
    const { data, error } = await cast
      .client(caller)
      .from('notifications')
      .select('kind, title, body, link, data')
      .eq('data->>activity_id', activityId);
    expect(error).toBeNull();
    return (data ?? []) as Notification[];
  };
  const task = async (caller: Caller, fields: Record<string, unknown>) => {
    const { data, error } = await cast
      .client(caller)
      .from('activities')
      .insert({ customer_id: customer, kind: 'task', subject: 'Send fabric samples', ...fields })
      .select('id')
      .single();
    expect(error).toBeNull();
    return (data as { id: string }).id;
  };

  it('notifies the assignee, who alone sees it, with a link to the task', async () => {
    const id = await task('manager', { assignee_id: cast.people.agent.userId, due_at: '2030-05-01T10:00:00Z' });
    expect(await notificationsAbout('agent', id)).toEqual([
      {
        kind: 'task_assigned',
        title: 'New task: Send fabric samples',
        body: `Assigned by manager ${cast.people.manager.email.split('@')[0].replace(/^manager-/, '')}`,
        link: `/customers/${customer}?activity=${id}`,
        data: expect.objectContaining({
          activity_id: id,
          customer_id: customer,
          assigned_by: cast.people.manager.userId,
        }),
      },
    ]);
    expect(await notificationsAbout('manager', id)).toEqual([]);
  });

  it('does not notify someone assigning a task to themselves', async () => {
    const id = await task('agent', { assignee_id: cast.people.agent.userId });
    expect(await notificationsAbout('agent', id)).toEqual([]);
    expect(await notificationsAbout('service_role', id)).toEqual([]);
  });

  it('notifies the new assignee on reassignment, and no one on other edits', async () => {
    const id = await task('agent', { assignee_id: cast.people.agent.userId });
    await cast.client('agent').from('activities').update({ assignee_id: cast.people.agent2.userId }).eq('id', id);
    expect(await notificationsAbout('agent2', id)).toHaveLength(1);
    await cast.client('agent').from('activities').update({ subject: 'Send samples, blue only' }).eq('id', id);
    expect(await notificationsAbout('service_role', id)).toHaveLength(1);
  });

  it('notifies when an automation (the service role) assigns a task', async () => {
    const id = await task('service_role', { assignee_id: cast.people.agent.userId });
    const [notification] = await notificationsAbout('agent', id);
    expect(notification).toMatchObject({ kind: 'task_assigned', body: null, data: { assigned_by: null } });
  });
});
