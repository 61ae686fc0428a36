import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';
import { createCustomer } from '../../../scripts/testing/support/commerce.ts';

/**
 * Task reminders: a task whose reminder time has come notifies its assignee exactly once — the
 * job run twice, run concurrently, run late — snoozing fires it once more, completed tasks and
 * turned-off reminders stay quiet; task_reminders is not readable through the API. (The stack's
 * cron may run the job meanwhile: assertions count notifications per task, not what a call returned.)
 */

let cast: Cast;
let customer: string;

beforeAll(async () => {
  cast = await createCast('task-reminders');
  customer = await createCustomer(cast.people.agent.userId);
});
afterAll(() => cast?.end());

async function task(fields: { dueIn: string; assignee?: string; completed?: boolean; subject?: string }) {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.activities (customer_id, kind, subject, due_at, assignee_id, completed_at)
     values ($1, 'task', $2, now() + $3::interval, $4, case when $5 then now() end) returning id`,
    [
      customer,
      fields.subject ?? `Call back ${randomUUID().slice(0, 6)}`,
      fields.dueIn,
      fields.assignee ?? cast.people.agent.userId,
      fields.completed ?? false,
    ],
  );
  return id;
}

async function reminders(taskId: string) {
  return adminSql<{ recipient_id: string; title: string; link: string }>(
    `select recipient_id, title, link from public.notifications where kind = 'task_due' and data->>'activity_id' = $1`,
    [taskId],
  );
}

const runJob = () => adminSql('select private.send_task_reminders()');

describe('task reminders', () => {
  it('remind the assignee once when the task falls due, however often the job runs', async () => {
    const due = await task({ dueIn: '-1 minute', subject: 'Send the contract' });
    const later = await task({ dueIn: '1 hour' });
    await runJob();
    await runJob();
    expect(await reminders(due)).toEqual([
      { recipient_id: cast.people.agent.userId, title: 'Task due: Send the contract', link: `/tasks?task=${due}` },
    ]);
    expect(await reminders(later)).toEqual([]);
  });

  it('remind once when two runs overlap', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => task({ dueIn: '-30 seconds' })));
    const first = new pg.Client({ connectionString: config.adminDbUrl });
    const second = new pg.Client({ connectionString: config.adminDbUrl });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query('begin');
      await first.query('select private.send_task_reminders()');
      await second.query('begin');
      // The second run reaches the same reminders while the first has not committed: it waits for
      // the first, then finds them taken.
      const racing = second.query('select private.send_task_reminders()');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('commit');
      await racing;
      await second.query('commit');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    for (const id of ids) expect(await reminders(id)).toHaveLength(1);
  });

  it('a late run still sends what fell due within the grace period, not older', async () => {
    const late = await task({ dueIn: '-3 hours' });
    const ancient = await task({ dueIn: '-3 days' });
    await runJob();
    expect(await reminders(late)).toHaveLength(1);
    expect(await reminders(ancient)).toHaveLength(0);
  });

  it('completed tasks, unassigned tasks and turned-off reminders stay quiet', async () => {
    const done = await task({ dueIn: '-1 minute', completed: true });
    const [{ id: unassigned }] = await adminSql<{ id: string }>(
      `insert into public.activities (customer_id, kind, subject, due_at) values ($1, 'task', 'Nobody', now() - interval '1 minute') returning id`,
      [customer],
    );
    await adminSql(
      `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'task_due', 'off')`,
      [cast.people.agent2.userId],
    );
    const muted = await task({ dueIn: '-1 minute', assignee: cast.people.agent2.userId });
    await runJob();
    expect(await reminders(done)).toEqual([]);
    expect(await reminders(unassigned)).toEqual([]);
    expect(await reminders(muted)).toEqual([]);
    // Muted still counts as handled: turning reminders back on does not replay it.
    await adminSql(`delete from public.notification_preferences where user_id = $1`, [cast.people.agent2.userId]);
    await runJob();
    expect(await reminders(muted)).toEqual([]);
  });

  it('snoozing moves the reminder and fires it once more; the assignee may snooze', async () => {
    const manager = cast.people.manager.userId;
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.activities (customer_id, kind, subject, due_at, assignee_id, author_id)
       values ($1, 'task', 'Follow up', now() - interval '1 minute', $2, $3) returning id`,
      [customer, cast.people.agent.userId, manager],
    );
    await runJob();
    expect(await reminders(id)).toHaveLength(1);
    const until = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const snoozed = await cast.client('agent').rpc('snooze_task', { task_id: id, until });
    expect(snoozed.error).toBeNull();
    await runJob();
    expect(await reminders(id)).toHaveLength(1);
    // Time passes: the snoozed reminder comes due.
    await adminSql(`update public.activities set remind_at = now() - interval '1 second' where id = $1`, [id]);
    await runJob();
    await runJob();
    expect(await reminders(id)).toHaveLength(2);
  });

  it('refuses a snooze into the past or beyond a year, of a task one may not change, or by anon', async () => {
    const id = await task({ dueIn: '1 hour' });
    const soon = new Date(Date.now() + 60_000).toISOString();
    for (const until of [
      new Date(Date.now() - 60_000).toISOString(),
      new Date(Date.now() + 400 * 86_400_000).toISOString(),
    ]) {
      expect((await cast.client('agent').rpc('snooze_task', { task_id: id, until })).error?.code).toBe('22023');
    }
    for (const caller of ['agent2', 'readonly', 'shopper', 'stranger'] as const) {
      expect((await cast.client(caller).rpc('snooze_task', { task_id: id, until: soon })).error?.code, caller).toBe(
        'P0002',
      );
    }
    expect((await cast.client('anon').rpc('snooze_task', { task_id: id, until: soon })).error?.code).toBe('42501');
  });

  it('the bookkeeping and the job are out of reach of users', async () => {
    for (const caller of ['admin', 'agent', 'readonly', 'anon'] as const) {
      expect((await cast.client(caller).from('task_reminders').select('activity_id')).error?.code, caller).toBe(
        '42501',
      );
    }
    await expect(cast.sql('admin', 'select private.send_task_reminders()')).rejects.toMatchObject({ code: '42501' });
  });
});
