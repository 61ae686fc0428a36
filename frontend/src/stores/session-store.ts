import type { Session } from '@supabase/supabase-js';
import { create } from 'zustand';

/**
 * `loading` until supabase-js has read the stored session, so guards do not redirect too early.
 * `mfa-required`: signed in with a password, but the account has a verified second factor and
 * this session has not passed it yet (aal1 while aal2 is possible); only the challenge is open.
 * `mfa-enrolment`: the workspace requires two-step verification and the person has no factor
 * yet; only the enrolment is open. `invitation-pending`: invited, not accepted yet; only the
 * accept-invite page is open. (The database grants nothing in these states either.)
 */
export type SessionStatus =
  'loading' | 'signed-in' | 'mfa-required' | 'mfa-enrolment' | 'invitation-pending' | 'signed-out';

export interface SessionOptions {
  mfaRequired?: boolean;
  enrolmentRequired?: boolean;
  invitationPending?: boolean;
}

interface SessionState {
  status: SessionStatus;
  session: Session | null;
  setSession: (session: Session | null, options?: SessionOptions) => void;
}

function statusOf(session: Session | null, options: SessionOptions): SessionStatus {
  if (!session) return 'signed-out';
  if (options.mfaRequired) return 'mfa-required';
  if (options.invitationPending) return 'invitation-pending';
  if (options.enrolmentRequired) return 'mfa-enrolment';
  return 'signed-in';
}

/** The signed-in session is one of the few truly global states (style.md: session and toasts). */
export const useSessionStore = create<SessionState>()((set) => ({
  status: 'loading',
  session: null,
  setSession: (session, options = {}) => set({ session, status: statusOf(session, options) }),
}));
