import { useQuery } from '@tanstack/react-query';

import { fetchReferenceData, referenceKeys } from '../api/reference-data.ts';

/** Filter and form choices; they change rarely, so they are kept for ten minutes. */
export function useReferenceData() {
  return useQuery({ queryKey: referenceKeys.all, queryFn: fetchReferenceData, staleTime: 10 * 60_000 });
}
