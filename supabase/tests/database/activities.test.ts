import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Role matrix for the customer timeline (activities) and its attachments bucket: every caller ×
 * select / insert / update / delete through supabase-js and in SQL as the role; system events
 * immutable for users; authors, managers and assignees; bad input; audit rows.
 */

interface Fixture {
  agentsCustomer: string;
  agent2sCustomer: string;
  unowned: string;
  /** A note by `agent` on agent's customer. */
  agentsNote: string;
  /** A note by `admin` on agent's customer. */
  adminsNoteOnAgentsCustomer: string;
  /** A note by `agent2` on agent2's customer. */
  agent2sNote: string;
  /** A task on agent2's customer, written by agent2, assigned to `agent`. */
  taskForAgent: string;
  /** A system event on agent's customer. */
  systemEvent: string;
  /** A call on the unowned customer, by the manager. */
  unownedCall: string;
}

async function seedFixture(cast: Cast, label: string): Promise<Fixture> {
  const customer = async (owner: string | null, name: string) =>
    (
      await adminSql<{ id: string }>(
        `insert into public.customers (first_name, owner_id) values ($1, $2) returning id`,
        [`${name} ${label}`, owner],
      )
    )[0].id;
  const agentsCustomer = await customer(cast.people.agent.userId, 'Owned by agent');
  const agent2sCustomer = await customer(cast.people.agent2.userId, 'Owned by agent2');
  const unowned = await customer(null, 'Nobody owns me');
  const activity = async (fields: Record<string, unknown>) => {
    const columns = Object.keys(fields);
    const placeholders = columns.map((_, i) => `$${i + 1}`);
    return (
      await adminSql<{ id: string }>(
        `insert into public.activities (${columns.join(', ')}) values (${placeholders.join(', ')}) returning id`,
        Object.values(fields),
      )
    )[0].id;
  };
  return {
    agentsCustomer,
    agent2sCustomer,
    unowned,
    agentsNote: await activity({
      customer_id: agentsCustomer,
      kind: 'note',
      body: 'agent wrote this',
      author_id: cast.people.agent.userId,
    }),
    adminsNoteOnAgentsCustomer: await activity({
      customer_id: agentsCustomer,
      kind: 'note',
      body: 'admin wrote this',
      author_id: cast.people.admin.userId,
    }),
    agent2sNote: await activity({
      customer_id: agent2sCustomer,
      kind: 'note',
      body: 'agent2 wrote this',
      author_id: cast.people.agent2.userId,
    }),
    taskForAgent: await activity({
      customer_id: agent2sCustomer,
      kind: 'task',
      subject: 'Call back about sizes',
      due_at: '2030-01-01T09:00:00Z',
      author_id: cast.people.agent2.userId,
      assignee_id: cast.people.agent.userId,
    }),
    systemEvent: await activity({
      customer_id: agentsCustomer,
      kind: 'system',
      subject: 'Order placed',
      metadata: JSON.stringify({ event: 'order_placed', order_id: '00000000-0000-0000-0000-000000000001' }),
    }),
    unownedCall: await activity({
      customer_id: unowned,
      kind: 'call',
      direction: 'inbound',
      subject: 'Asked about returns',
      author_id: cast.people.manager.userId,
    }),
  };
}

