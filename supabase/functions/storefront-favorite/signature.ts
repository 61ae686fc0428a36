/**
 * Shopify App Proxy signatures: Shopify forwards a storefront request (`https://{shop}/apps/…`)
 * with `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` added to the
 * query. The signature is HMAC-SHA256, with the app's secret, over every other parameter written
 * `key=value` (several values of one key joined with `,`), sorted, concatenated without a
 * separator, in lower-case hex.
 */

const encoder = new TextEncoder();

/** The string Shopify signs: every parameter but `signature`, as described above. */
export function signedMessage(query: URLSearchParams): string {
  const keys = [...new Set([...query.keys()])].filter((key) => key !== 'signature');
  return keys
    .map((key) => `${key}=${query.getAll(key).join(',')}`)
    .sort()
    .join('');
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Constant-time comparison of two strings of the same alphabet. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** How old a signed request may be (either way, for clock skew). */
export const MAX_AGE_SECONDS = 300;

export type Verdict =
  { ok: true } | { ok: false; code: 'missing_signature' | 'invalid_signature' | 'stale_timestamp'; message: string };

/** Checks the query's signature against the shop's secret(s) and its timestamp against `now`. */
export async function verifyProxySignature(
  query: URLSearchParams,
  secrets: readonly string[],
  now: Date = new Date(),
): Promise<Verdict> {
  const signature = query.get('signature') ?? '';
  const timestamp = query.get('timestamp') ?? '';
  if (!signature || !timestamp || !query.get('shop')) {
    return { ok: false, code: 'missing_signature', message: 'The request is not signed by Shopify' };
  }
  if (query.getAll('signature').length !== 1 || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, code: 'invalid_signature', message: 'The signature is not valid' };
  }
  const message = signedMessage(query);
  let valid = false;
  for (const secret of secrets) {
    if (secret && sameText(await hmacHex(secret, message), signature)) valid = true;
  }
  if (!valid) return { ok: false, code: 'invalid_signature', message: 'The signature is not valid' };
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - seconds) > MAX_AGE_SECONDS) {
    return { ok: false, code: 'stale_timestamp', message: 'The signed request is too old' };
  }
  return { ok: true };
}
