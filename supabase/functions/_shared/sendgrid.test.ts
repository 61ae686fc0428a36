import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { backoffDelay, buildMailSendBody, type OutgoingEmail, sendEmail, serverRequestedDelay } from './sendgrid.ts';

const email: OutgoingEmail = {
  to: { email: 'jane@example.com', name: 'Doe, Jane' },
  from: { email: 'alerts@cairn.test', name: 'Cairn' },
  subject: 'Back in stock',
  text: 'Hello Jane',
  html: '<p>Hello Jane</p>',
  customArgs: { alert_id: '42', kind: 'back_in_stock' },
  categories: ['alert', 'back_in_stock'],
  unsubscribe: { url: 'https://cairn.test/functions/v1/unsubscribe?token=abc', mailto: 'unsubscribe@cairn.test' },
};

// ── body ──────────────────────────────────────────────────────────────────────────────────

Deno.test('control characters in a display name never reach a header: stripped (review L-13)', () => {
  const body = buildMailSendBody({
    ...email,
    to: { email: 'eve@example.com', name: 'Eve\r\nBcc: attacker@evil.example\r\nX-Injected: 1' },
    from: { email: 'alerts@cairn.test', name: 'Maria\u0000\u2028Lopez\u0085' },
    replyTo: { email: 'maria@cairn.test', name: '\t\r\n' },
  });
  deepStrictEqual(body.personalizations[0].to, [
    { email: 'eve@example.com', name: 'Eve Bcc: attacker@evil.example X-Injected: 1' },
  ]);
  deepStrictEqual(body.from, { email: 'alerts@cairn.test', name: 'Maria Lopez' });
  // Nothing left of the name: no name at all.
  deepStrictEqual(body.reply_to, { email: 'maria@cairn.test' });
});

