import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { requestPasswordReset } from '../api/password.ts';
import { ForgotPasswordForm } from './forgot-password-form.tsx';

vi.mock('../api/password.ts', () => ({ requestPasswordReset: vi.fn() }));
const requestMock = vi.mocked(requestPasswordReset);

describe('ForgotPasswordForm', () => {
  beforeEach(() => requestMock.mockReset());

  it('checks the address before asking the server', async () => {
    const user = userEvent.setup();
    render(<ForgotPasswordForm />);
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(screen.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('Enter your email address');
    expect(requestMock).not.toHaveBeenCalled();
  });

  it('sends the link and says where to look, without saying whether the account exists', async () => {
    requestMock.mockResolvedValue({ ok: true });
    const user = userEvent.setup();
    render(<ForgotPasswordForm />);
    await user.type(screen.getByRole('textbox', { name: 'Email' }), ' ada@example.com ');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(requestMock).toHaveBeenCalledWith({ email: 'ada@example.com' });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'If an account exists for ada@example.com, a link to reset the password is on its way.',
    );
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });

  it('shows a refusal (rate limit) and keeps the form', async () => {
    requestMock.mockResolvedValue({ ok: false, messageKey: 'auth:errors.rateLimited' });
    const user = userEvent.setup();
    render(<ForgotPasswordForm />);
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts');
    expect(screen.getByRole('form', { name: 'Request a reset link' })).toBeInTheDocument();
  });
});
