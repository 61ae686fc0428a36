import { AuthApiError, AuthRetryableFetchError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';

import { signInErrorMessage } from './sign-in.ts';

describe('signInErrorMessage', () => {
  it('maps the auth server error code for a wrong password to a plain sentence', () => {
    const error = new AuthApiError('Invalid login credentials', 400, 'invalid_credentials');
    expect(signInErrorMessage(error)).toBe('Invalid email or password');
  });

  it('goes by the code, not the server message', () => {
    const error = new AuthApiError('Email not confirmed', 400, 'email_not_confirmed');
    expect(signInErrorMessage(error)).toMatch(/confirm your email address/i);
    expect(signInErrorMessage(new AuthApiError('whatever', 400, 'invalid_credentials'))).toBe(
      'Invalid email or password',
    );
  });

  it('tells a network failure apart from a refusal', () => {
    const error = new AuthRetryableFetchError('Failed to fetch', 0);
    expect(signInErrorMessage(error)).toMatch(/cannot reach the server/i);
  });

  it('falls back to a generic message for codes it does not know', () => {
    const error = new AuthApiError('boom', 500, 'unexpected_failure');
    expect(signInErrorMessage(error)).toBe('Sign-in failed. Please try again.');
  });
});
