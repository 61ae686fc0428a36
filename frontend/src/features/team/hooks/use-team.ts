import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { fetchTeamDirectory, inviteMember, teamKeys, updateMember, type MemberChange } from '../api/team.ts';
import type { InviteInput } from '../schemas/invite.ts';

export function useTeamDirectory() {
  return useQuery({ queryKey: teamKeys.directory, queryFn: fetchTeamDirectory });
}

/** Role and access changes; the list is refetched so it shows what the database kept. */
export function useUpdateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, change }: { userId: string; change: MemberChange }) => updateMember(userId, change),
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamKeys.directory }),
  });
}

export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InviteInput) => inviteMember(input),
    onSuccess: (result) => {
      if (result.ok) void queryClient.invalidateQueries({ queryKey: teamKeys.directory });
    },
  });
}
