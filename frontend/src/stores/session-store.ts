import type { Session } from '@supabase/supabase-js';
import { create } from 'zustand';

/**
 * `loading` until supabase-js has read the stored session, so guards do not redirect too early.
 * `mfa-required`: signed in with a password, but the account has a verified second factor and
 * this session has not passed it yet (aal1 while aal2 is possible); only the challenge is open.
 */
export type SessionStatus = 'loading' | 'signed-in' | 'mfa-required' | 'signed-out';

interface SessionState {
  status: SessionStatus;
  session: Session | null;
  setSession: (session: Session | null, options?: { mfaRequired?: boolean }) => void;
}

/** The signed-in session is one of the few truly global states (style.md: session and toasts). */
export const useSessionStore = create<SessionState>()((set) => ({
  status: 'loading',
  session: null,
  setSession: (session, { mfaRequired = false } = {}) =>
    set({ session, status: session ? (mfaRequired ? 'mfa-required' : 'signed-in') : 'signed-out' }),
}));