describe('activities: access rules', () => {
  let cast: Cast;
  let f: Fixture;
  let all: string[];

  beforeAll(async () => {
    cast = await createCast('activities');
    f = await seedFixture(cast, 'activities');
    all = [f.agentsNote, f.adminsNoteOnAgentsCustomer, f.agent2sNote, f.taskForAgent, f.systemEvent, f.unownedCall];
  });
  afterAll(() => cast?.end());

  const visible = async (caller: Caller, ids: string[]) => {
    const { data, error } = await cast.client(caller).from('activities').select('id').in('id', ids);
    expect(error).toBeNull();
    return (data ?? []).map((row: { id: string }) => row.id).sort();
  };

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'readonly', 'service_role'])('%s sees every activity', async (caller) => {
      expect(await visible(caller, all)).toEqual([...all].sort());
    });

    it("an agent sees their customers' activities and the tasks assigned to them, nothing else", async () => {
      expect(await visible('agent', all)).toEqual(
        [f.agentsNote, f.adminsNoteOnAgentsCustomer, f.systemEvent, f.taskForAgent].sort(),
      );
      expect(await visible('agent2', all)).toEqual([f.agent2sNote, f.taskForAgent].sort());
    });

    it('shoppers (even the customer themselves) and strangers see nothing; anon is refused', async () => {
      const [{ id: onShopper }] = await adminSql<{ id: string }>(
        `insert into public.activities (customer_id, kind, body, author_id) values ($1, 'note', 'about the shopper', $2) returning id`,
        [cast.shopperCustomerId, cast.people.agent.userId],
      );
      expect(await visible('shopper', [...all, onShopper])).toEqual([]);
      expect(await visible('stranger', [...all, onShopper])).toEqual([]);
      const { error } = await cast.client('anon').from('activities').select('id').limit(1);
      expect(error).toMatchObject({ code: '42501' });
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(caller, 'select count(*)::int as n from public.activities where id = any($1)', [
            all,
          ])
        )[0].n;
      expect(await count('admin')).toBe(6);
      expect(await count('readonly')).toBe(6);
      expect(await count('agent')).toBe(4);
      expect(await count('agent2')).toBe(2);
      expect(await count('shopper')).toBe(0);
      expect(await count('stranger')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.activities limit 1')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('insert', () => {
    it('admins and managers add activities on any customer, as themselves', async () => {
      for (const caller of ['admin', 'manager'] as const) {
        const { data, error } = await cast
          .client(caller)
          .from('activities')
          .insert({ customer_id: f.agent2sCustomer, kind: 'note', body: `by ${caller}` })
          .select('author_id')
          .single();
        expect(error).toBeNull();
        expect(data).toEqual({ author_id: cast.people[caller].userId });
      }
    });

    it('an agent adds activities on their own customers only', async () => {
      const own = await cast
        .client('agent')
        .from('activities')
        .insert({ customer_id: f.agentsCustomer, kind: 'call', direction: 'outbound', subject: 'Followed up' })
        .select('author_id')
        .single();
      expect(own.error).toBeNull();
      expect(own.data).toEqual({ author_id: cast.people.agent.userId });
      for (const customer of [f.agent2sCustomer, f.unowned]) {
        const { error } = await cast
          .client('agent')
          .from('activities')
          .insert({ customer_id: customer, kind: 'note', body: 'not my customer' });
        expect(error).toMatchObject({ code: '42501' });
        expect(error?.message).toMatch(/row-level security/);
      }
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s cannot add activities', async (caller) => {
      const customer = caller === 'shopper' ? cast.shopperCustomerId : f.agentsCustomer;
      const { error } = await cast
        .client(caller)
        .from('activities')
        .insert({ customer_id: customer, kind: 'note', body: 'nope' });
      expect(error).toMatchObject({ code: '42501' });
    });

    it('nobody writes an activity in someone else’s name', async () => {
      const { error } = await cast
        .client('admin')
        .from('activities')
        .insert({ customer_id: f.agentsCustomer, kind: 'note', body: 'forged', author_id: cast.people.agent.userId });
      expect(error).toMatchObject({ code: '42501' });
      expect(error?.message).toMatch(/permission denied/);
    });

    it('system events come from the service role only', async () => {
      const refused = await cast
        .client('admin')
        .from('activities')
        .insert({ customer_id: f.agentsCustomer, kind: 'system', metadata: { event: 'stage_changed' } });
      expect(refused.error).toMatchObject({ code: '42501' });
      expect(refused.error?.message).toMatch(/system activities are recorded by Cairn/);
      const accepted = await cast
        .client('service_role')
        .from('activities')
        .insert({
          customer_id: f.agentsCustomer,
          kind: 'system',
          subject: 'Alert sent',
          metadata: { event: 'alert_sent', alert_id: 'a1' },
        })
        .select('author_id')
        .single();
      expect(accepted.error).toBeNull();
      expect(accepted.data).toEqual({ author_id: null });
    });
  });

  describe('update', () => {
    const edit = (caller: Caller, id: string, body: string) =>
      cast.client(caller).from('activities').update({ body }).eq('id', id).select('id');

    it('an agent edits what they wrote on their customers, not what others wrote', async () => {
      expect((await edit('agent', f.agentsNote, 'edited by author')).data).toEqual([{ id: f.agentsNote }]);
      expect((await edit('agent', f.adminsNoteOnAgentsCustomer, 'hijack')).data).toEqual([]);
      expect((await edit('agent', f.agent2sNote, 'hijack')).data).toEqual([]);
      expect((await edit('agent2', f.agentsNote, 'hijack')).data).toEqual([]);
      const [row] = await adminSql<{ body: string }>('select body from public.activities where id = $1', [
        f.adminsNoteOnAgentsCustomer,
      ]);
      expect(row.body).toBe('admin wrote this');
    });

    it('admins and managers edit any activity but a system event', async () => {
      expect((await edit('manager', f.agentsNote, 'edited by manager')).data).toHaveLength(1);
      expect((await edit('admin', f.agent2sNote, 'edited by admin')).data).toHaveLength(1);
      expect((await edit('admin', f.systemEvent, 'rewrite history')).data).toEqual([]);
      expect((await edit('manager', f.systemEvent, 'rewrite history')).data).toEqual([]);
    });

    it('the service role may correct a system event', async () => {
      expect((await edit('service_role', f.systemEvent, 'corrected')).data).toEqual([{ id: f.systemEvent }]);
    });

    it('the assignee completes a task on a customer they do not own, and changes nothing else', async () => {
      const done = await cast
        .client('agent')
        .from('activities')
        .update({ completed_at: new Date().toISOString() })
        .eq('id', f.taskForAgent)
        .select('id, completed_at');
      expect(done.error).toBeNull();
      expect(done.data).toHaveLength(1);
      const rewrite = await cast
        .client('agent')
        .from('activities')
        .update({ subject: 'my own subject' })
        .eq('id', f.taskForAgent);
      expect(rewrite.error).toMatchObject({ code: '42501' });
      expect(rewrite.error?.message).toMatch(/assignee may only mark the task complete/);
      const reassign = await cast
        .client('agent')
        .from('activities')
        .update({ assignee_id: cast.people.agent2.userId })
        .eq('id', f.taskForAgent);
      expect(reassign.error).toMatchObject({ code: '42501' });
    });

    it("an activity's customer and kind never change", async () => {
      const moved = await cast
        .client('manager')
        .from('activities')
        .update({ customer_id: f.unowned })
        .eq('id', f.agent2sNote);
      expect(moved.error).toMatchObject({ code: '42501' });
      expect(moved.error?.message).toMatch(/customer, kind, author and creation time cannot change/);
      const rekind = await cast.client('agent').from('activities').update({ kind: 'task' }).eq('id', f.agentsNote);
      expect(rekind.error).toMatchObject({ code: '42501' });
      const forged = await cast
        .client('manager')
        .from('activities')
        .update({ author_id: cast.people.manager.userId })
        .eq('id', f.agentsNote);
      expect(forged.error).toMatchObject({ code: '42501' });
      expect(forged.error?.message).toMatch(/permission denied/);
    });

    it('readonly, shoppers and strangers change nothing; anon is refused', async () => {
      for (const caller of ['readonly', 'shopper', 'stranger'] as const) {
        expect((await edit(caller, f.agentsNote, 'x')).data).toEqual([]);
      }
      expect((await edit('anon', f.agentsNote, 'x')).error).toMatchObject({ code: '42501' });
      const rows = await cast.sql<{ id: string }>(
        'readonly',
        `update public.activities set body = 'x' where id = $1 returning id`,
        [f.agentsNote],
      );
      expect(rows).toEqual([]);
    });
  });

  describe('delete', () => {
    const remove = (caller: Caller, id: string) =>
      cast.client(caller).from('activities').delete().eq('id', id).select('id');
    const note = async (customer: string, author: string) =>
      (
        await adminSql<{ id: string }>(
          `insert into public.activities (customer_id, kind, body, author_id) values ($1, 'note', 'doomed', $2) returning id`,
          [customer, author],
        )
      )[0].id;

    it('an agent removes what they wrote on their customers only', async () => {
      const own = await note(f.agentsCustomer, cast.people.agent.userId);
      const admins = await note(f.agentsCustomer, cast.people.admin.userId);
      const others = await note(f.agent2sCustomer, cast.people.agent2.userId);
      expect((await remove('agent', admins)).data).toEqual([]);
      expect((await remove('agent', others)).data).toEqual([]);
      expect((await remove('agent', own)).data).toEqual([{ id: own }]);
    });

    it('readonly, shoppers and strangers remove nothing; managers remove any note', async () => {
      const id = await note(f.agentsCustomer, cast.people.agent.userId);
      for (const caller of ['readonly', 'shopper', 'stranger', 'agent2'] as const) {
        expect((await remove(caller, id)).data ?? []).toEqual([]);
      }
      expect((await remove('anon', id)).error).toMatchObject({ code: '42501' });
      expect((await remove('manager', id)).data).toEqual([{ id }]);
    });

    it('nobody but the service role removes a system event', async () => {
      const [{ id }] = await adminSql<{ id: string }>(
        `insert into public.activities (customer_id, kind, metadata) values ($1, 'system', '{"event":"order_placed"}') returning id`,
        [f.agentsCustomer],
      );
      expect((await remove('admin', id)).data).toEqual([]);
      expect((await remove('service_role', id)).data).toEqual([{ id }]);
    });

    it("a customer's removal takes its whole timeline with it, system events included", async () => {
      const [{ id: customer }] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, owner_id) values ('Leaving', $1) returning id`,
        [cast.people.agent.userId],
      );
      await adminSql(
        `insert into public.activities (customer_id, kind, metadata) values ($1, 'system', '{"event":"order_placed"}')`,
        [customer],
      );
      const { data, error } = await cast.client('manager').from('customers').delete().eq('id', customer).select('id');
      expect(error).toBeNull();
      expect(data).toEqual([{ id: customer }]);
      const [{ n }] = await adminSql<{ n: number }>(
        'select count(*)::int as n from public.activities where customer_id = $1',
        [customer],
      );
      expect(n).toBe(0);
    });
  });
});

describe('activities: bad input is refused with a clear error', () => {
  let cast: Cast;
  let customer: string;
  beforeAll(async () => {
    cast = await createCast('activity-input');
    [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Input', $1) returning id`,
      [cast.people.agent.userId],
    );
  });
  afterAll(() => cast?.end());

  const attachment = (path: string) => ({ path, name: 'quote.pdf', size: 1024, mime: 'application/pdf' });

  it.each([
    [
      'a direction on a note',
      { kind: 'note', body: 'x', direction: 'inbound' },
      '23514',
      /direction_only_for_calls_and_emails/,
    ],
    ['an unknown kind', { kind: 'fax', body: 'x' }, '22P02', /activity_kind/],
    ['a body over 20 000 characters', { kind: 'note', body: 'x'.repeat(20_001) }, '23514', /body_at_most_20000/],
    ['a note with neither subject nor body', { kind: 'note' }, '23514', /need_a_subject_or_body/],
    ['an assignee on a note', { kind: 'note', body: 'x', assignee_id: 'self' }, '23514', /only_for_tasks/],
    ['a due date on a call', { kind: 'call', subject: 'x', due_at: '2030-01-01T00:00:00Z' }, '23514', /due_only_for/],
    [
      'an attachment outside the customer folder',
      { kind: 'note', body: 'x', attachments: [attachment('other/quote.pdf')] },
      '23514',
      /attachments/,
    ],
    [
      'an attachment without a size',
      { kind: 'note', body: 'x', attachments: [{ path: 'self/a.pdf', name: 'a.pdf', mime: 'application/pdf' }] },
      '23514',
      /attachments/,
    ],
    [
      'attachments that are not a list',
      { kind: 'note', body: 'x', attachments: { path: 'x' } },
      '23514',
      /attachments/,
    ],
    [
      'an attachment path with a dot segment (review L-4)',
      { kind: 'note', body: 'x', attachments: [attachment('self/quotes/./quote.pdf')] },
      '23514',
      /attachments/,
    ],
    [
      'an attachment path ending in .. (review L-4)',
      { kind: 'note', body: 'x', attachments: [attachment('self/quotes/..')] },
      '23514',
      /attachments/,
    ],
    [
      'an attachment path with an empty folder (review L-4)',
      { kind: 'note', body: 'x', attachments: [attachment('self//quote.pdf')] },
      '23514',
      /attachments/,
    ],
    ['metadata that is not an object', { kind: 'note', body: 'x', metadata: ['x'] }, '23514', /metadata_is_an_object/],
  ])('refuses %s', async (_, fields, code, mentions) => {
    const resolved: Record<string, unknown> = { ...fields, customer_id: customer };
    if (resolved.assignee_id === 'self') resolved.assignee_id = cast.people.agent.userId;
    const attachments = resolved.attachments;
    if (Array.isArray(attachments)) {
      resolved.attachments = attachments.map((item: Record<string, unknown>) => ({
        ...item,
        path: String(item.path).replace(/^self\//, `${customer}/`),
      }));
    }
    const { error } = await cast.client('agent').from('activities').insert(resolved);
    expect(error?.code).toBe(code);
    expect(`${error?.message} ${error?.details}`).toMatch(mentions);
  });

  it('accepts attachments in the customer folder and a direction on a call', async () => {
    const { error } = await cast
      .client('agent')
      .from('activities')
      .insert({
        customer_id: customer,
        kind: 'email',
        direction: 'inbound',
        subject: 'Quote attached',
        attachments: [attachment(`${customer}/quotes/quote.pdf`)],
      });
    expect(error).toBeNull();
  });

  it('writes an audit row for every change, with the actor', async () => {
    const created = await cast
      .client('agent')
      .from('activities')
      .insert({ customer_id: customer, kind: 'note', body: 'Audited' })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    await cast.client('agent').from('activities').update({ body: 'Audited twice' }).eq('id', id);
    await cast.client('agent').from('activities').delete().eq('id', id);
    const rows = await adminSql<{
      action: string;
      actor_id: string;
      before: { body: string } | null;
      after: { body: string } | null;
    }>(
      `select action, actor_id, before, after from public.audit_log where table_name = 'activities' and row_id = $1 order by id`,
      [id],
    );
    expect(rows.map((row) => row.action)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(rows.every((row) => row.actor_id === cast.people.agent.userId)).toBe(true);
    expect(rows[1].before?.body).toBe('Audited');
    expect(rows[1].after?.body).toBe('Audited twice');
  });
});

