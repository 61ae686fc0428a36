import { AuthApiError, AuthRetryableFetchError, AuthWeakPasswordError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';

import { i18n } from '@/lib/i18n.ts';

import { authErrorKey } from './sign-in.ts';

describe('authErrorKey', () => {
  it('maps the auth server error code for a wrong password to a plain sentence', () => {
    const error = new AuthApiError('Invalid login credentials', 400, 'invalid_credentials');
    expect(authErrorKey(error)).toBe('auth:errors.invalidCredentials');
    expect(i18n.t(authErrorKey(error))).toBe('Invalid email or password');
  });

  it('goes by the code, not the server message', () => {
    const error = new AuthApiError('Email not confirmed', 400, 'email_not_confirmed');
    expect(i18n.t(authErrorKey(error))).toMatch(/confirm your email address/i);
    expect(authErrorKey(new AuthApiError('whatever', 400, 'invalid_credentials'))).toBe(
      'auth:errors.invalidCredentials',
    );
  });

  it('tells a network failure apart from a refusal', () => {
    const error = new AuthRetryableFetchError('Failed to fetch', 0);
    expect(i18n.t(authErrorKey(error))).toMatch(/cannot reach the server/i);
  });

  it('explains a weak password and a wrong TOTP code', () => {
    expect(authErrorKey(new AuthWeakPasswordError('weak', 422, ['length']))).toBe('auth:errors.weakPassword');
    expect(authErrorKey(new AuthApiError('Invalid TOTP code entered', 422, 'mfa_verification_failed'))).toBe(
      'auth:errors.invalidCode',
    );
  });

  it('falls back to a generic message for codes it does not know', () => {
    const error = new AuthApiError('boom', 500, 'unexpected_failure');
    expect(i18n.t(authErrorKey(error))).toBe('Something went wrong. Please try again.');
  });
});
