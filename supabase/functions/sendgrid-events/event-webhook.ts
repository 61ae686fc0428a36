/**
 * SendGrid's signed Event Webhook: the ECDSA signature over timestamp + raw body, and the
 * events a batch may carry. Sending mail is ../_shared/sendgrid.ts.
 */
import { z } from 'zod';
import { concatBytes, fromBase64, utf8 } from '../_shared/bytes.ts';

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

/**
 * A DER ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }) as the fixed-size r‖s form
 * (IEEE P1363) WebCrypto verifies; null when it is not well-formed DER for `size`-byte integers.
 */
export function derToP1363(der: Uint8Array, size = 32): Uint8Array<ArrayBuffer> | null {
  let offset = 0;
  const readLength = (): number | null => {
    const first = der[offset++];
    if (first === undefined) return null;
    if (first < 0x80) return first;
    if (first !== 0x81) return null; // P-256 signatures are < 256 bytes
    const length = der[offset++];
    return length === undefined || length < 0x80 ? null : length;
  };
  if (der[offset++] !== 0x30) return null;
  const sequenceLength = readLength();
  if (sequenceLength === null || offset + sequenceLength !== der.length) return null;
  const out = new Uint8Array(size * 2);
  for (const half of [0, 1]) {
    if (der[offset++] !== 0x02) return null;
    const length = readLength();
    if (length === null || length === 0 || offset + length > der.length) return null;
    let integer = der.subarray(offset, offset + length);
    offset += length;
    if (integer[0] & 0x80) return null; // negative: not a valid r or s
    while (integer.length > 1 && integer[0] === 0) integer = integer.subarray(1);
    if (integer.length > size) return null;
    out.set(integer, half * size + size - integer.length);
  }
  return offset === der.length ? out : null;
}

export type SignatureFailure = 'missing' | 'malformed_key' | 'malformed_signature' | 'stale' | 'invalid';

const keyCache = new Map<string, Promise<CryptoKey>>();

function importPublicKey(publicKeyBase64: string): Promise<CryptoKey> {
  let key = keyCache.get(publicKeyBase64);
  if (!key) {
    const spki = fromBase64(publicKeyBase64.replace(/\s+/g, ''));
    key = spki
      ? crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
      : Promise.reject(new Error('not base64'));
    // A bad key is not cached, so fixing the env var takes effect without a restart.
    key.catch(() => keyCache.delete(publicKeyBase64));
    keyCache.set(publicKeyBase64, key);
  }
  return key;
}

/**
 * Verifies a signed Event Webhook POST: ECDSA P-256/SHA-256 over `timestamp + rawBody` (the
 * exact bytes received), with the base64 SubjectPublicKeyInfo key from SendGrid's settings.
 * Timestamps further than `toleranceSeconds` from `now` (either way) are refused as replays.
 */
export async function verifySendGridSignature(
  publicKeyBase64: string,
  signatureBase64: string | null,
  timestamp: string | null,
  rawBody: Uint8Array,
  now: Date,
  toleranceSeconds = 300,
): Promise<{ ok: true } | { ok: false; reason: SignatureFailure }> {
  if (!signatureBase64 || !timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed_signature' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const der = fromBase64(signatureBase64);
  const signature = der && derToP1363(der);
  if (!signature) return { ok: false, reason: 'malformed_signature' };
  let key: CryptoKey;
  try {
    key = await importPublicKey(publicKeyBase64);
  } catch {
    return { ok: false, reason: 'malformed_key' };
  }
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signature,
    concatBytes(utf8(timestamp), rawBody),
  );
  return valid ? { ok: true } : { ok: false, reason: 'invalid' };
}

export const SENDGRID_EVENT_TYPES = [
  'processed',
  'dropped',
  'deferred',
  'delivered',
  'bounce',
  'open',
  'click',
  'spamreport',
  'unsubscribe',
  'group_unsubscribe',
  'group_resubscribe',
] as const;

/**
 * One Event Webhook event. Loose: custom_args arrive as extra top-level keys (e.g.
 * `alert_id`) and are kept; unknown event types are kept too (recorded, not acted on).
 */
export const sendGridEventSchema = z.looseObject({
  email: z.string().min(1),
  timestamp: z.number().int().nonnegative(),
  event: z.string().min(1),
  sg_event_id: z.string().min(1),
  sg_message_id: z.string().optional(),
  'smtp-id': z.string().optional(),
  category: z.union([z.string(), z.array(z.string())]).optional(),
  asm_group_id: z.number().int().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  response: z.string().optional(),
  attempt: z.string().optional(),
  type: z.string().optional(),
  bounce_classification: z.string().optional(),
  url: z.string().optional(),
  useragent: z.string().optional(),
  ip: z.string().optional(),
  sg_machine_open: z.boolean().optional(),
});

export const sendGridEventsSchema = z.array(sendGridEventSchema).min(1);

export type SendGridEvent = z.output<typeof sendGridEventSchema>;

/** The `X-Message-Id` a mail-send returned, from an event's `sg_message_id` ("<id>.<filter…>"). */
export function messageIdOf(event: SendGridEvent): string | null {
  return event.sg_message_id?.split('.')[0] || null;
}

/** Categories as a list (SendGrid sends a string for one and an array for several). */
export function categoriesOf(event: SendGridEvent): string[] {
  return event.category === undefined ? [] : typeof event.category === 'string' ? [event.category] : event.category;
}

/** A custom arg echoed on the event (string values only, as they were sent). */
export function customArgOf(event: SendGridEvent, name: string): string | null {
  const value = (event as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** Whether the event should suppress the address for future emails. */
export function suppresses(event: SendGridEvent): boolean {
  return (
    (event.event === 'bounce' && event.type !== 'blocked') ||
    event.event === 'spamreport' ||
    event.event === 'unsubscribe' ||
    event.event === 'group_unsubscribe'
  );
}
