// zod/mini, like sign-in.ts: these load with the auth pages.
import { z } from 'zod/mini';

import { emailField } from './sign-in.ts';

export const emailSchema = z.object({ email: emailField });
export type EmailInput = z.infer<typeof emailSchema>;

/**
 * The auth server's rules (supabase/config.toml: minimum_password_length, password_requirements
 * = lower_upper_letters_digits), checked here first so the person learns them before sending.
 */
export const MIN_PASSWORD_LENGTH = 12;
const HAS_LOWER_UPPER_DIGIT = /^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])/;

export const newPasswordSchema = z
  .object({
    password: z
      .string()
      .check(
        z.minLength(MIN_PASSWORD_LENGTH, 'auth:validation.passwordTooShort'),
        z.regex(HAS_LOWER_UPPER_DIGIT, 'auth:validation.passwordClasses'),
      ),
    confirmation: z.string().check(z.minLength(1, 'auth:validation.confirmationRequired')),
  })
  .check(
    z.refine((input) => input.password === input.confirmation, {
      path: ['confirmation'],
      message: 'auth:validation.passwordsDiffer',
    }),
  );
export type NewPasswordInput = z.infer<typeof newPasswordSchema>;

export const totpCodeSchema = z.object({
  code: z.pipe(
    z.pipe(
      z.string(),
      z.transform((code: string) => code.replace(/\s/g, '')),
    ),
    z.string().check(z.regex(/^\d{6}$/, 'auth:validation.codeInvalid')),
  ),
});
export type TotpCodeInput = z.infer<typeof totpCodeSchema>;
