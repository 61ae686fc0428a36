import { useMutation, useQueryClient } from '@tanstack/react-query';

import { teamMemberKeys, type TeamMember } from '@/api/team-members.ts';
import { applyMemberPreferences } from '@/lib/viewer.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { updateOwnProfile } from '../api/members.ts';
import type { ProfileInput } from '../schemas/profile.ts';

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
      const key = teamMemberKeys.one(userId ?? 'none');
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
        await applyMemberPreferences(optimistic);
      }
      return { previous };
    },
    onError: async (_error, _input, context) => {
      if (!context?.previous) return;
      queryClient.setQueryData(teamMemberKeys.one(context.previous.user_id), context.previous);
      await applyMemberPreferences(context.previous);
    },
    onSuccess: (member) => {
      queryClient.setQueryData(teamMemberKeys.one(member.user_id), member);
      // A new name shows wherever the team is listed (owner filters, timeline authors).
      void queryClient.invalidateQueries({ queryKey: teamMemberKeys.names });
    },
  });
}
