import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { startTotpEnrolment, verifyTotp } from '../api/mfa.ts';
import { MfaEnrolmentForm } from './mfa-enrolment-form.tsx';

vi.mock('../api/mfa.ts', () => ({ startTotpEnrolment: vi.fn(), verifyTotp: vi.fn() }));
vi.mock('../api/sign-out.ts', () => ({ signOut: vi.fn() }));

const ENROLMENT = {
  factorId: 'factor-1',
  qrCode: 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E',
  secret: 'JBSWY3DPEHPK3PXP',
};

describe('MfaEnrolmentForm', () => {
  beforeEach(() => {
    vi.mocked(startTotpEnrolment).mockReset().mockResolvedValue(ENROLMENT);
    vi.mocked(verifyTotp).mockReset();
  });

  it('walks through the enrolment: QR code and key, then the code from the app', async () => {
    vi.mocked(verifyTotp).mockResolvedValue({ ok: true });
    const user = userEvent.setup();
    render(<MfaEnrolmentForm />);
    const form = screen.getByRole('form', { name: 'Set up an authenticator app' });
    expect(form).toHaveTextContent('Your team requires two-step verification.');
    expect(await screen.findByRole('img', { name: 'QR code to scan with your authenticator app' })).toHaveAttribute(
      'src',
      ENROLMENT.qrCode,
    );
    expect(screen.getByLabelText('Setup key')).toHaveTextContent(ENROLMENT.secret);
    expect(startTotpEnrolment).toHaveBeenCalledWith('Authenticator app');
    await user.type(screen.getByLabelText('6-digit code'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    expect(verifyTotp).toHaveBeenCalledWith('factor-1', '123456');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains a wrong code and stays', async () => {
    vi.mocked(verifyTotp).mockResolvedValue({ ok: false, messageKey: 'auth:errors.invalidCode' });
    const user = userEvent.setup();
    render(<MfaEnrolmentForm />);
    await user.type(await screen.findByLabelText('6-digit code'), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify and continue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is not right or has expired.');
  });

  it('says so when the enrolment cannot start', async () => {
    vi.mocked(startTotpEnrolment).mockResolvedValue({ error: 'auth:errors.network' });
    render(<MfaEnrolmentForm />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the server.');
    expect(screen.getByRole('button', { name: 'Verify and continue' })).toBeDisabled();
  });
});
