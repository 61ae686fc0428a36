import { useQuery } from '@tanstack/react-query';

import { MIN_QUERY_LENGTH, searchOptions } from '../api/search.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

export const SEARCH_DEBOUNCE_MS = 200;

/**
 * As-you-type search. The latest query always wins: each query has its own cache entry, an
 * outdated request is aborted, and until the new answer arrives the previous results stay on
 * screen (marked stale) instead of flashing empty.
 */
export function useGlobalSearch(input: string) {
  const query = useDebouncedValue(input.trim(), SEARCH_DEBOUNCE_MS);
  const enabled = query.length >= MIN_QUERY_LENGTH;
  const result = useQuery({ ...searchOptions(query), enabled });
  return {
    ...result,
    /** The query the results on screen belong to (debounced). */
    query,
    enabled,
    /** True while typing or fetching: what is on screen is not yet the answer to the input. */
    settling: input.trim() !== query || result.isFetching,
  };
}
