import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { customFieldKeys, customFieldsOptions } from '@/api/custom-fields.ts';

import { createCustomField, deleteCustomField, updateCustomField } from '../api/custom-fields.ts';
import type { CustomFieldInput } from '../schemas/custom-field.ts';

export function useCustomFields() {
  return useQuery(customFieldsOptions());
}

/** Save and delete; the customer forms that render these definitions refetch them too. */
export function useCustomFieldMutations() {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: customFieldKeys.all });
  return {
    save: useMutation({
      mutationFn: ({ id, input }: { id: string | null; input: CustomFieldInput }) =>
        id ? updateCustomField(id, input) : createCustomField(input),
      onSettled,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteCustomField(id), onSettled }),
  };
}
