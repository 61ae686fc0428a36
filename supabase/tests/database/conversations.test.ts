import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createCustomer, uniqueTag } from '../../../scripts/testing/support/commerce.ts';

/**
 * Conversations (issue 14): the emailing rule per purpose (transactional needs no consent,
 * marketing and alerts do, a suppressed address gets nothing), template versions and the
 * preview with its fallback, thread assignment and response / resolution times, and inbound mail
 * (threading by token, Message-ID and sender; unmatched; redelivery; malformed; linking) with
 * the role matrix of inbound_emails and email_template_versions.
 */

let cast: Cast;
let agentsCustomer: string;
let agent2sCustomer: string;
let customerEmail: string;

const everyone: Caller[] = ['admin', 'manager', 'agent', 'agent2', 'readonly', 'shopper', 'stranger', 'service_role'];

async function consent(customerId: string, purpose: string, status: 'granted' | 'withdrawn') {
  await adminSql(
    `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
     values ($1, 'email', $2, $3, 'staff', clock_timestamp())`,
    [customerId, purpose, status],
  );
}

beforeAll(async () => {
  cast = await createCast('conversations');
  agentsCustomer = await createCustomer(cast.people.agent.userId);
  agent2sCustomer = await createCustomer(cast.people.agent2.userId);
  customerEmail = `lena-${uniqueTag()}@example.test`;
  await adminSql(`update public.customers set email = $2, first_name = 'Lena', language = 'de' where id = $1`, [
    agentsCustomer,
    customerEmail,
  ]);
});
afterAll(() => cast?.end());

