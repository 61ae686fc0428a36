import { useQuery } from '@tanstack/react-query';

import { fetchJobHealth, scheduledJobKeys } from '../api/scheduled-jobs.ts';

/** The health of every scheduled job (read when the page opens; the cache keeps it a minute). */
export function useJobHealth() {
  return useQuery({ queryKey: scheduledJobKeys.health, queryFn: fetchJobHealth });
}
