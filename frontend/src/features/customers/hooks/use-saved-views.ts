import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  createSavedView,
  deleteSavedView,
  savedViewKeys,
  savedViewsOptions,
  updateSavedView,
  type SavedViewInput,
} from '../api/saved-views.ts';

export function useSavedViews() {
  return useQuery(savedViewsOptions());
}

/** Create, rename / share, delete: each refetches the list of views afterwards. */
export function useSavedViewMutations() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: savedViewKeys.all });
  return {
    create: useMutation({ mutationFn: (input: SavedViewInput) => createSavedView(input), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, changes }: { id: string; changes: Partial<SavedViewInput> }) => updateSavedView(id, changes),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteSavedView(id), onSuccess }),
  };
}
