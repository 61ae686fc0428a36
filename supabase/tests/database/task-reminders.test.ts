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

  it("one run reminds a whole batch, each as its assignee chose; an inactive assignee's is spent, not sent", async () => {
    const manager = cast.people.manager.userId;
    await adminSql(
      `insert into public.notification_preferences (user_id, kind, delivery) values ($1, 'task_due', 'email_now')`,
      [manager],
    );
    const agents = await Promise.all(Array.from({ length: 4 }, () => task({ dueIn: '-2 minutes' })));
    const managers = await Promise.all(
      Array.from({ length: 2 }, () => task({ dueIn: '-2 minutes', assignee: manager })),
    );
    const gone = await task({ dueIn: '-2 minutes', assignee: cast.people.readonly.userId });
    await adminSql('update public.team_members set active = false where user_id = $1', [cast.people.readonly.userId]);
    try {
      await runJob();
      await runJob();
    } finally {
      await adminSql('update public.team_members set active = true where user_id = $1', [cast.people.readonly.userId]);
      await adminSql(`delete from public.notification_preferences where user_id = $1`, [manager]);
    }
    for (const id of [...agents, ...managers]) expect(await reminders(id)).toHaveLength(1);
    const [{ emails }] = await adminSql<{ emails: number }>(
      `select count(*)::int as emails from public.notification_emails e
       join public.notifications n on n.id = e.notification_id
       where n.data->>'activity_id' = any($1)`,
      [managers],
    );
    expect(emails).toBe(2);
    expect(await reminders(gone)).toEqual([]);
    const [{ spent }] = await adminSql<{ spent: number }>(
      'select count(*)::int as spent from public.task_reminders where activity_id = $1',
      [gone],
    );
    expect(spent).toBe(1);
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

// ─── Task types and links (issue 15): a task has a type (a to-do unless said), filterable; a task
// may point at the deal or conversation it was made from — of its own customer only, whoever
// writes it; the columns follow the activity's policies (agents their customers, readonly none).

let mine: string;
let other: string;
let otherDeal: string;
let myDeal: string;
let myThread: string;

beforeAll(async () => {
  mine = customer;
  other = await createCustomer(cast.people.manager.userId);
  const [{ id: lead }] = await adminSql<{ id: string }>(
    `select s.id from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id
     where p.name = 'Wholesale deals' and s.name = 'Lead'`,
  );
  [{ id: myDeal }, { id: otherDeal }] = await adminSql<{ id: string }>(
    `insert into public.deals (customer_id, title, stage_id, owner_id) values ($1, 'Mine', $3, $4), ($2, 'Theirs', $3, $5) returning id`,
    [mine, other, lead, cast.people.agent.userId, cast.people.manager.userId],
  );
  [{ id: myThread }] = await adminSql<{ id: string }>(
    `insert into public.message_threads (customer_id, subject) values ($1, 'Sizing') returning id`,
    [mine],
  );
});

describe('task types', () => {
  it('a task written without a type is a to-do; other activities have none and may not get one', async () => {
    const agent = cast.client('agent');
    const { data, error } = await agent
      .from('activities')
      .insert({ customer_id: mine, kind: 'task', subject: 'Plain', assignee_id: cast.people.agent.userId })
      .select('task_type')
      .single();
    expect(error).toBeNull();
    expect(data?.task_type).toBe('to_do');
    const note = await agent
      .from('activities')
      .insert({ customer_id: mine, kind: 'note', body: 'x', task_type: 'call' });
    expect(note.error?.code).toBe('23514');
  });

  it('My tasks filters by type', async () => {
    const agent = cast.client('agent');
    const made = await agent
      .from('activities')
      .insert([
        {
          customer_id: mine,
          kind: 'task',
          subject: 'Ring Ada',
          task_type: 'call',
          assignee_id: cast.people.agent.userId,
        },
        {
          customer_id: mine,
          kind: 'task',
          subject: 'Meet Ada',
          task_type: 'meeting',
          assignee_id: cast.people.agent.userId,
        },
      ])
      .select('id');
    expect(made.error).toBeNull();
    const { data } = await agent
      .from('activities')
      .select('subject')
      .eq('kind', 'task')
      .eq('assignee_id', cast.people.agent.userId)
      .eq('task_type', 'call');
    expect(data).toEqual([{ subject: 'Ring Ada' }]);
  });
});

describe('links to a deal and a conversation', () => {
  it("an agent links a task to their customer's deal and thread", async () => {
    const { data, error } = await cast
      .client('agent')
      .from('activities')
      .insert({
        customer_id: mine,
        kind: 'task',
        subject: 'Send the quote',
        task_type: 'follow_up',
        deal_id: myDeal,
        thread_id: myThread,
        assignee_id: cast.people.agent.userId,
      })
      .select('deal_id, thread_id, task_type')
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ deal_id: myDeal, thread_id: myThread, task_type: 'follow_up' });
  });

  it("refuses a link to another customer's deal or thread, for everyone (23514), and readonly writes nothing", async () => {
    for (const persona of ['agent', 'manager', 'admin'] as const) {
      const wrongDeal = await cast
        .client(persona)
        .from('activities')
        .insert({ customer_id: mine, kind: 'task', subject: 'x', deal_id: otherDeal });
      expect(wrongDeal.error?.code, persona).toBe('23514');
    }
    const [{ id: theirThread }] = await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, 'Other') returning id`,
      [other],
    );
    const wrongThread = await cast
      .client('manager')
      .from('activities')
      .insert({ customer_id: mine, kind: 'task', subject: 'x', thread_id: theirThread });
    expect(wrongThread.error?.code).toBe('23514');
    const readonly = await cast
      .client('readonly')
      .from('activities')
      .insert({ customer_id: mine, kind: 'task', subject: 'x', deal_id: myDeal });
    expect(readonly.error?.code).toBe('42501');
    // Moving a linked task to another customer without its links is refused too.
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.activities (customer_id, kind, subject, deal_id) values ($1, 'task', 'Linked', $2) returning id`,
      [mine, myDeal],
    );
    const moved = await cast.client('manager').from('activities').update({ customer_id: other }).eq('id', id);
    expect(moved.error?.code).toBe('23514');
  });
});
