import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  actOnSegment,
  assignCustomers,
  changeCustomersStage,
  createCustomer,
  customerKeys,
  customerRecordOptions,
  tagCustomers,
  updateCustomer,
  type CustomerWrite,
} from '../api/customers.ts';

export function useCustomerRecord(id: string | null) {
  return useQuery({ ...customerRecordOptions(id ?? 'none'), enabled: id !== null });
}

/** After any write the lists refetch what is on screen (ADR 0003: invalidate, never patch). */
function useInvalidateCustomers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: customerKeys.all });
}

export function useSaveCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ id, values }: { id: string | null; values: CustomerWrite }) =>
      id ? updateCustomer(id, values) : createCustomer(values),
    onSuccess: invalidate,
  });
}

export type BulkAction =
  { kind: 'tag'; tagId: string } | { kind: 'assign'; ownerId: string | null } | { kind: 'stage'; stage: string };

/** One bulk action on the selected customers; resolves to how many actually changed. */
export function useBulkAction() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: async ({ ids, action }: { ids: string[]; action: BulkAction }) => {
      switch (action.kind) {
        case 'tag':
          return tagCustomers(ids, action.tagId);
        case 'assign':
          return assignCustomers(ids, action.ownerId);
        case 'stage':
          return changeCustomersStage(ids, action.stage);
      }
    },
    onSettled: invalidate,
  });
}

/** The same actions on every member of a segment, done by the database; resolves to how many changed. */
export function useSegmentAction() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ segmentId, action }: { segmentId: string; action: BulkAction }) => {
      switch (action.kind) {
        case 'tag':
          return actOnSegment(segmentId, 'tag', action.tagId);
        case 'assign':
          return actOnSegment(segmentId, 'assign', action.ownerId);
        case 'stage':
          return actOnSegment(segmentId, 'stage', action.stage);
      }
    },
    onSettled: invalidate,
  });
}
