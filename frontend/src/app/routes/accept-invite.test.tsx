import type { Session } from '@supabase/supabase-js';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { setNewPassword } from '@/features/auth/api/password.ts';
import { acceptInvitation } from '@/features/auth/api/team-access.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { AcceptInviteRoute } from './accept-invite.tsx';

vi.mock('@/features/auth/api/password.ts', () => ({ setNewPassword: vi.fn() }));
vi.mock('@/features/auth/api/team-access.ts', () => ({
  acceptInvitation: vi.fn(),
  // Once accepted, the database reports an active member.
  fetchTeamAccess: vi.fn().mockResolvedValue({ state: 'active', mfaRequired: false, hasVerifiedFactor: false }),
}));

function renderPage() {
  const router = createMemoryRouter(
    [
      { path: '/accept-invite', element: <AcceptInviteRoute /> },
      { path: '/', element: <h1>Home page</h1> },
    ],
    { initialEntries: ['/accept-invite'] },
  );
  render(<RouterProvider router={router} />);
  return { router, user: userEvent.setup() };
}

async function choosePassword(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('New password', { selector: 'input' }), 'Invitee-chose-2026');
  await user.type(screen.getByLabelText('Confirm new password'), 'Invitee-chose-2026');
  await user.click(screen.getByRole('button', { name: 'Set password and continue' }));
}

describe('the accept-invite page', () => {
  beforeEach(() => {
    vi.mocked(setNewPassword).mockReset().mockResolvedValue({ ok: true });
    vi.mocked(acceptInvitation).mockReset();
    useSessionStore.getState().setSession({ user: { email: 'ines@example.com' } } as Session, {
      invitationPending: true,
    });
  });

  it('sets the password, then accepts the invitation, then opens the app', async () => {
    vi.mocked(acceptInvitation).mockResolvedValue({ ok: true });
    const { router, user } = renderPage();
    await choosePassword(user);
    expect(setNewPassword).toHaveBeenCalledTimes(1);
    expect(acceptInvitation).toHaveBeenCalledTimes(1);
    expect(vi.mocked(setNewPassword).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(acceptInvitation).mock.invocationCallOrder[0],
    );
    expect(await screen.findByRole('heading', { name: 'Home page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    // The store knew before the app opened: no detour back to /accept-invite.
    expect(useSessionStore.getState().status).toBe('signed-in');
  });

  it('explains a refused acceptance and tries only the acceptance again', async () => {
    vi.mocked(acceptInvitation)
      .mockResolvedValueOnce({ ok: false, messageKey: 'auth:acceptInvite.failed' })
      .mockResolvedValueOnce({ ok: true });
    const { user } = renderPage();
    await choosePassword(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('The invitation could not be accepted.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Home page' })).toBeInTheDocument();
    expect(setNewPassword).toHaveBeenCalledTimes(1);
    expect(acceptInvitation).toHaveBeenCalledTimes(2);
  });
});
