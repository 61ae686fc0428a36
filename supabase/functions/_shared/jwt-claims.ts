/**
 * The claims of the caller's bearer JWT that functions act on (`role`, `sub`), read without
 * checking the signature: only for functions whose JWT the platform verified before the request
 * reached them (verify_jwt = true in config.toml). Functions that must know the user is still
 * signed in ask the auth server instead (invite-member).
 */
import { fromBase64 } from './bytes.ts';

export interface JwtClaims {
  role: string | null;
  /** The user id of a signed-in user's token; null for the anon and service-role keys. */
  sub: string | null;
}

const BEARER_JWT = /^Bearer\s+[^.\s]+\.([^.\s]+)\.[^.\s]*$/i;

/** The claims of `Authorization: Bearer <jwt>`, or null when the header holds no readable JWT. */
export function jwtClaims(authorization: string | null | undefined): JwtClaims | null {
  const payload = authorization?.match(BEARER_JWT)?.[1];
  const bytes = payload ? fromBase64(payload, true) : null;
  if (!bytes) return null;
  try {
    const claims: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    const { role, sub } = claims as Record<string, unknown>;
    return { role: text(role), sub: text(sub) };
  } catch {
    return null;
  }
}
