import type { AuthChangeEvent, Session } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

/**
 * Calls `onChange` with the current session as soon as supabase-js has read it from storage
 * (the INITIAL_SESSION event), then on every sign-in, refresh and sign-out, in this tab and others.
 * Returns the unsubscribe function.
 */
export function watchSession(onChange: (session: Session | null, event: AuthChangeEvent) => void): () => void {
  // The callback must stay synchronous: awaiting supabase calls inside it can deadlock auth-js.
  const { data } = supabase.auth.onAuthStateChange((event, session) => onChange(session, event));
  return () => data.subscription.unsubscribe();
}

/**
 * True when the account has a verified factor this session has not passed yet
 * (nextLevel aal2 above currentLevel aal1), so the person must answer the TOTP challenge.
 */
export async function needsSecondFactor(): Promise<boolean> {
  const { data, error } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  if (error || !data) return false;
  return data.nextLevel === 'aal2' && data.currentLevel !== 'aal2';
}
