import { isAuthRetryableFetchError, type AuthError } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

import type { SignInInput } from '../schemas/sign-in.ts';

export type SignInResult = { ok: true } | { ok: false; message: string };

/**
 * Signs in with email and password. Failures come back as a message a person can act on,
 * not as a thrown error, because a wrong password is an expected outcome of this form.
 */
export async function signIn(input: SignInInput): Promise<SignInResult> {
  const { error } = await supabase.auth.signInWithPassword({ email: input.email, password: input.password });
  return error ? { ok: false, message: signInErrorMessage(error) } : { ok: true };
}

/** Maps auth error codes (stable, unlike messages) to sentences for the sign-in screen. */
export function signInErrorMessage(error: AuthError): string {
  if (isAuthRetryableFetchError(error)) return 'Cannot reach the server. Check your connection and try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Invalid email or password';
    case 'email_not_confirmed':
      return 'Confirm your email address first: follow the link in the email we sent you.';
    case 'user_banned':
      return 'This account has been deactivated. Ask an admin of your team to restore it.';
    case 'over_request_rate_limit':
      return 'Too many attempts. Wait a minute, then try again.';
    default:
      return 'Sign-in failed. Please try again.';
  }
}
