import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { signIn, type SignInResult } from '../api/sign-in.ts';
import { SignInForm } from './sign-in-form.tsx';

// The form's own api module is swapped so this unit test needs no server; the real call is
// exercised against the local stack in the browser check.
vi.mock('../api/sign-in.ts', () => ({ signIn: vi.fn() }));
const signInMock = vi.mocked(signIn);

function renderForm() {
  const user = userEvent.setup();
  render(
    <MemoryRouter>
      <SignInForm />
    </MemoryRouter>,
  );
  return {
    user,
    email: screen.getByRole('textbox', { name: 'Email' }),
    password: screen.getByLabelText('Password'),
    submit: screen.getByRole('button', { name: 'Sign in' }),
  };
}

describe('SignInForm', () => {
  beforeEach(() => {
    signInMock.mockReset();
  });

  it('is a labelled form that starts on the email field', () => {
    const { email } = renderForm();
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(email).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Forgot your password?' })).toHaveAttribute('href', '/forgot-password');
  });

  it('explains both missing fields and does not call the API when submitted empty', async () => {
    const { user, email, password, submit } = renderForm();
    await user.click(submit);

    expect(email).toHaveAccessibleDescription('Enter your email address');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription('Enter your password');
    expect(email).toHaveFocus();
    expect(signInMock).not.toHaveBeenCalled();
  });

  it('rejects an address that is not an email', async () => {
    const { user, email, password, submit } = renderForm();
    await user.type(email, 'ada.example.com');
    await user.type(password, 'secret-password');
    await user.click(submit);

    expect(email).toHaveAccessibleDescription('Enter a valid email address');
    expect(password).not.toHaveAttribute('aria-invalid');
    expect(signInMock).not.toHaveBeenCalled();
  });

  it('calls the sign-in API once with the trimmed email and the password', async () => {
    signInMock.mockResolvedValue({ ok: true });
    const { user, email, password, submit } = renderForm();
    await user.type(email, '  ada@example.com ');
    await user.type(password, ' pass word ');
    await user.click(submit);

    expect(signInMock).toHaveBeenCalledTimes(1);
    // The password is sent exactly as typed: spaces can be part of it.
    expect(signInMock).toHaveBeenCalledWith({ email: 'ada@example.com', password: ' pass word ' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a pending, disabled button while signing in', async () => {
    let finish: (result: SignInResult) => void = () => undefined;
    signInMock.mockReturnValue(new Promise<SignInResult>((resolve) => (finish = resolve)));
    const { user, email, password, submit } = renderForm();
    await user.type(email, 'ada@example.com');
    await user.type(password, 'secret-password');
    await user.click(submit);

    const pending = await screen.findByRole('button', { name: 'Signing in…' });
    expect(pending).toBeDisabled();
    finish({ ok: true });
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('says why sign-in failed and returns focus to the password', async () => {
    signInMock.mockResolvedValue({ ok: false, messageKey: 'auth:errors.invalidCredentials' });
    const { user, email, password, submit } = renderForm();
    await user.type(email, 'ada@example.com');
    await user.type(password, 'wrong-password');
    await user.click(submit);

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password');
    expect(password).toHaveFocus();
    expect(submit).toBeEnabled();

    // The old password is selected, so typing replaces it; a corrected attempt clears the message.
    signInMock.mockResolvedValue({ ok: true });
    await user.keyboard('right-password');
    await user.click(submit);
    expect(signInMock).toHaveBeenLastCalledWith({ email: 'ada@example.com', password: 'right-password' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
