import type { Session } from '@supabase/supabase-js';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toaster.tsx';
import { signOut } from '@/features/auth/api/sign-out.ts';
import { searchEverything } from '@/features/search/api/search.ts';
import type { TeamMember } from '@/api/team-members.ts';
import { updateOwnProfile } from '@/features/team/api/members.ts';
import { i18n } from '@/lib/i18n.ts';
import { queryClient } from '@/lib/query-client.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useSessionStore } from '@/stores/session-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';

import { AppShell } from './app-shell.tsx';

// The features' api modules are swapped so the shell renders without a server; the real calls
// run against the local stack in the end-to-end tests.
// A shared api module's factory calls its own fetcher, which a mock of the module cannot reach:
// the factory is replaced instead, with the test's fetcher as its request.
const fetchMember = vi.hoisted(() => vi.fn<(userId: string) => Promise<TeamMember | null>>());
vi.mock(import('@/api/team-members.ts'), async (original) => {
  const actual = await original();
  return {
    ...actual,
    memberOptions: (userId) => ({ ...actual.memberOptions(userId), queryFn: () => fetchMember(userId) }),
  };
});
vi.mock(import('@/features/team/api/members.ts'), async (original) => ({
  ...(await original()),
  updateOwnProfile: vi.fn(),
}));
vi.mock('@/features/auth/api/sign-out.ts', () => ({ signOut: vi.fn() }));
// The options factory calls its own module's fetcher: both are swapped (src/testing/mock-query.ts).
vi.mock(import('@/features/search/api/search.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const searchEverything = vi.fn();
  return {
    ...actual,
    searchEverything,
    searchOptions: withRequest(actual.searchOptions, searchEverything, ({ signal }) => [signal]),
  };
});

const ada: TeamMember = {
  user_id: 'u-1',
  email: 'ada@example.com',
  full_name: 'Ada Lovelace',
  avatar_url: null,
  role: 'admin',
  timezone: 'Europe/London',
  language: 'en',
  active: true,
};

function renderShell(path = '/') {
  const router = createMemoryRouter(
    [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <h1>Dashboard page</h1> },
          { path: 'customers', element: <h1>Customers page</h1> },
          { path: 'orders', element: <h1>Orders page</h1> },
        ],
      },
    ],
    { initialEntries: [path] },
  );
  const user = userEvent.setup();
  render(
    <>
      <RouterProvider router={router} />
      <Toaster />
    </>,
  );
  return { user, router };
}

