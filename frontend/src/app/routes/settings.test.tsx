import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { fetchTagUsage } from '@/features/settings/api/tags.ts';
import { createQueryClient } from '@/lib/query-client.ts';
import type { TeamRole } from '@/lib/permissions.ts';
import { ViewerContext } from '@/lib/viewer.ts';
import { testViewer } from '@/testing/render.tsx';

import { SettingsRoute } from './settings.tsx';

// The pages' data comes from the features' api modules, swapped here; the real calls run
// against the local stack in scripts/e2e/settings.test.ts.
const mockedFetchTagUsage = vi.hoisted(() => vi.fn());
vi.mock(import('@/features/settings/api/tags.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    fetchTagUsage: mockedFetchTagUsage,
    tagUsageOptions: withRequest(actual.tagUsageOptions, mockedFetchTagUsage),
  };
});

/** The route as the app shell shows it to a member with `role`. */
function renderAt(path: string, role: TeamRole) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ViewerContext.Provider value={testViewer({ role })}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/settings/*" element={<SettingsRoute />} />
          </Routes>
        </MemoryRouter>
      </ViewerContext.Provider>
    </QueryClientProvider>,
  );
}

async function cardNames(): Promise<string[]> {
  const list = await screen.findByRole('list');
  return within(list)
    .getAllByRole('link')
    .map((link) => within(link).getByText((_, element) => element?.tagName === 'STRONG').textContent ?? '');
}

describe('SettingsRoute', () => {
  beforeEach(() => {
    vi.mocked(fetchTagUsage).mockResolvedValue([]);
  });

  it('shows an admin a card for every settings page', async () => {
    renderAt('/settings', 'admin');
    expect(await cardNames()).toEqual([
      'Profile',
      'Team',
      'Tags',
      'Custom fields',
      'Email templates',
      'Workspace',
      'Scheduled jobs',
      'Lifecycle rules',
      'Integrations',
      'Privacy & retention',
      'Audit log',
      'Affiliate feeds',
    ]);
    expect(screen.getByRole('link', { name: /Affiliate feeds/ })).toHaveAttribute('href', '/settings/affiliate-feeds');
    expect(screen.getByRole('link', { name: /Privacy & retention/ })).toHaveAttribute('href', '/settings/retention');
    expect(screen.getByRole('link', { name: /Integrations/ })).toHaveAttribute('href', '/settings/integrations');
    expect(screen.getByRole('link', { name: /Custom fields/ })).toHaveAttribute('href', '/settings/custom-fields');
  });

  it.each(['manager', 'agent', 'readonly'] as const)('shows a %s only the pages their role may use', async (role) => {
    renderAt('/settings', role);
    // Managers write templates too; agents and read-only members do not.
    expect(await cardNames()).toEqual(
      role === 'manager' ? ['Profile', 'Team', 'Tags', 'Email templates'] : ['Profile', 'Team', 'Tags'],
    );
  });

  it('explains, rather than shows, an admin page opened by someone who is not an admin', async () => {
    renderAt('/settings/workspace', 'manager');
    expect(await screen.findByRole('heading', { name: 'Workspace', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Not available with your role' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to settings' })).toHaveAttribute('href', '/settings');
  });

  it('keeps the scheduled jobs page for admins (job_health refuses everyone else anyway)', async () => {
    renderAt('/settings/scheduled-jobs', 'manager');
    expect(await screen.findByRole('heading', { name: 'Scheduled jobs', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Not available with your role' })).toBeInTheDocument();
  });

  it('renders a sub-page in place, with the role deciding what it offers', async () => {
    renderAt('/settings/tags', 'agent');
    expect(await screen.findByRole('heading', { name: 'No tags yet' })).toBeInTheDocument();
    // Agents may add tags (to tag their customers on the fly), not edit the shared ones.
    expect(screen.getByRole('button', { name: 'New tag' })).toBeInTheDocument();
  });

  it('says so when a settings address does not exist', async () => {
    renderAt('/settings/nothing-here', 'admin');
    expect(
      await screen.findByRole('heading', { name: 'This settings page does not exist', level: 1 }),
    ).toBeInTheDocument();
  });
});
