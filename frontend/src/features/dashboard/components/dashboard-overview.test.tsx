import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client.ts';

import { fetchDashboardKpis, fetchRevenueByDay, type DashboardKpis, type RevenueDay } from '../api/dashboard.ts';
import { DashboardOverview } from './dashboard-overview.tsx';

// The api module is swapped so the screen renders without a server; the real SQL is checked
// against the local stack in scripts/e2e/dashboard.test.ts.
// The module's options factories call its own fetchers: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/dashboard.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchDashboardKpis = vi.fn();
  const fetchRevenueByDay = vi.fn();
  // The Monday view's panels answer at once with nothing (monday-view.test.tsx covers them).
  const nothing = vi.fn(async () => []);
  return {
    ...actual,
    fetchDashboardKpis,
    fetchRevenueByDay,
    dashboardKpisOptions: withRequest(actual.dashboardKpisOptions, fetchDashboardKpis),
    revenueByDayOptions: withRequest(actual.revenueByDayOptions, fetchRevenueByDay),
    weekFiguresOptions: withRequest(
      actual.weekFiguresOptions,
      vi.fn(async () => ({ revenue: 0, orders: 0, newCustomers: 0 })),
    ),
    revenueByCountryOptions: withRequest(actual.revenueByCountryOptions, nothing),
    weeklyGrowthOptions: withRequest(actual.weeklyGrowthOptions, nothing),
    atRiskOptions: withRequest(actual.atRiskOptions, nothing),
  };
});
// recharts measures its container, which jsdom cannot; the chart is covered in Chromium.
vi.mock('./revenue-chart.tsx', () => ({
  RevenueChart: ({ summary }: { summary: string }) => <div role="img" aria-label={summary} />,
}));

const kpis: DashboardKpis = {
  base_currency: 'EUR',
  customers: 3,
  new_customers_this_month: 1,
  new_customers_last_month: 2,
  orders_this_month: 2,
  orders_last_month: 1,
  revenue_this_month: 150,
  revenue_last_month: 80,
  average_order_value_this_month: 75,
};

function series(from: string, to: string, revenue: Record<string, number> = {}): RevenueDay[] {
  const days: RevenueDay[] = [];
  for (
    let day = new Date(`${from}T00:00:00Z`);
    day <= new Date(`${to}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    const iso = day.toISOString().slice(0, 10);
    days.push({ day: iso, revenue: revenue[iso] ?? 0, orders: revenue[iso] ? 1 : 0 });
  }
  return days;
}

function renderOverview(path = '/', scope: 'team' | 'own' = 'team') {
  const router = createMemoryRouter(
    [{ path: '/', element: <DashboardOverview timeZone="Europe/Berlin" scope={scope} /> }],
    {
      initialEntries: [path],
    },
  );
  render(
    <QueryClientProvider client={createQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, user: userEvent.setup() };
}

describe('DashboardOverview', () => {
  beforeEach(() => {
    // 23:30 UTC on 20 November is already the 21st in Berlin: the chart's last day is the viewer's today.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T23:30:00Z'));
    vi.mocked(fetchDashboardKpis).mockResolvedValue(kpis);
    vi.mocked(fetchRevenueByDay).mockImplementation(async ({ from, to }) =>
      series(from, to, { '2026-11-19': 100, '2026-11-21': 50 }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.mocked(fetchDashboardKpis).mockReset();
    vi.mocked(fetchRevenueByDay).mockReset();
  });

  it('shows skeleton cards with a status while loading, then the figures', async () => {
    renderOverview();
    expect(screen.getByRole('status', { name: 'Loading key figures…' })).toBeInTheDocument();
    expect(await screen.findByRole('group', { name: 'Revenue this month' })).toHaveTextContent('€150.00');
    expect(fetchDashboardKpis).toHaveBeenCalledWith('Europe/Berlin');
  });

  it("asks for the viewer's last 30 days and says what the chart shows", async () => {
    renderOverview();
    const chart = await screen.findByRole('img', { name: /^From Oct 23, 2026 to Nov 21, 2026/ });
    expect(fetchRevenueByDay).toHaveBeenCalledWith({ from: '2026-10-23', to: '2026-11-21', timeZone: 'Europe/Berlin' });
    expect(chart).toHaveAccessibleName(
      'From Oct 23, 2026 to Nov 21, 2026: €150.00 in revenue, orders: 2. Best day: Nov 19, 2026, with €100.00.',
    );
  });

  it('switches the range with the radio group, kept in the URL', async () => {
    const { user, router } = renderOverview();
    const ninety = await screen.findByRole('radio', { name: '90 days' });
    expect(screen.getByRole('radio', { name: '30 days' })).toBeChecked();
    await user.click(ninety);
    expect(router.state.location.search).toBe('?range=90');
    expect(await screen.findByRole('img', { name: /^From Aug 24, 2026 to Nov 21, 2026/ })).toBeInTheDocument();
    expect(ninety).toBeChecked();
  });

  it('opens the chart as a table, newest day first', async () => {
    const { user } = renderOverview('/?range=365');
    const toggle = await screen.findByRole('button', { name: 'Show as a table' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('table', { name: /^Revenue by day from Nov 22, 2025 to Nov 21, 2026/ });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(366);
    expect(within(rows[1]).getByRole('rowheader')).toHaveTextContent('Nov 21, 2026');
    expect(rows[1]).toHaveTextContent('€50.00');
    await user.click(screen.getByRole('button', { name: 'Hide the table' }));
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when the range had no revenue at all', async () => {
    vi.mocked(fetchRevenueByDay).mockImplementation(async ({ from, to }) => series(from, to));
    renderOverview();
    expect(await screen.findByText('No revenue between Oct 23, 2026 and Nov 21, 2026.')).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('welcomes a new workspace with an empty state instead of zeros', async () => {
    vi.mocked(fetchDashboardKpis).mockResolvedValue({
      ...kpis,
      customers: 0,
      new_customers_this_month: 0,
      new_customers_last_month: 0,
      orders_this_month: 0,
      orders_last_month: 0,
      revenue_this_month: 0,
      revenue_last_month: 0,
      average_order_value_this_month: 0,
    });
    renderOverview();
    expect(await screen.findByRole('heading', { name: 'No figures yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to customers' })).toHaveAttribute('href', '/customers');
    expect(fetchRevenueByDay).not.toHaveBeenCalled();
  });

  it('tells an agent with no customers yet that figures follow their assigned customers', async () => {
    vi.mocked(fetchDashboardKpis).mockResolvedValue({
      ...kpis,
      customers: 0,
      new_customers_this_month: 0,
      orders_this_month: 0,
      orders_last_month: 0,
    });
    renderOverview('/', 'own');
    expect(await screen.findByText(/once customers are assigned to you/)).toBeInTheDocument();
  });

  it('explains a failure in words and retries', async () => {
    vi.mocked(fetchDashboardKpis).mockRejectedValue(new Error('JWT expired'));
    const { user } = renderOverview();
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('The figures could not be loaded');
    expect(alert).not.toHaveTextContent('JWT');
    vi.mocked(fetchDashboardKpis).mockResolvedValue(kpis);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('group', { name: 'Customers' })).toHaveTextContent('3');
  });
});
