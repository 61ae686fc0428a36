import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createCustomer } from '../../../scripts/testing/support/commerce.ts';

/**
 * Role matrices for message threads, messages, email templates and their variants; the thread
 * state the database keeps (last message, unread / read / responded); placeholder validation;
 * render_template's language fallback chain and HTML escaping; audit rows.
 */

const outbound = (threadId: string, extra: Record<string, unknown> = {}) => ({
  thread_id: threadId,
  direction: 'outbound',
  from_address: 'team@shop.example',
  to_address: 'customer@example.test',
  subject: 'Re: your order',
  body_text: 'Hello!',
  ...extra,
});

async function thread(customerId: string, subject = 'Sizing question'): Promise<string> {
  return (
    await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, $2) returning id`,
      [customerId, subject],
    )
  )[0].id;
}

async function inbound(threadId: string, at = new Date()): Promise<string> {
  return (
    await adminSql<{ id: string }>(
      `insert into public.messages (thread_id, direction, from_address, to_address, subject, body_text, status, created_at)
       values ($1, 'inbound', 'customer@example.test', 'team@shop.example', 'Question', 'Does it run small?', 'delivered', $2)
       returning id`,
      [threadId, at.toISOString()],
    )
  )[0].id;
}

describe('message threads and messages: access rules', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;
  let agentsThread: string;
  let agent2sThread: string;
  let shoppersThread: string;
  let agentsInbound: string;
  let agent2sInbound: string;

  beforeAll(async () => {
    cast = await createCast('messaging');
    agentsCustomer = await createCustomer(cast.people.agent.userId);
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    agentsThread = await thread(agentsCustomer);
    agent2sThread = await thread(agent2sCustomer);
    shoppersThread = await thread(cast.shopperCustomerId);
    agentsInbound = await inbound(agentsThread);
    agent2sInbound = await inbound(agent2sThread);
    await inbound(shoppersThread);
  });
  afterAll(() => cast?.end());

  const visible = async (caller: Caller, table: 'message_threads' | 'messages', ids: string[]) => {
    const { data, error } = await cast.client(caller).from(table).select('id').in('id', ids);
    expect(error).toBeNull();
    return (data ?? []).map((row: { id: string }) => row.id).sort();
  };

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'readonly', 'service_role'])(
      '%s sees every thread and message',
      async (caller) => {
        const threads = [agentsThread, agent2sThread, shoppersThread];
        expect(await visible(caller, 'message_threads', threads)).toEqual([...threads].sort());
        expect(await visible(caller, 'messages', [agentsInbound, agent2sInbound])).toEqual(
          [agentsInbound, agent2sInbound].sort(),
        );
      },
    );

    it("an agent sees their customers' threads and messages only", async () => {
      expect(await visible('agent', 'message_threads', [agentsThread, agent2sThread, shoppersThread])).toEqual(
        [agentsThread, shoppersThread].sort(),
      );
      expect(await visible('agent', 'messages', [agentsInbound, agent2sInbound])).toEqual([agentsInbound]);
      expect(await visible('agent2', 'messages', [agentsInbound, agent2sInbound])).toEqual([agent2sInbound]);
    });

    it('shoppers do not see staff messaging, even about themselves; strangers see nothing; anon is refused', async () => {
      expect(await visible('shopper', 'message_threads', [shoppersThread, agentsThread])).toEqual([]);
      const { data } = await cast.client('shopper').from('messages').select('id').eq('thread_id', shoppersThread);
      expect(data).toEqual([]);
      expect(await visible('stranger', 'message_threads', [agentsThread, shoppersThread])).toEqual([]);
      expect(await visible('stranger', 'messages', [agentsInbound])).toEqual([]);
      for (const table of ['message_threads', 'messages'] as const) {
        const { error } = await cast.client('anon').from(table).select('id').limit(1);
        expect(error).toMatchObject({ code: '42501' });
      }
    });

    it('the same rules hold in SQL as the role', async () => {
      expect(
        await cast.countsAs(
          ['admin', 'readonly', 'agent', 'shopper', 'stranger'],
          'select count(*)::int as n from public.messages where thread_id = any($1)',
          [[agentsThread, agent2sThread, shoppersThread]],
        ),
      ).toEqual({ admin: 3, readonly: 3, agent: 2, shopper: 0, stranger: 0 });
      await expect(cast.sql('anon', 'select 1 from public.message_threads limit 1')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('threads: insert / update / delete', () => {
    it('managers open threads for anyone; an agent for their customers only', async () => {
      const byManager = await cast
        .client('manager')
        .from('message_threads')
        .insert({ customer_id: agent2sCustomer, subject: 'From the manager' })
        .select('created_by, read_state')
        .single();
      expect(byManager.error).toBeNull();
      expect(byManager.data).toEqual({ created_by: cast.people.manager.userId, read_state: 'read' });
      expect(
        (await cast.client('agent').from('message_threads').insert({ customer_id: agentsCustomer, subject: 'Mine' }))
          .error,
      ).toBeNull();
      const other = await cast
        .client('agent')
        .from('message_threads')
        .insert({ customer_id: agent2sCustomer, subject: 'Not mine' });
      expect(other.error).toMatchObject({ code: '42501' });
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s cannot open threads', async (caller) => {
      const customer = caller === 'shopper' ? cast.shopperCustomerId : agentsCustomer;
      const { error } = await cast
        .client(caller)
        .from('message_threads')
        .insert({ customer_id: customer, subject: 'x' });
      expect(error).toMatchObject({ code: '42501' });
    });

    it('nobody writes the state the database keeps', async () => {
      const { error } = await cast
        .client('admin')
        .from('message_threads')
        .update({ unread_count: 0, last_message_at: new Date().toISOString() })
        .eq('id', agentsThread);
      expect(error).toMatchObject({ code: '42501' });
      expect(error?.message).toMatch(/permission denied/);
    });

    it('an agent closes their own threads only; readonly, shoppers and strangers change nothing', async () => {
      const close = (caller: Caller, id: string) =>
        cast.client(caller).from('message_threads').update({ status: 'closed' }).eq('id', id).select('id');
      expect((await close('agent', agent2sThread)).data).toEqual([]);
      for (const caller of ['readonly', 'shopper', 'stranger'] as const) {
        expect((await close(caller, agentsThread)).data).toEqual([]);
      }
      expect((await close('agent', agentsThread)).data).toEqual([{ id: agentsThread }]);
      expect(
        (await cast.client('agent').from('message_threads').update({ status: 'open' }).eq('id', agentsThread)).error,
      ).toBeNull();
    });

    it('only admins and managers remove threads, with their messages', async () => {
      const id = await thread(agentsCustomer, 'Doomed');
      const message = await inbound(id);
      for (const caller of ['agent', 'readonly', 'shopper', 'stranger'] as const) {
        const { data } = await cast.client(caller).from('message_threads').delete().eq('id', id).select('id');
        expect(data ?? []).toEqual([]);
      }
      expect((await cast.client('manager').from('message_threads').delete().eq('id', id).select('id')).data).toEqual([
        { id },
      ]);
      expect(await adminSql('select 1 from public.messages where id = $1', [message])).toEqual([]);
    });
  });

  describe('messages: insert / update / delete', () => {
    it('an agent writes queued outbound messages as themselves in their customers’ threads', async () => {
      const { data, error } = await cast
        .client('agent')
        .from('messages')
        .insert(outbound(agentsThread))
        .select('sent_by, status, customer_id')
        .single();
      expect(error).toBeNull();
      expect(data).toEqual({ sent_by: cast.people.agent.userId, status: 'queued', customer_id: agentsCustomer });
      const other = await cast.client('agent').from('messages').insert(outbound(agent2sThread));
      expect(other.error).toMatchObject({ code: '42501' });
      expect(other.error?.message).toMatch(/row-level security/);
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s cannot write messages', async (caller) => {
      const target = caller === 'shopper' ? shoppersThread : agentsThread;
      const { error } = await cast.client(caller).from('messages').insert(outbound(target));
      expect(error).toMatchObject({ code: '42501' });
    });

    it('team members cannot fake inbound mail or delivery', async () => {
      for (const extra of [{ direction: 'inbound' }, { status: 'delivered' }]) {
        const { error } = await cast.client('manager').from('messages').insert(outbound(agentsThread, extra));
        expect(error).toMatchObject({ code: '42501' });
        expect(error?.message).toMatch(/outbound messages, queued for sending/);
      }
      const provider = await cast
        .client('manager')
        .from('messages')
        .insert(outbound(agentsThread, { provider_message_id: 'sg-1' }));
      expect(provider.error).toMatchObject({ code: '42501' });
      expect(provider.error?.message).toMatch(/permission denied/);
    });

    it('the service role records delivery and inbound mail', async () => {
      const service = cast.client('service_role');
      const providerId = `sg-${randomUUID()}`;
      const { data, error } = await service
        .from('messages')
        .insert(
          outbound(agentsThread, {
            status: 'sent',
            provider_message_id: providerId,
            sent_at: new Date().toISOString(),
          }),
        )
        .select('id')
        .single();
      expect(error).toBeNull();
      const id = (data as { id: string }).id;
      expect(
        (await service.from('messages').update({ status: 'opened' }).eq('provider_message_id', providerId)).error,
      ).toBeNull();
      const duplicate = await service
        .from('messages')
        .insert(outbound(agentsThread, { provider_message_id: providerId }));
      expect(duplicate.error?.code).toBe('23505');
      const [{ status }] = await adminSql<{ status: string }>('select status from public.messages where id = $1', [id]);
      expect(status).toBe('opened');
    });

    it('those who may edit the customer mark inbound messages read; nothing else changes', async () => {
      const id = await inbound(agentsThread);
      const markRead = (caller: Caller) =>
        cast.client(caller).from('messages').update({ read_at: new Date().toISOString() }).eq('id', id).select('id');
      for (const caller of ['agent2', 'readonly', 'shopper', 'stranger'] as const) {
        expect((await markRead(caller)).data ?? []).toEqual([]);
      }
      expect((await markRead('agent')).data).toEqual([{ id }]);
      const rewrite = await cast.client('agent').from('messages').update({ body_text: 'rewritten' }).eq('id', id);
      expect(rewrite.error).toMatchObject({ code: '42501' });
      const status = await cast.client('manager').from('messages').update({ status: 'failed' }).eq('id', id);
      expect(status.error).toMatchObject({ code: '42501' });
    });

    it('nobody removes a single message through the API', async () => {
      for (const caller of ['admin', 'manager', 'agent'] as const) {
        const { error } = await cast.client(caller).from('messages').delete().eq('id', agentsInbound);
        expect(error).toMatchObject({ code: '42501' });
      }
      expect(await adminSql('select 1 from public.messages where id = $1', [agentsInbound])).toHaveLength(1);
    });
  });
});

describe('message threads: the state the database keeps', () => {
  let cast: Cast;
  let customer: string;
  beforeAll(async () => {
    cast = await createCast('thread-state');
    [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('State', $1) returning id`,
      [cast.people.agent.userId],
    );
  });
  afterAll(() => cast?.end());

  const state = async (id: string) =>
    (
      await adminSql<{ read_state: string; unread_count: number; last_message_at: Date | null }>(
        'select read_state, unread_count, last_message_at from public.message_threads where id = $1',
        [id],
      )
    )[0];

  it('goes unread → read → responded → unread, and keeps last_message_at', async () => {
    const id = await thread(customer);
    expect(await state(id)).toMatchObject({ read_state: 'read', unread_count: 0, last_message_at: null });
    const first = await inbound(id, new Date(Date.now() - 60_000));
    expect(await state(id)).toMatchObject({ read_state: 'unread', unread_count: 1 });
    await cast.client('agent').from('messages').update({ read_at: new Date().toISOString() }).eq('id', first);
    expect(await state(id)).toMatchObject({ read_state: 'read', unread_count: 0 });
    const reply = await cast.client('agent').from('messages').insert(outbound(id)).select('created_at').single();
    const replied = await state(id);
    expect(replied.read_state).toBe('responded');
    expect(replied.last_message_at?.toISOString()).toBe(
      new Date((reply.data as { created_at: string }).created_at).toISOString(),
    );
    await inbound(id);
    expect(await state(id)).toMatchObject({ read_state: 'unread', unread_count: 1 });
  });

  it('refuses a message for a thread that does not exist, and a message moving threads', async () => {
    const { error } = await cast.client('manager').from('messages').insert(outbound(randomUUID()));
    expect(error?.code).toBe('23503');
    expect(error?.message).toMatch(/no such message thread/);
    const id = await thread(customer);
    const other = await thread(customer);
    const message = await inbound(id);
    await expect(adminSql('update public.messages set thread_id = $1 where id = $2', [other, message])).rejects.toThrow(
      /cannot move to another thread/,
    );
  });

  it.each([
    ['a malformed recipient', { to_address: 'not-an-email' }, /to_address_is_an_email/],
    ['a malformed sender', { from_address: 'nobody' }, /from_address_is_an_email/],
    ['no body at all', { body_text: null }, /need_a_body/],
    ['an empty subject', { subject: '' }, /subject_length/],
  ])('refuses %s', async (_, extra, mentions) => {
    const id = await thread(customer);
    const { error } = await cast.client('agent').from('messages').insert(outbound(id, extra));
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(mentions);
  });

  it('writes audit rows for threads and messages, with the actor', async () => {
    const created = await cast
      .client('agent')
      .from('message_threads')
      .insert({ customer_id: customer, subject: 'Audited' })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    await cast.client('agent').from('message_threads').update({ status: 'closed' }).eq('id', id);
    const message = await cast.client('agent').from('messages').insert(outbound(id)).select('id').single();
    const rows = await adminSql<{ table_name: string; action: string; actor_id: string }>(
      `select table_name, action, actor_id from public.audit_log
       where (table_name = 'message_threads' and row_id = $1) or (table_name = 'messages' and row_id = $2) order by id`,
      [id, (message.data as { id: string }).id],
    );
    expect(rows.map((row) => `${row.table_name} ${row.action}`)).toEqual([
      'message_threads INSERT',
      'message_threads UPDATE',
      'messages INSERT',
      'message_threads UPDATE', // last_message_at, kept by the database
    ]);
    expect(rows.every((row) => row.actor_id === cast.people.agent.userId)).toBe(true);
  });
});

