/**
 * Supabase clients inside a function. The caller's client (their JWT, so RLS applies) is the
 * default; the service-role client bypasses RLS and each use must say why.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

type Env = { get(name: string): string | undefined };

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

function required(env: Env, name: string): string {
  const value = env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The service-role client (no RLS). Callers comment why they need it. */
export function serviceClient(env: Env = Deno.env): SupabaseClient {
  return createClient(required(env, 'SUPABASE_URL'), required(env, 'SUPABASE_SERVICE_ROLE_KEY'), options);
}

/** A client acting as the caller: their Authorization header, so every query runs under RLS. */
export function callerClient(authorization: string, env: Env = Deno.env): SupabaseClient {
  return createClient(required(env, 'SUPABASE_URL'), required(env, 'SUPABASE_ANON_KEY'), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}

/**
 * The `role` claim of the caller's bearer JWT, or null. The signature is not checked here: the
 * platform verified it before the request reached the function (verify_jwt = true), so this is
 * only for functions that keep that setting.
 */
export function jwtRole(authorization: string | null): string | null {
  const payload = authorization?.match(/^Bearer\s+([^.\s]+)\.([^.\s]+)\.[^.\s]*$/i)?.[2];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
    const role = (claims as { role?: unknown } | null)?.role;
    return typeof role === 'string' ? role : null;
  } catch {
    return null;
  }
}