describe('AppShell', () => {
  beforeEach(() => {
    useSessionStore.getState().setSession({ user: { id: 'u-1', email: ada.email } } as Session);
    vi.mocked(fetchMember).mockResolvedValue(ada);
    vi.mocked(searchEverything).mockResolvedValue({ customers: [], orders: [] });
  });
  afterEach(() => {
    queryClient.clear();
    useToastStore.setState({ toasts: [] });
    vi.mocked(fetchMember).mockReset();
    vi.mocked(updateOwnProfile).mockReset();
  });

  it('offers the Privacy section only to admins and managers', async () => {
    vi.mocked(fetchMember).mockResolvedValue({ ...ada, role: 'agent' });
    renderShell();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await within(nav).findByRole('link', { name: 'Customers' });
    expect(within(nav).queryByRole('link', { name: 'Privacy' })).toBeNull();
  });

  it('shows the sections in a labelled navigation, and the page in the main landmark', async () => {
    renderShell();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const names = within(nav)
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(names).toEqual([
      'Dashboard',
      'Customers',
      'Inbox',
      'Orders',
      'Pipeline',
      'My tasks',
      'Segments',
      'Automation',
      'Campaigns',
      'Analytics',
      'Privacy',
      'Settings',
    ]);
    expect(within(nav).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
    expect(within(screen.getByRole('main')).getByRole('heading', { name: 'Dashboard page' })).toBeInTheDocument();
  });

  it('navigates from the sidebar', async () => {
    const { user, router } = renderShell();
    await user.click(await screen.findByRole('link', { name: 'Customers' }));
    expect(await screen.findByRole('heading', { name: 'Customers page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/customers');
    expect(screen.getByRole('link', { name: 'Customers' })).toHaveAttribute('aria-current', 'page');
  });

  it('opens search with Ctrl+K and shows what to do before anything is typed', async () => {
    const { user } = renderShell();
    await screen.findByRole('navigation', { name: 'Main' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Search' });
    const input = within(dialog).getByRole('combobox', { name: 'Search customers and orders' });
    expect(input).toHaveFocus();
    expect(within(dialog).getByText('Type to search customers and orders')).toBeInTheDocument();

    await user.type(input, 'ada');
    expect(await within(dialog).findByText('No results for “ada”')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('opens search with Cmd+K and from the search button', async () => {
    const { user } = renderShell();
    await user.keyboard('{Meta>}k{/Meta}');
    expect(await screen.findByRole('dialog', { name: 'Search' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: /^Search/ }));
    expect(await screen.findByRole('dialog', { name: 'Search' })).toBeInTheDocument();
  });

  it('has a menu button that says whether the sidebar is open', async () => {
    const { user } = renderShell();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    // Following a link closes it again.
    await user.click(screen.getByRole('link', { name: 'Orders' }));
    expect(menu).toHaveAttribute('aria-expanded', 'false');
  });

  it('shows who is signed in, with their role, in the user menu', async () => {
    const { user } = renderShell();
    const button = await screen.findByRole('button', { name: /Ada Lovelace/ });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await user.click(button);
    const panel = screen.getByRole('group', { name: 'Account' });
    expect(within(panel).getByText('ada@example.com')).toBeInTheDocument();
    expect(within(panel).getByText('Admin')).toBeInTheDocument();
    expect(within(panel).getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/London');
    await user.click(within(panel).getByRole('button', { name: 'Sign out' }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it('switches the whole shell to German at once and saves the choice', async () => {
    vi.mocked(updateOwnProfile).mockImplementation(async (_id, input) => ({
      ...ada,
      language: input.language ?? 'en',
    }));
    const { user } = renderShell();
    await user.click(await screen.findByRole('button', { name: /Ada Lovelace/ }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'de');

    expect(await screen.findByRole('navigation', { name: 'Hauptnavigation' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Kunden' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('de');
    expect(updateOwnProfile).toHaveBeenCalledWith('u-1', { language: 'de', timeZone: undefined });
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((toast) => toast.message)).toEqual(['Einstellungen gespeichert']),
    );
  });

  it('saves a new time zone for every date on screen', async () => {
    vi.mocked(updateOwnProfile).mockImplementation(async (_id, input) => ({
      ...ada,
      timezone: input.timeZone ?? 'UTC',
    }));
    const { user } = renderShell();
    await user.click(await screen.findByRole('button', { name: /Ada Lovelace/ }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'Asia/Tokyo');
    await waitFor(() => expect(usePreferencesStore.getState().timeZone).toBe('Asia/Tokyo'));
    expect(updateOwnProfile).toHaveBeenCalledWith('u-1', { language: undefined, timeZone: 'Asia/Tokyo' });
  });

  it('goes back to the saved language and says so when saving fails', async () => {
    vi.mocked(updateOwnProfile).mockRejectedValue(new Error('offline'));
    const { user } = renderShell();
    await user.click(await screen.findByRole('button', { name: /Ada Lovelace/ }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'fr');

    expect(await screen.findByText('Your preferences could not be saved. Try again.')).toBeInTheDocument();
    expect(i18n.language).toBe('en');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });

  it('tells a signed-in person who is not on the team, instead of an empty CRM', async () => {
    vi.mocked(fetchMember).mockResolvedValue(null);
    renderShell();
    expect(await screen.findByRole('heading', { name: 'No access to this team' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  it('offers a retry when the profile cannot be loaded', async () => {
    vi.mocked(fetchMember).mockRejectedValueOnce(new Error('offline')).mockRejectedValueOnce(new Error('offline'));
    const { user } = renderShell();
    // One automatic retry (query-client.ts), then the error is shown.
    expect(await screen.findByRole('heading', { name: 'Something went wrong' }, { timeout: 5000 })).toBeInTheDocument();
    vi.mocked(fetchMember).mockResolvedValue(ada);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });
});
