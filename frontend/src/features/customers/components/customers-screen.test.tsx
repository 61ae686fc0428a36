import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { fetchCustomerPage, type CustomerPage } from '../api/customers.ts';
import { exportCustomersCsv } from '../api/export.ts';
import { fetchSavedViews } from '../api/saved-views.ts';
import { downloadCsv } from '../utils/csv.ts';

import { CustomersScreen } from './customers-screen.tsx';
import { ALBA, customerRow, renderWithCustomers } from './test-fixtures.tsx';

// The api modules are swapped so the screen renders without a server; the real queries run
// against the local stack in scripts/e2e/customers.test.ts. The list's options factory
// calls its own module's fetcher, so it is swapped too (src/testing/mock-query.ts); the shared
// lists are seeded by renderWithCustomers.
const mockedFetchCustomerPage = vi.hoisted(() => vi.fn());
vi.mock(import('../api/customers.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    fetchCustomerPage: mockedFetchCustomerPage,
    customerListOptions: withRequest(actual.customerListOptions, mockedFetchCustomerPage),
  };
});
vi.mock(import('../api/saved-views.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchSavedViews = vi.fn();
  return { ...actual, fetchSavedViews, savedViewsOptions: withRequest(actual.savedViewsOptions, fetchSavedViews) };
});
vi.mock(import('../api/export.ts'), async (original) => ({ ...(await original()), exportCustomersCsv: vi.fn() }));
vi.mock(import('../utils/csv.ts'), async (original) => ({ ...(await original()), downloadCsv: vi.fn() }));

const page = (overrides: Partial<CustomerPage> = {}): CustomerPage => ({
  rows: [
    customerRow(),
    customerRow({
      id: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081',
      full_name: 'Mia Weber',
      owner_id: null,
      owner_name: null,
      status: 'active',
    }),
  ],
  hasPrevious: false,
  hasNext: true,
  total: 2,
  ...overrides,
});

beforeEach(() => {
  vi.mocked(fetchCustomerPage).mockReset().mockResolvedValue(page());
  vi.mocked(fetchSavedViews).mockReset().mockResolvedValue([]);
});