describe('email_permission: who may be emailed for what', () => {
  const ask = async (caller: Caller, customerId: string, purpose: string) =>
    (
      await cast.sql<{ allowed: boolean; reason: string | null }>(
        caller,
        `select allowed, reason from public.email_permission($1, $2)`,
        [customerId, purpose],
      )
    )[0];

  it('allows a transactional email without consent, refuses marketing and alerts until consent is granted', async () => {
    expect(await ask('agent', agentsCustomer, 'transactional')).toEqual({ allowed: true, reason: null });
    expect(await ask('agent', agentsCustomer, 'marketing')).toEqual({ allowed: false, reason: 'no_marketing_consent' });
    expect(await ask('agent', agentsCustomer, 'alert')).toEqual({ allowed: false, reason: 'no_alert_consent' });
    await consent(agentsCustomer, 'marketing', 'granted');
    expect(await ask('agent', agentsCustomer, 'marketing')).toEqual({ allowed: true, reason: null });
    await consent(agentsCustomer, 'marketing', 'withdrawn');
    expect(await ask('manager', agentsCustomer, 'marketing')).toEqual({
      allowed: false,
      reason: 'no_marketing_consent',
    });
    // Unsubscribed from marketing, a reply is still allowed.
    expect(await ask('manager', agentsCustomer, 'transactional')).toEqual({ allowed: true, reason: null });
  });

  it('refuses everything to a suppressed address, and says when there is no address or no such customer', async () => {
    await adminSql(`insert into public.email_suppressions (email, reason) values ($1, 'bounce')`, [customerEmail]);
    try {
      expect(await ask('agent', agentsCustomer, 'transactional')).toEqual({ allowed: false, reason: 'suppressed' });
    } finally {
      await adminSql(`delete from public.email_suppressions where email = $1`, [customerEmail]);
    }
    expect(await ask('agent2', agent2sCustomer, 'transactional')).toEqual({ allowed: false, reason: 'no_email' });
    // agent2 may not see agent's customer: not_found, nothing about the address.
    expect(await ask('agent2', agentsCustomer, 'transactional')).toEqual({ allowed: false, reason: 'not_found' });
    await expect(
      cast.sql('anon', `select * from public.email_permission($1, 'transactional')`, [agentsCustomer]),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('template versions and the preview', () => {
  let templateId: string;
  beforeAll(async () => {
    templateId = (
      await cast.sql<{ id: string }>(
        'manager',
        `insert into public.email_templates (key, name, category, purpose) values ($1, 'Follow-up', 'sales', 'transactional') returning id`,
        [`follow-up-${uniqueTag()}`],
      )
    )[0].id;
    await cast.sql(
      'manager',
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'en', 'Hello {{first_name}}', '<p>Hi {{first_name}}, {{product_name}}</p>', 'Hi {{first_name}}, {{product_name}}')`,
      [templateId],
    );
  });

  it('keeps every saved state of a variant and numbers it', async () => {
    await cast.sql(
      'admin',
      `update public.email_template_variants set subject = 'Hi {{first_name}}' where template_id = $1 and language = 'en'`,
      [templateId],
    );
    // An update that changes nothing is no new version.
    await cast.sql(
      'admin',
      `update public.email_template_variants set subject = 'Hi {{first_name}}' where template_id = $1 and language = 'en'`,
      [templateId],
    );
    const versions = await adminSql<{ version: number; subject: string }>(
      `select version, subject from public.email_template_versions where template_id = $1 order by version`,
      [templateId],
    );
    expect(versions).toEqual([
      { version: 1, subject: 'Hello {{first_name}}' },
      { version: 2, subject: 'Hi {{first_name}}' },
    ]);
  });

  it('lets team members read versions and nobody write them', async () => {
    const counts = await cast.countsAs(
      everyone,
      `select count(*)::int as n from public.email_template_versions where template_id = $1`,
      [templateId],
    );
    expect(counts).toEqual({
      admin: 2,
      manager: 2,
      agent: 2,
      agent2: 2,
      readonly: 2,
      shopper: 0,
      stranger: 0,
      service_role: 2,
    });
    for (const caller of ['admin', 'manager'] as const) {
      await expect(
        cast.sql(
          caller,
          `insert into public.email_template_versions (template_id, language, version, subject, body_html, body_text)
           values ($1, 'en', 9, 's', 'h', 't')`,
          [templateId],
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        cast.sql(caller, `delete from public.email_template_versions where template_id = $1`, [templateId]),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('previews in the language asked, falls back to English and names the empty variables', async () => {
    const [german] = await cast.sql<{
      subject: string;
      used_language: string;
      fell_back: boolean;
      empty_variables: string[];
      version_id: string;
    }>('agent', `select * from public.preview_template($1, 'de', '{"first_name": "Lena"}')`, [templateId]);
    expect(german).toMatchObject({
      subject: 'Hi Lena',
      used_language: 'en',
      fell_back: true,
      empty_variables: ['product_name'],
    });
    const [latest] = await adminSql<{ id: string }>(
      `select id from public.email_template_versions where template_id = $1 and version = 2`,
      [templateId],
    );
    expect(german.version_id).toBe(latest.id);

    await cast.sql(
      'manager',
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'de', 'Hallo {{first_name}}', '<p>Hallo</p>', 'Hallo')`,
      [templateId],
    );
    const [own] = await cast.sql<{ subject: string; fell_back: boolean; empty_variables: string[] }>(
      'agent',
      `select * from public.preview_template($1, 'de', '{"first_name": "Lena"}')`,
      [templateId],
    );
    expect(own).toMatchObject({ subject: 'Hallo Lena', fell_back: false, empty_variables: [] });
    await expect(
      cast.sql('shopper', `select * from public.preview_template($1, 'de', '{}')`, [templateId]),
    ).rejects.toThrow(/no such email template/);
  });
});

describe('threads: assignment, response and resolution times', () => {
  let thread: string;
  beforeAll(async () => {
    thread = (
      await adminSql<{ id: string }>(
        `insert into public.message_threads (customer_id, subject) values ($1, 'Sizing') returning id`,
        [agentsCustomer],
      )
    )[0].id;
  });

  it('lets an agent take a thread of their customer, never give it to someone else', async () => {
    await cast.sql('agent', `update public.message_threads set assignee_id = $2 where id = $1`, [
      thread,
      cast.people.agent.userId,
    ]);
    await expect(
      cast.sql('agent', `update public.message_threads set assignee_id = $2 where id = $1`, [
        thread,
        cast.people.agent2.userId,
      ]),
    ).rejects.toThrow(/only to themselves/);
    // agent2 cannot see the thread: the update touches nothing.
    const touched = await cast.sql(
      'agent2',
      `update public.message_threads set assignee_id = $2 where id = $1 returning id`,
      [thread, cast.people.agent2.userId],
    );
    expect(touched).toEqual([]);
    // readonly may read the thread, never change it.
    expect(
      await cast.sql('readonly', `update public.message_threads set assignee_id = null where id = $1 returning id`, [
        thread,
      ]),
    ).toEqual([]);
    await cast.sql('manager', `update public.message_threads set assignee_id = $2 where id = $1`, [
      thread,
      cast.people.agent2.userId,
    ]);
    await expect(
      cast.sql('manager', `update public.message_threads set assignee_id = $2 where id = $1`, [
        thread,
        cast.people.shopper.userId,
      ]),
    ).rejects.toThrow(/active team member/);
    await expect(
      cast.sql('agent', `update public.message_threads set reply_token = 'x' where id = $1`, [thread]),
    ).rejects.toThrow(/permission denied/);
  });

  it('records the first response after the first inbound message, and when the thread was closed', async () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 9, minutes)).toISOString();
    const insert = (direction: string, status: string, createdAt: string) =>
      adminSql(
        `insert into public.messages (thread_id, direction, from_address, to_address, subject, body_text, status, created_at)
         values ($1, $2, 'a@example.test', 'b@example.test', 'Sizing', 'x', $3, $4)`,
        [thread, direction, status, createdAt],
      );
    await insert('outbound', 'sent', at(0)); // we wrote first: not a response
    await insert('inbound', 'delivered', at(10));
    await insert('outbound', 'failed', at(15)); // never sent: not a response
    await insert('outbound', 'sent', at(25));
    const [state] = await adminSql<{ first_inbound_at: Date; first_response_at: Date; read_state: string }>(
      `select first_inbound_at, first_response_at, read_state from public.message_threads where id = $1`,
      [thread],
    );
    expect(state.first_inbound_at.toISOString()).toBe(at(10));
    expect(state.first_response_at.toISOString()).toBe(at(25));

    await cast.sql('agent', `update public.message_threads set status = 'closed' where id = $1`, [thread]);
    const [closed] = await adminSql<{ closed_at: Date | null }>(
      `select closed_at from public.message_threads where id = $1`,
      [thread],
    );
    expect(closed.closed_at).not.toBeNull();
    await cast.sql('agent', `update public.message_threads set status = 'open' where id = $1`, [thread]);
    const [reopened] = await adminSql<{ closed_at: Date | null }>(
      `select closed_at from public.message_threads where id = $1`,
      [thread],
    );
    expect(reopened.closed_at).toBeNull();
  });
});

describe('inbound mail', () => {
  const receive = async (mail: Record<string, unknown>) =>
    (
      await cast.sql<{
        inbound_id: string;
        state: string;
        thread_id: string | null;
        message_id: string | null;
        customer_id: string | null;
        duplicate: boolean;
      }>('service_role', `select * from public.receive_inbound_email($1)`, [
        JSON.stringify({ dedupe_key: randomUUID() + randomUUID(), ...mail }),
      ])
    )[0];

  it('files a reply by the thread token, then by References, then by the sender', async () => {
    const [thread] = await adminSql<{ id: string; reply_token: string }>(
      `insert into public.message_threads (customer_id, subject, status) values ($1, 'Order', 'closed') returning id, reply_token`,
      [agentsCustomer],
    );
    const byToken = await receive({
      from: `Lena <${customerEmail}>`,
      to: `Shop <reply+${thread.reply_token}@inbound.example.test>`,
      subject: 'Re: Order',
      text: 'Thanks!',
      message_id: 'reply-1@mail.example.test',
    });
    expect(byToken).toMatchObject({ state: 'matched', thread_id: thread.id, customer_id: agentsCustomer });
    const [after] = await adminSql<{ status: string; read_state: string; unread_count: number }>(
      `select status, read_state, unread_count from public.message_threads where id = $1`,
      [thread.id],
    );
    expect(after).toEqual({ status: 'open', read_state: 'unread', unread_count: 1 });

    const byReference = await receive({
      from: 'someone.else@example.test',
      to: 'support@inbound.example.test',
      subject: 'Re: Re: Order',
      text: 'Forwarded',
      references: ['unknown@elsewhere', 'reply-1@mail.example.test'],
    });
    expect(byReference).toMatchObject({ state: 'matched', thread_id: thread.id });

    const bySender = await receive({
      from: customerEmail.toUpperCase(),
      to: 'support@inbound.example.test',
      subject: 'A new question',
      html: '<p>Hello</p>',
    });
    expect(bySender.state).toBe('matched');
    expect(bySender.thread_id).not.toBe(thread.id);
    const [opened] = await adminSql<{ customer_id: string; subject: string }>(
      `select customer_id, subject from public.message_threads where id = $1`,
      [bySender.thread_id],
    );
    expect(opened).toEqual({ customer_id: agentsCustomer, subject: 'A new question' });
  });

  it('files a redelivery once, keeps unmatched and malformed mail, and is for the service role only', async () => {
    const key = randomUUID() + randomUUID();
    const mail = {
      dedupe_key: key,
      from: 'nobody@unknown.example.test',
      to: 'support@x.test',
      subject: '',
      text: 'Hi',
    };
    const first = await cast.sql<{ state: string; duplicate: boolean; inbound_id: string }>(
      'service_role',
      `select * from public.receive_inbound_email($1)`,
      [JSON.stringify(mail)],
    );
    const again = await cast.sql<{ state: string; duplicate: boolean; inbound_id: string }>(
      'service_role',
      `select * from public.receive_inbound_email($1)`,
      [JSON.stringify(mail)],
    );
    expect(first[0]).toMatchObject({ state: 'unmatched', duplicate: false });
    expect(again[0]).toMatchObject({ state: 'unmatched', duplicate: true, inbound_id: first[0].inbound_id });

    const malformed = await receive({ malformed: 'no multipart boundary', headers: 'garbage' });
    expect(malformed.state).toBe('malformed');
    // A forged From that is no address at all: kept, unmatched.
    const forged = await receive({ from: '"<script>" <not an address>', to: 'x', text: 'hi' });
    expect(forged.state).toBe('unmatched');

    for (const caller of ['admin', 'manager', 'agent', 'readonly', 'anon'] as const) {
      await expect(
        cast.sql(caller, `select * from public.receive_inbound_email($1)`, [JSON.stringify(mail)]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        cast.sql(caller, `select public.attach_inbound_files($1, '[]')`, [first[0].inbound_id]),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('shows unmatched mail to members who see every customer, matched mail to those who see its customer', async () => {
    const unmatched = await receive({ from: 'who@unknown.example.test', to: 'support@x.test', text: 'Who am I?' });
    const matched = await receive({ from: customerEmail, to: 'support@x.test', text: 'Me again' });
    const counts = (id: string) =>
      cast.countsAs(everyone, `select count(*)::int as n from public.inbound_emails where id = $1`, [id]);
    expect(await counts(unmatched.inbound_id)).toEqual({
      admin: 1,
      manager: 1,
      agent: 0,
      agent2: 0,
      readonly: 1,
      shopper: 0,
      stranger: 0,
      service_role: 1,
    });
    expect(await counts(matched.inbound_id)).toEqual({
      admin: 1,
      manager: 1,
      agent: 1,
      agent2: 0,
      readonly: 1,
      shopper: 0,
      stranger: 0,
      service_role: 1,
    });
    await expect(cast.sql('anon', `select count(*) from public.inbound_emails`)).rejects.toThrow(/permission denied/);
    for (const caller of ['admin', 'manager', 'agent'] as const) {
      await expect(
        cast.sql(caller, `update public.inbound_emails set state = 'matched' where id = $1`, [unmatched.inbound_id]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        cast.sql(caller, `delete from public.inbound_emails where id = $1`, [unmatched.inbound_id]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        cast.sql(caller, `insert into public.inbound_emails (dedupe_key, state) values ($1, 'unmatched')`, [
          randomUUID() + randomUUID(),
        ]),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('lets a manager file unmatched mail under a customer; agents, readonly and strangers may not', async () => {
    const unmatched = await receive({
      from: 'Ana <ana.new@unknown.example.test>',
      to: 'support@x.test',
      subject: 'Hi',
      text: 'Hello',
    });
    for (const caller of ['agent', 'readonly', 'stranger', 'shopper'] as const) {
      await expect(
        cast.sql(caller, `select public.link_inbound_email($1, $2)`, [unmatched.inbound_id, agentsCustomer]),
      ).rejects.toThrow(/may not file|only members/);
    }
    const [{ link_inbound_email: thread }] = await cast.sql<{ link_inbound_email: string }>(
      'manager',
      `select public.link_inbound_email($1, $2)`,
      [unmatched.inbound_id, agentsCustomer],
    );
    const [message] = await adminSql<{ direction: string; from_address: string; customer_id: string }>(
      `select direction, from_address, customer_id from public.messages where thread_id = $1`,
      [thread],
    );
    expect(message).toEqual({
      direction: 'inbound',
      from_address: 'ana.new@unknown.example.test',
      customer_id: agentsCustomer,
    });
    await expect(
      cast.sql('manager', `select public.link_inbound_email($1, $2)`, [unmatched.inbound_id, agentsCustomer]),
    ).rejects.toThrow(/no such unmatched email/);
  });
});

describe('customer_languages: who reads which language, as the caller sees it', () => {
  it('counts the customers each member may see, by language', async () => {
    const owner = cast.people.agent2.userId;
    for (const language of ['fr', 'fr', null]) {
      const id = await createCustomer(owner);
      await adminSql(`update public.customers set language = $2 where id = $1`, [id, language]);
    }
    const [{ default_language: fallback }] = await adminSql<{ default_language: string }>(
      `select default_language from public.workspace_settings`,
    );
    const counts = await cast.sql<{ language: string; customers: string }>(
      'agent2',
      `select language, customers from public.customer_languages()`,
    );
    const byLanguage = Object.fromEntries(counts.map((row) => [row.language, Number(row.customers)]));
    // agent2 sees their own customers only: the earlier one without a language, these three.
    expect(byLanguage.fr).toBe(2);
    expect(byLanguage[fallback]).toBe(2);
    await expect(cast.sql('anon', `select * from public.customer_languages()`)).rejects.toThrow(/permission denied/);
    expect(await cast.sql('stranger', `select * from public.customer_languages()`)).toEqual([]);
  });
});

describe('attachments bucket: size and type limits', () => {
  it('takes documents and images up to 10 MB, refuses bigger files and types a browser could run', async () => {
    const bucket = cast.client('agent').storage.from('attachments');
    const folder = `${agentsCustomer}/limits-${uniqueTag()}`;
    expect(
      (await bucket.upload(`${folder}/quote.pdf`, new Blob(['%PDF-1.4'], { type: 'application/pdf' }))).error,
    ).toBeNull();
    const tooBig = await bucket.upload(
      `${folder}/big.pdf`,
      new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'application/pdf' }),
    );
    expect(tooBig.error).toMatchObject({ statusCode: '413' });
    for (const type of ['text/html', 'application/x-msdownload', 'application/octet-stream', 'image/svg+xml']) {
      const refused = await bucket.upload(`${folder}/file-${type.replace(/\W/g, '-')}`, new Blob(['x'], { type }));
      expect(refused.error, type).toMatchObject({ statusCode: '415' });
    }
    // The service role is held to the same limits.
    const service = await cast
      .client('service_role')
      .storage.from('attachments')
      .upload(`${folder}/x.html`, new Blob(['<script>'], { type: 'text/html' }));
    expect(service.error).toMatchObject({ statusCode: '415' });
  });
});
