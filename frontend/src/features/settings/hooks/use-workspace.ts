import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  fetchCurrencies,
  fetchLanguages,
  fetchWorkspaceSettings,
  updateWorkspaceSettings,
  workspaceKeys,
} from '../api/workspace.ts';
import type { WorkspaceInput } from '../schemas/workspace.ts';

// ISO lists change only with a migration: keep them for the whole session.
const REFERENCE = { staleTime: Infinity, gcTime: Infinity } as const;

export function useWorkspaceSettings() {
  return useQuery({ queryKey: workspaceKeys.settings, queryFn: fetchWorkspaceSettings });
}

export function useCurrencies() {
  return useQuery({ queryKey: workspaceKeys.currencies, queryFn: fetchCurrencies, ...REFERENCE });
}

export function useLanguages() {
  return useQuery({ queryKey: workspaceKeys.languages, queryFn: fetchLanguages, ...REFERENCE });
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
