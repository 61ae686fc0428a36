import type { Session } from '@supabase/auth-js';
import { create } from 'zustand';

import { auth } from './api/client.ts';
import { linkAccount } from './api/portal.ts';

/**
 * The shopper's session and their customer record. `customerId` is set once the database has
 * linked the account (link_portal_account): only then do favourites and preferences exist.
 */
interface SessionState {
  ready: boolean;
  session: Session | null;
  customerId: string | null;
  /** Why the account could not be linked (e.g. a staff account), as an i18n key. */
  linkError: string | null;
}

export const useSession = create<SessionState>(() => ({
  ready: false,
  session: null,
  customerId: null,
  linkError: null,
}));

/** One link request per account, however many auth events arrive for it. */
let linking: { userId: string; customerId: Promise<string> } | null = null;

async function link(session: Session | null): Promise<void> {
  if (!session) {
    linking = null;
    useSession.setState({ ready: true, session: null, customerId: null, linkError: null });
    return;
  }
  if (linking?.userId !== session.user.id) linking = { userId: session.user.id, customerId: linkAccount() };
  const request = linking;
  try {
    const customerId = await request.customerId;
    useSession.setState({ ready: true, session, customerId, linkError: null });
  } catch (error) {
    // A failed link may be retried at the next sign-in.
    if (linking === request) linking = null;
    const detail = (error as { details?: string }).details;
    useSession.setState({
      ready: true,
      session,
      customerId: null,
      linkError: detail === 'team_member' ? 'errors.teamMember' : 'errors.linkFailed',
    });
  }
}

export function startSession(): void {
  let last: string | undefined;
  auth.onAuthStateChange((event, session) => {
    // Token refreshes change nothing here; a new sign-in or sign-out does.
    if (event === 'TOKEN_REFRESHED' && session?.user.id === last) {
      useSession.setState({ session });
      return;
    }
    last = session?.user.id;
    // Outside the callback: auth-js holds a lock while it runs, and linking makes a request.
    setTimeout(() => void link(session), 0);
  });
}
