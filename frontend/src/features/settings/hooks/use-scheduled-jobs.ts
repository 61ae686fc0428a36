import { useQuery } from '@tanstack/react-query';

import { jobHealthOptions } from '../api/scheduled-jobs.ts';

export function useJobHealth() {
  return useQuery(jobHealthOptions());
}
