import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from '../_shared/bytes.ts';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { type AutomationPorts, type FlowEmail, sendFlowEmails } from './automation.ts';
import { handleSendEmail, type SendEmailDeps } from './handler.ts';

const part = (value: unknown) => toBase64(utf8(JSON.stringify(value)), true);
const bearer = (claims: Record<string, unknown>) => `Bearer ${part({ alg: 'HS256' })}.${part(claims)}.sig`;
const SECRET = 'cron-secret-for-tests';

const email = (n: number, purpose: FlowEmail['purpose'] = 'marketing'): FlowEmail => ({
  message_id: `00000000-0000-4000-8000-00000000000${n}`,
  step_run_id: n,
  customer_id: `10000000-0000-4000-8000-00000000000${n}`,
  to_address: `shopper${n}@example.test`,
  subject: `Hello\r\nBcc: x@evil.test ${n}`,
  body_text: 'Hi',
  body_html: '<p>Hi</p>',
  first_name: 'Ana',
  last_name: null,
  template_key: 'flow_welcome_1',
  purpose,
});

function ports(queue: FlowEmail[], outcome: (email: OutgoingEmail) => SendResult) {
  const sent: OutgoingEmail[] = [];
  const recorded: Array<[number, boolean]> = [];
  const p: AutomationPorts = {
    claim: (batch) => Promise.resolve(queue.splice(0, batch)),
    record: (id, result) => {
      recorded.push([id, result.ok]);
      return Promise.resolve();
    },
    send: (message) => {
      sent.push(message);
      return Promise.resolve(outcome(message));
    },
    unsubscribeUrl: (customer, purpose) => Promise.resolve(`https://x.test/unsubscribe?c=${customer}&p=${purpose}`),
    from: { email: 'team@cairn.example', name: 'Cairn' },
  };
  return { p, sent, recorded };
}

Deno.test(
  'sends each leased email once, records every outcome, and a marketing email carries one-click unsubscribe',
  async () => {
    const queue = [email(1), email(2, 'transactional'), email(3)];
    const { p, sent, recorded } = ports(queue, (m) =>
      m.to.email === 'shopper3@example.test'
        ? { ok: false, status: 400, errors: ['invalid address'], attempts: 1, retryable: false }
        : { ok: true, status: 202, messageId: 'sg', attempts: 1 },
    );
    deepStrictEqual(await sendFlowEmails({ source: 'automation' }, p), { claimed: 3, sent: 2, failed: 1 });
    deepStrictEqual(recorded, [
      [1, true],
      [2, true],
      [3, false],
    ]);
    strictEqual(sent[0]?.subject, 'Hello Bcc: x@evil.test 1'); // no header injection through a subject
    deepStrictEqual(sent[0]?.unsubscribe, {
      url: 'https://x.test/unsubscribe?c=10000000-0000-4000-8000-000000000001&p=email:marketing',
    });
    strictEqual(sent[1]?.unsubscribe, undefined);
    deepStrictEqual(sent[0]?.customArgs, { message_id: '00000000-0000-4000-8000-000000000001' });
    // A second run finds nothing left: the lease is the database's (claim_flow_emails).
    deepStrictEqual(await sendFlowEmails({ source: 'automation', batch_size: 10 }, p), {
      claimed: 0,
      sent: 0,
      failed: 0,
    });
  },
);

const unused = () => Promise.reject(new Error('not expected'));
function deps(): { deps: SendEmailDeps; runs: number[] } {
  const runs: number[] = [];
  return {
    runs,
    deps: {
      portsFor: () => {
        throw new Error('not expected');
      },
      automationPorts: () => ({
        claim: (batch) => {
          runs.push(batch);
          return Promise.resolve([]);
        },
        record: unused,
        send: unused,
        unsubscribeUrl: unused,
        from: { email: 'team@cairn.example', name: 'Cairn' },
      }),
      env: { get: (name) => (name === 'CRON_SECRET' ? SECRET : undefined) },
      log: () => undefined,
    },
  };
}

const post = (d: SendEmailDeps, headers: Record<string, string>, body: unknown) =>
  handleSendEmail(
    new Request('https://ref.supabase.co/functions/v1/send-email', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    d,
  );
const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

Deno.test(
  'the scheduled mode answers only the schedule and the service role; bad bodies get the stable error shape',
  async () => {
    const anon = bearer({ role: 'anon' });
    const { deps: d, runs } = deps();
    const ok = await post(d, { Authorization: anon, 'X-Cron-Secret': SECRET }, { source: 'automation' });
    strictEqual(ok.status, 200);
    deepStrictEqual(await ok.json(), { claimed: 0, sent: 0, failed: 0 });
    const service = await post(
      d,
      { Authorization: bearer({ role: 'service_role' }) },
      { source: 'automation', batch_size: 5 },
    );
    strictEqual(service.status, 200);
    deepStrictEqual(runs, [100, 5]);

    const wrong = await post(d, { Authorization: anon, 'X-Cron-Secret': 'guess' }, { source: 'automation' });
    strictEqual(wrong.status, 401);
    strictEqual(await codeOf(wrong), 'invalid_token');
    // Without the secret an anon caller is a would-be team member: refused as before.
    strictEqual(await codeOf(await post(d, { Authorization: anon }, { source: 'automation' })), 'forbidden');

    for (const bad of [
      {},
      { source: 'campaign' },
      { source: 'automation', batch_size: 0 },
      { source: 'automation', batch_size: 501 },
      { source: 'automation', batch_size: '10' },
      { source: 'automation', extra: true },
      [],
      'null',
      '{"source":',
    ]) {
      const response = await post(d, { Authorization: anon, 'X-Cron-Secret': SECRET }, bad);
      strictEqual(response.status, 400, JSON.stringify(bad));
      const answer = (await response.json()) as { error: { code: string; message: string } };
      strictEqual(typeof answer.error.message, 'string');
      strictEqual(answer.error.code, bad === '{"source":' ? 'invalid_json' : 'invalid_request');
    }
    deepStrictEqual(runs, [100, 5]);
  },
);
