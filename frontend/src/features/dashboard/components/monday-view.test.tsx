import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { renderWithProviders } from '@/testing/render.tsx';

import { fetchAtRisk, fetchRevenueByCountry, fetchWeekFigures, fetchWeeklyGrowth } from '../api/dashboard.ts';
import { MondayView } from './monday-view.tsx';

// The network is swapped; the reports' SQL (and agent = admin restricted) is tested against the
// stack in supabase/tests/database/reports.test.ts.
vi.mock(import('../api/dashboard.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchWeekFigures = vi.fn();
  const fetchRevenueByCountry = vi.fn();
  const fetchWeeklyGrowth = vi.fn();
  const fetchAtRisk = vi.fn();
  return {
    ...actual,
    fetchWeekFigures,
    fetchRevenueByCountry,
    fetchWeeklyGrowth,
    fetchAtRisk,
    weekFiguresOptions: withRequest(actual.weekFiguresOptions, fetchWeekFigures),
    revenueByCountryOptions: withRequest(actual.revenueByCountryOptions, fetchRevenueByCountry),
    weeklyGrowthOptions: withRequest(actual.weeklyGrowthOptions, fetchWeeklyGrowth),
    atRiskOptions: withRequest(actual.atRiskOptions, fetchAtRisk),
  };
});

const view = () => <MondayView timeZone="Europe/Berlin" language="en" currency="EUR" />;

describe('MondayView', () => {
  beforeEach(() => {
    // Monday 23 November 2026, 08:00 in Berlin.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-23T07:00:00Z'));
    vi.mocked(fetchWeekFigures).mockImplementation(async (range) =>
      range.from === '2026-11-17'
        ? { revenue: 300, orders: 3, newCustomers: 4 }
        : { revenue: 200, orders: 4, newCustomers: 0 },
    );
    vi.mocked(fetchRevenueByCountry).mockResolvedValue([
      { country: 'DE', orders: 3, revenue: 250 },
      { country: 'FR', orders: 1, revenue: 50 },
    ]);
    vi.mocked(fetchWeeklyGrowth).mockResolvedValue([
      { period: '2026-11-16', country: 'DE', new_customers: 2 },
      { period: '2026-11-16', country: 'FR', new_customers: 1 },
    ]);
    vi.mocked(fetchAtRisk).mockResolvedValue([
      { customer_id: 'c-1', full_name: 'Rita Risk', lifetime_value: 900, churn_summary: 'no order for 400 days' },
    ]);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.resetAllMocks();
  });

  it('compares the last 7 days with the 7 before, ranks countries, counts weeks, lists who is at risk', async () => {
    renderWithProviders(view());
    const revenue = await screen.findByRole('group', { name: 'Revenue, last 7 days' });
    expect(revenue).toHaveTextContent('€300.00');
    expect(revenue).toHaveTextContent('+50% vs the 7 days before');
    expect(screen.getByRole('group', { name: 'Orders, last 7 days' })).toHaveTextContent('-25%');
    // Nothing the week before: no percentage, only the figure.
    expect(screen.getByRole('group', { name: 'New customers, last 7 days' })).not.toHaveTextContent('%');
    expect(fetchWeekFigures).toHaveBeenCalledWith({ from: '2026-11-17', to: '2026-11-23' }, 'Europe/Berlin');
    expect(fetchWeekFigures).toHaveBeenCalledWith({ from: '2026-11-10', to: '2026-11-16' }, 'Europe/Berlin');

    const countries = await screen.findByRole('list', { name: 'Revenue by country, last 30 days' });
    const [first, second] = within(countries).getAllByRole('listitem');
    expect(first).toHaveTextContent('DE€250.00');
    expect(second).toHaveTextContent('FR€50.00');
    expect(screen.getByRole('link', { name: 'Open the revenue report' })).toHaveAttribute(
      'href',
      '/analytics?report=revenue&from=2026-10-25&to=2026-11-23',
    );

    const weeks = await screen.findByRole('list', { name: 'New customers per week' });
    expect(within(weeks).getAllByRole('listitem')).toHaveLength(8);
    expect(weeks).toHaveTextContent('Week of 2026-11-16: 3 new');
    expect(fetchWeeklyGrowth).toHaveBeenCalledWith({ from: '2026-10-05', to: '2026-11-23' }, 'Europe/Berlin');

    expect(await screen.findByRole('link', { name: 'Rita Risk' })).toHaveAttribute('href', '/customers/c-1');
    expect(screen.getByText('no order for 400 days')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the churn report' })).toHaveAttribute(
      'href',
      '/analytics?report=churn',
    );
  });

  it('says when a panel has nothing, and when one fails — with Try again — while the others show', async () => {
    vi.mocked(fetchRevenueByCountry).mockResolvedValue([]);
    vi.mocked(fetchAtRisk).mockRejectedValueOnce(new Error('network down'));
    const { user } = renderWithProviders(view());
    expect(await screen.findByText('No purchases in the last 30 days.')).toBeInTheDocument();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This could not be loaded.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Rita Risk' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Revenue, last 7 days' })).toBeInTheDocument();
  });
});