describe('email templates: access rules, validation and rendering', () => {
  let cast: Cast;
  let templateKey: string;
  let templateId: string;

  beforeAll(async () => {
    cast = await createCast('templates');
    templateKey = `price-drop-${randomUUID().slice(0, 8)}`;
    [{ id: templateId }] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, category) values ($1, 'Price drop', 'alert') returning id`,
      [templateKey],
    );
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text) values
        ($1, 'en', '{{product_name}} is now {{new_price}}', '<p>Hi {{first_name}}, save {{ percent_saved }}%</p>', 'Hi {{first_name}}, save {{percent_saved}}%'),
        ($1, 'fr', '{{product_name}} à {{new_price}}', '<p>Bonjour {{first_name}}</p>', 'Bonjour {{first_name}}')`,
      [templateId],
    );
  });
  afterAll(() => cast?.end());

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'service_role'])(
      '%s reads templates and variants',
      async (caller) => {
        const { data, error } = await cast
          .client(caller)
          .from('email_templates')
          .select('key, email_template_variants(language)')
          .eq('id', templateId)
          .single();
        expect(error).toBeNull();
        expect(data?.key).toBe(templateKey);
        expect(data?.email_template_variants).toHaveLength(2);
      },
    );

    it.each<Caller>(['shopper', 'stranger'])('%s sees no templates or variables', async (caller) => {
      for (const table of ['email_templates', 'email_template_variants', 'email_template_variables'] as const) {
        const { data, error } = await cast.client(caller).from(table).select('*').limit(5);
        expect(error).toBeNull();
        expect(data).toEqual([]);
      }
    });

    it('anon is refused', async () => {
      for (const table of ['email_templates', 'email_template_variants', 'email_template_variables'] as const) {
        const { error } = await cast.client('anon').from(table).select('*').limit(1);
        expect(error).toMatchObject({ code: '42501' });
      }
    });
  });

  describe('insert / update / delete', () => {
    it('admins and managers write templates and variants', async () => {
      for (const caller of ['admin', 'manager'] as const) {
        const key = `by-${caller}-${randomUUID().slice(0, 8)}`;
        const created = await cast
          .client(caller)
          .from('email_templates')
          .insert({ key, name: `By ${caller}` })
          .select('id, created_by')
          .single();
        expect(created.error).toBeNull();
        expect(created.data?.created_by).toBe(cast.people[caller].userId);
        const id = (created.data as { id: string }).id;
        const variant = await cast.client(caller).from('email_template_variants').insert({
          template_id: id,
          language: 'de',
          subject: 'Hallo {{first_name}}',
          body_html: '<p>x</p>',
          body_text: 'x',
        });
        expect(variant.error).toBeNull();
        expect(
          (await cast.client(caller).from('email_templates').update({ name: 'Renamed' }).eq('id', id).select('id'))
            .data,
        ).toHaveLength(1);
        expect(
          (await cast.client(caller).from('email_templates').delete().eq('id', id).select('id')).data,
        ).toHaveLength(1);
      }
    });

    it.each<Caller>(['agent', 'readonly', 'shopper', 'stranger', 'anon'])(
      '%s cannot add, change or remove templates',
      async (caller) => {
        const client = cast.client(caller);
        const added = await client.from('email_templates').insert({ key: `no-${randomUUID().slice(0, 8)}`, name: 'x' });
        expect(added.error).toMatchObject({ code: '42501' });
        const variant = await client
          .from('email_template_variants')
          .insert({ template_id: templateId, language: 'es', subject: 'x', body_html: 'x', body_text: 'x' });
        expect(variant.error).toMatchObject({ code: '42501' });
        const changed = await client.from('email_templates').update({ name: 'x' }).eq('id', templateId).select('id');
        expect(changed.data ?? []).toEqual([]);
        const removed = await client
          .from('email_template_variants')
          .delete()
          .eq('template_id', templateId)
          .select('id');
        expect(removed.data ?? []).toEqual([]);
      },
    );

    it('only admins manage the variable list', async () => {
      const name = `v_${randomUUID().slice(0, 8)}`;
      const refused = await cast
        .client('manager')
        .from('email_template_variables')
        .insert({ name, description: 'x', example: 'x' });
      expect(refused.error).toMatchObject({ code: '42501' });
      const added = await cast
        .client('admin')
        .from('email_template_variables')
        .insert({ name, description: 'x', example: 'x' });
      expect(added.error).toBeNull();
    });
  });

  describe('validation', () => {
    it('refuses an unknown variable, naming it and where it is', async () => {
      const { error } = await cast.client('manager').from('email_template_variants').insert({
        template_id: templateId,
        language: 'es',
        subject: 'Hola {{first_name}}',
        body_html: '<p>{{ nombre }}</p>',
        body_text: 'x',
      });
      expect(error?.code).toBe('23514');
      expect(error?.message).toBe('unknown template variable {{nombre}} in body_html');
      expect(error?.hint).toMatch(/Allowed variables: .*first_name.*percent_saved/);
    });

    it('refuses an unknown variable on update too', async () => {
      const { error } = await cast
        .client('manager')
        .from('email_template_variants')
        .update({ subject: '{{prix}}' })
        .eq('template_id', templateId)
        .eq('language', 'fr');
      expect(error?.code).toBe('23514');
      expect(error?.message).toMatch(/\{\{prix\}\} in subject/);
    });

    it.each([
      ['a second variant in the same language', { language: 'en' }, '23505', /one_per_language/],
      ['an unknown language', { language: 'xx' }, '23503', /language/],
      ['an empty subject', { language: 'it', subject: ' ' }, '23514', /subject_length/],
    ])('refuses %s', async (_, extra, code, mentions) => {
      const { error } = await cast
        .client('manager')
        .from('email_template_variants')
        .insert({ template_id: templateId, subject: 'x', body_html: 'x', body_text: 'x', ...extra });
      expect(error?.code).toBe(code);
      expect(`${error?.message} ${error?.details}`).toMatch(mentions);
    });

    it('refuses a key that is not a slug, and a duplicate key', async () => {
      const bad = await cast.client('manager').from('email_templates').insert({ key: 'Price Drop!', name: 'x' });
      expect(bad.error?.code).toBe('23514');
      expect(bad.error?.message).toMatch(/key_is_a_slug/);
      const duplicate = await cast.client('manager').from('email_templates').insert({ key: templateKey, name: 'x' });
      expect(duplicate.error?.code).toBe('23505');
    });
  });

  describe('render_template', () => {
    const render = (caller: Caller, language: string | null, variables: Record<string, unknown> = {}) =>
      cast.client(caller).rpc('render_template', { template_key: templateKey, language, variables });

    const variables = { first_name: 'Ana', product_name: 'Linen dress', new_price: '€96.00', percent_saved: 20 };

    it('renders the requested language', async () => {
      const { data, error } = await render('agent', 'fr', variables);
      expect(error).toBeNull();
      expect(data).toEqual([
        { subject: 'Linen dress à €96.00', body_html: '<p>Bonjour Ana</p>', body_text: 'Bonjour Ana' },
      ]);
    });

    it('falls back to the workspace default language, then English', async () => {
      const [{ default_language: saved }] = await adminSql<{ default_language: string }>(
        'select default_language from public.workspace_settings',
      );
      try {
        await adminSql(`update public.workspace_settings set default_language = 'fr'`);
        expect((await render('agent', 'de', variables)).data?.[0].body_text).toBe('Bonjour Ana');
        await adminSql(`update public.workspace_settings set default_language = 'es'`);
        expect((await render('agent', 'de', variables)).data?.[0].body_text).toBe('Hi Ana, save 20%');
        expect((await render('agent', null, variables)).data?.[0].subject).toBe('Linen dress is now €96.00');
      } finally {
        await adminSql('update public.workspace_settings set default_language = $1', [saved]);
      }
    });

    it('escapes values in the HTML body only, and never expands a value twice', async () => {
      const { data } = await render('manager', 'en', {
        first_name: `<script>alert("x")</script> & 'co'`,
        percent_saved: '{{first_name}}',
      });
      expect(data?.[0].body_html).toBe(
        '<p>Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;, save {{first_name}}%</p>',
      );
      expect(data?.[0].body_text).toBe(`Hi <script>alert("x")</script> & 'co', save {{first_name}}%`);
    });

    it('reads dotted variables from nested values', async () => {
      const name = `t${randomUUID().slice(0, 8)}.title`;
      const added = await cast
        .client('admin')
        .from('email_template_variables')
        .insert({ name, description: 'Nested', example: 'x' });
      expect(added.error).toBeNull();
      const key = `nested-${randomUUID().slice(0, 8)}`;
      const [{ id }] = await adminSql<{ id: string }>(
        `insert into public.email_templates (key, name) values ($1, 'Nested') returning id`,
        [key],
      );
      const variant = await cast
        .client('manager')
        .from('email_template_variants')
        .insert({
          template_id: id,
          language: 'en',
          subject: `{{ ${name} }}`,
          body_html: `<b>{{${name}}}</b>`,
          body_text: 'x',
        });
      expect(variant.error).toBeNull();
      const [root] = name.split('.');
      const { data } = await cast
        .client('agent')
        .rpc('render_template', { template_key: key, language: 'en', variables: { [root]: { title: 'A & B' } } });
      expect(data).toEqual([{ subject: 'A & B', body_html: '<b>A &amp; B</b>', body_text: 'x' }]);
      const whole = await cast
        .client('agent')
        .rpc('render_template', { template_key: key, language: 'en', variables: { [root]: 'flat' } });
      expect(whole.data?.[0].subject).toBe('');
    });

    it('leaves a missing variable empty', async () => {
      expect((await render('agent', 'en', {})).data?.[0].body_text).toBe('Hi , save %');
    });

    it('says clearly when there is no such template, or variables are not an object', async () => {
      const missing = await cast
        .client('agent')
        .rpc('render_template', { template_key: 'no-such-template', language: 'en', variables: {} });
      expect(missing.error?.code).toBe('P0002');
      expect(missing.error?.message).toMatch(/no email template "no-such-template"/);
      const bad = await cast
        .client('agent')
        .rpc('render_template', { template_key: templateKey, language: 'en', variables: ['x'] });
      expect(bad.error?.code).toBe('22023');
    });

    it('runs with the caller’s rights: shoppers and strangers find no template, anon may not call it', async () => {
      for (const caller of ['shopper', 'stranger'] as const) {
        expect((await render(caller, 'en', variables)).error?.code).toBe('P0002');
      }
      expect((await render('anon', 'en', variables)).error?.code).toBe('42501');
      expect((await render('service_role', 'en', variables)).data?.[0].body_text).toBe('Hi Ana, save 20%');
    });
  });

  it('writes audit rows for templates and variants, with the actor', async () => {
    const key = `audited-${randomUUID().slice(0, 8)}`;
    const created = await cast
      .client('manager')
      .from('email_templates')
      .insert({ key, name: 'Audited' })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    const variant = await cast
      .client('manager')
      .from('email_template_variants')
      .insert({ template_id: id, language: 'en', subject: 'x', body_html: 'x', body_text: 'x' })
      .select('id')
      .single();
    await cast.client('manager').from('email_templates').delete().eq('id', id);
    const rows = await adminSql<{ table_name: string; action: string; actor_id: string }>(
      `select table_name, action, actor_id from public.audit_log
       where (table_name = 'email_templates' and row_id = $1) or (table_name = 'email_template_variants' and row_id = $2)
       order by id`,
      [id, (variant.data as { id: string }).id],
    );
    // The variant's delete is the template's cascade: both are logged, in either order.
    expect(rows.map((row) => `${row.table_name} ${row.action}`).slice(0, 2)).toEqual([
      'email_templates INSERT',
      'email_template_variants INSERT',
    ]);
    expect(
      rows
        .slice(2)
        .map((row) => `${row.table_name} ${row.action}`)
        .sort(),
    ).toEqual(['email_template_variants DELETE', 'email_templates DELETE']);
    expect(rows.every((row) => row.actor_id === cast.people.manager.userId)).toBe(true);
  });
});
