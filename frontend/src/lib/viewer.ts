/**
 * Who is looking: the signed-in team member, the one way every feature learns it. The app shell
 * loads the member's row (`useMemberQuery`), lets only an active member in, and provides the
 * viewer to everything under it; features call `useViewer()`, never take it as a prop.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect } from 'react';

import { memberOptions, type TeamMember } from '@/api/team-members.ts';
import { isLanguage, setLanguage } from '@/lib/i18n.ts';
import type { TeamRole } from '@/lib/permissions.ts';
import { queryClient } from '@/lib/query-client.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useSessionStore } from '@/stores/session-store.ts';

export interface Viewer {
  userId: string;
  email: string;
  fullName: string;
  avatarUrl: string | null;
  role: TeamRole;
  /** IANA zone the member chose; dates are shown in it. */
  timeZone: string;
  language: string;
}

export function viewerOf(member: TeamMember): Viewer {
  return {
    userId: member.user_id,
    email: member.email,
    fullName: member.full_name,
    avatarUrl: member.avatar_url,
    role: member.role,
    timeZone: member.timezone,
    language: member.language,
  };
}

export const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in member. Only pages inside the app shell have one. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() needs the app shell (a ViewerContext provider) above it');
  return viewer;
}

/** Applies a member's language and zone to the whole app at once. */
export async function applyMemberPreferences(member: TeamMember): Promise<void> {
  const language = isLanguage(member.language) ? member.language : 'en';
  await setLanguage(language);
  usePreferencesStore.getState().setPreferences({ language, timeZone: member.timezone });
}

/**
 * The signed-in person's team_members row (null when they are not on the team), for the shell
 * that decides who gets in; its language and zone are applied as soon as it arrives.
 */
export function useMemberQuery() {
  const userId = useSessionStore((state) => state.session?.user.id ?? null);
  const query = useQuery({ ...memberOptions(userId ?? 'none'), enabled: userId !== null });
  const member = query.data;
  useEffect(() => {
    if (member) void applyMemberPreferences(member);
  }, [member]);
  return query;
}

/** The user id of the session supabase-js keeps in this browser, readable before the client restored it. */
function storedUserId(): string | null {
  try {
    const key = Object.keys(window.localStorage).find((name) => name.startsWith('sb-') && name.endsWith('-auth-token'));
    const stored = key
      ? (JSON.parse(window.localStorage.getItem(key) ?? 'null') as { user?: { id?: unknown } } | null)
      : null;
    return typeof stored?.user?.id === 'string' ? stored.user.id : null;
  } catch {
    return null;
  }
}

/** Who is signed in in this browser: the session's user, or the stored one before it is restored. */
export function signedInUserId(): string | null {
  return useSessionStore.getState().session?.user.id ?? storedUserId();
}

/**
 * Starts fetching the signed-in member the moment the shell's code arrives (its `prefetch`, called
 * by router.tsx), alongside the session check instead of after the shell's first render. Resolves
 * to the member, or null when the row is not visible (yet): a session that still owes a second
 * factor or an accepted invitation. Such an answer is not kept, so the shell asks again once the
 * session is settled.
 */
export async function prefetchMember(): Promise<TeamMember | null> {
  const userId = signedInUserId();
  if (!userId) return null;
  const options = memberOptions(userId);
  try {
    const member = await queryClient.ensureQueryData(options);
    if (!member) queryClient.removeQueries({ queryKey: options.queryKey, exact: true });
    return member;
  } catch {
    queryClient.removeQueries({ queryKey: options.queryKey, exact: true });
    return null;
  }
}
