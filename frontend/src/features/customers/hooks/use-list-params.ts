import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

import { parseListParams, serializeListParams, type ListParams } from '../utils/list-params.ts';

/**
 * The list's state, read from and written to the URL, so back/forward, reloads and shared links
 * all show the same list. A change of search, filter or sort starts again from the first page;
 * typing replaces the history entry instead of adding one per keystroke.
 */
export function useListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => parseListParams(searchParams), [searchParams]);

  const update = useCallback(
    (changes: Partial<ListParams>, options: { replace?: boolean; keepPage?: boolean } = {}) => {
      setSearchParams(
        (current) => {
          const base = parseListParams(current);
          const next: ListParams = options.keepPage
            ? { ...base, ...changes }
            : { ...base, after: undefined, before: undefined, ...changes };
          return serializeListParams(next);
        },
        { replace: options.replace ?? false },
      );
    },
    [setSearchParams],
  );

  const replaceAll = useCallback((next: ListParams) => setSearchParams(serializeListParams(next)), [setSearchParams]);

  return { params, update, replaceAll };
}
