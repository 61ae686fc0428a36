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
  send_key: `flow:00000000-0000-4000-8000-00000000000${n}`,
});

function ports(queue: FlowEmail[], outcome: (email: OutgoingEmail) => SendResult) {
  const sent: OutgoingEmail[] = [];
  const recorded: Array<[number, boolean]> = [];
  const froms: string[] = [];
  const p: AutomationPorts = {
    claim: (batch) => Promise.resolve(queue.splice(0, batch)),
    record: (id, result, from) => {
      recorded.push([id, result.ok]);
      froms.push(from);
      return Promise.resolve();
    },
    inDoubt: () => Promise.resolve([]),
    resolve: () => Promise.resolve(),
    lookup: () => Promise.reject(new Error('not expected')),
    send: (message) => {
      sent.push(message);
      return Promise.resolve(outcome(message));
    },
    unsubscribeUrl: (customer, purpose) => Promise.resolve(`https://x.test/unsubscribe?c=${customer}&p=${purpose}`),
    from: { email: 'team@cairn.example', name: 'Cairn' },
  };
  return { p, sent, recorded, froms };
}

Deno.test(
  'sends each leased email once, records every outcome, and a marketing email carries one-click unsubscribe',
  async () => {
    const queue = [email(1), email(2, 'transactional'), email(3)];
    const { p, sent, recorded, froms } = ports(queue, (m) =>
      m.to.email === 'shopper3@example.test'
        ? { ok: false, status: 400, errors: ['invalid address'], attempts: 1, retryable: false }
        : { ok: true, status: 202, messageId: 'sg', attempts: 1 },
    );
    deepStrictEqual(await sendFlowEmails({ source: 'automation' }, p), {
      resolved: 0,
      claimed: 3,
      sent: 2,
      failed: 1,
      died: false,
    });
    // The message row gets the real sender's address (TEAM_FROM_EMAIL), not a placeholder.
    deepStrictEqual(froms, ['team@cairn.example', 'team@cairn.example', 'team@cairn.example']);
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
    deepStrictEqual(sent[0]?.customArgs, {
      cairn_send: 'flow:00000000-0000-4000-8000-000000000001',
      message_id: '00000000-0000-4000-8000-000000000001',
    });
    // A second run finds nothing left: the lease is the database's (claim_flow_emails).
    deepStrictEqual(await sendFlowEmails({ source: 'automation', batch_size: 10 }, p), {
      resolved: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
      died: false,
    });
  },
);

Deno.test(
  'a run that dies after SendGrid accepted an email: the next run looks it up and never sends it again',
  async () => {
    // The database's side, faked: leased emails become in doubt when their run dies; a lookup that
    // finds one settles it as sent, one that does not puts it back in the queue.
    const queue = [email(1), email(2)];
    const inDoubt: FlowEmail[] = [];
    const atSendGrid = new Set<string>();
    const resolved: Array<{ id: number; found: string }> = [];
    const { p, sent } = ports(queue, () => ({ ok: true, status: 202, messageId: 'sg', attempts: 1 }));
    const send = p.send;
    p.send = (message) => {
      atSendGrid.add(String(message.customArgs?.cairn_send));
      return send(message);
    };
    p.claim = (batch) => {
      const leased = queue.splice(0, batch);
      inDoubt.push(...leased); // until recorded
      return Promise.resolve(leased);
    };
    p.record = (id) => {
      inDoubt.splice(
        inDoubt.findIndex((e) => e.step_run_id === id),
        1,
      );
      return Promise.resolve();
    };
    p.inDoubt = () => Promise.resolve(inDoubt.map((e) => ({ step_run_id: e.step_run_id, send_key: e.send_key })));
    p.lookup = (key) => Promise.resolve(atSendGrid.has(key) ? { found: 'yes', messageId: 'sg' } : { found: 'no' });
    p.resolve = (results) => {
      for (const result of results) {
        resolved.push({ id: result.id, found: result.found });
        const at = inDoubt.findIndex((e) => e.step_run_id === result.id);
        const [back] = inDoubt.splice(at, 1);
        if (result.found === 'no' && back) queue.push(back);
      }
      return Promise.resolve();
    };

    const died = await sendFlowEmails({ source: 'automation', die_after: 1 }, p);
    deepStrictEqual(died, { resolved: 0, claimed: 2, sent: 0, failed: 0, died: true });
    strictEqual(sent.length, 1);
    const next = await sendFlowEmails({ source: 'automation' }, p);
    deepStrictEqual(resolved, [
      { id: 1, found: 'yes' },
      { id: 2, found: 'no' },
    ]);
    deepStrictEqual(next, { resolved: 2, claimed: 1, sent: 1, failed: 0, died: false });
    // Each email reached SendGrid exactly once.
    deepStrictEqual(
      sent.map((m) => m.customArgs?.cairn_send),
      ['flow:00000000-0000-4000-8000-000000000001', 'flow:00000000-0000-4000-8000-000000000002'],
    );
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
        inDoubt: () => Promise.resolve([]),
        resolve: unused,
        lookup: unused,
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
    deepStrictEqual(await ok.json(), { resolved: 0, claimed: 0, sent: 0, failed: 0, died: false });
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
      { source: 'automation', die_after: -1 },
      { source: 'automation', settle_seconds: 3601 },
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
