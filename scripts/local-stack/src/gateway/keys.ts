/**
 * The gateway's API-key rules (the CLI's Kong request transformer, `BearerToken` in
 * `internal/start/start.go`): a non-`sb_` Authorization is kept; otherwise an opaque `sb_…`
 * apikey becomes `Bearer <legacy JWT>`; otherwise Authorization is the apikey itself, as it
 * came — no `Bearer ` is added. So GoTrue, seeing no Bearer token, answers 401, and PostgREST
 * runs such a request as anon; Storage, which strips an optional `Bearer `, still reads it.
 */
import type { StackConfig } from '../config.ts';
import { bearerToken, looksLikeJwt, type JwtKeys } from '../lib/jwt.ts';

export function resolveAuthorization(
  config: StackConfig,
  authorization: string | undefined,
  apikey: string | undefined,
): string | undefined {
  const bearer = authorization?.match(/^\s*bearer\s+(\S+)/i)?.[1];
  if (authorization && !bearer?.startsWith('sb_')) return authorization;
  const key = apikey ?? bearer;
  if (!key) return authorization;
  const mapped = opaqueKeyToJwt(config, key);
  if (mapped) return `Bearer ${mapped}`;
  if (authorization) return authorization;
  return key;
}

export function opaqueKeyToJwt(config: StackConfig, key: string): string | undefined {
  if (key === config.secretKey) return config.serviceRoleKey;
  if (key === config.publishableKey) return config.anonKey;
  return undefined;
}

const isProjectKey = (config: StackConfig, key: string) =>
  key === config.anonKey || key === config.serviceRoleKey || key === config.publishableKey || key === config.secretKey;

export interface KeyRefusal {
  status: 401;
  body: { message: string };
}

/**
 * Kong's key-auth: an `apikey` header (or query parameter) must be one of the project's keys.
 * Without one, a Bearer token that is a project key or a JWT signed with one of the project's keys
 * is accepted too. Null when the request may pass.
 */
export async function checkApiKey(
  config: StackConfig,
  keys: JwtKeys,
  apikey: string | null | undefined,
  authorization: string | string[] | undefined,
): Promise<KeyRefusal | null> {
  if (apikey) {
    return isProjectKey(config, apikey)
      ? null
      : { status: 401, body: { message: 'Invalid authentication credentials' } };
  }
  const bearer = bearerToken(authorization);
  if (bearer && isProjectKey(config, bearer)) return null;
  if (bearer && looksLikeJwt(bearer)) {
    try {
      await keys.verify(bearer);
      return null;
    } catch {
      // not ours: refused below like a missing key
    }
  }
  return { status: 401, body: { message: 'No API key found in request' } };
}
