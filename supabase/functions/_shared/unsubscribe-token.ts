/**
 * Signed, expiring unsubscribe tokens for the links and the one-click `List-Unsubscribe` URL
 * in every email: `<payload>.<signature>`, both base64url, where the payload is
 * `{"c":customerId,"p":purpose,"e":expiresAtUnixSeconds}` and the signature is
 * HMAC-SHA256(key, "cairn-unsubscribe-v1." + payload). The prefix keeps these signatures from
 * ever being valid for anything else signed with the same key.
 *
 * Key: env `UNSUBSCRIBE_SECRET`; when unset, `SUPABASE_SERVICE_ROLE_KEY` (present on hosted
 * and local alike, never shipped to browsers). Rotating the service key then invalidates old
 * links, so production should set `UNSUBSCRIBE_SECRET`.
 */
import { fromBase64, hmacSha256, toBase64, utf8, verifyHmacSha256 } from './bytes.ts';

const DOMAIN = 'cairn-unsubscribe-v1.';

/** Links keep working well after the email is read (mailbox providers may act weeks later). */
export const DEFAULT_UNSUBSCRIBE_TTL_SECONDS = 180 * 24 * 60 * 60;

export interface UnsubscribeClaims {
  customerId: string;
  /** What the link turns off, e.g. `email:alerts`, `email:back_in_stock`, `email:all`. */
  purpose: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type TokenFailure = 'malformed' | 'bad_signature' | 'expired';

export function unsubscribeSecretFromEnv(env: { get(name: string): string | undefined } = Deno.env): string {
  const secret = env.get('UNSUBSCRIBE_SECRET') || env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!secret) throw new Error('Neither UNSUBSCRIBE_SECRET nor SUPABASE_SERVICE_ROLE_KEY is set');
  return secret;
}

export async function createUnsubscribeToken(
  customerId: string,
  purpose: string,
  secret: string,
  now: Date = new Date(),
  ttlSeconds = DEFAULT_UNSUBSCRIBE_TTL_SECONDS,
): Promise<string> {
  if (!customerId || !purpose) throw new RangeError('customerId and purpose are required');
  const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const payload = toBase64(utf8(JSON.stringify({ c: customerId, p: purpose, e: expiresAt })), true);
  const signature = await hmacSha256(secret, utf8(DOMAIN + payload));
  return `${payload}.${toBase64(signature, true)}`;
}

/** The token's claims when its signature is valid (constant-time) and it has not expired. */
export async function verifyUnsubscribeToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): Promise<{ ok: true; claims: UnsubscribeClaims } | { ok: false; reason: TokenFailure }> {
  const [payload, signatureText, extra] = token.split('.');
  if (!payload || !signatureText || extra !== undefined || token.length > 2048)
    return { ok: false, reason: 'malformed' };
  const signature = fromBase64(signatureText, true);
  if (!signature || signature.length !== 32) return { ok: false, reason: 'malformed' };
  // Signature first: nothing in an unauthenticated payload is parsed or trusted.
  if (!(await verifyHmacSha256(secret, utf8(DOMAIN + payload), signature))) {
    return { ok: false, reason: 'bad_signature' };
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64(payload, true) ?? new Uint8Array()));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { c, p, e } = (claims ?? {}) as { c?: unknown; p?: unknown; e?: unknown };
  if (typeof c !== 'string' || typeof p !== 'string' || typeof e !== 'number')
    return { ok: false, reason: 'malformed' };
  if (e <= Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { customerId: c, purpose: p, expiresAt: e } };
}
