/**
 * The mail catcher's SendGrid v3 `POST /v3/mail/send`: what a function posting to
 * SENDGRID_API_URL gets back (202 + X-Message-Id, SendGrid's 400 / 401 bodies) and what the
 * catcher keeps (one message per personalization, custom_args and categories intact).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailSink, Service } from '../src/context.ts';
import { startMail } from '../src/mail/server.ts';
import { loadSettings } from '../src/settings.ts';
import { config, mail, uniqueEmail } from '../src/testing.ts';
import { freePort } from '../src/lib/ports.ts';

const sendUrl = `${config.mailUrl}/v3/mail/send`;

function send(
  body: unknown,
  headers: Record<string, string> = { Authorization: 'Bearer SG.local-test-key' },
): Promise<Response> {
  return fetch(sendUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const validMessage = (to: string) => ({
  personalizations: [{ to: [{ email: to, name: 'Ada' }], custom_args: { order_id: '1001' } }],
  from: { email: 'shop@cairn.test', name: 'Cairn' },
  subject: 'Your order',
  content: [
    { type: 'text/plain', value: 'Thanks for your order' },
    { type: 'text/html', value: '<p>Thanks for your <b>order</b></p>' },
  ],
  categories: ['orders'],
  custom_args: { campaign: 'welcome' },
});

interface ErrorBody {
  errors: Array<{ message: string; field: string | null; help: string | null }>;
}

describe('SendGrid mail send', () => {
  it('accepts a valid message with 202, an empty body and X-Message-Id, and stores it', async () => {
    const to = uniqueEmail('buyer');
    const response = await send(validMessage(to));
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    const messageId = response.headers.get('x-message-id');
    expect(messageId).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const caught = await mail.waitFor(to);
    expect(caught.subject).toBe('Your order');
    expect(caught.text).toBe('Thanks for your order');
    expect(caught.html).toBe('<p>Thanks for your <b>order</b></p>');
    expect(caught.to).toEqual([{ email: to, name: 'Ada' }]);
    const raw = caught.raw as ReturnType<typeof validMessage>;
    expect(raw.custom_args).toEqual({ campaign: 'welcome' });
    expect(raw.personalizations[0].custom_args).toEqual({ order_id: '1001' });
    expect(raw.categories).toEqual(['orders']);
    const listed = (await (await fetch(`${config.mailUrl}/api/v1/messages?to=${encodeURIComponent(to)}`)).json()) as {
      messages: Array<{ messageId: string; source: string }>;
    };
    expect(listed.messages[0]).toMatchObject({ messageId, source: 'sendgrid' });
  });

  it('stores one message per personalization, sharing the X-Message-Id', async () => {
    const [first, second] = [uniqueEmail('one'), uniqueEmail('two')];
    const response = await send({
      ...validMessage(first),
      personalizations: [
        { to: [{ email: first }], subject: 'For one' },
        { to: [{ email: second }], subject: 'For two' },
      ],
    });
    expect(response.status).toBe(202);
    expect((await mail.waitFor(first)).subject).toBe('For one');
    expect((await mail.waitFor(second)).subject).toBe('For two');
  });

  it('applies each personalization’s substitutions, headers and custom args to its own message only', async () => {
    const [first, second] = [uniqueEmail('subst-one'), uniqueEmail('subst-two')];
    const response = await send({
      ...validMessage(first),
      subject: 'Hi -name-',
      content: [
        { type: 'text/plain', value: 'Hello -name-, stop: -link-' },
        { type: 'text/html', value: '<p>Hello -name-</p><a href="-link-">stop</a>' },
      ],
      personalizations: [
        {
          to: [{ email: first }],
          substitutions: { '-name-': 'Ada -link-', '-link-': 'https://u.test/1' },
          headers: { 'List-Unsubscribe': '<https://u.test/1>' },
          custom_args: { cairn_send: `subst:${first}` },
        },
        {
          to: [{ email: second }],
          substitutions: { '-name-': 'Bo', '-link-': 'https://u.test/2' },
          headers: { 'List-Unsubscribe': '<https://u.test/2>' },
          custom_args: { cairn_send: `subst:${second}` },
        },
      ],
    });
    expect(response.status).toBe(202);
    const one = await mail.waitFor(first);
    const two = await mail.waitFor(second);
    // One pass: a value that looks like a tag stays as it is.
    expect([one.subject, one.text]).toEqual(['Hi Ada -link-', 'Hello Ada -link-, stop: https://u.test/1']);
    expect([two.subject, two.html]).toEqual(['Hi Bo', '<p>Hello Bo</p><a href="https://u.test/2">stop</a>']);
    expect([one.headers?.['List-Unsubscribe'], two.headers?.['List-Unsubscribe']]).toEqual([
      '<https://u.test/1>',
      '<https://u.test/2>',
    ]);
    // Email Activity finds each message by its own custom arg, with its own activity id.
    const activity = async (to: string) =>
      (
        (await (
          await fetch(
            `${config.mailUrl}/v3/messages?limit=1&query=${encodeURIComponent(`unique_args['cairn_send']="subst:${to}"`)}`,
            { headers: { Authorization: 'Bearer SG.local-test-key' } },
          )
        ).json()) as { messages: Array<{ msg_id: string; to_email: string }> }
      ).messages;
    const [a, b] = [(await activity(first))[0], (await activity(second))[0]];
    expect([a.to_email, b.to_email]).toEqual([first, second]);
    expect(a.msg_id.split('.')[0]).toBe(response.headers.get('x-message-id'));
    expect(a.msg_id).not.toBe(b.msg_id);
  });

  it('refuses an address twice in one request, and substitutions that are not strings or too big', async () => {
    const to = uniqueEmail('twice');
    const twice = await send({
      ...validMessage(to),
      personalizations: [{ to: [{ email: to }] }, { to: [{ email: to.toUpperCase() }] }],
    });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as ErrorBody).errors[0].message).toMatch(/should only be included once/);
    const bad = await send({
      ...validMessage(to),
      personalizations: [
        { to: [{ email: to }], substitutions: { '-a-': 1 } },
        { to: [{ email: uniqueEmail('big') }], substitutions: { '-a-': 'x'.repeat(10_000) } },
      ],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).errors.map((error) => error.field)).toEqual([
      'personalizations.0.substitutions',
      'personalizations.1.substitutions',
    ]);
    expect(await mail.list(to)).toHaveLength(0);
  });

  it('answers 401 without an API key, and stores nothing', async () => {
    const to = uniqueEmail('nokey');
    const response = await send(validMessage(to), {});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        { message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null },
      ],
    });
    expect(await mail.list(to)).toHaveLength(0);
  });

  it('answers the next sends with the trouble asked for (a refused key, an outage), storing nothing, then recovers', async () => {
    const to = uniqueEmail('faults');
    await mail.fail(401, 1);
    const refused = await send(validMessage(to));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      errors: [
        { message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null },
      ],
    });
    await mail.fail(503, 2);
    const statuses = [(await send(validMessage(to))).status, (await send(validMessage(to))).status];
    expect(statuses).toEqual([503, 503]);
    expect(await mail.list(to)).toHaveLength(0);
    expect((await send(validMessage(to))).status).toBe(202);
    expect(await mail.list(to)).toHaveLength(1);
    // Cleared before it was used up; bad requests for trouble are refused with a reason.
    await mail.fail(429, 5);
    await mail.fail(null);
    expect((await send(validMessage(to))).status).toBe(202);
    for (const body of [{ status: 200 }, { status: 503, count: 0 }, 'nope']) {
      const response = await fetch(`${config.mailUrl}/api/v1/faults`, { method: 'POST', body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/status|count|JSON/);
    }
  });

  it('answers 400 with SendGrid error objects naming each bad field', async () => {
    const response = await send({ personalizations: [], from: { email: 'not-an-email' }, content: [] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.errors.map((error) => error.field).sort()).toEqual([
      'content',
      'from.email',
      'personalizations',
      'subject',
    ]);
    for (const error of body.errors) {
      expect(error).toEqual({ message: expect.any(String), field: expect.any(String), help: null });
    }

    const badRecipient = await send({
      ...validMessage('x@example.test'),
      personalizations: [{ to: [{ email: 'nope' }] }],
    });
    expect(badRecipient.status).toBe(400);
    expect(((await badRecipient.json()) as ErrorBody).errors).toEqual([
      { message: 'Does not contain a valid address.', field: 'personalizations.0.to.email', help: null },
    ]);

    const tooManyCategories = await send({
      ...validMessage('x@example.test'),
      categories: Array.from({ length: 11 }, (_, i) => `c${i}`),
    });
    expect(tooManyCategories.status).toBe(400);
    expect(((await tooManyCategories.json()) as ErrorBody).errors[0].field).toBe('categories');

    const notJson = await send('{not json');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).errors).toEqual([{ message: 'Bad Request', field: null, help: null }]);
  });

  it('validates but delivers nothing in sandbox mode (200, not 202)', async () => {
    const to = uniqueEmail('sandbox');
    const response = await send({ ...validMessage(to), mail_settings: { sandbox_mode: { enable: true } } });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mail.list(to)).toHaveLength(0);
  });
});

describe('SendGrid limits', () => {
  it('refuses more than 1000 personalizations with SendGrid’s error, and stores nothing', async () => {
    const to = uniqueEmail('many');
    const personalizations = Array.from({ length: 1001 }, (_, i) => ({
      to: [{ email: i ? `r${i}@example.test` : to }],
    }));
    const response = await send({ ...validMessage(to), personalizations });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).errors).toEqual([
      {
        message:
          'The personalization block is limited to 1000 personalizations per API request. You have provided 1001 personalizations. Please consider splitting this into multiple requests and resending your request.',
        field: 'personalizations',
        help: null,
      },
    ]);
    expect(await mail.list(to)).toHaveLength(0);
  });
});

/**
 * A catcher of its own (same code, a temporary data folder, a free port), so a huge message,
 * a corrupt store file and a restart never touch the shared test instance's inbox.
 */
