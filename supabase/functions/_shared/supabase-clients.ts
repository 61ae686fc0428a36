/**
 * Supabase clients inside a function, typed with the database's generated types
 * (./database.types.ts, written by `npm run db:types`). The caller's client (their JWT, so RLS
 * applies) is the default; the service-role client bypasses RLS and each use must say why.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types.ts';

export type { Database };
export type Db = SupabaseClient<Database>;

type Env = { get(name: string): string | undefined };

const options = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

function required(env: Env, name: string): string {
  const value = env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The service-role client (no RLS). Callers comment why they need it. */
export function serviceClient(env: Env = Deno.env): Db {
  return createClient<Database>(required(env, 'SUPABASE_URL'), required(env, 'SUPABASE_SERVICE_ROLE_KEY'), options);
}

/** A client acting as the caller: their Authorization header, so every query runs under RLS. */
export function callerClient(authorization: string, env: Env = Deno.env): Db {
  return createClient<Database>(required(env, 'SUPABASE_URL'), required(env, 'SUPABASE_ANON_KEY'), {
    ...options,
    global: { headers: { Authorization: authorization } },
  });
}

/** `text` as a LIKE / ILIKE pattern that matches only itself (its wildcards and escapes escaped). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
