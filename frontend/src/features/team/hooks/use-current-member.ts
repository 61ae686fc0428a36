import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { isLanguage, setLanguage } from '@/lib/i18n.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { fetchMember, memberKeys, updateOwnProfile, type TeamMember } from '../api/members.ts';
import type { ProfileInput } from '../schemas/profile.ts';

/** Applies a member's language and zone to the whole app at once. */
async function applyPreferences(member: TeamMember): Promise<void> {
  const language = isLanguage(member.language) ? member.language : 'en';
  await setLanguage(language);
  usePreferencesStore.getState().setPreferences({ language, timeZone: member.timezone });
}

/** The signed-in person's team_members row (name, role, language, zone), cached per ADR 0003. */
export function useCurrentMember() {
  const userId = useSessionStore((state) => state.session?.user.id ?? null);
  const query = useQuery({
    queryKey: memberKeys.one(userId ?? 'none'),
    queryFn: () => fetchMember(userId ?? ''),
    enabled: userId !== null,
  });
  const member = query.data;
  useEffect(() => {
    if (member) void applyPreferences(member);
  }, [member]);
  return query;
}

/**
 * Saves own profile fields. Language and zone apply at once (optimistically) and go back if the
 * save fails, so switching language feels instant but never lies about what was stored.
 */
export function useUpdateOwnProfile() {
  const queryClient = useQueryClient();
  const userId = useSessionStore((state) => state.session?.user.id ?? null);
  return useMutation({
    mutationFn: (input: Partial<ProfileInput>) => {
      if (!userId) throw new Error('not signed in');
      return updateOwnProfile(userId, input);
    },
    onMutate: async (input) => {
      const key = memberKeys.one(userId ?? 'none');
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<TeamMember | null>(key) ?? null;
      if (previous) {
        const optimistic: TeamMember = {
          ...previous,
          full_name: input.fullName ?? previous.full_name,
          language: input.language ?? previous.language,
          timezone: input.timeZone ?? previous.timezone,
        };
        queryClient.setQueryData(key, optimistic);
        await applyPreferences(optimistic);
      }
      return { previous };
    },
    onError: async (_error, _input, context) => {
      if (!context?.previous) return;
      queryClient.setQueryData(memberKeys.one(context.previous.user_id), context.previous);
      await applyPreferences(context.previous);
    },
    onSuccess: (member) => queryClient.setQueryData(memberKeys.one(member.user_id), member),
  });
}
