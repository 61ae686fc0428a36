import { QueryClient } from '@tanstack/react-query';

/**
 * The one cache of server data (ADR 0003). Realtime events invalidate queries by key instead of
 * polling, so data is kept fresh for a while and not refetched on every window focus.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, refetchOnWindowFocus: false, retry: 1 },
      mutations: { retry: false },
    },
  });
}

export const queryClient = createQueryClient();
