import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/testing/render.tsx';

import { countStaleRateOrders } from '../api/stale-rates.ts';
import { StaleRateFootnote } from './stale-rate-footnote.tsx';

// The count comes from public.orders_with_stale_rates (RLS, the caller's orders); swapped here.
vi.mock(import('../api/stale-rates.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const countStaleRateOrders = vi.fn();
  return {
    ...actual,
    countStaleRateOrders,
    staleRateOrdersOptions: withRequest(actual.staleRateOrdersOptions, countStaleRateOrders),
  };
});

describe('StaleRateFootnote', () => {
  it('says how many of the period’s orders used a stale rate', async () => {
    vi.mocked(countStaleRateOrders).mockResolvedValue(3);
    renderWithProviders(<StaleRateFootnote from="2026-01-01" to="2026-03-31" timeZone="Europe/Madrid" />);
    expect(await screen.findByRole('note')).toHaveTextContent(
      '3 orders in this period were converted to the base currency with an exchange rate more than 3 days older than the order',
    );
  });

  it('shows nothing when every order had a current rate', async () => {
    vi.mocked(countStaleRateOrders).mockResolvedValue(0);
    renderWithProviders(<StaleRateFootnote from="2026-01-01" to="2026-03-31" timeZone="Europe/Madrid" />);
    await vi.waitFor(() => expect(countStaleRateOrders).toHaveBeenCalled());
    expect(screen.queryByRole('note')).toBeNull();
  });
});
