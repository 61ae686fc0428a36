import type { Session } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

/**
 * Calls `onChange` with the current session as soon as supabase-js has read it from storage
 * (the INITIAL_SESSION event), then on every sign-in, refresh and sign-out, in this tab and others.
 * Returns the unsubscribe function.
 */
export function watchSession(onChange: (session: Session | null) => void): () => void {
  // The callback must stay synchronous: awaiting supabase calls inside it can deadlock auth-js.
  const { data } = supabase.auth.onAuthStateChange((_event, session) => onChange(session));
  return () => data.subscription.unsubscribe();
}
