import type { Session } from '@supabase/supabase-js';
import { create } from 'zustand';

/** `loading` until supabase-js has read the stored session, so guards do not redirect too early. */
export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

interface SessionState {
  status: SessionStatus;
  session: Session | null;
  setSession: (session: Session | null) => void;
}

/** The signed-in session is one of the few truly global states (style.md: session and toasts). */
export const useSessionStore = create<SessionState>()((set) => ({
  status: 'loading',
  session: null,
  setSession: (session) => set({ session, status: session ? 'signed-in' : 'signed-out' }),
}));
