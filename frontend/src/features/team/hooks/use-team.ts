import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { teamMemberKeys } from '@/api/team-members.ts';

import { inviteMember, teamDirectoryOptions, updateMember, type MemberChange } from '../api/team.ts';
import type { InviteInput } from '../schemas/invite.ts';

export function useTeamDirectory() {
  return useQuery(teamDirectoryOptions());
}

/** Role and access changes; every list of members is refetched so it shows what the database kept. */
export function useUpdateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, change }: { userId: string; change: MemberChange }) => updateMember(userId, change),
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamMemberKeys.all }),
  });
}

export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InviteInput) => inviteMember(input),
    onSuccess: (result) => {
      // The new member is offered as an owner and assignee elsewhere at once.
      if (result.ok) void queryClient.invalidateQueries({ queryKey: teamMemberKeys.all });
    },
  });
}
