// zod/mini, like sign-in.ts: these load with the auth pages.
import { z } from 'zod/mini';

import { emailField } from './sign-in.ts';

export const emailSchema = z.object({ email: emailField });
export type EmailInput = z.infer<typeof emailSchema>;

/** The auth server's minimum is 6 (config.toml); 8 is asked here as a kinder floor for a CRM. */
export const MIN_PASSWORD_LENGTH = 8;

export const newPasswordSchema = z
  .object({
    password: z.string().check(z.minLength(MIN_PASSWORD_LENGTH, 'auth:validation.passwordTooShort')),
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
