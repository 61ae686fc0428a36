import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { listTotpFactors, removeFactor, startTotpEnrolment, verifyTotp } from '../api/mfa.ts';

const factorKeys = { all: ['mfa-factors'] as const };

export function useTotpFactors() {
  return useQuery({ queryKey: factorKeys.all, queryFn: listTotpFactors });
}

/**
 * Starts an enrolment. Unverified factors left by an abandoned attempt are removed first: the
 * auth server refuses a second factor with the same friendly name.
 */
export function useStartTotpEnrolment(friendlyName: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const enrolment = await startTotpEnrolment(friendlyName);
      if ('error' in enrolment) throw new Error(enrolment.error);
      return enrolment;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: factorKeys.all }),
  });
}

export function useVerifyTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ factorId, code }: { factorId: string; code: string }) => {
      const result = await verifyTotp(factorId, code);
      if (!result.ok) throw new Error(result.messageKey);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: factorKeys.all }),
  });
}

export function useRemoveFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (factorId: string) => {
      const result = await removeFactor(factorId);
      if (!result.ok) throw new Error(result.messageKey);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: factorKeys.all }),
  });
}
