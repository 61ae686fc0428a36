import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { setNewPassword } from '../api/password.ts';
import { SetPasswordForm } from './set-password-form.tsx';

vi.mock('../api/password.ts', () => ({ setNewPassword: vi.fn() }));
const setMock = vi.mocked(setNewPassword);

function renderForm() {
  const onDone = vi.fn();
  const user = userEvent.setup();
  render(<SetPasswordForm formLabel="Set a new password" submitLabel="Save new password" onDone={onDone} />);
  return {
    user,
    onDone,
    password: screen.getByLabelText('New password', { selector: 'input' }),
    confirmation: screen.getByLabelText('Confirm new password'),
    submit: screen.getByRole('button', { name: 'Save new password' }),
  };
}

describe('SetPasswordForm', () => {
  beforeEach(() => setMock.mockReset());

  it('asks for at least 12 characters and the same password twice', async () => {
    const { user, password, confirmation, submit } = renderForm();
    await user.type(password, 'short');
    await user.type(confirmation, 'different');
    await user.click(submit);
    expect(password).toHaveAccessibleDescription('Use at least 12 characters');
    expect(confirmation).toHaveAccessibleDescription('The passwords do not match');
    expect(setMock).not.toHaveBeenCalled();
  });

  it('asks for lower and upper case letters and a digit, as the auth server does', async () => {
    const { user, password, confirmation, submit } = renderForm();
    await user.type(password, 'only-lower-case-letters');
    await user.type(confirmation, 'only-lower-case-letters');
    await user.click(submit);
    expect(password).toHaveAccessibleDescription('Use lower and upper case letters and at least one digit');
    expect(setMock).not.toHaveBeenCalled();
  });

  it('saves the password and hands over', async () => {
    setMock.mockResolvedValue({ ok: true });
    const { user, onDone, password, confirmation, submit } = renderForm();
    await user.type(password, 'A-new-password-1');
    await user.type(confirmation, 'A-new-password-1');
    await user.click(submit);
    expect(setMock).toHaveBeenCalledWith({ password: 'A-new-password-1', confirmation: 'A-new-password-1' });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('explains a refusal from the server and stays', async () => {
    setMock.mockResolvedValue({ ok: false, messageKey: 'auth:errors.samePassword' });
    const { user, onDone, password, confirmation, submit } = renderForm();
    await user.type(password, 'The-old-password-1');
    await user.type(confirmation, 'The-old-password-1');
    await user.click(submit);
    expect(await screen.findByRole('alert')).toHaveTextContent('The new password must be different from the old one.');
    expect(onDone).not.toHaveBeenCalled();
  });
});
