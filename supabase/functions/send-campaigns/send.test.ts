import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { MailSendBody, SendResult } from '../_shared/sendgrid.ts';
import {
  applySubstitutions,
  type BatchContent,
  type CampaignStore,
  type ClaimedBatch,
  type ClaimedSend,
  type Lookup,
  type Mailer,
  planRequests,
  runCampaignSends,
  type SendOutcome,
} from './send.ts';

const content: BatchContent = {
  campaign_id: 'c1',
  language: 'en',
  subject: 'Hello %cairn.t1%',
  body_html: '<p>Hi %cairn.h1% <a href="%cairn.h2%">stop</a></p>',
  body_text: 'Hi %cairn.t1%',
};

const send = (id: number, fields: Partial<ClaimedSend> = {}): ClaimedSend => ({
  recipient_id: id,
  campaign_id: 'c1',
  customer_id: `cust-${id}`,
  send_key: `c1:cust-${id}`,
  email: `p${id}@example.test`,
  name: `Person ${id}`,
  language: 'en',
  substitutions: {
    '%cairn.t1%': `Person <${id}>`,
    '%cairn.h1%': `Person &lt;${id}&gt;`,
    '%cairn.t2%': '{{unsubscribe_url}}',
    '%cairn.h2%': '{{unsubscribe_url}}',
  },
  ...fields,
});

const batchOf = (sends: ClaimedSend[]): ClaimedBatch => ({
  shop_name: 'Cairn Outdoor',
  postal_address: '1 Harbour Road\nLeith',
  contents: [content],
  sends,
});

const email = {
  from: { email: 'news@cairn.example', name: 'Cairn' },
  unsubscribeUrl: (id: string) => Promise.resolve(`https://u.example/${id}?a=1&b=2`),
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
    claim: (size) => Promise.resolve(batchOf(queue.splice(0, size))),
    record: (outcomes) => {
      recorded.push(outcomes);
      return Promise.resolve();
    },
  };
  return { store, recorded, resolved };
}

/** A mailer answering each request with `status(request)`; null: no answer (network error). */
function fakeMailer(status: (body: MailSendBody) => number | null = () => 202, lookups: Record<string, Lookup> = {}) {
  const requests: MailSendBody[] = [];
  const mailer: Mailer = {
    send: (body) => {
      requests.push(body);
      const code = status(body);
      const answer: SendResult =
        code === 202
          ? { ok: true, status: 202, messageId: `m-${requests.length}`, attempts: 1 }
          : code === null
            ? { ok: false, status: null, errors: ['TimeoutError'], attempts: 1, retryable: true }
            : { ok: false, status: code, errors: ['no'], attempts: 1, retryable: code === 429 || code >= 500 };
      return Promise.resolve(answer);
    },
    lookup: (key) => Promise.resolve(lookups[key] ?? { found: 'no' }),
  };
  const recipients = () => requests.flatMap((body) => body.personalizations.map((p) => p.to[0].email));
  return { mailer, requests, recipients };
}