// The Storage API must be running (it is unless CAIRN_STACK_PARTS leaves it out).
const parts = process.env.CAIRN_STACK_PARTS;
describe.skipIf(parts !== undefined && !parts.split(',').includes('storage'))(
  'activities: attachments in Storage follow the customer rules',
  () => {
    let cast: Cast;
    let agentsCustomer: string;
    let agent2sCustomer: string;
    const file = () => new Blob([`attachment ${Date.now()}`], { type: 'text/plain' });
    const bucket = (caller: Caller) => cast.client(caller).storage.from('attachments');

    beforeAll(async () => {
      cast = await createCast('attachments');
      const insert = (owner: string) =>
        adminSql<{ id: string }>(
          `insert into public.customers (first_name, owner_id) values ('Files', $1) returning id`,
          [owner],
        );
      [{ id: agentsCustomer }] = await insert(cast.people.agent.userId);
      [{ id: agent2sCustomer }] = await insert(cast.people.agent2.userId);
      expect((await bucket('agent').upload(`${agentsCustomer}/seed/quote.txt`, file())).error).toBeNull();
    });
    afterAll(() => cast?.end());

    it('a name with dot segments, an empty folder or a leading slash belongs to no customer (review L-4)', async () => {
      const owner = async (name: string) =>
        (await adminSql<{ id: string | null }>('select private.attachment_customer_id($1) as id', [name]))[0].id;
      for (const name of [
        `${agentsCustomer}/../${agent2sCustomer}/contract.txt`,
        `${agentsCustomer}/./contract.txt`,
        `${agentsCustomer}/x/..`,
        `${agentsCustomer}/.`,
        `${agentsCustomer}//contract.txt`,
        `/${agentsCustomer}/contract.txt`,
        `${agentsCustomer}/..`,
      ]) {
        expect(await owner(name), name).toBeNull();
      }
      expect(await owner(`${agentsCustomer}/v1.2/contract..final.txt`)).toBe(agentsCustomer);
      expect(await owner(`${agentsCustomer}/.hidden`)).toBe(agentsCustomer);
    });

    it('an agent cannot store a name that climbs into another customer’s folder (review L-4)', async () => {
      const name = `${agentsCustomer}/../${agent2sCustomer}/contract.txt`;
      await expect(
        cast.sql('agent', `insert into storage.objects (bucket_id, name) values ('attachments', $1)`, [name]),
      ).rejects.toMatchObject({ code: '42501' });
      const response = await fetch(
        `${config.apiUrl}/storage/v1/object/attachments/${name.split('/').map(encodeURIComponent).join('%2F')}`,
        {
          method: 'POST',
          headers: {
            apikey: config.anonKey,
            authorization: `Bearer ${(await cast.people.agent.client.auth.getSession()).data.session?.access_token}`,
            'content-type': 'text/plain',
          },
          body: 'contract',
        },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: '403', code: 'AccessDenied' });
      const [{ n }] = await adminSql<{ n: number }>(
        `select count(*)::int as n from storage.objects where bucket_id = 'attachments' and name like '%/../%'`,
      );
      expect(n).toBe(0);
    });

    it("an agent uploads into their own customer's folder, not another's", async () => {
      expect((await bucket('agent').upload(`${agentsCustomer}/notes/a.txt`, file())).error).toBeNull();
      const { error } = await bucket('agent').upload(`${agent2sCustomer}/notes/a.txt`, file());
      expect(error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });
    });

    it('managers upload for any customer, but only into a customer folder', async () => {
      expect((await bucket('manager').upload(`${agent2sCustomer}/m.txt`, file())).error).toBeNull();
      const loose = await bucket('admin').upload(`not-a-customer/m.txt`, file());
      expect(loose.error).toMatchObject({ statusCode: '403' });
      const root = await bucket('admin').upload(`m.txt`, file());
      expect(root.error).toMatchObject({ statusCode: '403' });
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon', 'agent2'])(
      "%s cannot upload into agent's customer folder",
      async (caller) => {
        const { error } = await bucket(caller).upload(`${agentsCustomer}/${caller}.txt`, file());
        expect(error).toMatchObject({ statusCode: '403' });
      },
    );

    it('whoever sees the customer reads the files; no one else does', async () => {
      for (const caller of ['agent', 'readonly', 'manager', 'admin', 'service_role'] as const) {
        const { data, error } = await bucket(caller).download(`${agentsCustomer}/seed/quote.txt`);
        expect(error, caller).toBeNull();
        expect(await data?.text()).toMatch(/^attachment/);
      }
      for (const caller of ['agent2', 'shopper', 'stranger', 'anon'] as const) {
        const { error } = await bucket(caller).download(`${agentsCustomer}/seed/quote.txt`);
        expect(error, caller).not.toBeNull();
      }
      const listed = await bucket('agent2').list(`${agentsCustomer}/seed`);
      expect(listed.data ?? []).toEqual([]);
    });

    it('readonly cannot remove files; the owning agent can', async () => {
      const path = `${agentsCustomer}/remove-me.txt`;
      expect((await bucket('agent').upload(path, file())).error).toBeNull();
      expect((await bucket('readonly').remove([path])).data).toEqual([]);
      expect((await bucket('agent2').remove([path])).data).toEqual([]);
      expect((await bucket('agent').exists(path)).data).toBe(true);
      const removed = await bucket('agent').remove([path]);
      expect(removed.error).toBeNull();
      expect(removed.data).toHaveLength(1);
      expect((await bucket('agent').exists(path)).data).toBe(false);
    });
  },
);