describe('the mail catcher survives big mail and a bad store', () => {
  let dataDir: string;
  let catcher: (Service & MailSink) | undefined;
  let base: string;

  async function startCatcher(): Promise<void> {
    const port = await freePort();
    const own = { ...config, dataDir, ports: { ...config.ports, mail: port }, mailUrl: `http://127.0.0.1:${port}` };
    const quiet = { info() {}, warn() {}, error() {}, child: () => quiet };
    catcher = await startMail({ config: own, settings: loadSettings(config.root), db: undefined as never, log: quiet });
    base = own.mailUrl;
  }

  const storeFile = () => path.join(dataDir, 'mail', 'messages.jsonl');
  const listOwn = async () =>
    (await (await fetch(`${base}/api/v1/messages?limit=1000`)).json()) as {
      total: number;
      messages: Array<{ id: string }>;
    };

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cairn-mail-'));
  });
  afterEach(async () => {
    await catcher?.close();
    catcher = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a 29 MiB message as a truncated, marked copy and stays readable after a restart', async () => {
    await startCatcher();
    const html = `<p>${'x'.repeat(29 * 1024 * 1024)}</p>`;
    const recipients = Array.from({ length: 5 }, (_, i) => `big${i}@example.test`);
    const response = await fetch(`${base}/v3/mail/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer SG.x' },
      body: JSON.stringify({
        ...validMessage(recipients[0]),
        personalizations: recipients.map((email) => ({ to: [{ email }] })),
        content: [{ type: 'text/html', value: html }],
      }),
    });
    expect(response.status).toBe(202);
    const { messages } = await listOwn();
    expect(messages).toHaveLength(5);
    const stored = await (await fetch(`${base}/api/v1/message/${messages[0].id}`)).text();
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(1024 * 1024 + 4096);
    expect(JSON.parse(stored)).toMatchObject({ truncated: true });
    expect((await fetch(`${base}/`)).status).toBe(200);

    await catcher?.close();
    await startCatcher();
    expect((await listOwn()).total).toBe(5);
    expect(statSync(storeFile()).size).toBeLessThan(6 * 1024 * 1024);
  });

  it('starts on a store with corrupt lines and a huge unreadable head, keeping what parses', async () => {
    mkdirSync(path.dirname(storeFile()), { recursive: true });
    const good = (id: string) =>
      `${JSON.stringify({ id, messageId: id, created: new Date().toISOString(), source: 'auth', from: { email: 'a@cairn.test' }, to: [{ email: 'b@example.test' }], subject: `kept ${id}` })}\n`;
    // A sparse 1 GiB head with no line break, as a crash mid-write of a giant message leaves it.
    writeFileSync(storeFile(), '');
    truncateSync(storeFile(), 1024 ** 3);
    appendFileSync(storeFile(), `\n${good('00a1')}{"id":"broken", "subject": \n[1,2,3]\n${good('00a2')}`);
    await startCatcher();
    const { total, messages } = await listOwn();
    expect(total).toBe(2);
    expect(messages.map((message) => message.id)).toEqual(['00a2', '00a1']);
  });

  it('keeps a bounded mailbox and renders only the newest 100 messages', async () => {
    await startCatcher();
    for (let i = 0; i < 2100; i += 1) {
      await catcher?.deliver({
        source: 'auth',
        from: { email: 'a@cairn.test' },
        to: [{ email: `n${i}@example.test` }],
        subject: `n${i}`,
      });
    }
    const { total } = await listOwn();
    expect(total).toBeLessThanOrEqual(2000);
    const page = await (await fetch(`${base}/`)).text();
    expect(page.match(/<details>/g)?.length).toBe(100);
    expect(page).toContain('n2099');
  });
});