Deno.test(
  'one request carries many personalizations: the content once, each recipient with its own values, link and key',
  async () => {
    const { requests, failures } = await planRequests(batchOf([1, 2, 3].map((id) => send(id))), email);
    deepStrictEqual(failures, []);
    strictEqual(requests.length, 1);
    const [{ body }] = requests;
    strictEqual(body.personalizations.length, 3);
    strictEqual(body.subject, 'Hello %cairn.t1%');
    strictEqual(body.from.name, 'Cairn Outdoor');
    // The footer: postal address and an unsubscribe link that is each recipient's own tag.
    strictEqual(body.content[0].value.includes('1 Harbour Road\nLeith\nUnsubscribe: %cairn.unsubscribe%'), true);
    strictEqual(body.content[1].value.includes('1 Harbour Road<br>Leith<br><a href="%cairn.unsubscribe.h%">'), true);
    const second = body.personalizations[1];
    deepStrictEqual(second.to, [{ email: 'p2@example.test', name: 'Person 2' }]);
    deepStrictEqual(second.custom_args, { cairn_send: 'c1:cust-2', campaign_id: 'c1', customer_id: 'cust-2' });
    // RFC 8058 per recipient: their own link in their own message's headers.
    deepStrictEqual(second.headers, {
      'List-Unsubscribe': '<https://u.example/cust-2?a=1&b=2>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // What SendGrid makes of it for recipient 2.
    const html = applySubstitutions(body.content[1].value, second.substitutions!);
    strictEqual(
      html.startsWith('<p>Hi Person &lt;2&gt; <a href="https://u.example/cust-2?a=1&b=2">stop</a></p>'),
      true,
    );
    strictEqual(html.includes('<a href="https://u.example/cust-2?a=1&amp;b=2">Unsubscribe</a>'), true);
    strictEqual(applySubstitutions(body.subject, second.substitutions!), 'Hello Person <2>');
    strictEqual(
      applySubstitutions(body.content[0].value, second.substitutions!).endsWith(
        'Unsubscribe: https://u.example/cust-2?a=1&b=2\n',
      ),
      true,
    );
  },
);

Deno.test(
  'requests: at most per_request personalizations, no address twice in one, oversized values alone, unbuildable sends fail',
  async () => {
    const sends = [
      send(1),
      send(2, { email: 'P1@example.test' }),
      send(3),
      send(4, { substitutions: { ...send(4).substitutions, '%cairn.t1%': 'x'.repeat(10_000) } }),
      send(5, { email: null }),
      send(6, { language: 'fr' }),
    ];
    const { requests, failures } = await planRequests(batchOf(sends), email, 2);
    deepStrictEqual(
      failures.map((f) => [f.id, f.retryable]),
      [
        [5, false],
        [6, false],
      ],
    );
    deepStrictEqual(
      requests.map((r) => r.sends.map((s) => s.recipient_id)),
      [[4], [1, 3], [2]],
    );
    const alone = requests[0].body;
    strictEqual(alone.personalizations[0].substitutions, undefined);
    strictEqual(alone.subject, `Hello ${'x'.repeat(10_000)}`);
  },
);

Deno.test('every claimed send is handed to SendGrid once, in one request per batch, and recorded', async () => {
  const { store, recorded } = fakeStore([1, 2, 3, 4, 5].map((id) => send(id)));
  const { mailer, requests, recipients } = fakeMailer();
  const result = await runCampaignSends(store, mailer, email, options);
  strictEqual(result.sent, 5);
  strictEqual(result.batches, 2);
  strictEqual(requests.length, 2);
  deepStrictEqual(
    recipients().sort(),
    [1, 2, 3, 4, 5].map((id) => `p${id}@example.test`),
  );
  deepStrictEqual(
    recorded.flat().map((o) => [o.id, o.ok, o.message_id]),
    [
      [1, true, 'm-1'],
      [2, true, 'm-1'],
      [3, true, 'm-1'],
      [4, true, 'm-2'],
      [5, true, 'm-2'],
    ],
  );
});

Deno.test('in-doubt sends are looked up first: found is settled, never sent again', async () => {
  const { store, resolved } = fakeStore([], [7, 8, 9]);
  const { mailer, requests } = fakeMailer(() => 202, {
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
  strictEqual(requests.length, 0);
});

Deno.test('a 429 stops the run after recording; a recipient without a variant fails alone', async () => {
  const { store, recorded } = fakeStore([send(1), send(2, { substitutions: null }), send(3), send(4)]);
  const { mailer } = fakeMailer(() => 429);
  const result = await runCampaignSends(store, mailer, email, { ...options, batchSize: 3 });
  strictEqual(result.throttled, true);
  strictEqual(result.batches, 1);
  const outcomes = recorded.flat();
  deepStrictEqual(outcomes.map((o) => [o.id, o.ok, o.status, o.retryable]).sort(), [
    [1, false, 429, true],
    [2, false, null, false],
    [3, false, 429, true],
  ]);
  strictEqual(outcomes.find((o) => o.id === 3)?.retry_after_seconds, 30);
});

Deno.test('no answer from SendGrid: the whole request is in doubt, never sent again blindly', async () => {
  const { store, recorded } = fakeStore([1, 2, 3].map((id) => send(id)));
  const { mailer, requests } = fakeMailer(() => null);
  const result = await runCampaignSends(store, mailer, email, options);
  strictEqual(requests.length, 1);
  strictEqual(result.in_doubt, 3);
  deepStrictEqual(
    recorded.flat().map((o) => [o.id, o.in_doubt, o.retryable]),
    [
      [1, true, false],
      [2, true, false],
      [3, true, false],
    ],
  );
});

Deno.test('a request refused whole (400) is tried recipient by recipient: the bad one fails alone', async () => {
  const { store, recorded } = fakeStore([1, 2, 3].map((id) => send(id)));
  const { mailer, requests } = fakeMailer((body) =>
    body.personalizations.some((p) => p.to[0].email === 'p2@example.test') ? 400 : 202,
  );
  await runCampaignSends(store, mailer, email, options);
  deepStrictEqual(
    requests.map((body) => body.personalizations.length),
    [3, 1, 1, 1],
  );
  deepStrictEqual(
    recorded.flat().map((o) => [o.id, o.ok, o.status]),
    [
      [1, true, 202],
      [2, false, 400],
      [3, true, 202],
    ],
  );
});

Deno.test('the dying-runtime hook hands part of a request to SendGrid and records nothing', async () => {
  const { store, recorded } = fakeStore([1, 2, 3].map((id) => send(id)));
  const { mailer, recipients } = fakeMailer();
  const result = await runCampaignSends(store, mailer, email, { ...options, dieAfter: 2 });
  strictEqual(result.died, true);
  deepStrictEqual(recipients(), ['p1@example.test', 'p2@example.test']);
  strictEqual(recorded.length, 0);
});

Deno.test('no request is handed to SendGrid in the last seconds of its lease: queued again instead', async () => {
  let now = 0;
  const second = fakeStore([4, 5, 6, 7].map((id) => send(id)));
  // Each request takes 100 s of the fake clock: the fourth would start after lease − margin (285 s).
  const slow = fakeMailer(() => {
    now += 100_000;
    return 202;
  });
  const run = await runCampaignSends(second.store, slow.mailer, email, {
    ...options,
    batchSize: 4,
    perRequest: 1,
    concurrency: 1,
    clock: () => now,
  });
  strictEqual(slow.requests.length, 3);
  strictEqual(run.sent, 3);
  deepStrictEqual(
    second.recorded
      .flat()
      .filter((outcome) => outcome.not_sent)
      .map((outcome) => outcome.id),
    [7],
  );
});
