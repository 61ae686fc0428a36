import { useMutation, useQueryClient } from '@tanstack/react-query';

import {
  actOnCampaign,
  campaignKeys,
  chooseEmptyVariables,
  createCampaign,
  deleteCampaign,
  updateCampaign,
  type CampaignAction,
} from '../api/campaigns.ts';
import type { CampaignInput } from '../schemas/campaign.ts';

/** Every write refreshes every reader of campaigns (list, summary, results). */
export function useCampaignMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: campaignKeys.all });
  return {
    create: useMutation({ mutationFn: (input: CampaignInput) => createCampaign(input), onSuccess }),
    update: useMutation({
      mutationFn: ({
        id,
        input,
        variables,
      }: {
        id: string;
        input: CampaignInput;
        variables: Record<string, unknown>;
      }) => updateCampaign(id, input, variables),
      onSuccess,
    }),
    chooseEmpty: useMutation({
      mutationFn: ({ id, skip, variables }: { id: string; skip: boolean; variables: Record<string, string> }) =>
        chooseEmptyVariables(id, { skip, variables }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteCampaign(id), onSuccess }),
    act: useMutation({
      mutationFn: ({ id, action }: { id: string; action: CampaignAction }) => actOnCampaign(id, action),
      onSuccess,
    }),
  };
}
