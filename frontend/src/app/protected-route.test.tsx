import type { Session } from '@supabase/supabase-js';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { beforeEach, describe, expect, it } from 'vitest';

import { useSessionStore } from '@/stores/session-store.ts';

import { ProtectedRoute } from './protected-route.tsx';

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/sign-in', element: <h1>Sign-in page</h1> },
      { path: '/accept-invite', element: <h1>Accept-invite page</h1> },
      { element: <ProtectedRoute />, children: [{ path: '/', element: <h1>Home page</h1> }] },
    ],
    { initialEntries: [path] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

describe('ProtectedRoute', () => {
  beforeEach(() => {
    useSessionStore.setState({ status: 'loading', session: null });
  });

  it('waits for the stored session instead of redirecting early', () => {
    renderAt('/');
    expect(screen.getByRole('status')).toHaveTextContent(/checking your session/i);
    expect(screen.queryByRole('heading')).not.toBeInTheDocument();
  });

  it('sends a signed-out person to /sign-in, remembering where they were going', async () => {
    useSessionStore.getState().setSession(null);
    const router = renderAt('/');
    expect(await screen.findByRole('heading', { name: 'Sign-in page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.state).toEqual({ from: '/' });
  });

  it('keeps the CRM closed until the second factor is passed', async () => {
    useSessionStore.getState().setSession({ user: { email: 'ada@example.com' } } as Session, { mfaRequired: true });
    const router = renderAt('/');
    expect(await screen.findByRole('heading', { name: 'Sign-in page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
  });

  it('sends a member without a factor to enrol when the workspace requires one', async () => {
    useSessionStore.getState().setSession({ user: { email: 'ada@example.com' } } as Session, {
      enrolmentRequired: true,
    });
    const router = renderAt('/');
    expect(await screen.findByRole('heading', { name: 'Sign-in page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
  });

  it('sends an invitee who has not accepted yet to the accept-invite page', async () => {
    useSessionStore.getState().setSession({ user: { email: 'ines@example.com' } } as Session, {
      invitationPending: true,
    });
    const router = renderAt('/');
    expect(await screen.findByRole('heading', { name: 'Accept-invite page' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/accept-invite');
  });

  it('shows the page to a signed-in person', async () => {
    useSessionStore.getState().setSession({ user: { email: 'ada@example.com' } } as Session);
    renderAt('/');
    expect(await screen.findByRole('heading', { name: 'Home page' })).toBeInTheDocument();
  });
});
