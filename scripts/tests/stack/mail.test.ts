/**
 * The mail catcher's SendGrid v3 `POST /v3/mail/send`: what a function posting to
 * SENDGRID_API_URL gets back (202 + X-Message-Id, SendGrid's 400 / 401 bodies) and what the
 * catcher keeps (one message per personalization, custom_args and categories intact).
 */
import { describe, expect, it } from 'vitest';
import { config, mail, uniqueEmail } from '../support/stack.ts';

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
