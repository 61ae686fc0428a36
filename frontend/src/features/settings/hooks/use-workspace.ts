import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { currenciesOptions, languagesOptions } from '@/api/reference.ts';
import { workspaceKeys, workspaceSettingsOptions } from '@/api/workspace.ts';

import { updateWorkspaceSettings } from '../api/workspace.ts';
import type { WorkspaceInput } from '../schemas/workspace.ts';

export function useWorkspaceSettings() {
  return useQuery(workspaceSettingsOptions());
}

export function useCurrencies() {
  return useQuery(currenciesOptions());
}

export function useLanguages() {
  return useQuery(languagesOptions());
}

export function useUpdateWorkspaceSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkspaceInput) => updateWorkspaceSettings(input),
    onSuccess: (row) => queryClient.setQueryData(workspaceKeys.settings, row),
    // Revenue figures are shown in the base currency: let every screen refetch them.
    onSettled: () => queryClient.invalidateQueries(),
  });
}
