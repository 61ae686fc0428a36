import { supabase } from '@/lib/supabase.ts';

import type { EmailInput, NewPasswordInput } from '../schemas/password.ts';
import { authErrorKey } from './sign-in.ts';

export type AuthResult = { ok: true } | { ok: false; messageKey: string };

/**
 * Sends the reset link. The link comes back to /reset-password on this same origin, where
 * supabase-js reads the session from the URL. The auth server answers the same whether or not
 * the address has an account, so the screen cannot be used to probe for members.
 */
export async function requestPasswordReset(input: EmailInput, origin = window.location.origin): Promise<AuthResult> {
  const { error } = await supabase.auth.resetPasswordForEmail(input.email, { redirectTo: `${origin}/reset-password` });
  return error ? { ok: false, messageKey: authErrorKey(error) } : { ok: true };
}

/** Sets the signed-in person's password (after a recovery or an invite link signed them in). */
export async function setNewPassword(input: NewPasswordInput): Promise<AuthResult> {
  const { error } = await supabase.auth.updateUser({ password: input.password });
  return error ? { ok: false, messageKey: authErrorKey(error) } : { ok: true };
}