describe('CustomersScreen', () => {
  it('lists customers with money in the base currency, linking each name to its page', async () => {
    const { user, router } = renderWithCustomers(<CustomersScreen />);
    const table = await screen.findByRole('table');
    const leon = within(table).getByRole('row', { name: /Leon Fischer/ });
    expect(within(leon).getByText('€1,234.50')).toBeInTheDocument();
    expect(within(leon).getByText('VIP', { selector: '.badge-vip' })).toBeInTheDocument();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('About 2 customers');
    await user.click(within(leon).getByRole('link', { name: 'Leon Fischer' }));
    expect(router.state.location.pathname).toBe('/customers/6f1c3a52-8d0e-4d7b-9a51-2c5f0e9b1d44');
  });

  it('keeps filters and sort in the URL and queries with them', async () => {
    const { user, search } = renderWithCustomers(<CustomersScreen />);
    await screen.findByRole('table');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'vip');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Country' }), 'DE');
    expect(search().get('status')).toBe('vip');
    expect(search().get('country')).toBe('DE');
    await waitFor(() =>
      expect(fetchCustomerPage).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'vip', country: 'DE' }), {}),
    );

    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader).not.toHaveAttribute('aria-sort');
    await user.click(within(nameHeader).getByRole('button', { name: /Name/ }));
    expect(search().get('sort')).toBe('name');
    expect(screen.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  });

  it('searches once typing pauses, and pages forward with a keyset cursor', async () => {
    const { user, search } = renderWithCustomers(<CustomersScreen />);
    await screen.findByRole('table');
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'leon');
    await waitFor(() => expect(fetchCustomerPage).toHaveBeenLastCalledWith(expect.objectContaining({ q: 'leon' }), {}));
    expect(search().get('q')).toBe('leon');
    expect(fetchCustomerPage).not.toHaveBeenCalledWith(expect.objectContaining({ q: 'leo' }), expect.anything());

    await user.click(screen.getByRole('button', { name: 'Next' }));
    // The last row's sort value (lifetime value) and id: the next page starts after it.
    expect(JSON.parse(search().get('after') ?? 'null')).toEqual([1234.5, '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081']);
    expect(search().get('q')).toBe('leon');
  });

  it('says when there are no customers at all, and offers to add one', async () => {
    vi.mocked(fetchCustomerPage).mockResolvedValue(page({ rows: [], hasNext: false, total: 0 }));
    renderWithCustomers(<CustomersScreen />);
    expect(await screen.findByRole('heading', { name: 'No customers yet' })).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /New customer/ }).length).toBeGreaterThan(0);
  });

  it('tells a filtered list with no match apart, with a way out', async () => {
    vi.mocked(fetchCustomerPage).mockResolvedValue(page({ rows: [], hasNext: false, total: 0 }));
    const { user, search } = renderWithCustomers(<CustomersScreen />, { path: '/customers?status=blocked' });
    const empty = await screen.findByRole('region', { name: 'No customers match' });
    await user.click(within(empty).getByRole('button', { name: 'Clear filters' }));
    expect(search().toString()).toBe('');
  });

  it('shows an error a person understands, and retries', async () => {
    vi.mocked(fetchCustomerPage).mockRejectedValueOnce(new Error('boom'));
    const { user } = renderWithCustomers(<CustomersScreen />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The customers could not be loaded');
    expect(alert).not.toHaveTextContent('boom');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  it('replaces the previous page with the error when a filter change fails', async () => {
    const { user } = renderWithCustomers(<CustomersScreen />);
    await screen.findByRole('table');
    vi.mocked(fetchCustomerPage).mockRejectedValue(new Error('timeout'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'blocked');
    expect(await screen.findByRole('alert')).toHaveTextContent('The customers could not be loaded');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('exports through the database with the list’s filters and the labels in the member’s language', async () => {
    vi.mocked(exportCustomersCsv).mockReset().mockResolvedValue({ csv: 'id\r\n', rowCount: 7, capped: false });
    const { user } = renderWithCustomers(<CustomersScreen />, { path: '/customers?status=vip&sort=name' });
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Exported 7 customers')).toBeInTheDocument();
    expect(exportCustomersCsv).toHaveBeenCalledWith({
      filters: { status: 'vip', sort: 'name' },
      labels: {
        headers: expect.objectContaining({ id: 'ID', lifetimeValue: 'Lifetime value' }),
        status: expect.objectContaining({ vip: 'VIP', blocked: 'Blocked' }),
        stages: { prospect: 'Prospect', vip: 'VIP' },
      },
    });
    expect(downloadCsv).toHaveBeenCalledWith(
      'id\r\n',
      expect.stringMatching(/^customers-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/),
    );
  });

  it('offers readonly members no edits: no new customer, no edit buttons, only export for a selection', async () => {
    const { user } = renderWithCustomers(<CustomersScreen />, { role: 'readonly' });
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: /New customer/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Edit / })).not.toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Select Leon Fischer' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).getByText('1 selected')).toBeInTheDocument();
    expect(within(bulk).getByRole('button', { name: /Export selected/ })).toBeInTheDocument();
    expect(within(bulk).queryByRole('combobox')).not.toBeInTheDocument();
  });

  it('gives agents their own customers only: scoped query, no owner filter, no assigning', async () => {
    const { user } = renderWithCustomers(<CustomersScreen />, { role: 'agent', userId: ALBA });
    await screen.findByRole('table');
    expect(fetchCustomerPage).toHaveBeenCalledWith(expect.anything(), { ownerOnly: ALBA });
    expect(screen.queryByRole('combobox', { name: 'Owner' })).not.toBeInTheDocument();
    // Edit is offered on their own customer only.
    expect(screen.getByRole('button', { name: 'Edit Leon Fischer' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit Mia Weber' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Select all customers on this page' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).getByText('2 selected')).toBeInTheDocument();
    expect(within(bulk).getByRole('combobox', { name: 'Add tag' })).toBeInTheDocument();
    expect(within(bulk).queryByRole('combobox', { name: 'Assign to' })).not.toBeInTheDocument();
  });
});