Deno.test('buildMailSendBody builds the v3 body with unsubscribe headers and text/plain first', () => {
  deepStrictEqual(buildMailSendBody(email), {
    personalizations: [
      {
        to: [{ email: 'jane@example.com', name: 'Doe Jane' }],
        subject: 'Back in stock',
        custom_args: { alert_id: '42', kind: 'back_in_stock' },
      },
    ],
    from: { email: 'alerts@cairn.test', name: 'Cairn' },
    subject: 'Back in stock',
    content: [
      { type: 'text/plain', value: 'Hello Jane' },
      { type: 'text/html', value: '<p>Hello Jane</p>' },
    ],
    headers: {
      'List-Unsubscribe': '<https://cairn.test/functions/v1/unsubscribe?token=abc>, <mailto:unsubscribe@cairn.test>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    categories: ['alert', 'back_in_stock'],
  });
});

Deno.test('buildMailSendBody refuses what SendGrid would refuse', () => {
  throws(() => buildMailSendBody({ ...email, categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }), RangeError);
  throws(() => buildMailSendBody({ ...email, customArgs: { big: 'x'.repeat(10_000) } }), RangeError);
  throws(() => buildMailSendBody({ ...email, text: '' }), RangeError);
  throws(() => buildMailSendBody({ ...email, customArgs: { n: 1 as unknown as string } }), TypeError);
});

// ── retries against a local stub ──────────────────────────────────────────────────────────

interface Stub {
  url: string;
  requests: Array<{ authorization: string | null; body: unknown }>;
  close(): Promise<void>;
}

/** A local SendGrid stand-in answering the scripted responses in turn. */
function stub(responses: Array<() => Response>): Stub {
  const requests: Stub['requests'] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    requests.push({ authorization: req.headers.get('Authorization'), body: await req.json() });
    const next = responses[Math.min(requests.length - 1, responses.length - 1)];
    return next();
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

const accepted =
  (id = 'msg-1') =>
  () =>
    new Response(null, { status: 202, headers: { 'X-Message-Id': id } });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify({ errors: [{ message: `status ${code}`, field: null }] }), { status: code, headers });

function recordingSleep(waits: number[]) {
  return (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
}

Deno.test('sendEmail retries a 429 and returns the X-Message-Id of the 202', async () => {
  const server = stub([status(429, { 'Retry-After': '2' }), accepted('abc123')]);
  const waits: number[] = [];
  try {
    const result = await sendEmail(email, {
      apiKey: 'SG.test',
      apiUrl: `${server.url}/`,
      sleep: recordingSleep(waits),
      random: () => 0.5,
    });
    deepStrictEqual(result, { ok: true, status: 202, messageId: 'abc123', attempts: 2 });
    strictEqual(server.requests.length, 2);
    strictEqual(server.requests[0].authorization, 'Bearer SG.test');
    deepStrictEqual(server.requests[1].body, buildMailSendBody(email));
    // Retry-After: 2 s is honoured as the floor of the wait (plus a quarter of the jittered backoff).
    deepStrictEqual(waits, [2000 + 250 / 4]);
  } finally {
    await server.close();
  }
});

Deno.test('sendEmail backs off exponentially on 5xx and gives up after maxAttempts', async () => {
  const server = stub([status(503)]);
  const waits: number[] = [];
  try {
    const result = await sendEmail(email, {
      apiKey: 'SG.test',
      apiUrl: server.url,
      maxAttempts: 4,
      baseDelayMs: 100,
      sleep: recordingSleep(waits),
      random: () => 0.999,
    });
    deepStrictEqual(result, { ok: false, status: 503, errors: ['status 503'], attempts: 4, retryable: true });
    strictEqual(server.requests.length, 4);
    deepStrictEqual(waits, [99, 199, 399]);
  } finally {
    await server.close();
  }
});

Deno.test('sendEmail never retries a 4xx other than 429', async () => {
  for (const code of [400, 401, 403, 413]) {
    const server = stub([status(code), accepted()]);
    try {
      const result = await sendEmail(email, { apiKey: 'SG.test', apiUrl: server.url, sleep: recordingSleep([]) });
      deepStrictEqual(result, { ok: false, status: code, errors: [`status ${code}`], attempts: 1, retryable: false });
      strictEqual(server.requests.length, 1);
    } finally {
      await server.close();
    }
  }
});

Deno.test('sendEmail treats a network error as retryable', async () => {
  let calls = 0;
  const result = await sendEmail(email, {
    apiKey: 'SG.test',
    fetch: () => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new TypeError('connection refused'))
        : Promise.resolve(new Response(null, { status: 202, headers: { 'X-Message-Id': 'm2' } }));
    },
    sleep: recordingSleep([]),
  });
  deepStrictEqual(result, { ok: true, status: 202, messageId: 'm2', attempts: 2 });
});

Deno.test('serverRequestedDelay reads Retry-After (seconds or date) and X-RateLimit-Reset', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  strictEqual(serverRequestedDelay(new Headers({ 'Retry-After': '3' }), now), 3000);
  strictEqual(serverRequestedDelay(new Headers({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5000);
  strictEqual(serverRequestedDelay(new Headers({ 'X-RateLimit-Reset': String(now / 1000 + 7) }), now), 7000);
  strictEqual(serverRequestedDelay(new Headers({ 'X-RateLimit-Reset': String(now / 1000 - 7) }), now), 0);
  strictEqual(serverRequestedDelay(new Headers(), now), null);
  strictEqual(
    backoffDelay(10, 500, 30_000, () => 0.5),
    15_000,
  );
});

Deno.test('buildMailSendBody sends files as attachments (base64, name, type), and none when there are none', () => {
  const body = buildMailSendBody({
    ...email,
    attachments: [{ content: 'JVBERg==', filename: 'quote.pdf', type: 'application/pdf' }],
  });
  deepStrictEqual(body.attachments, [
    { content: 'JVBERg==', filename: 'quote.pdf', type: 'application/pdf', disposition: 'attachment' },
  ]);
  strictEqual('attachments' in buildMailSendBody(email), false);
});
