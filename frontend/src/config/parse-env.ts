// zod/mini: the same checks at a fraction of the size, since this module loads with the sign-in page.
import { z } from 'zod/mini';

export interface AppEnv {
  supabaseUrl: string;
  supabaseAnonKey: string;
}

const envSchema = z.object({
  VITE_SUPABASE_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the Supabase project' }),
  VITE_SUPABASE_ANON_KEY: z.string().check(z.minLength(1, 'must be the project’s anon (public) key')),
});

/**
 * Validates the build-time environment; a bad or missing value fails with a readable message
 * naming the variable. `localDefaults` fill what is unset — given only in development, so a
 * production build can never quietly point at a developer's local stack.
 */
export function parseEnv(raw: Record<string, unknown>, localDefaults?: Partial<Record<string, string>>): AppEnv {
  // `VITE_X=` in an .env file arrives as '' and means "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '' && value !== undefined));
  const result = envSchema.safeParse({ ...localDefaults, ...present });
  if (!result.success) {
    throw new Error(`Invalid frontend environment:\n${z.prettifyError(result.error)}`);
  }
  return { supabaseUrl: result.data.VITE_SUPABASE_URL, supabaseAnonKey: result.data.VITE_SUPABASE_ANON_KEY };
}
