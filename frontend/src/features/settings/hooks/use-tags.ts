import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { tagKeys } from '@/api/tags.ts';

import { createTag, deleteTag, tagUsageOptions, updateTag } from '../api/tags.ts';
import type { TagInput } from '../schemas/tag.ts';

export function useTagUsage() {
  return useQuery(tagUsageOptions());
}

/** Create, edit and delete; every tag list in the app (customer filters, editors) refetches. */
export function useTagMutations() {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: tagKeys.all });
  return {
    save: useMutation({
      mutationFn: ({ id, input }: { id: string | null; input: TagInput }) =>
        id ? updateTag(id, input) : createTag(input),
      onSettled,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteTag(id), onSettled }),
  };
}
