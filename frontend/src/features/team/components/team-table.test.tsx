import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { inviteMember, updateMember, type DirectoryMember } from '../api/team.ts';
import { TeamTable } from './team-table.tsx';

vi.mock(import('../api/team.ts'), async (original) => ({
  ...(await original()),
  updateMember: vi.fn(),
  inviteMember: vi.fn(),
}));
const updateMock = vi.mocked(updateMember);
const inviteMock = vi.mocked(inviteMember);

const member = (
  fields: Partial<DirectoryMember> & Pick<DirectoryMember, 'user_id' | 'full_name'>,
): DirectoryMember => ({
  email: `${fields.user_id}@example.com`,
  avatar_url: '',
  role: 'agent',
  timezone: 'Europe/Madrid',
  language: 'en',
  active: true,
  created_at: '2026-11-01T09:00:00Z',
  invited_at: '',
  last_sign_in_at: '2026-11-21T07:00:00Z',
  invitation_pending: false,
  ...fields,
});

const team: DirectoryMember[] = [
  member({ user_id: 'ada', full_name: 'Ada Admin', role: 'admin' }),
  member({ user_id: 'ben', full_name: 'Ben Agent', timezone: 'America/New_York' }),
  member({ user_id: 'nia', full_name: 'Nia New', invitation_pending: true, last_sign_in_at: '' }),
  member({ user_id: 'old', full_name: 'Olga Old', role: 'manager', active: false }),
];

function renderTable(canManage: boolean) {
  const { user } = renderWithToasts(<TeamTable members={team} currentUserId="ada" canManage={canManage} />);
  return user;
}

describe('TeamTable', () => {
  beforeEach(() => {
    updateMock.mockReset();
    inviteMock.mockReset();
    useToastStore.setState({ toasts: [] });
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-21T08:00:00Z') });
  });

  it('lists every member with role, zone, status and last sign-in', () => {
    renderTable(false);
    const table = screen.getByRole('table', { name: 'Team members' });
    const ben = within(table).getByRole('row', { name: /Ben Agent/ });
    expect(within(ben).getByRole('cell', { name: 'America/New York' })).toBeInTheDocument();
    expect(within(ben).getByText('Agent')).toBeInTheDocument();
    expect(within(ben).getByText('Active')).toBeInTheDocument();
    expect(within(ben).getByText('1 hour ago')).toBeInTheDocument();
    const nia = within(table).getByRole('row', { name: /Nia New/ });
    expect(within(nia).getByText('Invitation sent')).toBeInTheDocument();
    expect(within(nia).getByText('Never')).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /Olga Old/ })).toHaveTextContent('Deactivated');
  });

  it('offers no actions to a member who is not an admin', () => {
    renderTable(false);
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it("lets an admin change someone's role, but never their own", async () => {
    updateMock.mockResolvedValue();
    const user = renderTable(true);
    expect(screen.queryByRole('combobox', { name: 'Role for Ada Admin' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Deactivate Ada Admin' })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role for Ben Agent' }), 'Manager');
    expect(updateMock).toHaveBeenCalledWith('ben', { role: 'manager' });
    expect(await screen.findByText('Ben Agent is now Manager')).toBeInTheDocument();
  });

  it('asks before deactivating, and says why the database refused', async () => {
    updateMock.mockRejectedValue({ code: '23514', details: 'last_admin' });
    const user = renderTable(true);
    await user.click(screen.getByRole('button', { name: 'Deactivate Ben Agent' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate Ben Agent?' });
    // Cancel has the focus, so a stray Enter does nothing harmful.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    expect(updateMock).toHaveBeenCalledWith('ben', { active: false });
    expect(await screen.findByText(/at least one active admin/)).toBeInTheDocument();
  });

  it('closes the confirmation with Escape without changing anything', async () => {
    const user = renderTable(true);
    await user.click(screen.getByRole('button', { name: 'Deactivate Ben Agent' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(updateMock).not.toHaveBeenCalled();
  });

  it('reactivates a deactivated member and re-sends a pending invitation', async () => {
    updateMock.mockResolvedValue();
    inviteMock.mockResolvedValue({ ok: true, resent: true });
    const user = renderTable(true);
    await user.click(screen.getByRole('button', { name: 'Reactivate Olga Old' }));
    expect(updateMock).toHaveBeenCalledWith('old', { active: true });
    expect(await screen.findByText('Olga Old has access again')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resend invitation to Nia New' }));
    expect(inviteMock).toHaveBeenCalledWith({ email: 'nia@example.com', fullName: 'Nia New', role: 'agent' });
    expect(await screen.findByText('Invitation sent again to nia@example.com')).toBeInTheDocument();
  });
});
