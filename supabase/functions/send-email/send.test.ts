import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import {
  type Customer,
  sendEmailRequestSchema,
  type SendEmailPorts,
  sendTemplatedEmail,
  templateVariables,
} from './send.ts';

const member = { user_id: 'u1', email: 'maria@cairn.example', full_name: 'Maria Lopez', active: true };
const customer: Customer = {
  id: '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a001',
  email: 'ana@example.test',
  first_name: 'Ana',
  last_name: 'García',
  full_name: 'Ana García',
  company: null,
  language: 'es',
};

const otherCustomer = '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a009';
const threads = { own: '0b7d2c1e-1111-4c8e-9a3b-000000000001', other: '0b7d2c1e-1111-4c8e-9a3b-000000000002' };

function ports(overrides: Partial<SendEmailPorts> = {}) {
  const sent: OutgoingEmail[] = [];
  const delivered: Array<[string, SendResult]> = [];
  const rendered: Array<[string, string | null, Record<string, unknown>]> = [];
  const base: SendEmailPorts = {
    from: { email: 'team@cairn.example', name: 'Cairn' },
    member: () => Promise.resolve(member),
    customerById: (id) => Promise.resolve(id === customer.id ? customer : null),
    customerByEmail: (email) => Promise.resolve(email === customer.email ? customer : null),
    isSuppressed: () => Promise.resolve(false),
    permission: () => Promise.resolve({ allowed: true, reason: null }),
    readAttachment: (path) => Promise.resolve(path.endsWith('/quote.pdf') ? new TextEncoder().encode('%PDF') : null),
    render: (key, language, variables) => {
      rendered.push([key, language, variables]);
      return Promise.resolve({ subject: 'Hola\n{{x}}', body_html: '<p>h</p>', body_text: 't' });
    },
    threadCustomer: (id) =>
      Promise.resolve(id === threads.own ? customer.id : id === threads.other ? otherCustomer : null),
    recordOutbound: () => Promise.resolve({ id: 'm1', threadId: threads.own, replyToken: 'a'.repeat(32) }),
    markDelivery: (id, result) => {
      delivered.push([id, result]);
      return Promise.resolve();
    },
    send: (email) => {
      sent.push(email);
      return Promise.resolve({ ok: true, status: 202, messageId: 'sg1', attempts: 1 });
    },
  };
  return { ports: { ...base, ...overrides }, sent, delivered, rendered };
}

Deno.test("sends in the customer's language, records and marks delivery", async () => {
  const fake = ports();
  const outcome = await sendTemplatedEmail({ template_key: 'welcome', to: { customer_id: customer.id } }, fake.ports);
  deepStrictEqual(outcome, {
    ok: true,
    message_id: 'm1',
    provider_message_id: 'sg1',
    to: 'ana@example.test',
    thread_id: threads.own,
  });
  strictEqual(fake.rendered[0][1], 'es');
  strictEqual(fake.rendered[0][2].agent_name, 'Maria Lopez');
  strictEqual(fake.sent[0].subject, 'Hola {{x}}');
  deepStrictEqual(fake.sent[0].customArgs, { message_id: 'm1' });
  deepStrictEqual(fake.sent[0].replyTo, { email: 'maria@cairn.example', name: 'Maria Lopez' });
  strictEqual(fake.delivered[0][0], 'm1');
});

Deno.test('refuses non-staff, invisible customers, strangers, suppressed addresses and missing templates', async () => {
  const cases: Array<[Partial<SendEmailPorts>, unknown, string]> = [
    [{ member: () => Promise.resolve(null) }, { customer_id: customer.id }, 'forbidden'],
    [{ member: () => Promise.resolve({ ...member, active: false }) }, { customer_id: customer.id }, 'forbidden'],
    [{}, { customer_id: '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a002' }, 'not_found'],
    [{}, { email: 'someone@else.test' }, 'not_found'],
    [{ isSuppressed: () => Promise.resolve(true) }, { email: member.email }, 'conflict'],
    [{ render: () => Promise.resolve(null) }, { customer_id: customer.id }, 'not_found'],
    [{ recordOutbound: () => Promise.resolve(null) }, { customer_id: customer.id }, 'forbidden'],
  ];
  for (const [overrides, to, code] of cases) {
    const fake = ports(overrides);
    const outcome = await sendTemplatedEmail({ template_key: 'welcome', to } as never, fake.ports);
    strictEqual(outcome.ok ? 'ok' : outcome.code, code, JSON.stringify(to));
    strictEqual(fake.sent.length, 0);
  }
});

