import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { renderWithProviders, testViewer } from '@/testing/render.tsx';

import { LinkError, linkInboundEmail } from '../api/conversations.ts';
import { InboxPage } from './inbox-page.tsx';

// The inbox's requests are swapped so this test needs no server; the real ones run against the
// local stack in scripts/e2e/conversations.test.ts and supabase/tests/database/conversations.test.ts.
const fetchUnmatched = vi.hoisted(() => vi.fn());
const fetchInbox = vi.hoisted(() => vi.fn());
vi.mock(import('../api/conversations.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    unmatchedOptions: withRequest(actual.unmatchedOptions, fetchUnmatched),
    inboxOptions: withRequest(actual.inboxOptions, fetchInbox),
    linkInboundEmail: vi.fn(),
  };
});
vi.mock('../hooks/use-conversations-realtime.ts', () => ({ useConversationsRealtime: vi.fn() }));
const linkMock = vi.mocked(linkInboundEmail);

describe('InboxPage: unmatched mail', () => {
  beforeEach(() => {
    linkMock.mockReset();
    fetchInbox.mockResolvedValue([]);
    fetchUnmatched.mockResolvedValue([
      {
        id: 'in-1',
        state: 'unmatched',
        from_address: 'Ana <ana.new@example.test>',
        subject: 'Do you ship to Norway?',
        body_text: 'Hello!',
        error: null,
        received_at: '2026-12-07T08:00:00Z',
      },
    ]);
  });

  it('lists mail nobody could file and files it under the customer with the given address', async () => {
    linkMock.mockRejectedValueOnce(new LinkError('no_customer')).mockResolvedValueOnce('t-9');
    const { user } = renderWithProviders(<InboxPage />, {
      path: '/inbox?filter=unmatched',
      viewer: testViewer({ role: 'manager' }),
    });
    await screen.findByText('Do you ship to Norway?');
    const address = screen.getByLabelText('File under the customer with this email');
    await user.type(address, 'nobody@example.test');
    await user.click(screen.getByRole('button', { name: 'Link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('No customer with this email that you may see.');

    await user.clear(address);
    await user.type(address, 'ana@example.test');
    await user.click(screen.getByRole('button', { name: 'Link' }));
    await waitFor(() => expect(linkMock).toHaveBeenLastCalledWith('in-1', 'ana@example.test'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('thread=t-9'));
  });

  it('offers the unmatched filter only to members who see every customer', async () => {
    renderWithProviders(<InboxPage />, { path: '/inbox', viewer: testViewer({ role: 'agent' }) });
    await screen.findByRole('navigation', { name: 'Filters' });
    expect(screen.queryByRole('link', { name: 'Unmatched' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Awaiting reply' })).toBeInTheDocument();
  });
});
