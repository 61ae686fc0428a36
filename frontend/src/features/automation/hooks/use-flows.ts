import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  activateFlow,
  createFlow,
  flowKeys,
  flowPathsOptions,
  flowsOptions,
  flowStatsOptions,
  pauseFlow,
  updateFlow,
  type FlowInput,
} from '../api/flows.ts';

export const useFlows = () => useQuery(flowsOptions());
export const useFlowStats = (id: string) => useQuery(flowStatsOptions(id));
export const useFlowPaths = (id: string) => useQuery(flowPathsOptions(id));

/** Saving, switching on and pausing flows; each write refreshes every reader of flows. */
export function useFlowMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: flowKeys.all });
  return {
    create: useMutation({ mutationFn: (input: FlowInput) => createFlow(input), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: FlowInput }) => updateFlow(id, input),
      onSuccess,
    }),
    activate: useMutation({
      mutationFn: ({ id, enrolExisting }: { id: string; enrolExisting: boolean }) => activateFlow(id, enrolExisting),
      onSuccess,
    }),
    pause: useMutation({ mutationFn: (id: string) => pauseFlow(id), onSuccess }),
  };
}
