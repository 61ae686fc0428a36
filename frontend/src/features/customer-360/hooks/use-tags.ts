import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { customerKeys, type Customer } from '../api/customer.ts';
import { tagKeys, tagsOptions, type Tag } from '@/api/tags.ts';

import { addTag, createTag, removeTag } from '../api/tags.ts';

export function useTags(enabled = true) {
  return useQuery({ ...tagsOptions(), enabled });
}

/**
 * Tagging is optimistic: the chip appears or goes at once (it is the kind of click people repeat
 * quickly), and the customer row is put back and refetched if the database refuses.
 */
export function useTagMutations(customerId: string) {
  const queryClient = useQueryClient();
  const key = customerKeys.one(customerId);

  const withTags = (change: (tags: Customer['customer_tags']) => Customer['customer_tags']) => async () => {
    await queryClient.cancelQueries({ queryKey: key, exact: true });
    const previous = queryClient.getQueryData<Customer | null>(key);
    if (previous)
      queryClient.setQueryData<Customer>(key, { ...previous, customer_tags: change(previous.customer_tags) });
    return { previous };
  };
  const rollback = (_error: unknown, _input: unknown, context?: { previous?: Customer | null }) => {
    if (context?.previous) queryClient.setQueryData(key, context.previous);
  };
  const settle = () => queryClient.invalidateQueries({ queryKey: key, exact: true });

  const add = useMutation({
    mutationFn: async (tag: Tag) => addTag(customerId, tag.id),
    onMutate: (tag) => withTags((tags) => [...tags, { tag }])(),
    onError: rollback,
    onSettled: settle,
  });
  const remove = useMutation({
    mutationFn: async (tag: Tag) => removeTag(customerId, tag.id),
    onMutate: (tag) => withTags((tags) => tags.filter((entry) => entry.tag?.id !== tag.id))(),
    onError: rollback,
    onSettled: settle,
  });
  const create = useMutation({
    mutationFn: async (name: string) => {
      const tag = await createTag(name);
      await addTag(customerId, tag.id);
      return tag;
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
      await settle();
    },
  });
  return { add, remove, create };
}
