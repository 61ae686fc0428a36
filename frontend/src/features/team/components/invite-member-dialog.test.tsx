import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { useToastStore } from '@/stores/toast-store.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { inviteMember } from '../api/team.ts';
import { InviteMemberDialog } from './invite-member-dialog.tsx';

vi.mock(import('../api/team.ts'), async (original) => ({ ...(await original()), inviteMember: vi.fn() }));
const inviteMock = vi.mocked(inviteMember);

function renderDialog() {
  const onOpenChange = vi.fn();
  const { user } = renderWithToasts(<InviteMemberDialog open onOpenChange={onOpenChange} />);
  const form = within(screen.getByRole('dialog', { name: 'Invite a team member' })).getByRole('form');
  return { user, onOpenChange, form };
}

describe('InviteMemberDialog', () => {
  beforeEach(() => {
    inviteMock.mockReset();
    useToastStore.setState({ toasts: [] });
  });

  it('checks the address and name before sending anything', async () => {
    const { user, form } = renderDialog();
    // Typing can start at once.
    expect(within(form).getByRole('textbox', { name: 'Email' })).toHaveFocus();
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(within(form).getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('Enter an email address');
    expect(within(form).getByRole('textbox', { name: 'Full name' })).toHaveAccessibleDescription('Enter their name');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'not-an-address');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(within(form).getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(
      'Enter a valid email address, such as ana@example.com',
    );
    expect(inviteMock).not.toHaveBeenCalled();
  });

  it('sends the invitation with the chosen role, explains the role, and closes', async () => {
    inviteMock.mockResolvedValue({ ok: true, resent: false });
    const { user, form, onOpenChange } = renderDialog();
    const role = within(form).getByRole('combobox', { name: 'Role' });
    expect(role).toHaveValue('agent');
    expect(role).toHaveAccessibleDescription('Only the customers assigned to them.');
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), ' Nora@Example.com ');
    await user.type(within(form).getByRole('textbox', { name: 'Full name' }), 'Nora New');
    await user.selectOptions(role, 'Manager');
    expect(role).toHaveAccessibleDescription(/All customers and orders/);
    // Enter in a field submits the form, as a keyboard user expects.
    await user.type(within(form).getByRole('textbox', { name: 'Full name' }), '{Enter}');
    expect(inviteMock).toHaveBeenCalledWith({ email: 'nora@example.com', fullName: 'Nora New', role: 'manager' });
    expect(await screen.findByText('Invitation sent to nora@example.com')).toBeInTheDocument();
    expect(onOpenChange).toHaveBeenCalledWith(false);
  });

  it('puts "already on the team" on the email field and keeps the form', async () => {
    inviteMock.mockResolvedValue({ ok: false, code: 'already_member' });
    const { user, form, onOpenChange } = renderDialog();
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'ben@example.com');
    await user.type(within(form).getByRole('textbox', { name: 'Full name' }), 'Ben');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    const email = within(form).getByRole('textbox', { name: 'Email' });
    expect(email).toHaveAccessibleDescription('This person is already on the team.');
    expect(email).toHaveFocus();
    expect(onOpenChange).not.toHaveBeenCalled();
  });

  it('shows any other refusal as an alert, never a raw code', async () => {
    inviteMock.mockResolvedValue({ ok: false, code: 'rate_limited' });
    const { user, form } = renderDialog();
    await user.type(within(form).getByRole('textbox', { name: 'Email' }), 'ben@example.com');
    await user.type(within(form).getByRole('textbox', { name: 'Full name' }), 'Ben');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Too many invitations were sent just now');
  });
});
