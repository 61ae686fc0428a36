/**
 * Auth errors as the shopper should read them. Nothing here tells whether an address has an
 * account: sign-up answers the same for every address, and a failed sign-in is one message.
 */
export function signUpErrorKey(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'weak_password') return 'errors.weakPassword';
  if (code === 'email_address_invalid' || code === 'validation_failed') return 'errors.invalidEmail';
  if (code?.startsWith('over_')) return 'errors.tooMany';
  return 'errors.signUpFailed';
}

export function signInErrorKey(error: unknown): string {
  const code = (error as { code?: string }).code;
  // Only someone who knows the password learns that the address waits for its confirmation.
  if (code === 'email_not_confirmed') return 'errors.notConfirmed';
  if (code?.startsWith('over_')) return 'errors.tooMany';
  return 'errors.badCredentials';
}

/** config.toml's rules: 12 characters or more, lower and upper case letters and digits. */
export function passwordProblems(password: string): boolean {
  return password.length < 12 || !/[a-z]/.test(password) || !/[A-Z]/.test(password) || !/\d/.test(password);
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
