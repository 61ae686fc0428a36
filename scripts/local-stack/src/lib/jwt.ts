/**
 * JWTs as GoTrue, PostgREST, Storage and Realtime use them: HS256 with the project's legacy JWT
 * secret, and the project's asymmetric signing keys (JwtKeys).
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  decodeProtectedHeader,
  errors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';

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

/** A JSON Web Key as the Supabase CLI writes it (`supabase gen signing-key`): private, with `kid`. */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  ext?: boolean;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
}

/**
 * The Supabase CLI's built-in signing key (`pkg/config/config.go`): with no
 * `[auth] signing_keys_path`, `supabase start` hands it to GoTrue, which then signs user tokens
 * with it (ES256). A public, development-only key, like the CLI's JWT secret and anon key.
 */
export const CLI_DEFAULT_SIGNING_KEY: Jwk = {
  kty: 'EC',
  kid: 'b81269f1-21d8-4f2e-b719-c2240a840d90',
  use: 'sig',
  key_ops: ['sign', 'verify'],
  alg: 'ES256',
  ext: true,
  crv: 'P-256',
  x: 'M5Sjqn5zwC9Kl1zVfUUGvv9boQjCGd45G8sdopBExB4',
  y: 'P6IXMvA2WYXSHSOMTBH2jsw_9rrzGy89FjPf6oOsIxQ',
  d: 'dIhR8wywJlqlua4y_yMq2SLhlFXDZJBCvFrY1DCHyVU',
};

const ASYMMETRIC = new Set(['ES256', 'RS256']);

/** A key without its private members (`d`, the RSA factors) and without `ext`. */
function publicPart(jwk: Jwk): Jwk {
  const { kty, kid, alg, crv, x, y, n, e } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, kid, alg, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  ) as unknown as Jwk;
}

interface VerifyKey {
  alg: string;
  key: KeyObject;
}

/**
 * The project's JWT keys as GoTrue holds them (`GOTRUE_JWT_KEYS` + `GOTRUE_JWT_SECRET`): one
 * asymmetric key signs user tokens; every listed key verifies by `kid`; a token without a known
 * `kid` is verified with the legacy HS256 secret, as GoTrue, PostgREST, Storage and Realtime do
 * while a project still trusts its legacy secret (the anon and service_role keys are such tokens).
 */
export class JwtKeys {
  private readonly signer: { kid: string; alg: string; key: KeyObject } | null;
  private readonly byKid = new Map<string, VerifyKey>();
  /** What `/auth/v1/.well-known/jwks.json` publishes: public parts, `use: sig`, `key_ops: [verify]`. */
  readonly publicJwks: Jwk[];

  constructor(
    readonly secret: string,
    keys: Jwk[],
  ) {
    const signing = keys.filter((key) => key.key_ops?.includes('sign'));
    if (keys.length && signing.length !== 1)
      throw new Error(
        signing.length
          ? 'signing keys: multiple signing keys detected, only 1 signing key is supported'
          : 'signing keys: no signing key detected (one key needs "key_ops": ["sign", …])',
      );
    this.publicJwks = keys.map((jwk) => {
      if (!jwk.kid) throw new Error('signing keys: every key needs a "kid"');
      if (!jwk.alg || !ASYMMETRIC.has(jwk.alg))
        throw new Error(`signing keys: key ${jwk.kid} has alg ${jwk.alg ?? '(none)'}; ES256 or RS256 is supported`);
      const publicJwk: Jwk = { ...publicPart(jwk), use: 'sig', key_ops: ['verify'] };
      this.byKid.set(jwk.kid, { alg: jwk.alg, key: createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }) });
      return publicJwk;
    });
    const sign = signing[0];
    this.signer = sign
      ? {
          kid: sign.kid as string,
          alg: sign.alg as string,
          key: createPrivateKey({ key: sign as JsonWebKey, format: 'jwk' }),
        }
      : null;
  }

  /** The algorithm user tokens are signed with. */
  get algorithm(): string {
    return this.signer?.alg ?? 'HS256';
  }

  async sign(claims: Claims): Promise<string> {
    if (!this.signer) return signJwt(claims, this.secret);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: this.signer.alg, kid: this.signer.kid, typ: 'JWT' })
      .sign(this.signer.key);
  }

  /** GoTrue's key function: a known `kid` picks its key; otherwise only HS256 with the secret. */
  async verify(token: string): Promise<Claims> {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch (error) {
      throw new JwtError('invalid', error instanceof Error ? error.message : String(error));
    }
    const known = header.kid ? this.byKid.get(header.kid) : undefined;
    if (!known) {
      if (header.alg === 'HS256') return verifyJwt(token, this.secret);
      throw new JwtError('invalid', `unrecognized JWT kid ${header.kid ?? '<nil>'} for algorithm ${header.alg}`);
    }
    try {
      const { payload } = await jwtVerify(token, known.key, { algorithms: [known.alg] });
      return payload as Claims;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new JwtError('expired', 'token has expired');
      throw new JwtError('invalid', error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The JWKS PostgREST gets as its jwt-secret (and Storage and Realtime as theirs): the public
   * keys and the legacy secret as an `oct` key, so both kinds of token verify during rotation.
   */
  verificationJwks(): string {
    const secret = { kty: 'oct', k: Buffer.from(this.secret).toString('base64url'), alg: 'HS256' };
    return JSON.stringify({ keys: [...this.publicJwks, secret] });
  }
}
