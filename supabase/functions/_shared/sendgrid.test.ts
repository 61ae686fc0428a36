import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { concatBytes, toBase64, utf8 } from './bytes.ts';
import {
  backoffDelay,
  buildMailSendBody,
  categoriesOf,
  customArgOf,
  derToP1363,
  messageIdOf,
  type OutgoingEmail,
  sendEmail,
  sendGridEventsSchema,
  serverRequestedDelay,
  suppresses,
  verifySendGridSignature,
} from './sendgrid.ts';

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

// ── event webhook signature ───────────────────────────────────────────────────────────────

/** WebCrypto signs ECDSA as r‖s; SendGrid sends DER. */
function p1363ToDer(signature: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.subarray(start);
    const body = trimmed[0] & 0x80 ? concatBytes(new Uint8Array([0]), trimmed) : trimmed;
    return concatBytes(new Uint8Array([0x02, body.length]), body);
  };
  const content = concatBytes(integer(signature.subarray(0, 32)), integer(signature.subarray(32)));
  return concatBytes(new Uint8Array([0x30, content.length]), content);
}

async function keyPair() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const publicKey = toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
  const sign = async (timestamp: string, body: Uint8Array) =>
    toBase64(
      p1363ToDer(
        new Uint8Array(
          await crypto.subtle.sign(
            { name: 'ECDSA', hash: 'SHA-256' },
            pair.privateKey,
            concatBytes(utf8(timestamp), body),
          ),
        ),
      ),
    );
  return { publicKey, sign };
}

const events = utf8(
  JSON.stringify([
    {
      email: 'jane@example.com',
      timestamp: 1700000000,
      event: 'delivered',
      sg_event_id: 'ZGVsaXZlcmVk',
      sg_message_id: 'abc123.filter0001.1.0',
      category: 'alert',
      alert_id: '42',
    },
  ]),
);
const now = new Date(1_700_000_100_000);
const timestamp = String(1_700_000_100);

Deno.test('verifySendGridSignature accepts a valid DER signature over timestamp + raw body', async () => {
  const { publicKey, sign } = await keyPair();
  deepStrictEqual(await verifySendGridSignature(publicKey, await sign(timestamp, events), timestamp, events, now), {
    ok: true,
  });
});

Deno.test('verifySendGridSignature refuses a tampered body, another timestamp, another key', async () => {
  const { publicKey, sign } = await keyPair();
  const other = await keyPair();
  const signature = await sign(timestamp, events);
  const tampered = new Uint8Array(events);
  tampered[10] ^= 0x01;
  deepStrictEqual(await verifySendGridSignature(publicKey, signature, timestamp, tampered, now), {
    ok: false,
    reason: 'invalid',
  });
  deepStrictEqual(await verifySendGridSignature(publicKey, signature, String(Number(timestamp) + 1), events, now), {
    ok: false,
    reason: 'invalid',
  });
  deepStrictEqual(await verifySendGridSignature(other.publicKey, signature, timestamp, events, now), {
    ok: false,
    reason: 'invalid',
  });
});

Deno.test('verifySendGridSignature refuses stale and future timestamps beyond the tolerance', async () => {
  const { publicKey, sign } = await keyPair();
  const old = String(Number(timestamp) - 301);
  const future = String(Number(timestamp) + 301);
  const edge = String(Number(timestamp) - 300);
  deepStrictEqual(await verifySendGridSignature(publicKey, await sign(old, events), old, events, now), {
    ok: false,
    reason: 'stale',
  });
  deepStrictEqual(await verifySendGridSignature(publicKey, await sign(future, events), future, events, now), {
    ok: false,
    reason: 'stale',
  });
  deepStrictEqual(await verifySendGridSignature(publicKey, await sign(edge, events), edge, events, now), { ok: true });
  deepStrictEqual(await verifySendGridSignature(publicKey, await sign(old, events), old, events, now, 600), {
    ok: true,
  });
});

Deno.test('verifySendGridSignature reports missing and malformed inputs', async () => {
  const { publicKey, sign } = await keyPair();
  const signature = await sign(timestamp, events);
  strictEqual((await verifySendGridSignature(publicKey, null, timestamp, events, now)).ok, false);
  deepStrictEqual(await verifySendGridSignature(publicKey, signature, null, events, now), {
    ok: false,
    reason: 'missing',
  });
  deepStrictEqual(await verifySendGridSignature(publicKey, signature, '17e8', events, now), {
    ok: false,
    reason: 'malformed_signature',
  });
  deepStrictEqual(await verifySendGridSignature(publicKey, 'AAAA', timestamp, events, now), {
    ok: false,
    reason: 'malformed_signature',
  });
  deepStrictEqual(await verifySendGridSignature('bm90IGEga2V5', signature, timestamp, events, now), {
    ok: false,
    reason: 'malformed_key',
  });
});

Deno.test('derToP1363 left-pads short integers and rejects trailing bytes', () => {
  const der = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]);
  const raw = derToP1363(der);
  strictEqual(raw?.length, 64);
  strictEqual(raw?.[31], 5);
  strictEqual(raw?.[63], 7);
  strictEqual(
    raw?.slice(0, 31).every((b) => b === 0),
    true,
  );
  strictEqual(derToP1363(concatBytes(der, new Uint8Array([0]))), null);
  strictEqual(derToP1363(new Uint8Array([0x31, 0x00])), null);
});

// ── event schema ──────────────────────────────────────────────────────────────────────────

Deno.test('sendGridEventsSchema keeps custom args and helpers read them', () => {
  const parsed = sendGridEventsSchema.parse(JSON.parse(new TextDecoder().decode(events)));
  const [event] = parsed;
  strictEqual(messageIdOf(event), 'abc123');
  deepStrictEqual(categoriesOf(event), ['alert']);
  strictEqual(customArgOf(event, 'alert_id'), '42');
  strictEqual(customArgOf(event, 'missing'), null);
  strictEqual(suppresses(event), false);
  strictEqual(suppresses({ ...event, event: 'bounce', type: 'bounce' }), true);
  strictEqual(suppresses({ ...event, event: 'bounce', type: 'blocked' }), false);
  strictEqual(suppresses({ ...event, event: 'spamreport' }), true);
});

Deno.test('sendGridEventsSchema refuses an empty batch and events without an id', () => {
  strictEqual(sendGridEventsSchema.safeParse([]).success, false);
  strictEqual(sendGridEventsSchema.safeParse({ event: 'open' }).success, false);
  const missingId = sendGridEventsSchema.safeParse([{ email: 'a@b.co', timestamp: 1, event: 'open' }]);
  strictEqual(missingId.success, false);
  if (!missingId.success) deepStrictEqual(missingId.error.issues[0].path, [0, 'sg_event_id']);
});
