import { z } from 'zod';

/** An email field; messages are translation keys, shown through t() by the form. */
export const emailField = z
  .string()
  // Trimmed first: a pasted address often carries a stray space that is not the person's mistake.
  .trim()
  .min(1, 'auth:validation.emailRequired')
  .pipe(z.email('auth:validation.emailInvalid'));

/** One schema for the sign-in form and the sign-in call (style.md: one zod schema per input). */
export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'auth:validation.passwordRequired'),
});

export type SignInInput = z.infer<typeof signInSchema>;
