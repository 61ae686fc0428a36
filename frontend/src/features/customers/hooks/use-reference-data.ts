import { useQuery } from '@tanstack/react-query';

import { fetchBaseCurrency, fetchReferenceData, referenceKeys } from '../api/reference-data.ts';

/** Filter and form choices; they change rarely, so they are kept for ten minutes. */
export function useReferenceData() {
  return useQuery({ queryKey: referenceKeys.all, queryFn: fetchReferenceData, staleTime: 10 * 60_000 });
}

export function useBaseCurrency() {
  return useQuery({ queryKey: referenceKeys.baseCurrency, queryFn: fetchBaseCurrency, staleTime: 10 * 60_000 });
}
