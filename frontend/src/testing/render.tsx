import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';

import { Toaster } from '@/components/ui/toaster.tsx';
import { createQueryClient } from '@/lib/query-client.ts';
import { ViewerContext, type Viewer } from '@/lib/viewer.ts';

/** Where the router is now, printed into the page so tests can assert on the URL. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/** A signed-in member for tests: an admin unless told otherwise. */
export function testViewer(overrides: Partial<Viewer> = {}): Viewer {
  return {
    userId: 'u-viewer',
    email: 'viewer@example.com',
    fullName: 'Vera Viewer',
    avatarUrl: null,
    role: 'admin',
    timeZone: 'Europe/Berlin',
    language: 'en',
    ...overrides,
  };
}

/**
 * Renders with a fresh query cache (no retries, so errors show at once), a router at `path` and
 * the signed-in `viewer` the app shell would provide (useViewer).
 */
export function renderWithProviders(
  ui: ReactElement,
  { path = '/', route = '*', viewer = testViewer() }: { path?: string; route?: string; viewer?: Viewer } = {},
) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <ViewerContext.Provider value={viewer}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={ui} />
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </ViewerContext.Provider>
    </QueryClientProvider>,
  );
  return { ...result, user, queryClient };
}

/**
 * Renders `ui` beside the toaster, with the app's own query client (createQueryClient), for
 * components that report through toasts and need no router or viewer.
 */
export function renderWithToasts(ui: ReactElement) {
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={createQueryClient()}>
      {ui}
      <Toaster />
    </QueryClientProvider>,
  );
  return { ...result, user };
}
