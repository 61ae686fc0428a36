import { useInfiniteQuery } from '@tanstack/react-query';

import { fetchTimelinePage, timelineKeys, type TimelineCursor } from '../api/timeline.ts';

/** The customer's feed, newest first; `fetchNextPage` loads older entries by keyset. */
export function useTimeline(customerId: string) {
  return useInfiniteQuery({
    queryKey: timelineKeys.all(customerId),
    queryFn: ({ pageParam }) => fetchTimelinePage(customerId, pageParam),
    initialPageParam: null as TimelineCursor | null,
    getNextPageParam: (page) => page.next,
  });
}
