/**
 * Realtime's JWT rules (RealtimeWeb.ChannelsAuthorization): the project's JWKS (signing keys and the legacy secret),
 * `role` and `exp` required, and its own wording for each failure, which clients surface.
 */
import { decodeJwt } from 'jose';
import { JwtError, looksLikeJwt, type Claims, type JwtKeys } from '../lib/jwt.ts';

export type TokenFailure = 'missing' | 'malformed' | 'signature' | 'expired' | 'missing_claims';

export class TokenError extends Error {
  constructor(
    readonly failure: TokenFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The message Realtime answers a websocket upgrade with (`{"error": …}`, HTTP 401). */
export function connectErrorMessage(error: TokenError): string {
  switch (error.failure) {
    case 'missing':
      return 'API key is missing';
    case 'expired':
      return 'Token has expired';
    case 'missing_claims':
      return 'Fields `role` and `exp` are required in JWT';
    case 'signature':
      return 'Failed to validate JWT signature';
    case 'malformed':
      return 'The token provided is not a valid JWT';
  }
}

/** The `<Code>: <message>` reason a failed channel join replies with. */
export function joinErrorReason(error: TokenError): string {
  switch (error.failure) {
    case 'expired':
    case 'missing_claims':
      return `InvalidJWTToken: ${error.message}`;
    case 'signature':
      return `JwtSignatureError: ${error.message}`;
    default:
      return `MalformedJWT: ${error.message}`;
  }
}

export async function verifyRealtimeToken(token: string | null | undefined, keys: JwtKeys): Promise<Claims> {
  if (typeof token !== 'string' || token === '')
    throw new TokenError('missing', 'API key is missing or not a valid string');
  // Realtime strips whitespace and percent-decoding before verifying.
  const clean = safeDecode(token).replace(/\s/g, '');
  if (!looksLikeJwt(clean)) throw new TokenError('malformed', 'The token provided is not a valid JWT');
  let unverified: Claims;
  try {
    unverified = decodeJwt(clean) as Claims;
  } catch {
    throw new TokenError('malformed', 'The token provided is not a valid JWT');
  }
  let claims: Claims;
  try {
    claims = await keys.verify(clean);
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      const ago = Math.floor(Date.now() / 1000) - Number(unverified.exp);
      throw new TokenError('expired', `Token has expired ${ago} seconds ago`);
    }
    throw new TokenError('signature', 'Failed to validate JWT signature');
  }
  if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
    throw new TokenError('missing_claims', 'Fields `role` and `exp` are required in JWT');
  }
  return claims;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
