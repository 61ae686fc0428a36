import { useEffect } from 'react';

import { useSessionStore, type SessionOptions } from '@/stores/session-store.ts';

import { needsSecondFactor, watchSession } from '../api/session.ts';
import { fetchTeamAccess } from '../api/team-access.ts';

/** What the session still owes: a second factor, an invitation acceptance, a required enrolment. */
async function accessOptions(): Promise<SessionOptions> {
  const [mfaRequired, access] = await Promise.all([needsSecondFactor(), fetchTeamAccess()]);
  return {
    mfaRequired,
    invitationPending: access?.state === 'pending',
    enrolmentRequired: access?.state === 'active' && access.mfaRequired && !access.hasVerifiedFactor,
  };
}

/**
 * Reads the current session's state into the store again, for a change no auth event announces
 * (an invitation just accepted). Resolves once the store is up to date.
 */
export async function resyncSession(): Promise<void> {
  const { session, setSession } = useSessionStore.getState();
  if (session) setSession(session, await accessOptions());
}

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
        void accessOptions().then((options: SessionOptions) => {
          if (call === latest) setSession(session, options);
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
