import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { removeAttachments, uploadAttachments } from '@/api/attachments.ts';
import { teamMemberNamesOptions } from '@/api/team-members.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { createActivity, setTaskCompleted } from '../api/activities.ts';
import { timelineKeys } from '../api/timeline.ts';
import type { ActivityInput } from '../schemas/activity.ts';

/** The team's names (authors, assignees), shared with every screen that names a member. */
export function useTeam() {
  return useQuery(teamMemberNamesOptions());
}

/**
 * Writes refresh the timeline at once on success (the author should not wait for the realtime
 * round trip); other browsers hear about it through realtime.
 */
export function useCreateActivity(customerId: string) {
  const queryClient = useQueryClient();
  const { timeZone } = useZoneAndLanguage();
  return useMutation({
    // Files first, into the customer's folder; the row then lists them. If the row is refused,
    // its files are removed again: nothing stays in Storage that no activity points to.
    mutationFn: async ({ input, files = [] }: { input: ActivityInput; files?: File[] }) => {
      const attachments = await uploadAttachments(customerId, files, 'notes');
      try {
        await createActivity(customerId, input, timeZone, attachments);
      } catch (error) {
        await removeAttachments(attachments.map((file) => file.path));
        throw error;
      }
    },
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