Deno.test('a test send to oneself needs no customer record and records no message', async () => {
  const fake = ports();
  const outcome = await sendTemplatedEmail(
    { template_key: 'welcome', to: { email: 'Maria@cairn.example' } },
    fake.ports,
  );
  strictEqual(outcome.ok && outcome.message_id, null);
  deepStrictEqual(fake.sent[0].customArgs, { test_send: 'true' });
  strictEqual(fake.delivered.length, 0);
});

Deno.test('a mail API failure is reported as upstream_error and recorded on the message', async () => {
  const fake = ports({
    send: () => Promise.resolve({ ok: false, status: 400, errors: ['bad'], attempts: 1, retryable: false }),
  });
  const outcome = await sendTemplatedEmail({ template_key: 'welcome', to: { customer_id: customer.id } }, fake.ports);
  strictEqual(outcome.ok ? 'ok' : outcome.code, 'upstream_error');
  strictEqual(fake.delivered[0][1].ok, false);
});

Deno.test('templateVariables lets the request override the defaults', () => {
  strictEqual(templateVariables(customer, 'a@b.c', member, { first_name: 'Anita' }).first_name, 'Anita');
  strictEqual(templateVariables(null, 'a@b.c', member).first_name, '');
});

Deno.test('the request schema refuses bad keys, recipients and variables', () => {
  const ok = { template_key: 'price_drop', to: { customer_id: customer.id } };
  strictEqual(sendEmailRequestSchema.safeParse(ok).success, true);
  for (const bad of [
    { ...ok, template_key: 'Bad Key' },
    { ...ok, to: {} },
    { ...ok, to: { customer_id: customer.id, email: 'a@b.c' } },
    { ...ok, to: { email: 'not-an-email' } },
    { ...ok, variables: { 'Bad-Name': 'x' } },
    { ...ok, variables: { nested: { a: 1 } } },
    { ...ok, language: 'english' },
  ]) {
    strictEqual(sendEmailRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

Deno.test("a thread_id must be one of the recipient's own threads (review L-3)", async () => {
  const send = (thread_id: string) =>
    sendTemplatedEmail({ template_key: 'welcome', to: { customer_id: customer.id }, thread_id }, fake.ports);
  const fake = ports();
  const crossed = await send(threads.other);
  strictEqual(crossed.ok ? 'ok' : crossed.code, 'invalid_request');
  strictEqual(!crossed.ok && crossed.message.startsWith('thread_id: '), true);
  const unseen = await send('0b7d2c1e-1111-4c8e-9a3b-000000000003');
  strictEqual(unseen.ok ? 'ok' : unseen.code, 'not_found');
  strictEqual(fake.sent.length, 0);
  strictEqual((await send(threads.own)).ok, true);
  strictEqual(fake.sent.length, 1);
});

Deno.test('*_url variables must be http(s) URLs (review L-13)', () => {
  const ok = { template_key: 'price_drop', to: { customer_id: customer.id } };
  for (const url of ['javascript:alert(1)', 'data:text/html,x', '//evil.test', 'not a url']) {
    const parsed = sendEmailRequestSchema.safeParse({ ...ok, variables: { product_url: url } });
    strictEqual(parsed.success, false, url);
    strictEqual(parsed.error?.issues[0].path.join('.'), 'variables.product_url');
  }
  for (const value of ['https://shop.test/p', 'http://shop.test', '', null]) {
    strictEqual(
      sendEmailRequestSchema.safeParse({ ...ok, variables: { product_url: value } }).success,
      true,
      String(value),
    );
  }
  strictEqual(sendEmailRequestSchema.safeParse({ ...ok, variables: { note: 'javascript:x' } }).success, true);
});

Deno.test('a marketing template without consent is not sent and stays as a draft with the reason', async () => {
  const fake = ports({
    render: () =>
      Promise.resolve({
        subject: 'Sale',
        body_html: '<p>s</p>',
        body_text: 's',
        version_id: 'v1',
        purpose: 'marketing',
      }),
    permission: (_, purpose) =>
      Promise.resolve(
        purpose === 'marketing' ? { allowed: false, reason: 'no_marketing_consent' } : { allowed: true, reason: null },
      ),
  });
  const outcome = await sendTemplatedEmail({ template_key: 'sale', to: { customer_id: customer.id } }, fake.ports);
  strictEqual(outcome.ok ? 'ok' : outcome.code, 'conflict');
  strictEqual(!outcome.ok && outcome.message.includes('not agreed to marketing'), true);
  strictEqual(fake.sent.length, 0);
  strictEqual(fake.delivered[0][0], 'm1');
  strictEqual(!fake.delivered[0][1].ok && fake.delivered[0][1].errors[0].startsWith('Not sent:'), true);
});

Deno.test('a message written by hand is transactional, escaped, and replies come back to its thread', async () => {
  const purposes: string[] = [];
  let recordedVersion: string | null | undefined = 'unset';
  const fake = ports({
    permission: (_, purpose) => {
      purposes.push(purpose);
      return Promise.resolve({ allowed: true, reason: null });
    },
    recordOutbound: (_customer, _thread, message) => {
      recordedVersion = message.templateVersionId;
      return Promise.resolve({ id: 'm2', threadId: threads.own, replyToken: 'b'.repeat(32) });
    },
  });
  fake.ports.replyDomain = 'inbound.cairn.example';
  const outcome = await sendTemplatedEmail(
    {
      message: { subject: 'Your order', body: 'Hi <Ana>,\nit ships today.\n\nMaria' },
      to: { customer_id: customer.id },
    },
    fake.ports,
  );
  strictEqual(outcome.ok, true);
  deepStrictEqual(purposes, ['transactional']);
  strictEqual(recordedVersion, null);
  strictEqual(fake.sent[0].html, '<p>Hi &lt;Ana&gt;,<br>it ships today.</p>\n<p>Maria</p>');
  strictEqual(fake.sent[0].text, 'Hi <Ana>,\nit ships today.\n\nMaria');
  deepStrictEqual(fake.sent[0].replyTo, {
    email: `reply+${'b'.repeat(32)}@inbound.cairn.example`,
    name: 'Maria Lopez',
  });
  deepStrictEqual(fake.sent[0].headers, { 'Message-ID': '<m2@inbound.cairn.example>' });
});

Deno.test('the request names either a template or a message, and attachments stay in the customer folder', async () => {
  const to = { customer_id: customer.id };
  strictEqual(sendEmailRequestSchema.safeParse({ to }).success, false);
  strictEqual(
    sendEmailRequestSchema.safeParse({ to, template_key: 'x', message: { subject: 's', body: 'b' } }).success,
    false,
  );
  strictEqual(sendEmailRequestSchema.safeParse({ to, message: { subject: ' ', body: 'b' } }).success, false);
  const fake = ports();
  const outcome = await sendTemplatedEmail(
    {
      to,
      message: { subject: 's', body: 'b' },
      attachments: [{ path: `${otherCustomer}/x.pdf`, name: 'x.pdf', size: 1, mime: 'application/pdf' }],
    },
    fake.ports,
  );
  strictEqual(outcome.ok ? 'ok' : outcome.code, 'invalid_request');
  strictEqual(fake.sent.length, 0);
});

Deno.test("sends the customer's files as attachments, read as the caller; refuses one they may not read", async () => {
  const fake = ports();
  const quote = { path: `${customer.id}/messages/q/quote.pdf`, name: 'quote.pdf', size: 4, mime: 'application/pdf' };
  const outcome = await sendTemplatedEmail(
    { to: { customer_id: customer.id }, message: { subject: 'Your quote', body: 'Attached.' }, attachments: [quote] },
    fake.ports,
  );
  strictEqual(outcome.ok, true);
  deepStrictEqual(fake.sent[0].attachments, [{ content: 'JVBERg==', filename: 'quote.pdf', type: 'application/pdf' }]);

  const hidden = await sendTemplatedEmail(
    {
      to: { customer_id: customer.id },
      message: { subject: 'Your quote', body: 'Attached.' },
      attachments: [{ ...quote, path: `${customer.id}/messages/q/secret.pdf`, name: 'secret.pdf' }],
    },
    fake.ports,
  );
  strictEqual(hidden.ok ? 'ok' : hidden.code, 'not_found');
  strictEqual(fake.sent.length, 1);
});
