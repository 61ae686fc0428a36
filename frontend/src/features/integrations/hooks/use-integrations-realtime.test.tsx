import { QueryClientProvider } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client.ts';

import { useIntegrationsRealtime } from './use-integrations-realtime.ts';

type Handler = (message: { payload?: Record<string, unknown> }) => void;
const handlers: Array<{ type: string; filter: Record<string, unknown>; handler: Handler }> = [];

// Only the socket is swapped: the hook's subscriptions are recorded and called by hand.
vi.mock(import('@/lib/supabase.ts'), async (original) => {
  const actual = await original();
  const channel = {
    on(type: string, filter: Record<string, unknown>, handler: Handler) {
      handlers.push({ type, filter, handler });
      return channel;
    },
    subscribe: () => channel,
  };
  return {
    ...actual,
    supabase: Object.assign(Object.create(actual.supabase) as typeof actual.supabase, {
      channel: () => channel,
      removeChannel: vi.fn(),
    }),
  };
});

describe('useIntegrationsRealtime', () => {
  beforeEach(() => {
    handlers.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('refetches a shop’s delivery figures on the database’s `deliveries` signal, and again 2.5 s later', () => {
    const client = createQueryClient();
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    renderHook(() => useIntegrationsRealtime(), { wrapper });
    const signal = handlers.find((h) => h.type === 'broadcast' && h.filter.event === 'deliveries');
    expect(signal).toBeDefined();
    signal?.handler({ payload: { shop_id: 'shop-1' } });
    const asked = () => invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    expect(asked()).toEqual([expect.arrayContaining(['deliveries', 'shop-1'])]);
    vi.advanceTimersByTime(2500);
    expect(asked()).toHaveLength(2);
    expect(asked()[1]).toEqual(expect.arrayContaining(['deliveries', 'shop-1']));
  });
});
