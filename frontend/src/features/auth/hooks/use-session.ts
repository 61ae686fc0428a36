import { useEffect } from 'react';

import { useSessionStore } from '@/stores/session-store.ts';

import { watchSession } from '../api/session.ts';

/** Keeps the global session store in step with supabase-js. Mount once, at the app root. */
export function useSessionSync(): void {
  const setSession = useSessionStore((state) => state.setSession);
  useEffect(() => watchSession(setSession), [setSession]);
}

/** The current session status and user, for guards and screens. */
export function useSession() {
  const status = useSessionStore((state) => state.status);
  const user = useSessionStore((state) => state.session?.user ?? null);
  return { status, user };
}
