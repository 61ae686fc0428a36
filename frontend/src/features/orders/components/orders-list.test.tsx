import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchOrders, type OrderSummary } from '../api/orders.ts';
import { renderWithProviders } from '@/testing/render.tsx';
import { OrdersList } from './orders-list.tsx';

// Only the network is swapped; keyset paging, filters and RLS run against the local stack in
// scripts/e2e/orders.test.ts.
// The infinite query's factory calls the module's own fetcher: it is swapped too, a page at a time.
vi.mock(import('../api/orders.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchOrders = vi.fn();
  return {
    ...actual,
    fetchOrders,
    ordersOptions: withRequest(actual.ordersOptions, fetchOrders, ({ pageParam }) => [pageParam]),
  };
});
// Amounts are shown in the base currency, a shared query: it answers 'EUR' at once.
vi.mock(import('@/api/workspace.ts'), async (original) =>
  (await import('@/testing/mock-query.ts')).withBaseCurrency(await original()),
);
const fetchMock = vi.mocked(fetchOrders);

const order = (fields: Partial<OrderSummary>): OrderSummary => ({
  id: 'o-1',
  order_number: '#1001',
  placed_at: '2026-11-20T10:00:00Z',
  financial_status: 'paid',
  fulfillment_status: 'unfulfilled',
  cancelled_at: null,
  currency: 'EUR',
  total: 100,
  total_base: 100,
  refunded_total: 0,
  refunded_base: 0,
  exchange_rate_date: null,
  exchange_rate_stale: false,
  customer: { id: 'c-1', full_name: 'Noah Garcia', email: 'noah@example.com', company: null },
  ...fields,
});

describe('OrdersList', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'UTC', language: 'en' });
    fetchMock.mockReset();
    fetchMock.mockResolvedValue({
      orders: [
        order({}),
        order({ id: 'o-2', order_number: '#1002', currency: 'USD', total: 120, total_base: 110.4, customer: null }),
      ],
      next: null,
    });
  });

  it('lists orders with the base amount first, the original currency beside it, and links', async () => {
    renderWithProviders(<OrdersList />, { path: '/orders' });
    const table = await screen.findByRole('table', { name: 'Orders' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(within(first).getByRole('link', { name: '#1001' })).toHaveAttribute('href', '/orders/o-1');
    expect(within(first).getByRole('link', { name: 'Noah Garcia' })).toHaveAttribute('href', '/customers/c-1');
    expect(first).toHaveTextContent('€100.00');
    expect(first).not.toHaveTextContent('$');
    expect(second).toHaveTextContent('€110.40$120.00');
    expect(second).toHaveTextContent('No customer');
  });

  it('reads its filters from the URL and writes changes back to it', async () => {
    const { user } = renderWithProviders(<OrdersList />, { path: '/orders?status=refunded&sort=highest' });
    await screen.findByRole('table', { name: 'Orders' });
    expect(fetchMock).toHaveBeenLastCalledWith({ status: 'refunded', sort: 'highest', search: '' }, null);
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('refunded');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'cancelled');
    expect(screen.getByTestId('location')).toHaveTextContent('/orders?status=cancelled&sort=highest');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'newest');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/orders\?status=cancelled$/);

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'noah');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('q=noah'));
    await waitFor(() =>
      expect(fetchMock).toHaveBeenLastCalledWith({ status: 'cancelled', sort: 'newest', search: 'noah' }, null),
    );
  });

  it('tells an empty shop from a search with no results, and clears the filters', async () => {
    fetchMock.mockResolvedValue({ orders: [], next: null });
    const { user } = renderWithProviders(<OrdersList />, { path: '/orders?q=zzz' });
    expect(await screen.findByRole('heading', { name: 'No orders match' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('heading', { name: 'No orders yet' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/orders$/);
  });

  it('loads the next page by keyset when asked', async () => {
    fetchMock
      .mockResolvedValueOnce({ orders: [order({})], next: { value: '2026-11-20T10:00:00Z', id: 'o-1' } })
      .mockResolvedValueOnce({ orders: [order({ id: 'o-0', order_number: '#1000' })], next: null });
    const { user } = renderWithProviders(<OrdersList />, { path: '/orders' });
    await user.click(await screen.findByRole('button', { name: 'Show more orders' }));
    expect(await screen.findByRole('link', { name: '#1000' })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenLastCalledWith(
      { status: null, sort: 'newest', search: '' },
      { value: '2026-11-20T10:00:00Z', id: 'o-1' },
    );
    expect(screen.queryByRole('button', { name: 'Show more orders' })).not.toBeInTheDocument();
  });

  it('explains a failure and retries', async () => {
    fetchMock.mockRejectedValueOnce(new Error('offline'));
    const { user } = renderWithProviders(<OrdersList />, { path: '/orders' });
    expect(await screen.findByRole('alert')).toHaveTextContent('Orders could not be loaded.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Orders' })).toBeInTheDocument();
  });
});
