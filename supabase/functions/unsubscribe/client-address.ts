/**
 * Who sent a request, as the platform's trusted proxies report it (security review L-1): never
 * the first X-Forwarded-For entry, which is whatever the client wrote. The same rule as
 * private.client_address() in the database.
 */
import { isIP } from 'node:net';

/** CF-Connecting-IP (hosted: set by Cloudflare), else X-Real-IP (set by the gateway), else the
 * last X-Forwarded-For entry (appended by the gateway). Null when none is an address. */
export function clientAddress(headers: Headers): string | null {
  const candidate =
    headers.get('CF-Connecting-IP')?.trim() ||
    headers.get('X-Real-IP')?.trim() ||
    headers.get('X-Forwarded-For')?.split(',').at(-1)?.trim() ||
    '';
  return isIP(candidate) ? candidate : null;
}

/** Request evidence for a consent record: the trusted address, and what the client said about
 * itself (its X-Forwarded-For and User-Agent), kept as untrusted detail. */
export function requestEvidence(headers: Headers): {
  ip: string | null;
  forwarded_for: string | null;
  user_agent: string | null;
} {
  return {
    ip: clientAddress(headers),
    forwarded_for: headers.get('X-Forwarded-For')?.slice(0, 500) ?? null,
    user_agent: headers.get('User-Agent')?.slice(0, 300) ?? null,
  };
}
