import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { createActivity, setTaskCompleted } from '../api/activities.ts';
import { fetchTeam, teamKeys } from '../api/team.ts';
import { timelineKeys } from '../api/timeline.ts';
import type { ActivityInput } from '../schemas/activity.ts';

/** The team's names (authors, assignees); changes rarely, so kept for a few minutes. */
export function useTeam() {
  return useQuery({ queryKey: teamKeys.all, queryFn: fetchTeam, staleTime: 5 * 60_000 });
}

/**
 * Writes refresh the timeline at once on success (the author should not wait for the realtime
 * round trip); other browsers hear about it through realtime.
 */
export function useCreateActivity(customerId: string) {
  const queryClient = useQueryClient();
  const { timeZone } = useZoneAndLanguage();
  return useMutation({
    mutationFn: (input: ActivityInput) => createActivity(customerId, input, timeZone),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timelineKeys.all(customerId) }),
  });
}

export function useCompleteTask(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ activityId, completed }: { activityId: string; completed: boolean }) =>
      setTaskCompleted(activityId, completed),
    onSettled: () => queryClient.invalidateQueries({ queryKey: timelineKeys.all(customerId) }),
  });
}
