import { useInfiniteQuery } from '@tanstack/react-query';

import { timelineOptions } from '../api/timeline.ts';

/** The customer's feed, newest first; `fetchNextPage` loads older entries by keyset. */
export function useTimeline(customerId: string) {
  return useInfiniteQuery(timelineOptions(customerId));
}
