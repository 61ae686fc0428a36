import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import type { Viewer } from '@/lib/viewer.ts';
import { renderWithProviders, testViewer } from '@/testing/render.tsx';

import { fetchConsents, fetchCustomer, type Customer } from '../api/customer.ts';
import { Customer360Page } from './customer-360-page.tsx';

// Data comes from mocked api modules; the real queries, RLS and realtime are exercised against
// the local stack by scripts/e2e/customer-360.test.ts.
// The module's options factories call its own fetchers: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/customer.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchCustomer = vi.fn();
  const fetchConsents = vi.fn();
  return {
    ...actual,
    fetchCustomer,
    fetchConsents,
    customerOptions: withRequest(actual.customerOptions, fetchCustomer),
    consentsOptions: withRequest(actual.consentsOptions, fetchConsents),
  };
});
// Shared lists: their options factories, with the requests swapped (src/testing/mock-query.ts).
const fetchCustomFields = vi.hoisted(() => vi.fn());
const fetchTags = vi.hoisted(() => vi.fn());
vi.mock(import('@/api/custom-fields.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, customFieldsOptions: withRequest(actual.customFieldsOptions, fetchCustomFields) };
});
vi.mock(import('@/api/tags.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, tagsOptions: withRequest(actual.tagsOptions, fetchTags) };
});
// Amounts are shown in the base currency, a shared query: it answers 'EUR' at once.
vi.mock(import('@/api/workspace.ts'), async (original) =>
  (await import('@/testing/mock-query.ts')).withBaseCurrency(await original()),
);
vi.mock('../hooks/use-customer-realtime.ts', () => ({ useCustomerRealtime: vi.fn() }));

const CUSTOMER: Customer = {
  id: 'c-1',
  first_name: 'Charlotte',
  last_name: 'Anderson',
  full_name: 'Charlotte Anderson',
  email: 'charlotte@example.com',
  phone: '+61279360649',
  company: null,
  country: 'AU',
  region: 'QLD',
  city: 'Brisbane',
  postal_code: '4000',
  timezone: 'Australia/Sydney',
  language: 'en',
  currency: 'USD',
  status: 'vip',
  lifecycle_stage: 'repeat',
  owner_id: 'u-agent',
  style_interests: ['sustainable'],
  favourite_brands: ['Vela'],
  custom_fields: { loyalty_tier: 'gold' },
  source: 'shopify',
  lifetime_value: 3159.92,
  order_count: 13,
  average_order_value: 243.07,
  first_order_at: null,
  last_order_at: null,
  created_at: '2025-01-01T00:00:00Z',
  owner: { full_name: 'Alba Agent' },
  stage: { label: 'Repeat customer' },
  customer_tags: [{ tag: { id: 't-1', name: 'Wholesale', colour: '#2563eb' } }],
};

const manager = testViewer({ userId: 'u-manager', role: 'manager' });
const readonly = testViewer({ userId: 'u-reader', role: 'readonly' });

function renderPage(viewer: Viewer, path = '/customers/c-1') {
  return renderWithProviders(<Customer360Page customerId="c-1" orders={<p>Orders of this customer</p>} />, {
    path,
    route: '/customers/:customerId',
    viewer,
  });
}

describe('Customer360Page', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'UTC', language: 'en' });
    vi.mocked(fetchCustomer).mockResolvedValue(CUSTOMER);
    vi.mocked(fetchConsents).mockResolvedValue([
      {
        channel: 'email',
        purpose: 'marketing',
        status: 'granted',
        granted: true,
        since: '2025-06-22T10:00:00Z',
        source: 'portal',
      },
    ]);
    fetchCustomFields.mockResolvedValue([{ key: 'loyalty_tier', label: 'Loyalty tier', type: 'select', position: 1 }]);
    fetchTags.mockResolvedValue([{ id: 't-1', name: 'Wholesale', colour: '#2563eb' }]);
  });

  it('shows the name as the page heading, the status, stage, owner and figures in the base currency', async () => {
    renderPage(manager);
    expect(await screen.findByRole('heading', { level: 1, name: 'Charlotte Anderson' })).toBeInTheDocument();
    expect(screen.getByText('VIP')).toBeInTheDocument();
    expect(screen.getByText('Repeat customer')).toBeInTheDocument();
    expect(screen.getByText('Alba Agent')).toBeInTheDocument();
    const figures = screen.getByRole('group', { name: 'Key figures' });
    expect(await within(figures).findByText('€3,159.92')).toBeInTheDocument();
    expect(figures).toHaveTextContent('Orders13');
    expect(figures).toHaveTextContent('Average order€243.07');
    expect(screen.getByText(/Australia\/Sydney/)).toBeInTheDocument();
  });

  it('offers notes, calls, tasks and tag editing to a manager', async () => {
    renderPage(manager);
    const actions = await screen.findByRole('group', { name: 'Customer actions' });
    expect(within(actions).getByRole('button', { name: 'Add note' })).toBeInTheDocument();
    expect(within(actions).getByRole('button', { name: 'Log call' })).toBeInTheDocument();
    expect(within(actions).getByRole('button', { name: 'Create task' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove tag Wholesale' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Add tag' })).toBeInTheDocument();
  });

  it('offers no edit action to a read-only member, but still shows everything', async () => {
    renderPage(readonly);
    await screen.findByRole('heading', { level: 1, name: 'Charlotte Anderson' });
    expect(screen.queryByRole('group', { name: 'Customer actions' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Add note|Log call|Create task/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove tag Wholesale' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Add tag' })).not.toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Tags' })).toHaveTextContent('Wholesale');
    expect(await screen.findByText('Loyalty tier')).toBeInTheDocument();
    expect(screen.getByText('gold')).toBeInTheDocument();
    expect(await screen.findByText('Granted')).toBeInTheDocument();
  });

  it('opens on the tab named in the URL and writes the chosen tab back to it', async () => {
    const { user } = renderPage(manager, '/customers/c-1?tab=orders');
    const orders = await screen.findByRole('tab', { name: 'Orders' });
    expect(orders).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel', { name: 'Orders' })).toHaveTextContent('Orders of this customer');

    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/customers\/c-1$/);
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Favourites' })).toHaveFocus();
    expect(screen.getByTestId('location')).toHaveTextContent('/customers/c-1?tab=favourites');
  });

  it('says plainly when the customer cannot be shown (RLS returns nothing)', async () => {
    vi.mocked(fetchCustomer).mockResolvedValue(null);
    renderPage(testViewer({ userId: 'u-agent2', role: 'agent' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Customer not available' })).toBeInTheDocument();
    expect(screen.getByText(/Agents see only the customers they own/)).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'Back to customers' })[0]).toHaveAttribute('href', '/customers');
  });

  it('explains a failed load and offers to try again', async () => {
    vi.mocked(fetchCustomer).mockRejectedValue(new Error('boom'));
    const { user } = renderPage(manager);
    expect(await screen.findByRole('alert')).toHaveTextContent('This customer could not be loaded.');
    vi.mocked(fetchCustomer).mockResolvedValue(CUSTOMER);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Charlotte Anderson' })).toBeInTheDocument();
  });
});
