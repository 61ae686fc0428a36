/**
 * The gateway's API-key rules (the CLI's Kong request transformer): opaque `sb_…` keys
 * become the matching legacy JWT; a real user JWT in Authorization is kept.
 */
import type { StackConfig } from '../config.ts';
import { looksLikeJwt } from '../lib/jwt.ts';

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
  return looksLikeJwt(key) ? `Bearer ${key}` : key;
}

export function opaqueKeyToJwt(config: StackConfig, key: string): string | undefined {
  if (key === config.secretKey) return config.serviceRoleKey;
  if (key === config.publishableKey) return config.anonKey;
  return undefined;
}
