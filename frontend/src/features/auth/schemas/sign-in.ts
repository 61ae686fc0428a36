// zod/mini (the tree-shakable build of zod 4): these schemas load with the sign-in page, which
// has a JavaScript budget (issue 4: ≤ 200 KB gzip); the full zod would take a tenth of it alone.
import { z } from 'zod/mini';

/** An email field; messages are translation keys, shown through t() by the form. */
export const emailField = z.pipe(
  // Trimmed first: a pasted address often carries a stray space that is not the person's mistake.
  z.string().check(z.trim(), z.minLength(1, 'auth:validation.emailRequired')),
  z.email('auth:validation.emailInvalid'),
);

/** One schema for the sign-in form and the sign-in call (style.md: one zod schema per input). */
export const signInSchema = z.object({
  email: emailField,
  password: z.string().check(z.minLength(1, 'auth:validation.passwordRequired')),
});

export type SignInInput = z.infer<typeof signInSchema>;
