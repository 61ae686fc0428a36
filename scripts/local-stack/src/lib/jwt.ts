/** HS256 JWTs signed with the project's JWT secret, as GoTrue, PostgREST and Realtime use them. */
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export type Claims = JWTPayload & {
  role?: string;
  sub?: string;
  email?: string;
  session_id?: string;
  aal?: string;
  [key: string]: unknown;
};

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signJwt(claims: Claims, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(keyFor(secret));
}

export type VerifyFailure = 'expired' | 'invalid';

export class JwtError extends Error {
  constructor(
    readonly reason: VerifyFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Verifies signature and expiry; tokens without `exp` are accepted, as GoTrue does. */
export async function verifyJwt(token: string, secret: string): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { algorithms: ['HS256'] });
    return payload as Claims;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new JwtError('expired', 'token has expired');
    const detail = error instanceof Error ? error.message : String(error);
    throw new JwtError('invalid', detail);
  }
}

export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/** Reads `Authorization: Bearer <token>`; null when absent or not the Bearer scheme. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^\s*bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}
