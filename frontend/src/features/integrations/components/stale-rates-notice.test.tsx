import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchRateStatus } from '../api/exchange-rates.ts';
import { StaleRatesNotice } from './stale-rates-notice.tsx';

// The options factory calls its own module's fetcher: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/exchange-rates.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchRateStatus = vi.fn();
  return { ...actual, fetchRateStatus, rateStatusOptions: withRequest(actual.rateStatusOptions, fetchRateStatus) };
});

function renderNotice() {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <StaleRatesNotice />
    </QueryClientProvider>,
  );
}

describe('StaleRatesNotice', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
  });

  it('names each order currency whose newest rate is stale, with its day and age', async () => {
    vi.mocked(fetchRateStatus).mockResolvedValue([
      { currency: 'USD', latest_rate_date: '2026-11-30', age_days: 7, stale: true },
      { currency: 'GBP', latest_rate_date: '2026-12-06', age_days: 1, stale: false },
      { currency: 'CNY', latest_rate_date: null, age_days: null, stale: true },
    ]);
    renderNotice();
    const notice = await screen.findByRole('status');
    expect(within(notice).getByText('Exchange rates are out of date')).toBeInTheDocument();
    const items = within(notice).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'USD: newest rate from Nov 30, 2026 (7 days old)',
      'CNY: no rate at all',
    ]);
    expect(notice).not.toHaveTextContent('GBP');
  });

  it('says nothing when every rate is fresh', async () => {
    vi.mocked(fetchRateStatus).mockResolvedValue([
      { currency: 'USD', latest_rate_date: '2026-12-06', age_days: 1, stale: false },
    ]);
    const { container } = renderNotice();
    await vi.waitFor(() => expect(fetchRateStatus).toHaveBeenCalled());
    expect(container).toBeEmptyDOMElement();
  });
});
