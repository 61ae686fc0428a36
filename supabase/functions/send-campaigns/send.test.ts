import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { OutgoingEmail } from '../_shared/sendgrid.ts';
import { buildMailSendBody } from '../_shared/sendgrid.ts';
import {
  buildCampaignEmail,
  type CampaignStore,
  type ClaimedSend,
  type Lookup,
  type Mailer,
  runCampaignSends,
  type SendOutcome,
} from './send.ts';

const send = (id: number, fields: Partial<ClaimedSend> = {}): ClaimedSend => ({
  recipient_id: id,
  campaign_id: 'c1',
  customer_id: `cust-${id}`,
  send_key: `c1:cust-${id}`,
  email: `p${id}@example.test`,
  name: `Person ${id}`,
  language: 'en',
  subject: 'Hello',
  body_html: '<p>Hi <a href="{{unsubscribe_url}}">stop</a></p>',
  body_text: 'Hi',
  shop_name: 'Cairn Outdoor',
  postal_address: '1 Harbour Road\nLeith',
  ...fields,
});

const email = {
  from: { email: 'news@cairn.example', name: 'Cairn' },
  unsubscribeUrl: (id: string) => Promise.resolve(`https://u.example/${id}`),
};
const options = {
  batchSize: 3,
  concurrency: 2,
  budgetMs: 10_000,
  ratePerSecond: 1000,
  settleSeconds: 0,
  leaseSeconds: 300,
  sleep: () => Promise.resolve(),
};

/** A store over a list of sends: claims hand out each queued one once; records and resolutions are kept. */
function fakeStore(sends: ClaimedSend[], inDoubt: number[] = []) {
  const queue = [...sends];
  const recorded: SendOutcome[][] = [];
  const resolved: Array<{ id: number; found: string }> = [];
  const store: CampaignStore = {
    inDoubt: () => Promise.resolve(inDoubt.map((id) => ({ recipient_id: id, send_key: `c1:cust-${id}` }))),
    resolve: (results) => {
      resolved.push(...results);
      return Promise.resolve();
    },
    claim: (size) => Promise.resolve(queue.splice(0, size)),
    record: (outcomes) => {
      recorded.push(outcomes);
      return Promise.resolve();
    },
  };
  return { store, recorded, resolved };
}

function fakeMailer(status: (email: OutgoingEmail) => number = () => 202, lookups: Record<string, Lookup> = {}) {
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = {
    send: (outgoing) => {
      sent.push(outgoing);
      const code = status(outgoing);
      return Promise.resolve(
        code === 202
          ? { ok: true, status: 202, messageId: `m-${sent.length}`, attempts: 1 }
          : { ok: false, status: code, errors: ['no'], attempts: 1, retryable: code === 429 || code >= 500 },
      );
    },
    lookup: (key) => Promise.resolve(lookups[key] ?? { found: 'no' }),
  };
  return { mailer, sent };
}

Deno.test('a marketing email carries one-click unsubscribe, the postal address and its idempotency key', async () => {
  const built = await buildCampaignEmail(send(1), email);
  const body = buildMailSendBody(built);
  deepStrictEqual(body.headers, {
    'List-Unsubscribe': '<https://u.example/cust-1>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
  strictEqual(body.personalizations[0].custom_args.cairn_send, 'c1:cust-1');
  strictEqual(built.html.includes('href="https://u.example/cust-1">stop'), true);
  strictEqual(built.html.includes('1 Harbour Road<br>Leith'), true);
  strictEqual(built.text.includes('1 Harbour Road\nLeith'), true);
  strictEqual(built.from.name, 'Cairn Outdoor');
});

Deno.test('every claimed send is handed to SendGrid once and recorded', async () => {
  const { store, recorded } = fakeStore([1, 2, 3, 4, 5].map((id) => send(id)));
  const { mailer, sent } = fakeMailer();
  const result = await runCampaignSends(store, mailer, email, options);
  strictEqual(result.sent, 5);
  strictEqual(result.batches, 2);
  deepStrictEqual(
    sent.map((s) => s.to.email).sort(),
    [1, 2, 3, 4, 5].map((id) => `p${id}@example.test`),
  );
  strictEqual(recorded.flat().length, 5);
});

Deno.test('in-doubt sends are looked up first: found is settled, never sent again', async () => {
  const { store, resolved } = fakeStore([], [7, 8, 9]);
  const { mailer, sent } = fakeMailer(() => 202, {
    'c1:cust-7': { found: 'yes', messageId: 'abc' },
    'c1:cust-9': { found: 'unknown' },
  });
  const result = await runCampaignSends(store, mailer, email, options);
  deepStrictEqual(
    resolved.map((r) => [r.id, r.found]),
    [
      [7, 'yes'],
      [8, 'no'],
      [9, 'unknown'],
    ],
  );
  strictEqual(result.resolved, 2);
  strictEqual(sent.length, 0);
});

Deno.test('a 429 stops the run after recording; a template without a variant fails that send only', async () => {
  const { store, recorded } = fakeStore([send(1), send(2, { subject: null }), send(3), send(4)]);
  const { mailer } = fakeMailer((outgoing) => (outgoing.to.email === 'p3@example.test' ? 429 : 202));
  const result = await runCampaignSends(store, mailer, email, { ...options, batchSize: 3 });
  strictEqual(result.throttled, true);
  strictEqual(result.batches, 1);
  const outcomes = recorded.flat();
  deepStrictEqual(outcomes.map((o) => [o.id, o.ok, o.status]).sort(), [
    [1, true, 202],
    [2, false, null],
    [3, false, 429],
  ]);
  strictEqual(outcomes.find((o) => o.id === 3)?.retry_after_seconds, 30);
});

Deno.test('the dying-runtime hook hands emails to SendGrid and records nothing', async () => {
  const { store, recorded } = fakeStore([1, 2, 3].map((id) => send(id)));
  const { mailer, sent } = fakeMailer();
  const result = await runCampaignSends(store, mailer, email, { ...options, concurrency: 3, dieAfter: 2 });
  strictEqual(result.died, true);
  strictEqual(sent.length, 2);
  strictEqual(recorded.length, 0);
});

Deno.test('nothing is handed to SendGrid in the last seconds of its lease: queued again instead', async () => {
  const { store, recorded } = fakeStore([1, 2, 3].map((id) => send(id)));
  let now = 0;
  // Each send takes 100 s of the fake clock: the third would start after lease − margin (270 s).
  const { mailer, sent } = fakeMailer(() => {
    now += 100_000;
    return 202;
  });
  const result = await runCampaignSends(store, mailer, email, { ...options, concurrency: 1, clock: () => now });
  strictEqual(sent.length, 3);
  strictEqual(result.sent, 3);
  now = 0;
  const second = fakeStore([4, 5, 6, 7].map((id) => send(id)));
  const slow = fakeMailer(() => {
    now += 100_000;
    return 202;
  });
  const run = await runCampaignSends(second.store, slow.mailer, email, {
    ...options,
    batchSize: 4,
    concurrency: 1,
    clock: () => now,
  });
  strictEqual(slow.sent.length, 3);
  strictEqual(run.sent, 3);
  const skipped = second.recorded.flat().filter((outcome) => outcome.not_sent);
  deepStrictEqual(
    skipped.map((outcome) => outcome.id),
    [7],
  );
  strictEqual(recorded.flat().length, 3);
});
