import type { Mock } from 'vitest';

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
 */
export function withRequest<A extends unknown[], O extends object>(
  factory: (...args: A) => O,
  request: Mock,
): (...args: A) => O {
  return (...args) => ({ ...factory(...args), queryFn: () => request(...args) });
}
