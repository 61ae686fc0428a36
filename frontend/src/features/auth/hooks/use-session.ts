import { useEffect } from 'react';

import { useSessionStore } from '@/stores/session-store.ts';

import { needsSecondFactor, watchSession } from '../api/session.ts';
import { fetchTeamAccess } from '../api/team-access.ts';

/**
 * Keeps the global session store in step with supabase-js, including whether the session still
 * owes a second factor, an invitation acceptance or a factor enrolment the workspace requires.
 * Mount once, at the app root.
 */
export function useSessionSync(): void {
  const setSession = useSessionStore((state) => state.setSession);
  useEffect(() => {
    let latest = 0;
    return watchSession((session) => {
      const call = ++latest;
      if (!session) {
        setSession(null);
        return;
      }
      // Asked outside the auth callback (it must stay synchronous); a newer event wins.
      setTimeout(() => {
        void Promise.all([needsSecondFactor(), fetchTeamAccess()]).then(([mfaRequired, access]) => {
          if (call !== latest) return;
          setSession(session, {
            mfaRequired,
            invitationPending: access?.state === 'pending',
            enrolmentRequired: access?.state === 'active' && access.mfaRequired && !access.hasVerifiedFactor,
          });
        });
      }, 0);
    });
  }, [setSession]);
}

/** The current session status and user, for guards and screens. */
export function useSession() {
  const status = useSessionStore((state) => state.status);
  const user = useSessionStore((state) => state.session?.user ?? null);
  return { status, user };
}
