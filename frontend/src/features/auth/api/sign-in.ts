import { isAuthRetryableFetchError, type AuthError } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

import type { SignInInput } from '../schemas/sign-in.ts';

export type SignInResult = { ok: true } | { ok: false; messageKey: string };

/**
 * Signs in with email and password. Failures come back as a translation key a person can act
 * on, not as a thrown error, because a wrong password is an expected outcome of this form.
 */
export async function signIn(input: SignInInput): Promise<SignInResult> {
  const { error } = await supabase.auth.signInWithPassword({ email: input.email, password: input.password });
  return error ? { ok: false, messageKey: authErrorKey(error) } : { ok: true };
}

/** Maps auth error codes (stable, unlike messages) to keys in the auth namespace. */
export function authErrorKey(error: AuthError): string {
  if (isAuthRetryableFetchError(error)) return 'auth:errors.network';
  switch (error.code) {
    case 'invalid_credentials':
      return 'auth:errors.invalidCredentials';
    case 'email_not_confirmed':
      return 'auth:errors.emailNotConfirmed';
    case 'user_banned':
      return 'auth:errors.userBanned';
    case 'over_request_rate_limit':
    case 'over_email_send_rate_limit':
      return 'auth:errors.rateLimited';
    case 'weak_password':
      return 'auth:errors.weakPassword';
    case 'same_password':
      return 'auth:errors.samePassword';
    case 'session_not_found':
    case 'session_expired':
      return 'auth:errors.sessionExpired';
    case 'mfa_verification_failed':
    case 'mfa_challenge_expired':
      return 'auth:errors.invalidCode';
    default:
      return 'auth:errors.generic';
  }
}
