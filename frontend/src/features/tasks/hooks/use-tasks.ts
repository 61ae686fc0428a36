import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { teamMemberNamesOptions } from '@/api/team-members.ts';

import { bucketOptions, reassign, setCompleted, snooze, taskKeys, type TaskQuery } from '../api/tasks.ts';
import type { Bucket, DayBounds } from '../utils/buckets.ts';

export const useBucket = (bucket: Bucket, query: TaskQuery, bounds: DayBounds) =>
  useInfiniteQuery(bucketOptions(bucket, query, bounds));
export const useTeamNames = () => useQuery(teamMemberNamesOptions());

function useTaskMutation<T>(fn: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  });
}

export const useComplete = () =>
  useTaskMutation(({ ids, completed }: { ids: string[]; completed: boolean }) => setCompleted(ids, completed));
export const useReassign = () =>
  useTaskMutation(({ id, assigneeId }: { id: string; assigneeId: string }) => reassign(id, assigneeId));
export const useSnooze = () => useTaskMutation(({ id, until }: { id: string; until: string }) => snooze(id, until));
