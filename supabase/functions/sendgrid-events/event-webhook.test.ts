import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { concatBytes, utf8 } from '../_shared/bytes.ts';
import { keyPair } from './fixtures/signing.ts';
import {
  categoriesOf,
  customArgOf,
  derToP1363,
  messageIdOf,
  sendGridEventsSchema,
  suppresses,
  verifySendGridSignature,
} from './event-webhook.ts';

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
