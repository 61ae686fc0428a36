import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/testing/render.tsx';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchReport } from '../api/reports.ts';
import { AnalyticsScreen } from './analytics-screen.tsx';

// Only the network is swapped; the reports' SQL runs against the stack in
// supabase/tests/database/reports.test.ts and scripts/e2e/analytics.test.ts.
vi.mock(import('../api/reports.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchReport = vi.fn();
  return { ...actual, fetchReport, reportOptions: withRequest(actual.reportOptions, fetchReport) };
});
// The revenue report's stale-rate footnote asks the server too (stale-rate-footnote.test.tsx).
vi.mock(import('../api/stale-rates.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    staleRateOrdersOptions: withRequest(actual.staleRateOrdersOptions, vi.fn().mockResolvedValue(0)),
  };
});
vi.mock(import('@/api/workspace.ts'), async (original) =>
  (await import('@/testing/mock-query.ts')).withBaseCurrency(await original()),
);
const fetchMock = vi.mocked(fetchReport);

describe('AnalyticsScreen', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'UTC', language: 'en' });
    fetchMock.mockReset();
  });

  it("never draws one report's rows as another's: from the churn list to the cohorts while they load", async () => {
    fetchMock.mockImplementation(async (fn: string) => {
      if (fn === 'report_churn') {
        return [{ full_name: 'Rita Risk', churn_risk: 'high', lifetime_value: 50, days_since_last_order: 400 }];
      }
      return new Promise(() => {}); // the cohorts are still computing
    });
    const { user } = renderWithProviders(<AnalyticsScreen />, { path: '/analytics?report=churn' });
    await screen.findByRole('cell', { name: 'Rita Risk' });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Report' }), 'cohorts');
    expect(await screen.findByRole('heading', { name: 'Cohorts', level: 2 })).toBeInTheDocument();
    expect(screen.getByText(/^Loading/)).toBeInTheDocument();
    expect(screen.queryByText('Rita Risk')).not.toBeInTheDocument();
  });

  it('says in words when a report takes too long, and offers to try again', async () => {
    fetchMock.mockRejectedValue({ code: '57014', message: 'canceling statement due to statement timeout' });
    renderWithProviders(<AnalyticsScreen />, { path: '/analytics?report=cohorts' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The report took too long to compute. Try a shorter range');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Cohorts', level: 2 })).toBeInTheDocument();
  });

  it('shows the campaigns report with its labels from the campaigns namespace', async () => {
    fetchMock.mockImplementation(async (fn: string) =>
      fn === 'report_campaign_performance'
        ? [
            {
              campaign_id: 'c1',
              campaign: 'Winter sale',
              sent: 120,
              delivered: 118,
              opened: 60,
              clicked: 12,
              attributed_orders: 3,
              attributed_revenue: 240,
            },
          ]
        : [],
    );
    renderWithProviders(<AnalyticsScreen />, { path: '/analytics?report=campaigns' });
    expect(await screen.findByRole('heading', { name: 'Campaigns', level: 2 })).toBeInTheDocument();
    expect(await screen.findByRole('cell', { name: 'Winter sale' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Campaign' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Delivered' })).toBeInTheDocument();
  });
});
