import { z } from 'zod';

/** One schema for the sign-in form and the sign-in call (style.md: one zod schema per input). */
export const signInSchema = z.object({
  // Trimmed first: a pasted address often carries a stray space that is not the person's mistake.
  email: z.string().trim().min(1, 'Enter your email address').pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password'),
});

export type SignInInput = z.infer<typeof signInSchema>;
