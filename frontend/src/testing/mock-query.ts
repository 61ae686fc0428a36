import { vi, type Mock } from 'vitest';

import type * as workspaceApi from '@/api/workspace.ts';

/** What TanStack Query hands a query function; `extra` picks what the fetcher also takes. */
interface QueryContext {
  signal: AbortSignal;
  pageParam?: unknown;
}

/**
 * For `vi.mock` of an api module: one of its query options factories, with the request swapped
 * for the test's mock. A factory calls its own module's fetcher, which mocking the export cannot
 * reach, so the factory is what a test replaces:
 *
 *   const fetchTags = vi.hoisted(() => vi.fn());
 *   vi.mock(import('@/api/tags.ts'), async (original) => {
 *     const actual = await original();
 *     const { withRequest } = await import('@/testing/mock-query.ts');
 *     return { ...actual, fetchTags, tagsOptions: withRequest(actual.tagsOptions, fetchTags) };
 *   });
 *
 * The mock is called with the factory's arguments, then with what `extra` takes from the query
 * context: `({ pageParam }) => [pageParam]` for a page of an infinite query, `({ signal }) =>
 * [signal]` for a request that can be cancelled.
 */
export function withRequest<A extends unknown[], O extends object>(
  factory: (...args: A) => O,
  request: Mock,
  extra: (context: QueryContext) => unknown[] = () => [],
): (...args: A) => O {
  return (...args) => ({
    ...factory(...args),
    queryFn: (context: QueryContext) => request(...args, ...extra(context)),
  });
}

/** `@/api/workspace.ts` for a screen that shows amounts: the base currency answers at once. */
export function withBaseCurrency(actual: typeof workspaceApi, currency = 'EUR'): typeof workspaceApi {
  return {
    ...actual,
    baseCurrencyOptions: withRequest(
      actual.baseCurrencyOptions,
      vi.fn(async () => currency),
    ),
  };
}
