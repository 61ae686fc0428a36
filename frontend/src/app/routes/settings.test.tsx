import type { Session } from '@supabase/supabase-js';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { fetchTagUsage } from '@/features/settings/api/tags.ts';
import { fetchMember, type TeamMember } from '@/features/team/api/members.ts';
import { createQueryClient } from '@/lib/query-client.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { SettingsRoute } from './settings.tsx';

// The pages' data comes from the features' api modules, swapped here; the real calls run
// against the local stack in scripts/e2e/settings.test.ts.
vi.mock(import('@/features/team/api/members.ts'), async (original) => ({
  ...(await original()),
  fetchMember: vi.fn(),
}));
vi.mock(import('@/features/settings/api/tags.ts'), async (original) => ({
  ...(await original()),
  fetchTagUsage: vi.fn(),
}));

const memberWith = (role: TeamMember['role'], active = true): TeamMember => ({
  user_id: 'u-1',
  email: 'sam@example.com',
  full_name: 'Sam Settings',
  avatar_url: null,
  role,
  timezone: 'UTC',
  language: 'en',
  active,
});

function renderAt(path: string) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/settings/*" element={<SettingsRoute />} />
        </Routes>
      </MemoryRouter>
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
    vi.mocked(fetchMember).mockReset();
    vi.mocked(fetchTagUsage).mockResolvedValue([]);
    useSessionStore.getState().setSession({ user: { id: 'u-1' } } as Session);
  });

  it('shows an admin a card for every settings page', async () => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith('admin'));
    renderAt('/settings');
    expect(await cardNames()).toEqual(['Profile', 'Team', 'Tags', 'Custom fields', 'Workspace', 'Scheduled jobs']);
    expect(screen.getByRole('link', { name: /Custom fields/ })).toHaveAttribute('href', '/settings/custom-fields');
  });

  it.each(['manager', 'agent', 'readonly'] as const)('shows a %s only the pages their role may use', async (role) => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith(role));
    renderAt('/settings');
    expect(await cardNames()).toEqual(['Profile', 'Team', 'Tags']);
  });

  it('explains, rather than shows, an admin page opened by someone who is not an admin', async () => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith('manager'));
    renderAt('/settings/workspace');
    expect(await screen.findByRole('heading', { name: 'Workspace', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Not available with your role' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to settings' })).toHaveAttribute('href', '/settings');
  });

  it('keeps the scheduled jobs page for admins (job_health refuses everyone else anyway)', async () => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith('manager'));
    renderAt('/settings/scheduled-jobs');
    expect(await screen.findByRole('heading', { name: 'Scheduled jobs', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Not available with your role' })).toBeInTheDocument();
  });

  it('renders a sub-page in place, with the role deciding what it offers', async () => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith('agent'));
    renderAt('/settings/tags');
    expect(await screen.findByRole('heading', { name: 'No tags yet' })).toBeInTheDocument();
    // Agents may add tags (to tag their customers on the fly), not edit the shared ones.
    expect(screen.getByRole('button', { name: 'New tag' })).toBeInTheDocument();
  });

  it('says so when a settings address does not exist', async () => {
    vi.mocked(fetchMember).mockResolvedValue(memberWith('admin'));
    renderAt('/settings/nothing-here');
    expect(
      await screen.findByRole('heading', { name: 'This settings page does not exist', level: 1 }),
    ).toBeInTheDocument();
  });
});
