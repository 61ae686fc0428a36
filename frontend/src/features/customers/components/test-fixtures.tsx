/** Shared fixtures for this feature's component tests: reference data, rows and a rendered screen. */
import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';

import { customFieldsOptions } from '@/api/custom-fields.ts';
import { countriesOptions, currenciesOptions, languagesOptions, stagesOptions } from '@/api/reference.ts';
import { tagsOptions } from '@/api/tags.ts';
import { teamMemberNamesOptions } from '@/api/team-members.ts';
import { baseCurrencyOptions } from '@/api/workspace.ts';
import { Toaster } from '@/components/ui/toaster.tsx';
import type { TeamRole } from '@/lib/permissions.ts';
import { ViewerContext } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { testViewer } from '@/testing/render.tsx';

import type { CustomerRow } from '../api/customers.ts';
import type { ReferenceData } from '../hooks/use-reference-data.ts';

export const ADA = 'a0000000-0000-4000-8000-000000000001';
export const ALBA = 'a0000000-0000-4000-8000-000000000003';
export const VIP_TAG = '4f16ab37-6490-4c49-b252-4f185dcc8953';

export const reference: ReferenceData = {
  countries: [
    { code: 'DE', name: 'Germany' },
    { code: 'FR', name: 'France' },
  ],
  currencies: [
    { code: 'EUR', name: 'Euro' },
    { code: 'USD', name: 'US Dollar' },
  ],
  languages: [
    { code: 'de', name: 'German' },
    { code: 'en', name: 'English' },
  ],
  stages: [
    { key: 'prospect', label: 'Prospect', position: 10 },
    { key: 'vip', label: 'VIP', position: 50 },
  ],
  tags: [{ id: VIP_TAG, name: 'VIP', colour: '#64748b' }],
  team: [
    { user_id: ADA, full_name: 'Ada Admin', role: 'admin', active: true },
    { user_id: ALBA, full_name: 'Alba Agent', role: 'agent', active: true },
  ],
  customFields: [
    {
      id: 'f0000000-0000-4000-8000-000000000001',
      key: 'loyalty_tier',
      label: 'Loyalty tier',
      type: 'select',
      options: ['bronze', 'gold'],
      required: false,
      help_text: null,
      position: 1,
      active: true,
    },
    {
      id: 'f0000000-0000-4000-8000-000000000002',
      key: 'birthday',
      label: 'Birthday',
      type: 'date',
      options: [],
      required: false,
      help_text: 'For the birthday email',
      position: 2,
      active: true,
    },
  ],
};

export function customerRow(overrides: Partial<CustomerRow> = {}): CustomerRow {
  return {
    id: '6f1c3a52-8d0e-4d7b-9a51-2c5f0e9b1d44',
    full_name: 'Leon Fischer',
    email: 'leon@example.com',
    phone: null,
    company: null,
    country: 'DE',
    city: 'Berlin',
    status: 'vip',
    lifecycle_stage: 'vip',
    owner_id: ALBA,
    owner_name: 'Alba Agent',
    lifetime_value: 1234.5,
    order_count: 7,
    last_order_at: '2026-11-20T10:00:00Z',
    created_at: '2026-01-05T10:00:00Z',
    tag_names: ['VIP'],
    ...overrides,
  };
}

export function renderWithCustomers(
  ui: ReactNode,
  { role = 'admin' as TeamRole, userId = ADA, path = '/customers' } = {},
) {
  usePreferencesStore.getState().setPreferences({ language: 'en', timeZone: 'Europe/Berlin' });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // The shared lists (src/api) as the rest of the app would have cached them: fresh, never refetched.
  const seeded: Array<[QueryKey, unknown]> = [
    [countriesOptions().queryKey, reference.countries],
    [currenciesOptions().queryKey, reference.currencies],
    [languagesOptions().queryKey, reference.languages],
    [stagesOptions().queryKey, reference.stages],
    [tagsOptions().queryKey, reference.tags],
    [teamMemberNamesOptions().queryKey, reference.team],
    [customFieldsOptions().queryKey, reference.customFields],
    [baseCurrencyOptions().queryKey, 'EUR'],
  ];
  for (const [key, data] of seeded) {
    queryClient.setQueryDefaults(key, { staleTime: Infinity });
    queryClient.setQueryData(key, data);
  }
  const router = createMemoryRouter(
    [
      { path: '/customers', element: ui },
      { path: '/customers/:customerId', element: <h1>Customer page</h1> },
    ],
    { initialEntries: [path] },
  );
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={queryClient}>
      <ViewerContext.Provider value={testViewer({ userId, role })}>
        <RouterProvider router={router} />
      </ViewerContext.Provider>
      <Toaster />
    </QueryClientProvider>,
  );
  return { user, router, search: () => new URLSearchParams(router.state.location.search) };
}
