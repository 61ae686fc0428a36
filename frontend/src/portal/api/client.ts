/**
 * The portal's Supabase clients: Auth and the REST API only (no Realtime, Storage or Functions
 * client), so the shopper's first load stays small (issue 12: ≤ 120 KB gzip). The session is kept
 * under its own storage key, apart from a team member's session in the Cairn app on the same
 * origin.
 */
import { AuthClient } from '@supabase/auth-js';
import { PostgrestClient } from '@supabase/postgrest-js';

import { env } from '@/config/env.ts';
import type { Database } from '@/types/database.types.ts';

export const auth = new AuthClient({
  url: `${env.supabaseUrl}/auth/v1`,
  headers: { apikey: env.supabaseAnonKey },
  storageKey: 'cairn-portal-auth',
  persistSession: true,
  autoRefreshToken: true,
  // The confirmation and recovery links come back with the session in the URL fragment.
  detectSessionInUrl: true,
  flowType: 'implicit',
});

/** Every request carries the shopper's access token when signed in, else the anon key. */
async function authorisedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const { data } = await auth.getSession();
  const headers = new Headers(init.headers);
  headers.set('apikey', env.supabaseAnonKey);
  headers.set('Authorization', `Bearer ${data.session?.access_token ?? env.supabaseAnonKey}`);
  return fetch(input, { ...init, headers });
}

export const db = new PostgrestClient<Database>(`${env.supabaseUrl}/rest/v1`, {
  headers: { apikey: env.supabaseAnonKey },
  fetch: authorisedFetch,
});
