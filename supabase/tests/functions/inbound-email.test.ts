/**
 * inbound-email (issue 14): an email sent from Cairn is answered from the mail catcher, which
 * posts what SendGrid Inbound Parse posts; the answer lands in its thread with its files in
 * Storage, once however often it is posted; unknown senders are kept unmatched; the parse URL's
 * secret is required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, createCast } from '../../../scripts/testing/support/team.ts';
import { adminSql, config, mail, serviceClient, uniqueEmail } from '@cairn/local-stack/testing.ts';
import { LOCAL_INBOUND_PARSE_SECRET } from '@cairn/local-stack/mail/inbound-parse.ts';

let cast: Cast;
let customerId: string;
let customerEmail: string;

const parseUrl = (key = LOCAL_INBOUND_PARSE_SECRET) =>
  `${config.apiUrl}/functions/v1/inbound-email?key=${encodeURIComponent(key)}`;

function parseForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

beforeAll(async () => {
  cast = await createCast('inbound-email');
  customerEmail = uniqueEmail('reply');
  [{ id: customerId }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, email, owner_id, source) values ('Rosa', $1, $2, 'manual') returning id`,
    [customerEmail, cast.people.agent.userId],
  );
});
afterAll(() => cast?.end());

describe('inbound-email', () => {
  it('files a reply from the catcher into the thread it answers, with its attachment in Storage, once', async () => {
    const { data: session } = await cast.people.agent.client.auth.getSession();
    const sent = await fetch(`${config.apiUrl}/functions/v1/send-email`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${session.session?.access_token}`,
        apikey: config.anonKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        to: { customer_id: customerId },
        message: { subject: 'Your fitting', body: 'Does Friday suit you?' },
      }),
    });
    const sentBody = (await sent.json()) as { thread_id: string };
    expect(sent.status, JSON.stringify(sentBody)).toBe(200);
    const caught = await mail.waitFor(customerEmail);

    const answer = await mail.reply(caught.id, {
      text: 'Friday is perfect.',
      attachments: [
        { name: '../measurements.txt', type: 'text/plain', content: Buffer.from('waist 70').toString('base64') },
        // A type the bucket does not take: listed as refused, the mail still filed.
        { name: 'setup.exe', type: 'application/x-msdownload', content: Buffer.from('MZ').toString('base64') },
      ],
    });
    expect(answer.status, answer.body).toBe(200);
    const [message] = await adminSql<{
      id: string;
      direction: string;
      body_text: string;
      attachments: Array<{ path: string }>;
    }>(
      `select id, direction, body_text, attachments from public.messages where thread_id = $1 and direction = 'inbound'`,
      [sentBody.thread_id],
    );
    expect(message).toMatchObject({ direction: 'inbound', body_text: 'Friday is perfect.' });
    expect(message.attachments).toHaveLength(1);
    const [inbound] = await adminSql<{ attachments: Array<{ name: string; refused?: string }> }>(
      `select attachments from public.inbound_emails where message_id = $1`,
      [message.id],
    );
    expect(inbound.attachments.map((file) => [file.name, file.refused ?? null])).toEqual([
      ['measurements.txt', null],
      ['setup.exe', 'type application/x-msdownload is not accepted'],
    ]);
    expect(message.attachments[0].path).toBe(`${customerId}/messages/${message.id}/1-measurements.txt`);
    const file = await serviceClient().storage.from('attachments').download(message.attachments[0].path);
    expect(await file.data?.text()).toBe('waist 70');
    // The agent may read it (their customer's folder); agent2 may not.
    expect(
      (await cast.people.agent.client.storage.from('attachments').download(message.attachments[0].path)).error,
    ).toBeNull();
    expect(
      (await cast.people.agent2.client.storage.from('attachments').download(message.attachments[0].path)).error,
    ).not.toBeNull();

    const [thread] = await adminSql<{ read_state: string; unread_count: number }>(
      `select read_state, unread_count from public.message_threads where id = $1`,
      [sentBody.thread_id],
    );
    expect(thread).toEqual({ read_state: 'unread', unread_count: 1 });
  });

  it('files the same post once, keeps strangers unmatched and malformed posts, and wants the secret', async () => {
    const fields = {
      headers: `From: someone@unknown.example.test\nMessage-ID: <${crypto.randomUUID()}@unknown.example.test>\n`,
      from: 'someone@unknown.example.test',
      to: 'support@inbound.cairn.localhost',
      subject: 'Who are you?',
      text: 'Hello',
      charsets: '{"text":"UTF-8"}',
      envelope: '{"to":["support@inbound.cairn.localhost"],"from":"someone@unknown.example.test"}',
      SPF: 'pass',
      attachments: '0',
    };
    const post = (key?: string, body: FormData | string = parseForm(fields)) =>
      fetch(parseUrl(key), { method: 'POST', body });
    const first = await post();
    const second = await post();
    expect(await first.json()).toEqual({ ok: true, state: 'unmatched', duplicate: false });
    expect(await second.json()).toEqual({ ok: true, state: 'unmatched', duplicate: true });
    const [{ n }] = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.inbound_emails where from_address = 'someone@unknown.example.test' and subject = 'Who are you?'`,
    );
    expect(n).toBe(1);

    const wrong = await post('not-the-secret');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(
      (await fetch(`${config.apiUrl}/functions/v1/inbound-email`, { method: 'POST', body: parseForm(fields) })).status,
    ).toBe(403);

    const garbage = await fetch(parseUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'not a form \u0000 at all',
    });
    expect(await garbage.json()).toEqual({ ok: true, state: 'malformed', duplicate: false });
  });
});
